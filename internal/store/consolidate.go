package store

import (
	"context"
	"database/sql"
)

// consolidate brings the maintained aggregates up to date after report
// reportID changed status, inside the transaction that changed it, so that a
// consolidated figure is current the moment a report is submitted, returned
// or accepted. (Implemented by the consolidation work; see 0004.)
func (s *Store) consolidate(ctx context.Context, tx *sql.Tx, reportID int64) error {
	return nil
}
