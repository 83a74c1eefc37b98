package store

import (
	"context"
	"database/sql"
	"time"
)

// ConsolidateForTest runs fn in a transaction and then consolidates the
// report ids it returns in the same transaction, as the reports code does.
func (s *Store) ConsolidateForTest(ctx context.Context, fn func(tx *sql.Tx, q func(string) string, ts func(time.Time) any) ([]int64, error)) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := fn(tx, s.q, s.ts)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.consolidate(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}
