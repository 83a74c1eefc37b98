package store

// Live consolidation of report indicators up the organisation tree.
//
// Design: two bases are maintained side by side, in the same transactions:
// "received" counts submitted and accepted reports (report_aggregates,
// report_aggregate_units), "accepted" only accepted ones (the same tables
// suffixed _accepted, migration 0015), so either reads as fast. Each holds,
// for every unit that has a counted report somewhere below it, the parts of
// every aggregation method (Σ value, count, min, max, Σ value×weight,
// Σ weight) per indicator and category, over its own report and its whole
// subtree. A leaf keeps no rows: its figures are its own report's values. When a report's status or
// values change, consolidate recomputes the report's unit and then each
// ancestor in turn, each from its own report plus its direct children (their
// aggregate rows, or the reports of children without rows) — one grouped
// INSERT … SELECT per level, inside the submitting transaction. Reading a
// consolidated figure is then one indexed lookup.
//
// History: a unit's parent chain is fixed, so pre-reform periods consolidate
// over the old districts and communes and later ones over the new communes.
// MappedView re-attributes old units' reports to their successors on read.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

// Basis says which reports a consolidation counts.
type Basis string

// The bases of consolidation.
const (
	// BasisReceived counts every report received: submitted (still waiting
	// for review) or accepted.
	BasisReceived Basis = "received"
	// BasisAccepted counts only accepted reports.
	BasisAccepted Basis = "accepted"
)

// Bases lists the bases, each maintained.
var Bases = []Basis{BasisAccepted, BasisReceived}

// ParseBasis reads a basis name; "" is def.
func ParseBasis(s string, def Basis) (Basis, bool) {
	switch Basis(s) {
	case "":
		return def, true
	case BasisAccepted, BasisReceived:
		return Basis(s), true
	}
	return "", false
}

// statuses are the report statuses that count on basis b.
func (b Basis) statuses() string {
	if b == BasisAccepted {
		return `('accepted')`
	}
	return `('submitted', 'accepted')`
}

// tables are b's maintained tables: headers and parts.
func (b Basis) tables() (units, aggs string) {
	if b == BasisAccepted {
		return "report_aggregate_units_accepted", "report_aggregates_accepted"
	}
	return "report_aggregate_units", "report_aggregates"
}

// sqlFor puts b's tables and statuses into query, written for the received
// basis: report_aggregate_units, report_aggregates (each followed by a
// space) and {counted}. It may be applied twice.
func (b Basis) sqlFor(query string) string {
	units, aggs := b.tables()
	query = strings.ReplaceAll(query, "{counted}", b.statuses())
	query = strings.ReplaceAll(query, "report_aggregate_units ", "\x00 ")
	query = strings.ReplaceAll(query, "report_aggregates ", aggs+" ")
	return strings.ReplaceAll(query, "\x00 ", units+" ")
}

// aggregatable selects the indicators that consolidate: numeric, method not none.
const aggregatable = `i.value_type IN ('integer', 'decimal', 'percent') AND i.aggregation IN ('sum', 'avg', 'wavg', 'min', 'max')`

// Period names one report period of a template.
type Period struct {
	Type   string `json:"type"`
	Year   int    `json:"year"`
	Number int    `json:"number"`
}

func (p Period) args() []any { return []any{p.Type, p.Year, p.Number} }

