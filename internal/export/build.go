package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/docx"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/textfold"
)

// Format is a file format.
type Format string

// Formats.
const (
	DOCX Format = "docx"
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// Formats lists the formats, in the order offered.
var Formats = []Format{DOCX, XLSX, CSV}

// ErrFormat is returned for an unknown format (a message key).
var ErrFormat = errors.New("exports.bad_format")

// ParseFormat accepts "docx", "xlsx" or "csv" (any case, optional dot).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "."))
	for _, x := range Formats {
		if f == x {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrFormat, s)
}

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	switch f {
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Options adjust a document. The zero value derives everything.
type Options struct {
	// Abbrev replaces the derived abbreviation of the issuing body in the
	// number line ("BTGDVTU").
	Abbrev string
	// Superior and Body replace the derived header lines.
	Superior, Body string
	// Place replaces the place of the place-and-date line.
	Place string
	// Date is the document's date; zero: the submission date of a unit
	// report, otherwise today (in Vietnam).
	Date time.Time
	// Now is "now" (tests); zero: the clock.
	Now time.Time
	// Signature replaces the derived signature block.
	Signature docx.Signature
	// Signer is who signs (the submitter of a unit report); nil leaves the
	// head's title and room for the name.
	Signer *Signer
	// Number is the document's number in its issuer's register; 0 leaves
	// it blank to be written by hand (a draft, a consolidated view).
	Number int
	// Side chooses the organ of a place that issues (see [IssuerFor]).
	Side Side
	// Lookup lists units under a unit, for the organs of places and the
	// recipients; nil derives them from the ancestors alone.
	Lookup Lookup
	// Expected are the units expected to report in a consolidated report's
	// period (its schedules); a consolidated document lists the units under
	// its unit that are among them. nil lists those whose reports count.
	Expected map[int64]bool
	// Recipients replace the derived "Nơi nhận:" list.
	Recipients []string
	// Issuer replaces the derived issuing body (the Abbrev option still
	// applies).
	Issuer *Issuer
	// Locale is the language of the XLSX and CSV headers; the zero value is
	// Vietnamese. The document itself is always Vietnamese.
	Locale i18n.Locale
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// Export is one report ready to be written in any format.
type Export struct {
	// Name is the file name without extension, in Vietnamese.
	Name   string
	doc    func() *docx.Document
	tables []Table
}

// Write writes the export in format f.
func (e Export) Write(w io.Writer, f Format) error {
	switch f {
	case DOCX:
		return e.doc().Write(w)
	case XLSX:
		return WriteXLSX(w, e.tables...)
	case CSV:
		return WriteCSV(w, e.tables[0])
	}
	return ErrFormat
}

// Filename is the file name for format f.
func (e Export) Filename(f Format) string { return e.Name + "." + string(f) }

// ContentDisposition is an attachment header naming the file both in plain
// ASCII (for old clients) and in UTF-8 (RFC 5987 / RFC 6266).
func ContentDisposition(name string) string {
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + strings.ReplaceAll(url.PathEscape(name), "+", "%2B")
}

// asciiName folds Vietnamese to ASCII and keeps letters, digits, dots and
// dashes: "Báo cáo 12.docx" → "Bao-cao-12.docx".
func asciiName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		switch {
		case r == 'đ':
			r = 'd'
		case r == 'Đ':
			r = 'D'
		case r > unicode.MaxASCII:
			f := []rune(textfold.Fold(string(r)))
			if len(f) == 1 && f[0] <= unicode.MaxASCII {
				if unicode.IsUpper(r) {
					r = unicode.ToUpper(f[0])
				} else {
					r = f[0]
				}
			}
		}
		if r <= unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(strings.ReplaceAll(b.String(), "-.", "."), "-")
	if s == "" || strings.HasPrefix(s, ".") {
		s = "export" + s
	}
	return s
}

// vi is the language of the documents.
var vi = i18n.Locale{}

// header fills the document header from the issuer and the options.
func header(is Issuer, o Options, date time.Time) docx.Header {
	h := docx.Header{Form: is.Form, Superior: is.Superior, Body: is.Body, Number: DocNumber(is.Form, o.Number, KindReport, is.Abbrev), Place: is.Place, Date: date}
	if o.Superior != "" {
		h.Superior = o.Superior
	}
	if o.Body != "" {
		h.Body = o.Body
	}
	if o.Place != "" {
		h.Place = o.Place
	}
	return h
}

// issuer derives the issuer and applies the abbreviation option.
func issuer(u org.Unit, ancestors []org.Unit, o Options) Issuer {
	is := IssuerFor(u, ancestors, o.Side, o.Lookup)
	if o.Issuer != nil {
		is = *o.Issuer
	}
	if o.Abbrev != "" {
		is.Abbrev = o.Abbrev
	}
	return is
}

// finish adds the signature and recipients.
func finish(d *docx.Document, is Issuer, u org.Unit, ancestors []org.Unit, o Options) {
	sig := o.Signature
	if sig == (docx.Signature{}) {
		var s Signer
		if o.Signer != nil {
			s = *o.Signer
		}
		sig = Sign(is, s)
	}
	d.Sign(sig)
	rec := o.Recipients
	if rec == nil {
		rec = Recipients(is, u, ancestors, o.Lookup)
	}
	d.To(rec...)
	d.Creator = "danvan"
}

func today(o Options) time.Time {
	t := o.now().In(calendar.Vietnam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func periodText(t report.Type, year, number int) string {
	switch t {
	case report.Monthly, report.Quarterly:
		n := strconv.Itoa(number)
		if t == report.Quarterly {
			n = Roman(number)
		}
		return vi.T("exports.doc.period."+string(t), n, year)
	}
	return vi.T("exports.doc.period."+string(t), year)
}

// cellText is an entered value as the document shows it.
func cellText(in report.Indicator, raw string) string {
	raw = strings.TrimSpace(raw)
	if in.Type.Numeric() {
		if f, ok := report.ParseNumber(raw); ok {
			return viNumber(f)
		}
	}
	return raw
}

// cellValue is an entered value as a spreadsheet cell.
func cellValue(in report.Indicator, raw string) Cell {
	raw = strings.TrimSpace(raw)
	if in.Type.Numeric() {
		if f, ok := report.ParseNumber(raw); ok {
			return Num(f)
		}
	}
	return Text(raw)
}

func kindOf(in report.Indicator) Kind {
	switch in.Type {
	case report.TypeInteger:
		return KindInteger
	case report.TypeDecimal, report.TypePercent:
		return KindDecimal
	}
	return KindText
}

// ---------- a unit report ----------

// ReportExport builds the export of one unit report. ancestors are the
// report unit's ancestors, root first.
func ReportExport(rep report.Report, tpl report.Template, u org.Unit, ancestors []org.Unit, o Options) Export {
	is := issuer(u, ancestors, o)
	period := periodText(rep.PeriodType, rep.PeriodYear, rep.PeriodNumber)
	subtitle := vi.T("exports.doc.subject") + " " + period
	def := tpl.Definition
	e := Export{Name: vi.T("exports.file.report", rep.ID, u.Name, period)}
	e.doc = func() *docx.Document {
		date := o.Date
		if date.IsZero() && rep.SubmittedAt != nil {
			t := rep.SubmittedAt.In(calendar.Vietnam)
			date = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
		if date.IsZero() {
			date = today(o)
		}
		if !rep.Status.Received() {
			o.Number = 0 // a draft has no number yet
		}
		d := docx.New(header(is, o, date), vi.T("exports.doc.title"), subtitle)
		if !rep.Status.Received() {
			d.Note(vi.T("exports.doc.not_submitted"))
		}
		d.Note(vi.T("exports.doc.window", viDate(rep.PeriodFrom), viDate(rep.PeriodTo)))
		n := 0
		for _, sec := range def.Sections {
			n++
			d.Heading(Roman(n) + ". " + upper(sec.Title.In("vi")))
			if text := strings.TrimSpace(rep.Narrative[sec.Key]); text != "" {
				d.Paragraph(text)
			} else {
				d.Note(vi.T("exports.doc.empty_section"))
			}
		}
		if len(def.Indicators) > 0 {
			n++
			d.Heading(Roman(n) + ". " + vi.T("exports.doc.indicators"))
			var rows [][]string
			for i, in := range def.Indicators {
				rows = append(rows, []string{strconv.Itoa(i + 1), in.Name.In("vi"), in.Unit, cellText(in, rep.Values[in.Code])})
				if in.Disaggregation != nil {
					for _, c := range in.Disaggregation.Categories {
						rows = append(rows, []string{"", "- " + c.Name.In("vi"), in.Unit, cellText(in, rep.Values[report.FieldKey(in.Code, c.Key)])})
					}
				}
			}
			d.Table(docTableColumns(vi.T("exports.col.value")), rows, nil)
		}
		finish(d, is, u, ancestors, o)
		return d
	}
	e.tables = []Table{reportTable(rep, def, u, subtitle, o.Locale)}
	return e
}

func docTableColumns(value string) []docx.Column {
	return []docx.Column{
		{Title: vi.T("exports.col.no"), Width: 680, Align: docx.Center},
		{Title: vi.T("exports.col.indicator")},
		{Title: vi.T("exports.col.unit"), Width: 1500, Align: docx.Center},
		{Title: value, Width: 1500, Align: docx.Right},
	}
}

func reportTable(rep report.Report, def report.Definition, u org.Unit, subtitle string, l i18n.Locale) Table {
	lang := l.Lang()
	t := Table{
		Sheet: l.T("exports.sheet.indicators"),
		Title: []string{u.Name, vi.T("exports.doc.title") + " " + subtitle, l.T("exports.window", viDate(rep.PeriodFrom), viDate(rep.PeriodTo)), l.T("exports.status", l.T("exports.status."+string(rep.Status)))},
		Columns: []Column{
			{Title: l.T("exports.col.no"), Width: 6, Kind: KindInteger},
			{Title: l.T("exports.col.code"), Width: 16},
			{Title: l.T("exports.col.indicator"), Width: 60},
			{Title: l.T("exports.col.category"), Width: 20},
			{Title: l.T("exports.col.unit"), Width: 12},
			{Title: l.T("exports.col.value"), Width: 16, Kind: KindDecimal},
		},
	}
	for i, in := range def.Indicators {
		t.Rows = append(t.Rows, []Cell{Num(float64(i + 1)), Text(in.Code), Text(in.Name.In(lang)), Text(""), Text(in.Unit), cellValue(in, rep.Values[in.Code])})
		if in.Disaggregation != nil {
			for _, c := range in.Disaggregation.Categories {
				t.Rows = append(t.Rows, []Cell{Num(float64(i + 1)), Text(in.Code), Text(in.Name.In(lang)), Text(c.Name.In(lang)), Text(in.Unit), cellValue(in, rep.Values[report.FieldKey(in.Code, c.Key)])})
			}
		}
	}
	return t
}

// ---------- a consolidated report ----------

// ConsolidatedExport builds the export of a unit's consolidated figures.
//
// The units listed are those under the unit that report (see reporting):
// not a body beside them such as the Provincial Party Committee or the
// People's Council, nor the issuer's own branch; the categories of a
// disaggregated indicator come in the template's order (Nam before Nữ).
func ConsolidatedExport(c store.Consolidation, tpl report.Template, ancestors []org.Unit, o Options) Export {
	u := c.Unit
	is := issuer(u, ancestors, o)
	c.Children = reporting(c.Children, is, o.Expected)
	c.Cells = InTemplateOrder(c.Cells, tpl.Definition)
	pt := report.Type(c.Period.Type)
	period := periodText(pt, c.Period.Year, c.Period.Number)
	subtitle := vi.T("exports.doc.consolidated", vi.T("exports.doc.subject"), period)
	e := Export{Name: vi.T("exports.file.consolidated", u.Name, period)}
	// Names and units of the indicators and categories, from the template.
	inds := map[string]report.Indicator{}
	for _, in := range tpl.Definition.Indicators {
		inds[in.Code] = in
	}
	catName := func(cell store.ConsolidatedCell, lang string) string {
		if cell.Category == "" {
			return ""
		}
		if in, ok := inds[cell.Indicator.Code]; ok && in.Disaggregation != nil {
			for _, ct := range in.Disaggregation.Categories {
				if ct.Key == cell.Category {
					return ct.Name.In(lang)
				}
			}
		}
		return cell.Category
	}
	indName := func(cell store.ConsolidatedCell, lang string) string {
		if in, ok := inds[cell.Indicator.Code]; ok {
			return in.Name.In(lang)
		}
		return cell.Indicator.Name
	}
	e.doc = func() *docx.Document {
		date := o.Date
		if date.IsZero() {
			date = today(o)
		}
		d := docx.New(header(is, o, date), vi.T("exports.doc.title"), subtitle)
		d.Note(vi.T("exports.doc.window", viDate(c.From), viDate(c.To)))
		d.Paragraph(vi.T("exports.doc.n_reports", c.NReports))
		d.Paragraph(BasisNote(vi, c))
		if c.Mapped {
			d.Note(vi.T("exports.doc.mapped"))
		}
		if c.Approximate {
			d.Note(vi.T("exports.doc.approximate"))
		}
		d.Heading("I. " + vi.T("exports.doc.consolidated_indicators"))
		var rows [][]string
		n := 0
		for _, cell := range c.Cells {
			no, name := "", "- "+catName(cell, "vi")
			if cell.Category == "" {
				n++
				no, name = strconv.Itoa(n), indName(cell, "vi")
			}
			value := ""
			if cell.Value != nil {
				value = viNumber(*cell.Value)
			}
			rows = append(rows, []string{no, name, vi.T("exports.agg." + cell.Indicator.Aggregation), value})
		}
		if len(rows) == 0 {
			d.Note(vi.T("exports.doc.no_indicators"))
		} else {
			cols := docTableColumns(vi.T("exports.col.total"))
			cols[2] = docx.Column{Title: vi.T("exports.col.method"), Width: 1900, Align: docx.Center}
			d.Table(cols, rows, nil)
		}
		if len(c.Children) > 0 {
			d.Heading("II. " + vi.T("exports.doc.units"))
			var rows [][]string
			for i, ch := range c.Children {
				rows = append(rows, []string{strconv.Itoa(i + 1), ch.Unit.Name, strconv.Itoa(ch.NReports)})
			}
			d.Table([]docx.Column{
				{Title: vi.T("exports.col.no"), Width: 680, Align: docx.Center},
				{Title: vi.T("exports.col.org_unit")},
				{Title: vi.T("exports.col.n_reports"), Width: 1900, Align: docx.Right},
			}, rows, nil)
		}
		finish(d, is, u, ancestors, o)
		return d
	}

	l, lang := o.Locale, o.Locale.Lang()
	title := []string{u.Name, vi.T("exports.doc.title") + " " + subtitle, l.T("exports.window", viDate(c.From), viDate(c.To)), l.T("exports.n_reports", c.NReports), BasisNote(l, c)}
	t := Table{Sheet: l.T("exports.sheet.indicators"), Title: title, Columns: []Column{
		{Title: l.T("exports.col.no"), Width: 6, Kind: KindInteger},
		{Title: l.T("exports.col.code"), Width: 16},
		{Title: l.T("exports.col.indicator"), Width: 60},
		{Title: l.T("exports.col.category"), Width: 20},
		{Title: l.T("exports.col.method"), Width: 16},
		{Title: l.T("exports.col.total"), Width: 16, Kind: KindDecimal},
		{Title: l.T("exports.col.count"), Width: 12, Kind: KindInteger},
	}}
	for _, ch := range c.Children {
		t.Columns = append(t.Columns, Column{Title: ch.Unit.Name, Width: 16, Kind: KindDecimal})
	}
	n := 0
	for _, cell := range c.Cells {
		if cell.Category == "" {
			n++
		}
		row := []Cell{Num(float64(n)), Text(cell.Indicator.Code), Text(indName(cell, lang)), Text(catName(cell, lang)), Text(l.T("exports.agg." + cell.Indicator.Aggregation))}
		if cell.Value != nil {
			row = append(row, Num(*cell.Value))
		} else {
			row = append(row, Text(""))
		}
		row = append(row, Num(float64(cell.Count)))
		for _, ch := range c.Children {
			if v, ok := ch.Value(cell); ok {
				row = append(row, Num(v))
			} else {
				row = append(row, Text(""))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	// CSV has no title lines: the basis is said in a last row.
	t.Rows = append(t.Rows, []Cell{Text(""), Text(""), Text(BasisNote(l, c))})
	units := Table{Sheet: l.T("exports.sheet.units"), Title: title[:2], Columns: []Column{
		{Title: l.T("exports.col.no"), Width: 6, Kind: KindInteger},
		{Title: l.T("exports.col.code"), Width: 12},
		{Title: l.T("exports.col.org_unit"), Width: 50},
		{Title: l.T("exports.col.n_reports"), Width: 14, Kind: KindInteger},
	}}
	// The units sheet also gives each unit's figures, one unit a row: it
	// prints on as many pages as there are units, whereas the indicators
	// sheet, one unit a column, prints only its totals when the units are
	// many (they would not fit one page wide).
	var unitCells []store.ConsolidatedCell
	for _, cell := range c.Cells {
		if cell.Indicator.Aggregation == "none" {
			continue
		}
		unitCells = append(unitCells, cell)
		title := indName(cell, lang)
		if cell.Category != "" {
			title += " – " + catName(cell, lang)
		}
		units.Columns = append(units.Columns, Column{Title: title, Width: 14, Kind: KindDecimal})
	}
	for i, ch := range c.Children {
		row := []Cell{Num(float64(i + 1)), Text(ch.Unit.Code), Text(ch.Unit.Name), Num(float64(ch.NReports))}
		for _, cell := range unitCells {
			if v, ok := ch.Value(cell); ok {
				row = append(row, Num(v))
			} else {
				row = append(row, Text(""))
			}
		}
		units.Rows = append(units.Rows, row)
	}
	if len(c.Children) > maxPrintedUnits {
		t.PrintColumns = len(t.Columns) - len(c.Children)
	}
	e.tables = []Table{t, units}
	return e
}

// ---------- loading ----------

// LoadReport loads a report with what its export needs: the issuer on
// the side of the report's template, the number its issuer's register
// gave it, and the submitter (else the issuing unit's head) as the signer. The caller checks that the
// reader may see the report (report.CanSee) before writing it.
func LoadReport(ctx context.Context, st *store.Store, id int64, o Options) (Export, report.Report, error) {
	rep, err := st.GetReport(ctx, id)
	if err != nil {
		return Export{}, rep, err
	}
	tpl, err := st.GetTemplate(ctx, rep.TemplateID)
	if err != nil {
		return Export{}, rep, fmt.Errorf("export report %d: %w", id, err)
	}
	u, err := st.GetUnit(ctx, rep.UnitID)
	if err != nil {
		return Export{}, rep, fmt.Errorf("export report %d: %w", id, err)
	}
	anc, err := st.Ancestors(ctx, rep.UnitID)
	if err != nil {
		return Export{}, rep, fmt.Errorf("export report %d: %w", id, err)
	}
	if err := prepare(ctx, st, &o, tpl); err != nil {
		return Export{}, rep, fmt.Errorf("export report %d: %w", id, err)
	}
	if o.Number == 0 {
		if n, ok, err := st.ReportNumber(ctx, id); err != nil {
			return Export{}, rep, fmt.Errorf("export report %d: %w", id, err)
		} else if ok {
			o.Number = n.Number
		}
	}
	if o.Signer == nil && rep.SubmittedBy != 0 {
		if s, err := st.Signer(ctx, rep.SubmittedBy); err == nil {
			o.Signer = &Signer{Name: s.FullName, Position: s.Position}
		}
	}
	if o.Signer == nil {
		if o.Signer, err = headOfIssuer(ctx, st, IssuerFor(u, anc, o.Side, o.Lookup)); err != nil {
			return Export{}, rep, fmt.Errorf("export report %d: %w", id, err)
		}
	}
	return ReportExport(rep, tpl, u, anc, o), rep, nil
}

// prepare fills the side (from the template's owner) and the tree lookup.
func prepare(ctx context.Context, st *store.Store, o *Options, tpl report.Template) error {
	at := today(*o).Format(time.DateOnly)
	if o.Lookup == nil {
		o.Lookup = func(id int64) []org.Unit {
			kids, err := st.Children(ctx, id, at)
			if err != nil {
				return nil
			}
			return kids
		}
	}
	side, err := templateSide(ctx, st, tpl)
	o.Side = side
	return err
}

// Query names a consolidated report.
type Query struct {
	TemplateID int64
	UnitID     int64
	Type       report.Type
	Year       int
	Number     int
	// Mapped re-attributes old units' reports to today's units.
	Mapped bool
	// Basis says which reports count ("": every report received).
	Basis store.Basis
}

// LoadConsolidated loads a unit's consolidated figures for a period. The
// caller checks authz.ActionReportRead on the unit.
func LoadConsolidated(ctx context.Context, st *store.Store, q Query, o Options) (Export, error) {
	tpl, err := st.GetTemplate(ctx, q.TemplateID)
	if err != nil {
		return Export{}, err
	}
	if q.Type == "" {
		q.Type = tpl.PeriodType
	}
	if q.Basis == "" {
		q.Basis = store.BasisReceived
	}
	var c store.Consolidation
	if q.Mapped {
		c, err = st.MappedViewOn(ctx, q.Basis, q.TemplateID, q.UnitID, string(q.Type), q.Year, q.Number)
	} else {
		c, err = st.ConsolidatedViewOn(ctx, q.Basis, q.TemplateID, q.UnitID, string(q.Type), q.Year, q.Number)
	}
	if err != nil {
		return Export{}, err
	}
	anc, err := st.Ancestors(ctx, q.UnitID)
	if err != nil {
		return Export{}, err
	}
	if err := prepare(ctx, st, &o, tpl); err != nil {
		return Export{}, fmt.Errorf("export: %w", err)
	}
	if o.Expected == nil && q.Number >= 1 {
		if ws := report.Windows(tpl.Rule(), q.Type, q.Year); q.Number <= len(ws) {
			exp, err := st.ExpectedReports(ctx, tpl.ID, ws[q.Number-1])
			if err != nil {
				return Export{}, fmt.Errorf("export: %w", err)
			}
			o.Expected = map[int64]bool{}
			for _, x := range exp {
				o.Expected[x.UnitID] = true
			}
		}
	}
	if o.Signer == nil && o.Issuer == nil {
		if o.Signer, err = headOfIssuer(ctx, st, IssuerFor(c.Unit, anc, o.Side, o.Lookup)); err != nil {
			return Export{}, fmt.Errorf("export: %w", err)
		}
	}
	return ConsolidatedExport(c, tpl, anc, o), nil
}

// headOfIssuer is the head of the issuing unit (a user granted unit_head
// there) as the signer; nil when there is none, or when the issuer is the
// organ of a place, whose head the tree does not know.
func headOfIssuer(ctx context.Context, st *store.Store, is Issuer) (*Signer, error) {
	if is.Organ != "" || is.UnitID == 0 {
		return nil, nil
	}
	h, ok, err := st.UnitHead(ctx, is.UnitID)
	if err != nil || !ok {
		return nil, err
	}
	return &Signer{Name: h.FullName, Position: h.Position}, nil
}

// maxPrintedUnits is the most unit columns the indicators sheet prints
// (A4 landscape, one page wide, still readable).
const maxPrintedUnits = 8

// reporting keeps the children that report: those expected to report
// (when expected is known; an intermediate body such as the Provincial
// Party Committee, whose commissions report, or the People's Council is
// not), else those whose reports count; never the issuer's own branch
// (see [Issuer].Via).
func reporting(kids []store.ConsolidatedChild, is Issuer, expected map[int64]bool) []store.ConsolidatedChild {
	var out []store.ConsolidatedChild
	for _, k := range kids {
		if k.Unit.ID == is.UnitID || (is.Via != 0 && k.Unit.ID == is.Via) {
			continue
		}
		if expected != nil {
			if expected[k.Unit.ID] {
				out = append(out, k)
			}
			continue
		}
		if k.NReports > 0 || len(k.Values) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// InTemplateOrder orders each indicator's category cells as the template
// lists its categories (Nam before Nữ); categories the template does not
// know follow in their order. The cells are not changed in place.
func InTemplateOrder(cells []store.ConsolidatedCell, def report.Definition) []store.ConsolidatedCell {
	rank := map[string]map[string]int{}
	for _, in := range def.Indicators {
		if in.Disaggregation == nil {
			continue
		}
		m := map[string]int{}
		for i, c := range in.Disaggregation.Categories {
			m[c.Key] = i
		}
		rank[in.Code] = m
	}
	out := append([]store.ConsolidatedCell(nil), cells...)
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j].Category != "" && out[j].Indicator.Code == out[i].Indicator.Code {
			j++
		}
		if m, ok := rank[out[i].Indicator.Code]; ok && j-i > 2 {
			cats := out[i+1 : j]
			sort.SliceStable(cats, func(a, b int) bool {
				ra, oka := m[cats[a].Category]
				rb, okb := m[cats[b].Category]
				if !oka {
					ra = len(m)
				}
				if !okb {
					rb = len(m)
				}
				return ra < rb
			})
		}
		i = j
	}
	return out
}
