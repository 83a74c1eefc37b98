// Package chart draws the dashboard's charts as inline SVG on the server:
// horizontal bars, stacked bars, lines over periods and a progress ring.
// Every function is pure and returns template.HTML that is safe to embed:
// labels are escaped, numbers go through the caller's formatter (so that
// Vietnamese reads "1.234,5"), and each chart carries role="img", a <title>
// and a <desc> with the numbers. Meaning never rests on colour alone: bars
// carry text values, stacked segments have patterns, lines have markers and
// dashes. Empty data gives a small "no data" chart with the caller's message.
package chart

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format turns a number into display text (i18n.Locale.Decimal and friends).
type Format func(float64) string

// DefaultFormat writes a number with at most one decimal, a dot separator.
func DefaultFormat(f float64) string { return strconv.FormatFloat(round1(f), 'f', -1, 64) }

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// Ink is the text colour (16:1 on white); Muted is for axes and grid lines.
const (
	Ink   = "#1b1b1b"
	Muted = "#595959" // 7:1 on white
	Grid  = "#d0d0d0"
	Blue  = "#0b4a8b" // 9.5:1 on white
)

// Palette holds series colours, each at least 4.5:1 against white so that
// they can carry text and thin lines.
var Palette = []string{"#0b4a8b", "#a50e0e", "#1d5e20", "#6a3d9a", "#7a4f00", "#333333"}

// dashes give line series a second, colour-free distinction.
var dashes = []string{"", "8 4", "2 3", "10 3 2 3", "4 4", "1 5"}

// Common sizes of the viewBox (user units); the SVG scales to its container.
const (
	width    = 640
	fontSize = 13
)

// esc escapes text for XML content and attributes, dropping characters XML
// 1.0 cannot carry.
func esc(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(' ')
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			// not allowed in XML 1.0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// num writes a coordinate: at most two decimals, never NaN.
func num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

// finite replaces NaN and infinities by 0.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// clip shortens a label to n runes with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// idFor makes a stable id prefix from what the chart shows when the caller
// gives none; ids must be unique on a page for aria-labelledby and patterns.
func idFor(id string, parts ...string) string {
	if id != "" {
		var b strings.Builder
		for _, r := range id {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
				b.WriteRune(r)
			}
		}
		if b.Len() > 0 {
			return "c-" + b.String()
		}
	}
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("c-%08x", h.Sum32())
}

// open starts an <svg> with its accessible name and description.
func open(b *strings.Builder, id string, w, h float64, title, desc string) {
	openSized(b, id, w, h, "100%", title, desc)
}

// openSized is open with a given width attribute (a tile has a fixed size).
func openSized(b *strings.Builder, id string, w, h float64, wattr, title, desc string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %s %s" width="%s" preserveAspectRatio="xMinYMin meet" aria-labelledby="%s-t %s-d" font-family="'Noto Sans', 'Liberation Sans', Arial, sans-serif" font-size="%d">`,
		num(w), num(h), wattr, id, id, fontSize)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
}

// NoData draws the empty state: a framed message, still a named image.
func NoData(id, title, message string) template.HTML {
	id = idFor(id, title, message)
	var b strings.Builder
	open(&b, id, width, 80, title, message)
	fmt.Fprintf(&b, `<rect x="0.5" y="0.5" width="%d" height="79" fill="#ffffff" stroke="%s" stroke-dasharray="4 4"/>`, width-1, Muted)
	fmt.Fprintf(&b, `<text x="%d" y="45" text-anchor="middle" fill="%s">%s</text></svg>`, width/2, Ink, esc(message))
	return template.HTML(b.String())
}

// scale maps a domain [lo, hi] onto [a, b].
type scale struct{ lo, hi, a, b float64 }

func (s scale) at(v float64) float64 {
	if s.hi == s.lo {
		return s.a
	}
	return s.a + (finite(v)-s.lo)/(s.hi-s.lo)*(s.b-s.a)
}

// niceStep returns a round tick step giving about n ticks over span.
func niceStep(span float64, n int) float64 {
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(max(n, 1))
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// domain widens [lo, hi] to include 0 and round ends; ticks lists the ticks.
func domain(lo, hi float64, n int) (float64, float64, []float64) {
	lo, hi = math.Min(0, finite(lo)), math.Max(0, finite(hi))
	if lo == hi {
		hi = lo + 1
	}
	step := niceStep(hi-lo, n)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	var ticks []float64
	for i := 0; i <= 50; i++ {
		t := lo + float64(i)*step
		if t > hi+step/1e6 {
			break
		}
		ticks = append(ticks, t)
	}
	return lo, hi, ticks
}
