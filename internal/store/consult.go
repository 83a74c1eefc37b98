package store

// Consultation on drafts: a unit's draft split into passages, the comments
// anchored to them (moderated), the social-criticism documents of the
// Fatherland Front and the mass organisations, and the answers that take
// comments in. Every write is audited in its own transaction; a
// consultation carries a version checked on its own writes.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// Consultation is a draft published for comment by a unit.
type Consultation struct {
	ID            int64  `json:"id"`
	UnitID        int64  `json:"unit_id"`
	UnitName      string `json:"unit_name"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	Summary       string `json:"summary"`
	OpensOn       string `json:"opens_on"`
	ClosesOn      string `json:"closes_on"`
	Status        string `json:"status"` // draft, published, synthesised (stored)
	Synthesis     string `json:"synthesis"`
	SynthesisedOn string `json:"synthesised_on,omitempty"`
	Version       int    `json:"version"`
}

// Passage is one part of a draft: a chapter, section, article, clause or
// point, in reading order.
type Passage struct {
	ID             int64  `json:"id"`
	ConsultationID int64  `json:"consultation_id"`
	Ord            int    `json:"ord"`
	Level          int    `json:"level"`
	Label          string `json:"label"`
	Text           string `json:"text"`
}

// ConsultComment is a comment on a passage (PassageID) or on the whole
// draft (PassageID 0). Contact is personal data.
type ConsultComment struct {
	ID             int64     `json:"id"`
	ConsultationID int64     `json:"consultation_id"`
	PassageID      int64     `json:"passage_id,omitempty"`
	AuthorID       int64     `json:"-"`
	AuthorName     string    `json:"author_name"`
	Contact        string    `json:"contact,omitempty"`
	Organisation   bool      `json:"organisation"`
	Text           string    `json:"text"`
	Status         string    `json:"status"`
	Reason         string    `json:"reason,omitempty"`
	AnswerID       int64     `json:"answer_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// Criticism is a social-criticism document of a Front or mass-organisation
// unit on a draft, with its file (Data is read only for the download).
type Criticism struct {
	ID             int64  `json:"id"`
	ConsultationID int64  `json:"consultation_id"`
	UnitID         int64  `json:"unit_id"`
	UnitName       string `json:"unit_name"`
	Number         string `json:"number"`
	IssuedOn       string `json:"issued_on"`
	Summary        string `json:"summary"`
	FileName       string `json:"file_name,omitempty"`
	ContentType    string `json:"content_type,omitempty"`
	Size           int64  `json:"size,omitempty"`
	AnswerID       int64  `json:"answer_id,omitempty"`
	Data           []byte `json:"-"`
}

// ConsultAnswer is the drafting unit's answer to one or more comments (and
// criticism documents): taken in, partly, or not taken in, and why.
type ConsultAnswer struct {
	ID             int64   `json:"id"`
	ConsultationID int64   `json:"consultation_id"`
	Verdict        string  `json:"verdict"`
	Explanation    string  `json:"explanation"`
	CommentIDs     []int64 `json:"comment_ids"`
	CriticismIDs   []int64 `json:"criticism_ids"`
}

const consultCols = `c.id, c.unit_id, u.name, c.kind, c.title, c.summary, c.opens_on, c.closes_on, c.status, c.synthesis, COALESCE(c.synthesised_on, ''), c.version`

func scanConsultation(sc interface{ Scan(...any) error }) (Consultation, error) {
	var c Consultation
	err := sc.Scan(&c.ID, &c.UnitID, &c.UnitName, &c.Kind, &c.Title, &c.Summary, &c.OpensOn, &c.ClosesOn, &c.Status, &c.Synthesis, &c.SynthesisedOn, &c.Version)
	return c, err
}

// CreateConsultation stores a new draft consultation with its passages and
// sets the ids and the version.
func (s *Store) CreateConsultation(ctx context.Context, a audit.Actor, c *Consultation, passages []Passage) error {
	now := s.ts(s.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO consultations (unit_id, kind, title, summary, opens_on, closes_on, status, synthesis, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?)`,
			c.UnitID, c.Kind, c.Title, c.Summary, c.OpensOn, c.ClosesOn, c.Status, nullID(a.UserID), now, now)
		if err != nil {
			return fmt.Errorf("insert consultation: %w", err)
		}
		c.ID, c.Version = id, 1
		if err := s.insertPassages(ctx, tx, id, passages); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "consultation.create", "consultation", id, nil, c)
	})
}

func (s *Store) insertPassages(ctx context.Context, tx *sql.Tx, id int64, passages []Passage) error {
	for i, p := range passages {
		if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO consultation_passages (consultation_id, ord, level, label, text) VALUES (?, ?, ?, ?, ?)`),
			id, i+1, p.Level, p.Label, p.Text); err != nil {
			return fmt.Errorf("insert passage: %w", err)
		}
	}
	return nil
}

