package store_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// dashNow: 20 Mar 2026, 10:00 in Vietnam.
var dashNow = time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC)

// sqlExec runs a query written with '?' on either engine (tests only).
func sqlExec(t *testing.T, st *store.Store, query string, args ...any) int64 {
	t.Helper()
	query = rebind(st, query)
	if strings.HasPrefix(query, "INSERT") && !strings.Contains(query, "report_values") && !strings.Contains(query, "task_texts") && !strings.Contains(query, "report_aggregates") {
		var id int64
		if err := st.DB().QueryRowContext(context.Background(), query+" RETURNING id", args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return id
	}
	if _, err := st.DB().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return 0
}

func sqlTime(st *store.Store, t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if st.Dialect() == store.Postgres {
		return t
	}
	return t.Format(time.RFC3339Nano)
}

// dashFixture fills a directive with two tasks, plans of units 10 and 11,
// a monthly template scheduled for communes and wards, and reports of three
// months (see the expectations in TestDashboard).
func dashFixture(t *testing.T, st *store.Store, u map[string]int64) (reportDraft int64) {
	t.Helper()
	now := sqlTime(st, dashNow)
	dir := sqlExec(t, st, `INSERT INTO directives (number, doc_type, issued_on, issuer_unit_id, lang, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		"1470-CV/TU", "cv", "2024-02-22", u["P38"], "vi", "Năm dân vận chính quyền", now, now)
	task := map[int]int64{}
	for n, title := range map[int]string{1: "Quán triệt <quy định> & \"dân vận\"", 2: "Cụ thể hóa"} {
		task[n] = sqlExec(t, st, `INSERT INTO directive_tasks (directive_id, number, weight, created_at) VALUES (?, ?, ?, ?)`, dir, n, 1.0, now)
		sqlExec(t, st, `INSERT INTO directive_task_texts (task_id, lang, title, body, is_translation) VALUES (?, ?, ?, ?, ?)`, task[n], "vi", title, "", false)
	}
	for _, a := range []struct {
		task int
		unit string
	}{{1, "10"}, {1, "11"}, {2, "11"}} {
		sqlExec(t, st, `INSERT INTO task_assignments (task_id, unit_id, role, due_on, created_at) VALUES (?, ?, ?, ?, ?)`, task[a.task], u[a.unit], "lead", "2026-12-31", now)
	}
	for _, a := range []struct {
		task       int
		unit       string
		start, due string
		progress   int
	}{{1, "10", "2026-01-01", "2026-12-31", 50}, {1, "11", "2026-01-01", "2026-03-01", 100}, {2, "11", "2026-01-01", "2026-02-28", 20}} {
		sqlExec(t, st, `INSERT INTO plan_activities (unit_id, task_id, title, start_on, due_on, weight, progress, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u[a.unit], task[a.task], "Hoạt động "+a.unit, a.start, a.due, 1.0, a.progress, now, now)
	}
	tpl := sqlExec(t, st, `INSERT INTO report_templates (code, name, period_type, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"BC-THANG", "Báo cáo tháng", "monthly", "{}", now, now)
	ind := map[string]int64{}
	for i, x := range [][3]string{{"tiep_cd", "Số buổi tiếp công dân", "integer"}, {"ty_le", "Tỷ lệ giải quyết", "percent"}, {"ghi_chu", "Ghi chú", "text"}} {
		agg := "sum"
		if x[2] == "percent" {
			agg = "avg"
		}
		ind[x[0]] = sqlExec(t, st, `INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, sort_key) VALUES (?, ?, ?, ?, ?, ?)`, tpl, x[0], x[1], x[2], agg, i)
	}
	sqlExec(t, st, `INSERT INTO report_schedules (template_id, unit_id, unit_kinds, deadlines, created_at) VALUES (?, ?, ?, ?, ?)`, tpl, u["P38"], "commune,ward", `[{"level":"commune","days_after_end":6}]`, now)
	type rep struct {
		unit      string
		n         int
		status    string
		submitted time.Time
		tiep      float64
		tyle      float64
	}
	windows := map[int][3]string{1: {"2025-12-15", "2026-01-14", "2026-01-20"}, 2: {"2026-01-15", "2026-02-14", "2026-02-20"}, 3: {"2026-02-15", "2026-03-14", "2026-03-25"}}
	for _, r := range []rep{
		{"10", 1, "submitted", time.Date(2026, 1, 18, 2, 0, 0, 0, time.UTC), 5, 80},
		{"11", 1, "accepted", time.Date(2026, 1, 21, 18, 0, 0, 0, time.UTC), 7, 90}, // 22 Jan in Vietnam: late
		{"10", 2, "draft", time.Time{}, 3, 0},
		{"10", 3, "submitted", time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC), 4, 70},
	} {
		w := windows[r.n]
		id := sqlExec(t, st, `INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, submitted_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tpl, u[r.unit], "monthly", 2026, r.n, w[0], w[1], w[2], r.status, sqlTime(st, r.submitted), now, now)
		if r.status == "draft" {
			reportDraft = id
		}
		sqlExec(t, st, `INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, ?, ?)`, id, ind["tiep_cd"], "", r.tiep)
		sqlExec(t, st, `INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, ?, ?)`, id, ind["ty_le"], "", r.tyle)
		sqlExec(t, st, `INSERT INTO report_values (report_id, indicator_id, category, text_value) VALUES (?, ?, ?, ?)`, id, ind["ghi_chu"], "", "<b>x</b>")
	}
	// A maintained consolidated figure for the province in January wins
	// over the sum of values.
	sqlExec(t, st, `INSERT INTO report_aggregates (template_id, unit_id, period_type, period_year, period_number, indicator_id, category, sum, cnt, min, max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tpl, u["P38"], "monthly", 2026, 1, ind["tiep_cd"], "", 99.0, 2, 5.0, 94.0)
	return reportDraft
}

// expectedQ answers "who must report" with the service's one rule, over the
// store's units.
func expectedQ(st *store.Store, q store.DashboardQuery) store.DashboardQuery {
	tree := service.NewTree(func(ctx context.Context) ([]org.Unit, int64, error) { return st.AllUnits(ctx) }, st.UnitsChanged)
	q.Expected = func(ctx context.Context, templateID int64, w report.Window) ([]report.Expected, error) {
		if err := tree.Reload(ctx); err != nil {
			return nil, err
		}
		scs, err := st.ListSchedules(ctx, templateID)
		if err != nil {
			return nil, err
		}
		return service.ExpectedUnits(ctx, st.WorkingCalendar(ctx), tree, scs, w, q.UnitID)
	}
	return q
}

func fptr(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

func TestDashboard(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return dashNow })
	u := smallTree(t, st)

	// Empty database: every section empty, no problems.
	d, err := st.Dashboard(ctx, expectedQ(st, store.DashboardQuery{UnitID: u["P38"], Lang: "vi"}))
	if err != nil {
		t.Fatal(err)
	}
	if d.Progress != nil || d.OnTimePercent != nil || len(d.Tasks)+len(d.Completeness)+len(d.LateReports)+len(d.Trends.Series) != 0 || len(d.Problems) != 0 {
		t.Fatalf("empty dashboard = %+v", d)
	}
	if d.Today != "2026-03-20" {
		t.Fatalf("today %s", d.Today)
	}

	draft := dashFixture(t, st, u)
	d, err = st.Dashboard(ctx, expectedQ(st, store.DashboardQuery{UnitID: u["P38"], Lang: "vi"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems) > 0 {
		t.Fatalf("problems: %v", d.Problems)
	}
	if d.Directive != "1470-CV/TU" || fptr(d.Progress) != 47.5 {
		t.Errorf("directive %s progress %v, want 1470-CV/TU 47.5", d.Directive, fptr(d.Progress))
	}
	if len(d.Tasks) != 2 || d.Tasks[0].Percent != 75 || d.Tasks[1].Percent != 20 || !strings.Contains(d.Tasks[0].Title, "<quy định>") {
		t.Errorf("tasks = %+v", d.Tasks)
	}
	if len(d.Units) != 2 || d.Units[0].UnitID != u["10"] || d.Units[0].Percent != 50 || d.Units[1].Percent != 60 {
		t.Errorf("units (worst first) = %+v", d.Units)
	}
	if d.StatusCounts[programme.StatusLate] != 1 || d.StatusCounts[programme.StatusDone] != 1 {
		t.Errorf("status counts = %v", d.StatusCounts)
	}
	if len(d.LateActivities) != 1 || d.LateActivities[0].UnitID != u["11"] || d.LateActivities[0].DaysLate != 20 {
		t.Errorf("late activities = %+v", d.LateActivities)
	}
	want := []struct {
		key                       string
		exp, on, late, miss, pend int
	}{
		{"2026-1", 2, 1, 1, 0, 0}, {"2026-2", 2, 0, 0, 2, 0}, {"2026-3", 2, 1, 0, 0, 1},
	}
	if len(d.Completeness) != len(want) {
		t.Fatalf("completeness = %+v", d.Completeness)
	}
	for i, w := range want {
		p := d.Completeness[i]
		if p.Key != w.key || p.Expected != w.exp || p.OnTime != w.on || p.Late != w.late || p.Missing != w.miss || p.Pending != w.pend {
			t.Errorf("period %d = %+v, want %+v", i, p, w)
		}
	}
	if v := fptr(d.OnTimePercent); v != 40 {
		t.Errorf("on time %v%%, want 40", v)
	}
	if len(d.LateReports) != 2 || d.LateReports[0].ReportID != draft && d.LateReports[1].ReportID != draft {
		t.Errorf("late reports = %+v", d.LateReports)
	}
	if len(d.Trends.Series) != 2 || d.Trends.Series[0].Code != "tiep_cd" {
		t.Fatalf("series = %+v", d.Trends.Series)
	}
	tc := d.Trends.Series[0].Values
	if fptr(tc[0]) != 99 || tc[1] != nil || fptr(tc[2]) != 4 || d.Trends.Source[0] != "consolidated" || d.Trends.Source[2] != "values" {
		t.Errorf("trend tiep_cd = %v, %v, %v; sources %v", fptr(tc[0]), tc[1], fptr(tc[2]), d.Trends.Source)
	}
	if ty := d.Trends.Series[1].Values; fptr(ty[2]) != 70 {
		t.Errorf("ty_le March = %v, want 70 (average)", fptr(ty[2]))
	}

	// A commune sees its own part only.
	d, err = st.Dashboard(ctx, expectedQ(st, store.DashboardQuery{UnitID: u["10"], Lang: "vi"}))
	if err != nil {
		t.Fatal(err)
	}
	if fptr(d.Progress) != 50 || len(d.Tasks) != 1 || len(d.Units) != 1 || len(d.LateActivities) != 0 {
		t.Errorf("commune 10: progress %v tasks %+v units %+v", fptr(d.Progress), d.Tasks, d.Units)
	}
	if v := fptr(d.OnTimePercent); v < 66.6 || v > 66.7 || len(d.LateReports) != 1 {
		t.Errorf("commune 10: on time %v, late %+v", v, d.LateReports)
	}
	if fptr(d.Trends.Series[0].Values[0]) != 5 {
		t.Errorf("commune 10 January = %v, want its own 5", fptr(d.Trends.Series[0].Values[0]))
	}

	// Choosing the period moves the window back.
	d, err = st.Dashboard(ctx, expectedQ(st, store.DashboardQuery{UnitID: u["P38"], Period: "2026-2"}))
	if err != nil {
		t.Fatal(err)
	}
	if d.Period != "2026-2" || len(d.Completeness) != 2 || d.Completeness[1].Key != "2026-2" || len(d.PeriodChoices) != 3 {
		t.Errorf("period 2026-2: %s %+v", d.Period, d.Completeness)
	}

	// Without the "who must report" answer only the units with a report
	// row count.
	d, err = st.Dashboard(ctx, store.DashboardQuery{UnitID: u["P38"]})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Completeness) != 3 || d.Completeness[1].Expected != 1 || d.Completeness[1].Missing != 1 {
		t.Errorf("completeness of report rows only = %+v", d.Completeness)
	}

	if _, err := st.Dashboard(ctx, expectedQ(st, store.DashboardQuery{UnitID: 99999})); err == nil {
		t.Error("unknown unit: no error")
	}
}

// A section whose tables are missing is left empty and named in Problems;
// the rest still answers.
func TestDashboardMissingTables(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return dashNow })
	u := smallTree(t, st)
	dashFixture(t, st, u)
	cascade := ""
	if st.Dialect() == store.Postgres {
		cascade = " CASCADE"
	}
	sqlExec(t, st, `DROP TABLE report_aggregates`+cascade)
	sqlExec(t, st, `DROP TABLE plan_activities`+cascade)
	d, err := st.Dashboard(ctx, expectedQ(st, store.DashboardQuery{UnitID: u["P38"]}))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems) != 1 || !strings.HasPrefix(d.Problems[0], "programme:") || d.Progress != nil {
		t.Errorf("problems %q, progress %v", d.Problems, d.Progress)
	}
	if len(d.Completeness) != 3 || fptr(d.Trends.Series[0].Values[0]) != 12 || d.Trends.Source[0] != "values" {
		t.Errorf("reports section without aggregates: %+v %+v", d.Completeness, d.Trends)
	}
}

// rebind turns '?' into $n on PostgreSQL (tests only).
func rebind(st *store.Store, query string) string {
	if st.Dialect() != store.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// The completeness the database counts equals the one worked out row by
// row — every report read, its timeliness from report.CompletenessRow.Classify
// — on random reports of a province large enough to be read whole, of a
// district read through its subtree and of a commune listed by id, with a
// province outside the scope whose reports must not count.
func TestDashboardCompletenessMatchesRows(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return dashNow })
	for _, seed := range []int64{1, 2, 3} {
		t.Run("seed"+strconv.FormatInt(seed, 10), func(t *testing.T) {
			dashCompareSeed(t, st, seed)
		})
	}
}

func dashCompareSeed(t *testing.T, st *store.Store, seed int64) {
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	pfx := "S" + strconv.FormatInt(seed, 10) + "-"
	var csv strings.Builder
	csv.WriteString("code,name,kind,parent_code,valid_from,valid_to,remote\n")
	fmt.Fprintf(&csv, "%sPA,Tỉnh A %d,province,,2000-01-01,,false\n", pfx, seed)
	fmt.Fprintf(&csv, "%sPB,Tỉnh B %d,province,,2000-01-01,,false\n", pfx, seed)
	// 544 units under PA (read whole), 201 under DA2 (the subtree), 41
	// under DA3 (listed), and PB's 11 outside.
	for d, n := range map[string]int{"DA1": 300, "DA2": 200, "DA3": 40, "DB1": 10} {
		parent := pfx + "PA"
		if d == "DB1" {
			parent = pfx + "PB"
		}
		fmt.Fprintf(&csv, "%s%s,Huyện %s,district,%s,2000-01-01,,false\n", pfx, d, d, parent)
		for i := range n {
			validTo := ""
			if rng.IntN(10) == 0 { // dissolved: no longer expected, its old reports still count
				validTo = "2025-12-31"
			}
			kind := "commune"
			if rng.IntN(8) == 0 {
				kind = "ward" // not scheduled: counts only with a report row
			}
			fmt.Fprintf(&csv, "%s%s-%d,Xã %s %d,%s,%s%s,2000-01-01,%s,false\n", pfx, d, i, d, i, kind, pfx, d, validTo)
		}
	}
	rows, err := org.ParseCSV(strings.NewReader(csv.String()), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportUnits(ctx, sys, rows); err != nil {
		t.Fatal(err)
	}
	all, _, err := st.AllUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code := map[string]int64{}
	parent := map[int64]int64{}
	var leaves []int64
	for _, u := range all {
		parent[u.ID] = u.ParentID
		if strings.HasPrefix(u.Code, pfx) {
			code[strings.TrimPrefix(u.Code, pfx)] = u.ID
			if u.Kind == "commune" || u.Kind == "ward" {
				leaves = append(leaves, u.ID)
			}
		}
	}
	now := sqlTime(st, dashNow)
	tpl := sqlExec(t, st, `INSERT INTO report_templates (code, name, period_type, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		pfx+"BC", "Báo cáo "+pfx, "monthly", "{}", now, now)
	for _, p := range []string{"PA", "PB"} {
		sqlExec(t, st, `INSERT INTO report_schedules (template_id, unit_id, unit_kinds, deadlines, created_at) VALUES (?, ?, ?, ?, ?)`,
			tpl, code[p], "commune", `[{"level":"commune","days_after_end":6}]`, now)
	}
	// Reports of 2025-10 … 2026-4 (the last one begun on 20 March 2026),
	// in random states, due around the schedule's date and submitted
	// around the end of the due day in Vietnam (17:00 UTC).
	type period struct{ y, n int }
	var periods []period
	for n := 10; n <= 12; n++ {
		periods = append(periods, period{2025, n})
	}
	for n := 1; n <= 4; n++ {
		periods = append(periods, period{2026, n})
	}
	statuses := []string{"draft", "submitted", "returned", "accepted", "accepted", "submitted"}
	var args []any
	var vals []string
	flush := func() {
		if len(vals) == 0 {
			return
		}
		q := `INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, submitted_at, created_at, updated_at) VALUES ` + strings.Join(vals, ", ")
		if _, err := st.DB().ExecContext(ctx, rebind(st, q), args...); err != nil {
			t.Fatal(err)
		}
		args, vals = nil, nil
	}
	for _, id := range leaves {
		for _, p := range periods {
			if rng.IntN(10) < 3 {
				continue // no report row
			}
			w := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, p.y)[p.n-1]
			due := w.To.AddDays(4 + rng.IntN(5))
			status := statuses[rng.IntN(len(statuses))]
			var submitted time.Time
			if status != "draft" && rng.IntN(20) != 0 { // now and then a received report without a time
				dueEnd, _ := time.Parse("2006-01-02", due.String())
				dueEnd = dueEnd.Add(17 * time.Hour) // 00:00 the next day in Vietnam
				switch rng.IntN(4) {
				case 0:
					submitted = dueEnd.Add(-time.Nanosecond)
				case 1:
					submitted = dueEnd
				default:
					submitted = dueEnd.Add(time.Duration(rng.IntN(96)-48) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
				}
			}
			vals = append(vals, `(?, ?, 'monthly', ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			args = append(args, tpl, id, p.y, p.n, w.From.String(), w.To.String(), due.String(), status, sqlTime(st, submitted), now, now)
			if len(vals) == 50 {
				flush()
			}
		}
	}
	flush()

	under := func(root, id int64) bool {
		for i := 0; i < 64 && id != 0; i++ {
			if id == root {
				return true
			}
			id = parent[id]
		}
		return false
	}
	for _, scope := range []string{"PA", "DA2", "DA3", "DA3-0"} {
		for _, withExpected := range []bool{true, false} {
			q := store.DashboardQuery{UnitID: code[scope], TemplateID: tpl}
			if withExpected {
				q = expectedQ(st, q)
			}
			d, err := st.Dashboard(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Problems) > 0 || d.TemplateID != tpl {
				t.Fatalf("%s: template %d, problems %v", scope, d.TemplateID, d.Problems)
			}
			q.Today = d.Today
			want, wantLate, wantPct := dashRowByRow(t, st, q, tpl, d.Completeness, under)
			if len(d.Completeness) != 6 || d.Completeness[5].Key != "2026-4" {
				t.Fatalf("%s: periods %+v", scope, d.Completeness)
			}
			for i, p := range d.Completeness {
				if p != want[i] {
					t.Errorf("%s (expected %v) %s: got %+v, want %+v", scope, withExpected, p.Key, p, want[i])
				}
			}
			if fptr(d.OnTimePercent) != fptr(wantPct) {
				t.Errorf("%s (expected %v): on time %v%%, want %v%%", scope, withExpected, fptr(d.OnTimePercent), fptr(wantPct))
			}
			if len(d.LateReports) != len(wantLate) {
				t.Fatalf("%s (expected %v): %d late reports, want %d", scope, withExpected, len(d.LateReports), len(wantLate))
			}
			for i := range wantLate {
				if d.LateReports[i] != wantLate[i] {
					t.Errorf("%s (expected %v): late report %d = %+v, want %+v", scope, withExpected, i, d.LateReports[i], wantLate[i])
				}
			}
		}
	}
}

// dashRowByRow works the completeness of periods ps out the plain way:
// every report row of the template read, kept when its unit lies in the
// scope, merged with the units q.Expected names, each classified.
func dashRowByRow(t *testing.T, st *store.Store, q store.DashboardQuery, tpl int64, ps []store.DashPeriod, under func(root, id int64) bool) ([]store.DashPeriod, []store.DashLateReport, *float64) {
	t.Helper()
	type row struct {
		id, unit    int64
		due, status string
		submitted   store.Time
	}
	byPeriod := map[string]map[int64]row{}
	rs, err := st.DB().QueryContext(ctx, rebind(st, `SELECT id, unit_id, period_year, period_number, due_on, status, submitted_at FROM reports WHERE template_id = ?`), tpl)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var r row
		var y, n int
		if err := rs.Scan(&r.id, &r.unit, &y, &n, &r.due, &r.status, &r.submitted); err != nil {
			t.Fatal(err)
		}
		if !under(q.UnitID, r.unit) {
			continue
		}
		k := strconv.Itoa(y) + "-" + strconv.Itoa(n)
		if byPeriod[k] == nil {
			byPeriod[k] = map[int64]row{}
		}
		byPeriod[k][r.unit] = r
	}
	rs.Close()
	var out []store.DashPeriod
	var late []store.DashLateReport
	var due, onTime int
	for _, p := range ps {
		p.Expected, p.OnTime, p.Late, p.Missing, p.Pending = 0, 0, 0, 0, 0
		exp := map[int64]report.CompletenessRow{}
		if q.Expected != nil {
			w := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, p.Year)[p.Number-1]
			es, err := q.Expected(ctx, tpl, w)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				exp[e.UnitID] = report.CompletenessRow{Expected: e}
			}
		}
		for id, r := range byPeriod[p.Key] {
			e, ok := exp[id]
			if !ok {
				u, err := st.GetUnit(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				e.Expected = report.Expected{UnitID: id, UnitName: u.Name}
			}
			e.ReportID, e.Status, e.DueOn = r.id, report.Status(r.status), r.due
			if !r.submitted.IsZero() {
				at := r.submitted.Time
				e.SubmittedAt = &at
			}
			exp[id] = e
		}
		for id, e := range exp {
			e.Classify(q.Today)
			p.Expected++
			switch e.Timeliness {
			case report.OnTimeStatus:
				p.OnTime++
			case report.LateStatus:
				p.Late++
			case report.MissingState:
				p.Missing++
				dl, _ := time.Parse("2006-01-02", e.DueOn)
				today, _ := time.Parse("2006-01-02", q.Today)
				late = append(late, store.DashLateReport{ReportID: e.ReportID, UnitID: id, UnitName: e.UnitName, Period: p.Key, Type: p.Type,
					Year: p.Year, Number: p.Number, DueOn: e.DueOn, Status: string(e.Status), DaysLate: int(today.Sub(dl).Hours() / 24)})
			default:
				p.Pending++
			}
		}
		if p.Expected-p.Pending > 0 {
			due += p.Expected - p.Pending
			onTime += p.OnTime
		}
		out = append(out, p)
	}
	slices.SortFunc(late, func(a, b store.DashLateReport) int {
		return cmp.Or(cmp.Compare(a.DueOn, b.DueOn), cmp.Compare(a.UnitName, b.UnitName), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Period, b.Period))
	})
	var pct *float64
	if due > 0 {
		v := 100 * float64(onTime) / float64(due)
		pct = &v
	}
	return out, late, pct
}
