package store

// Periodic reports: templates with their indicator rows, schedules (who
// reports), reports with values, the submit → return → accept workflow with
// optimistic locking and kept versions, attachments, and completeness.
// Every status change (and an edit of a submitted report) calls
// s.consolidate in the same transaction.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

// ---------- templates ----------

const templateCols = `id, code, name, description, period_type, cutoff_day, definition, version, active, COALESCE(owner_unit_id, 0), created_at, updated_at`

func scanTemplate(sc interface{ Scan(...any) error }) (report.Template, error) {
	var t report.Template
	var pt, def string
	var created, updated Time
	if err := sc.Scan(&t.ID, &t.Code, &t.Name, &t.Description, &pt, &t.CutoffDay, &def, &t.Version, &t.Active, &t.OwnerUnitID, &created, &updated); err != nil {
		return t, err
	}
	t.PeriodType = report.Type(pt)
	t.CreatedAt, t.UpdatedAt = created.Time, updated.Time
	if err := json.Unmarshal([]byte(def), &t.Definition); err != nil {
		return t, fmt.Errorf("template %d: definition: %w", t.ID, err)
	}
	return t, nil
}

// TemplateError holds the field errors of a template (message keys).
type TemplateError map[string]string

func (e TemplateError) Error() string {
	keys := make([]string, 0, len(e))
	for k, v := range e {
		keys = append(keys, k+": "+v)
	}
	sort.Strings(keys)
	return "template: " + strings.Join(keys, "; ")
}

// CreateTemplate stores a new template and its indicator rows.
func (s *Store) CreateTemplate(ctx context.Context, a audit.Actor, t *report.Template) error {
	if errs := t.Check(); len(errs) > 0 {
		return TemplateError(errs)
	}
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO report_templates (code, name, description, period_type, cutoff_day, definition, version, active, owner_unit_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
			t.Code, t.Name, t.Description, string(t.PeriodType), t.CutoffDay, string(t.Definition.JSON()), t.Active, nullID(t.OwnerUnitID), s.ts(now), s.ts(now))
		if isUnique(err) {
			return fmt.Errorf("template %s: %w", t.Code, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("insert template: %w", err)
		}
		t.ID, t.Version, t.CreatedAt, t.UpdatedAt = id, 1, now, now
		if err := s.syncIndicators(ctx, tx, id, t.Definition); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "report_template.create", "report_template", id, nil, t)
	})
}

