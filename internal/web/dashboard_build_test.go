package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
)

// buildDashboard with many units and long late lists: the worst and the
// best units get a chart each, lists are capped, numbers are Vietnamese.
func TestBuildDashboardLarge(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.For("vi")
	p := 47.25
	d := store.Dashboard{Progress: &p, StatusCounts: map[programme.Status]int{programme.StatusLate: 1200}, Directive: "1470-CV/TU",
		Templates: []store.DashOption{{ID: 1, Label: "Báo cáo tháng"}}, TemplateID: 1}
	for i := range 30 {
		d.Units = append(d.Units, store.DashUnit{UnitID: int64(i + 1), Name: "Xã " + strconv.Itoa(i), Percent: float64(i) * 3.3, Status: programme.StatusOnTrack})
	}
	for i := range 120 {
		d.LateReports = append(d.LateReports, store.DashLateReport{UnitID: 1, UnitName: "Xã", Type: "monthly", Year: 2026, Number: 1, DueOn: "2026-01-20", DaysLate: i})
	}
	v := 1234.5
	d.Trends = store.DashTrends{Periods: []store.DashPeriod{{Key: "2026-1", Type: "quarterly", Year: 2026, Number: 1}},
		Series: []store.DashSeries{{Name: "Số vụ", ValueType: "integer", Values: []*float64{&v}}, {Name: "Tỷ lệ", ValueType: "percent", Values: []*float64{nil}}}}
	data := dashData{D: d, UnitName: "Tỉnh"}
	buildDashboard(l, &data)
	ids := map[string]dashSection{}
	for _, s := range data.Sections {
		ids[s.ID] = s
	}
	for _, id := range []string{"tasks", "status", "units", "units-best", "completeness", "trends-counts", "trends-percent"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("no section %s", id)
		}
	}
	if n := strings.Count(string(ids["units"].Chart), "<rect"); n != dashUnitsShown {
		t.Errorf("worst units chart has %d bars, want %d", n, dashUnitsShown)
	}
	if len(ids["units"].Table.Rows) != 30 || len(ids["units-best"].Table.Rows) != dashBestShown || ids["units-best"].Table.Rows[0][0].Text != "Xã 29" {
		t.Errorf("unit tables: %d rows, best %v", len(ids["units"].Table.Rows), ids["units-best"].Table.Rows)
	}
	if len(data.LateReports.Rows) != dashLateShown || data.MoreReports != 70 {
		t.Errorf("late reports %d shown, %d more", len(data.LateReports.Rows), data.MoreReports)
	}
	if !strings.Contains(string(ids["trends-counts"].Chart), "1.234,5") || !strings.Contains(string(data.KPIs[0].Ring), "47,3%") {
		t.Error("numbers are not formatted the Vietnamese way")
	}
	if !strings.Contains(string(data.KPIs[0].Ring), "1.200 hoạt động") {
		t.Errorf("progress tile note: %s", data.KPIs[0].Ring)
	}
	if !strings.Contains(ids["trends-counts"].Table.Rows[0][1].Text, "1.234,5") || ids["trends-percent"].Table.Rows[0][1].Text != "–" {
		t.Errorf("trend tables: %v %v", ids["trends-counts"].Table.Rows, ids["trends-percent"].Table.Rows)
	}
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("missing i18n keys: %q", m)
	}
}

func TestPeriodLabel(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, typ    string
		year, number int
		want         string
	}{
		{"vi", "monthly", 2026, 3, "Tháng 3/2026"},
		{"vi", "quarterly", 2025, 4, "Quý 4/2025"},
		{"vi", "six_month", 2025, 1, "6 tháng 2025"},
		{"en", "quarterly", 2025, 4, "Q4 2025"},
		{"ja", "monthly", 2026, 3, "2026年3月"},
		{"ja", "annual", 2026, 1, "2026年"},
		{"vi", "weekly", 2026, 9, "2026-9"},
	}
	for _, tt := range tests {
		if got := periodLabel(b.For(tt.lang), tt.typ, tt.year, tt.number); got != tt.want {
			t.Errorf("periodLabel(%s, %s, %d, %d) = %q, want %q", tt.lang, tt.typ, tt.year, tt.number, got, tt.want)
		}
	}
}
