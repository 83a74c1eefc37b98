package chart

import (
	"encoding/xml"
	"flag"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// wellFormed parses out as XML and returns its character data and the
// attributes of the root element.
func wellFormed(t *testing.T, out template.HTML) (string, map[string]string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	var text strings.Builder
	root := map[string]string{}
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if x.Name.Local != "svg" {
					t.Fatalf("root is <%s>, want <svg>", x.Name.Local)
				}
				for _, a := range x.Attr {
					root[a.Name.Local] = a.Value
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(x)
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced elements")
	}
	if root["role"] != "img" || root["viewBox"] == "" || root["aria-labelledby"] == "" {
		t.Fatalf("root attributes %v: want role=img, viewBox, aria-labelledby", root)
	}
	for _, bad := range []string{"NaN", "Inf"} {
		if strings.Contains(string(out), `="`+bad) || strings.Contains(string(out), ` `+bad+`,`) {
			t.Fatalf("%s in coordinates:\n%s", bad, out)
		}
	}
	return text.String(), root
}

// vi formats like i18n's Vietnamese Decimal with one digit: "1.234,5".
func vi(f float64) string {
	s := DefaultFormat(f)
	intPart, frac, ok := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if ok {
		out += "," + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

const nasty = `Xã <Đông> & "Sơn" 'mới'`

func TestChartsAreWellFormed(t *testing.T) {
	tests := []struct {
		name string
		out  template.HTML
		want []string // in the text (title, desc, labels)
	}{
		{"bar percent", HBar(Bars{ID: "b1", Title: "Tiến độ", Percent: true, Unit: "%", Format: vi,
			Bars: []Bar{{Label: "Nhiệm vụ 1", Value: 45.5, Note: "trễ hạn"}, {Label: "Nhiệm vụ 2", Value: 100}}}),
			[]string{"Tiến độ", "Nhiệm vụ 1: 45,5%", "45,5% · trễ hạn", "100%"}},
		{"bar escaped label", HBar(Bars{Title: nasty, Bars: []Bar{{Label: nasty, Value: 1}}}),
			[]string{nasty}},
		{"bar zero", HBar(Bars{Title: "z", Bars: []Bar{{Label: "a", Value: 0}, {Label: "b", Value: 0}}}),
			[]string{"a: 0"}},
		{"bar negative", HBar(Bars{Title: "n", Bars: []Bar{{Label: "a", Value: -40}, {Label: "b", Value: 10}}, Format: vi}),
			[]string{"a: -40"}},
		{"bar huge", HBar(Bars{Title: "h", Bars: []Bar{{Label: "a", Value: 1234567890123}, {Label: "b", Value: 1}}, Format: vi}),
			[]string{"1.234.567.890.123"}},
		{"bar NaN", HBar(Bars{Title: "nan", Bars: []Bar{{Label: "a", Value: math.NaN()}, {Label: "b", Value: math.Inf(1)}}}),
			[]string{"nan"}},
		{"bar target over 100", HBar(Bars{Title: "t", Percent: true, Unit: "%", Bars: []Bar{{Label: "a", Value: 120}}, HasTarget: true, Target: 80, TargetLabel: "Mục tiêu"}),
			[]string{"Mục tiêu: 80%", "120%"}},
		{"bar empty", HBar(Bars{Title: "Trống", NoData: "Chưa có dữ liệu"}), []string{"Trống", "Chưa có dữ liệu"}},
		{"stacked", StackedBar(Stacked{ID: "s", Title: "Báo cáo", Format: vi, TotalLabel: "tổng",
			Parts:  []Part{{Name: "Đúng hạn"}, {Name: "Trễ hạn"}, {Name: "Chưa nộp"}, {Name: "Chưa đến hạn"}},
			Stacks: []Stack{{Label: "T1/2026", Values: []float64{10, 2, 3, 0}}, {Label: "T2/2026", Values: []float64{0, 0, 0, 5}}, {Label: "T3", Values: []float64{-2}}}}),
			[]string{"Đúng hạn", "T1/2026: Đúng hạn 10, Trễ hạn 2, Chưa nộp 3, Chưa đến hạn 0, tổng 15", "tổng 15"}},
		{"stacked escaped", StackedBar(Stacked{Title: nasty, Parts: []Part{{Name: nasty}}, Stacks: []Stack{{Label: nasty, Values: []float64{1e15}}}}),
			[]string{nasty}},
		{"stacked empty", StackedBar(Stacked{Title: "x", NoData: "không có"}), []string{"không có"}},
		{"stacked all zero", StackedBar(Stacked{Title: "x", Parts: []Part{{Name: "a"}}, Stacks: []Stack{{Label: "p", Values: []float64{0}}}}), []string{"p: a 0"}},
		{"line", Line(Lines{ID: "l", Title: "Xu hướng", Format: vi, Labels: []string{"T1", "T2", "T3"},
			Series: []Series{{Name: "Tiếp công dân", Values: []float64{1200.5, math.NaN(), 1500}}, {Name: "Đối thoại", Values: []float64{-3, 4}}}}),
			[]string{"Tiếp công dân: T1 1.200,5, T2 –, T3 1.500.", "Đối thoại: T1 -3, T2 4, T3 –."}},
		{"line one point", Line(Lines{Title: "one", Labels: []string{"T1"}, Series: []Series{{Name: "a", Values: []float64{7}}}}), []string{"a: T1 7."}},
		{"line escaped", Line(Lines{Title: nasty, Labels: []string{nasty}, Series: []Series{{Name: nasty, Values: []float64{1}}}}), []string{nasty}},
		{"line empty", Line(Lines{Title: "x", NoData: "trống", Labels: []string{"T1"}, Series: []Series{{Name: "a", Values: []float64{math.NaN()}}}}), []string{"trống"}},
		{"line huge", Line(Lines{Title: "x", Labels: []string{"a", "b"}, Series: []Series{{Name: "a", Values: []float64{1e18, 0}}}}), []string{"a: a 1000000000000000000"}},
		{"ring", ProgressRing(Ring{Label: "Tiến độ", Percent: 42.25, Format: vi, Note: "12/15"}), []string{"Tiến độ: 42,3% (12/15)"}},
		{"ring over", ProgressRing(Ring{Label: "x", Percent: 150}), []string{"150%"}},
		{"ring nan", ProgressRing(Ring{Label: nasty, Percent: math.NaN()}), []string{nasty + ": –"}},
		{"control chars", HBar(Bars{Title: "a\x00b\x1fc", Bars: []Bar{{Label: "x\x07y", Value: 1}}}), []string{"abc", "xy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, _ := wellFormed(t, tt.out)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(string(tt.out), "<Đông>") || strings.Contains(string(tt.out), `"Sơn"`) {
				t.Errorf("label not escaped:\n%s", tt.out)
			}
		})
	}
}

func TestEveryBarHasItsValueAsText(t *testing.T) {
	out := HBar(Bars{Title: "t", Bars: []Bar{{Label: "a", Value: 1}, {Label: "b", Value: 22}, {Label: "c", Value: 333}}})
	for _, v := range []string{">1<", ">22<", ">333<"} {
		if !strings.Contains(string(out), v) {
			t.Errorf("no text value %s", v)
		}
	}
	if n := strings.Count(string(out), "<rect"); n != 3 {
		t.Errorf("%d bars, want 3", n)
	}
}

func TestLineLabelsSlantWhenCrowded(t *testing.T) {
	var labels []string
	var vals []float64
	for i := 1; i <= 12; i++ {
		labels = append(labels, "Tháng "+DefaultFormat(float64(i))+"/2026")
		vals = append(vals, float64(i*i))
	}
	out := Line(Lines{Title: "t", Labels: labels, Series: []Series{{Name: "a", Values: vals}}})
	wellFormed(t, out)
	if !strings.Contains(string(out), "rotate(-35") || !strings.Contains(string(out), ">Tháng 12/2026<") {
		t.Errorf("twelve long labels should slant, whole:\n%s", out)
	}
	out = Line(Lines{Title: "t", Labels: []string{"T1", "T2"}, Series: []Series{{Name: "a", Values: []float64{1, 2}}}})
	if strings.Contains(string(out), "rotate(") {
		t.Error("two short labels should not slant")
	}
}

func TestIDsAreUniquePerChart(t *testing.T) {
	a := StackedBar(Stacked{ID: "one", Title: "x", Parts: []Part{{Name: "a"}, {Name: "b"}}, Stacks: []Stack{{Label: "p", Values: []float64{1, 1}}}})
	b := StackedBar(Stacked{ID: "two", Title: "x", Parts: []Part{{Name: "a"}, {Name: "b"}}, Stacks: []Stack{{Label: "p", Values: []float64{1, 1}}}})
	if !strings.Contains(string(a), `id="c-one-p1"`) || !strings.Contains(string(b), `id="c-two-p1"`) {
		t.Fatal("pattern ids do not follow the chart id")
	}
	c := HBar(Bars{ID: `bad" onload="x`, Title: "x", Bars: []Bar{{Label: "a", Value: 1}}})
	if strings.Contains(string(c), "onload=") {
		t.Fatalf("id not sanitised: %s", c)
	}
}

func TestNiceDomain(t *testing.T) {
	tests := []struct {
		lo, hi     float64
		wantLo     float64
		wantHi     float64
		wantTicksN int
	}{
		{0, 0, 0, 1, 5},
		{0, 97, 0, 100, 5},
		{-40, 10, -40, 20, 4},
		{0, 1.2e12, 0, 1.5e12, 4},
	}
	for _, tt := range tests {
		lo, hi, ticks := domain(tt.lo, tt.hi, 4)
		if lo != tt.wantLo || hi != tt.wantHi || len(ticks) != tt.wantTicksN {
			t.Errorf("domain(%v, %v) = %v, %v, %v; want %v, %v, %d ticks", tt.lo, tt.hi, lo, hi, ticks, tt.wantLo, tt.wantHi, tt.wantTicksN)
		}
	}
}

func TestGoldenBar(t *testing.T) {
	out := HBar(Bars{ID: "golden", Title: "Tiến độ theo nhiệm vụ", Desc: "Chỉ thị 1470-CV/TU.", Percent: true, Unit: "%", Format: vi,
		HasTarget: true, Target: 80, TargetLabel: "Mục tiêu",
		Bars: []Bar{{Label: "1. Quán triệt", Value: 92.5}, {Label: "2. Cụ thể hóa", Value: 40, Note: "có nguy cơ"}, {Label: "3. Cải cách hành chính", Value: 0, Note: "chưa bắt đầu"}}})
	wellFormed(t, out)
	path := filepath.Join("testdata", "bar.golden.svg")
	if *update {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/chart -update)", err)
	}
	if string(want) != string(out) {
		t.Errorf("bar chart differs from %s (rerun with -update if intended):\n%s", path, out)
	}
}

// Whatever the labels and numbers, every chart stays well-formed XML.
func FuzzCharts(f *testing.F) {
	f.Add("Xã Đông Sơn", 12.5, -3.0, "T1")
	f.Add(nasty, math.Inf(1), math.NaN(), "\x00\uFFFE")
	f.Add("", 0.0, 1e300, "]]><!--")
	f.Fuzz(func(t *testing.T, label string, a, b float64, period string) {
		for _, out := range []template.HTML{
			HBar(Bars{ID: label, Title: label, Desc: period, Bars: []Bar{{Label: label, Value: a, Note: period}, {Label: period, Value: b}}, HasTarget: true, Target: b, TargetLabel: label}),
			StackedBar(Stacked{Title: label, Parts: []Part{{Name: label}, {Name: period}}, Stacks: []Stack{{Label: period, Values: []float64{a, b}}}}),
			Line(Lines{Title: period, Labels: []string{label, period}, Series: []Series{{Name: label, Values: []float64{a, b}}}}),
			ProgressRing(Ring{Label: label, Percent: a, Note: period}),
			NoData(label, label, period),
		} {
			dec := xml.NewDecoder(strings.NewReader(string(out)))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed: %v\n%s", err, out)
				}
			}
		}
	})
}
