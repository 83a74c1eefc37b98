package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// consolidationFixture: a monthly template; C1 and C3 submit for 2025-03
// (old communes), W1 and W2 for 2025-08 (new communes).
func consolidationFixture(t *testing.T, e *env) int64 {
	t.Helper()
	ctx := context.Background()
	sys := audit.System("test")
	tpl := report.Template{Code: "tonghop", Name: "Báo cáo tháng", PeriodType: report.Monthly, Active: true, Definition: report.Definition{Indicators: []report.Indicator{
		{Code: "cases", Name: report.Text{"vi": "Số vụ việc"}, Type: report.TypeInteger, Aggregation: report.AggSum},
		{Code: "rate", Name: report.Text{"vi": "Tỷ lệ"}, Type: report.TypePercent, Aggregation: report.AggAvg},
	}}}
	if err := e.st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: e.unit["P38"], Kinds: []string{"commune", "ward"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := e.st.CreateSchedule(ctx, sys, &sc); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		unit  string
		month int
		cases string
	}{{"C1", 3, "4"}, {"C3", 3, "6"}, {"W1", 8, "10"}, {"W2", 8, "1"}} {
		r, err := e.st.EnsureReport(ctx, sys, tpl.ID, e.unit[s.unit], report.Windows(report.Rule{}, report.Monthly, 2025)[s.month-1])
		if err != nil {
			t.Fatal(err)
		}
		if _, fe, err := e.st.SubmitReport(ctx, sys, r.ID, r.Version, &store.ReportDraft{Values: report.Values{"cases": s.cases, "rate": "50"}}); err != nil {
			t.Fatalf("%v %v", err, fe)
		}
	}
	return tpl.ID
}

func TestConsolidatedAPI(t *testing.T) {
	e := newEnv(t)
	tpl := consolidationFixture(t, e)
	url := func(unit string, month int, extra string) string {
		return fmt.Sprintf("/api/v1/consolidated?template=%d&unit=%d&type=monthly&year=2025&number=%d%s", tpl, e.unit[unit], month, extra)
	}
	value := func(cells []api.ConsolidatedCell, code string) float64 {
		for _, c := range cells {
			if c.Code == code && c.Category == "" && c.Value != nil {
				return *c.Value
			}
		}
		return -1
	}
	cases := []struct {
		name      string
		user      string
		path      string
		status    int
		cases     float64
		nReports  int
		nChildren int
	}{
		{"province 2025-03 over old districts", "dieuphoi", url("P38", 3, ""), 200, 10, 2, 2},
		{"district 2025-03", "dieuphoi", url("D380", 3, ""), 200, 4, 1, 2},
		{"province 2025-08 over new communes", "dieuphoi", url("P38", 8, ""), 200, 11, 2, 2},
		{"mapped 2025-03 onto new communes", "dieuphoi", url("P38", 3, "&mapped=1"), 200, 10, 2, 2},
		{"mapped new ward", "truong", url("W1", 3, "&mapped=1"), 200, 4, 1, 0},
		{"one indicator for the children", "admin", url("P38", 8, "&indicator=1"), 200, 11, 2, 2},
		{"unit head outside subtree", "truong", url("P38", 3, ""), 403, 0, 0, 0},
		{"no grant", "khach", url("W1", 8, ""), 403, 0, 0, 0},
		{"bad type", "dieuphoi", url("P38", 3, "")[:0] + fmt.Sprintf("/api/v1/consolidated?template=%d&unit=%d&type=weekly&year=2025&number=1", tpl, e.unit["P38"]), 400, 0, 0, 0},
		{"month 13", "dieuphoi", url("P38", 13, ""), 400, 0, 0, 0},
		{"missing template", "dieuphoi", fmt.Sprintf("/api/v1/consolidated?unit=%d&type=monthly&year=2025&number=1", e.unit["P38"]), 400, 0, 0, 0},
		{"unknown template", "dieuphoi", fmt.Sprintf("/api/v1/consolidated?template=999&unit=%d&type=monthly&year=2025&number=1", e.unit["P38"]), 404, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := e.do(http.MethodGet, c.path, nil, e.as(c.user))
			if c.status != 200 {
				if w.Code != c.status {
					t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
				}
				return
			}
			got := decode[api.Consolidation](t, w, 200)
			if v := value(got.Cells, "cases"); v != c.cases {
				t.Errorf("cases = %v, want %v", v, c.cases)
			}
			if got.NReports != c.nReports || len(got.Children) != c.nChildren {
				t.Errorf("n_reports %d children %d, want %d %d", got.NReports, len(got.Children), c.nReports, c.nChildren)
			}
		})
	}
	// Unauthenticated.
	if w := e.do(http.MethodGet, url("P38", 3, ""), nil); w.Code != 401 {
		t.Errorf("anonymous: %d", w.Code)
	}
}
