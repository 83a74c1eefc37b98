package store

// Grassroots-democracy disclosures (Law 10/2022/QH15 Art. 11): what a
// commune publishes, with the decision's date, the due date computed by
// the service and the date of publication. Every write is audited in its
// own transaction and checked against the row's version. The document's
// bytes stay in the row and are read only when served.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/danvan/danvan/internal/audit"
)

// Disclosure is one item a commune makes public.
type Disclosure struct {
	ID              int64  `json:"id"`
	UnitID          int64  `json:"unit_id"`
	UnitName        string `json:"unit_name"`
	Category        string `json:"category"`
	Title           string `json:"title"`
	Summary         string `json:"summary,omitempty"`
	DecisionNo      string `json:"decision_no,omitempty"`
	DecidedOn       string `json:"decided_on"`
	DueOn           string `json:"due_on"`
	PublishedOn     string `json:"published_on,omitempty"`
	Form            string `json:"form,omitempty"`
	Status          string `json:"status"` // pending, published, withdrawn
	WithdrawnReason string `json:"withdrawn_reason,omitempty"`
	FileName        string `json:"file_name,omitempty"`
	FileType        string `json:"file_type,omitempty"`
	FileSize        int64  `json:"file_size,omitempty"`
	Version         int    `json:"version"`
}

// DisclosureFile is a document to keep with a disclosure (type sniffed by
// the service); nil Data keeps the one already there.
type DisclosureFile struct {
	Name, ContentType string
	Data              []byte
}

// DisclosureFilter selects disclosures: of the given units (nil: all),
// decided From–To (YYYY-MM-DD, inclusive, empty: open), of a category,
// without the withdrawn unless asked, newest decision first.
type DisclosureFilter struct {
	Units            []int64
	Category         string
	From, To         string
	IncludeWithdrawn bool
	Limit            int
}

const disclosureCols = `d.id, d.unit_id, u.name, d.category, d.title, d.summary, d.decision_no, d.decided_on, d.due_on, d.published_on,
	d.form, d.status, d.withdrawn_reason, d.file_name, d.file_type, d.file_size, d.version`

const disclosureFrom = ` FROM disclosures d JOIN units u ON u.id = d.unit_id`

func scanDisclosure(sc interface{ Scan(...any) error }) (Disclosure, error) {
	var d Disclosure
	err := sc.Scan(&d.ID, &d.UnitID, &d.UnitName, &d.Category, &d.Title, &d.Summary, &d.DecisionNo, &d.DecidedOn, &d.DueOn, &d.PublishedOn,
		&d.Form, &d.Status, &d.WithdrawnReason, &d.FileName, &d.FileType, &d.FileSize, &d.Version)
	return d, err
}

// fileAudit names a document by its digest in the audit trail.
func fileAudit(f *DisclosureFile) any {
	if f == nil || f.Data == nil {
		return nil
	}
	sum := sha256.Sum256(f.Data)
	return map[string]any{"name": f.Name, "content_type": f.ContentType, "size": len(f.Data), "sha256": hex.EncodeToString(sum[:])}
}

// CreateDisclosure stores a new disclosure (with its document, if any) and
// sets its id and version.
func (s *Store) CreateDisclosure(ctx context.Context, a audit.Actor, d *Disclosure, f *DisclosureFile) error {
	now := s.ts(s.Now())
	var data []byte
	if f != nil && f.Data != nil {
		d.FileName, d.FileType, d.FileSize, data = f.Name, f.ContentType, int64(len(f.Data)), f.Data
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO disclosures (unit_id, category, title, summary, decision_no, decided_on, due_on, published_on,
			form, status, withdrawn_reason, file_name, file_type, file_size, file_data, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			d.UnitID, d.Category, d.Title, d.Summary, d.DecisionNo, d.DecidedOn, d.DueOn, d.PublishedOn,
			d.Form, d.Status, d.WithdrawnReason, d.FileName, d.FileType, d.FileSize, data, nullID(a.UserID), now, now)
		if err != nil {
			return fmt.Errorf("insert disclosure: %w", err)
		}
		d.ID, d.Version = id, 1
		return s.appendAudit(ctx, tx, a, "disclosure.create", "disclosure", id, nil, map[string]any{"disclosure": d, "file": fileAudit(f)})
	})
}

