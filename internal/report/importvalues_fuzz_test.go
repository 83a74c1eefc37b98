package report

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzImportXLSX feeds workbooks (valid ones, damaged ones, anything) to the
// value importer: it answers values of known indicators or ImportErrors,
// never a panic or another error.
func FuzzImportXLSX(f *testing.F) {
	d := mustDef(f)
	for _, rows := range [][][]any{
		{{"indicator_code", "category", "value"}, {"cases_received", "", 9}},
		{{"value", "indicator_code"}, {"1,5", "participants"}, {"x", "nope"}},
		{{"indicator_code"}},
	} {
		x := excelize.NewFile()
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
				f.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ImportFile(d, "f.xlsx", b)
		if err != nil {
			var ie ImportErrors
			if !errors.As(err, &ie) || len(ie) == 0 {
				t.Fatalf("error is not ImportErrors: %v", err)
			}
			return
		}
		for k := range v {
			code, _ := SplitKey(k)
			if _, ok := d.Indicator(code); !ok {
				t.Fatalf("imported unknown %q", k)
			}
		}
	})
}
