package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/service"
)

const casesSynopsis = `cases import FILE [--lang vi|en|ja]
       danvan cases export [--from DATE] [--to DATE] [--unit CODE] [--format csv|xlsx] [-o FILE] [--lang vi|en|ja]

import reads a register of cases received earlier (CSV, UTF-8, comma or
semicolon separated, a header line). Columns, in any order:
  received_on  date received, dd/mm/yyyy                          (required)
  kind         feedback, recommendation, complaint, complaint2,
               denunciation, information — or phản ánh, kiến nghị,
               khiếu nại, khiếu nại lần hai, tố cáo,
               yêu cầu cung cấp thông tin                         (required)
  title, description                                              (required)
  unit         code of the handling unit                 (unit or place required)
  place        code of the commune or ward concerned
  channel      reception, phone, post, transfer, web, open311  (default post)
  category     code of a case category (danvan: /api/v1/case-categories)
  name, phone, address   the author (required for complaints and denunciations)
  parent_code  tracking code of the first complaint (complaint2)
  status       received, accepted, resolved, closed or refused (default received)
  note         the answer, or the reason of a refusal (resolved, closed, refused)
  closed_on    date resolved, closed or refused, dd/mm/yyyy
Every error of every line is reported with its line and column, and
nothing is imported unless the whole file is right; the tracking codes of
the imported cases are printed, one a line.

export writes the cases received from --from to --to (dd/mm/yyyy or
yyyy-mm-dd) at --unit and below: public fields, status, deadlines and days
late, never the identity of the author. CSV is UTF-8 with a BOM (Excel).`

// runCases runs `danvan cases import|export`; both act as the
// installation (the system principal).
func runCases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cases", casesSynopsis, stderr)
	lang := fs.String("lang", "vi", "language of messages and column names: vi, en or ja")
	from := fs.String("from", "", "export: first date received")
	to := fs.String("to", "", "export: last date received")
	unit := fs.String("unit", "", "export: code of a unit (its subtree)")
	format := fs.String("format", "csv", "export: csv or xlsx")
	out := fs.String("o", "", "export: output file (default: standard output)")
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if *lang != "vi" && *lang != "en" && *lang != "ja" {
		return usagef("--lang: want vi, en or ja")
	}
	b, err := i18n.Load()
	if err != nil {
		return err
	}
	l := b.For(*lang)
	switch {
	case len(pos) == 2 && pos[0] == "import":
	case len(pos) == 1 && pos[0] == "export":
		if *format != "csv" && *format != "xlsx" {
			return usagef("--format: want csv or xlsx")
		}
	default:
		fs.Usage()
		return usagef("want: cases import FILE | cases export")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := service.New(ctx, service.Deps{Store: st, Cfg: cfg, Policy: account.DefaultPolicy})
	if err != nil {
		return err
	}
	if pos[0] == "import" {
		f, err := os.Open(pos[1])
		if err != nil {
			return err
		}
		defer f.Close()
		got, err := svc.Cases.ImportCSV(ctx, cliPrincipal(), f)
		if err != nil {
			return importErrors(err, l, stderr)
		}
		for _, c := range got {
			fmt.Fprintln(stdout, c.TrackingCode)
		}
		fmt.Fprintln(stderr, l.T("casedata.imported", len(got)))
		return nil
	}
	rows, err := svc.Cases.Export(ctx, cliPrincipal(), service.CaseExportFilter{From: dmy(*from), To: dmy(*to), UnitCode: *unit})
	if err != nil {
		return importErrors(err, l, stderr)
	}
	var buf bytes.Buffer
	if *format == "xlsx" {
		err = writeCasesXLSX(&buf, rows, l)
	} else {
		err = writeCasesCSV(&buf, rows, l)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
	} else {
		err = os.WriteFile(*out, buf.Bytes(), 0o644)
	}
	if err == nil {
		fmt.Fprintln(stderr, l.T("casedata.exported", len(rows)))
	}
	return err
}

// dmy turns dd/mm/yyyy into yyyy-mm-dd; anything else is passed on as
// typed, for the service to judge.
func dmy(s string) string {
	p := strings.Split(strings.TrimSpace(s), "/")
	if len(p) != 3 {
		return s
	}
	d, err1 := strconv.Atoi(p[0])
	m, err2 := strconv.Atoi(p[1])
	y, err3 := strconv.Atoi(p[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return s
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// importErrors prints every field error of err, with its line and column
// when it has them, and answers a usage error (exit status 2).
func importErrors(err error, l i18n.Locale, stderr io.Writer) error {
	inv, ok := service.AsInvalid(err)
	if !ok {
		return err
	}
	for _, f := range inv.Fields {
		line, col := service.CaseImportLine(f.Field)
		if line > 0 {
			fmt.Fprintln(stderr, l.T("casedata.line_column", line, col, f.Text(l)))
		} else {
			fmt.Fprintln(stderr, col+": "+f.Text(l))
		}
	}
	return usagef("%s", l.T("casedata.none_imported"))
}

// caseExportColumns are the columns of an export, in order.
var caseExportColumns = []string{"tracking_code", "received_on", "kind", "channel", "category", "unit_code", "unit_name", "place_name",
	"title", "status", "accept_due", "resolve_due", "extended_due", "closed_on", "days_late", "rating"}

func caseExportRecord(r service.CaseExportRow, l i18n.Locale) []string {
	rating := ""
	if r.Rating > 0 {
		rating = strconv.Itoa(r.Rating)
	}
	return []string{r.TrackingCode, l.DateString(r.ReceivedOn), l.T("cases.kind." + r.Kind), l.T("cases.channel." + r.Channel), r.Category,
		r.UnitCode, r.UnitName, r.PlaceName, r.Title, l.T("cases.status." + r.Status), l.DateString(r.AcceptDue), l.DateString(r.ResolveDue),
		l.DateString(r.ExtendedDue), l.DateString(r.ClosedOn), strconv.Itoa(r.DaysLate), rating}
}

func writeCasesCSV(w io.Writer, rows []service.CaseExportRow, l i18n.Locale) error {
	if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := make([]string, len(caseExportColumns))
	for i, c := range caseExportColumns {
		head[i] = l.T("casedata.col." + c)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(caseExportRecord(r, l)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeCasesXLSX(w io.Writer, rows []service.CaseExportRow, l i18n.Locale) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := make([]any, len(caseExportColumns))
	for i, c := range caseExportColumns {
		head[i] = l.T("casedata.col." + c)
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, r := range rows {
		rec := caseExportRecord(r, l)
		cells := make([]any, len(rec))
		for j, v := range rec {
			cells[j] = v
		}
		cells[14] = r.DaysLate
		if r.Rating > 0 {
			cells[15] = r.Rating
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
