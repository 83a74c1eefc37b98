package store

// Dialogues between heads and the people (issues raised, commitments with
// owners and deadlines) and grassroots mediation cases. Every write is
// audited in its own transaction; mediation cases carry a version checked
// on each write (optimistic lock).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/danvan/danvan/internal/audit"
)

// Dialogue is one dialogue session of a unit's head with the people.
type Dialogue struct {
	ID           int64                `json:"id"`
	UnitID       int64                `json:"unit_id"`
	UnitName     string               `json:"unit_name"`
	HeldOn       string               `json:"held_on"`
	Topic        string               `json:"topic"`
	Chair        string               `json:"chair"`
	Participants string               `json:"participants"`
	Public       bool                 `json:"public"`
	Minutes      string               `json:"minutes"`
	Status       string               `json:"status"` // planned, held
	Version      int                  `json:"version"`
	Issues       []DialogueIssue      `json:"issues"`
	Commitments  []DialogueCommitment `json:"commitments"`
}

// DialogueIssue is an issue the people raised in a dialogue.
type DialogueIssue struct {
	ID         int64  `json:"id"`
	DialogueID int64  `json:"dialogue_id"`
	RaisedBy   string `json:"raised_by"`
	Text       string `json:"text"`
}

// DialogueCommitment is what a unit committed to do, by a date. Status is
// open or done as stored; the service derives overdue.
type DialogueCommitment struct {
	ID            int64  `json:"id"`
	DialogueID    int64  `json:"dialogue_id"`
	IssueID       int64  `json:"issue_id,omitempty"`
	OwnerUnitID   int64  `json:"owner_unit_id"`
	OwnerUnitName string `json:"owner_unit_name"`
	Text          string `json:"text"`
	DueOn         string `json:"due_on"`
	Status        string `json:"status"`
	DoneOn        string `json:"done_on,omitempty"`
	Evidence      string `json:"evidence,omitempty"`
}

// MediationCase is one grassroots mediation case of a commune. Parties is
// the JSON list of the parties (personal data).
type MediationCase struct {
	ID          int64  `json:"id"`
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	Village     string `json:"village"`
	Parties     string `json:"-"`
	DisputeKind string `json:"dispute_kind"`
	Summary     string `json:"summary"`
	Mediators   string `json:"mediators"`
	AssignedOn  string `json:"assigned_on"`
	StartDue    string `json:"start_due"`
	StartedOn   string `json:"started_on,omitempty"`
	Outcome     string `json:"outcome,omitempty"`
	OutcomeOn   string `json:"outcome_on,omitempty"`
	Agreement   string `json:"agreement,omitempty"`
	Version     int    `json:"version"`
}

const dialogueCols = `d.id, d.unit_id, u.name, d.held_on, d.topic, d.chair, d.participants, d.public, d.minutes, d.status, d.version`

func scanDialogue(sc interface{ Scan(...any) error }) (Dialogue, error) {
	var d Dialogue
	err := sc.Scan(&d.ID, &d.UnitID, &d.UnitName, &d.HeldOn, &d.Topic, &d.Chair, &d.Participants, &d.Public, &d.Minutes, &d.Status, &d.Version)
	return d, err
}

// CreateDialogue stores a new dialogue and sets its id and version.
func (s *Store) CreateDialogue(ctx context.Context, a audit.Actor, d *Dialogue) error {
	now := s.ts(s.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO dialogues (unit_id, held_on, topic, chair, participants, public, minutes, status, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			d.UnitID, d.HeldOn, d.Topic, d.Chair, d.Participants, d.Public, d.Minutes, d.Status, nullID(a.UserID), now, now)
		if err != nil {
			return fmt.Errorf("insert dialogue: %w", err)
		}
		d.ID, d.Version = id, 1
		return s.appendAudit(ctx, tx, a, "dialogue.create", "dialogue", id, nil, d)
	})
}

// UpdateDialogue writes a dialogue's fields when its version is still
// version: ErrStale otherwise, ErrNotFound for an unknown id.
func (s *Store) UpdateDialogue(ctx context.Context, a audit.Actor, d *Dialogue, version int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanDialogue(s.txQueryRow(ctx, tx, s.q(`SELECT `+dialogueCols+` FROM dialogues d JOIN units u ON u.id = d.unit_id WHERE d.id = ?`), d.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("dialogue %d: %w", d.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "dialogues", `held_on = ?, topic = ?, chair = ?, participants = ?, public = ?, minutes = ?, status = ?, updated_at = ?`,
			d.ID, version, d.HeldOn, d.Topic, d.Chair, d.Participants, d.Public, d.Minutes, d.Status, s.ts(s.Now())); err != nil {
			return err
		}
		d.Version = version + 1
		return s.appendAudit(ctx, tx, a, "dialogue.update", "dialogue", d.ID, before, d)
	})
}

