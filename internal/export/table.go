// Package export turns reports into files that leave the platform: a unit
// report or a consolidated report as an administrative document (.docx,
// through internal/docx) and its indicator table as XLSX or CSV. The web
// pages, the API and `danvan export report` all call it, so the three give
// the same files.
//
// A document takes the form of its issuing body, not of its topic
// ([IssuerFor], [DeriveIssuer]):
//   - Party bodies (party committees, their commissions and organs) take
//     the Party form of Guideline 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM",
//     "Số 12-BC/BDVTU", "T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN";
//   - State bodies (People's Committees and Councils, departments, State
//     agencies) take the form of Decree 30/2020/NĐ-CP: the national title
//     and motto, "UBND TỈNH THANH HÓA / SỞ NỘI VỤ", "Số: 12/BC-SNV",
//     "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC";
//   - the Fatherland Front and the mass organisations follow their own
//     guidance, which keeps the national title and motto (the Front:
//     "ỦY BAN MTTQ VIỆT NAM / TỈNH …", "TM. BAN THƯỜNG TRỰC"); the Youth
//     Union writes "ĐOÀN TNCS HỒ CHÍ MINH" and "Số: 12-BC/TĐTN". Where a
//     charter's guidance differs in a detail, Options.Issuer gives the
//     lines.
//
// A place (a province, a commune) never issues: its Party committee does
// for a template owned by a Party body, its People's Committee otherwise
// ([SideOf]). The number comes from the issuing body's register (per
// body, year and kind, given when a report is submitted; a draft leaves
// it blank), the signature from the submitter's position and full name,
// and "Nơi nhận" from the organisation tree ([Recipients]).
//
// The XLSX is set up to print: A4 landscape, one page wide, the title and
// header rows on every page, dates dd/mm/yyyy, Times New Roman.
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
	// PrintColumns is how many columns, from the first, print (XLSX);
	// 0 prints them all.
	PrintColumns int
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

// WriteXLSX writes the tables as the sheets of one workbook: a bold title
// spanning the table, a bold header row that stays in view, column widths,
// numbers as numbers, Times New Roman, and the print set-up of a legal
// table (see printSetup).
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	boldStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
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
		total := 0.0
		for _, col := range t.Columns {
			total += colWidth(col)
		}
		for j, line := range t.Title {
			cell, _ := excelize.CoordinatesToCellName(1, j+1)
			if err := f.SetCellStr(name, cell, line); err != nil {
				return err
			}
			// A title spans the table's width and wraps there, so that
			// printing cuts none of it.
			end := cell
			if len(t.Columns) > 1 {
				end, _ = excelize.CoordinatesToCellName(len(t.Columns), j+1)
				if err := f.MergeCell(name, cell, end); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(name, cell, end, boldStyle); err != nil {
				return err
			}
			if lines := math.Ceil(float64(utf8.RuneCountInString(line)) * 1.1 / math.Max(total, 1)); lines > 1 {
				if err := f.SetRowHeight(name, j+1, 16*lines); err != nil {
					return err
				}
			}
		}
		hr := t.HeaderRow()
		for c, col := range t.Columns {
			cell, _ := excelize.CoordinatesToCellName(c+1, hr)
			if err := f.SetCellStr(name, cell, col.Title); err != nil {
				return err
			}
			width := colWidth(col)
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
		if err := printSetup(f, name, t, hr); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// colWidth is a column's XLSX width: its own, or one from the title.
func colWidth(col Column) float64 {
	if col.Width != 0 {
		return col.Width
	}
	return math.Max(10, math.Min(60, float64(utf8.RuneCountInString(col.Title))+4))
}

// Print set-up of every sheet: A4 landscape, 1 page wide (as many tall
// as needed), the title and header rows repeated on every page, margins of
// 15 mm and 10 mm, page numbers in the footer, and the print area limited
// to Table.PrintColumns.
const (
	paperA4   = 9
	marginIn  = 15.0 / 25.4
	marginTop = 10.0 / 25.4
)

func printSetup(f *excelize.File, sheet string, t Table, headerRow int) error {
	size, orient, one, tall := paperA4, "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("xlsx: page layout: %w", err)
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("xlsx: fit to page: %w", err)
	}
	side, top, hf, centre := marginIn, marginTop, 0.2, true
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf, Horizontally: &centre}); err != nil {
		return fmt.Errorf("xlsx: margins: %w", err)
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: `&C&"Times New Roman"&10&P/&N`}); err != nil {
		return fmt.Errorf("xlsx: footer: %w", err)
	}
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoted + "$1:$" + strconv.Itoa(headerRow), Scope: sheet}); err != nil {
		return fmt.Errorf("xlsx: print titles: %w", err)
	}
	if t.PrintColumns > 0 && t.PrintColumns < len(t.Columns) {
		last, _ := excelize.ColumnNumberToName(t.PrintColumns)
		area := quoted + "$A$1:$" + last + "$" + strconv.Itoa(headerRow+len(t.Rows))
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: area, Scope: sheet}); err != nil {
			return fmt.Errorf("xlsx: print area: %w", err)
		}
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
