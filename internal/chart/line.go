package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Series is one line: a value per label; NaN marks a period without data
// (the line breaks there).
type Series struct {
	Name   string
	Values []float64
}

// Lines is a line chart over ordered labels (periods).
type Lines struct {
	ID, Title, Desc string
	Labels          []string
	Series          []Series
	Format          Format
	NoData          string
}

const (
	lineLeft   = 64
	lineRight  = 24
	lineTop    = 12
	linePlotH  = 220
	lineBottom = 40
)

// marker draws a series' point shape: circle, square, triangle, diamond…
func marker(b *strings.Builder, i int, x, y float64, color string) {
	switch i % 4 {
	case 0:
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="4" fill="%s"/>`, num(x), num(y), color)
	case 1:
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="8" height="8" fill="%s"/>`, num(x-4), num(y-4), color)
	case 2:
		fmt.Fprintf(b, `<path d="M%s,%s l5,9 h-10 z" fill="%s"/>`, num(x), num(y-5), color)
	default:
		fmt.Fprintf(b, `<path d="M%s,%s l5,5 l-5,5 l-5,-5 z" fill="#ffffff" stroke="%s" stroke-width="2"/>`, num(x), num(y-5), color)
	}
}

// Line draws the series over the labels with a y axis, a legend below, a
// distinct colour, dash and marker per series, and the last value of each
// series written beside its last point.
func Line(c Lines) template.HTML {
	f := c.Format
	if f == nil {
		f = DefaultFormat
	}
	lo, hi, any := 0.0, 0.0, false
	for _, se := range c.Series {
		for _, v := range se.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi, any = math.Min(lo, v), math.Max(hi, v), true
		}
	}
	if len(c.Labels) == 0 || !any {
		return NoData(c.ID, c.Title, c.NoData)
	}
	id := idFor(c.ID, c.Title, c.Desc)
	lo, hi, ticks := domain(lo, hi, 4)
	legendRows := (len(c.Series) + 1) / 2
	// Labels slant when the widest does not fit in its share of the axis.
	widest := 0
	for _, l := range c.Labels {
		widest = max(widest, utf8.RuneCountInString(l))
	}
	share := float64(width-lineLeft-lineRight-50) / float64(max(len(c.Labels), 1))
	slant := float64(widest)*6.5 > share
	bottom := lineBottom
	if slant {
		bottom += int(math.Min(float64(widest), 16) * 4.5)
	}
	h := float64(lineTop + linePlotH + bottom + legendRows*legendRow)
	x0, x1 := float64(lineLeft), float64(width-lineRight-50)
	sy := scale{lo, hi, float64(lineTop + linePlotH), float64(lineTop)}
	xAt := func(i int) float64 {
		if len(c.Labels) == 1 {
			return (x0 + x1) / 2
		}
		return x0 + float64(i)*(x1-x0)/float64(len(c.Labels)-1)
	}

	var desc strings.Builder
	desc.WriteString(c.Desc)
	for _, se := range c.Series {
		if desc.Len() > 0 {
			desc.WriteString(" ")
		}
		desc.WriteString(se.Name + ":")
		for i, l := range c.Labels {
			if i > 0 {
				desc.WriteString(",")
			}
			v := math.NaN()
			if i < len(se.Values) {
				v = se.Values[i]
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				desc.WriteString(" " + l + " –")
			} else {
				desc.WriteString(" " + l + " " + f(v))
			}
		}
		desc.WriteString(".")
	}

	var s strings.Builder
	open(&s, id, width, h, c.Title, desc.String())
	for _, t := range ticks {
		y := sy.at(t)
		stroke := Grid
		if t == 0 {
			stroke = Muted
		}
		fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(x0), num(y), num(x1), num(y), stroke)
		fmt.Fprintf(&s, `<text x="%d" y="%s" text-anchor="end" fill="%s" font-size="11">%s</text>`, lineLeft-6, num(y+4), Muted, esc(f(t)))
	}
	// Period labels: every one when few, else about twelve; slanted when
	// they would not fit side by side.
	every := max(1, (len(c.Labels)+11)/12)
	for i, l := range c.Labels {
		if i%every != 0 && i != len(c.Labels)-1 {
			continue
		}
		x, y := xAt(i), float64(lineTop+linePlotH+18)
		if slant {
			fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="end" fill="%s" font-size="11" transform="rotate(-35 %s %s)">%s</text>`, num(x), num(y), Muted, num(x), num(y), esc(clip(l, 16)))
			continue
		}
		fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="%s" font-size="11">%s</text>`, num(x), num(y), Muted, esc(l))
	}
	for si, se := range c.Series {
		col := Palette[si%len(Palette)]
		var d strings.Builder
		pen := false
		last := -1
		for i := range c.Labels {
			if i >= len(se.Values) || math.IsNaN(se.Values[i]) || math.IsInf(se.Values[i], 0) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s,%s ", cmd, num(xAt(i)), num(sy.at(se.Values[i])))
			pen, last = true, i
		}
		if last < 0 {
			continue
		}
		dash := ""
		if da := dashes[si%len(dashes)]; da != "" {
			dash = ` stroke-dasharray="` + da + `"`
		}
		fmt.Fprintf(&s, `<g><title>%s</title><path d="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`, esc(se.Name), strings.TrimSpace(d.String()), col, dash)
		for i := range c.Labels {
			if i < len(se.Values) && !math.IsNaN(se.Values[i]) && !math.IsInf(se.Values[i], 0) {
				marker(&s, si, xAt(i), sy.at(se.Values[i]), col)
			}
		}
		fmt.Fprintf(&s, `<text x="%s" y="%s" fill="%s" font-size="11">%s</text></g>`, num(xAt(last)+8), num(sy.at(se.Values[last])+4), col, esc(f(se.Values[last])))
	}
	// Legend: the line sample with its marker, then the name.
	ly := lineTop + linePlotH + bottom
	for si, se := range c.Series {
		col := Palette[si%len(Palette)]
		x := float64((si % 2) * (width / 2))
		y := float64(ly + (si/2)*legendRow)
		dash := ""
		if da := dashes[si%len(dashes)]; da != "" {
			dash = ` stroke-dasharray="` + da + `"`
		}
		fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5"%s/>`, num(x+2), num(y+8), num(x+34), num(y+8), col, dash)
		marker(&s, si, x+18, y+8, col)
		fmt.Fprintf(&s, `<text x="%s" y="%s" fill="%s">%s</text>`, num(x+42), num(y+12), Ink, esc(clip(se.Name, 38)))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
