package store_test

import (
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// consFixture: nation → province P → old districts D1 (C1, C2), D2 (C3),
// all ending 2025-06-30; new communes X1 (continues C1 and C2 in full),
// X2 and X3 (C3 split between them) under P from 2025-07-01.
type consFixture struct {
	st    *store.Store
	u     map[string]int64
	tpl   int64
	ind   map[string]int64
	nextR int
}

func newConsFixture(t *testing.T) *consFixture {
	t.Helper()
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) })
	f := &consFixture{st: st, u: map[string]int64{}, ind: map[string]int64{}}
	add := func(key string, kind org.Kind, parent, from, to string) {
		u := org.Unit{Code: key, Name: "Đơn vị " + key, Kind: kind, ParentID: f.u[parent], ValidFrom: from, ValidTo: to}
		if err := st.CreateUnit(ctx, sys, &u); err != nil {
			t.Fatalf("unit %s: %v", key, err)
		}
		f.u[key] = u.ID
	}
	add("N", org.KindPartyOrgan, "", "2000-01-01", "")
	add("P", org.KindProvince, "N", "2000-01-01", "")
	add("D1", org.KindDistrict, "P", "2000-01-01", "2025-06-30")
	add("D2", org.KindDistrict, "P", "2000-01-01", "2025-06-30")
	add("C1", org.KindCommune, "D1", "2000-01-01", "2025-06-30")
	add("C2", org.KindCommune, "D1", "2000-01-01", "2025-06-30")
	add("C3", org.KindCommune, "D2", "2000-01-01", "2025-06-30")
	add("X1", org.KindCommune, "P", "2025-07-01", "")
	add("X2", org.KindCommune, "P", "2025-07-01", "")
	add("X3", org.KindCommune, "P", "2025-07-01", "")
	for _, l := range []org.Successor{
		{PredecessorID: f.u["C1"], SuccessorID: f.u["X1"], Portion: "full", Effective: "2025-07-01"},
		{PredecessorID: f.u["C2"], SuccessorID: f.u["X1"], Portion: "full", Effective: "2025-07-01"},
		{PredecessorID: f.u["C3"], SuccessorID: f.u["X2"], Kind: "split", Portion: "partial", Effective: "2025-07-01"},
		{PredecessorID: f.u["C3"], SuccessorID: f.u["X3"], Kind: "split", Portion: "partial", Effective: "2025-07-01"},
	} {
		if err := st.AddSuccessor(ctx, sys, l); err != nil {
			t.Fatal(err)
		}
	}
	err := st.ConsolidateForTest(ctx, func(tx *sql.Tx, q func(string) string, ts func(time.Time) any) ([]int64, error) {
		now := ts(time.Now())
		if err := tx.QueryRowContext(ctx, q(`INSERT INTO report_templates (code, name, period_type, definition, created_at, updated_at) VALUES ('t1', 'Báo cáo tháng', 'monthly', '{}', ?, ?) RETURNING id`), now, now).Scan(&f.tpl); err != nil {
			return nil, err
		}
		for i, in := range []struct{ code, typ, agg, weight string }{
			{"cases", "integer", "sum", ""}, {"rate", "percent", "avg", ""}, {"score", "decimal", "wavg", "pop"},
			{"pop", "integer", "sum", ""}, {"low", "decimal", "min", ""}, {"high", "decimal", "max", ""},
			{"note", "text", "none", ""}, {"flag", "integer", "none", ""},
		} {
			var id int64
			if err := tx.QueryRowContext(ctx, q(`INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, weight_code, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				f.tpl, in.code, "Chỉ tiêu "+in.code, in.typ, in.agg, in.weight, i).Scan(&id); err != nil {
				return nil, err
			}
			f.ind[in.code] = id
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// put stores (or replaces) a unit's report for a monthly period with a
// status and values ("code" or "code.category"), and consolidates it in the
// same transaction.
func (f *consFixture) put(t *testing.T, unit string, year, month int, status string, vals map[string]float64) {
	t.Helper()
	err := f.st.ConsolidateForTest(ctx, func(tx *sql.Tx, q func(string) string, ts func(time.Time) any) ([]int64, error) {
		now := ts(time.Now())
		var id int64
		err := tx.QueryRowContext(ctx, q(`INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, created_at, updated_at)
			VALUES (?, ?, 'monthly', ?, ?, '', '', '', ?, ?, ?)
			ON CONFLICT (template_id, unit_id, period_type, period_year, period_number) DO UPDATE SET status = excluded.status, version = reports.version + 1
			RETURNING id`), f.tpl, f.u[unit], year, month, status, now, now).Scan(&id)
		if err != nil {
			return nil, err
		}
		if vals == nil {
			return []int64{id}, nil
		}
		if _, err := tx.ExecContext(ctx, q(`DELETE FROM report_values WHERE report_id = ?`), id); err != nil {
			return nil, err
		}
		for k, v := range vals {
			code, cat, _ := strings.Cut(k, ".")
			if _, err := tx.ExecContext(ctx, q(`INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, ?, ?)`), id, f.ind[code], cat, v); err != nil {
				return nil, err
			}
		}
		return []int64{id}, nil
	})
	if err != nil {
		t.Fatalf("put %s %d-%02d %s: %v", unit, year, month, status, err)
	}
}

// fig returns a unit's consolidated figure for an indicator (total) or
// NaN when there is none.
func fig(t *testing.T, c store.Consolidation, code, cat string) float64 {
	t.Helper()
	for _, cell := range c.Cells {
		if cell.Indicator.Code == code && cell.Category == cat {
			if cell.Value == nil {
				return math.NaN()
			}
			return *cell.Value
		}
	}
	return math.NaN()
}

func (f *consFixture) view(t *testing.T, unit string, year, month int) store.Consolidation {
	t.Helper()
	c, err := f.st.ConsolidatedView(ctx, f.tpl, f.u[unit], "monthly", year, month)
	if err != nil {
		t.Fatalf("view %s: %v", unit, err)
	}
	return c
}

func same(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(a))
}

func TestConsolidationAcrossReorganisation(t *testing.T) {
	f := newConsFixture(t)
	// 2025-03: old communes report; 2025-08: new communes report.
	f.put(t, "C1", 2025, 3, "submitted", map[string]float64{"cases": 10, "cases.female": 4, "rate": 50, "score": 8, "pop": 100, "low": 3, "high": 7, "flag": 1})
	f.put(t, "C2", 2025, 3, "accepted", map[string]float64{"cases": 5, "cases.female": 1, "rate": 70, "score": 6, "pop": 300, "low": 1, "high": 9})
	f.put(t, "C3", 2025, 3, "submitted", map[string]float64{"cases": 7, "rate": 90, "score": 10, "pop": 100, "low": 2, "high": 4})
	f.put(t, "D2", 2025, 3, "draft", map[string]float64{"cases": 1000})
	f.put(t, "X1", 2025, 8, "submitted", map[string]float64{"cases": 20, "rate": 40})
	f.put(t, "X2", 2025, 8, "submitted", map[string]float64{"cases": 30, "rate": 60})
	f.put(t, "C1", 2025, 8, "submitted", map[string]float64{"cases": 999}) // an old unit reporting late does not change the new tree

	cases := []struct {
		unit         string
		year, month  int
		code, cat    string
		want         float64
		wantReports  int
		wantChildren int
	}{
		{"C1", 2025, 3, "cases", "", 10, 1, 0},
		{"D1", 2025, 3, "cases", "", 15, 2, 2},
		{"D1", 2025, 3, "cases", "female", 5, 2, 2},
		{"D2", 2025, 3, "cases", "", 7, 1, 1}, // its own draft does not count
		{"P", 2025, 3, "cases", "", 22, 3, 2}, // old districts only
		{"N", 2025, 3, "cases", "", 22, 3, 1},
		{"P", 2025, 3, "rate", "", 70, 3, 2},                                // avg over reports: (50+70+90)/3
		{"P", 2025, 3, "score", "", (8*100 + 6*300 + 10*100) / 500.0, 3, 2}, // wavg by pop
		{"P", 2025, 3, "pop", "", 500, 3, 2},
		{"P", 2025, 3, "low", "", 1, 3, 2},
		{"P", 2025, 3, "high", "", 9, 3, 2},
		{"D1", 2025, 3, "score", "", (8*100 + 6*300) / 400.0, 2, 2},
		{"P", 2025, 8, "cases", "", 1049, 3, 3}, // X1 + X2 + C1's late report through its fixed chain C1 → D1 → P; D1 is not listed then
		{"N", 2025, 8, "rate", "", 50, 3, 1},    // avg over the two reports with a rate
		{"X3", 2025, 8, "cases", "", math.NaN(), 0, 0},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%d-%02d/%s.%s", c.unit, c.year, c.month, c.code, c.cat), func(t *testing.T) {
			v := f.view(t, c.unit, c.year, c.month)
			if got := fig(t, v, c.code, c.cat); !same(got, c.want) {
				t.Errorf("value = %v, want %v", got, c.want)
			}
			if v.NReports != c.wantReports {
				t.Errorf("n_reports = %d, want %d", v.NReports, c.wantReports)
			}
			if len(v.Children) != c.wantChildren {
				t.Errorf("children = %d, want %d", len(v.Children), c.wantChildren)
			}
		})
	}
	// Text and 'none' indicators are not aggregated.
	for _, cell := range f.view(t, "P", 2025, 3).Cells {
		if cell.Indicator.Code == "note" || cell.Indicator.Code == "flag" {
			t.Errorf("indicator %s should not be consolidated", cell.Indicator.Code)
		}
	}
	// Drill-down from the province in 2025-03: D1 = 15, D2 = 7.
	p := f.view(t, "P", 2025, 3)
	var casesCell store.ConsolidatedCell
	for _, cell := range p.Cells {
		if cell.Indicator.Code == "cases" && cell.Category == "" {
			casesCell = cell
		}
	}
	got := map[string]float64{}
	for _, ch := range p.Children {
		v, _ := ch.Value(casesCell)
		got[ch.Unit.Code] = v
	}
	if got["D1"] != 15 || got["D2"] != 7 {
		t.Errorf("drill-down = %v", got)
	}

	// Mapped view of 2025-03 onto the new communes.
	m, err := f.st.MappedView(ctx, f.tpl, f.u["P"], "monthly", 2025, 3)
	if err != nil {
		t.Fatal(err)
	}
	if v := fig(t, m, "cases", ""); v != 22 || m.NReports != 3 || m.Approximate {
		t.Errorf("mapped province: cases %v reports %d approximate %v", v, m.NReports, m.Approximate)
	}
	mc := map[string]store.ConsolidatedChild{}
	for _, ch := range m.Children {
		mc[ch.Unit.Code] = ch
	}
	if len(mc) != 3 {
		t.Fatalf("mapped children = %v", m.Children)
	}
	for _, w := range []struct {
		code   string
		cases  float64
		approx bool
	}{{"X1", 15, false}, {"X2", 7, true}, {"X3", math.NaN(), true}} {
		v, ok := mc[w.code].Value(casesCell)
		if !ok {
			v = math.NaN()
		}
		if !same(v, w.cases) || mc[w.code].Approximate != w.approx {
			t.Errorf("mapped %s: cases %v approx %v, want %v %v", w.code, v, mc[w.code].Approximate, w.cases, w.approx)
		}
	}
	x1, err := f.st.MappedView(ctx, f.tpl, f.u["X1"], "monthly", 2025, 3)
	if err != nil {
		t.Fatal(err)
	}
	if v := fig(t, x1, "cases", ""); v != 15 || x1.Approximate {
		t.Errorf("mapped X1 = %v approx %v", v, x1.Approximate)
	}
	// As organised then, X1 did not exist in 2025-03: nothing.
	if v := fig(t, f.view(t, "X1", 2025, 3), "cases", ""); !math.IsNaN(v) {
		t.Errorf("X1 as organised in 2025-03 = %v", v)
	}
	checkRebuild(t, f)
	checkMigrationFill(t, f)
}

func TestConsolidationSubmitReturnResubmit(t *testing.T) {
	f := newConsFixture(t)
	f.put(t, "X1", 2025, 9, "draft", map[string]float64{"cases": 4})
	if v := fig(t, f.view(t, "N", 2025, 9), "cases", ""); !math.IsNaN(v) {
		t.Fatalf("draft visible: %v", v)
	}
	f.put(t, "X1", 2025, 9, "submitted", nil)
	if v := fig(t, f.view(t, "N", 2025, 9), "cases", ""); v != 4 {
		t.Fatalf("after submit nation = %v, want 4", v)
	}
	if v := fig(t, f.view(t, "P", 2025, 9), "cases", ""); v != 4 {
		t.Fatalf("after submit province = %v, want 4", v)
	}
	f.put(t, "X2", 2025, 9, "submitted", map[string]float64{"cases": 6})
	f.put(t, "X1", 2025, 9, "returned", nil)
	if v := fig(t, f.view(t, "N", 2025, 9), "cases", ""); v != 6 {
		t.Fatalf("after return nation = %v, want 6", v)
	}
	f.put(t, "X1", 2025, 9, "submitted", map[string]float64{"cases": 40})
	for _, u := range []string{"P", "N"} {
		if v := fig(t, f.view(t, u, 2025, 9), "cases", ""); v != 46 {
			t.Fatalf("after resubmit %s = %v, want 46", u, v)
		}
	}
	f.put(t, "X1", 2025, 9, "accepted", nil)
	f.put(t, "X2", 2025, 9, "returned", nil)
	if v := f.view(t, "N", 2025, 9); fig(t, v, "cases", "") != 40 || v.NReports != 1 {
		t.Fatalf("nation = %v (%d reports)", fig(t, v, "cases", ""), v.NReports)
	}
	f.put(t, "X1", 2025, 9, "returned", nil)
	if v := f.view(t, "N", 2025, 9); !math.IsNaN(fig(t, v, "cases", "")) || v.NReports != 0 {
		t.Fatalf("all returned: nation = %v (%d reports)", fig(t, v, "cases", ""), v.NReports)
	}
	checkRebuild(t, f)
	checkMigrationFill(t, f)
}

// TestConsolidationIncrementalEqualsRebuild is the property test of the
// incremental consolidation: several seeds, each a random sequence of
// status and value changes on reports of every level of the tree. After
// every operation the maintained figures of every unit for the period the
// operation touched are compared with an oracle computed here, from the
// reports the test itself keeps track of (plain sums, averages, weighted
// averages, minima and maxima over the reports of the unit's subtree by
// parent counted on each basis — submitted and accepted, or accepted only —
// whatever the validity dates); every period is compared at the end of a
// seed, and then with a full rebuild and with the SQL that consolidated
// existing data when the accepted basis was added (migration 0015).
func TestConsolidationIncrementalEqualsRebuild(t *testing.T) {
	const seeds, ops = 5, 120
	for seed := uint64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			f := newConsFixture(t)
			o := newConsOracle()
			rng := rand.New(rand.NewPCG(seed, 11*seed+7))
			units := []string{"N", "P", "D1", "D2", "C1", "C2", "C3", "X1", "X2", "X3"}
			statuses := []string{"draft", "submitted", "returned", "accepted"}
			for i := 0; i < ops; i++ {
				u := units[rng.IntN(len(units))]
				month := 3 + rng.IntN(2)*5 // 2025-03 or 2025-08
				var vals map[string]float64
				if rng.IntN(2) == 0 {
					vals = map[string]float64{}
					for _, code := range []string{"cases", "rate", "score", "pop", "low", "high"} {
						if rng.IntN(5) > 0 {
							vals[code] = float64(rng.IntN(1000)) / 4
						}
					}
					if rng.IntN(2) == 0 {
						vals["cases.female"] = float64(rng.IntN(50))
					}
				}
				status := statuses[rng.IntN(len(statuses))]
				f.put(t, u, 2025, month, status, vals)
				o.put(u, month, status, vals)
				o.check(t, f, units, month, fmt.Sprintf("after operation %d (%s 2025-%02d %s %v)", i+1, u, month, status, vals))
			}
			for _, m := range []int{3, 8, 9} {
				o.check(t, f, units, m, "at the end")
			}
			checkRebuild(t, f)
			checkMigrationFill(t, f)
		})
	}
}

// consOracle is the test's own record of the reports put, and the figures
// they must give.
type consOracle struct {
	parent  map[string]string
	reports map[string]*oracleReport // "unit/month"
}

type oracleReport struct {
	status string
	vals   map[string]float64 // "code" or "code.category"
}

func newConsOracle() *consOracle {
	return &consOracle{
		parent:  map[string]string{"P": "N", "D1": "P", "D2": "P", "C1": "D1", "C2": "D1", "C3": "D2", "X1": "P", "X2": "P", "X3": "P"},
		reports: map[string]*oracleReport{},
	}
}

// put mirrors consFixture.put: the status always changes, the values only
// when vals is not nil (then they replace the old ones).
func (o *consOracle) put(unit string, month int, status string, vals map[string]float64) {
	key := fmt.Sprintf("%s/%d", unit, month)
	r := o.reports[key]
	if r == nil {
		r = &oracleReport{vals: map[string]float64{}}
		o.reports[key] = r
	}
	r.status = status
	if vals != nil {
		r.vals = map[string]float64{}
		for k, v := range vals {
			r.vals[k] = v
		}
	}
}

// under reports whether unit is root or below it, following parents.
func (o *consOracle) under(unit, root string) bool {
	for u := unit; u != ""; u = o.parent[u] {
		if u == root {
			return true
		}
	}
	return false
}

// figures returns root's expected figures for a month on basis b: the
// number of counted reports and each indicator's value (NaN when there is
// none).
func (o *consOracle) figures(root string, month int, b store.Basis) (int, map[string]float64) {
	type acc struct {
		sum, ws, wt float64
		cnt         int
		mn, mx      float64
	}
	accs := map[string]*acc{}
	n := 0
	for key, r := range o.reports {
		unit, m, _ := strings.Cut(key, "/")
		if m != fmt.Sprint(month) || !o.under(unit, root) || (r.status != "submitted" && r.status != "accepted") ||
			(b == store.BasisAccepted && r.status != "accepted") {
			continue
		}
		n++
		for k, v := range r.vals {
			a := accs[k]
			if a == nil {
				a = &acc{mn: math.Inf(1), mx: math.Inf(-1)}
				accs[k] = a
			}
			a.sum += v
			a.cnt++
			a.mn = math.Min(a.mn, v)
			a.mx = math.Max(a.mx, v)
			if k == "score" { // weighted by pop of the same report; a missing weight counts 0
				if w, ok := r.vals["pop"]; ok {
					a.ws += v * w
					a.wt += w
				}
			}
		}
	}
	method := map[string]string{"cases": "sum", "cases.female": "sum", "rate": "avg", "score": "wavg", "pop": "sum", "low": "min", "high": "max"}
	out := map[string]float64{}
	for k, m := range method {
		a := accs[k]
		v := math.NaN()
		if a != nil && a.cnt > 0 {
			switch m {
			case "sum":
				v = a.sum
			case "avg":
				v = a.sum / float64(a.cnt)
			case "wavg":
				if a.wt != 0 {
					v = a.ws / a.wt
				}
			case "min":
				v = a.mn
			case "max":
				v = a.mx
			}
		}
		out[k] = v
	}
	return n, out
}

// check compares every unit's maintained figures for a month with the
// oracle, on both bases, with the counts of accepted and pending reports.
func (o *consOracle) check(t *testing.T, f *consFixture, units []string, month int, when string) {
	t.Helper()
	for _, u := range units {
		nAcc, _ := o.figures(u, month, store.BasisAccepted)
		nRecv, _ := o.figures(u, month, store.BasisReceived)
		for _, b := range store.Bases {
			wantN, want := o.figures(u, month, b)
			v, err := f.st.ConsolidatedViewOn(ctx, b, f.tpl, f.u[u], "monthly", 2025, month)
			if err != nil {
				t.Fatalf("view %s: %v", u, err)
			}
			if v.NReports != wantN || v.Basis != b || v.Accepted != nAcc || v.Pending != nRecv-nAcc {
				t.Fatalf("%s: %s 2025-%02d (%s) counts %d reports (%d accepted, %d pending), oracle %d (%d, %d)", when, u, month, b,
					v.NReports, v.Accepted, v.Pending, wantN, nAcc, nRecv-nAcc)
			}
			for k, w := range want {
				code, cat, _ := strings.Cut(k, ".")
				if got := fig(t, v, code, cat); !same(got, w) {
					t.Fatalf("%s: %s 2025-%02d (%s) %s = %v, oracle %v", when, u, month, b, k, got, w)
				}
			}
		}
	}
}

// checkMigrationFill empties the accepted basis, consolidates it again with
// the SQL of migration 0015 and compares the result with what was
// maintained.
func checkMigrationFill(t *testing.T, f *consFixture) {
	t.Helper()
	before := snapshot(t, f)
	ms, err := store.Migrations(f.st.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	fill := ""
	for _, m := range ms {
		if m.Version == 15 {
			fill = m.SQL[strings.Index(m.SQL, "-- Headers:"):]
		}
	}
	if fill == "" {
		t.Fatal("migration 0015 has no fill")
	}
	for _, q := range []string{`DELETE FROM report_aggregates_accepted`, `DELETE FROM report_aggregate_units_accepted`, fill} {
		if _, err := f.st.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	if after := snapshot(t, f); before != after {
		t.Fatalf("maintained != migrated\nmaintained:\n%s\nmigrated:\n%s", before, after)
	}
}

// checkRebuild compares the maintained aggregates with a full rebuild.
func checkRebuild(t *testing.T, f *consFixture) {
	t.Helper()
	before := snapshot(t, f)
	if err := f.st.RebuildAggregates(ctx, f.tpl); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, f)
	if before != after {
		t.Fatalf("incremental != rebuilt\nincremental:\n%s\nrebuilt:\n%s", before, after)
	}
}

func snapshot(t *testing.T, f *consFixture) string {
	t.Helper()
	var lines []string
	for _, u := range f.u {
		for _, m := range []int{3, 8, 9} {
			for _, b := range store.Bases {
				c, err := f.st.ConsolidatedViewOn(ctx, b, f.tpl, u, "monthly", 2025, m)
				if err != nil {
					t.Fatal(err)
				}
				for _, cell := range c.Cells {
					v := "-"
					if cell.Value != nil {
						v = fmt.Sprintf("%.6g", *cell.Value)
					}
					lines = append(lines, fmt.Sprintf("%s 2025-%02d %s n=%d %s.%s=%s cnt=%d", c.Unit.Code, m, b, c.NReports, cell.Indicator.Code, cell.Category, v, cell.Count))
				}
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestConsolidatedViewErrors(t *testing.T) {
	f := newConsFixture(t)
	for _, c := range []struct {
		tpl, unit int64
		typ       string
		n         int
	}{{f.tpl, f.u["P"], "weekly", 1}, {f.tpl, f.u["P"], "monthly", 13}, {f.tpl + 99, f.u["P"], "monthly", 1}, {f.tpl, 999999, "monthly", 1}} {
		if _, err := f.st.ConsolidatedView(ctx, c.tpl, c.unit, c.typ, 2025, c.n); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

func TestAggPartsValue(t *testing.T) {
	p := store.AggParts{Sum: 30, Cnt: 3, Min: 5, Max: 15, WSum: 200, WTotal: 20}
	for _, c := range []struct {
		method string
		want   float64
		ok     bool
	}{{"sum", 30, true}, {"avg", 10, true}, {"wavg", 10, true}, {"min", 5, true}, {"max", 15, true}, {"none", 0, false}} {
		got, ok := p.Value(c.method)
		if got != c.want || ok != c.ok {
			t.Errorf("%s = %v %v, want %v %v", c.method, got, ok, c.want, c.ok)
		}
	}
	if _, ok := (store.AggParts{Sum: 1, Cnt: 1}).Value("wavg"); ok {
		t.Error("wavg without weights should have no value")
	}
	if _, ok := (store.AggParts{}).Value("sum"); ok {
		t.Error("no values should have no sum")
	}
}

// TestConsolidationThroughReportsWorkflow drives consolidation through the
// reports code: submit → visible at province and nation; return removes;
// resubmission with a changed value; accept keeps it.
func TestConsolidationThroughReportsWorkflow(t *testing.T) {
	f := newConsFixture(t)
	st := f.st
	def := report.Definition{Indicators: []report.Indicator{
		{Code: "cases", Name: report.Text{"vi": "Số vụ việc"}, Type: report.TypeInteger, Aggregation: report.AggSum},
		{Code: "rate", Name: report.Text{"vi": "Tỷ lệ"}, Type: report.TypePercent, Aggregation: report.AggAvg},
	}}
	tpl := report.Template{Code: "wf", Name: "Báo cáo quy trình", PeriodType: report.Monthly, Definition: def, Active: true}
	if err := st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: f.u["P"], Kinds: []string{"commune"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := st.CreateSchedule(ctx, sys, &sc); err != nil {
		t.Fatal(err)
	}
	w := report.Windows(report.Rule{}, report.Monthly, 2025)[8] // 2025-09
	nation := func() float64 {
		c, err := st.ConsolidatedView(ctx, tpl.ID, f.u["N"], "monthly", 2025, 9)
		if err != nil {
			t.Fatal(err)
		}
		return fig(t, c, "cases", "")
	}
	submit := func(unit, cases string) report.Report {
		r, err := st.EnsureReport(ctx, sys, tpl.ID, f.u[unit], w)
		if err != nil {
			t.Fatal(err)
		}
		r, fe, err := st.SubmitReport(ctx, sys, r.ID, r.Version, &store.ReportDraft{Values: report.Values{"cases": cases, "rate": "50"}})
		if err != nil {
			t.Fatalf("submit %s: %v %v", unit, err, fe)
		}
		return r
	}
	r1 := submit("X1", "12")
	if v := nation(); v != 12 {
		t.Fatalf("after submit: nation %v, want 12", v)
	}
	submit("X2", "5")
	if v := nation(); v != 17 {
		t.Fatalf("second submit: nation %v, want 17", v)
	}
	r1, err := st.ReturnReport(ctx, sys, r1.ID, r1.Version, "Thiếu số liệu")
	if err != nil {
		t.Fatal(err)
	}
	if v := nation(); v != 5 {
		t.Fatalf("after return: nation %v, want 5", v)
	}
	r1, _, err = st.SubmitReport(ctx, sys, r1.ID, r1.Version, &store.ReportDraft{Values: report.Values{"cases": "20", "rate": "70"}})
	if err != nil {
		t.Fatal(err)
	}
	if v := nation(); v != 25 {
		t.Fatalf("after resubmit: nation %v, want 25", v)
	}
	if _, err := st.AcceptReport(ctx, sys, r1.ID, r1.Version, ""); err != nil {
		t.Fatal(err)
	}
	c, err := st.ConsolidatedView(ctx, tpl.ID, f.u["P"], "monthly", 2025, 9)
	if err != nil {
		t.Fatal(err)
	}
	if fig(t, c, "cases", "") != 25 || fig(t, c, "rate", "") != 60 || c.NReports != 2 {
		t.Fatalf("province after accept: cases %v rate %v reports %d", fig(t, c, "cases", ""), fig(t, c, "rate", ""), c.NReports)
	}
	before := snapshotTemplate(t, st, tpl.ID, f)
	if err := st.RebuildAggregates(ctx, tpl.ID); err != nil {
		t.Fatal(err)
	}
	if after := snapshotTemplate(t, st, tpl.ID, f); before != after {
		t.Fatalf("incremental != rebuilt\n%s\n---\n%s", before, after)
	}
}

func snapshotTemplate(t *testing.T, st *store.Store, tpl int64, f *consFixture) string {
	t.Helper()
	g := *f
	g.tpl = tpl
	return snapshot(t, &g)
}

// TestConsolidationConcurrentSubmissions: communes of one province
// submitting at the same time must all reach the province and the nation
// (on PostgreSQL, where transactions overlap).
func TestConsolidationConcurrentSubmissions(t *testing.T) {
	f := newConsFixture(t)
	units := []string{"X1", "X2", "X3"}
	errs := make(chan error, len(units))
	for i, u := range units {
		go func() {
			var err error
			for n := 1; n <= 5 && err == nil; n++ {
				err = f.st.ConsolidateForTest(ctx, func(tx *sql.Tx, q func(string) string, ts func(time.Time) any) ([]int64, error) {
					now := ts(time.Now())
					var id int64
					err := tx.QueryRowContext(ctx, q(`INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, created_at, updated_at)
						VALUES (?, ?, 'monthly', 2025, 10, '', '', '', 'submitted', ?, ?)
						ON CONFLICT (template_id, unit_id, period_type, period_year, period_number) DO UPDATE SET status = excluded.status
						RETURNING id`), f.tpl, f.u[u], now, now).Scan(&id)
					if err != nil {
						return nil, err
					}
					if _, err := tx.ExecContext(ctx, q(`DELETE FROM report_values WHERE report_id = ?`), id); err != nil {
						return nil, err
					}
					_, err = tx.ExecContext(ctx, q(`INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES (?, ?, '', ?)`), id, f.ind["cases"], float64((i+1)*100+n))
					return []int64{id}, err
				})
			}
			errs <- err
		}()
	}
	for range units {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if v := fig(t, f.view(t, "N", 2025, 10), "cases", ""); v != 105+205+305 {
		t.Fatalf("nation = %v, want %v", v, 105+205+305)
	}
	checkRebuild(t, f)
}
