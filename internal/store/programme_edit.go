package store

// Editing and withdrawing (thu hồi) directives, tasks and assignments, and
// assigning a task to many units at once. Every write checks the version the
// writer saw (optimistic lock) and is audited in its own transaction, with
// the notices to the units concerned.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/programme"
)

// ErrStale: the row changed since the writer read it (its version moved).
// It is an ErrConflict.
var ErrStale = fmt.Errorf("stale version: %w", ErrConflict)

// ErrWithdrawn: the directive, task or assignment was withdrawn and takes
// no more changes. It is an ErrConflict.
var ErrWithdrawn = fmt.Errorf("withdrawn: %w", ErrConflict)

// withdrawal scans the withdrawn_at, withdrawn_by, withdrawn_reason columns.
type withdrawal struct {
	at         Time
	by, reason string
}

func (w withdrawal) get() *programme.Withdrawal {
	if w.at.IsZero() {
		return nil
	}
	return &programme.Withdrawal{At: w.at.Time, By: w.by, Reason: w.reason}
}

// withdrawnCols is an assignment's effective withdrawal: its own, else its
// task's, else its directive's (aliases a, t, d).
const withdrawnCols = `COALESCE(a.withdrawn_at, t.withdrawn_at, d.withdrawn_at),
	CASE WHEN a.withdrawn_at IS NOT NULL THEN a.withdrawn_by WHEN t.withdrawn_at IS NOT NULL THEN t.withdrawn_by ELSE d.withdrawn_by END,
	CASE WHEN a.withdrawn_at IS NOT NULL THEN a.withdrawn_reason WHEN t.withdrawn_at IS NOT NULL THEN t.withdrawn_reason ELSE d.withdrawn_reason END`

// GetAssignment returns one assignment with its unit's name and its
// directive's id and number (the assignment's own withdrawal only).
func (s *Store) GetAssignment(ctx context.Context, id int64) (programme.Assignment, error) {
	var as programme.Assignment
	var w withdrawal
	err := s.db.QueryRowContext(ctx, s.q(`SELECT a.id, a.task_id, a.unit_id, u.name, a.role, a.due_on, a.note, a.version, d.id, d.number, t.number,
			a.withdrawn_at, a.withdrawn_by, a.withdrawn_reason
		FROM task_assignments a JOIN directive_tasks t ON t.id = a.task_id JOIN directives d ON d.id = t.directive_id JOIN units u ON u.id = a.unit_id
		WHERE a.id = ?`), id).
		Scan(&as.ID, &as.TaskID, &as.UnitID, &as.UnitName, &as.Role, &as.DueOn, &as.Note, &as.Version, &as.DirectiveID, &as.DirectiveNumber, &as.TaskNumber,
			&w.at, &w.by, &w.reason)
	if errors.Is(err, sql.ErrNoRows) {
		return as, fmt.Errorf("assignment %d: %w", id, ErrNotFound)
	}
	as.Withdrawn = w.get()
	return as, err
}

// lockRow reads the version and withdrawal of one row of table, within tx,
// and checks the version the writer saw: ErrNotFound, ErrWithdrawn or
// ErrStale when it cannot be written.
func (s *Store) lockRow(ctx context.Context, tx *sql.Tx, table string, id int64, version int) error {
	var v int
	var at Time
	err := s.txQueryRow(ctx, tx, s.q(`SELECT version, withdrawn_at FROM `+table+` WHERE id = ?`), id).Scan(&v, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s %d: %w", table, id, ErrNotFound)
	case err != nil:
		return err
	case !at.IsZero():
		return fmt.Errorf("%s %d: %w", table, id, ErrWithdrawn)
	case v != version:
		return fmt.Errorf("%s %d: version %d, now %d: %w", table, id, version, v, ErrStale)
	}
	return nil
}

