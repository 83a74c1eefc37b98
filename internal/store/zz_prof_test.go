package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

func TestZZProf(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil { t.Fatal(err) }
	st.Migrate(ctx)
	d, err := st.BenchLoad(ctx, BenchParams{Provinces: 34, Communes: 3321, Indicators: 200, Periods: 3}, nil)
	if err != nil { t.Fatal(err) }
	p := d.Periods[0]
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		st.inTx(ctx, func(tx *sql.Tx) error { return st.recomputeUnit(ctx, tx, d.TemplateID, d.Provinces[i], p) })
		t.Logf("recompute province %v", time.Since(t0))
	}
	t0 := time.Now()
	st.RebuildAggregates(ctx, d.TemplateID)
	t.Logf("rebuild %v", time.Since(t0))
	for _, q := range []string{
		`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM reports r JOIN units c ON c.id = r.unit_id
		WHERE c.parent_id = ? AND r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ? AND r.status IN ('submitted','accepted')
		AND NOT EXISTS (SELECT 1 FROM report_aggregate_units h WHERE h.template_id = r.template_id AND h.unit_id = r.unit_id
			AND h.period_type = r.period_type AND h.period_year = r.period_year AND h.period_number = r.period_number)`,
		`EXPLAIN QUERY PLAN SELECT x.indicator_id, SUM(x.s) FROM (` + valueRows("", `r.template_id = ? AND r.period_type = ? AND r.period_year = ? AND r.period_number = ?
			AND (r.unit_id = ? OR (r.unit_id IN (SELECT c.id FROM units c WHERE c.parent_id = ?)))`) + `) x GROUP BY x.indicator_id, x.category`,
	} {
		rows, err := st.db.QueryContext(ctx, q, d.Provinces[0], d.TemplateID, p.Type, p.Year, p.Number, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
		if err != nil { t.Log(err); continue }
		for rows.Next() { var a, b, c int; var s string; rows.Scan(&a, &b, &c, &s); t.Log(a, b, s) }
		rows.Close()
	}
}
