package store

// Dashboard: read-only figures for coordinators and leaders — programme
// progress per task and per unit, reporting completeness and timeliness per
// period, late lists and indicator trends — all within one unit's subtree.
// Nothing here writes. Each section is read on its own: a section whose
// tables are missing or unreadable is left empty and named in Problems, so
// that the page still renders the rest.

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/danvan/danvan/internal/calendar"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/report"
)

// DashboardQuery selects what a dashboard shows.
type DashboardQuery struct {
	UnitID      int64  // scope: this unit and everything below it (required)
	DirectiveID int64  // 0: the newest directive
	TemplateID  int64  // 0: the first active template with reports in scope
	Period      string // "YYYY-N": the last period shown; "": the latest begun
	Today       string // YYYY-MM-DD in Vietnam
	Lang        string // language of task titles
	Periods     int    // completeness periods (default 6)
	TrendN      int    // trend periods (default 12)
	// Expected answers which units of the scope must send the template's
	// report for window w (the one "who must report" rule); nil: only the
	// units with a report row count. It may run on a goroutine of its own,
	// never at the same time as another of these functions.
	Expected func(ctx context.Context, templateID int64, w report.Window) ([]report.Expected, error)
	// UnitName names a unit without a query; nil: read from the store.
	UnitName func(id int64) string
	// DueOn is the earliest deadline of window w (YYYY-MM-DD); nil: none shown.
	DueOn func(ctx context.Context, templateID int64, w report.Window) (string, error)
}

// DashOption is one choice of a selector.
type DashOption struct {
	ID    int64  `json:"id"`
	Key   string `json:"key,omitempty"`
	Label string `json:"label"`
}

// DashTask is a task's progress within the scope.
type DashTask struct {
	TaskID  int64            `json:"task_id"`
	Number  int              `json:"number"`
	Title   string           `json:"title"`
	Percent float64          `json:"percent"`
	Status  programme.Status `json:"status"`
	Units   int              `json:"units"`
}

// DashUnit is one unit's own progress under the directive.
type DashUnit struct {
	UnitID     int64            `json:"unit_id"`
	Name       string           `json:"name"`
	Percent    float64          `json:"percent"`
	Status     programme.Status `json:"status"`
	Activities int              `json:"activities"`
}

// DashPeriod is a report period with its completeness in the scope.
type DashPeriod struct {
	Key      string `json:"key"` // YYYY-N
	Type     string `json:"type"`
	Year     int    `json:"year"`
	Number   int    `json:"number"`
	From     string `json:"from"`
	To       string `json:"to"`
	DueOn    string `json:"due_on"`
	Expected int    `json:"expected"`
	OnTime   int    `json:"on_time"`
	Late     int    `json:"late"`
	Missing  int    `json:"missing"`
	Pending  int    `json:"pending"` // not received, not yet due
}

