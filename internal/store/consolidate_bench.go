package store

// Synthetic national dataset for `danvan bench report`: bulk loading that
// the application itself never needs, kept apart from the consolidation code.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/danvan/danvan/internal/report"
)

// OpenScratchSchema creates a fresh schema in the PostgreSQL database at
// base, opens (and migrates) a store whose search_path is that schema, and
// returns a function that closes the store and drops the schema.
func OpenScratchSchema(ctx context.Context, base string) (*Store, func() error, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, nil, fmt.Errorf("scratch schema: %q is not a postgres:// URL", base)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, nil, err
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() error {
		defer admin.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		_, err := admin.ExecContext(dctx, `DROP SCHEMA `+schema+` CASCADE`)
		return err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := Open(ctx, u.String())
	if err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, errors.Join(err, drop())
	}
	return st, func() error { st.Close(); return drop() }, nil
}

// BenchParams sizes the synthetic dataset.
type BenchParams struct {
	Provinces, Communes, Indicators, Periods int
	// FirstYear is the year of the first monthly period (month 1).
	FirstYear int
}

// BenchData is what BenchLoad built.
type BenchData struct {
	TemplateID int64
	NationID   int64
	Provinces  []int64
	Communes   []int64
	Periods    []Period
	// Indicators by position; Indicators[i] has code fmt.Sprintf("i%03d", i).
	Indicators []int64
	Reports    int64
	Values     int64
}

// BenchValue is the synthetic value of commune c (index), indicator i, period p.
func BenchValue(c, i, p int) float64 { return float64((c*31 + i*7 + p*13) % 1000) }

// BenchAggregation gives indicator i's method: mostly sums, some of each other.
func BenchAggregation(i int) (agg, weight string) {
	switch {
	case i == 0:
		return "sum", ""
	case i%10 == 1:
		return "avg", ""
	case i%10 == 2:
		return "wavg", "i000"
	case i%10 == 3:
		return "min", ""
	case i%10 == 4:
		return "max", ""
	}
	return "sum", ""
}

