package org

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseCSVFormats(t *testing.T) {
	tests := []struct {
		name, file string
		opt        ImportOptions
		rows       int
		first      ImportRow
	}{
		{"national, one province", "../demo/data/vn-communes-2025-07-01.csv", ImportOptions{ValidFrom: "2025-07-01", Province: "38"}, 166,
			ImportRow{Line: 0, Code: "14758", Name: "Phường Hàm Rồng", Kind: KindWard, ParentCode: "P38", ValidFrom: "2025-07-01"}},
		{"national, all", "../demo/data/vn-communes-2025-07-01.csv", ImportOptions{ValidFrom: "2025-07-01"}, 3321, ImportRow{}},
		{"provinces", "../demo/data/vn-provinces-2025-07-01.csv", ImportOptions{ValidFrom: "2025-07-01"}, 34, ImportRow{}},
		// 26 district-level units + 549 communes.
		{"districts", "../demo/data/thanhhoa-units-2025-03-01.csv", ImportOptions{ValidFrom: "2000-01-01", ValidTo: "2025-06-30"}, 26 + 549,
			ImportRow{Code: "D380", Name: "Thành phố Thanh Hóa", Kind: KindCity, ValidFrom: "2000-01-01", ValidTo: "2025-06-30"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := ParseCSV(f, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(rows), tc.rows)
			}
			if tc.first.Name != "" {
				got := rows[0]
				got.Line = 0
				tc.first.Line = 0
				if got != tc.first {
					t.Fatalf("first row %+v, want %+v", got, tc.first)
				}
			}
		})
	}
}

func TestParseCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opt      ImportOptions
		want     []string // substrings of line errors, in order
	}{
		{"empty", "", ImportOptions{}, []string{"line 1: the file is empty"}},
		{"unknown header", "a,b\n1,2\n", ImportOptions{}, []string{"line 1: unrecognised header"}},
		{"bad rows", "code,name,kind,parent_code,valid_from,valid_to,remote\n" +
			"1,,commune,,2025-07-01,,\n" +
			"2,Xã A,village,,2025-07-01,,\n" +
			"3,Xã B,commune,,2025-13-01,,\n" +
			"4,Xã C,commune,,2025-07-01,2025-01-01,\n" +
			"5,Xã D,commune,,2025-07-01,,maybe\n" +
			"6,Xã E,commune\n" +
			"7,Xã F,commune,,2025-07-01,,\n" +
			"7,Xã G,commune,,2025-07-01,,\n", ImportOptions{},
			[]string{"line 2, column name", "line 3, column kind", "line 4, column valid_from", "line 5, column valid_to", "line 6, column remote", "line 7: has 3 fields", "line 9, column code: code 7 repeats line 8"}},
		{"no date anywhere", "province_code,name\n01,Hà Nội\n", ImportOptions{}, []string{"line 2, column valid_from"}},
		{"control characters and far dates", "code,name,kind,parent_code,valid_from,valid_to,remote\n" +
			"1,Xã \x00A,commune,,2025-07-01,,\n" +
			"2\x1b,Xã B,commune,,2025-07-01,,\n" +
			"3,Xã C,commune,,1899-12-31,,\n" +
			"4,Xã D,commune,,2025-07-01,2101-01-01,\n" +
			"5,\"Xã\tE\",commune,,2025-07-01,,\n", ImportOptions{},
			[]string{"line 2, column name: contains a control character", "line 3, column code", "line 4, column valid_from", "line 5, column valid_to", "line 6, column name"}},
		{"bad utf8", "province_code,name\n01,H\xe0 N\xf4i\n", ImportOptions{ValidFrom: "2025-07-01"}, []string{"line 2: not valid UTF-8"}},
		{"bad quote", "province_code,name\n01,\"Hà\"Nội\n", ImportOptions{ValidFrom: "2025-07-01"}, []string{"line 2:"}},
		{"unknown type", "province_code,commune_code,name,type\n38,1,Làng,Thôn\n", ImportOptions{ValidFrom: "2025-07-01"}, []string{"line 2, column type"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ParseCSV(strings.NewReader(tc.in), tc.opt)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (rows %d), want *ImportError", err, len(rows))
			}
			if rows != nil {
				t.Fatal("rows returned along with errors")
			}
			if len(ie.Lines) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(ie.Lines), len(tc.want), ie)
			}
			for i, w := range tc.want {
				if !strings.Contains(ie.Lines[i].Error(), w) {
					t.Errorf("error %d = %q, want it to contain %q", i, ie.Lines[i].Error(), w)
				}
			}
		})
	}
}

func TestBOMAndVietnameseKinds(t *testing.T) {
	in := "\xef\xbb\xbfcode,name,kind,parent_code,valid_from,valid_to,remote\r\nX1,Đặc khu Hòn Mê,Đặc khu,,2025-07-01,,có\r\n"
	rows, err := ParseCSV(strings.NewReader(in), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Kind != KindSpecialZone || !rows[0].Remote || rows[0].Name != "Đặc khu Hòn Mê" {
		t.Fatalf("%+v", rows[0])
	}
}

func TestParseMergesJSON(t *testing.T) {
	f, err := os.Open("../demo/data/thanhhoa-merges-2025-07-01.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, err := ParseMergesJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 166 {
		t.Fatalf("%d merges, want 166", len(ms))
	}
	// The corrected mapping: Phường Phú Sơn (14770) of Thành phố Thanh Hóa
	// goes whole to Phường Hạc Thành, and nowhere else (a name collision with
	// the Phú Sơn units of Bỉm Sơn and Nghi Sơn had listed it under two more).
	var into []string
	for _, m := range ms {
		for _, from := range m.From {
			if from.OldCode == "14770" {
				into = append(into, m.NewName+"/"+from.Portion)
			}
		}
	}
	if len(into) != 1 || into[0] != "Phường Hạc Thành/full" {
		t.Fatalf("Phường Phú Sơn (14770) goes to %v, want [Phường Hạc Thành/full]", into)
	}
	if _, err := ParseMergesJSON(strings.NewReader(`{"province":{"level2s":[{"level2_id":"1","merges":[{"old_id":"2","type":"half"}]}]}}`)); err == nil {
		t.Fatal("bad portion accepted")
	}
	if _, err := ParseMergesJSON(strings.NewReader(`{"province":`)); err == nil {
		t.Fatal("truncated JSON accepted")
	}
}

// FuzzParseCSV: any input yields rows or an *ImportError, never a panic,
// and every row returned is valid.
func FuzzParseCSV(f *testing.F) {
	f.Add("code,name,kind,parent_code,valid_from,valid_to,remote\n1,Xã A,commune,,2025-07-01,,\n")
	f.Add("province_code,commune_code,name,type\n38,14758,Phường Hàm Rồng,Phường\n")
	f.Add("district_code,district_name,district_type,commune_code,commune_name,commune_type\n380,Thành phố Thanh Hóa,Thành phố,14755,Phường Hàm Rồng,Phường\n")
	f.Add("province_code,name\n\"01\",\"Hà\nNội\"\n")
	f.Add("\xef\xbb\xbf")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseCSV(strings.NewReader(in), ImportOptions{ValidFrom: "2025-07-01"})
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Lines) == 0 {
				t.Fatalf("error is not a line report: %v", err)
			}
			return
		}
		for _, r := range rows {
			u := Unit{Name: r.Name, Kind: r.Kind, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo}
			if err := u.Validate(); err != nil {
				t.Fatalf("invalid row returned: %+v: %v", r, err)
			}
		}
	})
}
