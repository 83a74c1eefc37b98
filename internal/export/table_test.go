package export

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func sampleTable() Table {
	return Table{
		Sheet: "Chỉ tiêu: tháng 11/2026",
		Title: []string{"Ban Tuyên giáo và Dân vận Tỉnh ủy", "BÁO CÁO công tác dân vận tháng 11 năm 2026"},
		Columns: []Column{
			{Title: "TT", Kind: KindInteger}, {Title: "Chỉ tiêu", Width: 50}, {Title: "Kết quả", Kind: KindDecimal},
		},
		Rows: [][]Cell{
			{Num(1), Text("Số cuộc đối thoại của người đứng đầu cấp ủy"), Num(1234)},
			{Num(2), Text("Tỷ lệ vụ việc giải quyết đúng hạn"), Num(87.5)},
			{Num(3), Text("=HYPERLINK(\"http://x\")"), Text("-2+3")},
			{Num(4), Text("Ghi chú, có \"ngoặc kép\"\nvà xuống dòng"), Text("@SUM(A1)")},
		},
	}
}

func TestXLSXReadBack(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sampleTable(), Table{Sheet: "Chỉ tiêu: tháng 11/2026", Columns: []Column{{Title: "Đơn vị"}}, Rows: [][]Cell{{Text("Xã Đông Hoàng")}}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Chỉ tiêu  tháng 11 2026" || sheets[1] != "Chỉ tiêu  tháng 11 2026 (2)" {
		t.Fatalf("sheets = %q", sheets)
	}
	s := sheets[0]
	get := func(cell string) string {
		v, err := f.GetCellValue(s, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := get("A1"); got != "Ban Tuyên giáo và Dân vận Tỉnh ủy" {
		t.Errorf("A1 = %q", got)
	}
	if got := get("A2"); got != "BÁO CÁO công tác dân vận tháng 11 năm 2026" {
		t.Errorf("A2 = %q", got)
	}
	// Header on row 4 (title, title, blank), bold.
	if got := get("B4"); got != "Chỉ tiêu" {
		t.Errorf("B4 = %q", got)
	}
	st, _ := f.GetCellStyle(s, "B4")
	style, err := f.GetStyle(st)
	if err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header not bold: %+v %v", style, err)
	}
	if got := get("B5"); got != "Số cuộc đối thoại của người đứng đầu cấp ủy" {
		t.Errorf("B5 = %q", got)
	}
	// Numbers are numbers, text that looks like a formula stays text.
	for cell, want := range map[string]excelize.CellType{"C5": excelize.CellTypeNumber, "C6": excelize.CellTypeNumber, "A5": excelize.CellTypeNumber} {
		typ, err := f.GetCellType(s, cell)
		if err != nil {
			t.Fatal(err)
		}
		// excelize reports numbers written with SetCellFloat as unset (a plain <v>).
		if typ != want && typ != excelize.CellTypeUnset {
			t.Errorf("%s type %v, want a number", cell, typ)
		}
	}
	raw, _ := f.GetCellValue(s, "C5", excelize.Options{RawCellValue: true})
	if raw != "1234" {
		t.Errorf("C5 raw = %q, want 1234", raw)
	}
	raw, _ = f.GetCellValue(s, "C6", excelize.Options{RawCellValue: true})
	if raw != "87.5" {
		t.Errorf("C6 raw = %q, want 87.5", raw)
	}
	if formula, _ := f.GetCellFormula(s, "B7"); formula != "" {
		t.Errorf("B7 became a formula %q", formula)
	}
	if got := get("B7"); got != "=HYPERLINK(\"http://x\")" {
		t.Errorf("B7 = %q", got)
	}
	if w, _ := f.GetColWidth(s, "B"); w != 50 {
		t.Errorf("column B width %v, want 50", w)
	}
}

func TestCSVReadBack(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sampleTable()); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"TT", "Chỉ tiêu", "Kết quả"},
		{"1", "Số cuộc đối thoại của người đứng đầu cấp ủy", "1234"},
		{"2", "Tỷ lệ vụ việc giải quyết đúng hạn", "87.5"},
		{"3", "'=HYPERLINK(\"http://x\")", "'-2+3"},
		{"4", "Ghi chú, có \"ngoặc kép\"\r\nvà xuống dòng", "'@SUM(A1)"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		for j := range want[i] {
			// encoding/csv keeps \r\n inside quotes as written by UseCRLF; accept \n too.
			got := strings.ReplaceAll(recs[i][j], "\r\n", "\n")
			if got != strings.ReplaceAll(want[i][j], "\r\n", "\n") {
				t.Errorf("record %d field %d = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+84 912": "'+84 912", "-x": "'-x", "@a": "'@a", "\tx": "'\tx", "a=b": "a=b", "": "", "Đà Nẵng": "Đà Nẵng"} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzCSV(f *testing.F) {
	f.Add("=cmd|' /C calc'!A0", "Thanh Hóa")
	f.Add("a\"b\r\nc", "-1")
	f.Fuzz(func(t *testing.T, a, b string) {
		var buf bytes.Buffer
		tb := Table{Columns: []Column{{Title: "a"}, {Title: "b"}}, Rows: [][]Cell{{Text(a), Text(b)}}}
		if err := WriteCSV(&buf, tb); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("read back: %v %q", err, recs)
		}
		for _, v := range recs[1] {
			if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
				t.Fatalf("cell %q starts with a formula character", v)
			}
		}
	})
}

func FuzzQueryFrom(f *testing.F) {
	f.Add("template=1&unit=2&type=monthly&year=2025&number=3&mapped=1&abbrev=BTGDVTU")
	f.Add("template=-1&unit=x&year=99999&number=0&type=weekly&abbrev=%3C")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if got, err := QueryFrom(q); err == nil {
			if got.TemplateID < 1 || got.UnitID < 1 || got.Year < 1900 || got.Year > 9999 || got.Number < 1 || got.Number > 12 {
				t.Fatalf("accepted %+v from %q", got, raw)
			}
			if got.Type != "" && got.Number > got.Type.PerYear() {
				t.Fatalf("accepted number %d for %s", got.Number, got.Type)
			}
		}
		if o, err := OptionsFrom(q); err == nil && o.Abbrev != "" && !ValidAbbrev(o.Abbrev) {
			t.Fatalf("accepted abbreviation %q", o.Abbrev)
		}
	})
}