// DashSeries is one indicator's figure per trend period (nil: no data).
type DashSeries struct {
	IndicatorID int64      `json:"indicator_id"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	ValueType   string     `json:"value_type"`
	Values      []*float64 `json:"values"`
}

// DashTrends are indicator figures over periods at the scope unit.
type DashTrends struct {
	Periods []DashPeriod `json:"periods"`
	Series  []DashSeries `json:"series"`
	// Source per period: "consolidated" (maintained aggregates) or "values"
	// (summed from counted reports).
	Source []string `json:"source"`
}

// DashLateReport is an expected report past its due date and not received.
type DashLateReport struct {
	ReportID int64  `json:"report_id,omitempty"` // 0: no report started
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Period   string `json:"period"`
	Type     string `json:"period_type"`
	Year     int    `json:"year"`
	Number   int    `json:"number"`
	DueOn    string `json:"due_on"`
	Status   string `json:"status"` // draft, returned, or "" when none started
	DaysLate int    `json:"days_late"`
}

// DashLateActivity is an activity past its due date and not done.
type DashLateActivity struct {
	ActivityID int64  `json:"activity_id"`
	UnitID     int64  `json:"unit_id"`
	UnitName   string `json:"unit_name"`
	Title      string `json:"title"`
	TaskNumber int    `json:"task_number"`
	DueOn      string `json:"due_on"`
	Progress   int    `json:"progress"`
	DaysLate   int    `json:"days_late"`
}

// Dashboard is everything the dashboard shows for one scope.
type Dashboard struct {
	UnitID int64  `json:"unit_id"`
	Today  string `json:"today"`

	Directives     []DashOption             `json:"directives"`
	DirectiveID    int64                    `json:"directive_id,omitempty"`
	Directive      string                   `json:"directive,omitempty"` // number
	Progress       *float64                 `json:"progress"`            // weighted, nil without data
	ProgressStatus programme.Status         `json:"progress_status,omitempty"`
	StatusCounts   map[programme.Status]int `json:"status_counts"`
	Tasks          []DashTask               `json:"tasks"`
	Units          []DashUnit               `json:"units"` // worst first

	Templates     []DashOption `json:"templates"`
	TemplateID    int64        `json:"template_id,omitempty"`
	PeriodType    string       `json:"period_type,omitempty"`
	PeriodChoices []DashPeriod `json:"period_choices"`
	Period        string       `json:"period,omitempty"`
	Completeness  []DashPeriod `json:"completeness"` // oldest first
	// OnTimePercent: received on time / expected, over the shown periods
	// already due; nil when none is due.
	OnTimePercent *float64   `json:"on_time_percent"`
	Trends        DashTrends `json:"trends"`

	LateReports         []DashLateReport   `json:"late_reports"`
	LateActivities      []DashLateActivity `json:"late_activities"`
	OpenRecommendations *int               `json:"open_recommendations"` // nil: not tracked here

	Problems []string `json:"problems,omitempty"` // sections left empty because they could not be read
}

// subtreeCTE names "sub": the ids of the unit given as its one parameter
// and of everything ever below it (old units included, so that periods
// before a reorganisation still count).
const subtreeCTE = `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = ?
		UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) `

func daysLate(due, today string) int {
	d, err1 := time.Parse("2006-01-02", due)
	t, err2 := time.Parse("2006-01-02", today)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(d).Hours() / 24)
}

// Dashboard reads every section for q. Only a missing scope unit is an
// error; a section that cannot be read is recorded in Problems.
func (s *Store) Dashboard(ctx context.Context, q DashboardQuery) (Dashboard, error) {
	if _, err := s.GetUnit(ctx, q.UnitID); err != nil {
		return Dashboard{}, err
	}
	if q.Today == "" {
		q.Today = s.Now().In(calendar.Vietnam).Format("2006-01-02")
	}
	if q.Periods <= 0 {
		q.Periods = 6
	}
	if q.TrendN <= 0 {
		q.TrendN = 12
	}
	d := Dashboard{UnitID: q.UnitID, Today: q.Today, StatusCounts: map[programme.Status]int{},
		Tasks: []DashTask{}, Units: []DashUnit{}, Directives: []DashOption{}, Templates: []DashOption{},
		PeriodChoices: []DashPeriod{}, Completeness: []DashPeriod{}, LateReports: []DashLateReport{}, LateActivities: []DashLateActivity{},
		Trends: DashTrends{Periods: []DashPeriod{}, Series: []DashSeries{}, Source: []string{}}}
	scope, err := s.subtreeIDs(ctx, q.UnitID)
	if err != nil {
		return d, err
	}
	if err := s.dashProgramme(ctx, q, scope, &d); err != nil {
		d.Problems = append(d.Problems, "programme: "+err.Error())
	}
	if err := s.dashReports(ctx, q, scope, &d); err != nil {
		d.Problems = append(d.Problems, "reports: "+err.Error())
	}
	if d.OpenRecommendations, err = s.openRecommendations(ctx, q.UnitID); err != nil {
		d.Problems = append(d.Problems, "recommendations: "+err.Error())
	}
	return d, nil
}

func (s *Store) subtreeIDs(ctx context.Context, root int64) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q(subtreeCTE+`SELECT id FROM sub`), root)
	if err != nil {
		return nil, fmt.Errorf("subtree of %d: %w", root, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// dashProgramme rolls the chosen directive's activities in scope up to its
// tasks and units with the programme package's rules.
func (s *Store) dashProgramme(ctx context.Context, q DashboardQuery, scope map[int64]bool, d *Dashboard) error {
	ds, err := s.ListDirectives(ctx)
	if err != nil {
		return err
	}
	for _, x := range ds {
		d.Directives = append(d.Directives, DashOption{ID: x.ID, Label: x.Number})
	}
	if len(ds) == 0 {
		return nil
	}
	id := ds[0].ID
	for _, x := range ds {
		if x.ID == q.DirectiveID {
			id = x.ID
		}
	}
	dir, err := s.GetDirective(ctx, id)
	if err != nil {
		return err
	}
	d.DirectiveID, d.Directive = dir.ID, dir.Number
	all, err := s.DirectiveActivities(ctx, id)
	if err != nil {
		return err
	}
	var acts []programme.Activity
	for _, a := range all {
		if scope[a.UnitID] {
			acts = append(acts, a)
		}
	}
	// Only the assignments in scope count (a commune's view is its own), and
	// only the tasks that concern the scope.
	planned := map[int64]bool{}
	for _, a := range acts {
		planned[a.TaskID] = true
	}
	var tasks []programme.Task
	for _, t := range dir.Tasks {
		if t.Withdrawn != nil || dir.Withdrawn != nil {
			continue // withdrawn: counts nowhere
		}
		var as []programme.Assignment
		for _, a := range t.Assignments {
			if scope[a.UnitID] {
				as = append(as, a)
			}
		}
		t.Assignments = as
		if len(as) > 0 || planned[t.ID] {
			tasks = append(tasks, t)
		}
	}
	dir.Tasks = tasks
	sum := programme.Summarise(dir, acts, programme.DefaultRules(), q.Today)
	if sum.Rollup.N() > 0 {
		p := sum.Rollup.Percent
		d.Progress = &p
		d.ProgressStatus = sum.Rollup.Status
	}
	for st, n := range sum.Rollup.Counts {
		d.StatusCounts[st] = n
	}
	for i, t := range sum.Tasks {
		title := programme.TextIn(dir.Tasks[i].Texts, q.Lang).Title
		d.Tasks = append(d.Tasks, DashTask{TaskID: t.TaskID, Number: t.Number, Title: title, Percent: t.Rollup.Percent, Status: t.Rollup.Status, Units: len(t.Units)})
	}
	actsPer := map[int64]int{}
	for _, a := range acts {
		actsPer[a.UnitID]++
	}
	for _, u := range sum.Units {
		d.Units = append(d.Units, DashUnit{UnitID: u.UnitID, Name: u.UnitName, Percent: u.Rollup.Percent, Status: u.Rollup.Status, Activities: actsPer[u.UnitID]})
	}
	sort.SliceStable(d.Units, func(i, j int) bool {
		if d.Units[i].Percent != d.Units[j].Percent {
			return d.Units[i].Percent < d.Units[j].Percent
		}
		return d.Units[i].Name < d.Units[j].Name
	})
	for _, a := range acts { // Summarise set each activity's status
		if a.Status == programme.StatusLate {
			d.LateActivities = append(d.LateActivities, DashLateActivity{ActivityID: a.ID, UnitID: a.UnitID, UnitName: a.UnitName,
				Title: a.Title, TaskNumber: a.TaskNumber, DueOn: a.DueOn, Progress: a.Progress, DaysLate: daysLate(a.DueOn, q.Today)})
		}
	}
	sort.SliceStable(d.LateActivities, func(i, j int) bool { return d.LateActivities[i].DueOn < d.LateActivities[j].DueOn })
	return nil
}

// dashListedUnits: a scope of at most this many units is named in the query
// (so that the planner probes each unit's reports by index); a larger one is
// the recursive subtree.
const dashListedUnits = 64

// scopeFilter returns a query prefix with its arguments, and the condition
// "IN (…)" on a unit id with its arguments, for the units of scope (root's
// subtree).
func scopeFilter(root int64, scope map[int64]bool) (prefix string, prefixArgs []any, in string, inArgs []any) {
	if len(scope) == 0 || len(scope) > dashListedUnits {
		return subtreeCTE, []any{root}, `IN (SELECT id FROM sub)`, nil
	}
	ids := make([]int64, 0, len(scope))
	for id := range scope {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		inArgs = append(inArgs, id)
	}
	return "", nil, `IN (` + placeholders(len(ids)) + `)`, inArgs
}

// dashUnitName names a unit: from q.UnitName (the in-memory tree) when
// given, else from the units table.
func (s *Store) dashUnitName(ctx context.Context, q DashboardQuery, id int64) (string, error) {
	if q.UnitName != nil {
		return q.UnitName(id), nil
	}
	u, err := s.GetUnit(ctx, id)
	return u.Name, err
}

// dashMaxPeriods bounds the periods offered.
const dashMaxPeriods = 48

// dashPeriods lists the periods of the template's rule that have begun and
// have at least one report row, newest first, at most dashMaxPeriods: the
// candidates come from the period rule, and one query probes each with an
// indexed EXISTS (reports_consolidation), so the cost does not grow with the
// number of reports.
func (s *Store) dashPeriods(ctx context.Context, q DashboardQuery, templateID int64, ptype string, cutoff int) ([]DashPeriod, error) {
	today, err := time.Parse("2006-01-02", q.Today)
	if err != nil {
		return nil, fmt.Errorf("today %q: %w", q.Today, err)
	}
	var cands []report.Window
	for y := today.Year(); y >= today.Year()-5 && len(cands) < dashMaxPeriods; y-- {
		ws := report.Windows(report.Rule{CutoffDay: cutoff}, report.Type(ptype), y)
		for i := len(ws) - 1; i >= 0 && len(cands) < dashMaxPeriods; i-- {
			if ws[i].From.String() <= q.Today {
				cands = append(cands, ws[i])
			}
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	var sb strings.Builder
	var args []any
	for i, w := range cands {
		if i > 0 {
			sb.WriteString(" UNION ALL ")
		}
		sb.WriteString(`SELECT CAST(? AS INTEGER) AS y, CAST(? AS INTEGER) AS n WHERE EXISTS (SELECT 1 FROM reports WHERE template_id = ? AND period_type = ? AND period_year = ? AND period_number = ?)`)
		args = append(args, w.Year, w.Number, templateID, ptype, w.Year, w.Number)
	}
	rows, err := s.db.QueryContext(ctx, s.q(sb.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	has := map[string]bool{}
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			return nil, err
		}
		has[periodKey(y, n)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []DashPeriod
	for _, w := range cands {
		k := periodKey(w.Year, w.Number)
		if !has[k] {
			continue
		}
		p := DashPeriod{Key: k, Type: ptype, Year: w.Year, Number: w.Number, From: w.From.String(), To: w.To.String()}
		if q.DueOn != nil {
			if p.DueOn, err = q.DueOn(ctx, templateID, w); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func periodKey(y, n int) string { return strconv.Itoa(y) + "-" + strconv.Itoa(n) }

// dashReports fills templates, periods, completeness, the late reports and
// the trends of the chosen template.
func (s *Store) dashReports(ctx context.Context, q DashboardQuery, scope map[int64]bool, d *Dashboard) error {
	// Whether a template has reports in scope is an EXISTS probe, not a
	// count: the dashboard never reads every report.
	rows, err := s.db.QueryContext(ctx, s.q(subtreeCTE+`SELECT t.id, t.name, t.period_type, t.cutoff_day,
			CASE WHEN EXISTS (SELECT 1 FROM reports r WHERE r.template_id = t.id AND r.unit_id IN (SELECT id FROM sub)) THEN 1 ELSE 0 END
		FROM report_templates t WHERE t.active = ? ORDER BY t.id`), q.UnitID, true)
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	type tpl struct {
		id     int64
		ptype  string
		cutoff int
		n      int
	}
	var tpls []tpl
	for rows.Next() {
		var t tpl
		var name string
		if err := rows.Scan(&t.id, &name, &t.ptype, &t.cutoff, &t.n); err != nil {
			rows.Close()
			return err
		}
		tpls = append(tpls, t)
		d.Templates = append(d.Templates, DashOption{ID: t.id, Label: name})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(tpls) == 0 {
		return nil
	}
	chosen := tpls[0]
	for _, t := range tpls { // default: the first with reports in scope
		if t.n > 0 {
			chosen = t
			break
		}
	}
	for _, t := range tpls {
		if t.id == q.TemplateID {
			chosen = t
		}
	}
	d.TemplateID, d.PeriodType = chosen.id, chosen.ptype

	periods, err := s.dashPeriods(ctx, q, chosen.id, chosen.ptype, chosen.cutoff)
	if err != nil {
		return fmt.Errorf("periods: %w", err)
	}
	if len(periods) > 48 {
		periods = periods[:48]
	}
	d.PeriodChoices = append(d.PeriodChoices, periods...)
	if len(periods) == 0 {
		return nil
	}
	start := 0
	for i, p := range periods {
		if p.Key == q.Period {
			start = i
		}
	}
	d.Period = periods[start].Key
	window := func(n int) []DashPeriod { // oldest first
		end := min(start+n, len(periods))
		out := append([]DashPeriod(nil), periods[start:end]...)
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out
	}
	if err := s.dashCompleteness(ctx, q, chosen.id, chosen.cutoff, window(q.Periods), scope, d); err != nil {
		return err
	}
	return s.dashTrends(ctx, q, chosen.id, chosen.ptype, window(q.TrendN), scope, d)
}

// dashCompleteness counts, per period, the expected reports of the scope
// and their timeliness. Expected are the units q.Expected names (the one
// "who must report" rule) and every unit in scope with a report row for
// the period. Timeliness is report.CompletenessRow.Classify's.
//
// The database does the counting: received reports are counted per period
// as on time or late in SQL, and only their units come back, one list per
// period (see dashReceived); reports not received (drafts, returned ones)
// are read one row each, and are usually few. So a national dashboard
// reads a handful of rows however many reports were received.
func (s *Store) dashCompleteness(ctx context.Context, q DashboardQuery, templateID int64, cutoff int, ps []DashPeriod, scope map[int64]bool, d *Dashboard) error {
	if len(ps) == 0 {
		return nil
	}
	// Who must report is worked out while the database counts; q.Expected
	// runs on this one goroutine only, and is done before this returns.
	exps := make([][]report.Expected, len(ps))
	var expErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if q.Expected == nil {
			return
		}
		for i, p := range ps {
			ws := report.Windows(report.Rule{CutoffDay: cutoff}, report.Type(p.Type), p.Year)
			if p.Number >= 1 && p.Number <= len(ws) {
				if exps[i], expErr = q.Expected(ctx, templateID, ws[p.Number-1]); expErr != nil {
					return
				}
			}
		}
	}()
	recv, err := s.dashReceived(ctx, q.UnitID, templateID, ps, scope)
	var unreceived map[string][]dashOpenReport
	if err == nil {
		unreceived, err = s.dashNotReceived(ctx, q.UnitID, templateID, ps, scope)
	}
	<-done
	if err != nil {
		return fmt.Errorf("completeness: %w", err)
	}
	if expErr != nil {
		return expErr
	}
	var due, onTime int
	for i, p := range ps {
		r := recv[p.Key]
		p.OnTime, p.Late = r.onTime, r.late
		p.Expected = r.onTime + r.late
		// Units counted so far: those with a received report, then those
		// with a report not received.
		counted := make(map[int64]bool, len(r.units)+len(unreceived[p.Key]))
		for _, id := range r.units {
			counted[id] = true
		}
		// notReceived counts an expected report not received: missing
		// once its due day has passed, else pending.
		notReceived := func(e report.CompletenessRow) {
			e.Classify(q.Today)
			p.Expected++
			switch e.Timeliness {
			case report.MissingState:
				p.Missing++
				d.LateReports = append(d.LateReports, DashLateReport{ReportID: e.ReportID, UnitID: e.UnitID, UnitName: e.UnitName, Period: p.Key, Type: p.Type,
					Year: p.Year, Number: p.Number, DueOn: e.DueOn, Status: string(e.Status), DaysLate: daysLate(e.DueOn, q.Today)})
			default:
				p.Pending++
			}
		}
		exp := exps[i]
		names := make(map[int64]string, len(unreceived[p.Key]))
		for _, e := range exp {
			names[e.UnitID] = e.UnitName
		}
		for _, o := range unreceived[p.Key] {
			if counted[o.unit] {
				continue
			}
			counted[o.unit] = true
			name, ok := names[o.unit]
			if !ok {
				// A report of a unit no schedule names (any more): it counts.
				if name, err = s.dashUnitName(ctx, q, o.unit); err != nil {
					return err
				}
			}
			notReceived(report.CompletenessRow{Expected: report.Expected{UnitID: o.unit, UnitName: name, DueOn: o.due}, ReportID: o.id, Status: report.Status(o.status)})
		}
		// Expected units without any report row.
		for _, e := range exp {
			if counted[e.UnitID] {
				continue
			}
			counted[e.UnitID] = true
			notReceived(report.CompletenessRow{Expected: e})
		}
		if p.Expected-p.Pending > 0 {
			due += p.Expected - p.Pending
			onTime += p.OnTime
		}
		d.Completeness = append(d.Completeness, p)
	}
	if due > 0 {
		v := 100 * float64(onTime) / float64(due)
		d.OnTimePercent = &v
	}
	sort.Slice(d.LateReports, func(i, j int) bool {
		a, b := d.LateReports[i], d.LateReports[j]
		if a.DueOn != b.DueOn {
			return a.DueOn < b.DueOn
		}
		if a.UnitName != b.UnitName {
			return a.UnitName < b.UnitName
		}
		if a.UnitID != b.UnitID {
			return a.UnitID < b.UnitID
		}
		return a.Period < b.Period
	})
	return nil
}

// dashReceivedPeriod is one period's received reports in scope.
type dashReceivedPeriod struct {
	onTime, late int
	units        []int64 // their units
}

// dashWholeRange: a scope of more units than this reads the periods' index
// ranges whole, and the rows outside scope are dropped here, which costs
// less than probing the index once per unit of a large subtree.
const dashWholeRange = 512

// dashScope returns a query prefix with its arguments and the condition on
// r.unit_id selecting the units of scope (root's subtree) with its
// arguments, and whether the rows read must still be filtered by scope: a
// small scope is listed in the query, a middle one is the recursive
// subtree (each unit an index probe), a large one is no condition.
func dashScope(root int64, scope map[int64]bool) (prefix string, prefixArgs []any, cond string, args []any, filter bool) {
	if len(scope) > dashWholeRange {
		return ``, nil, ``, nil, true
	}
	prefix, prefixArgs, in, inArgs := scopeFilter(root, scope)
	return prefix, prefixArgs, ` AND r.unit_id ` + in, inArgs, false
}

// dashReceived counts, per period of ps, the received (submitted or
// accepted) reports in scope: on time when submitted by the end of the due
// day in Vietnam (report.OnTime), else late; and lists their units. The
// database returns one row per period, whose list names each unit once,
// negated when the report came late.
func (s *Store) dashReceived(ctx context.Context, root, templateID int64, ps []DashPeriod, scope map[int64]bool) (map[string]dashReceivedPeriod, error) {
	// The submission's day in Vietnam (UTC+7, no daylight saving) as
	// YYYY-MM-DD; NULL when never submitted, which counts as late.
	day := `date(r.submitted_at, '+7 hours')`
	if s.dialect == Postgres {
		day = `to_char((r.submitted_at AT TIME ZONE 'UTC') + INTERVAL '7 hours', 'YYYY-MM-DD')`
	}
	unit := `CASE WHEN ` + day + ` <= r.due_on THEN r.unit_id ELSE -r.unit_id END`
	list := `group_concat(` + unit + `)`
	if s.dialect == Postgres {
		list = `string_agg(CAST(` + unit + ` AS TEXT), ',')`
	}
	prefix, args, inScope, inArgs, filter := dashScope(root, scope)
	// One aggregate per period, so that each is a range of the index
	// reports_timeliness and reads no row of the table.
	var sb strings.Builder
	for i, p := range ps {
		if i > 0 {
			sb.WriteString(" UNION ALL ")
		}
		sb.WriteString(`SELECT CAST(? AS INTEGER), CAST(? AS INTEGER), ` + list + `
			FROM reports r WHERE r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ?
				AND r.status IN ('submitted', 'accepted')` + inScope)
		args = append(args, p.Year, p.Number, templateID, p.Type, p.Year, p.Number)
		args = append(args, inArgs...)
	}
	rows, err := s.db.QueryContext(ctx, s.q(prefix+sb.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]dashReceivedPeriod{}
	for rows.Next() {
		var y, n int
		var list sql.NullString
		if err := rows.Scan(&y, &n, &list); err != nil {
			return nil, err
		}
		if list.String == "" {
			continue
		}
		var r dashReceivedPeriod
		for f := range strings.SplitSeq(list.String, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("received units %q: %w", f, err)
			}
			late := id < 0
			if late {
				id = -id
			}
			if filter && !scope[id] {
				continue
			}
			if late {
				r.late++
			} else {
				r.onTime++
			}
			r.units = append(r.units, id)
		}
		out[periodKey(y, n)] = r
	}
	return out, rows.Err()
}

// dashOpenReport is a report row not received (draft or returned).
type dashOpenReport struct {
	id, unit    int64
	due, status string
}

// dashNotReceived reads, per period of ps, the reports in scope not
// received, one row each.
func (s *Store) dashNotReceived(ctx context.Context, root, templateID int64, ps []DashPeriod, scope map[int64]bool) (map[string][]dashOpenReport, error) {
	prefix, args, inScope, inArgs, filter := dashScope(root, scope)
	// Per period, the status neither 'accepted' nor 'submitted' as three
	// ranges of the index reports_timeliness, so that the received reports
	// are skipped, not read.
	var sb strings.Builder
	for i, p := range ps {
		if i > 0 {
			sb.WriteString(" UNION ALL ")
		}
		sb.WriteString(`SELECT r.id, r.unit_id, r.period_year, r.period_number, r.due_on, r.status
			FROM reports r WHERE r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ?
				AND (r.status < 'accepted' OR (r.status > 'accepted' AND r.status < 'submitted') OR r.status > 'submitted')` + inScope)
		args = append(args, templateID, p.Type, p.Year, p.Number)
		args = append(args, inArgs...)
	}
	rows, err := s.db.QueryContext(ctx, s.q(prefix+sb.String()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]dashOpenReport{}
	for rows.Next() {
		var o dashOpenReport
		var y, n int
		if err := rows.Scan(&o.id, &o.unit, &y, &n, &o.due, &o.status); err != nil {
			return nil, err
		}
		if filter && !scope[o.unit] {
			continue
		}
		k := periodKey(y, n)
		out[k] = append(out[k], o)
	}
	return out, rows.Err()
}

// dashTrends reads the numeric indicators of the template per period at the
// scope unit: the maintained consolidated figure where one exists, else the
// figures of the counted (submitted or accepted) reports in the subtree.
func (s *Store) dashTrends(ctx context.Context, q DashboardQuery, templateID int64, ptype string, ps []DashPeriod, scope map[int64]bool, d *Dashboard) error {
	if len(ps) == 0 {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, code, name, value_type, aggregation FROM report_indicators
		WHERE template_id = ? AND value_type IN ('integer', 'decimal', 'percent') ORDER BY sort_key, id`), templateID)
	if err != nil {
		return fmt.Errorf("indicators: %w", err)
	}
	idx := map[int64]int{}
	var aggs []string
	for rows.Next() {
		var se DashSeries
		var agg string
		if err := rows.Scan(&se.IndicatorID, &se.Code, &se.Name, &se.ValueType, &agg); err != nil {
			rows.Close()
			return err
		}
		se.Values = make([]*float64, len(ps))
		idx[se.IndicatorID] = len(d.Trends.Series)
		d.Trends.Series = append(d.Trends.Series, se)
		aggs = append(aggs, agg)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	pidx := map[string]int{}
	for i, p := range ps {
		pidx[p.Key] = i
		d.Trends.Periods = append(d.Trends.Periods, p)
		d.Trends.Source = append(d.Trends.Source, "values")
	}
	if len(d.Trends.Series) == 0 {
		return nil
	}
	type parts struct{ sum, cnt, mn, mx, wsum, wtotal float64 }
	value := func(agg string, p parts) *float64 {
		var v float64
		switch agg {
		case "avg":
			if p.cnt == 0 {
				return nil
			}
			v = p.sum / p.cnt
		case "wavg":
			if p.wtotal != 0 {
				v = p.wsum / p.wtotal
			} else if p.cnt != 0 {
				v = p.sum / p.cnt
			} else {
				return nil
			}
		case "min":
			v = p.mn
		case "max":
			v = p.mx
		case "none":
			return nil
		default:
			v = p.sum
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	first, last := ps[0], ps[len(ps)-1]
	inRange := func(y, n int) (int, bool) {
		i, ok := pidx[periodKey(y, n)]
		return i, ok
	}
	consolidated := map[int]bool{}
	// The maintained aggregates of the scope unit itself.
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT period_year, period_number, indicator_id, sum, cnt, min, max, wsum, wtotal FROM report_aggregates
		WHERE template_id = ? AND unit_id = ? AND period_type = ? AND category = '' AND period_year BETWEEN ? AND ?`),
		templateID, q.UnitID, ptype, first.Year, last.Year)
	if err == nil {
		for rows.Next() {
			var y, n int
			var ind int64
			var p parts
			if err := rows.Scan(&y, &n, &ind, &p.sum, &p.cnt, &p.mn, &p.mx, &p.wsum, &p.wtotal); err != nil {
				rows.Close()
				return err
			}
			i, ok := inRange(y, n)
			j, ok2 := idx[ind]
			if !ok || !ok2 {
				continue
			}
			consolidated[i] = true
			d.Trends.Series[j].Values[i] = value(aggs[j], p)
		}
		rows.Close()
	}
	for i := range ps {
		if consolidated[i] {
			d.Trends.Source[i] = "consolidated"
		}
	}
	// The rest from the reports' own values: only the periods without a
	// maintained figure (a leaf's, or before aggregates existed), each probed
	// by its own indexed range.
	var missing []string
	var margs []any
	for i, p := range ps {
		if !consolidated[i] {
			missing = append(missing, `(r.period_year = ? AND r.period_number = ?)`)
			margs = append(margs, p.Year, p.Number)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	prefix, prefixArgs, inScope, inArgs := scopeFilter(q.UnitID, scope)
	rows, err = s.db.QueryContext(ctx, s.q(prefix+`SELECT r.period_year, r.period_number, v.indicator_id,
			SUM(v.num_value), COUNT(v.num_value), MIN(v.num_value), MAX(v.num_value)
		FROM reports r JOIN report_values v ON v.report_id = r.id
		WHERE r.template_id = ? AND r.period_type = ? AND r.status IN ('submitted', 'accepted') AND v.category = '' AND v.num_value IS NOT NULL
			AND (`+strings.Join(missing, " OR ")+`) AND r.unit_id `+inScope+`
		GROUP BY r.period_year, r.period_number, v.indicator_id`), slices.Concat(prefixArgs, []any{templateID, ptype}, margs, inArgs)...)
	if err != nil {
		return fmt.Errorf("trend values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var y, n int
		var ind int64
		var p parts
		if err := rows.Scan(&y, &n, &ind, &p.sum, &p.cnt, &p.mn, &p.mx); err != nil {
			return err
		}
		i, ok := inRange(y, n)
		j, ok2 := idx[ind]
		if !ok || !ok2 || consolidated[i] {
			continue
		}
		d.Trends.Series[j].Values[i] = value(aggs[j], p)
	}
	return rows.Err()
}

// openRecommendations counts inspection recommendations not yet closed for
// units in scope.
func (s *Store) openRecommendations(ctx context.Context, unitID int64) (*int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(subtreeCTE+`SELECT COUNT(*) FROM inspection_recommendations
		WHERE status = 'open' AND unit_id IN (SELECT id FROM sub)`), unitID).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("open recommendations: %w", err)
	}
	return &n, nil
}