// GetDialogue reads a dialogue with its issues and commitments.
func (s *Store) GetDialogue(ctx context.Context, id int64) (Dialogue, error) {
	d, err := scanDialogue(s.db.QueryRowContext(ctx, s.q(`SELECT `+dialogueCols+` FROM dialogues d JOIN units u ON u.id = d.unit_id WHERE d.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("dialogue %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, dialogue_id, raised_by, text FROM dialogue_issues WHERE dialogue_id = ? ORDER BY id`), id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	d.Issues = []DialogueIssue{}
	for rows.Next() {
		var i DialogueIssue
		if err := rows.Scan(&i.ID, &i.DialogueID, &i.RaisedBy, &i.Text); err != nil {
			return d, err
		}
		d.Issues = append(d.Issues, i)
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	d.Commitments, err = s.ListCommitments(ctx, CommitmentFilter{DialogueID: id})
	return d, err
}

// DialogueFilter chooses dialogues: of the given units (nil: all), only
// public ones.
type DialogueFilter struct {
	UnitIDs    []int64
	PublicOnly bool
	Limit      int
}

// ListDialogues lists dialogues, newest first (without issues and commitments).
func (s *Store) ListDialogues(ctx context.Context, f DialogueFilter) ([]Dialogue, error) {
	q := `SELECT ` + dialogueCols + ` FROM dialogues d JOIN units u ON u.id = d.unit_id WHERE 1 = 1`
	var args []any
	if f.PublicOnly {
		q += ` AND d.public = ?`
		args = append(args, true)
	}
	if f.UnitIDs != nil {
		if len(f.UnitIDs) == 0 {
			return []Dialogue{}, nil
		}
		q += ` AND d.unit_id IN (` + placeholders(len(f.UnitIDs)) + `)`
		for _, id := range f.UnitIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY d.held_on DESC, d.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Dialogue{}
	for rows.Next() {
		d, err := scanDialogue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddDialogueIssue records an issue raised in a dialogue.
func (s *Store) AddDialogueIssue(ctx context.Context, a audit.Actor, i *DialogueIssue) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO dialogue_issues (dialogue_id, raised_by, text, created_at) VALUES (?, ?, ?, ?)`,
			i.DialogueID, i.RaisedBy, i.Text, s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert dialogue issue: %w", err)
		}
		i.ID = id
		return s.appendAudit(ctx, tx, a, "dialogue.issue", "dialogue", i.DialogueID, nil, i)
	})
}

// AddCommitment records a commitment made in a dialogue.
func (s *Store) AddCommitment(ctx context.Context, a audit.Actor, c *DialogueCommitment) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO dialogue_commitments (dialogue_id, issue_id, owner_unit_id, text, due_on, status, evidence, created_at)
			VALUES (?, ?, ?, ?, ?, 'open', '', ?)`,
			c.DialogueID, nullID(c.IssueID), c.OwnerUnitID, c.Text, c.DueOn, s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert commitment: %w", err)
		}
		c.ID, c.Status = id, "open"
		return s.appendAudit(ctx, tx, a, "dialogue.commit", "dialogue", c.DialogueID, nil, c)
	})
}

// CompleteCommitment marks an open commitment done on doneOn with an
// evidence note: ErrConflict when it is already done.
func (s *Store) CompleteCommitment(ctx context.Context, a audit.Actor, id int64, doneOn, evidence string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, s.q(`UPDATE dialogue_commitments SET status = 'done', done_on = ?, evidence = ? WHERE id = ? AND status = 'open'`), doneOn, evidence, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var st string
			err := s.txQueryRow(ctx, tx, s.q(`SELECT status FROM dialogue_commitments WHERE id = ?`), id).Scan(&st)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("commitment %d: %w", id, ErrNotFound)
			}
			return fmt.Errorf("commitment %d is %s: %w", id, st, ErrConflict)
		}
		return s.appendAudit(ctx, tx, a, "dialogue.commitment_done", "dialogue_commitment", id, nil, map[string]string{"done_on": doneOn, "evidence": evidence})
	})
}

// GetCommitment reads one commitment.
func (s *Store) GetCommitment(ctx context.Context, id int64) (DialogueCommitment, error) {
	cs, err := s.ListCommitments(ctx, CommitmentFilter{ID: id})
	if err != nil {
		return DialogueCommitment{}, err
	}
	if len(cs) == 0 {
		return DialogueCommitment{}, fmt.Errorf("commitment %d: %w", id, ErrNotFound)
	}
	return cs[0], nil
}

// CommitmentFilter chooses commitments: by id, by dialogue, open and due
// before a date, of owner units (nil: all), of public dialogues only.
type CommitmentFilter struct {
	ID, DialogueID int64
	OpenDueBefore  string
	OwnerUnitIDs   []int64
	PublicOnly     bool
}