// UpdateTemplate replaces a template's fields and definition. version is
// the version the editor saw; any other (0 included) is ErrConflict, checked
// by the UPDATE itself so that two concurrent updates cannot both pass.
// Indicators dropped from the definition keep their rows (old values refer
// to them) but no longer appear in forms.
func (s *Store) UpdateTemplate(ctx context.Context, a audit.Actor, t *report.Template, version int) error {
	if errs := t.Check(); len(errs) > 0 {
		return TemplateError(errs)
	}
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanTemplate(s.txQueryRow(ctx, tx, s.q(`SELECT `+templateCols+` FROM report_templates WHERE id = ?`), t.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("template %d: %w", t.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if version != before.Version {
			return fmt.Errorf("template %d: stale version %d: %w", t.ID, version, ErrConflict)
		}
		res, err := s.txExec(ctx, tx, s.q(`UPDATE report_templates SET code = ?, name = ?, description = ?, period_type = ?, cutoff_day = ?, definition = ?, active = ?, owner_unit_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`),
			t.Code, t.Name, t.Description, string(t.PeriodType), t.CutoffDay, string(t.Definition.JSON()), t.Active, nullID(t.OwnerUnitID), s.ts(now), t.ID, version)
		if isUnique(err) {
			return fmt.Errorf("template %s: %w", t.Code, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("update template: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("template %d: stale version %d: %w", t.ID, version, ErrConflict)
		}
		t.Version, t.CreatedAt, t.UpdatedAt = version+1, before.CreatedAt, now
		if err := s.syncIndicators(ctx, tx, t.ID, t.Definition); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "report_template.update", "report_template", t.ID, before, t)
	})
}

// syncIndicators upserts one report_indicators row per indicator of def.
func (s *Store) syncIndicators(ctx context.Context, tx *sql.Tx, templateID int64, def report.Definition) error {
	for i, in := range def.Indicators {
		_, err := s.txExec(ctx, tx, s.q(`INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, weight_code, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (template_id, code) DO UPDATE SET name = excluded.name, value_type = excluded.value_type, aggregation = excluded.aggregation, weight_code = excluded.weight_code, sort_key = excluded.sort_key`),
			templateID, in.Code, in.Name.In("vi"), string(in.Type), string(in.Aggregation), in.WeightCode, i+1)
		if err != nil {
			return fmt.Errorf("indicator %s: %w", in.Code, err)
		}
	}
	return nil
}

// GetTemplate returns one template.
func (s *Store) GetTemplate(ctx context.Context, id int64) (report.Template, error) {
	t, err := scanTemplate(s.db.QueryRowContext(ctx, s.q(`SELECT `+templateCols+` FROM report_templates WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("template %d: %w", id, ErrNotFound)
	}
	return t, err
}

// TemplateByCode returns the template with a code.
func (s *Store) TemplateByCode(ctx context.Context, code string) (report.Template, error) {
	t, err := scanTemplate(s.db.QueryRowContext(ctx, s.q(`SELECT `+templateCols+` FROM report_templates WHERE code = ?`), code))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("template %s: %w", code, ErrNotFound)
	}
	return t, err
}

// ListTemplates returns the templates by code (only active ones if asked).
func (s *Store) ListTemplates(ctx context.Context, activeOnly bool) ([]report.Template, error) {
	q := `SELECT ` + templateCols + ` FROM report_templates`
	if activeOnly {
		q += ` WHERE active = TRUE`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	var out []report.Template
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// IndicatorRow is a stored indicator (the id values and aggregates refer to).
type IndicatorRow struct {
	ID          int64
	TemplateID  int64
	Code        string
	Name        string
	Type        report.ValueType
	Aggregation report.Aggregation
	WeightCode  string
	SortKey     int
}

func (s *Store) listIndicators(ctx context.Context, qr querier, templateID int64) ([]IndicatorRow, error) {
	rows, err := qr.QueryContext(ctx, s.q(`SELECT id, template_id, code, name, value_type, aggregation, weight_code, sort_key FROM report_indicators WHERE template_id = ? ORDER BY sort_key, id`), templateID)
	if err != nil {
		return nil, fmt.Errorf("indicators of template %d: %w", templateID, err)
	}
	defer rows.Close()
	var out []IndicatorRow
	for rows.Next() {
		var r IndicatorRow
		var vt, ag string
		if err := rows.Scan(&r.ID, &r.TemplateID, &r.Code, &r.Name, &vt, &ag, &r.WeightCode, &r.SortKey); err != nil {
			return nil, err
		}
		r.Type, r.Aggregation = report.ValueType(vt), report.Aggregation(ag)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ---------- schedules ----------

// CreateSchedule stores who reports on a template and their deadlines.
func (s *Store) CreateSchedule(ctx context.Context, a audit.Actor, sc *report.Assignment) error {
	levels := make([]report.Deadline, len(sc.Deadlines))
	for i, l := range sc.Deadlines {
		levels[i] = l.Deadline()
	}
	if len(levels) == 0 {
		return fmt.Errorf("schedule: %w", report.ErrDeadlineLevel)
	}
	if err := report.ValidateDeadlines(levels); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	dl, _ := json.Marshal(sc.Deadlines)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO report_schedules (template_id, unit_id, unit_kinds, deadlines, active, created_at) VALUES (?, ?, ?, ?, TRUE, ?)`,
			sc.TemplateID, sc.UnitID, strings.Join(sc.Kinds, ","), string(dl), s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert schedule: %w", err)
		}
		sc.ID, sc.Active = id, true
		return s.appendAudit(ctx, tx, a, "report_schedule.create", "report_schedule", id, nil, sc)
	})
}

// ListSchedules returns a template's active schedules.
func (s *Store) ListSchedules(ctx context.Context, templateID int64) ([]report.Assignment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, template_id, unit_id, unit_kinds, deadlines, active FROM report_schedules WHERE template_id = ? AND active = TRUE ORDER BY id`), templateID)
	if err != nil {
		return nil, fmt.Errorf("schedules of template %d: %w", templateID, err)
	}
	defer rows.Close()
	var out []report.Assignment
	for rows.Next() {
		var sc report.Assignment
		var kinds, dl string
		if err := rows.Scan(&sc.ID, &sc.TemplateID, &sc.UnitID, &kinds, &dl, &sc.Active); err != nil {
			return nil, err
		}
		if kinds != "" {
			sc.Kinds = strings.Split(kinds, ",")
		}
		if err := json.Unmarshal([]byte(dl), &sc.Deadlines); err != nil {
			return nil, fmt.Errorf("schedule %d deadlines: %w", sc.ID, err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// Calendar is the statutory working-day calendar, without the yearly
// decisions (see [Store.WorkingCalendar], which deadlines are computed with).
var Calendar = calendar.Calendar{}

// ExpectedReports returns the units that must report on template for window
// w, with their level and due date, by the one rule [report.ExpectedUnits]
// over the schedules' subtrees as they stood on the window's last day — so
// windows ending before 1 Jul 2025 expect the old communes, later ones the
// new communes. (The services answer the same from their in-memory tree.)
func (s *Store) ExpectedReports(ctx context.Context, templateID int64, w report.Window) ([]report.Expected, error) {
	scs, err := s.ListSchedules(ctx, templateID)
	if err != nil {
		return nil, err
	}
	at := w.To.String()
	var units []org.Unit
	seen := map[int64]bool{}
	for _, sc := range scs {
		if seen[sc.UnitID] {
			continue
		}
		sub, err := s.Subtree(ctx, sc.UnitID, at)
		if err != nil {
			return nil, err
		}
		for _, u := range sub {
			if !seen[u.ID] {
				seen[u.ID] = true
				units = append(units, u)
			}
		}
	}
	return report.ExpectedUnits(ctx, report.NewUnitList(units), scs, w, 0, s.WorkingCalendar(ctx))
}

// ErrNotScheduled means the unit is not expected to report on the template.
var ErrNotScheduled = errors.New("report.not_scheduled")

// dueFor finds the unit's deadline for the template's window, by the one
// rule of [Store.ExpectedReports]; a unit not expected is ErrNotScheduled.
func (s *Store) dueFor(ctx context.Context, templateID, unitID int64, w report.Window) (string, error) {
	exp, err := s.ExpectedReports(ctx, templateID, w)
	if err != nil {
		return "", err
	}
	for _, e := range exp {
		if e.UnitID == unitID {
			return e.DueOn, nil
		}
	}
	return "", fmt.Errorf("unit %d template %d %s: %w", unitID, templateID, w.Label, ErrNotScheduled)
}

// ---------- reports ----------

const reportCols = `r.id, r.template_id, r.unit_id, r.period_type, r.period_year, r.period_number, r.period_from, r.period_to, r.due_on, r.status, r.version, r.narrative,
	r.submitted_at, COALESCE(r.submitted_by, 0), r.reviewed_at, COALESCE(r.reviewed_by, 0), r.review_comment, r.created_at, r.updated_at, u.name, u.kind, t.code, t.name`

const reportFrom = ` FROM reports r JOIN units u ON u.id = r.unit_id JOIN report_templates t ON t.id = r.template_id`

func scanReport(sc interface{ Scan(...any) error }) (report.Report, error) {
	var r report.Report
	var pt, st, narr string
	var sub, rev, created, updated Time
	err := sc.Scan(&r.ID, &r.TemplateID, &r.UnitID, &pt, &r.PeriodYear, &r.PeriodNumber, &r.PeriodFrom, &r.PeriodTo, &r.DueOn, &st, &r.Version, &narr,
		&sub, &r.SubmittedBy, &rev, &r.ReviewedBy, &r.ReviewComment, &created, &updated, &r.UnitName, &r.UnitKind, &r.TemplateCode, &r.TemplateName)
	if err != nil {
		return r, err
	}
	r.PeriodType, r.Status = report.Type(pt), report.Status(st)
	if !sub.IsZero() {
		t := sub.Time
		r.SubmittedAt = &t
	}
	if !rev.IsZero() {
		t := rev.Time
		r.ReviewedAt = &t
	}
	r.CreatedAt, r.UpdatedAt = created.Time, updated.Time
	r.Narrative = map[string]string{}
	_ = json.Unmarshal([]byte(narr), &r.Narrative)
	return r, nil
}

// GetReport returns a report with its narrative and values.
func (s *Store) GetReport(ctx context.Context, id int64) (report.Report, error) {
	return s.getReport(ctx, s.db, id)
}

func (s *Store) getReport(ctx context.Context, qr querier, id int64) (report.Report, error) {
	r, err := scanReport(qr.QueryRowContext(ctx, s.q(`SELECT `+reportCols+reportFrom+` WHERE r.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("report %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("report %d: %w", id, err)
	}
	r.Values, err = s.reportValues(ctx, qr, id)
	return r, err
}

// reportValues loads a report's values as entered text.
func (s *Store) reportValues(ctx context.Context, qr querier, id int64) (report.Values, error) {
	rows, err := qr.QueryContext(ctx, s.q(`SELECT i.code, v.category, v.num_value, v.text_value FROM report_values v JOIN report_indicators i ON i.id = v.indicator_id WHERE v.report_id = ?`), id)
	if err != nil {
		return nil, fmt.Errorf("values of report %d: %w", id, err)
	}
	defer rows.Close()
	vals := report.Values{}
	for rows.Next() {
		var code, cat string
		var num sql.NullFloat64
		var text sql.NullString
		if err := rows.Scan(&code, &cat, &num, &text); err != nil {
			return nil, err
		}
		switch {
		case text.Valid:
			vals[report.FieldKey(code, cat)] = text.String
		case num.Valid:
			vals[report.FieldKey(code, cat)] = report.FormatNumber(num.Float64)
		}
	}
	return vals, rows.Err()
}

// EnsureReport returns the report of unit for template and window w,
// creating an empty draft (due date from the schedule) if there is none.
// A unit the template's schedules do not cover is ErrNotScheduled.
func (s *Store) EnsureReport(ctx context.Context, a audit.Actor, templateID, unitID int64, w report.Window) (report.Report, error) {
	return s.EnsureReportDue(ctx, a, templateID, unitID, w, func() (string, error) { return s.dueFor(ctx, templateID, unitID, w) })
}

// EnsureReportDue is [Store.EnsureReport] with the due date of a new report
// given by due (called only when the report does not exist yet): the
// services compute it from the schedules and the in-memory tree.
func (s *Store) EnsureReportDue(ctx context.Context, a audit.Actor, templateID, unitID int64, w report.Window, due func() (string, error)) (report.Report, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id FROM reports WHERE template_id = ? AND unit_id = ? AND period_type = ? AND period_year = ? AND period_number = ?`),
		templateID, unitID, string(w.Type), w.Year, w.Number).Scan(&id)
	if err == nil {
		return s.GetReport(ctx, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return report.Report{}, err
	}
	dueOn, err := due()
	if err != nil {
		return report.Report{}, err
	}
	return s.createReport(ctx, a, templateID, unitID, w, dueOn)
}

func (s *Store) createReport(ctx context.Context, a audit.Actor, templateID, unitID int64, w report.Window, due string) (report.Report, error) {
	var id int64
	var err error
	now := s.ts(s.Now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err = s.insertID(ctx, tx, `INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, version, narrative, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', 1, '{}', ?, ?)`,
			templateID, unitID, string(w.Type), w.Year, w.Number, w.From.String(), w.To.String(), due, now, now)
		if err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "report.create", "report", id, nil, map[string]any{"template_id": templateID, "unit_id": unitID, "period": w.Label, "due_on": due})
	})
	if isUnique(err) { // created meanwhile by someone else
		return s.EnsureReportDue(ctx, a, templateID, unitID, w, func() (string, error) { return due, nil })
	}
	if err != nil {
		return report.Report{}, fmt.Errorf("create report: %w", err)
	}
	return s.GetReport(ctx, id)
}

