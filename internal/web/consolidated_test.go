package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

func TestConsolidatedPage(t *testing.T) {
	e := newPenv(t)
	ctx := context.Background()
	sys := audit.System("test")
	tpl := report.Template{Code: "thang", Name: "Báo cáo tháng", PeriodType: report.Monthly, Active: true, Definition: report.Definition{Indicators: []report.Indicator{
		{Code: "cases", Name: report.Text{"vi": "Số vụ việc", "en": "Cases received"}, Type: report.TypeInteger, Aggregation: report.AggSum},
		{Code: "rate", Name: report.Text{"vi": "Tỷ lệ đúng hạn"}, Type: report.TypePercent, Aggregation: report.AggAvg},
	}}}
	if err := e.st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: e.unit["P38"], Kinds: []string{"ward"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := e.st.CreateSchedule(ctx, sys, &sc); err != nil {
		t.Fatal(err)
	}
	for unit, cases := range map[string]string{"W1": "1234", "W2": "1"} {
		r, err := e.st.EnsureReport(ctx, sys, tpl.ID, e.unit[unit], report.Windows(report.Rule{}, report.Monthly, 2025)[7])
		if err != nil {
			t.Fatal(err)
		}
		sub, fe, err := e.st.SubmitReport(ctx, sys, r.ID, r.Version, &store.ReportDraft{Values: report.Values{"cases": cases, "rate": "75.5"}})
		if err != nil {
			t.Fatalf("%v %v", err, fe)
		}
		// W1's report is accepted; W2's still waits for review.
		if unit == "W1" {
			if _, err := e.st.AcceptReport(ctx, sys, sub.ID, sub.Version, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	page := func(unit string, month int, extra string) string {
		return fmt.Sprintf("/reports/consolidated?template=%d&unit=%d&type=monthly&year=2025&number=%d%s", tpl.ID, e.unit[unit], month, extra)
	}
	for _, c := range []struct {
		name, user, path string
		status           int
		contains         []string
	}{
		{"province", "dieuphoi", page("P38", 8, ""), 200, []string{"1,235", "75.50", "Phường Hạc Thành", "Reports included: 2", "/reports/consolidated?",
			"Reports consolidated: 2 received — 1 accepted and 1 waiting for review.", `<strong aria-current="true">Including reports waiting for review</strong>`, "basis=accepted"}},
		{"accepted only", "dieuphoi", page("P38", 8, "&basis=accepted"), 200, []string{"1,234", "Reports included: 1",
			"Accepted reports consolidated: 1; reports waiting for review, not counted: 1.", `<strong aria-current="true">Accepted reports only</strong>`,
			"export.docx?basis=accepted", `name="basis" value="accepted"`}},
		{"bad basis", "dieuphoi", page("P38", 8, "&basis=draft"), 400, nil},
		{"leader default", "lanhdao", "/reports/consolidated", 200, nil},
		{"drill indicator", "lanhdao", page("P38", 8, "&indicator=999"), 200, []string{"1,235"}},
		{"own ward", "canbo", page("W1", 8, ""), 200, []string{"1,234", "Reports included: 1"}},
		{"empty period", "dieuphoi", page("P38", 2, ""), 200, []string{"No submitted or accepted report"}},
		{"pre-reform mapped", "dieuphoi", page("P38", 3, "&mapped=1"), 200, []string{"Mapped onto current units", "As organised then"}},
		{"another ward", "canbo", page("W2", 8, ""), 403, nil},
		{"province by officer", "canbo", page("P38", 8, ""), 403, nil},
		{"bad number", "dieuphoi", page("P38", 13, ""), 400, nil},
		{"bad type", "dieuphoi", fmt.Sprintf("/reports/consolidated?template=%d&unit=%d&type=weekly&year=2025&number=1", tpl.ID, e.unit["P38"]), 400, nil},
		{"unknown template", "dieuphoi", fmt.Sprintf("/reports/consolidated?template=999&unit=%d", e.unit["P38"]), 404, nil},
		{"anonymous", "", page("P38", 8, ""), http.StatusSeeOther, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			want(t, e.do(c.user, http.MethodGet, c.path, nil), c.status, c.contains...)
		})
	}
}
