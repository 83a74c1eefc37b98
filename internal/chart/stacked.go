package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Part names one segment kind of a stacked bar (on time, late, missing…).
type Part struct {
	Name  string
	Color string // default from the stacked palette
}

// Stack is one bar: a label and one value per part (negative values count as 0).
type Stack struct {
	Label  string
	Values []float64
}

// Stacked is a horizontal stacked bar chart with a legend.
type Stacked struct {
	ID, Title, Desc string
	Parts           []Part
	Stacks          []Stack
	Format          Format
	NoData          string
	// TotalLabel names the total printed after each bar ("expected").
	TotalLabel string
}

// stackColors are dark enough for white pattern strokes and 3:1 against white.
var stackColors = []string{"#1d5e20", "#7a4f00", "#a50e0e", "#4a4a4a", "#0b4a8b", "#6a3d9a"}

// patterns: the first part solid, the others hatched, dotted or crossed, so
// that segments differ in print and for colour-blind readers too.
func pattern(b *strings.Builder, id string, i int, color string) string {
	pid := fmt.Sprintf("%s-p%d", id, i)
	fmt.Fprintf(b, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/>`, pid, color)
	switch i % 4 {
	case 1: // diagonal hatching
		b.WriteString(`<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="1.5"/>`)
	case 2: // cross hatching
		b.WriteString(`<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#ffffff" stroke-width="1.2"/>`)
	case 3: // dots
		b.WriteString(`<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>`)
	}
	b.WriteString(`</pattern>`)
	return pid
}

const (
	stackLabelW = 150
	stackTotalW = 110
	stackRow    = 30
	stackBarH   = 20
	legendRow   = 22
)

// StackedBar draws one horizontal bar per stack, the parts side by side,
// each segment wide enough labelled with its value, the total after the bar,
// and a legend with the same patterns above.
func StackedBar(c Stacked) template.HTML {
	f := c.Format
	if f == nil {
		f = DefaultFormat
	}
	total := func(st Stack) float64 {
		t := 0.0
		for _, v := range st.Values {
			t += math.Max(finite(v), 0)
		}
		return t
	}
	maxT := 0.0
	for _, st := range c.Stacks {
		maxT = math.Max(maxT, total(st))
	}
	if len(c.Stacks) == 0 || len(c.Parts) == 0 {
		return NoData(c.ID, c.Title, c.NoData)
	}
	id := idFor(c.ID, c.Title, c.Desc)
	// Legend: as many rows as needed, up to 3 entries a row.
	perRow := 3
	legendRows := (len(c.Parts) + perRow - 1) / perRow
	top := 6 + legendRows*legendRow + 6
	h := float64(top + len(c.Stacks)*stackRow + 8)

	var desc strings.Builder
	desc.WriteString(c.Desc)
	for i, st := range c.Stacks {
		if desc.Len() > 0 {
			if i == 0 {
				desc.WriteString(" ")
			} else {
				desc.WriteString("; ")
			}
		}
		desc.WriteString(st.Label + ":")
		for j, p := range c.Parts {
			v := 0.0
			if j < len(st.Values) {
				v = st.Values[j]
			}
			if j > 0 {
				desc.WriteString(",")
			}
			desc.WriteString(" " + p.Name + " " + f(math.Max(finite(v), 0)))
		}
		if c.TotalLabel != "" {
			desc.WriteString(", " + c.TotalLabel + " " + f(total(st)))
		}
	}

	var s strings.Builder
	open(&s, id, width, h, c.Title, desc.String())
	s.WriteString(`<defs>`)
	fills := make([]string, len(c.Parts))
	for i, p := range c.Parts {
		col := p.Color
		if col == "" {
			col = stackColors[i%len(stackColors)]
		}
		fills[i] = "url(#" + pattern(&s, id, i, col) + ")"
	}
	s.WriteString(`</defs>`)
	colW := float64(width) / float64(perRow)
	for i, p := range c.Parts {
		x := float64(i%perRow) * colW
		y := float64(6 + (i/perRow)*legendRow)
		fmt.Fprintf(&s, `<rect x="%s" y="%s" width="16" height="16" fill="%s" stroke="%s"/>`, num(x+1), num(y), fills[i], Ink)
		fmt.Fprintf(&s, `<text x="%s" y="%s" fill="%s">%s</text>`, num(x+24), num(y+13), Ink, esc(clip(p.Name, 26)))
	}
	x0, x1 := float64(stackLabelW), float64(width-stackTotalW)
	sx := scale{0, math.Max(maxT, 1), x0, x1}
	for i, st := range c.Stacks {
		y := float64(top + i*stackRow)
		cy := y + stackRow/2 + 4
		fmt.Fprintf(&s, `<g><text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>`, stackLabelW-8, num(cy), Ink, esc(clip(st.Label, 22)))
		at := 0.0
		for j := range c.Parts {
			v := 0.0
			if j < len(st.Values) {
				v = math.Max(finite(st.Values[j]), 0)
			}
			if v == 0 {
				continue
			}
			xa, xb := sx.at(at), sx.at(at+v)
			at += v
			fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s" stroke="#ffffff" stroke-width="1"><title>%s</title></rect>`,
				num(xa), num(y+(stackRow-stackBarH)/2), num(math.Max(xb-xa, 1)), stackBarH, fills[j], esc(c.Parts[j].Name+": "+f(v)))
			if lbl := f(v); xb-xa >= float64(8*len([]rune(lbl))+10) {
				// White text on a white-backed chip keeps contrast over any pattern.
				tw := float64(7*len([]rune(lbl)) + 6)
				mx := (xa + xb) / 2
				fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="14" rx="2" fill="#ffffff"/>`, num(mx-tw/2), num(cy-11), num(tw))
				fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="%s" font-size="11">%s</text>`, num(mx), num(cy-0.5), Ink, esc(lbl))
			}
		}
		tl := f(total(st))
		if c.TotalLabel != "" {
			tl = c.TotalLabel + " " + tl
		}
		fmt.Fprintf(&s, `<text x="%s" y="%s" fill="%s">%s</text></g>`, num(sx.at(at)+6), num(cy), Ink, esc(clip(tl, 18)))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