// ReportFilter narrows a report list and says what the caller may see.
type ReportFilter struct {
	// All lifts the visibility restriction (administrators).
	All bool
	// Roots: submitted, returned and accepted reports of the units in these
	// subtrees are visible.
	Roots []int64
	// Own: every report (drafts too) of these units is visible.
	Own []int64
	// Visible, when set, is Roots' subtrees already expanded (the services
	// hold the tree in memory): no recursive query is needed.
	Visible []int64

	UnitID     int64 // only this unit's reports
	TemplateID int64
	Status     report.Status
	PeriodType report.Type
	Year       int
	Number     int
	Limit      int
	// Offset skips rows (the deprecated page parameter); After and Before
	// page by key instead, which costs the same at any depth.
	Offset int
	// After lists the reports that come after this one in list order
	// (newest period first, then highest id); Before the ones before it.
	After, Before *ReportCursor
}

// ReportCursor is a position in the reports list: the period end and id of
// a report.
type ReportCursor struct {
	PeriodTo string
	ID       int64
}

// Cursor is the list position of r.
func Cursor(r report.Report) ReportCursor { return ReportCursor{PeriodTo: r.PeriodTo, ID: r.ID} }

// maxVisibleList is the most unit ids a list query names; larger subtrees
// are expanded by the database.
const maxVisibleList = 5000

