package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const sampleDef = `{
 "sections": [{"key":"highlights","title":{"vi":"Kết quả nổi bật","en":"Highlights"}}],
 "indicators": [
  {"code":"cases_received","name":{"vi":"Số vụ việc tiếp nhận"},"type":"integer","required":true,"min":0},
  {"code":"cases_resolved_on_time","name":{"vi":"Giải quyết đúng hạn"},"type":"integer","min":0},
  {"code":"participants","name":{"vi":"Người tham gia"},"type":"integer","min":0,
   "disaggregation":{"key":"gender","categories":[{"key":"male","name":{"vi":"Nam"}},{"key":"female","name":{"vi":"Nữ"}}]}},
  {"code":"satisfaction_pct","name":{"vi":"Mức hài lòng"},"type":"percent","aggregation":"wavg","weight_code":"cases_received"},
  {"code":"rating","name":{"vi":"Xếp loại"},"type":"choice","choices":["tốt","khá"]},
  {"code":"note","name":{"vi":"Ghi chú"},"type":"text"}
 ],
 "rules": [{"left":"cases_resolved_on_time","op":"<=","right":"cases_received"}]
}`

func mustDef(t testing.TB) Definition {
	t.Helper()
	d, err := ParseDefinition([]byte(sampleDef))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseDefinition(t *testing.T) {
	d := mustDef(t)
	if in, _ := d.Indicator("cases_received"); in.Aggregation != AggSum {
		t.Errorf("default aggregation = %q", in.Aggregation)
	}
	if in, _ := d.Indicator("note"); in.Aggregation != AggNone {
		t.Errorf("text aggregation = %q", in.Aggregation)
	}
	cases := []struct {
		name, json string
		want       []Problem
	}{
		{"not json", `{`, []Problem{{"", ProbJSON}}},
		{"unknown field", `{"sections":[],"indicators":[],"extra":1}`, []Problem{{"", ProbJSON}}},
		{"empty", `{"sections":[],"indicators":[]}`, []Problem{{"", ProbNoIndicators}}},
		{"bad code", `{"indicators":[{"code":"Bad Code","name":{"vi":"x"},"type":"integer"}]}`, []Problem{{"indicators[0].code", ProbBadKey}}},
		{"duplicate", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"integer"},{"code":"a","name":{"vi":"y"},"type":"integer"}]}`, []Problem{{"indicators[1].code", ProbDuplicate}}},
		{"no vi name", `{"indicators":[{"code":"a","name":{"en":"x"},"type":"integer"}]}`, []Problem{{"indicators[0].name.vi", ProbRequired}}},
		{"bad type", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"float"}]}`, []Problem{{"indicators[0].type", ProbBadType}}},
		{"choice without choices", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"choice"}]}`, []Problem{{"indicators[0].choices", ProbNoChoices}}},
		{"min>max", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"integer","min":5,"max":1}]}`, []Problem{{"indicators[0].min", ProbMinMax}}},
		{"sum text", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"text","aggregation":"sum"}]}`, []Problem{{"indicators[0].aggregation", ProbAggText}}},
		{"wavg no weight", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"percent","aggregation":"wavg"}]}`, []Problem{{"indicators[0].weight_code", ProbWeight}}},
		{"rule unknown", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"integer"}],"rules":[{"left":"a","op":"=<","right":"b"}]}`, []Problem{{"rules[0].right", ProbUnknownCode}, {"rules[0].op", ProbBadOp}}},
		{"rule constant", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"integer"}],"rules":[{"left":"a","op":"<=","right":"100"}]}`, nil},
		{"bad category", `{"indicators":[{"code":"a","name":{"vi":"x"},"type":"integer","disaggregation":{"key":"gender","categories":[{"key":"M","name":{"vi":"Nam"}}]}}]}`, []Problem{{"indicators[0].disaggregation.categories[0].key", ProbBadKey}}},
		{"section dup", `{"sections":[{"key":"a","title":{"vi":"A"}},{"key":"a","title":{"vi":"B"}}]}`, []Problem{{"sections[1].key", ProbDuplicate}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDefinition([]byte(c.json))
			var de *DefinitionError
			if c.want == nil {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if !errors.As(err, &de) || !errors.Is(err, ErrDefinition) {
				t.Fatalf("err = %v", err)
			}
			if len(de.Problems) != len(c.want) {
				t.Fatalf("problems = %v, want %v", de.Problems, c.want)
			}
			for i := range c.want {
				if de.Problems[i] != c.want[i] {
					t.Errorf("problem %d = %v, want %v", i, de.Problems[i], c.want[i])
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	d := mustDef(t)
	cases := []struct {
		name string
		v    Values
		want FieldErrors
	}{
		{"ok", Values{"cases_received": "10", "cases_resolved_on_time": "8"}, nil},
		{"required", Values{}, FieldErrors{"cases_received": MsgRequired}},
		{"not integer", Values{"cases_received": "1,5"}, FieldErrors{"cases_received": MsgNotInteger}},
		{"not number", Values{"cases_received": "mười"}, FieldErrors{"cases_received": MsgNotNumber}},
		{"below min", Values{"cases_received": "-1"}, FieldErrors{"cases_received": MsgBelowMin}},
		{"percent", Values{"cases_received": "1", "satisfaction_pct": "101"}, FieldErrors{"satisfaction_pct": MsgPercent}},
		{"decimal comma percent", Values{"cases_received": "1", "satisfaction_pct": "95,5"}, nil},
		{"choice", Values{"cases_received": "1", "rating": "xuất sắc"}, FieldErrors{"rating": MsgBadChoice}},
		{"rule", Values{"cases_received": "5", "cases_resolved_on_time": "6"}, FieldErrors{"cases_resolved_on_time": MsgRule}},
		{"disagg sum", Values{"cases_received": "1", "participants": "10", "participants.male": "4", "participants.female": "5"}, FieldErrors{"participants": MsgDisaggSum}},
		{"disagg consistent", Values{"cases_received": "1", "participants": "9", "participants.male": "4", "participants.female": "5"}, nil},
		{"disagg partial", Values{"cases_received": "1", "participants": "10", "participants.male": "4"}, nil},
		{"disagg bad cell", Values{"cases_received": "1", "participants.female": "x"}, FieldErrors{"participants.female": MsgNotNumber}},
		{"unknown", Values{"cases_received": "1", "nope": "1"}, FieldErrors{"nope": MsgUnknown}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Validate(d, c.v)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestImportCSVErrors(t *testing.T) {
	d := mustDef(t)
	good := "indicator_code,category,value\ncases_received,,12\nparticipants,female,3\n"
	v, err := ImportFile(d, "v.csv", []byte(good))
	if err != nil || v["cases_received"] != "12" || v["participants.female"] != "3" {
		t.Fatalf("good import: %v %v", v, err)
	}
	// Semicolons and a BOM, as Excel writes them.
	if v, err := ImportFile(d, "v.csv", []byte("\ufeffvalue;indicator_code\n7;cases_received\n")); err != nil || v["cases_received"] != "7" {
		t.Fatalf("semicolon import: %v %v", v, err)
	}
	bad := "indicator_code,category,value\ncases_received,,abc\nnope,,1\nparticipants,other,2\ncases_received,,3\nrating,,tốt\n"
	_, err = ImportFile(d, "v.csv", []byte(bad))
	var ie ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	want := []ImportError{
		{2, 3, "value", MsgNotNumber},
		{3, 1, "indicator_code", ImpUnknownCode},
		{4, 2, "category", ImpUnknownCat},
		{5, 1, "indicator_code", ImpDuplicate},
	}
	if len(ie) != len(want) {
		t.Fatalf("errors = %v", ie)
	}
	for i := range want {
		if ie[i] != want[i] {
			t.Errorf("error %d = %+v, want %+v", i, ie[i], want[i])
		}
	}
	_, err = ImportFile(d, "v.csv", []byte("code,value\n"))
	if !errors.As(err, &ie) || len(ie) != 2 || ie[0].Key != ImpUnknownCol || ie[1].Key != ImpNoHeader {
		t.Fatalf("header errors = %v", err)
	}
}

func TestImportXLSX(t *testing.T) {
	d := mustDef(t)
	f := excelize.NewFile()
	rows := [][]any{{"indicator_code", "category", "value"}, {"cases_received", "", 9}, {"satisfaction_pct", "", "x"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ImportFile(d, "v.xlsx", buf.Bytes())
	var ie ImportErrors
	if !errors.As(err, &ie) || len(ie) != 1 || ie[0].Line != 3 || ie[0].Column != 3 {
		t.Fatalf("xlsx errors = %v", err)
	}
	if _, err := ImportFile(d, "v.xlsx", []byte("PK\x03\x04garbage")); err == nil {
		t.Fatal("garbage xlsx accepted")
	}
}

func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(sampleDef))
	f.Add([]byte(`{"indicators":[{"code":"a","name":{"vi":"x"},"type":"integer"}]}`))
	f.Add([]byte(`{"sections":[{"key":"a","title":{"vi":"A"}}],"rules":[{"left":"a","op":"<","right":"1"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDefinition(b)
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) || len(de.Problems) == 0 {
				t.Fatalf("error without problems: %v", err)
			}
			return
		}
		// A valid definition survives a round trip and validates any values.
		d2, err := ParseDefinition(d.JSON())
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		_ = Validate(d2, Values{"a": "1", "x.y": "z"})
	})
}

func FuzzImportCSV(f *testing.F) {
	d := mustDef(f)
	f.Add([]byte("indicator_code,category,value\ncases_received,,12\n"))
	f.Add([]byte("value;indicator_code\n\"1\n2\";x\n"))
	f.Add([]byte("indicator_code,category,value\nparticipants,male,1.5\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ImportFile(d, "f.csv", b)
		if err != nil {
			var ie ImportErrors
			if !errors.As(err, &ie) || len(ie) == 0 {
				t.Fatalf("error is not ImportErrors: %v", err)
			}
			return
		}
		for k, s := range v {
			code, _ := SplitKey(k)
			if _, ok := d.Indicator(code); !ok {
				t.Fatalf("imported unknown %q", k)
			}
			if strings.ContainsRune(s, 0) {
				t.Fatalf("NUL imported")
			}
		}
	})
}
