package store

// Notice preferences: which kinds of notice each person receives by e-mail
// (migration 0011). No row means yes; the in-app notice is always written.
// notifyTx reads the preference inside the transaction that queues the
// e-mail, so a change takes effect for the very next notice.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/danvan/danvan/internal/audit"
)

// NoticeEmailPrefs returns the kinds userID has set, with whether each is
// e-mailed; kinds not in the map are e-mailed.
func (s *Store) NoticeEmailPrefs(ctx context.Context, userID int64) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT kind, email FROM notice_prefs WHERE user_id = ?`), userID)
	if err != nil {
		return nil, fmt.Errorf("notice prefs of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		var on bool
		if err := rows.Scan(&k, &on); err != nil {
			return nil, err
		}
		out[k] = on
	}
	return out, rows.Err()
}

// SetNoticeEmailPrefs records, for each kind in prefs, whether userID
// receives it by e-mail, with one audit entry.
func (s *Store) SetNoticeEmailPrefs(ctx context.Context, a audit.Actor, userID int64, prefs map[string]bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM users WHERE id = ?`), userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("user %d: %w", userID, ErrNotFound)
		}
		before := map[string]bool{}
		for _, k := range slices.Sorted(maps.Keys(prefs)) {
			var was bool
			err := s.txQueryRow(ctx, tx, s.q(`SELECT email FROM notice_prefs WHERE user_id = ? AND kind = ?`), userID, k).Scan(&was)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				was = true
			case err != nil:
				return fmt.Errorf("notice prefs of user %d: %w", userID, err)
			}
			before[k] = was
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO notice_prefs (user_id, kind, email) VALUES (?, ?, ?)
				ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email`), userID, k, prefs[k]); err != nil {
				return fmt.Errorf("notice prefs of user %d: %w", userID, err)
			}
		}
		return s.appendAudit(ctx, tx, a, "user.notice_prefs", "user", userID, before, prefs)
	})
}

// wantsEmail reports whether userID receives notices of kind by e-mail.
func (s *Store) wantsEmail(ctx context.Context, tx *sql.Tx, userID int64, kind string) (bool, error) {
	var on bool
	err := s.txQueryRow(ctx, tx, s.q(`SELECT email FROM notice_prefs WHERE user_id = ? AND kind = ?`), userID, kind).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("notice prefs of user %d: %w", userID, err)
	}
	return on, nil
}
