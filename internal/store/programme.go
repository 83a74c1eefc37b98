package store

// Programme tracking: directives, tasks, addressees, assignments, unit plans
// and progress updates. The rules (validation, derived status, roll-up) live
// in internal/programme; this file only stores and reads.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/programme"
)

// CreateDirective stores a directive with its texts and attachments. The
// directive row carries the original text; every language is also a row of
// directive_texts. A number already used answers ErrConflict.
func (s *Store) CreateDirective(ctx context.Context, a audit.Actor, d *programme.Directive) error {
	if err := d.Validate(); err != nil {
		return err
	}
	orig := programme.Original(d.Texts)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.ts(s.Now())
		id, err := s.insertID(ctx, tx, `INSERT INTO directives (number, doc_type, issued_on, issuer_unit_id, signer, signer_title, lang, title, body, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Number, d.DocType, d.IssuedOn, d.IssuerUnitID, d.Signer, d.SignerTitle, orig.Lang, orig.Title, orig.Body, now, now)
		if isUnique(err) {
			return fmt.Errorf("directive %s: %w", d.Number, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("insert directive: %w", err)
		}
		d.ID = id
		for _, t := range d.Texts {
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO directive_texts (directive_id, lang, title, body, is_translation) VALUES (?, ?, ?, ?, ?)`),
				id, t.Lang, t.Title, t.Body, t.IsTranslation); err != nil {
				return fmt.Errorf("directive text: %w", err)
			}
		}
		for i := range d.Attachments {
			at := &d.Attachments[i]
			if at.Data != nil {
				at.Size = int64(len(at.Data))
			}
			aid, err := s.insertID(ctx, tx, `INSERT INTO directive_attachments (directive_id, name, url, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, at.Name, at.URL, at.ContentType, at.Size, at.Data, now)
			if err != nil {
				return fmt.Errorf("directive attachment: %w", err)
			}
			at.ID = aid
		}
		return s.appendAudit(ctx, tx, a, "directive.create", "directive", id, nil, d)
	})
}

// ListDirectives returns every directive, newest first, with texts and task counts.
func (s *Store) ListDirectives(ctx context.Context) ([]programme.Directive, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.number, d.doc_type, d.issued_on, d.issuer_unit_id, u.name, d.signer, d.signer_title,
			(SELECT COUNT(*) FROM directive_tasks t WHERE t.directive_id = d.id), d.version, d.withdrawn_at, d.withdrawn_by, d.withdrawn_reason
		FROM directives d JOIN units u ON u.id = d.issuer_unit_id ORDER BY d.issued_on DESC, d.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list directives: %w", err)
	}
	var out []programme.Directive
	for rows.Next() {
		var d programme.Directive
		var w withdrawal
		if err := rows.Scan(&d.ID, &d.Number, &d.DocType, &d.IssuedOn, &d.IssuerUnitID, &d.IssuerName, &d.Signer, &d.SignerTitle, &d.TaskCount, &d.Version, &w.at, &w.by, &w.reason); err != nil {
			rows.Close()
			return nil, err
		}
		d.Withdrawn = w.get()
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	texts, err := s.texts(ctx, `SELECT directive_id, lang, title, body, is_translation FROM directive_texts ORDER BY directive_id, lang`)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Texts = texts[out[i].ID]
	}
	return out, nil
}

func (s *Store) texts(ctx context.Context, q string, args ...any) (map[int64][]programme.Text, error) {
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("texts: %w", err)
	}
	defer rows.Close()
	out := map[int64][]programme.Text{}
	for rows.Next() {
		var id int64
		var t programme.Text
		if err := rows.Scan(&id, &t.Lang, &t.Title, &t.Body, &t.IsTranslation); err != nil {
			return nil, err
		}
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}

// GetDirective returns a directive with texts, attachments (without their
// bytes), tasks with texts and assignments, and addressees.
func (s *Store) GetDirective(ctx context.Context, id int64) (programme.Directive, error) {
	var d programme.Directive
	var w withdrawal
	err := s.db.QueryRowContext(ctx, s.q(`SELECT d.id, d.number, d.doc_type, d.issued_on, d.issuer_unit_id, u.name, d.signer, d.signer_title,
			d.version, d.withdrawn_at, d.withdrawn_by, d.withdrawn_reason
		FROM directives d JOIN units u ON u.id = d.issuer_unit_id WHERE d.id = ?`), id).
		Scan(&d.ID, &d.Number, &d.DocType, &d.IssuedOn, &d.IssuerUnitID, &d.IssuerName, &d.Signer, &d.SignerTitle, &d.Version, &w.at, &w.by, &w.reason)
	d.Withdrawn = w.get()
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("directive %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("directive %d: %w", id, err)
	}
	texts, err := s.texts(ctx, `SELECT directive_id, lang, title, body, is_translation FROM directive_texts WHERE directive_id = ? ORDER BY lang`, id)
	if err != nil {
		return d, err
	}
	d.Texts = texts[id]
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, name, url, content_type, size FROM directive_attachments WHERE directive_id = ? ORDER BY id`), id)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		var at programme.Attachment
		if err := rows.Scan(&at.ID, &at.Name, &at.URL, &at.ContentType, &at.Size); err != nil {
			rows.Close()
			return d, err
		}
		d.Attachments = append(d.Attachments, at)
	}
	rows.Close()
	if d.Tasks, err = s.directiveTasks(ctx, id); err != nil {
		return d, err
	}
	d.TaskCount = len(d.Tasks)
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT a.id, COALESCE(a.unit_id, 0), COALESCE(u.name, ''), COALESCE(a.unit_kind, '')
		FROM directive_addressees a LEFT JOIN units u ON u.id = a.unit_id WHERE a.directive_id = ? ORDER BY a.id`), id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var ad programme.Addressee
		if err := rows.Scan(&ad.ID, &ad.UnitID, &ad.UnitName, &ad.UnitKind); err != nil {
			return d, err
		}
		d.Addressees = append(d.Addressees, ad)
	}
	return d, rows.Err()
}

func (s *Store) directiveTasks(ctx context.Context, directiveID int64) ([]programme.Task, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, directive_id, number, weight, version, withdrawn_at, withdrawn_by, withdrawn_reason FROM directive_tasks WHERE directive_id = ? ORDER BY number`), directiveID)
	if err != nil {
		return nil, fmt.Errorf("tasks of %d: %w", directiveID, err)
	}
	var ts []programme.Task
	idx := map[int64]int{}
	for rows.Next() {
		var t programme.Task
		var w withdrawal
		if err := rows.Scan(&t.ID, &t.DirectiveID, &t.Number, &t.Weight, &t.Version, &w.at, &w.by, &w.reason); err != nil {
			rows.Close()
			return nil, err
		}
		t.Withdrawn = w.get()
		idx[t.ID] = len(ts)
		ts = append(ts, t)
	}
	rows.Close()
	texts, err := s.texts(ctx, `SELECT x.task_id, x.lang, x.title, x.body, x.is_translation FROM directive_task_texts x
		JOIN directive_tasks t ON t.id = x.task_id WHERE t.directive_id = ? ORDER BY x.task_id, x.lang`, directiveID)
	if err != nil {
		return nil, err
	}
	for id, i := range idx {
		ts[i].Texts = texts[id]
	}
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT a.id, a.task_id, a.unit_id, u.name, a.role, a.due_on, a.note, a.version, a.withdrawn_at, a.withdrawn_by, a.withdrawn_reason FROM task_assignments a
		JOIN directive_tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id
		WHERE t.directive_id = ? ORDER BY a.task_id, CASE a.role WHEN 'lead' THEN 0 ELSE 1 END, u.name`), directiveID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var as programme.Assignment
		var w withdrawal
		if err := rows.Scan(&as.ID, &as.TaskID, &as.UnitID, &as.UnitName, &as.Role, &as.DueOn, &as.Note, &as.Version, &w.at, &w.by, &w.reason); err != nil {
			return nil, err
		}
		as.Withdrawn = w.get()
		if i, ok := idx[as.TaskID]; ok {
			ts[i].Assignments = append(ts[i].Assignments, as)
		}
	}
	return ts, rows.Err()
}

// GetTask returns one task with its texts (assignments not filled).
func (s *Store) GetTask(ctx context.Context, id int64) (programme.Task, error) {
	var t programme.Task
	var w withdrawal
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, directive_id, number, weight, version, withdrawn_at, withdrawn_by, withdrawn_reason FROM directive_tasks WHERE id = ?`), id).
		Scan(&t.ID, &t.DirectiveID, &t.Number, &t.Weight, &t.Version, &w.at, &w.by, &w.reason)
	t.Withdrawn = w.get()
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("task %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return t, err
	}
	texts, err := s.texts(ctx, `SELECT task_id, lang, title, body, is_translation FROM directive_task_texts WHERE task_id = ? ORDER BY lang`, id)
	t.Texts = texts[id]
	return t, err
}