// bump writes one row's new values and its version + 1 when the version is
// still the one checked; ErrStale otherwise.
func (s *Store) bump(ctx context.Context, tx *sql.Tx, table, set string, id int64, version int, args ...any) error {
	args = append(args, id, version)
	res, err := s.txExec(ctx, tx, s.q(`UPDATE `+table+` SET `+set+`, version = version + 1 WHERE id = ? AND version = ?`), args...)
	if isUnique(err) {
		return fmt.Errorf("%s %d: %w", table, id, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%s %d: %w", table, id, ErrStale)
	}
	return nil
}

// UpdateDirective changes a directive's number, type, date, signer and the
// title and body of its original text, when its version is still version.
// A number already used answers ErrConflict; a changed directive ErrStale;
// a withdrawn one ErrWithdrawn. d.Texts holds the original text.
func (s *Store) UpdateDirective(ctx context.Context, a audit.Actor, d *programme.Directive, version int) error {
	if err := d.Validate(); err != nil {
		return err
	}
	orig := programme.Original(d.Texts)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "directives", d.ID, version); err != nil {
			return err
		}
		before, err := s.getDirectiveTx(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "directives", `number = ?, doc_type = ?, issued_on = ?, signer = ?, signer_title = ?, title = ?, body = ?, updated_at = ?`,
			d.ID, version, d.Number, d.DocType, d.IssuedOn, d.Signer, d.SignerTitle, orig.Title, orig.Body, s.ts(s.Now())); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE directive_texts SET title = ?, body = ? WHERE directive_id = ? AND lang = (SELECT lang FROM directives WHERE id = ?)`),
			orig.Title, orig.Body, d.ID, d.ID); err != nil {
			return fmt.Errorf("directive text: %w", err)
		}
		d.Version = version + 1
		return s.appendAudit(ctx, tx, a, "directive.update", "directive", d.ID, before, d)
	})
}

// getDirectiveTx reads the editable fields of a directive within tx.
func (s *Store) getDirectiveTx(ctx context.Context, tx *sql.Tx, id int64) (programme.Directive, error) {
	d := programme.Directive{ID: id}
	var t programme.Text
	err := s.txQueryRow(ctx, tx, s.q(`SELECT number, doc_type, issued_on, issuer_unit_id, signer, signer_title, lang, title, body, version FROM directives WHERE id = ?`), id).
		Scan(&d.Number, &d.DocType, &d.IssuedOn, &d.IssuerUnitID, &d.Signer, &d.SignerTitle, &t.Lang, &t.Title, &t.Body, &d.Version)
	d.Texts = []programme.Text{t}
	return d, err
}

// UpdateTask changes a task's number, weight and the title and body of its
// original text, when its version is still version (ErrConflict for a
// number already used, ErrStale, ErrWithdrawn).
func (s *Store) UpdateTask(ctx context.Context, a audit.Actor, t *programme.Task, version int) error {
	if err := t.Validate(); err != nil {
		return err
	}
	orig := programme.Original(t.Texts)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "directive_tasks", t.ID, version); err != nil {
			return err
		}
		var before programme.Task
		var bt programme.Text
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT t.directive_id, t.number, t.weight, x.lang, x.title, x.body FROM directive_tasks t
			JOIN directive_task_texts x ON x.task_id = t.id WHERE t.id = ? ORDER BY x.is_translation, x.lang LIMIT 1`), t.ID).
			Scan(&before.DirectiveID, &before.Number, &before.Weight, &bt.Lang, &bt.Title, &bt.Body); err != nil {
			return fmt.Errorf("task %d: %w", t.ID, err)
		}
		before.ID, before.Version, before.Texts = t.ID, version, []programme.Text{bt}
		if err := s.bump(ctx, tx, "directive_tasks", `number = ?, weight = ?`, t.ID, version, t.Number, t.Weight); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE directive_task_texts SET title = ?, body = ? WHERE task_id = ? AND lang = ?`),
			orig.Title, orig.Body, t.ID, bt.Lang); err != nil {
			return fmt.Errorf("task text: %w", err)
		}
		t.DirectiveID, t.Version = before.DirectiveID, version+1
		t.Texts = []programme.Text{{Lang: bt.Lang, Title: orig.Title, Body: orig.Body}}
		return s.appendAudit(ctx, tx, a, "task.update", "task", t.ID, before, t)
	})
}

// UpdateAssignment changes an assignment's unit, role, due date and note
// when its version is still version (ErrConflict when the new unit already
// has the task, ErrStale, ErrWithdrawn). notes (to the units concerned) are
// written in the same transaction.
func (s *Store) UpdateAssignment(ctx context.Context, a audit.Actor, as *programme.Assignment, version int, notes ...NewNotification) error {
	if err := as.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, "task_assignments", as.ID, version); err != nil {
			return err
		}
		var before programme.Assignment
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT id, task_id, unit_id, role, due_on, note, version FROM task_assignments WHERE id = ?`), as.ID).
			Scan(&before.ID, &before.TaskID, &before.UnitID, &before.Role, &before.DueOn, &before.Note, &before.Version); err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "task_assignments", `unit_id = ?, role = ?, due_on = ?, note = ?`, as.ID, version, as.UnitID, as.Role, as.DueOn, as.Note); err != nil {
			return err
		}
		as.TaskID, as.Version = before.TaskID, version+1
		if err := s.appendAudit(ctx, tx, a, "task.assignment_update", "assignment", as.ID, before, as); err != nil {
			return err
		}
		return s.notifyEach(ctx, tx, notes, "", func(n NewNotification) string {
			return fmt.Sprintf("assign:%d:%d:v%d", as.ID, n.UserID, as.Version)
		})
	})
}