// BenchLoad builds the dataset: a nation root, provinces, communes spread
// over them, one monthly template with numeric indicators, and a submitted
// report with every value for every commune and period. Units, template and
// reports go in one transaction with prepared multi-row statements; values
// by COPY on PostgreSQL, by prepared multi-row INSERTs on SQLite. No
// aggregates are built (RebuildAggregates does that).
func (s *Store) BenchLoad(ctx context.Context, p BenchParams, progress func(string)) (BenchData, error) {
	var d BenchData
	if p.FirstYear == 0 {
		p.FirstYear = 2022
	}
	for i := 0; i < p.Periods; i++ {
		d.Periods = append(d.Periods, Period{"monthly", p.FirstYear + i/12, i%12 + 1})
	}
	if s.dialect == SQLite {
		// A larger page cache for this (only) connection: the default 2 MB
		// makes a 32-million-row transaction spill pages to the WAL again and again.
		if _, err := s.wdb.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return d, err
		}
	}
	now := s.ts(s.Now())
	defer s.unitsChanged.Add(1)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		unit := func(code, kind, name string, parent int64) (int64, error) {
			return s.insertID(ctx, tx, `INSERT INTO units (code, kind, name, name_folded, parent_id, remote, valid_from, sort_key, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, FALSE, '2000-01-01', 0, ?, ?)`, code, kind, name, strings.ToLower(name), nullID(parent), now, now)
		}
		var err error
		if d.NationID, err = unit("VN", "party_organ", "Toàn quốc", 0); err != nil {
			return err
		}
		for i := 0; i < p.Provinces; i++ {
			id, err := unit(fmt.Sprintf("P%02d", i+1), "province", fmt.Sprintf("Tỉnh %02d", i+1), d.NationID)
			if err != nil {
				return err
			}
			d.Provinces = append(d.Provinces, id)
		}
		for i := 0; i < p.Communes; i++ {
			id, err := unit(fmt.Sprintf("C%05d", i+1), "commune", fmt.Sprintf("Xã %05d", i+1), d.Provinces[i%len(d.Provinces)])
			if err != nil {
				return err
			}
			d.Communes = append(d.Communes, id)
		}
		// A real definition, so that the reports code can load and submit.
		var def report.Definition
		for i := 0; i < p.Indicators; i++ {
			agg, weight := BenchAggregation(i)
			def.Indicators = append(def.Indicators, report.Indicator{Code: fmt.Sprintf("i%03d", i), Name: report.Text{"vi": fmt.Sprintf("Chỉ tiêu %d", i)},
				Type: report.TypeInteger, Aggregation: report.Aggregation(agg), WeightCode: weight})
		}
		defJSON, err := json.Marshal(def)
		if err != nil {
			return err
		}
		if d.TemplateID, err = s.insertID(ctx, tx, `INSERT INTO report_templates (code, name, period_type, definition, created_at, updated_at) VALUES ('bench', 'Benchmark', 'monthly', ?, ?, ?)`, string(defJSON), now, now); err != nil {
			return err
		}
		for i := 0; i < p.Indicators; i++ {
			agg, weight := BenchAggregation(i)
			id, err := s.insertID(ctx, tx, `INSERT INTO report_indicators (template_id, code, name, value_type, aggregation, weight_code, sort_key) VALUES (?, ?, ?, 'integer', ?, ?, ?)`,
				d.TemplateID, fmt.Sprintf("i%03d", i), fmt.Sprintf("Chỉ tiêu %d", i), agg, weight, i)
			if err != nil {
				return err
			}
			d.Indicators = append(d.Indicators, id)
		}
		// Reports: one per commune and period, 100 to a statement.
		const per = 100
		ins := func(n int) string {
			return `INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, submitted_at, created_at, updated_at) VALUES ` +
				strings.TrimSuffix(strings.Repeat(`(?, ?, 'monthly', ?, ?, '', '', '', 'submitted', ?, ?, ?),`, n), ",")
		}
		full, err := tx.PrepareContext(ctx, s.q(ins(per)))
		if err != nil {
			return err
		}
		defer full.Close()
		args := make([]any, 0, per*7)
		flush := func() error {
			if len(args) == 0 {
				return nil
			}
			var err error
			if len(args) == per*7 {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = s.txExec(ctx, tx, s.q(ins(len(args)/7)), args...)
			}
			args = args[:0]
			return err
		}
		for _, pd := range d.Periods {
			for _, c := range d.Communes {
				args = append(args, d.TemplateID, c, pd.Year, pd.Number, now, now, now)
				d.Reports++
				if len(args) == per*7 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		return flush()
	})
	if err != nil {
		return d, fmt.Errorf("bench load: %w", err)
	}
	if progress != nil {
		progress(fmt.Sprintf("units, template and %d reports stored", d.Reports))
	}
	// Report ids by (period index, commune index), in insertion order.
	ids := make([][]int64, len(d.Periods))
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, unit_id, period_year, period_number FROM reports WHERE template_id = ? ORDER BY id`), d.TemplateID)
	if err != nil {
		return d, err
	}
	cidx := make(map[int64]int, len(d.Communes))
	for i, c := range d.Communes {
		cidx[c] = i
	}
	for i := range ids {
		ids[i] = make([]int64, len(d.Communes))
	}
	for rows.Next() {
		var id, u int64
		var y, n int
		if err := rows.Scan(&id, &u, &y, &n); err != nil {
			rows.Close()
			return d, err
		}
		ids[(y-p.FirstYear)*12+n-1][cidx[u]] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, err
	}
	if s.dialect == Postgres {
		err = s.benchCopyValues(ctx, d, ids, progress)
	} else {
		err = s.benchInsertValues(ctx, d, ids, progress)
	}
	if err != nil {
		return d, fmt.Errorf("bench load values: %w", err)
	}
	d.Values = d.Reports * int64(len(d.Indicators))
	if s.dialect == SQLite {
		// Sampled statistics: a full ANALYZE reads every row.
		if _, err := s.wdb.ExecContext(ctx, `PRAGMA analysis_limit = 1000`); err != nil {
			return d, err
		}
	}
	if _, err := s.wdb.ExecContext(ctx, `ANALYZE`); err != nil {
		return d, fmt.Errorf("bench analyze: %w", err)
	}
	return d, nil
}

func (s *Store) benchCopyValues(ctx context.Context, d BenchData, ids [][]int64, progress func(string)) error {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The usual bulk-load order: drop the key and foreign keys of the fresh
	// table, COPY, then build the key in one sort and check the foreign keys
	// in one join each, instead of per row.
	if _, err := conn.ExecContext(ctx, `ALTER TABLE report_values DROP CONSTRAINT report_values_report_id_fkey,
		DROP CONSTRAINT report_values_indicator_id_fkey, DROP CONSTRAINT report_values_pkey`); err != nil {
		return err
	}
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for pi := range d.Periods {
			ci, ii := 0, 0
			src := pgx.CopyFromFunc(func() ([]any, error) {
				if ci >= len(d.Communes) {
					return nil, nil
				}
				row := []any{ids[pi][ci], d.Indicators[ii], "", BenchValue(ci, ii, pi)}
				ii++
				if ii == len(d.Indicators) {
					ii, ci = 0, ci+1
				}
				return row, nil
			})
			if _, err := pc.CopyFrom(ctx, pgx.Identifier{"report_values"}, []string{"report_id", "indicator_id", "category", "num_value"}, src); err != nil {
				return err
			}
			if progress != nil && (pi+1)%12 == 0 {
				progress(fmt.Sprintf("values of %d/%d periods copied", pi+1, len(d.Periods)))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `ALTER TABLE report_values ADD PRIMARY KEY (report_id, indicator_id, category),
		ADD FOREIGN KEY (report_id) REFERENCES reports(id), ADD FOREIGN KEY (indicator_id) REFERENCES report_indicators(id)`)
	if err == nil && progress != nil {
		progress("key and foreign keys of report_values rebuilt")
	}
	return err
}

func (s *Store) benchInsertValues(ctx context.Context, d BenchData, ids [][]int64, progress func(string)) error {
	// One report's values per statement (≤ 3 × 500 parameters).
	n := len(d.Indicators)
	stmtSQL := `INSERT INTO report_values (report_id, indicator_id, category, num_value) VALUES ` + strings.TrimSuffix(strings.Repeat(`(?, ?, '', ?),`, n), ",")
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, stmtSQL)
		if err != nil {
			return err
		}
		defer stmt.Close()
		args := make([]any, 3*n)
		for pi := range d.Periods {
			for ci := range d.Communes {
				for ii := 0; ii < n; ii++ {
					args[3*ii], args[3*ii+1], args[3*ii+2] = ids[pi][ci], d.Indicators[ii], BenchValue(ci, ii, pi)
				}
				if _, err := stmt.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
			if progress != nil && (pi+1)%12 == 0 {
				progress(fmt.Sprintf("values of %d/%d periods inserted", pi+1, len(d.Periods)))
			}
		}
		return nil
	})
}

// BenchReportID returns the report of a unit for a period.
func (s *Store) BenchReportID(ctx context.Context, templateID, unitID int64, p Period) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id FROM reports WHERE unit_id = ? AND `+periodCond), unitID, templateID, p.Type, p.Year, p.Number).Scan(&id)
	return id, err
}