// AddTask adds a numbered task to a directive; a number already used answers ErrConflict.
func (s *Store) AddTask(ctx context.Context, a audit.Actor, t *programme.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM directives WHERE id = ?`), t.DirectiveID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("directive %d: %w", t.DirectiveID, ErrNotFound)
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO directive_tasks (directive_id, number, weight, created_at) VALUES (?, ?, ?, ?)`,
			t.DirectiveID, t.Number, t.Weight, s.ts(s.Now()))
		if isUnique(err) {
			return fmt.Errorf("task %d: %w", t.Number, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("insert task: %w", err)
		}
		t.ID = id
		for _, x := range t.Texts {
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO directive_task_texts (task_id, lang, title, body, is_translation) VALUES (?, ?, ?, ?, ?)`),
				id, x.Lang, x.Title, x.Body, x.IsTranslation); err != nil {
				return fmt.Errorf("task text: %w", err)
			}
		}
		return s.appendAudit(ctx, tx, a, "directive.task", "task", id, nil, t)
	})
}

// AddAddressee addresses a directive to a unit or to every unit of a kind.
// An unknown directive or unit answers ErrNotFound.
func (s *Store) AddAddressee(ctx context.Context, a audit.Actor, directiveID int64, ad *programme.Addressee) error {
	if err := ad.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT (SELECT COUNT(*) FROM directives WHERE id = ?) * (CASE WHEN ? = 0 THEN 1 ELSE (SELECT COUNT(*) FROM units WHERE id = ?) END)`),
			directiveID, ad.UnitID, ad.UnitID).Scan(&n); err != nil {
			return fmt.Errorf("addressee: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("addressee: %w", ErrNotFound)
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO directive_addressees (directive_id, unit_id, unit_kind) VALUES (?, ?, ?)`,
			directiveID, nullID(ad.UnitID), nullStr(ad.UnitKind))
		if err != nil {
			return fmt.Errorf("insert addressee: %w", err)
		}
		ad.ID = id
		return s.appendAudit(ctx, tx, a, "directive.addressee", "directive", directiveID, nil, ad)
	})
}

// AssignTask gives a task to a unit; assigning again changes role and due
// date (and gives back a withdrawn assignment).
func (s *Store) AssignTask(ctx context.Context, a audit.Actor, as *programme.Assignment) error {
	if err := as.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.assignTask(ctx, tx, a, as) })
}

// AssignTasks stores several assignments in one transaction, with one audit
// entry each: all are stored, or none. notes (to the assigned units, each
// with its UnitID) are written in the same transaction.
func (s *Store) AssignTasks(ctx context.Context, a audit.Actor, as []programme.Assignment, notes ...NewNotification) error {
	for i := range as {
		if err := as[i].Validate(); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range as {
			if err := s.assignTask(ctx, tx, a, &as[i]); err != nil {
				return err
			}
		}
		// One notice per person and state of the assignment: assigning
		// again with the same role and due date tells nobody twice.
		return s.notifyEach(ctx, tx, notes, "", func(n NewNotification) string {
			for _, x := range as {
				if x.UnitID == n.UnitID {
					return fmt.Sprintf("assign:%d:%d:%s:%s", x.ID, n.UserID, x.Role, x.DueOn)
				}
			}
			return fmt.Sprintf("assign:unit%d:%d", n.UnitID, n.UserID)
		})
	})
}

func (s *Store) assignTask(ctx context.Context, tx *sql.Tx, a audit.Actor, as *programme.Assignment) error {
	var before *programme.Assignment
	var old programme.Assignment
	err := s.txQueryRow(ctx, tx, s.q(`SELECT id, task_id, unit_id, role, due_on, note, version FROM task_assignments WHERE task_id = ? AND unit_id = ?`), as.TaskID, as.UnitID).
		Scan(&old.ID, &old.TaskID, &old.UnitID, &old.Role, &old.DueOn, &old.Note, &old.Version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT (SELECT COUNT(*) FROM directive_tasks WHERE id = ?) * (SELECT COUNT(*) FROM units WHERE id = ?)`), as.TaskID, as.UnitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("assignment: %w", ErrNotFound)
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO task_assignments (task_id, unit_id, role, due_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			as.TaskID, as.UnitID, as.Role, as.DueOn, as.Note, s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert assignment: %w", err)
		}
		as.ID, as.Version = id, 1
	case err != nil:
		return err
	default:
		// Assigning again changes role and due date, and gives back a
		// withdrawn assignment.
		before = &old
		as.ID, as.Version = old.ID, old.Version+1
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE task_assignments SET role = ?, due_on = ?, version = version + 1,
			withdrawn_at = NULL, withdrawn_by = '', withdrawn_reason = '' WHERE id = ?`), as.Role, as.DueOn, as.ID); err != nil {
			return fmt.Errorf("update assignment: %w", err)
		}
	}
	return s.appendAudit(ctx, tx, a, "task.assign", "assignment", as.ID, before, as)
}

// UnitAssignments lists the tasks assigned to a unit, by directive and task number.
func (s *Store) UnitAssignments(ctx context.Context, unitID int64) ([]programme.Assignment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.id, a.task_id, a.unit_id, a.role, a.due_on, a.note, a.version, d.id, d.number, t.number,
			`+withdrawnCols+`
		FROM task_assignments a JOIN directive_tasks t ON t.id = a.task_id JOIN directives d ON d.id = t.directive_id
		WHERE a.unit_id = ? ORDER BY d.issued_on DESC, d.id, t.number`), unitID)
	if err != nil {
		return nil, fmt.Errorf("assignments of %d: %w", unitID, err)
	}
	var out []programme.Assignment
	for rows.Next() {
		var as programme.Assignment
		var w withdrawal
		if err := rows.Scan(&as.ID, &as.TaskID, &as.UnitID, &as.Role, &as.DueOn, &as.Note, &as.Version, &as.DirectiveID, &as.DirectiveNumber, &as.TaskNumber,
			&w.at, &w.by, &w.reason); err != nil {
			rows.Close()
			return nil, err
		}
		as.Withdrawn = w.get()
		out = append(out, as)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	texts, err := s.texts(ctx, `SELECT x.task_id, x.lang, x.title, x.body, x.is_translation FROM directive_task_texts x
		JOIN task_assignments a ON a.task_id = x.task_id WHERE a.unit_id = ? ORDER BY x.task_id, x.lang`, unitID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].TaskTexts = texts[out[i].TaskID]
	}
	return out, nil
}

