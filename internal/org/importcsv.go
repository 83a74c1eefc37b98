package org

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ImportRow is one unit read from a file, with its parent named by code.
type ImportRow struct {
	Line       int
	Code       string
	Name       string
	Kind       Kind
	ParentCode string
	ValidFrom  string
	ValidTo    string
	Remote     bool
}

// LineError says which line of a file is wrong and how.
type LineError struct {
	Line   int
	Column string
	Msg    string
	// Key and Args are the message for a catalog ("units.line.…"), for
	// doors that translate; Msg is the English text.
	Key  string
	Args []any
}

func (e LineError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// ImportError gathers every problem in a file; nothing is imported when any.
type ImportError struct{ Lines []LineError }

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the file, nothing imported:", len(e.Lines))
	for i, l := range e.Lines {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Lines)-20)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(l.Error())
	}
	return b.String()
}

// ImportOptions fill what a file does not say.
type ImportOptions struct {
	ValidFrom    string // default validity start for rows without one
	ValidTo      string // default validity end
	Province     string // keep only rows of this province code (national list)
	ParentCode   string // parent for rows without one (e.g. the province unit)
	DistrictFrom string // validity start for district rows synthesised from a communes-with-districts file
}

// maxImportBytes bounds a file so a mistaken upload cannot exhaust memory.
const maxImportBytes = 32 << 20

// Formats recognised by their header:
//
//	generic:   code,name,kind,parent_code,valid_from,valid_to,remote
//	national:  province_code,commune_code,name,type            (vn-communes-2025-07-01.csv)
//	provinces: province_code,name                              (vn-provinces-2025-07-01.csv)
//	districts: district_code,district_name,district_type,commune_code,commune_name,commune_type
var (
	headerGeneric   = []string{"code", "name", "kind", "parent_code", "valid_from", "valid_to", "remote"}
	headerNational  = []string{"province_code", "commune_code", "name", "type"}
	headerProvinces = []string{"province_code", "name"}
	headerDistricts = []string{"district_code", "district_name", "district_type", "commune_code", "commune_name", "commune_type"}
)