// ReportCountCap bounds the count of a reports list: a list that matches
// more answers ReportCountCap+1 ("more than ReportCountCap"), so that a page
// never counts every row.
const ReportCountCap = 1000

func idList(ids []int64) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = "?", id
	}
	return strings.Join(ph, ","), args
}

// ListReports returns the reports matching f that its visibility allows,
// newest period first (then highest id), and how many match, counted up to
// [ReportCountCap]+1.
func (s *Store) ListReports(ctx context.Context, f ReportFilter) ([]report.Report, int, error) {
	var with string
	var args []any
	var conds []string
	if !f.All {
		var vis []string
		if len(f.Visible) > 0 && len(f.Visible) <= maxVisibleList {
			ph, a := idList(f.Visible)
			col := "r.unit_id"
			if len(f.Visible) > 20 {
				// Many units: walk the list order's index and test each
				// row's unit, rather than read every unit's reports and sort.
				col = "+r.unit_id"
			}
			vis = append(vis, `(`+col+` IN (`+ph+`) AND r.status <> 'draft')`)
			args = append(args, a...)
		} else if len(f.Roots) > 0 {
			ph, a := idList(f.Roots)
			with = `WITH RECURSIVE vis(id) AS (SELECT id FROM units WHERE id IN (` + ph + `) UNION SELECT u.id FROM units u JOIN vis ON u.parent_id = vis.id) `
			args = append(args, a...)
			vis = append(vis, `(r.unit_id IN (SELECT id FROM vis) AND r.status <> 'draft')`)
		}
		if len(f.Own) > 0 {
			ph, a := idList(f.Own)
			vis = append(vis, `r.unit_id IN (`+ph+`)`)
			args = append(args, a...)
		}
		if len(vis) == 0 {
			return nil, 0, nil
		}
		conds = append(conds, "("+strings.Join(vis, " OR ")+")")
	}
	add := func(c string, v ...any) { conds = append(conds, c); args = append(args, v...) }
	if f.UnitID != 0 {
		add("r.unit_id = ?", f.UnitID)
	}
	if f.TemplateID != 0 {
		add("r.template_id = ?", f.TemplateID)
	}
	if f.Status != "" {
		add("r.status = ?", string(f.Status))
	}
	if f.PeriodType != "" {
		add("r.period_type = ?", string(f.PeriodType))
	}
	if f.Year != 0 {
		add("r.period_year = ?", f.Year)
	}
	if f.Number != 0 {
		add("r.period_number = ?", f.Number)
	}
	cond := ""
	if len(conds) > 0 {
		cond = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	countArgs := slices.Clone(args)
	if err := s.db.QueryRowContext(ctx, s.q(with+`SELECT COUNT(*) FROM (SELECT 1 FROM reports r`+cond+` LIMIT `+strconv.Itoa(ReportCountCap+1)+`) c`), countArgs...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count reports: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	order, page := ` ORDER BY r.period_to DESC, r.id DESC`, ""
	switch {
	case f.After != nil:
		conds = append(conds, "(r.period_to, r.id) < (?, ?)")
		args = append(args, f.After.PeriodTo, f.After.ID)
	case f.Before != nil:
		conds = append(conds, "(r.period_to, r.id) > (?, ?)")
		args = append(args, f.Before.PeriodTo, f.Before.ID)
		order = ` ORDER BY r.period_to, r.id`
	default:
		page = ` OFFSET ` + strconv.Itoa(max(f.Offset, 0))
	}
	cond = ""
	if len(conds) > 0 {
		cond = " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, s.q(with+`SELECT `+reportCols+reportFrom+cond+order+` LIMIT `+strconv.Itoa(f.Limit)+page), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []report.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	if f.Before != nil {
		slices.Reverse(out)
	}
	return out, total, rows.Err()
}

// ReportDraft is what a unit edits: narrative sections and indicator values.
type ReportDraft struct {
	Narrative map[string]string
	Values    report.Values
}

// loadForWrite reads a report and its template's definition inside tx.
func (s *Store) loadForWrite(ctx context.Context, tx *sql.Tx, id int64) (report.Report, report.Definition, error) {
	r, err := s.getReport(ctx, tx, id)
	if err != nil {
		return r, report.Definition{}, err
	}
	var def string
	if err := s.txQueryRow(ctx, tx, s.q(`SELECT definition FROM report_templates WHERE id = ?`), r.TemplateID).Scan(&def); err != nil {
		return r, report.Definition{}, err
	}
	var d report.Definition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return r, d, err
	}
	return r, d, nil
}

// cleanDraft keeps only the template's sections and fields.
func cleanDraft(def report.Definition, d ReportDraft) ReportDraft {
	out := ReportDraft{Narrative: map[string]string{}, Values: report.Values{}}
	for _, sec := range def.Sections {
		if v := d.Narrative[sec.Key]; v != "" {
			out.Narrative[sec.Key] = v
		}
	}
	for k, v := range d.Values {
		if strings.TrimSpace(v) != "" {
			out.Values[k] = v
		}
	}
	return out
}

// writeContent replaces narrative and values and bumps the version, if the
// version is still the one the editor saw. Only the values that changed are
// written: removed ones in one DELETE, new and changed ones in one
// multi-row upsert. r holds the values before the edit; on success r's
// narrative, values, version and update time are the new ones.
func (s *Store) writeContent(ctx context.Context, tx *sql.Tx, r *report.Report, version int, d ReportDraft) error {
	narr, _ := json.Marshal(d.Narrative)
	now := s.Now()
	res, err := s.txExec(ctx, tx, s.q(`UPDATE reports SET narrative = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`),
		string(narr), s.ts(now), r.ID, version)
	if err != nil {
		return fmt.Errorf("report %d: save: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("report %d: version %d is stale: %w", r.ID, version, ErrConflict)
	}
	inds, err := s.listIndicators(ctx, tx, r.TemplateID)
	if err != nil {
		return err
	}
	byCode := map[string]IndicatorRow{}
	for _, in := range inds {
		byCode[in.Code] = in
	}
	stored := report.Values{}
	var delConds []string
	var delArgs []any
	for k, old := range r.Values {
		code, cat := report.SplitKey(k)
		in, ok := byCode[code]
		if !ok {
			continue
		}
		if nv, keep := d.Values[k]; !keep {
			delConds = append(delConds, "(indicator_id = ? AND category = ?)")
			delArgs = append(delArgs, in.ID, cat)
		} else if nv == old {
			stored[k] = old
		}
	}
	if len(delConds) > 0 {
		if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM report_values WHERE report_id = ? AND (`+strings.Join(delConds, " OR ")+`)`), append([]any{r.ID}, delArgs...)...); err != nil {
			return fmt.Errorf("report %d: clear values: %w", r.ID, err)
		}
	}
	keys := make([]string, 0, len(d.Values))
	for k := range d.Values {
		if _, same := stored[k]; !same {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	const perStatement = 150 // 5 parameters a row, well under either engine's limit
	var ph []string
	var args []any
	flush := func() error {
		if len(ph) == 0 {
			return nil
		}
		_, err := s.txExec(ctx, tx, s.q(`INSERT INTO report_values (report_id, indicator_id, category, num_value, text_value) VALUES `+strings.Join(ph, ", ")+`
			ON CONFLICT (report_id, indicator_id, category) DO UPDATE SET num_value = excluded.num_value, text_value = excluded.text_value`), args...)
		ph, args = ph[:0], args[:0]
		if err != nil {
			return fmt.Errorf("report %d: values: %w", r.ID, err)
		}
		return nil
	}
	for _, k := range keys {
		code, cat := report.SplitKey(k)
		in, ok := byCode[code]
		if !ok {
			continue // unknown fields are reported by Validate, never stored
		}
		raw := d.Values[k]
		var num, text any
		if f, ok := report.ParseNumber(raw); ok && in.Type.Numeric() {
			num = f
			raw = report.FormatNumber(f)
		} else {
			text = raw // kept as typed, so that a draft loses nothing
		}
		stored[k] = raw
		ph = append(ph, "(?, ?, ?, ?, ?)")
		args = append(args, r.ID, in.ID, cat, num, text)
		if len(ph) == perStatement {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	r.Narrative, r.Values, r.Version, r.UpdatedAt = d.Narrative, stored, version+1, now
	return nil
}

// appendVersion keeps the report's state after a status change.
func (s *Store) appendVersion(ctx context.Context, tx *sql.Tx, a audit.Actor, id int64, comment string) error {
	r, err := s.getReport(ctx, tx, id)
	if err != nil {
		return err
	}
	snap, _ := json.Marshal(report.VersionSnapshot{Narrative: r.Narrative, Values: r.Values, Comment: comment})
	_, err = s.txExec(ctx, tx, s.q(`INSERT INTO report_versions (report_id, version, status, snapshot, actor_id, at) VALUES (?, ?, ?, ?, ?, ?)`),
		id, r.Version, string(r.Status), string(snap), nullID(a.UserID), s.ts(s.Now()))
	if err != nil {
		return fmt.Errorf("report %d: version: %w", id, err)
	}
	return nil
}

// SaveDraft stores a unit's edit. version is the version the editor loaded;
// a stale one is ErrConflict and nothing is written (the caller shows the
// user's text again with the newer version). Accepted reports are locked
// (report.ErrLocked). The returned field errors are advisory for drafts and
// returned reports; a submitted report (still editable until reviewed) must
// stay valid, so an invalid edit of one is refused with report.ErrInvalid.
func (s *Store) SaveDraft(ctx context.Context, a audit.Actor, id int64, version int, d ReportDraft) (report.Report, report.FieldErrors, error) {
	var fe report.FieldErrors
	var saved report.Report
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, def, err := s.loadForWrite(ctx, tx, id)
		if err != nil {
			return err
		}
		if !r.Status.Editable() {
			return fmt.Errorf("report %d: %w", id, report.ErrLocked)
		}
		if r.Version != version {
			return fmt.Errorf("report %d: version %d, have %d: %w", id, version, r.Version, ErrConflict)
		}
		d = cleanDraft(def, d)
		fe = report.Validate(def, d.Values)
		if r.Status == report.Submitted && len(fe) > 0 {
			return report.ErrInvalid
		}
		if err := s.writeContent(ctx, tx, &r, version, d); err != nil {
			return err
		}
		if r.Status == report.Submitted {
			if err := s.consolidate(ctx, tx, id); err != nil {
				return err
			}
		}
		saved = r
		return s.appendAudit(ctx, tx, a, "report.save", "report", id, map[string]any{"version": version}, map[string]any{"version": version + 1, "status": r.Status})
	})
	if err != nil {
		if errors.Is(err, report.ErrInvalid) {
			return report.Report{}, fe, fmt.Errorf("report %d: save: %w", id, err)
		}
		return report.Report{}, nil, err
	}
	return saved, fe, nil
}

// SubmitReport sends a draft or returned report to the parent side. If d is
// not nil it is saved first (same optimistic lock). If the values are
// invalid the edit is kept as it was (draft or returned), the field errors
// are returned and the error is report.ErrInvalid. The version is always
// checked.
//
// notes (to the reviewers) are written in the same transaction when the
// report is submitted, and not when it stays a draft.
func (s *Store) SubmitReport(ctx context.Context, a audit.Actor, id int64, version int, d *ReportDraft, notes ...NewNotification) (report.Report, report.FieldErrors, error) {
	var fe report.FieldErrors
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, def, err := s.loadForWrite(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status == report.Accepted {
			return fmt.Errorf("report %d: %w", id, report.ErrLocked)
		}
		if !report.CanTransition(r.Status, report.Submitted) {
			return fmt.Errorf("report %d: %s → submitted: %w", id, r.Status, report.ErrTransition)
		}
		if r.Version != version {
			return fmt.Errorf("report %d: version %d, have %d: %w", id, version, r.Version, ErrConflict)
		}
		vals := r.Values
		if d != nil {
			c := cleanDraft(def, *d)
			if err := s.writeContent(ctx, tx, &r, version, c); err != nil {
				return err
			}
			version++
			vals = c.Values
		}
		if fe = report.Validate(def, vals); len(fe) > 0 {
			return nil // commit the edit, stay a draft
		}
		now := s.Now()
		res, err := s.txExec(ctx, tx, s.q(`UPDATE reports SET status = 'submitted', submitted_at = ?, submitted_by = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`),
			s.ts(now), nullID(a.UserID), s.ts(now), id, version)
		if err != nil {
			return fmt.Errorf("report %d: submit: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("report %d: %w", id, ErrConflict)
		}
		if err := s.appendVersion(ctx, tx, a, id, ""); err != nil {
			return err
		}
		if err := s.issueReportNumber(ctx, tx, a, id); err != nil {
			return err
		}
		if err := s.consolidate(ctx, tx, id); err != nil {
			return err
		}
		if err := s.notifyEach(ctx, tx, notes, fmt.Sprintf("/reports/%d", id), func(n NewNotification) string {
			return fmt.Sprintf("report-submit:%d:%d:%d", id, version+1, n.UserID)
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "report.submit", "report", id, map[string]any{"status": r.Status}, map[string]any{"status": report.Submitted})
	})
	if err != nil {
		return report.Report{}, nil, err
	}
	r, err := s.GetReport(ctx, id)
	if err != nil {
		return r, nil, err
	}
	if len(fe) > 0 {
		return r, fe, fmt.Errorf("report %d: submit: %w", id, report.ErrInvalid)
	}
	return r, nil, nil
}

// ReturnReport sends a submitted report back to its unit with a comment
// (required). The caller checks authz.CanReview on the report's unit.
// version must be the report's current version (ErrConflict otherwise).
// notes (to the unit) are written in the same transaction.
func (s *Store) ReturnReport(ctx context.Context, a audit.Actor, id int64, version int, comment string, notes ...NewNotification) (report.Report, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return report.Report{}, report.ErrCommentNeeded
	}
	return s.review(ctx, a, id, version, report.Returned, comment, notes)
}

// AcceptReport accepts a submitted report, which locks it for everyone.
// The caller checks authz.CanReview. version must be the current one.
// notes (to the unit) are written in the same transaction.
func (s *Store) AcceptReport(ctx context.Context, a audit.Actor, id int64, version int, comment string, notes ...NewNotification) (report.Report, error) {
	return s.review(ctx, a, id, version, report.Accepted, strings.TrimSpace(comment), notes)
}

func (s *Store) review(ctx context.Context, a audit.Actor, id int64, version int, to report.Status, comment string, notes []NewNotification) (report.Report, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var st string
		var cur int
		err := s.txQueryRow(ctx, tx, s.q(`SELECT status, version FROM reports WHERE id = ?`), id).Scan(&st, &cur)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("report %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if report.Status(st) == report.Accepted {
			return fmt.Errorf("report %d: %w", id, report.ErrLocked)
		}
		if !report.CanTransition(report.Status(st), to) {
			return fmt.Errorf("report %d: %s → %s: %w", id, st, to, report.ErrTransition)
		}
		if version != cur {
			return fmt.Errorf("report %d: version %d, have %d: %w", id, version, cur, ErrConflict)
		}
		now := s.Now()
		res, err := s.txExec(ctx, tx, s.q(`UPDATE reports SET status = ?, reviewed_at = ?, reviewed_by = ?, review_comment = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`),
			string(to), s.ts(now), nullID(a.UserID), comment, s.ts(now), id, cur)
		if err != nil {
			return fmt.Errorf("report %d: %s: %w", id, to, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("report %d: %w", id, ErrConflict)
		}
		if err := s.appendVersion(ctx, tx, a, id, comment); err != nil {
			return err
		}
		if err := s.consolidate(ctx, tx, id); err != nil {
			return err
		}
		if err := s.notifyEach(ctx, tx, notes, fmt.Sprintf("/reports/%d", id), func(n NewNotification) string {
			return fmt.Sprintf("report-%s:%d:%d:%d", to, id, cur+1, n.UserID)
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "report."+map[report.Status]string{report.Returned: "return", report.Accepted: "accept"}[to], "report", id,
			map[string]any{"status": st}, map[string]any{"status": to, "comment": comment})
	})
	if err != nil {
		return report.Report{}, err
	}
	return s.GetReport(ctx, id)
}

// ReportVersions returns the kept versions of a report, oldest first.
func (s *Store) ReportVersions(ctx context.Context, id int64) ([]report.Version, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT v.id, v.report_id, v.version, v.status, v.snapshot, COALESCE(v.actor_id, 0), COALESCE(us.full_name, ''), v.at
		FROM report_versions v LEFT JOIN users us ON us.id = v.actor_id WHERE v.report_id = ? ORDER BY v.version, v.id`), id)
	if err != nil {
		return nil, fmt.Errorf("versions of report %d: %w", id, err)
	}
	defer rows.Close()
	var out []report.Version
	for rows.Next() {
		var v report.Version
		var st, snap string
		var at Time
		if err := rows.Scan(&v.ID, &v.ReportID, &v.Version, &st, &snap, &v.ActorID, &v.Actor, &at); err != nil {
			return nil, err
		}
		v.Status, v.At = report.Status(st), at.Time
		_ = json.Unmarshal([]byte(snap), &v.Snapshot)
		out = append(out, v)
	}
	return out, rows.Err()
}

// PreviousValues returns the values of the same unit's report on the same
// template for the latest earlier period (empty when there is none), for
// prefilling a new report.
func (s *Store) PreviousValues(ctx context.Context, id int64) (report.Values, error) {
	r, err := s.GetReport(ctx, id)
	if err != nil {
		return nil, err
	}
	var prev int64
	err = s.db.QueryRowContext(ctx, s.q(`SELECT id FROM reports WHERE template_id = ? AND unit_id = ? AND period_type = ? AND period_to < ? ORDER BY period_to DESC LIMIT 1`),
		r.TemplateID, r.UnitID, string(r.PeriodType), r.PeriodFrom).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Values{}, nil
	}
	if err != nil {
		return nil, err
	}
	return s.reportValues(ctx, s.db, prev)
}