// UpdateDisclosure writes a disclosure's fields when its version is still
// version (ErrStale otherwise, ErrNotFound for an unknown id); f, when
// not nil, replaces the document. action names the audit entry
// (disclosure.update, disclosure.publish, disclosure.withdraw).
func (s *Store) UpdateDisclosure(ctx context.Context, a audit.Actor, d *Disclosure, f *DisclosureFile, version int, action string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanDisclosure(s.txQueryRow(ctx, tx, s.q(`SELECT `+disclosureCols+disclosureFrom+` WHERE d.id = ?`), d.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("disclosure %d: %w", d.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "disclosures", `unit_id = ?, category = ?, title = ?, summary = ?, decision_no = ?, decided_on = ?, due_on = ?,
			published_on = ?, form = ?, status = ?, withdrawn_reason = ?, updated_at = ?`,
			d.ID, version, d.UnitID, d.Category, d.Title, d.Summary, d.DecisionNo, d.DecidedOn, d.DueOn,
			d.PublishedOn, d.Form, d.Status, d.WithdrawnReason, s.ts(s.Now())); err != nil {
			return err
		}
		if f != nil && f.Data != nil {
			if _, err := s.txExec(ctx, tx, s.q(`UPDATE disclosures SET file_name = ?, file_type = ?, file_size = ?, file_data = ? WHERE id = ?`),
				f.Name, f.ContentType, int64(len(f.Data)), f.Data, d.ID); err != nil {
				return fmt.Errorf("disclosure %d: file: %w", d.ID, err)
			}
			d.FileName, d.FileType, d.FileSize = f.Name, f.ContentType, int64(len(f.Data))
		}
		d.Version = version + 1
		return s.appendAudit(ctx, tx, a, action, "disclosure", d.ID, before, map[string]any{"disclosure": d, "file": fileAudit(f)})
	})
}

// GetDisclosure reads one disclosure, without its document's bytes.
func (s *Store) GetDisclosure(ctx context.Context, id int64) (Disclosure, error) {
	d, err := scanDisclosure(s.db.QueryRowContext(ctx, s.q(`SELECT `+disclosureCols+disclosureFrom+` WHERE d.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("disclosure %d: %w", id, ErrNotFound)
	}
	return d, err
}

// DisclosureFileData reads a disclosure's document; ErrNotFound when it
// has none.
func (s *Store) DisclosureFileData(ctx context.Context, id int64) (DisclosureFile, error) {
	var f DisclosureFile
	err := s.db.QueryRowContext(ctx, s.q(`SELECT file_name, file_type, file_data FROM disclosures WHERE id = ?`), id).Scan(&f.Name, &f.ContentType, &f.Data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(f.Data) == 0) {
		return f, fmt.Errorf("disclosure %d: file: %w", id, ErrNotFound)
	}
	return f, err
}

// ListDisclosures lists the disclosures the filter selects.
func (s *Store) ListDisclosures(ctx context.Context, f DisclosureFilter) ([]Disclosure, error) {
	var where []string
	var args []any
	if f.Units != nil {
		if len(f.Units) == 0 {
			return []Disclosure{}, nil
		}
		where = append(where, "d.unit_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Units)), ", ")+")")
		for _, id := range f.Units {
			args = append(args, id)
		}
	}
	if f.Category != "" {
		where, args = append(where, "d.category = ?"), append(args, f.Category)
	}
	if f.From != "" {
		where, args = append(where, "d.decided_on >= ?"), append(args, f.From)
	}
	if f.To != "" {
		where, args = append(where, "d.decided_on <= ?"), append(args, f.To)
	}
	if !f.IncludeWithdrawn {
		where = append(where, "d.status <> 'withdrawn'")
	}
	q := `SELECT ` + disclosureCols + disclosureFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY d.decided_on DESC, d.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list disclosures: %w", err)
	}
	defer rows.Close()
	out := []Disclosure{}
	for rows.Next() {
		d, err := scanDisclosure(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