// consolidate brings the maintained aggregates up to date after report
// reportID changed status or values, inside the transaction that changed it,
// so that a consolidated figure is current the moment a report is submitted,
// returned or accepted.
func (s *Store) consolidate(ctx context.Context, tx *sql.Tx, reportID int64) error {
	var templateID, unitID int64
	var p Period
	err := s.txQueryRow(ctx, tx, s.q(`SELECT template_id, unit_id, period_type, period_year, period_number FROM reports WHERE id = ?`), reportID).
		Scan(&templateID, &unitID, &p.Type, &p.Year, &p.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("consolidate report %d: %w", reportID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("consolidate report %d: %w", reportID, err)
	}
	if err := s.lockPeriod(ctx, tx, templateID, p); err != nil {
		return fmt.Errorf("consolidate report %d: %w", reportID, err)
	}
	path, err := s.pathTx(ctx, tx, unitID)
	if err != nil {
		return fmt.Errorf("consolidate report %d: %w", reportID, err)
	}
	// path is root first; recompute from the report's unit upwards, on
	// each basis.
	for _, b := range Bases {
		for i := len(path) - 1; i >= 0; i-- {
			if err := s.recomputeUnit(ctx, tx, b, templateID, path[i], p); err != nil {
				return fmt.Errorf("consolidate report %d at unit %d (%s): %w", reportID, path[i], b, err)
			}
		}
	}
	return nil
}

// lockPeriod serialises consolidation of one template and period until the
// transaction ends. On PostgreSQL two communes of one province submitting at
// once would otherwise each recompute the province from a snapshot without
// the other's report. SQLite transactions are serial already.
func (s *Store) lockPeriod(ctx context.Context, tx *sql.Tx, templateID int64, p Period) error {
	if s.dialect != Postgres {
		return nil
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "consolidate/%d/%s/%d/%d", templateID, p.Type, p.Year, p.Number)
	// Consolidation runs a few short grouped statements: JIT compilation
	// costs more than it saves, and a cached generic plan cannot see which
	// branch of "own report OR children" is selective.
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`, int64(h.Sum64()))
	return err
}

// pathTx is Path inside a transaction (SQLite has one connection).
func (s *Store) pathTx(ctx context.Context, tx *sql.Tx, id int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, s.q(`WITH RECURSIVE up(id, parent_id, n) AS (
			SELECT id, parent_id, 0 FROM units WHERE id = ?
			UNION ALL SELECT u.id, u.parent_id, up.n + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.n < 64)
		SELECT id FROM up ORDER BY n DESC`), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	return out, nil
}

// valueRows is the per-value contribution of the reports counted on basis
// b matching where (which must use its arguments twice: args of the two
// halves): value, count 1, min = max = value, and for indicators with a weight_code value ×
// weight and weight (the weight indicator's value in the same report and
// category; a missing weight leaves the value out of the weighted average).
// Unweighted indicators — nearly all — take no join beyond their report.
func valueRows(b Basis, sel, where string) string {
	return b.sqlFor(`SELECT ` + sel + `v.indicator_id AS indicator_id, v.category AS category, v.num_value AS s, 1 AS c, v.num_value AS mn, v.num_value AS mx, 0 AS ws, 0 AS wt
	FROM reports r JOIN report_values v ON v.report_id = r.id
	WHERE v.num_value IS NOT NULL AND r.status IN {counted}
		AND +v.indicator_id IN (SELECT i.id FROM report_indicators i WHERE i.weight_code = '' AND ` + aggregatable + `)
		AND ` + where + `
	UNION ALL
	SELECT ` + sel + `v.indicator_id, v.category, v.num_value, 1, v.num_value, v.num_value, COALESCE(v.num_value * wv.num_value, 0), COALESCE(wv.num_value, 0)
	FROM reports r JOIN report_values v ON v.report_id = r.id
	JOIN report_indicators i ON i.id = v.indicator_id
	LEFT JOIN report_indicators wi ON wi.template_id = i.template_id AND wi.code = i.weight_code
	LEFT JOIN report_values wv ON wv.report_id = v.report_id AND wv.indicator_id = wi.id AND wv.category = v.category
	WHERE v.num_value IS NOT NULL AND r.status IN {counted}
		AND +v.indicator_id IN (SELECT i.id FROM report_indicators i WHERE i.weight_code <> '' AND ` + aggregatable + `)
		AND ` + where)
}

// recomputeUnit rewrites basis b's aggregate rows of one unit for one
// period from its own counted report and its direct children.
func (s *Store) recomputeUnit(ctx context.Context, tx *sql.Tx, b Basis, templateID, unitID int64, p Period) error {
	pa := p.args()
	q := func(query string) string { return s.q(b.sqlFor(query)) }
	// Reports counted below the unit: children with rows give their n_reports,
	// children without rows count their own counted report.
	var fromLeaves, fromAgg int
	err := s.txQueryRow(ctx, tx, q(`SELECT COUNT(*) FROM reports r JOIN units c ON c.id = r.unit_id
		WHERE c.parent_id = ? AND r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ? AND r.status IN {counted}
		AND NOT EXISTS (SELECT 1 FROM report_aggregate_units h WHERE h.template_id = r.template_id AND h.unit_id = r.unit_id
			AND h.period_type = r.period_type AND h.period_year = r.period_year AND h.period_number = r.period_number)`),
		append([]any{unitID, templateID}, pa...)...).Scan(&fromLeaves)
	if err != nil {
		return err
	}
	err = s.txQueryRow(ctx, tx, q(`SELECT COALESCE(SUM(h.n_reports), 0) FROM report_aggregate_units h JOIN units c ON c.id = h.unit_id
		WHERE c.parent_id = ? AND h.template_id = ? AND h.period_type = ? AND h.period_year = ? AND h.period_number = ?`),
		append([]any{unitID, templateID}, pa...)...).Scan(&fromAgg)
	if err != nil {
		return err
	}
	key := append([]any{templateID, unitID}, pa...)
	const keyCond = `template_id = ? AND unit_id = ? AND period_type = ? AND period_year = ? AND period_number = ?`
	if _, err := s.txExec(ctx, tx, q(`DELETE FROM report_aggregates WHERE `+keyCond), key...); err != nil {
		return err
	}
	if fromLeaves+fromAgg == 0 {
		// Nothing below counts: the unit is a leaf again for its parent.
		_, err := s.txExec(ctx, tx, q(`DELETE FROM report_aggregate_units WHERE `+keyCond), key...)
		return err
	}
	var own int
	err = s.txQueryRow(ctx, tx, q(`SELECT COUNT(*) FROM reports WHERE template_id = ? AND unit_id = ? AND period_type = ? AND period_year = ? AND period_number = ? AND status IN {counted}`), key...).Scan(&own)
	if err != nil {
		return err
	}
	half := append([]any{templateID}, pa...)
	half = append(half, unitID, unitID)
	args := append([]any{}, key...)         // INSERT … SELECT ?, ?, ?, ?, ?
	args = append(args, half...)            // own report and leaf children, unweighted
	args = append(args, half...)            // … weighted
	args = append(args, unitID, templateID) // children with rows
	args = append(args, pa...)
	_, err = s.txExec(ctx, tx, q(`INSERT INTO report_aggregates (template_id, unit_id, period_type, period_year, period_number, indicator_id, category, sum, cnt, min, max, wsum, wtotal)
		SELECT ?, ?, ?, ?, ?, x.indicator_id, x.category, SUM(x.s), SUM(x.c), MIN(x.mn), MAX(x.mx), SUM(x.ws), SUM(x.wt) FROM (
			`+valueRows(b, "", `r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ?
			AND (r.unit_id = ? OR (r.unit_id IN (SELECT c.id FROM units c WHERE c.parent_id = ?)
				AND NOT EXISTS (SELECT 1 FROM report_aggregate_units h WHERE h.template_id = r.template_id AND h.unit_id = r.unit_id
					AND h.period_type = r.period_type AND h.period_year = r.period_year AND h.period_number = r.period_number)))`)+`
			UNION ALL
			SELECT a.indicator_id, a.category, a.sum, a.cnt, a.min, a.max, a.wsum, a.wtotal
			FROM report_aggregates a JOIN units c ON c.id = a.unit_id
			WHERE c.parent_id = ? AND a.template_id = ? AND a.period_type = ? AND a.period_year = ? AND a.period_number = ?
		) x GROUP BY x.indicator_id, x.category`), args...)
	if err != nil {
		return err
	}
	_, err = s.txExec(ctx, tx, q(`INSERT INTO report_aggregate_units (template_id, unit_id, period_type, period_year, period_number, n_reports, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (template_id, unit_id, period_type, period_year, period_number) DO UPDATE SET n_reports = excluded.n_reports, updated_at = excluded.updated_at`),
		append(key, own+fromLeaves+fromAgg, s.ts(s.Now()))...)
	return err
}

// RebuildAggregates recomputes every aggregate of a template, on both
// bases, from the reports, bottom-up: a repair tool, and the reference the
// incremental path is tested against. Each period is rebuilt in its own
// transaction (periods are independent), which keeps one transaction's
// writes small.
func (s *Store) RebuildAggregates(ctx context.Context, templateID int64) error {
	for _, b := range Bases {
		if err := s.rebuildAggregates(ctx, b, templateID); err != nil {
			return fmt.Errorf("%s basis: %w", b, err)
		}
	}
	return nil
}

// rebuildAggregates is RebuildAggregates on basis b.
func (s *Store) rebuildAggregates(ctx context.Context, b Basis, templateID int64) error {
	parent, err := unitParents(ctx, s, s.db)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	todo := map[Period]map[int64]bool{}
	// Periods that have rows now (they may have none after the rebuild).
	rows, err := s.db.QueryContext(ctx, s.q(b.sqlFor(`SELECT DISTINCT period_type, period_year, period_number FROM report_aggregate_units WHERE template_id = ?`)), templateID)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	for rows.Next() {
		var p Period
		if err := rows.Scan(&p.Type, &p.Year, &p.Number); err != nil {
			rows.Close()
			return err
		}
		todo[p] = map[int64]bool{}
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, s.q(b.sqlFor(`SELECT DISTINCT period_type, period_year, period_number, unit_id FROM reports
		WHERE template_id = ? AND status IN {counted}`)), templateID)
	if err != nil {
		return fmt.Errorf("rebuild aggregates: %w", err)
	}
	for rows.Next() {
		var p Period
		var u int64
		if err := rows.Scan(&p.Type, &p.Year, &p.Number, &u); err != nil {
			rows.Close()
			return err
		}
		if todo[p] == nil {
			todo[p] = map[int64]bool{}
		}
		for a, n := parent[u], 0; a != 0 && n < 64; a, n = parent[a], n+1 {
			todo[p][a] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	periods := make([]Period, 0, len(todo))
	for p := range todo {
		periods = append(periods, p)
	}
	sort.Slice(periods, func(i, j int) bool {
		a, b := periods[i], periods[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.Number < b.Number
	})
	depth := func(u int64) int {
		d := 0
		for a := parent[u]; a != 0 && d < 64; a = parent[a] {
			d++
		}
		return d
	}
	for _, p := range periods {
		units := make([]int64, 0, len(todo[p]))
		for u := range todo[p] {
			units = append(units, u)
		}
		// Deepest first, so children are done before their parents.
		sort.Slice(units, func(i, j int) bool {
			di, dj := depth(units[i]), depth(units[j])
			if di != dj {
				return di > dj
			}
			return units[i] < units[j]
		})
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if err := s.lockPeriod(ctx, tx, templateID, p); err != nil {
				return err
			}
			key := append([]any{templateID}, p.args()...)
			headers, parts := b.tables()
			for _, t := range []string{parts, headers} {
				if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM `+t+` WHERE `+periodCond), key...); err != nil {
					return err
				}
			}
			for _, u := range units {
				if err := s.recomputeUnit(ctx, tx, b, templateID, u, p); err != nil {
					return fmt.Errorf("unit %d: %w", u, err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("rebuild aggregates %s %d/%d: %w", p.Type, p.Number, p.Year, err)
		}
	}
	return nil
}

