package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Bar is one labelled value.
type Bar struct {
	Label string
	Value float64
	// Note is shown after the value ("late", "3 activities"): the words that
	// colour would otherwise carry.
	Note string
}

// Bars is a horizontal bar chart.
type Bars struct {
	ID, Title string
	// Desc opens the description; the numbers of every bar are appended.
	Desc string
	Bars []Bar
	// Percent fixes the axis at 0–100 (widened if a value lies outside) and
	// appends Unit to tick labels.
	Percent bool
	Unit    string // "%" after values, e.g.
	// Target draws a dashed marker at this value when HasTarget.
	Target      float64
	HasTarget   bool
	TargetLabel string
	Format      Format
	NoData      string // message when there are no bars
	Color       string // default Blue
}

// Layout of the bar chart, in user units.
const (
	barLabelW = 210
	barValueW = 130
	barRow    = 28
	barH      = 18
	barTop    = 8
	barAxis   = 26
)

// HBar draws a horizontal bar chart: one row per bar, its label on the
// left, the bar from zero, and its formatted value (and note) as text after
// the bar, so that the number can be read without the axis.
func HBar(c Bars) template.HTML {
	f := c.Format
	if f == nil {
		f = DefaultFormat
	}
	if len(c.Bars) == 0 {
		return NoData(c.ID, c.Title, c.NoData)
	}
	id := idFor(c.ID, c.Title, c.Desc)
	lo, hi := 0.0, 0.0
	for _, b := range c.Bars {
		v := finite(b.Value)
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if c.HasTarget {
		lo, hi = math.Min(lo, finite(c.Target)), math.Max(hi, finite(c.Target))
	}
	var ticks []float64
	if c.Percent && lo >= 0 && hi <= 100 {
		lo, hi = 0, 100
		ticks = []float64{0, 25, 50, 75, 100}
	} else {
		lo, hi, ticks = domain(lo, hi, 4)
	}
	x0, x1 := float64(barLabelW), float64(width-barValueW)
	sx := scale{lo, hi, x0, x1}
	top := barTop
	if c.HasTarget {
		top += 18 // room for the target's label above the bars
	}
	h := float64(top + len(c.Bars)*barRow + barAxis)
	col := c.Color
	if col == "" {
		col = Blue
	}
	unit := c.Unit
	val := func(v float64) string { return f(v) + unit }

	var desc strings.Builder
	desc.WriteString(c.Desc)
	for i, b := range c.Bars {
		if i == 0 && desc.Len() > 0 {
			desc.WriteString(" ")
		} else if i > 0 {
			desc.WriteString("; ")
		}
		desc.WriteString(b.Label + ": " + val(b.Value))
		if b.Note != "" {
			desc.WriteString(" (" + b.Note + ")")
		}
	}
	if c.HasTarget {
		desc.WriteString(". " + c.TargetLabel + ": " + val(c.Target))
	}

	var s strings.Builder
	open(&s, id, width, h, c.Title, desc.String())
	// Grid and axis ticks.
	axisY := float64(top + len(c.Bars)*barRow)
	for _, t := range ticks {
		x := sx.at(t)
		fmt.Fprintf(&s, `<line x1="%s" y1="%d" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(x), top, num(x), num(axisY), Grid)
		tl := f(t)
		if c.Percent {
			tl += unit
		}
		fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="%s" font-size="11">%s</text>`, num(x), num(axisY+16), Muted, esc(tl))
	}
	zx := sx.at(0)
	fmt.Fprintf(&s, `<line x1="%s" y1="%d" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(zx), top, num(zx), num(axisY), Muted)
	for i, b := range c.Bars {
		v := finite(b.Value)
		y := float64(top + i*barRow)
		cy := y + barRow/2 + 4
		fmt.Fprintf(&s, `<g><title>%s</title>`, esc(b.Label+": "+val(b.Value)))
		fmt.Fprintf(&s, `<text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>`, barLabelW-8, num(cy), Ink, esc(clip(b.Label, 30)))
		xa, xb := zx, sx.at(v)
		if xb < xa {
			xa, xb = xb, xa
		}
		w := xb - xa
		if v != 0 && w < 1 {
			w = 1 // a tiny value stays visible
		}
		fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s"/>`, num(xa), num(y+(barRow-barH)/2), num(w), barH, col)
		label := val(b.Value)
		if b.Note != "" {
			label += " · " + b.Note
		}
		lx, anchor := sx.at(math.Max(v, 0))+6, "start"
		if v < 0 {
			// Negative bars grow left; the value stays right of zero.
			lx = zx + 6
		}
		fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="%s" fill="%s">%s</text></g>`, num(lx), num(cy), anchor, Ink, esc(clip(label, 28)))
	}
	if c.HasTarget {
		tx := sx.at(c.Target)
		fmt.Fprintf(&s, `<line x1="%s" y1="%d" x2="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 3"/>`, num(tx), top-4, num(tx), num(axisY), Ink)
		fmt.Fprintf(&s, `<text x="%s" y="%d" text-anchor="middle" fill="%s" font-size="11">%s</text>`, num(tx), top-7, Ink, esc(c.TargetLabel+": "+val(c.Target)+" ▼"))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