// Withdrawable tables: what may be withdrawn.
const (
	WithdrawDirective  = "directive"
	WithdrawTask       = "task"
	WithdrawAssignment = "assignment"
)

var withdrawTables = map[string]string{
	WithdrawDirective:  "directives",
	WithdrawTask:       "directive_tasks",
	WithdrawAssignment: "task_assignments",
}

// Withdraw marks a directive, a task or an assignment withdrawn (thu hồi)
// by the actor (shown as by; empty: the actor's name), now, for reason, when its version is still version
// (ErrStale; ErrWithdrawn when already withdrawn; ErrNotFound). Nothing is
// deleted. notes (to the units concerned) are written in the same
// transaction. It returns the withdrawal.
func (s *Store) Withdraw(ctx context.Context, a audit.Actor, what string, id int64, version int, by, reason string, notes ...NewNotification) (programme.Withdrawal, error) {
	table, ok := withdrawTables[what]
	if !ok {
		return programme.Withdrawal{}, fmt.Errorf("withdraw %q: %w", what, ErrNotFound)
	}
	name := by
	if name == "" {
		name = a.Name
	}
	if name == "" {
		name = "system"
	}
	w := programme.Withdrawal{At: s.Now().UTC().Truncate(time.Microsecond), By: name, Reason: reason}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockRow(ctx, tx, table, id, version); err != nil {
			return err
		}
		if err := s.bump(ctx, tx, table, `withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?`, id, version, s.ts(w.At), w.By, w.Reason); err != nil {
			return err
		}
		if err := s.appendAudit(ctx, tx, a, what+".withdraw", what, id, map[string]any{"version": version},
			map[string]any{"version": version + 1, "withdrawn_by": w.By, "reason": w.Reason}); err != nil {
			return err
		}
		return s.notifyEach(ctx, tx, notes, "", func(n NewNotification) string {
			return fmt.Sprintf("withdraw:%s:%d:%d", what, id, n.UserID)
		})
	})
	return w, err
}