// UpdateConsultation writes a consultation's fields (not its status) when
// its version is still version; passages non-nil replace the passages (a
// draft only: comments hold none yet).
func (s *Store) UpdateConsultation(ctx context.Context, a audit.Actor, c *Consultation, version int, passages []Passage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bump(ctx, tx, "consultations", `kind = ?, title = ?, summary = ?, opens_on = ?, closes_on = ?, updated_at = ?`,
			c.ID, version, c.Kind, c.Title, c.Summary, c.OpensOn, c.ClosesOn, s.ts(s.Now())); err != nil {
			return err
		}
		if passages != nil {
			if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM consultation_passages WHERE consultation_id = ?`), c.ID); err != nil {
				return err
			}
			if err := s.insertPassages(ctx, tx, c.ID, passages); err != nil {
				return err
			}
		}
		c.Version = version + 1
		return s.appendAudit(ctx, tx, a, "consultation.update", "consultation", c.ID, nil, map[string]any{"consultation": c, "passages": len(passages)})
	})
}

// SetConsultationStatus moves a consultation from one stored status to
// another (ErrStale when its version moved on); synthesis and on are kept
// when the new status is synthesised.
func (s *Store) SetConsultationStatus(ctx context.Context, a audit.Actor, id int64, version int, from, to, synthesis, on string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, s.q(`UPDATE consultations SET status = ?, synthesis = CASE WHEN ? = 'synthesised' THEN ? ELSE synthesis END,
			synthesised_on = CASE WHEN ? = 'synthesised' THEN ? ELSE synthesised_on END, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ? AND status = ?`), to, to, synthesis, to, nullStr(on), s.ts(s.Now()), id, version, from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("consultation %d: %w", id, ErrStale)
		}
		return s.appendAudit(ctx, tx, a, "consultation."+to, "consultation", id, map[string]string{"status": from}, map[string]string{"status": to})
	})
}

// GetConsultation reads a consultation with its passages in order.
func (s *Store) GetConsultation(ctx context.Context, id int64) (Consultation, []Passage, error) {
	c, err := scanConsultation(s.db.QueryRowContext(ctx, s.q(`SELECT `+consultCols+` FROM consultations c JOIN units u ON u.id = c.unit_id WHERE c.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, fmt.Errorf("consultation %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, consultation_id, ord, level, label, text FROM consultation_passages WHERE consultation_id = ? ORDER BY ord`), id)
	if err != nil {
		return c, nil, err
	}
	defer rows.Close()
	ps := []Passage{}
	for rows.Next() {
		var p Passage
		if err := rows.Scan(&p.ID, &p.ConsultationID, &p.Ord, &p.Level, &p.Label, &p.Text); err != nil {
			return c, nil, err
		}
		ps = append(ps, p)
	}
	return c, ps, rows.Err()
}

// ConsultationFilter chooses consultations: of units (nil: all), not in
// draft.
type ConsultationFilter struct {
	UnitIDs   []int64
	Published bool
}

// ListConsultations lists consultations, the latest opening first.
func (s *Store) ListConsultations(ctx context.Context, f ConsultationFilter) ([]Consultation, error) {
	q := `SELECT ` + consultCols + ` FROM consultations c JOIN units u ON u.id = c.unit_id WHERE 1 = 1`
	var args []any
	if f.Published {
		q += ` AND c.status <> 'draft'`
	}
	if f.UnitIDs != nil {
		if len(f.UnitIDs) == 0 {
			return []Consultation{}, nil
		}
		q += ` AND c.unit_id IN (` + placeholders(len(f.UnitIDs)) + `)`
		for _, id := range f.UnitIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY c.opens_on DESC, c.id DESC`
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Consultation{}
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddConsultComment stores a comment and sets its id. The audit entry
// leaves out the contact.
func (s *Store) AddConsultComment(ctx context.Context, a audit.Actor, c *ConsultComment) error {
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO consultation_comments (consultation_id, passage_id, author_id, author_name, contact, organisation, text, status, reason, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)`,
			c.ConsultationID, nullID(c.PassageID), nullID(c.AuthorID), c.AuthorName, c.Contact, c.Organisation, c.Text, c.Status, s.ts(now))
		if err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		c.ID, c.CreatedAt = id, now.UTC()
		return s.appendAudit(ctx, tx, a, "consultation.comment", "consultation", c.ConsultationID, nil,
			map[string]any{"comment": id, "passage": c.PassageID, "author": c.AuthorName, "organisation": c.Organisation})
	})
}