const activityCols = `p.id, p.unit_id, p.task_id, p.title, p.owner, p.start_on, p.due_on, p.indicator, p.target, p.weight, p.progress, p.version,
	d.id, d.number, t.number, u.name, CASE WHEN ` + activityWithdrawn + ` THEN 1 ELSE 0 END`

// activityWithdrawn holds when an activity's directive, task or unit's
// assignment of the task was withdrawn.
const activityWithdrawn = `(d.withdrawn_at IS NOT NULL OR t.withdrawn_at IS NOT NULL OR EXISTS (SELECT 1 FROM task_assignments w
	WHERE w.task_id = p.task_id AND w.unit_id = p.unit_id AND w.withdrawn_at IS NOT NULL))`

const activityFrom = ` FROM plan_activities p JOIN directive_tasks t ON t.id = p.task_id JOIN directives d ON d.id = t.directive_id JOIN units u ON u.id = p.unit_id`

func scanActivity(sc interface{ Scan(...any) error }) (programme.Activity, error) {
	var a programme.Activity
	err := sc.Scan(&a.ID, &a.UnitID, &a.TaskID, &a.Title, &a.Owner, &a.StartOn, &a.DueOn, &a.Indicator, &a.Target, &a.Weight, &a.Progress, &a.Version,
		&a.DirectiveID, &a.DirectiveNumber, &a.TaskNumber, &a.UnitName, &a.Withdrawn)
	return a, err
}