// ParseCSV reads a unit file in one of the recognised formats. It returns
// every row or, when any line is wrong, an *ImportError listing them all.
func ParseCSV(r io.Reader, opt ImportOptions) ([]ImportRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > maxImportBytes {
		return nil, &ImportError{Lines: []LineError{{Line: 0, Msg: "file is larger than 32 MiB", Key: "units.line.too_large"}}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Excel's UTF-8 BOM
	if !utf8.Valid(data) {
		return nil, &ImportError{Lines: []LineError{{Line: firstBadLine(data), Msg: "not valid UTF-8 (save the file as CSV UTF-8)", Key: "units.line.not_utf8"}}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ImportError{Lines: []LineError{{Line: 1, Msg: "the file is empty", Key: "units.line.empty_file"}}}
	}
	if err != nil {
		return nil, &ImportError{Lines: []LineError{csvLineError(err, 1)}}
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	var format string
	switch {
	case hasPrefix(header, headerGeneric[:3]):
		format = "generic"
	case equal(header, headerNational):
		format = "national"
	case equal(header, headerProvinces):
		format = "provinces"
	case equal(header, headerDistricts):
		format = "districts"
	default:
		return nil, &ImportError{Lines: []LineError{{Line: 1, Msg: fmt.Sprintf("unrecognised header %q; expected one of: %s | %s | %s | %s",
			strings.Join(header, ","), strings.Join(headerGeneric, ","), strings.Join(headerNational, ","),
			strings.Join(headerProvinces, ","), strings.Join(headerDistricts, ",")),
			Key: "units.line.bad_header", Args: []any{strings.Join(headerGeneric, ",")}}}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var rows []ImportRow
	var errs []LineError
	seen := map[string]int{}
	districts := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvLineError(err, 0))
			if len(errs) > 1000 {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			errs = append(errs, LineError{Line: line, Msg: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(header)), Key: "units.line.field_count", Args: []any{len(rec), len(header)}})
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		add := func(row ImportRow) {
			row.Line = line
			if row.ValidFrom == "" {
				row.ValidFrom = opt.ValidFrom
			}
			if row.ValidTo == "" {
				row.ValidTo = opt.ValidTo
			}
			if row.ParentCode == "" {
				row.ParentCode = opt.ParentCode
			}
			if e := checkRow(&row); e != nil {
				errs = append(errs, *e)
				return
			}
			key := row.Code + "@" + row.ValidFrom
			if row.Code != "" {
				if prev, dup := seen[key]; dup {
					errs = append(errs, LineError{Line: line, Column: "code", Msg: fmt.Sprintf("code %s repeats line %d", row.Code, prev), Key: "units.line.code_repeats", Args: []any{row.Code, prev}})
					return
				}
				seen[key] = line
			}
			rows = append(rows, row)
		}
		switch format {
		case "generic":
			remote := false
			switch strings.ToLower(get("remote")) {
			case "", "0", "false", "no", "không":
			case "1", "true", "yes", "có":
				remote = true
			default:
				errs = append(errs, LineError{Line: line, Column: "remote", Msg: fmt.Sprintf("%q is not true/false", get("remote")), Key: "units.line.bad_remote", Args: []any{get("remote")}})
				continue
			}
			k, err := ParseKind(get("kind"))
			if err != nil {
				if kv, ok := KindFromVietnamese(get("kind")); ok {
					k, err = kv, nil
				}
			}
			if err != nil {
				errs = append(errs, LineError{Line: line, Column: "kind", Msg: err.Error(), Key: "units.line.bad_kind", Args: []any{get("kind")}})
				continue
			}
			add(ImportRow{Code: get("code"), Name: get("name"), Kind: k, ParentCode: get("parent_code"), ValidFrom: get("valid_from"), ValidTo: get("valid_to"), Remote: remote})
		case "national":
			if opt.Province != "" && get("province_code") != opt.Province {
				continue
			}
			k, ok := KindFromVietnamese(get("type"))
			if !ok {
				errs = append(errs, LineError{Line: line, Column: "type", Msg: fmt.Sprintf("unknown type %q (Xã, Phường, Đặc khu)", get("type")), Key: "units.line.bad_kind", Args: []any{get("type")}})
				continue
			}
			parent := opt.ParentCode
			if parent == "" {
				parent = "P" + get("province_code")
			}
			add(ImportRow{Code: get("commune_code"), Name: get("name"), Kind: k, ParentCode: parent})
		case "provinces":
			add(ImportRow{Code: "P" + get("province_code"), Name: get("name"), Kind: KindProvince, ParentCode: "-"})
		case "districts":
			dk, ok := KindFromVietnamese(get("district_type"))
			if !ok {
				errs = append(errs, LineError{Line: line, Column: "district_type", Msg: fmt.Sprintf("unknown type %q", get("district_type")), Key: "units.line.bad_kind", Args: []any{get("district_type")}})
				continue
			}
			ck, ok := KindFromVietnamese(get("commune_type"))
			if !ok {
				errs = append(errs, LineError{Line: line, Column: "commune_type", Msg: fmt.Sprintf("unknown type %q", get("commune_type")), Key: "units.line.bad_kind", Args: []any{get("commune_type")}})
				continue
			}
			dcode := "D" + get("district_code")
			if !districts[dcode] {
				districts[dcode] = true
				add(ImportRow{Code: dcode, Name: get("district_name"), Kind: dk})
			}
			add(ImportRow{Code: get("commune_code"), Name: get("commune_name"), Kind: ck, ParentCode: dcode})
		}
		if len(errs) > 1000 {
			break
		}
	}
	if len(errs) > 0 {
		return nil, &ImportError{Lines: errs}
	}
	if len(rows) == 0 {
		return nil, &ImportError{Lines: []LineError{{Line: 2, Msg: "no rows to import", Key: "units.line.no_rows"}}}
	}
	return rows, nil
}

func checkRow(r *ImportRow) *LineError {
	if r.Name == "" {
		return &LineError{Line: r.Line, Column: "name", Msg: "name is empty", Key: "units.line.name_empty"}
	}
	if len(r.Name) > 300 || len(r.Code) > 40 {
		return &LineError{Line: r.Line, Msg: "name or code too long", Key: "units.line.too_long"}
	}
	for col, v := range map[string]string{"name": r.Name, "code": r.Code, "parent_code": r.ParentCode} {
		if strings.ContainsFunc(v, unicode.IsControl) {
			return &LineError{Line: r.Line, Column: col, Msg: "contains a control character", Key: "units.line.control_char"}
		}
	}
	if r.ValidFrom == "" {
		return &LineError{Line: r.Line, Column: "valid_from", Msg: "no validity start (give one in the file or with --valid-from)", Key: "units.line.no_valid_from"}
	}
	var err error
	if r.ValidFrom, err = ParseDate(r.ValidFrom); err != nil || !inCalendar(r.ValidFrom) {
		return &LineError{Line: r.Line, Column: "valid_from", Msg: "not a date YYYY-MM-DD between 1900 and 2100", Key: "units.line.bad_date"}
	}
	if r.ValidTo != "" {
		if r.ValidTo, err = ParseDate(r.ValidTo); err != nil || !inCalendar(r.ValidTo) {
			return &LineError{Line: r.Line, Column: "valid_to", Msg: "not a date YYYY-MM-DD between 1900 and 2100", Key: "units.line.bad_date"}
		}
		if r.ValidTo < r.ValidFrom {
			return &LineError{Line: r.Line, Column: "valid_to", Msg: "ends before it starts", Key: "units.line.ends_before"}
		}
	}
	if r.ParentCode == "-" {
		r.ParentCode = ""
	}
	return nil
}

// inCalendar reports whether a YYYY-MM-DD date lies in the years of the
// legal calendar (1900–2100).
func inCalendar(d string) bool { return d >= "1900-01-01" && d <= "2100-12-31" }

func csvLineError(err error, line int) LineError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return LineError{Line: pe.StartLine, Msg: pe.Err.Error(), Key: "units.line.csv", Args: []any{pe.Err.Error()}}
	}
	return LineError{Line: line, Msg: err.Error(), Key: "units.line.csv", Args: []any{err.Error()}}
}

func firstBadLine(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[size:]
	}
	return line
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hasPrefix(a, p []string) bool { return len(a) >= len(p) && equal(a[:len(p)], p) }

// Merge is one new unit and the old units it was formed from.
type Merge struct {
	NewCode string
	NewName string
	From    []MergeSource
}

// MergeSource is an old unit and whether it went wholly or partly.
type MergeSource struct {
	OldCode string
	OldName string
	Portion string // full, partial
}

// ParseMergesJSON reads thanhhoa-merges-2025-07-01.json style mappings.
func ParseMergesJSON(r io.Reader) ([]Merge, error) {
	var doc struct {
		Province struct {
			Level2s []struct {
				ID     string `json:"level2_id"`
				Name   string `json:"name"`
				Merges []struct {
					OldID string `json:"old_id"`
					Name  string `json:"name"`
					Type  string `json:"type"`
				} `json:"merges"`
			} `json:"level2s"`
		} `json:"province"`
	}
	dec := json.NewDecoder(io.LimitReader(r, maxImportBytes))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("merges file: %w", err)
	}
	var out []Merge
	var errs []LineError
	for i, l := range doc.Province.Level2s {
		if l.ID == "" {
			errs = append(errs, LineError{Line: i + 1, Column: "level2_id", Msg: "empty"})
			continue
		}
		m := Merge{NewCode: l.ID, NewName: l.Name}
		for _, o := range l.Merges {
			p := o.Type
			if p != "full" && p != "partial" {
				errs = append(errs, LineError{Line: i + 1, Column: "type", Msg: fmt.Sprintf("%q is neither full nor partial", o.Type)})
				continue
			}
			m.From = append(m.From, MergeSource{OldCode: o.OldID, OldName: o.Name, Portion: p})
		}
		out = append(out, m)
	}
	if len(errs) > 0 {
		return nil, &ImportError{Lines: errs}
	}
	return out, nil
}