// BulkAssign stores many assignments of one task in one transaction, with
// one audit entry each (action task.assign_bulk): a unit that already holds
// the task (not withdrawn) is skipped and left as it is; a withdrawn
// assignment is given back with the new role, due date and note. It returns
// the assignments created or given back. notes are written only for those
// units, in the same transaction.
func (s *Store) BulkAssign(ctx context.Context, a audit.Actor, as []programme.Assignment, notes ...NewNotification) ([]programme.Assignment, error) {
	for i := range as {
		if err := as[i].Validate(); err != nil {
			return nil, err
		}
	}
	var done []programme.Assignment
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		done = done[:0]
		units := map[int64]bool{}
		for _, x := range as {
			var n int
			if err := s.txQueryRow(ctx, tx, s.q(`SELECT (SELECT COUNT(*) FROM directive_tasks WHERE id = ?) * (SELECT COUNT(*) FROM units WHERE id = ?)`), x.TaskID, x.UnitID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("assignment: %w", ErrNotFound)
			}
			var old programme.Assignment
			var w withdrawal
			err := s.txQueryRow(ctx, tx, s.q(`SELECT id, role, due_on, note, version, withdrawn_at, withdrawn_by, withdrawn_reason FROM task_assignments WHERE task_id = ? AND unit_id = ?`), x.TaskID, x.UnitID).
				Scan(&old.ID, &old.Role, &old.DueOn, &old.Note, &old.Version, &w.at, &w.by, &w.reason)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				id, err := s.insertID(ctx, tx, `INSERT INTO task_assignments (task_id, unit_id, role, due_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
					x.TaskID, x.UnitID, x.Role, x.DueOn, x.Note, s.ts(s.Now()))
				if err != nil {
					return fmt.Errorf("insert assignment: %w", err)
				}
				x.ID, x.Version = id, 1
				if err := s.appendAudit(ctx, tx, a, "task.assign_bulk", "assignment", id, nil, x); err != nil {
					return err
				}
			case err != nil:
				return err
			case w.get() == nil:
				continue // already assigned: left as it is
			default:
				if err := s.bump(ctx, tx, "task_assignments", `role = ?, due_on = ?, note = ?, withdrawn_at = NULL, withdrawn_by = '', withdrawn_reason = ''`,
					old.ID, old.Version, x.Role, x.DueOn, x.Note); err != nil {
					return err
				}
				old.TaskID, old.UnitID, old.Withdrawn = x.TaskID, x.UnitID, w.get()
				x.ID, x.Version = old.ID, old.Version+1
				if err := s.appendAudit(ctx, tx, a, "task.assign_bulk", "assignment", x.ID, old, x); err != nil {
					return err
				}
			}
			units[x.UnitID] = true
			done = append(done, x)
		}
		var mine []NewNotification
		for _, n := range notes {
			if units[n.UnitID] {
				mine = append(mine, n)
			}
		}
		return s.notifyEach(ctx, tx, mine, "", func(n NewNotification) string {
			for _, x := range done {
				if x.UnitID == n.UnitID {
					return fmt.Sprintf("assign:%d:%d:%s:%s:v%d", x.ID, n.UserID, x.Role, x.DueOn, x.Version)
				}
			}
			return fmt.Sprintf("assign:unit%d:%d", n.UnitID, n.UserID)
		})
	})
	return done, err
}

// RemoveAddressee takes an addressee off a directive (ErrNotFound when the
// directive has no such addressee).
func (s *Store) RemoveAddressee(ctx context.Context, a audit.Actor, directiveID, addresseeID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var ad programme.Addressee
		err := s.txQueryRow(ctx, tx, s.q(`SELECT id, COALESCE(unit_id, 0), COALESCE(unit_kind, '') FROM directive_addressees WHERE id = ? AND directive_id = ?`), addresseeID, directiveID).
			Scan(&ad.ID, &ad.UnitID, &ad.UnitKind)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("addressee %d: %w", addresseeID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM directive_addressees WHERE id = ?`), addresseeID); err != nil {
			return fmt.Errorf("remove addressee: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "directive.addressee_remove", "directive", directiveID, ad, nil)
	})
}