func (s *Store) activities(ctx context.Context, where string, args ...any) ([]programme.Activity, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+activityCols+activityFrom+` WHERE `+where+` ORDER BY d.issued_on DESC, t.number, p.due_on, p.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	defer rows.Close()
	var out []programme.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UnitActivities lists a unit's plan, withdrawn activities included (marked).
func (s *Store) UnitActivities(ctx context.Context, unitID int64) ([]programme.Activity, error) {
	return s.activities(ctx, `p.unit_id = ?`, unitID)
}

// DirectiveActivities lists every unit's activities under a directive's
// tasks, withdrawn ones left out.
func (s *Store) DirectiveActivities(ctx context.Context, directiveID int64) ([]programme.Activity, error) {
	return s.activities(ctx, `d.id = ? AND NOT `+activityWithdrawn, directiveID)
}

// GetActivity returns one activity.
func (s *Store) GetActivity(ctx context.Context, id int64) (programme.Activity, error) {
	a, err := scanActivity(s.db.QueryRowContext(ctx, s.q(`SELECT `+activityCols+activityFrom+` WHERE p.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("activity %d: %w", id, ErrNotFound)
	}
	return a, err
}

// CreateActivity adds an activity to a unit's plan.
func (s *Store) CreateActivity(ctx context.Context, a audit.Actor, act *programme.Activity) error {
	if err := act.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM directive_tasks WHERE id = ?`), act.TaskID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return programme.Errors{"task_id": programme.MsgRequired}
		}
		now := s.ts(s.Now())
		id, err := s.insertID(ctx, tx, `INSERT INTO plan_activities (unit_id, task_id, title, owner, start_on, due_on, indicator, target, weight, progress, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			act.UnitID, act.TaskID, act.Title, act.Owner, act.StartOn, act.DueOn, act.Indicator, act.Target, act.Weight, act.Progress, now, now)
		if err != nil {
			return fmt.Errorf("insert activity: %w", err)
		}
		act.ID, act.Version = id, 1
		return s.appendAudit(ctx, tx, a, "activity.create", "activity", id, nil, act)
	})
}