// ---------- attachments ----------

// AddReportAttachment stores a file on a report (at most report.MaxAttachment
// bytes; accepted reports are locked).
func (s *Store) AddReportAttachment(ctx context.Context, a audit.Actor, reportID int64, name, contentType string, data []byte) (report.Attachment, error) {
	if len(data) > report.MaxAttachment {
		return report.Attachment{}, report.ErrAttachmentSize
	}
	sum := sha256.Sum256(data)
	at := report.Attachment{ReportID: reportID, Name: name, ContentType: contentType, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedBy: a.UserID, CreatedAt: s.Now()}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var st string
		err := s.txQueryRow(ctx, tx, s.q(`SELECT status FROM reports WHERE id = ?`), reportID).Scan(&st)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("report %d: %w", reportID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if report.Status(st) == report.Accepted {
			return report.ErrLocked
		}
		at.ID, err = s.insertID(ctx, tx, `INSERT INTO report_attachments (report_id, name, content_type, size, sha256, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			reportID, name, contentType, at.Size, at.SHA256, data, nullID(a.UserID), s.ts(at.CreatedAt))
		if err != nil {
			return fmt.Errorf("report %d: attachment: %w", reportID, err)
		}
		return s.appendAudit(ctx, tx, a, "report.attach", "report", reportID, nil, at)
	})
	return at, err
}

// ListReportAttachments returns a report's attachments (without content).
func (s *Store) ListReportAttachments(ctx context.Context, reportID int64) ([]report.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, report_id, name, content_type, size, sha256, COALESCE(created_by, 0), created_at FROM report_attachments WHERE report_id = ? ORDER BY id`), reportID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []report.Attachment
	for rows.Next() {
		var at report.Attachment
		var c Time
		if err := rows.Scan(&at.ID, &at.ReportID, &at.Name, &at.ContentType, &at.Size, &at.SHA256, &at.CreatedBy, &c); err != nil {
			return nil, err
		}
		at.CreatedAt = c.Time
		out = append(out, at)
	}
	return out, rows.Err()
}

// GetReportAttachment returns an attachment and its content.
func (s *Store) GetReportAttachment(ctx context.Context, id int64) (report.Attachment, []byte, error) {
	var at report.Attachment
	var c Time
	var data []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, report_id, name, content_type, size, sha256, COALESCE(created_by, 0), created_at, data FROM report_attachments WHERE id = ?`), id).
		Scan(&at.ID, &at.ReportID, &at.Name, &at.ContentType, &at.Size, &at.SHA256, &at.CreatedBy, &c, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return at, nil, fmt.Errorf("attachment %d: %w", id, ErrNotFound)
	}
	at.CreatedAt = c.Time
	return at, data, err
}

// ---------- completeness ----------

// Completeness computes, for template and window w as of today
// (YYYY-MM-DD in Vietnam), each expected unit's report status and
// timeliness — on time when submitted (latest submission, UTC+7 date) no
// later than its due date, late when received after it, missing when not
// received (no report, draft, returned) and past due, pending otherwise —
// with totals overall, per deadline level and per unit kind.
func (s *Store) Completeness(ctx context.Context, templateID int64, w report.Window, today string) (report.Completeness, error) {
	exp, err := s.ExpectedReports(ctx, templateID, w)
	if err != nil {
		return report.Completeness{}, err
	}
	return s.CompletenessOf(ctx, templateID, w, exp, today)
}

// CompletenessOf is [Store.Completeness] for a list of expected units
// already computed (the services compute it from the in-memory tree).
func (s *Store) CompletenessOf(ctx context.Context, templateID int64, w report.Window, exp []report.Expected, today string) (report.Completeness, error) {
	c := report.Completeness{TemplateID: templateID, Window: w, Label: w.Label, AsOf: today, ByLevel: map[string]report.Counts{}, ByKind: map[string]report.Counts{}}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, unit_id, status, submitted_at, due_on FROM reports WHERE template_id = ? AND period_type = ? AND period_year = ? AND period_number = ?`),
		templateID, string(w.Type), w.Year, w.Number)
	if err != nil {
		return c, fmt.Errorf("completeness: %w", err)
	}
	type got struct {
		id  int64
		st  report.Status
		at  Time
		due string
	}
	have := map[int64]got{}
	for rows.Next() {
		var g got
		var unit int64
		var st string
		if err := rows.Scan(&g.id, &unit, &st, &g.at, &g.due); err != nil {
			rows.Close()
			return c, err
		}
		g.st = report.Status(st)
		have[unit] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	for _, e := range exp {
		row := report.CompletenessRow{Expected: e}
		if g, ok := have[e.UnitID]; ok {
			row.ReportID, row.Status, row.DueOn = g.id, g.st, g.due
			if !g.at.IsZero() {
				t := g.at.Time
				row.SubmittedAt = &t
			}
		}
		row.Classify(today)
		c.Rows = append(c.Rows, row)
		c.Total.Add(row)
		l := c.ByLevel[e.Level]
		l.Add(row)
		c.ByLevel[e.Level] = l
		k := c.ByKind[e.UnitKind]
		k.Add(row)
		c.ByKind[e.UnitKind] = k
	}
	return c, nil
}

