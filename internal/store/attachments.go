package store

// Photos and documents attached to citizen cases: stored with the case at
// intake (in CreateCase's transaction) or added later by a handler. The
// checks of type and size are the service's (internal/service/attachments.go);
// this file only stores and reads, and keeps the count per case under the
// bound it is given.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// CaseAttachment is a file of a case, without its bytes.
type CaseAttachment struct {
	ID          int64     `json:"id"`
	CaseID      int64     `json:"case_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Public      bool      `json:"public"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   int64     `json:"created_by,omitempty"`
}

// NewCaseFile is a file to store with a case: its checked name and sniffed
// type, whether it is public, and its bytes.
type NewCaseFile struct {
	Name        string
	ContentType string
	Public      bool
	Data        []byte
}

// ErrTooManyFiles: the case already holds the most files it may.
var ErrTooManyFiles = errors.New("too many files on the case")

func (s *Store) insertCaseFile(ctx context.Context, tx *sql.Tx, a audit.Actor, caseID int64, f NewCaseFile, now time.Time) (CaseAttachment, error) {
	sum := sha256.Sum256(f.Data)
	at := CaseAttachment{CaseID: caseID, Name: f.Name, ContentType: f.ContentType, Size: int64(len(f.Data)),
		SHA256: hex.EncodeToString(sum[:]), Public: f.Public, CreatedAt: now, CreatedBy: a.UserID}
	id, err := s.insertID(ctx, tx, `INSERT INTO case_attachments (case_id, name, content_type, size, sha256, data, public, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		caseID, at.Name, at.ContentType, at.Size, at.SHA256, f.Data, at.Public, s.ts(now), nullID(a.UserID))
	if err != nil {
		return at, fmt.Errorf("case %d: attachment: %w", caseID, err)
	}
	at.ID = id
	// The audit entry names the file by its digest, not its content.
	return at, s.appendAudit(ctx, tx, a, "case.attach", "case", caseID, nil, map[string]any{
		"attachment_id": id, "name": at.Name, "content_type": at.ContentType, "size": at.Size, "sha256": at.SHA256, "public": at.Public})
}

// AddCaseAttachment stores one more file on a case that holds fewer than
// max files (ErrTooManyFiles otherwise), audited in the same transaction.
func (s *Store) AddCaseAttachment(ctx context.Context, a audit.Actor, caseID int64, f NewCaseFile, max int) (CaseAttachment, error) {
	var out CaseAttachment
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Lock the case row (PostgreSQL) so that two uploads cannot both
		// pass the count; SQLite writers are serialised anyway.
		lock := `SELECT id FROM cases WHERE id = ?`
		if s.dialect == Postgres {
			lock += ` FOR UPDATE`
		}
		var id int64
		err := s.txQueryRow(ctx, tx, s.q(lock), caseID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d: %w", caseID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("case %d: %w", caseID, err)
		}
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM case_attachments WHERE case_id = ?`), caseID).Scan(&n); err != nil {
			return fmt.Errorf("case %d: count attachments: %w", caseID, err)
		}
		if n >= max {
			return fmt.Errorf("case %d: %w", caseID, ErrTooManyFiles)
		}
		out, err = s.insertCaseFile(ctx, tx, a, caseID, f, s.Now().Truncate(time.Microsecond))
		return err
	})
	return out, err
}

const caseAttachmentCols = `id, case_id, name, content_type, size, sha256, public, created_at, created_by`

func scanCaseAttachment(sc interface{ Scan(...any) error }, extra ...any) (CaseAttachment, error) {
	var at CaseAttachment
	var created Time
	var by sql.NullInt64
	err := sc.Scan(append([]any{&at.ID, &at.CaseID, &at.Name, &at.ContentType, &at.Size, &at.SHA256, &at.Public, &created, &by}, extra...)...)
	at.CreatedAt, at.CreatedBy = created.Time, by.Int64
	return at, err
}

// CaseAttachments lists the files of a case, oldest first, without their
// bytes; publicOnly keeps the public ones.
func (s *Store) CaseAttachments(ctx context.Context, caseID int64, publicOnly bool) ([]CaseAttachment, error) {
	q := `SELECT ` + caseAttachmentCols + ` FROM case_attachments WHERE case_id = ?`
	if publicOnly {
		q += ` AND public = TRUE`
	}
	rows, err := s.db.QueryContext(ctx, s.q(q+` ORDER BY id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("case %d: attachments: %w", caseID, err)
	}
	defer rows.Close()
	out := []CaseAttachment{}
	for rows.Next() {
		at, err := scanCaseAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// CaseAttachmentData reads one file of a case with its bytes; a file of
// another case is not found.
func (s *Store) CaseAttachmentData(ctx context.Context, caseID, id int64) (CaseAttachment, []byte, error) {
	var data []byte
	at, err := scanCaseAttachment(s.db.QueryRowContext(ctx, s.q(`SELECT `+caseAttachmentCols+`, data FROM case_attachments WHERE id = ? AND case_id = ?`), id, caseID), &data)
	if errors.Is(err, sql.ErrNoRows) {
		return at, nil, fmt.Errorf("case %d: attachment %d: %w", caseID, id, ErrNotFound)
	}
	if err != nil {
		return at, nil, fmt.Errorf("case %d: attachment %d: %w", caseID, id, err)
	}
	return at, data, nil
}

// FirstPublicPhotos maps each of the cases to the id of its first public
// file (cases without one are absent).
func (s *Store) FirstPublicPhotos(ctx context.Context, caseIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(caseIDs))
	for i, id := range caseIDs {
		args[i] = id
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(caseIDs)), ",")
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT case_id, MIN(id) FROM case_attachments
		WHERE case_id IN (`+ph+`) AND public = TRUE GROUP BY case_id`), args...)
	if err != nil {
		return nil, fmt.Errorf("case photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, a int64
		if err := rows.Scan(&c, &a); err != nil {
			return nil, err
		}
		out[c] = a
	}
	return out, rows.Err()
}
