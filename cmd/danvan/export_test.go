package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// seedExport makes a province with a party committee, its commission and a
// ward, a monthly template, and submitted reports for November 2026; it
// returns the commission's report id, the template id and the province id.
func seedExport(t *testing.T, dsn string) (int64, int64, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := audit.System("test")
	rows, err := org.ParseCSV(strings.NewReader("code,name,kind,parent_code,valid_from,valid_to,remote\n"+
		"P38,Tỉnh Thanh Hóa,province,,2000-01-01,,false\nTU,Tỉnh ủy Thanh Hóa,party_committee,P38,2000-01-01,,false\n"+
		"BDV,Ban Dân vận Tỉnh ủy,party_commission,TU,2000-01-01,,false\nW1,Phường Hạc Thành,ward,P38,2000-01-01,,false\n"), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportUnits(ctx, sys, rows); err != nil {
		t.Fatal(err)
	}
	id := func(code string) int64 {
		u, err := st.UnitByCode(ctx, code, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	def, err := report.ParseDefinition([]byte(`{"sections":[{"key":"results","title":{"vi":"Kết quả"}}],
		"indicators":[{"code":"dialogues","name":{"vi":"Số cuộc đối thoại với Nhân dân"},"type":"integer","unit":"cuộc"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tpl := report.Template{Code: "DV-T", Name: "Báo cáo dân vận tháng", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true}
	if err := st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []report.Assignment{
		{TemplateID: tpl.ID, UnitID: id("BDV"), Deadlines: []report.LevelDeadline{{Level: "province", DaysAfterEnd: 5}}},
		{TemplateID: tpl.ID, UnitID: id("P38"), Kinds: []string{"ward"}, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2}}},
	} {
		if err := st.CreateSchedule(ctx, sys, &sc); err != nil {
			t.Fatal(err)
		}
	}
	w := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, 2026)[10]
	var first int64
	for unit, v := range map[string]string{"BDV": "8", "W1": "5"} {
		r, err := st.EnsureReport(ctx, sys, tpl.ID, id(unit), w)
		if err != nil {
			t.Fatal(err)
		}
		d := store.ReportDraft{Narrative: map[string]string{"results": "Đối thoại trực tiếp giữa người đứng đầu cấp ủy với Nhân dân."}, Values: report.Values{"dialogues": v}}
		if _, fe, err := st.SubmitReport(ctx, sys, r.ID, r.Version, &d); err != nil || len(fe) > 0 {
			t.Fatalf("submit: %v %v", err, fe)
		}
		if unit == "BDV" {
			first = r.ID
		}
	}
	return first, tpl.ID, id("P38")
}

func TestExportCommand(t *testing.T) {
	dsn := storetest.DSN(t)
	data := []string{"--data", filepath.Dir(dsn)}
	if strings.HasPrefix(dsn, "postgres") {
		data = []string{"--db", dsn, "--data", t.TempDir()}
	}
	repID, tplID, provID := seedExport(t, dsn)
	dir := t.TempDir()
	args := func(a ...string) []string { return append(a, data...) }

	// Reports submitted without the service get their numbers from
	// "export registers", once.
	for _, want := range []string{"numbered 2 report(s)", "numbered 0 report(s)"} {
		code, _, stderr := runCLI(t, "", args("export", "registers")...)
		if code != 0 || !strings.Contains(stderr, want) {
			t.Fatalf("export registers: %d %q, want %q", code, stderr, want)
		}
	}

	docx := filepath.Join(dir, "bc.docx")
	code, _, stderr := runCLI(t, "", args("export", "report", "--report", strconv.FormatInt(repID, 10), "--format", "docx", "-o", docx, "--date", "2026-11-25")...)
	if code != 0 {
		t.Fatalf("export docx: %d %s", code, stderr)
	}
	b, _ := os.ReadFile(docx)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(x)
		}
	}
	for _, want := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY THANH HÓA", "BAN DÂN VẬN", "Số 1-BC/BDVTU",
		"Thanh Hóa, ngày 25 tháng 11 năm 2026", "công tác dân vận tháng 11 năm 2026", "Số cuộc đối thoại với Nhân dân"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docx lacks %q", want)
		}
	}

	// Consolidated, into a directory: the file takes the report's name.
	code, _, stderr = runCLI(t, "", args("export", "report", "--template", strconv.FormatInt(tplID, 10), "--unit", strconv.FormatInt(provID, 10),
		"--type", "monthly", "--year", "2026", "--number", "11", "--format", "xlsx", "-o", dir)...)
	if code != 0 {
		t.Fatalf("export xlsx: %d %s", code, stderr)
	}
	xlsx := filepath.Join(dir, "Báo cáo tổng hợp - Tỉnh Thanh Hóa - tháng 11 năm 2026.xlsx")
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatalf("%v (stderr %s)", err, stderr)
	}
	defer f.Close()
	rows, _ := f.GetRows("Chỉ tiêu", excelize.Options{RawCellValue: true})
	found := false
	for _, r := range rows {
		if len(r) > 5 && r[1] == "dialogues" && r[5] == "13" {
			found = true
		}
	}
	if !found {
		t.Errorf("consolidated dialogues = 13 not found in %q", rows)
	}

	// CSV to standard output.
	code, out, _ := runCLI(t, "", args("export", "report", "--report", strconv.FormatInt(repID, 10), "--format", "csv")...)
	if code != 0 || !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "1,dialogues,Số cuộc đối thoại với Nhân dân,,cuộc,8\r\n") {
		t.Errorf("csv: %d %q", code, out)
	}

	for _, bad := range [][]string{
		{"export"}, {"export", "report"}, {"export", "report", "--report", "1", "--format", "pdf"},
		{"export", "report", "--report", "1", "--template", "1"}, {"export", "report", "--template", "1", "--unit", "1", "--year", "2026"},
		{"export", "report", "--template", "1", "--unit", "1", "--year", "2026", "--number", "5", "--type", "quarterly"},
		{"export", "report", "--report", "1", "--abbrev", "B/T"}, {"export", "report", "--report", "1", "--date", "25/11/2026"},
	} {
		if code, _, _ := runCLI(t, "", args(bad...)...); code != 2 {
			t.Errorf("%q: exit %d, want 2", bad, code)
		}
	}
	if code, _, stderr := runCLI(t, "", args("export", "report", "--report", "99999")...); code != 1 || !strings.Contains(stderr, "not found") {
		t.Errorf("missing report: %d %q", code, stderr)
	}
}
