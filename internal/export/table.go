// Package export turns reports into files that leave the platform: a unit
// report or a consolidated report as a Party document (.docx, through
// internal/docx) and its indicator table as XLSX or CSV. The web pages, the
// API and `danvan export report` all call it, so the three give the same
// files.
package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Kind is how a column's cells are written.
type Kind int

// Column kinds.
const (
	KindText    Kind = iota
	KindInteger      // whole numbers, with thousands separators in XLSX
	KindDecimal      // numbers with up to two decimals in XLSX
)

// Column is one column of a table.
type Column struct {
	Title string
	Width float64 // XLSX width in characters; 0 picks one from the title
	Kind  Kind
}

// Cell is one value: a number (Num != nil) or text.
type Cell struct {
	Text string
	Num  *float64
}

// Text makes a text cell.
func Text(s string) Cell { return Cell{Text: s} }

// Num makes a number cell.
func Num(f float64) Cell { return Cell{Num: &f} }

// String is the cell as CSV writes it: numbers without needless zeros.
func (c Cell) String() string {
	if c.Num != nil {
		return strconv.FormatFloat(*c.Num, 'f', -1, 64)
	}
	return c.Text
}

// Table is a sheet: optional title lines above a header row and the rows.
type Table struct {
	Sheet   string   // sheet name (XLSX)
	Title   []string // lines above the header (XLSX only)
	Columns []Column
	Rows    [][]Cell
	// Bold marks rows written in bold (XLSX), e.g. totals.
	Bold map[int]bool
}

// HeaderRow is the 1-based XLSX row of the header: after the title lines
// and one blank row.
func (t Table) HeaderRow() int {
	if len(t.Title) == 0 {
		return 1
	}
	return len(t.Title) + 2
}

// sheetName makes a valid, unique Excel sheet name (≤ 31 characters,
// none of []:*?/\).
func sheetName(s string, i int, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.Trim(s, "'")
	if s == "" {
		s = "Sheet" + strconv.Itoa(i+1)
	}
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	base := s
	for n := 2; used[strings.ToLower(s)]; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		s = string(r) + suffix
	}
	used[strings.ToLower(s)] = true
	return s
}

// WriteXLSX writes the tables as the sheets of one workbook: a bold title,
// a bold header row that stays in view, column widths, and numbers as
// numbers.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	boldStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12}})
	if err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	styles := map[[2]int]int{} // kind, bold → style
	for _, k := range []Kind{KindText, KindInteger, KindDecimal} {
		for _, b := range []int{0, 1} {
			st := &excelize.Style{Font: &excelize.Font{Bold: b == 1, Family: "Times New Roman", Size: 12}, Border: border,
				Alignment: &excelize.Alignment{Vertical: "top", WrapText: k == KindText}}
			switch k {
			case KindInteger:
				st.NumFmt = 3 // #,##0
			case KindDecimal:
				fmt := "#,##0.##"
				st.CustomNumFmt = &fmt
			}
			id, err := f.NewStyle(st)
			if err != nil {
				return err
			}
			styles[[2]int{int(k), b}] = id
		}
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Sheet, i, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for j, line := range t.Title {
			cell, _ := excelize.CoordinatesToCellName(1, j+1)
			if err := f.SetCellStr(name, cell, line); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell, cell, boldStyle); err != nil {
				return err
			}
		}
		hr := t.HeaderRow()
		for c, col := range t.Columns {
			cell, _ := excelize.CoordinatesToCellName(c+1, hr)
			if err := f.SetCellStr(name, cell, col.Title); err != nil {
				return err
			}
			width := col.Width
			if width == 0 {
				width = math.Max(10, math.Min(60, float64(utf8.RuneCountInString(col.Title))+4))
			}
			letter, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(name, letter, letter, width); err != nil {
				return err
			}
		}
		if len(t.Columns) > 0 {
			first, _ := excelize.CoordinatesToCellName(1, hr)
			last, _ := excelize.CoordinatesToCellName(len(t.Columns), hr)
			if err := f.SetCellStyle(name, first, last, headStyle); err != nil {
				return err
			}
		}
		for r, row := range t.Rows {
			b := 0
			if t.Bold[r] {
				b = 1
			}
			for c := range t.Columns {
				cell, _ := excelize.CoordinatesToCellName(c+1, hr+1+r)
				var v Cell
				if c < len(row) {
					v = row[c]
				}
				kind := t.Columns[c].Kind
				if v.Num != nil {
					if kind == KindText {
						kind = KindDecimal
					}
					err = f.SetCellFloat(name, cell, *v.Num, -1, 64)
				} else {
					kind = KindText
					err = f.SetCellStr(name, cell, v.Text)
				}
				if err != nil {
					return err
				}
				if err := f.SetCellStyle(name, cell, cell, styles[[2]int{int(kind), b}]); err != nil {
					return err
				}
			}
		}
		top, _ := excelize.CoordinatesToCellName(1, hr+1)
		if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: hr, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// bom makes Excel read the CSV as UTF-8.
const bom = "\uFEFF"

// csvSafe defuses text that a spreadsheet would run as a formula (CSV
// injection): a leading = + - @ tab or carriage return gets a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the table's header and rows as UTF-8 with a byte-order
// mark, RFC 4180 quoting and CRLF line ends. Text cells that a
// spreadsheet would take for a formula are prefixed with a quote; numbers
// are written as numbers.
func WriteCSV(w io.Writer, t Table) error {
	var buf bytes.Buffer
	buf.WriteString(bom)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = csvSafe(c.Title)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, row := range t.Rows {
		rec = rec[:0]
		for i := range t.Columns {
			var v Cell
			if i < len(row) {
				v = row[i]
			}
			if v.Num != nil {
				rec = append(rec, v.String())
			} else {
				rec = append(rec, csvSafe(v.Text))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