// ModerateConsultComment sets a pending comment's status and reason:
// ErrConflict when it is no longer pending.
func (s *Store) ModerateConsultComment(ctx context.Context, a audit.Actor, id int64, status, reason string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, s.q(`UPDATE consultation_comments SET status = ?, reason = ? WHERE id = ? AND status = 'pending'`), status, reason, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("comment %d: %w", id, ErrConflict)
		}
		return s.appendAudit(ctx, tx, a, "consultation.moderate", "consultation_comment", id, nil, map[string]string{"status": status, "reason": reason})
	})
}

// ConsultCommentFilter chooses comments: of a consultation, by id, with a
// status ("" any).
type ConsultCommentFilter struct {
	ConsultationID, ID int64
	Status             string
}

// ListConsultComments lists comments in the order they came.
func (s *Store) ListConsultComments(ctx context.Context, f ConsultCommentFilter) ([]ConsultComment, error) {
	q := `SELECT id, consultation_id, COALESCE(passage_id, 0), COALESCE(author_id, 0), author_name, contact, organisation, text, status, reason, COALESCE(answer_id, 0), created_at
		FROM consultation_comments WHERE 1 = 1`
	var args []any
	if f.ConsultationID > 0 {
		q += ` AND consultation_id = ?`
		args = append(args, f.ConsultationID)
	}
	if f.ID > 0 {
		q += ` AND id = ?`
		args = append(args, f.ID)
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	q += ` ORDER BY id`
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ConsultComment{}
	for rows.Next() {
		var c ConsultComment
		var at Time
		if err := rows.Scan(&c.ID, &c.ConsultationID, &c.PassageID, &c.AuthorID, &c.AuthorName, &c.Contact, &c.Organisation, &c.Text, &c.Status, &c.Reason, &c.AnswerID, &at); err != nil {
			return nil, err
		}
		c.CreatedAt = at.Time
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddCriticism stores a social-criticism document and sets its id.
func (s *Store) AddCriticism(ctx context.Context, a audit.Actor, c *Criticism) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var data any
		if len(c.Data) > 0 {
			data = c.Data
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO consultation_criticisms (consultation_id, unit_id, number, issued_on, summary, file_name, content_type, size, data, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ConsultationID, c.UnitID, c.Number, c.IssuedOn, c.Summary, c.FileName, c.ContentType, c.Size, data, nullID(a.UserID), s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert criticism: %w", err)
		}
		c.ID = id
		return s.appendAudit(ctx, tx, a, "consultation.criticism", "consultation", c.ConsultationID, nil,
			map[string]any{"criticism": id, "unit": c.UnitID, "number": c.Number, "file": c.FileName, "size": c.Size})
	})
}

// ListCriticisms lists the criticism documents of a consultation (without
// their files).
func (s *Store) ListCriticisms(ctx context.Context, consultationID int64) ([]Criticism, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT k.id, k.consultation_id, k.unit_id, u.name, k.number, k.issued_on, k.summary, k.file_name, k.content_type, k.size, COALESCE(k.answer_id, 0)
		FROM consultation_criticisms k JOIN units u ON u.id = k.unit_id WHERE k.consultation_id = ? ORDER BY k.issued_on, k.id`), consultationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Criticism{}
	for rows.Next() {
		var c Criticism
		if err := rows.Scan(&c.ID, &c.ConsultationID, &c.UnitID, &c.UnitName, &c.Number, &c.IssuedOn, &c.Summary, &c.FileName, &c.ContentType, &c.Size, &c.AnswerID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CriticismFile reads a criticism document's file.
func (s *Store) CriticismFile(ctx context.Context, id int64) (Criticism, error) {
	var c Criticism
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, consultation_id, file_name, content_type, size, data FROM consultation_criticisms WHERE id = ?`), id).
		Scan(&c.ID, &c.ConsultationID, &c.FileName, &c.ContentType, &c.Size, &c.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("criticism %d: %w", id, ErrNotFound)
	}
	return c, err
}