func unitParents(ctx context.Context, s *Store, q querier) (map[int64]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0) FROM units`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, p int64
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

// AggKey names one consolidated cell: an indicator and a category (” = total).
type AggKey struct {
	IndicatorID int64
	Category    string
}

// AggParts are what every aggregation method is computed from.
type AggParts struct {
	Sum, Min, Max, WSum, WTotal float64
	Cnt                         int64
}

func (a *AggParts) add(b AggParts) {
	if a.Cnt == 0 {
		*a = b
		return
	}
	if b.Cnt == 0 {
		return
	}
	a.Sum += b.Sum
	a.Cnt += b.Cnt
	a.Min = min(a.Min, b.Min)
	a.Max = max(a.Max, b.Max)
	a.WSum += b.WSum
	a.WTotal += b.WTotal
}

// Value computes the figure by method; ok is false when there is none
// (no values, or a weighted average without weights).
func (a AggParts) Value(method string) (float64, bool) {
	if a.Cnt == 0 {
		return 0, false
	}
	switch method {
	case "sum":
		return a.Sum, true
	case "avg":
		return a.Sum / float64(a.Cnt), true
	case "wavg":
		if a.WTotal == 0 {
			return 0, false
		}
		return a.WSum / a.WTotal, true
	case "min":
		return a.Min, true
	case "max":
		return a.Max, true
	}
	return 0, false
}

// ConsolidatedIndicator describes one aggregated indicator.
type ConsolidatedIndicator struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	ValueType   string `json:"value_type"`
	Aggregation string `json:"aggregation"`
	WeightCode  string `json:"weight_code,omitempty"`
}

// ConsolidatedCell is one figure of a consolidated view.
type ConsolidatedCell struct {
	Indicator ConsolidatedIndicator `json:"indicator"`
	Category  string                `json:"category"`
	Value     *float64              `json:"value"` // nil: no data
	Count     int64                 `json:"count"` // reports with a value
	Parts     AggParts              `json:"-"`
}

// ConsolidatedChild is one child unit's figures, for drill-down.
type ConsolidatedChild struct {
	Unit     org.Unit `json:"unit"`
	NReports int      `json:"n_reports"`
	// Values by AggKey; only cells with data.
	Values      map[AggKey]AggParts `json:"-"`
	Approximate bool                `json:"approximate,omitempty"`
}

// Value returns the child's figure for a cell, by the cell's method.
func (c ConsolidatedChild) Value(cell ConsolidatedCell) (float64, bool) {
	p, ok := c.Values[AggKey{cell.Indicator.ID, cell.Category}]
	if !ok {
		return 0, false
	}
	return p.Value(cell.Indicator.Aggregation)
}

// Consolidation is a unit's consolidated figures for one period.
type Consolidation struct {
	TemplateID int64               `json:"template_id"`
	Unit       org.Unit            `json:"unit"`
	Period     Period              `json:"period"`
	From, To   string              `json:"-"`
	NReports   int                 `json:"n_reports"`
	Cells      []ConsolidatedCell  `json:"cells"`
	Children   []ConsolidatedChild `json:"children"`
	// Basis: which reports are counted (accepted only, or all received).
	Basis Basis `json:"basis"`
	// Accepted and Pending count the accepted reports and those still
	// waiting for review (submitted) in the unit's scope: Pending are left
	// out of the figures on the accepted basis.
	Accepted int `json:"accepted"`
	Pending  int `json:"pending"`
	// Mapped: old units' reports re-attributed to current units.
	Mapped bool `json:"mapped"`
	// Approximate: a split (partial) predecessor's figures cross this unit's
	// boundary, so the mapped figures are an approximation.
	Approximate bool `json:"approximate"`
}

// periodWindow is the default-rule window of a period (for unit validity).
func periodWindow(p Period) (string, string, error) {
	t, err := report.ParsePeriodType(p.Type)
	if err != nil {
		return "", "", err
	}
	if p.Number < 1 || p.Number > t.PerYear() || p.Year < 1900 || p.Year > 9999 {
		return "", "", fmt.Errorf("period %s %d/%d: %w", p.Type, p.Number, p.Year, ErrNotFound)
	}
	ws := report.Windows(report.Rule{}, t, p.Year)
	w := ws[p.Number-1]
	return w.From.String(), w.To.String(), nil
}

// ConsolidationIndicators lists the indicators of a template that consolidate.
func (s *Store) ConsolidationIndicators(ctx context.Context, templateID int64) ([]ConsolidatedIndicator, error) {
	return s.templateIndicators(ctx, templateID)
}

// templateIndicators lists the aggregatable indicators of a template.
func (s *Store) templateIndicators(ctx context.Context, templateID int64) ([]ConsolidatedIndicator, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT i.id, i.code, i.name, i.value_type, i.aggregation, i.weight_code FROM report_indicators i
		WHERE i.template_id = ? AND `+aggregatable+` ORDER BY i.sort_key, i.id`), templateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ConsolidatedIndicator
	for rows.Next() {
		var in ConsolidatedIndicator
		if err := rows.Scan(&in.ID, &in.Code, &in.Name, &in.ValueType, &in.Aggregation, &in.WeightCode); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// ConsolidationTemplate is a template offered in the consolidated view.
type ConsolidationTemplate struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	PeriodType string `json:"period_type"`
}

