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
	d, err := st.BenchLoad(ctx, BenchParams{Provinces: 2, Communes: 200, Indicators: 200, Periods: 1}, nil)
	if err != nil { t.Fatal(err) }
	t0 := time.Now()
	st.RebuildAggregates(ctx, d.TemplateID)
	t.Logf("rebuild %v", time.Since(t0))
	p := d.Periods[0]
	for i := 0; i < 3; i++ {
		t0 = time.Now()
		st.inTx(ctx, func(tx *sql.Tx) error { return st.recomputeUnit(ctx, tx, d.TemplateID, d.Provinces[0], p) })
		t.Logf("recompute province %v", time.Since(t0))
		t0 = time.Now()
		var n int
		st.db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(v.num_value) FROM reports r JOIN report_values v ON v.report_id = r.id WHERE r.unit_id IN (SELECT id FROM units WHERE parent_id = ?)`, d.Provinces[0]).Scan(&n, new(float64))
		t.Logf("plain count %d %v", n, time.Since(t0))
	}
	half := valueRows("", `r.template_id = ? AND r.unit_id IN (SELECT c.id FROM units c WHERE c.parent_id = ?)`)
	rows, _ := st.db.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT x.indicator_id, SUM(x.s) FROM (`+half+`) x GROUP BY x.indicator_id, x.category`, d.TemplateID, d.Provinces[0], d.TemplateID, d.Provinces[0])
	for rows.Next() { var a, b, c int; var s string; rows.Scan(&a, &b, &c, &s); t.Log(a, b, s) }
}
