package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Ring is a KPI tile: a percentage drawn as a ring with the figure in the
// middle and the label below.
type Ring struct {
	ID, Label string
	Percent   float64 // 0–100; clamped for drawing, printed as given
	Format    Format
	// Note is a second line under the label ("12 of 15").
	Note  string
	Color string
}

// ProgressRing draws a Ring. A NaN percent (nothing to measure) draws an
// empty ring with a dash.
func ProgressRing(r Ring) template.HTML {
	f := r.Format
	if f == nil {
		f = DefaultFormat
	}
	id := idFor(r.ID, r.Label, r.Note)
	col := r.Color
	if col == "" {
		col = Blue
	}
	text := "–"
	p := 0.0
	if !math.IsNaN(r.Percent) && !math.IsInf(r.Percent, 0) {
		text = f(r.Percent) + "%"
		p = math.Min(math.Max(r.Percent, 0), 100)
	}
	desc := r.Label + ": " + text
	if r.Note != "" {
		desc += " (" + r.Note + ")"
	}
	const size, cx, cy, rad = 160.0, 80.0, 64.0, 48.0
	h := 150.0
	if r.Note != "" {
		h = 168
	}
	var s strings.Builder
	openSized(&s, id, size, h, num(size), r.Label, desc)
	fmt.Fprintf(&s, `<circle cx="%s" cy="%s" r="%s" fill="none" stroke="%s" stroke-width="12"/>`, num(cx), num(cy), num(rad), Grid)
	if p > 0 {
		circ := 2 * math.Pi * rad
		fmt.Fprintf(&s, `<circle cx="%s" cy="%s" r="%s" fill="none" stroke="%s" stroke-width="12" stroke-dasharray="%s %s" transform="rotate(-90 %s %s)"/>`,
			num(cx), num(cy), num(rad), col, num(circ*p/100), num(circ), num(cx), num(cy))
	}
	fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="%s" font-size="22" font-weight="700">%s</text>`, num(cx), num(cy+8), Ink, esc(text))
	fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(cx), num(cy+rad+26), Ink, esc(clip(r.Label, 24)))
	if r.Note != "" {
		fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="%s" font-size="12">%s</text>`, num(cx), num(cy+rad+44), Muted, esc(clip(r.Note, 26)))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