// AddConsultAnswer stores an answer and links the comments and criticism
// documents it answers; one already answered is ErrConflict and nothing is
// stored.
func (s *Store) AddConsultAnswer(ctx context.Context, a audit.Actor, an *ConsultAnswer) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO consultation_answers (consultation_id, verdict, explanation, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			an.ConsultationID, an.Verdict, an.Explanation, nullID(a.UserID), s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert answer: %w", err)
		}
		link := func(table string, ids []int64) error {
			for _, x := range ids {
				res, err := s.txExec(ctx, tx, s.q(`UPDATE `+table+` SET answer_id = ? WHERE id = ? AND consultation_id = ? AND answer_id IS NULL`), id, x, an.ConsultationID)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n != 1 {
					return fmt.Errorf("%s %d: %w", table, x, ErrConflict)
				}
			}
			return nil
		}
		if err := link("consultation_comments", an.CommentIDs); err != nil {
			return err
		}
		if err := link("consultation_criticisms", an.CriticismIDs); err != nil {
			return err
		}
		an.ID = id
		return s.appendAudit(ctx, tx, a, "consultation.answer", "consultation", an.ConsultationID, nil, an)
	})
}

// ListConsultAnswers lists the answers of a consultation with what each answers.
func (s *Store) ListConsultAnswers(ctx context.Context, consultationID int64) ([]ConsultAnswer, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, consultation_id, verdict, explanation FROM consultation_answers WHERE consultation_id = ? ORDER BY id`), consultationID)
	if err != nil {
		return nil, err
	}
	out := []ConsultAnswer{}
	idx := map[int64]int{}
	for rows.Next() {
		a := ConsultAnswer{CommentIDs: []int64{}, CriticismIDs: []int64{}}
		if err := rows.Scan(&a.ID, &a.ConsultationID, &a.Verdict, &a.Explanation); err != nil {
			rows.Close()
			return nil, err
		}
		idx[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range []string{"consultation_comments", "consultation_criticisms"} {
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, answer_id FROM `+t+` WHERE consultation_id = ? AND answer_id IS NOT NULL ORDER BY id`), consultationID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, aid int64
			if err := rows.Scan(&id, &aid); err != nil {
				rows.Close()
				return nil, err
			}
			if i, ok := idx[aid]; ok {
				if t == "consultation_comments" {
					out[i].CommentIDs = append(out[i].CommentIDs, id)
				} else {
					out[i].CriticismIDs = append(out[i].CriticismIDs, id)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
