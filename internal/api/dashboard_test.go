package api_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/store"
)

// dashExec runs a query written with '?' on either engine; INSERTs into
// tables with an id return it.
func (e *env) dashExec(query string, args ...any) int64 {
	e.t.Helper()
	if e.st.Dialect() == store.Postgres {
		n := 0
		query = regexp.MustCompile(`\?`).ReplaceAllStringFunc(query, func(string) string { n++; return "$" + strconv.Itoa(n) })
	}
	if strings.HasPrefix(query, "INSERT") && !strings.Contains(query, "report_values") && !strings.Contains(query, "task_texts") {
		var id int64
		if err := e.st.DB().QueryRowContext(context.Background(), query+" RETURNING id", args...).Scan(&id); err != nil {
			e.t.Fatalf("%s: %v", query, err)
		}
		return id
	}
	if _, err := e.st.DB().ExecContext(context.Background(), query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return 0
}

func (e *env) dashTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if e.st.Dialect() == store.Postgres {
		return t
	}
	return t.Format(time.RFC3339Nano)
}

// dashSeed: a directive with one task for W1 and W2 (progress 40 and 80),
// a monthly template for wards and communes with reports of May–Jul 2025
// (the clock is 1 Aug 2025).
func (e *env) dashSeed() {
	now := e.dashTS(testNow)
	dir := e.dashExec(`INSERT INTO directives (number, doc_type, issued_on, issuer_unit_id, lang, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		"1470-CV/TU", "cv", "2024-02-22", e.unit["P38"], "vi", "Năm dân vận", now, now)
	task := e.dashExec(`INSERT INTO directive_tasks (directive_id, number, weight, created_at) VALUES (?, ?, ?, ?)`, dir, 1, 1.0, now)
	e.dashExec(`INSERT INTO directive_task_texts (task_id, lang, title, body, is_translation) VALUES (?, ?, ?, ?, ?)`, task, "vi", "Quán triệt", "", false)
	for unit, p := range map[string]int{"W1": 40, "W2": 80} {
		e.dashExec(`INSERT INTO task_assignments (task_id, unit_id, role, due_on, created_at) VALUES (?, ?, ?, ?, ?)`, task, e.unit[unit], "lead", "2025-12-31", now)
		e.dashExec(`INSERT INTO plan_activities (unit_id, task_id, title, start_on, due_on, weight, progress, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.unit[unit], task, "Hội nghị", "2025-07-01", "2025-07-20", 1.0, p, now, now)
	}
	tpl := e.dashExec(`INSERT INTO report_templates (code, name, period_type, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		"BC-THANG", "Báo cáo tháng", "monthly", "{}", now, now)
	ind := e.dashExec(`INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, sort_key) VALUES (?, ?, ?, ?, ?, ?)`, tpl, "tiep_cd", "Số buổi tiếp công dân", "integer", "sum", 1)
	e.dashExec(`INSERT INTO report_schedules (template_id, unit_id, unit_kinds, deadlines, created_at) VALUES (?, ?, ?, ?, ?)`, tpl, e.unit["P38"], "ward,commune", `[{"level":"commune","days_after_end":6}]`, now)
	for _, r := range []struct {
		unit   string
		n      int
		from   string
		to     string
		due    string
		status string
		at     time.Time
	}{
		{"W1", 7, "2025-06-15", "2025-07-14", "2025-07-20", "accepted", time.Date(2025, 7, 18, 2, 0, 0, 0, time.UTC)},
		{"W2", 7, "2025-06-15", "2025-07-14", "2025-07-20", "draft", time.Time{}},
	} {
		id := e.dashExec(`INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, submitted_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tpl, e.unit[r.unit], "monthly", 2025, r.n, r.from, r.to, r.due, r.status, e.dashTS(r.at), now, now)
		e.dashExec(`INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, ?, ?)`, id, ind, "", 12.0)
	}
}

func TestDashboardAPI(t *testing.T) {
	e := newEnv(t)
	type dash struct {
		UnitID        int64    `json:"unit_id"`
		Progress      *float64 `json:"progress"`
		OnTimePercent *float64 `json:"on_time_percent"`
		Tasks         []struct {
			Percent float64 `json:"percent"`
		} `json:"tasks"`
		Completeness []struct {
			Key      string `json:"key"`
			Expected int    `json:"expected"`
			OnTime   int    `json:"on_time"`
			Missing  int    `json:"missing"`
		} `json:"completeness"`
		LateReports []struct {
			ReportID int64 `json:"report_id"`
		} `json:"late_reports"`
		LateActivities []struct {
			UnitID int64 `json:"unit_id"`
		} `json:"late_activities"`
		Trends struct {
			Series []struct {
				Values []*float64 `json:"values"`
			} `json:"series"`
		} `json:"trends"`
	}
	// Empty: still an answer.
	d := decode[dash](t, e.do("GET", "/api/v1/dashboard", nil, e.as("dieuphoi")), 200)
	if d.UnitID != e.unit["P38"] || d.Progress != nil || len(d.Tasks) != 0 {
		t.Fatalf("empty dashboard = %+v", d)
	}
	e.dashSeed()
	d = decode[dash](t, e.do("GET", "/api/v1/dashboard", nil, e.as("dieuphoi")), 200)
	if d.Progress == nil || *d.Progress != 60 || len(d.Tasks) != 1 || len(d.LateActivities) != 2 {
		t.Errorf("programme figures = %+v", d)
	}
	if len(d.Completeness) != 1 || d.Completeness[0].Key != "2025-7" || d.Completeness[0].Expected != 2 || d.Completeness[0].OnTime != 1 || d.Completeness[0].Missing != 1 {
		t.Errorf("completeness = %+v", d.Completeness)
	}
	if d.OnTimePercent == nil || *d.OnTimePercent != 50 || len(d.LateReports) != 1 || d.LateReports[0].ReportID == 0 {
		t.Errorf("on time %v, late %+v", d.OnTimePercent, d.LateReports)
	}
	if len(d.Trends.Series) != 1 || d.Trends.Series[0].Values[0] == nil || *d.Trends.Series[0].Values[0] != 12 {
		t.Errorf("trends = %+v", d.Trends)
	}

	// A unit head reads its unit; the parent is refused.
	w1 := strconv.FormatInt(e.unit["W1"], 10)
	d = decode[dash](t, e.do("GET", "/api/v1/dashboard?unit="+w1, nil, e.as("truong")), 200)
	if d.Progress == nil || *d.Progress != 40 {
		t.Errorf("W1 progress = %v", d.Progress)
	}
	decode[dash](t, e.do("GET", "/api/v1/dashboard", nil, e.as("truong")), 200)
	problem(t, e.do("GET", "/api/v1/dashboard?unit="+strconv.FormatInt(e.unit["P38"], 10), nil, e.as("truong")), 403, "forbidden")
	problem(t, e.do("GET", "/api/v1/dashboard", nil, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("GET", "/api/v1/dashboard", nil, e.as("khach")), 403, "forbidden")
	problem(t, e.do("GET", "/api/v1/dashboard", nil), 401, "unauthenticated")
	problem(t, e.do("GET", "/api/v1/dashboard?period=July", nil, e.as("dieuphoi")), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/dashboard?unit=abc", nil, e.as("dieuphoi")), 400, "invalid-parameter")
	problem(t, e.do("GET", "/api/v1/dashboard?unit=999999", nil, e.as("dieuphoi")), 404, "not-found")
	decode[dash](t, e.do("GET", "/api/v1/dashboard?period=2025-7&template=999", nil, e.as("admin")), 200)
}
