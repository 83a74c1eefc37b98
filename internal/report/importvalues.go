package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ImportError is one problem of an import file: line (1 = header) and
// column (1-based; 0 when the whole line or file is concerned) and a
// message key.
type ImportError struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Field  string `json:"field,omitempty"` // column name
	Key    string `json:"key"`
}

// ImportErrors lists every problem; an import with any imports nothing.
type ImportErrors []ImportError

func (e ImportErrors) Error() string {
	var b strings.Builder
	b.WriteString("import:")
	for _, x := range e {
		fmt.Fprintf(&b, " line %d column %d: %s;", x.Line, x.Column, x.Key)
	}
	return b.String()
}

// Import message keys.
const (
	ImpBadFile      = "report.import.bad_file"
	ImpNoHeader     = "report.import.missing_column"
	ImpUnknownCol   = "report.import.unknown_column"
	ImpUnknownCode  = "report.import.unknown_indicator"
	ImpUnknownCat   = "report.import.unknown_category"
	ImpDuplicate    = "report.import.duplicate"
	ImpEmpty        = "report.import.empty"
	ImpTooManyLines = "report.import.too_many_lines"
	ImpBadText      = "report.import.bad_text"
)

// MaxImportLines bounds an import file.
const MaxImportLines = 20000

var importCols = []string{"indicator_code", "category", "value"}

// ReadCSV reads the rows of a CSV file (comma or semicolon separated, UTF-8
// with or without BOM).
func ReadCSV(r io.Reader) ([][]string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		return nil, ImportErrors{{Line: 1, Key: ImpBadText}}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := len(rows)+1, 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, col = pe.Line, pe.Column
			}
			return nil, ImportErrors{{Line: line, Column: col, Key: ImpBadFile}}
		}
		rows = append(rows, rec)
		if len(rows) > MaxImportLines+1 {
			return nil, ImportErrors{{Line: len(rows), Key: ImpTooManyLines}}
		}
	}
	return rows, nil
}

// ReadXLSX reads the rows of the first sheet of an XLSX workbook.
func ReadXLSX(r io.Reader) ([][]string, error) {
	// A 16 MiB workbook may unzip to far more: bound what is unzipped too.
	f, err := excelize.OpenReader(io.LimitReader(r, 16<<20), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, ImportErrors{{Line: 0, Key: ImpBadFile}}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ImportErrors{{Line: 0, Key: ImpEmpty}}
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, ImportErrors{{Line: 0, Key: ImpBadFile}}
	}
	if len(rows) > MaxImportLines+1 {
		return nil, ImportErrors{{Line: MaxImportLines + 2, Key: ImpTooManyLines}}
	}
	return rows, nil
}

// ParseImport checks rows (the first being the header naming the columns
// indicator_code, category and value, in any order) against def and
// returns the values, or every problem found. Empty lines are skipped;
// empty values are kept as empty (clearing the cell).
func ParseImport(def Definition, rows [][]string) (Values, error) {
	var errs ImportErrors
	if len(rows) == 0 {
		return nil, ImportErrors{{Line: 1, Key: ImpEmpty}}
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range importCols {
			if h == c {
				known = true
			}
		}
		switch {
		case h == "":
		case !known:
			errs = append(errs, ImportError{Line: 1, Column: i + 1, Field: h, Key: ImpUnknownCol})
		case idx[h] != 0:
			errs = append(errs, ImportError{Line: 1, Column: i + 1, Field: h, Key: ImpDuplicate})
		default:
			idx[h] = i + 1
		}
	}
	for _, c := range []string{"indicator_code", "value"} {
		if idx[c] == 0 {
			errs = append(errs, ImportError{Line: 1, Column: 0, Field: c, Key: ImpNoHeader})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	cell := func(row []string, col string) string {
		i := idx[col]
		if i == 0 || i > len(row) {
			return ""
		}
		return strings.TrimSpace(row[i-1])
	}
	vals := Values{}
	line := map[string]int{}
	for n, row := range rows[1:] {
		ln := n + 2
		code, cat, val := cell(row, "indicator_code"), cell(row, "category"), cell(row, "value")
		if code == "" && cat == "" && val == "" {
			continue
		}
		for _, c := range importCols {
			if !utf8.ValidString(cell(row, c)) || strings.ContainsRune(cell(row, c), 0) {
				errs = append(errs, ImportError{Line: ln, Column: idx[c], Field: c, Key: ImpBadText})
			}
		}
		in, ok := def.Indicator(code)
		if !ok {
			errs = append(errs, ImportError{Line: ln, Column: idx["indicator_code"], Field: "indicator_code", Key: ImpUnknownCode})
			continue
		}
		if cat != "" {
			found := false
			if in.Disaggregation != nil {
				for _, c := range in.Disaggregation.Categories {
					found = found || c.Key == cat
				}
			}
			if !found {
				errs = append(errs, ImportError{Line: ln, Column: idx["category"], Field: "category", Key: ImpUnknownCat})
				continue
			}
		}
		k := FieldKey(code, cat)
		if prev := line[k]; prev != 0 {
			errs = append(errs, ImportError{Line: ln, Column: idx["indicator_code"], Field: "indicator_code", Key: ImpDuplicate})
			continue
		}
		line[k] = ln
		if _, m := checkCell(in, val); m != "" {
			errs = append(errs, ImportError{Line: ln, Column: idx["value"], Field: "value", Key: m})
			continue
		}
		vals[k] = val
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return vals, nil
}

// ImportFile reads a CSV or XLSX file (by name or content sniffing) and
// parses it against def.
func ImportFile(def Definition, name string, data []byte) (Values, error) {
	var rows [][]string
	var err error
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err = ReadXLSX(bytes.NewReader(data))
	} else {
		rows, err = ReadCSV(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	return ParseImport(def, rows)
}
