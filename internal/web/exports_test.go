package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// exportEnv adds a monthly template for the wards and submits W1's report
// for July 2025; it returns the report id and the template id.
func exportEnv(t *testing.T, e *penv) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	sys := audit.System("test")
	def, err := report.ParseDefinition([]byte(`{"sections":[{"key":"results","title":{"vi":"Kết quả thực hiện"}}],
		"indicators":[{"code":"dialogues","name":{"vi":"Số cuộc đối thoại với Nhân dân","en":"Dialogues"},"type":"integer","unit":"cuộc"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tpl := report.Template{Code: "DV-T", Name: "Báo cáo dân vận tháng", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true}
	if err := e.st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: e.unit["P38"], Kinds: []string{"ward"}, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2}}}
	if err := e.st.CreateSchedule(ctx, sys, &sc); err != nil {
		t.Fatal(err)
	}
	w := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, 2025)[6]
	r, err := e.st.EnsureReport(ctx, sys, tpl.ID, e.unit["W1"], w)
	if err != nil {
		t.Fatal(err)
	}
	d := store.ReportDraft{Narrative: map[string]string{"results": "Tổ chức đối thoại giữa người đứng đầu cấp ủy với Nhân dân."}, Values: report.Values{"dialogues": "4"}}
	if _, fe, err := e.st.SubmitReport(ctx, sys, r.ID, r.Version, &d); err != nil || len(fe) > 0 {
		t.Fatalf("submit: %v %v", err, fe)
	}
	return r.ID, tpl.ID
}

func TestReportExportsWeb(t *testing.T) {
	e := newPenv(t)
	id, tpl := exportEnv(t, e)
	base := fmt.Sprintf("/reports/%d/export", id)

	w := e.do("canbo", "GET", base+".docx", nil)
	want(t, w, 200)
	if ct := w.Header().Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("content type %q", ct)
	}
	cd := w.Header().Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="Bao-cao-`) || !strings.Contains(cd, "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20") || !strings.Contains(cd, "Ph%C6%B0%E1%BB%9Dng%20H%E1%BA%A1c%20Th%C3%A0nh") {
		t.Errorf("content disposition %q", cd)
	}
	if !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
		t.Error("not a zip file")
	}

	w = e.do("canbo", "GET", base+".xlsx?abbrev=UBND", nil)
	want(t, w, 200)
	f, err := excelize.OpenReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Indicators") // Accept-Language: en
	f.Close()
	if len(rows) < 7 || rows[6][2] != "Dialogues" || rows[6][5] != "4" {
		t.Errorf("xlsx rows %q", rows)
	}

	w = e.do("lanhdao", "GET", base+".csv", nil)
	want(t, w, 200, "\uFEFF", "dialogues")
	if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("csv content type %q", ct)
	}

	// Another ward's officer may not; nor an anonymous visitor; unknown files are 404.
	want(t, e.do("canbo2", "GET", base+".docx", nil), 403)
	if w := e.do("", "GET", base+".docx", nil); w.Code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", w.Code)
	}
	want(t, e.do("canbo", "GET", base+".pdf", nil), 404)
	want(t, e.do("canbo", "GET", "/reports/99999/export.docx", nil), 404)
	want(t, e.do("canbo", "GET", base+".docx?abbrev=%3Cscript%3E", nil), 400)

	// Consolidated: the province's reader gets it, a ward officer not.
	cons := fmt.Sprintf("/reports/consolidated/export.%%s?template=%d&unit=%d&type=monthly&year=2025&number=7", tpl, e.unit["P38"])
	w = e.do("dieuphoi", "GET", fmt.Sprintf(cons, "docx"), nil)
	want(t, w, 200)
	w = e.do("dieuphoi", "GET", fmt.Sprintf(cons, "csv"), nil)
	want(t, w, 200, "Phường Hạc Thành", "dialogues")
	want(t, e.do("canbo", "GET", fmt.Sprintf(cons, "xlsx"), nil), 403)
	want(t, e.do("dieuphoi", "GET", fmt.Sprintf("/reports/consolidated/export.docx?template=%d&unit=%d&year=2025", tpl, e.unit["P38"]), nil), 400)
	want(t, e.do("dieuphoi", "GET", fmt.Sprintf("/reports/consolidated/export.docx?template=%d&unit=%d&year=2025&number=13", tpl, e.unit["P38"]), nil), 400)

	// The API doors.
	w = e.do("canbo", "GET", fmt.Sprintf("/api/v1/reports/%d/export?format=csv", id), nil)
	want(t, w, 200, "\uFEFF", "Dialogues")
	want(t, e.do("canbo2", "GET", fmt.Sprintf("/api/v1/reports/%d/export?format=docx", id), nil), 403)
	want(t, e.do("canbo", "GET", fmt.Sprintf("/api/v1/reports/%d/export?format=pdf", id), nil), 400, "format")
	want(t, e.do("canbo", "GET", fmt.Sprintf("/api/v1/reports/%d/export", id), nil), 400, "format")
	apiCons := fmt.Sprintf("/api/v1/consolidated/export?format=xlsx&template=%d&unit=%d&year=2025&number=7", tpl, e.unit["P38"])
	w = e.do("dieuphoi", "GET", apiCons, nil)
	want(t, w, 200)
	if ct := w.Header().Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("api xlsx content type %q", ct)
	}
	want(t, e.do("canbo", "GET", apiCons, nil), 403)
	if w := e.do("", "GET", apiCons, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("api anonymous: %d", w.Code)
	}
}