// ---------- bulk loading (demo, imports of history) ----------

// ReportStep is one status change of a seeded report's history.
type ReportStep struct {
	Status  report.Status
	At      time.Time
	ActorID int64
	Comment string
}

// ReportSeed is a whole report with its history, for bulk loading.
type ReportSeed struct {
	Report  report.Report // TemplateID, UnitID, period, DueOn, Narrative, Values
	History []ReportStep  // status changes in order; the last gives the status
}

// SeedReports inserts many reports with values and versions in one
// transaction, with one audit entry: for demo data and historical imports.
// Reports that already exist for the same key are skipped. The consolidated
// aggregates of the templates concerned are rebuilt once afterwards rather
// than report by report.
func (s *Store) SeedReports(ctx context.Context, a audit.Actor, seeds []ReportSeed) (int, error) {
	n := 0
	touched := map[int64]bool{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		inds := map[int64]map[string]IndicatorRow{}
		for _, sd := range seeds {
			r := sd.Report
			if inds[r.TemplateID] == nil {
				rows, err := s.listIndicators(ctx, tx, r.TemplateID)
				if err != nil {
					return err
				}
				m := map[string]IndicatorRow{}
				for _, in := range rows {
					m[in.Code] = in
				}
				inds[r.TemplateID] = m
			}
			status, version := report.Draft, 1+len(sd.History)
			var sub, rev, created any
			var subBy, revBy any
			comment := ""
			created = s.ts(r.CreatedAt)
			if r.CreatedAt.IsZero() {
				created = s.ts(s.Now())
			}
			updated := created
			for _, st := range sd.History {
				status = st.Status
				updated = s.ts(st.At)
				switch st.Status {
				case report.Submitted:
					sub, subBy = s.ts(st.At), nullID(st.ActorID)
				case report.Returned, report.Accepted:
					rev, revBy, comment = s.ts(st.At), nullID(st.ActorID), st.Comment
				}
			}
			narr, _ := json.Marshal(r.Narrative)
			var exists int
			if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM reports WHERE template_id = ? AND unit_id = ? AND period_type = ? AND period_year = ? AND period_number = ?`),
				r.TemplateID, r.UnitID, string(r.PeriodType), r.PeriodYear, r.PeriodNumber).Scan(&exists); err != nil {
				return err
			}
			if exists > 0 {
				continue
			}
			id, err := s.insertID(ctx, tx, `INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, version, narrative,
				submitted_at, submitted_by, reviewed_at, reviewed_by, review_comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.TemplateID, r.UnitID, string(r.PeriodType), r.PeriodYear, r.PeriodNumber, r.PeriodFrom, r.PeriodTo, r.DueOn, string(status), version, string(narr),
				sub, subBy, rev, revBy, comment, created, updated)
			if err != nil {
				return fmt.Errorf("seed report unit %d %d-%d: %w", r.UnitID, r.PeriodYear, r.PeriodNumber, err)
			}
			for k, raw := range r.Values {
				code, cat := report.SplitKey(k)
				in, ok := inds[r.TemplateID][code]
				if !ok {
					continue
				}
				var num, text any
				if f, ok := report.ParseNumber(raw); ok && in.Type.Numeric() {
					num = f
				} else {
					text = raw
				}
				if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO report_values (report_id, indicator_id, category, num_value, text_value) VALUES (?, ?, ?, ?, ?)`), id, in.ID, cat, num, text); err != nil {
					return err
				}
			}
			snap, _ := json.Marshal(report.VersionSnapshot{Narrative: r.Narrative, Values: r.Values})
			for i, st := range sd.History {
				cs := snap
				if st.Comment != "" {
					cs, _ = json.Marshal(report.VersionSnapshot{Narrative: r.Narrative, Values: r.Values, Comment: st.Comment})
				}
				if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO report_versions (report_id, version, status, snapshot, actor_id, at) VALUES (?, ?, ?, ?, ?, ?)`),
					id, i+2, string(st.Status), string(cs), nullID(st.ActorID), s.ts(st.At)); err != nil {
					return err
				}
			}
			touched[r.TemplateID] = true
			n++
		}
		return s.appendAudit(ctx, tx, a, "report.seed", "report", "", nil, map[string]any{"reports": n})
	})
	if err != nil {
		return 0, err
	}
	ids := make([]int64, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if err := s.RebuildAggregates(ctx, id); err != nil {
			return n, fmt.Errorf("seed reports: consolidate template %d: %w", id, err)
		}
	}
	return n, nil
}