// PostProgress records a progress update and sets the activity's progress.
// version is the activity version the writer saw: when another write came
// first the update is refused with ErrConflict and nothing is stored;
// version 0 skips the check. A withdrawn activity (its directive, task or
// assignment withdrawn) answers ErrWithdrawn. file, when not nil, is stored
// as evidence.
// It returns the activity as it now is.
func (s *Store) PostProgress(ctx context.Context, a audit.Actor, u *programme.Update, version int, file *programme.Evidence) (programme.Activity, error) {
	if err := u.Validate(); err != nil {
		return programme.Activity{}, err
	}
	if file != nil && len(file.Data) > programme.MaxEvidenceSize {
		return programme.Activity{}, programme.Errors{"file": programme.MsgTooLarge}
	}
	var out programme.Activity
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanActivity(s.txQueryRow(ctx, tx, s.q(`SELECT `+activityCols+activityFrom+` WHERE p.id = ?`), u.ActivityID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("activity %d: %w", u.ActivityID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if before.Withdrawn {
			return fmt.Errorf("activity %d: %w", u.ActivityID, ErrWithdrawn)
		}
		if version > 0 && before.Version != version {
			return fmt.Errorf("activity %d: version %d, now %d: %w", u.ActivityID, version, before.Version, ErrConflict)
		}
		now := s.Now()
		res, err := s.txExec(ctx, tx, s.q(`UPDATE plan_activities SET progress = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`),
			u.Percent, s.ts(now), u.ActivityID, before.Version)
		if err != nil {
			return fmt.Errorf("update activity: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("activity %d: %w", u.ActivityID, ErrConflict)
		}
		if file != nil {
			file.ActivityID = u.ActivityID
			file.Size = int64(len(file.Data))
			fid, err := s.insertID(ctx, tx, `INSERT INTO progress_files (activity_id, name, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				u.ActivityID, file.Name, file.ContentType, file.Size, file.Data, s.ts(now))
			if err != nil {
				return fmt.Errorf("insert evidence: %w", err)
			}
			file.ID, u.FileID, u.FileName = fid, fid, file.Name
		}
		u.Actor, u.At = a.Name, now
		if u.Actor == "" {
			u.Actor = "system"
		}
		uid, err := s.insertID(ctx, tx, `INSERT INTO progress_updates (activity_id, percent, note, evidence_url, file_id, actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ActivityID, u.Percent, u.Note, u.EvidenceURL, nullID(u.FileID), nullID(a.UserID), u.Actor, s.ts(now))
		if err != nil {
			return fmt.Errorf("insert progress: %w", err)
		}
		u.ID = uid
		out = before
		out.Progress, out.Version = u.Percent, before.Version+1
		return s.appendAudit(ctx, tx, a, "activity.progress", "activity", u.ActivityID,
			map[string]any{"progress": before.Progress, "version": before.Version},
			map[string]any{"progress": u.Percent, "version": out.Version, "note": u.Note, "evidence_url": u.EvidenceURL, "file_id": u.FileID})
	})
	return out, err
}

// UnitUpdates lists the progress updates of a unit's activities, newest first.
func (s *Store) UnitUpdates(ctx context.Context, unitID int64, limit int) ([]programme.Update, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT g.id, g.activity_id, g.percent, g.note, g.evidence_url, COALESCE(g.file_id, 0), COALESCE(f.name, ''), g.actor_name, g.at
		FROM progress_updates g JOIN plan_activities p ON p.id = g.activity_id LEFT JOIN progress_files f ON f.id = g.file_id
		WHERE p.unit_id = ? ORDER BY g.at DESC, g.id DESC LIMIT ?`), unitID, limit)
	if err != nil {
		return nil, fmt.Errorf("updates of %d: %w", unitID, err)
	}
	defer rows.Close()
	var out []programme.Update
	for rows.Next() {
		var u programme.Update
		var at Time
		if err := rows.Scan(&u.ID, &u.ActivityID, &u.Percent, &u.Note, &u.EvidenceURL, &u.FileID, &u.FileName, &u.Actor, &at); err != nil {
			return nil, err
		}
		u.At = at.Time
		out = append(out, u)
	}
	return out, rows.Err()
}

// GetEvidence returns an uploaded evidence file with its bytes and the unit
// whose plan it belongs to.
func (s *Store) GetEvidence(ctx context.Context, id int64) (programme.Evidence, int64, error) {
	var f programme.Evidence
	var unitID int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT f.id, f.activity_id, f.name, f.content_type, f.size, f.data, p.unit_id
		FROM progress_files f JOIN plan_activities p ON p.id = f.activity_id WHERE f.id = ?`), id).
		Scan(&f.ID, &f.ActivityID, &f.Name, &f.ContentType, &f.Size, &f.Data, &unitID)
	if errors.Is(err, sql.ErrNoRows) {
		return f, 0, fmt.Errorf("evidence %d: %w", id, ErrNotFound)
	}
	return f, unitID, err
}

// CountDirectives counts directives (the demo loader checks it).
func (s *Store) CountDirectives(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM directives`).Scan(&n)
	return n, err
}

// ActivitiesUnder lists the activities of root and every unit below it
// (whatever the units' validity dates: old plans stay counted), with the
// parent of each unit that has activities, for the tree roll-up. Withdrawn
// activities are left out.
func (s *Store) ActivitiesUnder(ctx context.Context, rootID int64) ([]programme.Activity, map[int64]int64, error) {
	const sub = `WITH RECURSIVE sub(id, parent_id, n) AS (
			SELECT id, parent_id, 0 FROM units WHERE id = ?
			UNION ALL SELECT u.id, u.parent_id, sub.n + 1 FROM units u JOIN sub ON u.parent_id = sub.id WHERE sub.n < 64)`
	rows, err := s.db.QueryContext(ctx, s.q(sub+` SELECT id, COALESCE(parent_id, 0) FROM sub`), rootID)
	if err != nil {
		return nil, nil, fmt.Errorf("subtree of %d: %w", rootID, err)
	}
	parent := map[int64]int64{}
	for rows.Next() {
		var id, p int64
		if err := rows.Scan(&id, &p); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if id != rootID {
			parent[id] = p
		}
	}
	rows.Close()
	acts, err := s.activities(ctx, `p.unit_id IN (`+sub+` SELECT id FROM sub) AND NOT `+activityWithdrawn, rootID)
	return acts, parent, err
}

// GetDirectiveAttachment returns a directive attachment with its bytes (nil for a link).
func (s *Store) GetDirectiveAttachment(ctx context.Context, id int64) (programme.Attachment, error) {
	var at programme.Attachment
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, name, url, content_type, size, data FROM directive_attachments WHERE id = ?`), id).
		Scan(&at.ID, &at.Name, &at.URL, &at.ContentType, &at.Size, &at.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return at, fmt.Errorf("attachment %d: %w", id, ErrNotFound)
	}
	return at, err
}