// ConsolidationTemplates lists the active templates.
func (s *Store) ConsolidationTemplates(ctx context.Context) ([]ConsolidationTemplate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, code, name, period_type FROM report_templates WHERE active ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	defer rows.Close()
	var out []ConsolidationTemplate
	for rows.Next() {
		var t ConsolidationTemplate
		if err := rows.Scan(&t.ID, &t.Code, &t.Name, &t.PeriodType); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// aggRowsByUnit reads basis b's maintained aggregate rows, keyed by unit.
func (s *Store) aggRowsByUnit(ctx context.Context, b Basis, where string, args ...any) (map[int64]map[AggKey]AggParts, error) {
	rows, err := s.db.QueryContext(ctx, s.q(b.sqlFor(`SELECT a.unit_id, a.indicator_id, a.category, a.sum, a.cnt, a.min, a.max, a.wsum, a.wtotal
		FROM report_aggregates a WHERE `+where)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[AggKey]AggParts{}
	for rows.Next() {
		var u int64
		var k AggKey
		var p AggParts
		if err := rows.Scan(&u, &k.IndicatorID, &k.Category, &p.Sum, &p.Cnt, &p.Min, &p.Max, &p.WSum, &p.WTotal); err != nil {
			return nil, err
		}
		if out[u] == nil {
			out[u] = map[AggKey]AggParts{}
		}
		out[u][k] = p
	}
	return out, rows.Err()
}

// reportParts reads the values of reports counted on basis b as parts,
// keyed by report id.
func (s *Store) reportParts(ctx context.Context, b Basis, where string, args ...any) (map[int64]map[AggKey]AggParts, map[int64]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(valueRows(b, "r.id, r.unit_id, ", where)), append(append([]any{}, args...), args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[int64]map[AggKey]AggParts{}
	unitOf := map[int64]int64{}
	for rows.Next() {
		var id, u int64
		var k AggKey
		var p AggParts
		if err := rows.Scan(&id, &u, &k.IndicatorID, &k.Category, &p.Sum, &p.Cnt, &p.Min, &p.Max, &p.WSum, &p.WTotal); err != nil {
			return nil, nil, err
		}
		if out[id] == nil {
			out[id] = map[AggKey]AggParts{}
		}
		out[id][k] = p
		unitOf[id] = u
	}
	return out, unitOf, rows.Err()
}

const periodCond = `template_id = ? AND period_type = ? AND period_year = ? AND period_number = ?`

// ConsolidatedView is ConsolidatedViewOn the received basis.
func (s *Store) ConsolidatedView(ctx context.Context, templateID, unitID int64, periodType string, year, number int, drill ...int64) (Consolidation, error) {
	return s.ConsolidatedViewOn(ctx, BasisReceived, templateID, unitID, periodType, year, number, drill...)
}

// ConsolidatedViewOn returns a unit's consolidated figures for a period on
// basis b, as organised then, with its children's figures for drill-down:
// for every indicator, or only for the indicators named in drill (a
// province's communes hold 200 × 100 values; the page shows one indicator
// at a time).
func (s *Store) ConsolidatedViewOn(ctx context.Context, b Basis, templateID, unitID int64, periodType string, year, number int, drill ...int64) (Consolidation, error) {
	p := Period{periodType, year, number}
	c, inds, err := s.viewBase(ctx, b, templateID, unitID, p)
	if err != nil {
		return c, err
	}
	if err := s.countBasis(ctx, &c, unitID); err != nil {
		return c, fmt.Errorf("consolidated view: %w", err)
	}
	q := func(query string) string { return s.q(b.sqlFor(query)) }
	pc := append([]any{templateID}, p.args()...)
	// The unit itself: its rows, or (a leaf) its own counted report.
	var own map[AggKey]AggParts
	err = s.db.QueryRowContext(ctx, q(`SELECT n_reports FROM report_aggregate_units WHERE unit_id = ? AND `+periodCond), append([]any{unitID}, pc...)...).Scan(&c.NReports)
	switch {
	case err == nil:
		m, err := s.aggRowsByUnit(ctx, b, `a.unit_id = ? AND a.`+strings.ReplaceAll(periodCond, "AND ", "AND a."), append([]any{unitID}, pc...)...)
		if err != nil {
			return c, fmt.Errorf("consolidated view: %w", err)
		}
		own = m[unitID]
	case errors.Is(err, sql.ErrNoRows):
		m, _, err := s.reportParts(ctx, b, `r.unit_id = ? AND r.`+strings.ReplaceAll(periodCond, "AND ", "AND r."), append([]any{unitID}, pc...)...)
		if err != nil {
			return c, fmt.Errorf("consolidated view: %w", err)
		}
		for _, v := range m {
			own = v
			c.NReports = 1
		}
		if c.NReports == 0 {
			var n int
			if err := s.db.QueryRowContext(ctx, q(`SELECT COUNT(*) FROM reports WHERE unit_id = ? AND status IN {counted} AND `+periodCond), append([]any{unitID}, pc...)...).Scan(&n); err == nil {
				c.NReports = n // counted, but with no numeric values
			}
		}
	default:
		return c, fmt.Errorf("consolidated view: %w", err)
	}
	c.Cells = cells(inds, own)

	// Children: those with rows, and those whose own report counts.
	kids, err := s.childrenDuring(ctx, unitID, c.From, c.To)
	if err != nil {
		return c, fmt.Errorf("consolidated view: %w", err)
	}
	if len(kids) > 0 {
		only := func(alias string) string {
			if len(drill) == 0 {
				return ""
			}
			ids := make([]string, len(drill))
			for i, id := range drill {
				ids[i] = fmt.Sprint(id)
			}
			return ` AND ` + alias + `.indicator_id IN (` + strings.Join(ids, ", ") + `)`
		}
		byUnit, err := s.aggRowsByUnit(ctx, b, `a.unit_id IN (SELECT id FROM units WHERE parent_id = ?) AND a.`+strings.ReplaceAll(periodCond, "AND ", "AND a.")+only("a"), append([]any{unitID}, pc...)...)
		if err != nil {
			return c, fmt.Errorf("consolidated view: %w", err)
		}
		nrep := map[int64]int{}
		hrows, err := s.db.QueryContext(ctx, q(`SELECT unit_id, n_reports FROM report_aggregate_units WHERE unit_id IN (SELECT id FROM units WHERE parent_id = ?) AND `+periodCond), append([]any{unitID}, pc...)...)
		if err != nil {
			return c, fmt.Errorf("consolidated view: %w", err)
		}
		for hrows.Next() {
			var u int64
			var n int
			if err := hrows.Scan(&u, &n); err != nil {
				hrows.Close()
				return c, err
			}
			nrep[u] = n
		}
		hrows.Close()
		leafParts, unitOf, err := s.reportParts(ctx, b, `r.unit_id IN (SELECT id FROM units WHERE parent_id = ?) AND r.`+strings.ReplaceAll(periodCond, "AND ", "AND r.")+`
			AND NOT EXISTS (SELECT 1 FROM report_aggregate_units h WHERE h.template_id = r.template_id AND h.unit_id = r.unit_id
				AND h.period_type = r.period_type AND h.period_year = r.period_year AND h.period_number = r.period_number)`+only("v"), append([]any{unitID}, pc...)...)
		if err != nil {
			return c, fmt.Errorf("consolidated view: %w", err)
		}
		for id, m := range leafParts {
			u := unitOf[id]
			byUnit[u] = m
			nrep[u] = 1
		}
		for _, k := range kids {
			c.Children = append(c.Children, ConsolidatedChild{Unit: k, NReports: nrep[k.ID], Values: byUnit[k.ID]})
		}
	}
	return c, nil
}

// viewBase checks the arguments and loads the unit and indicators.
func (s *Store) viewBase(ctx context.Context, b Basis, templateID, unitID int64, p Period) (Consolidation, []ConsolidatedIndicator, error) {
	c := Consolidation{TemplateID: templateID, Period: p, Basis: b}
	from, to, err := periodWindow(p)
	if err != nil {
		return c, nil, err
	}
	c.From, c.To = from, to
	var n int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM report_templates WHERE id = ?`), templateID).Scan(&n); err != nil {
		return c, nil, fmt.Errorf("consolidated view: %w", err)
	}
	if n == 0 {
		return c, nil, fmt.Errorf("template %d: %w", templateID, ErrNotFound)
	}
	c.Unit, err = s.GetUnit(ctx, unitID)
	if err != nil {
		return c, nil, err
	}
	inds, err := s.templateIndicators(ctx, templateID)
	if err != nil {
		return c, nil, fmt.Errorf("consolidated view: %w", err)
	}
	return c, inds, nil
}

// countBasis fills c's Accepted and Pending for unitID's subtree from both
// bases' headers (a unit without one counts its own report).
func (s *Store) countBasis(ctx context.Context, c *Consolidation, unitID int64) error {
	n := map[Basis]int{}
	args := append([]any{unitID, c.TemplateID}, c.Period.args()...)
	for _, b := range Bases {
		var x int
		err := s.db.QueryRowContext(ctx, s.q(b.sqlFor(`SELECT n_reports FROM report_aggregate_units WHERE unit_id = ? AND `+periodCond)), args...).Scan(&x)
		if errors.Is(err, sql.ErrNoRows) {
			err = s.db.QueryRowContext(ctx, s.q(b.sqlFor(`SELECT COUNT(*) FROM reports WHERE unit_id = ? AND status IN {counted} AND `+periodCond)), args...).Scan(&x)
		}
		if err != nil {
			return err
		}
		n[b] = x
	}
	c.Accepted, c.Pending = n[BasisAccepted], n[BasisReceived]-n[BasisAccepted]
	return nil
}

// childrenDuring lists the children of a unit that existed at some time in
// [from, to], in display order.
func (s *Store) childrenDuring(ctx context.Context, parentID int64, from, to string) ([]org.Unit, error) {
	us, err := collectUnits(s.db.QueryContext(ctx, s.q(`SELECT `+unitCols+` FROM units WHERE parent_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)`), parentID, to, from))
	if err != nil {
		return nil, err
	}
	sortUnits(us)
	return us, nil
}

// cells lays out the figures in indicator order: the total of every
// indicator, then any categories that have data.
func cells(inds []ConsolidatedIndicator, m map[AggKey]AggParts) []ConsolidatedCell {
	cats := map[int64][]string{}
	for k := range m {
		if k.Category != "" {
			cats[k.IndicatorID] = append(cats[k.IndicatorID], k.Category)
		}
	}
	var out []ConsolidatedCell
	for _, in := range inds {
		keys := append([]string{""}, cats[in.ID]...)
		sort.Strings(keys[1:])
		for _, cat := range keys {
			cell := ConsolidatedCell{Indicator: in, Category: cat}
			if p, ok := m[AggKey{in.ID, cat}]; ok {
				cell.Parts, cell.Count = p, p.Cnt
				if v, ok := p.Value(in.Aggregation); ok {
					cell.Value = &v
				}
			}
			out = append(out, cell)
		}
	}
	return out
}

// MappedView returns a unit's figures for a period with every counted
// report attributed to the unit that continues its reporting unit today.
//
// The rule: a unit valid today stands for itself. An ended unit follows its
// successor links: a "full" link carries all its figures to that successor;
// a unit that was split ("partial" links only) is attributed wholly to one
// successor — the one with the lowest id — so every report still counts
// exactly once at every level. An ended unit with no successor rolls into
// its parent's mapping (e.g. an abolished district's own report into the
// province). A unit's mapped figures are flagged approximate when a split
// unit has successors both inside and outside its subtree.
func (s *Store) MappedView(ctx context.Context, templateID, unitID int64, periodType string, year, number int) (Consolidation, error) {
	return s.MappedViewOn(ctx, BasisReceived, templateID, unitID, periodType, year, number)
}

// MappedViewOn is MappedView on basis b.
func (s *Store) MappedViewOn(ctx context.Context, b Basis, templateID, unitID int64, periodType string, year, number int) (Consolidation, error) {
	p := Period{periodType, year, number}
	c, inds, err := s.viewBase(ctx, b, templateID, unitID, p)
	if err != nil {
		return c, err
	}
	c.Mapped = true
	today := s.Now().Format(time.DateOnly)
	all, err := collectUnits(s.db.QueryContext(ctx, `SELECT `+unitCols+` FROM units`))
	if err != nil {
		return c, fmt.Errorf("mapped view: %w", err)
	}
	units := make(map[int64]org.Unit, len(all))
	for _, u := range all {
		units[u.ID] = u
	}
	links, err := s.AllSuccessorLinks(ctx)
	if err != nil {
		return c, fmt.Errorf("mapped view: %w", err)
	}
	full := map[int64]int64{}
	split := map[int64][]int64{}
	for _, l := range links {
		if l.Portion == "partial" {
			split[l.PredecessorID] = append(split[l.PredecessorID], l.SuccessorID)
		} else if cur, ok := full[l.PredecessorID]; !ok || l.SuccessorID < cur {
			full[l.PredecessorID] = l.SuccessorID
		}
	}
	for k := range split {
		sort.Slice(split[k], func(i, j int) bool { return split[k][i] < split[k][j] })
	}
	mapped := map[int64]int64{}
	var target func(id int64, depth int) int64
	target = func(id int64, depth int) int64 {
		if t, ok := mapped[id]; ok {
			return t
		}
		u, ok := units[id]
		var t int64
		switch {
		case !ok || depth > 64:
		case u.ValidOn(today):
			t = id
		case full[id] != 0:
			t = target(full[id], depth+1)
		case len(split[id]) > 0:
			t = target(split[id][0], depth+1)
		case u.ParentID != 0:
			t = target(u.ParentID, depth+1)
		}
		mapped[id] = t
		return t
	}
	// bucket: which current child of unitID (or unitID itself) contains a unit.
	bucket := func(id int64) (int64, bool) {
		prev := int64(0)
		for n := 0; id != 0 && n < 64; n++ {
			if id == unitID {
				if prev == 0 {
					return unitID, true
				}
				return prev, true
			}
			prev = id
			id = units[id].ParentID
		}
		return 0, false
	}
	pc := append([]any{templateID}, p.args()...)
	parts, unitOf, err := s.reportParts(ctx, b, `r.`+strings.ReplaceAll(periodCond, "AND ", "AND r."), pc...)
	if err != nil {
		return c, fmt.Errorf("mapped view: %w", err)
	}
	// Counted reports without numeric values still count as reports; every
	// received report is tallied as accepted or pending.
	rrows, err := s.db.QueryContext(ctx, s.q(BasisReceived.sqlFor(`SELECT id, unit_id, status FROM reports WHERE status IN {counted} AND `+periodCond)), pc...)
	if err != nil {
		return c, fmt.Errorf("mapped view: %w", err)
	}
	accepted := map[int64]bool{}
	received := map[int64]int64{}
	for rrows.Next() {
		var id, u int64
		var st string
		if err := rrows.Scan(&id, &u, &st); err != nil {
			rrows.Close()
			return c, err
		}
		accepted[id], received[id] = st == "accepted", u
		if b == BasisReceived || accepted[id] {
			unitOf[id] = u
		}
	}
	rrows.Close()
	if err := rrows.Err(); err != nil {
		return c, fmt.Errorf("mapped view: %w", err)
	}
	total := map[AggKey]AggParts{}
	perChild := map[int64]map[AggKey]AggParts{}
	nrep := map[int64]int{}
	for id, u := range unitOf {
		b, ok := bucket(target(u, 0))
		if !ok {
			continue
		}
		c.NReports++
		nrep[b]++
		if perChild[b] == nil {
			perChild[b] = map[AggKey]AggParts{}
		}
		for k, v := range parts[id] {
			t := total[k]
			t.add(v)
			total[k] = t
			pcv := perChild[b][k]
			pcv.add(v)
			perChild[b][k] = pcv
		}
	}
	c.Cells = cells(inds, total)
	for id, u := range received {
		if _, ok := bucket(target(u, 0)); !ok {
			continue
		}
		if accepted[id] {
			c.Accepted++
		} else {
			c.Pending++
		}
	}
	inside := func(id, root int64) bool {
		for n := 0; id != 0 && n < 64; n++ {
			if id == root {
				return true
			}
			id = units[id].ParentID
		}
		return false
	}
	approx := func(root int64) bool {
		for _, succ := range split {
			in, out := false, false
			for _, sid := range succ {
				if inside(target(sid, 0), root) {
					in = true
				} else {
					out = true
				}
			}
			if in && out {
				return true
			}
		}
		return false
	}
	c.Approximate = approx(unitID)
	kids, err := s.Children(ctx, unitID, today)
	if err != nil {
		return c, fmt.Errorf("mapped view: %w", err)
	}
	for _, k := range kids {
		c.Children = append(c.Children, ConsolidatedChild{Unit: k, NReports: nrep[k.ID], Values: perChild[k.ID], Approximate: approx(k.ID)})
	}
	return c, nil
}

// ReformDate is when the district level was abolished (Resolution 60-NQ/TW):
// periods ending before it were organised over the old units.
const ReformDate = "2025-07-01"

// PeriodBefore reports whether a period ended before date (YYYY-MM-DD).
func PeriodBefore(periodType string, year, number int, date string) bool {
	_, to, err := periodWindow(Period{periodType, year, number})
	return err == nil && to < date
}