// ListCommitments lists commitments by due date.
func (s *Store) ListCommitments(ctx context.Context, f CommitmentFilter) ([]DialogueCommitment, error) {
	q := `SELECT c.id, c.dialogue_id, COALESCE(c.issue_id, 0), c.owner_unit_id, u.name, c.text, c.due_on, c.status, COALESCE(c.done_on, ''), c.evidence
		FROM dialogue_commitments c JOIN units u ON u.id = c.owner_unit_id JOIN dialogues d ON d.id = c.dialogue_id WHERE 1 = 1`
	var args []any
	if f.ID > 0 {
		q += ` AND c.id = ?`
		args = append(args, f.ID)
	}
	if f.DialogueID > 0 {
		q += ` AND c.dialogue_id = ?`
		args = append(args, f.DialogueID)
	}
	if f.OpenDueBefore != "" {
		q += ` AND c.status = 'open' AND c.due_on < ?`
		args = append(args, f.OpenDueBefore)
	}
	if f.PublicOnly {
		q += ` AND d.public = ?`
		args = append(args, true)
	}
	if f.OwnerUnitIDs != nil {
		if len(f.OwnerUnitIDs) == 0 {
			return []DialogueCommitment{}, nil
		}
		q += ` AND c.owner_unit_id IN (` + placeholders(len(f.OwnerUnitIDs)) + `)`
		for _, id := range f.OwnerUnitIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY c.due_on, c.id`
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DialogueCommitment{}
	for rows.Next() {
		var c DialogueCommitment
		if err := rows.Scan(&c.ID, &c.DialogueID, &c.IssueID, &c.OwnerUnitID, &c.OwnerUnitName, &c.Text, &c.DueOn, &c.Status, &c.DoneOn, &c.Evidence); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const mediationCols = `m.id, m.unit_id, u.name, m.village, m.parties, m.dispute_kind, m.summary, m.mediators, m.assigned_on, m.start_due,
	COALESCE(m.started_on, ''), COALESCE(m.outcome, ''), COALESCE(m.outcome_on, ''), m.agreement, m.version`

func scanMediation(sc interface{ Scan(...any) error }) (MediationCase, error) {
	var m MediationCase
	err := sc.Scan(&m.ID, &m.UnitID, &m.UnitName, &m.Village, &m.Parties, &m.DisputeKind, &m.Summary, &m.Mediators, &m.AssignedOn, &m.StartDue,
		&m.StartedOn, &m.Outcome, &m.OutcomeOn, &m.Agreement, &m.Version)
	return m, err
}

// CreateMediation stores a new mediation case and sets its id and version.
// The audit entry leaves out the parties.
func (s *Store) CreateMediation(ctx context.Context, a audit.Actor, m *MediationCase) error {
	now := s.ts(s.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO mediation_cases (unit_id, village, parties, dispute_kind, summary, mediators, assigned_on, start_due, agreement, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?)`,
			m.UnitID, m.Village, m.Parties, m.DisputeKind, m.Summary, m.Mediators, m.AssignedOn, m.StartDue, nullID(a.UserID), now, now)
		if err != nil {
			return fmt.Errorf("insert mediation case: %w", err)
		}
		m.ID, m.Version = id, 1
		return s.appendAudit(ctx, tx, a, "mediation.create", "mediation_case", id, nil, m)
	})
}

// GetMediation reads one mediation case.
func (s *Store) GetMediation(ctx context.Context, id int64) (MediationCase, error) {
	m, err := scanMediation(s.db.QueryRowContext(ctx, s.q(`SELECT `+mediationCols+` FROM mediation_cases m JOIN units u ON u.id = m.unit_id WHERE m.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("mediation case %d: %w", id, ErrNotFound)
	}
	return m, err
}

// ListMediations lists the mediation cases of the given units, newest first.
func (s *Store) ListMediations(ctx context.Context, unitIDs []int64) ([]MediationCase, error) {
	out := []MediationCase{}
	if len(unitIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(unitIDs))
	for i, id := range unitIDs {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+mediationCols+` FROM mediation_cases m JOIN units u ON u.id = m.unit_id
		WHERE m.unit_id IN (`+placeholders(len(unitIDs))+`) ORDER BY m.assigned_on DESC, m.id DESC`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMediation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// StartMediation records the day mediation started, when the version is
// still version.
func (s *Store) StartMediation(ctx context.Context, a audit.Actor, id int64, version int, on string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bump(ctx, tx, "mediation_cases", `started_on = ?, updated_at = ?`, id, version, on, s.ts(s.Now())); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "mediation.start", "mediation_case", id, nil, map[string]string{"started_on": on})
	})
}

// RecordMediationOutcome records the outcome, its day and the agreement
// text, when the version is still version.
func (s *Store) RecordMediationOutcome(ctx context.Context, a audit.Actor, id int64, version int, outcome, on, agreement string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bump(ctx, tx, "mediation_cases", `outcome = ?, outcome_on = ?, agreement = ?, updated_at = ?`, id, version, outcome, on, agreement, s.ts(s.Now())); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "mediation.outcome", "mediation_case", id, nil, map[string]string{"outcome": outcome, "outcome_on": on})
	})
}
