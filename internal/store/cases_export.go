package store

import (
	"context"
	"fmt"
	"strings"
)

// CaseExportFilter chooses the cases of an export: received from From to
// To (YYYY-MM-DD, inclusive; empty: open), at one of Units (empty: all).
type CaseExportFilter struct {
	From, To string
	Units    []int64
}

// EachCase calls fn for every case of f, oldest first, without the
// encrypted identity, streaming the rows.
func (s *Store) EachCase(ctx context.Context, f CaseExportFilter, fn func(Case) error) error {
	var where []string
	var args []any
	if f.From != "" {
		where = append(where, "c.received_on >= ?")
		args = append(args, f.From)
	}
	if f.To != "" {
		where = append(where, "c.received_on <= ?")
		args = append(args, f.To)
	}
	if len(f.Units) > 0 {
		where = append(where, "c.unit_id IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.Units)), ",")+")")
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+caseCols+` FROM cases c`+w+` ORDER BY c.received_on, c.id`), args...)
	if err != nil {
		return fmt.Errorf("export cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}
