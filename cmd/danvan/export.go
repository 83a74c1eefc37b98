package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
)

const exportSynopsis = `export report --report ID [--format docx|xlsx|csv] [-o FILE] [--abbrev BTGDVTU] [--date YYYY-MM-DD]
       danvan export report --template ID --unit ID [--type monthly] --year 2025 --number 3 [--mapped] [--format docx|xlsx|csv] [-o FILE]
       danvan export registers`

// runExport writes a unit report (--report) or a unit's consolidated
// report for a period (--template, --unit, --year, --number) as DOCX, XLSX
// or CSV, for batch use. Without -o the file goes to standard output;
// "-o DIR/" (an existing directory) uses the report's own file name.
//
// "export registers" numbers the received reports that have no number yet
// (submitted before the document registers existed), in submission order.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "registers" {
		return runRegisters(ctx, args[1:], stderr)
	}
	if len(args) == 0 || args[0] != "report" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, "Usage: danvan "+exportSynopsis)
			return nil
		}
		return usagef("export: want: export report …")
	}
	fs := newFlags("export report", exportSynopsis, stderr)
	reportID := fs.Int64("report", 0, "unit report id")
	templateID := fs.Int64("template", 0, "consolidated: report template id")
	unitID := fs.Int64("unit", 0, "consolidated: unit id")
	typ := fs.String("type", "", "consolidated: period type monthly, quarterly, six_month, nine_month, annual (default: the template's)")
	year := fs.Int("year", 0, "consolidated: period year")
	number := fs.Int("number", 0, "consolidated: period number (month 1–12, quarter 1–4, 1 otherwise)")
	mapped := fs.Bool("mapped", false, "consolidated: map old units' reports onto today's units")
	basis := fs.String("basis", "", "consolidated: reports counted, received (default: submitted and accepted) or accepted")
	format := fs.String("format", "docx", "file format: docx, xlsx or csv")
	out := fs.String("o", "", "output file or existing directory (default: standard output)")
	abbrev := fs.String("abbrev", "", "abbreviation of the issuing body in the number line (default derived from the unit)")
	date := fs.String("date", "", "date of the document YYYY-MM-DD (default: submission date of a unit report, otherwise today)")
	cfg, pos, err := loadConfig(fs, args[1:], false)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("export report takes no arguments")
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return usagef("--format: want docx, xlsx or csv")
	}
	var opt export.Options
	if *abbrev != "" {
		if !export.ValidAbbrev(*abbrev) {
			return usagef("--abbrev: 1–20 letters or digits")
		}
		opt.Abbrev = *abbrev
	}
	if *date != "" {
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return usagef("--date: not a date YYYY-MM-DD")
		}
		opt.Date = d
	}
	consolidated := *templateID != 0 || *unitID != 0 || *year != 0 || *number != 0
	switch {
	case *reportID != 0 && consolidated:
		return usagef("give either --report or --template/--unit/--year/--number, not both")
	case *reportID == 0 && !consolidated:
		return usagef("give --report ID, or --template ID --unit ID --year Y --number N")
	case consolidated && (*templateID <= 0 || *unitID <= 0 || !report.ValidYear(*year) || *number < 1 || *number > 12):
		return usagef("consolidated export needs --template, --unit, --year (%d–%d) and --number (1–12)", report.MinYear, report.MaxYear)
	case *reportID < 0:
		return usagef("--report: want a report id")
	}
	q := export.Query{TemplateID: *templateID, UnitID: *unitID, Year: *year, Number: *number, Mapped: *mapped, Basis: service.Basis(*basis)}
	if _, err := service.ParseBasis(*basis); err != nil {
		return usagef("--basis: want received or accepted")
	}
	if *typ != "" {
		if q.Type, err = report.ParsePeriodType(*typ); err != nil {
			return usagef("--type: want monthly, quarterly, six_month, nine_month or annual")
		}
		if *number > q.Type.PerYear() {
			return usagef("--number: %s has %d period(s) a year", q.Type, q.Type.PerYear())
		}
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
	var e export.Export
	if *reportID != 0 {
		e, err = svc.Reports.ExportReport(ctx, cliPrincipal(), *reportID, opt)
	} else {
		e, err = svc.Reports.ExportConsolidated(ctx, cliPrincipal(), q, opt)
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := e.Write(&buf, f); err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	path := *out
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, e.Filename(f))
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d bytes)\n", path, buf.Len())
	return nil
}

// runRegisters numbers every received report without a number in its
// issuing body's register (see service.Reports.NumberReceived).
func runRegisters(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("export registers", "export registers", stderr)
	cfg, pos, err := loadConfig(fs, args, false)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("export registers takes no arguments")
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
	n, err := svc.Reports.NumberReceived(ctx, cliPrincipal())
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "numbered %d report(s)\n", n)
	return nil
}
