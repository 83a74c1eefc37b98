package store

// Citizen cases: intake, the public projection by tracking code, the
// handlers' list, state transitions under an optimistic lock, the history
// and the audited read of the (encrypted) identity. The rules live in
// internal/service/cases.go; this file only stores and reads. The identity
// arrives here already encrypted and leaves encrypted.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// Case is one citizen case as stored. IdentityEnc is the encrypted identity
// of the person who submitted it (nil: anonymous without contact).
type Case struct {
	ID           int64     `json:"id"`
	TrackingCode string    `json:"tracking_code"`
	SecretHash   string    `json:"-"`
	Kind         string    `json:"kind"`
	Category     string    `json:"category"`
	Channel      string    `json:"channel"`
	UnitID       int64     `json:"unit_id"`
	PlaceUnitID  int64     `json:"place_unit_id,omitempty"`
	Lat          *float64  `json:"lat,omitempty"`
	Lon          *float64  `json:"lon,omitempty"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	Status       string    `json:"status"`
	Anonymous    bool      `json:"anonymous"`
	HasIdentity  bool      `json:"has_identity"`
	IdentityEnc  []byte    `json:"-"`
	SubmitterID  int64     `json:"submitter_id,omitempty"`
	ParentCaseID int64     `json:"parent_case_id,omitempty"`
	Remote       bool      `json:"remote"`
	AcceptDue    string    `json:"accept_due,omitempty"`
	ResolveDue   string    `json:"resolve_due,omitempty"`
	ExtendedDue  string    `json:"extended_due,omitempty"`
	Resolution   string    `json:"resolution,omitempty"`
	Rating       int       `json:"rating,omitempty"`
	RatingNote   string    `json:"rating_comment,omitempty"`
	ReceivedOn   string    `json:"received_on"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
	Version      int       `json:"version"`
	// MediaURL is a photo's address; AddressString the place as the
	// citizen wrote it (Open311).
	MediaURL      string `json:"media_url,omitempty"`
	AddressString string `json:"address_string,omitempty"`
	// PersonHash is the keyed hash of the author's identifier, written at
	// intake (never read back into this struct; see casesearch.go).
	PersonHash string `json:"-"`
}

// CaseEvent is one step of a case's history. Public events (and their
// public notes) are shown on the tracking page; the internal note and the
// actor only to handlers.
type CaseEvent struct {
	ID           int64     `json:"id"`
	CaseID       int64     `json:"case_id"`
	At           time.Time `json:"at"`
	ActorID      int64     `json:"actor_id,omitempty"`
	Actor        string    `json:"actor,omitempty"`
	Action       string    `json:"action"`
	Public       bool      `json:"public"`
	PublicNote   string    `json:"public_note,omitempty"`
	InternalNote string    `json:"internal_note,omitempty"`
	FromUnitID   int64     `json:"from_unit_id,omitempty"`
	ToUnitID     int64     `json:"to_unit_id,omitempty"`
}

// CaseFilter narrows the handlers' list. Units empty: every unit.
type CaseFilter struct {
	Units       []int64
	Status      string
	Kind        string
	OverdueOn   string // YYYY-MM-DD: only cases whose current deadline is before it
	Limit       int
	Offset      int
	NewestFirst bool

	// Text: only cases whose search text has every word of Text as a
	// prefix of one of its words (folded, see casesearch.go); the total is
	// then counted up to CaseCountCap+1.
	Text        string
	From, To    string   // YYYY-MM-DD: received on or after From, on or before To
	Kinds       []string // only these kinds
	Category    string
	PlaceUnitID int64
}

// CaseChange is one state transition: the case must still be at Version;
// the fields set here replace the stored ones, and Event is appended.
type CaseChange struct {
	ID          int64
	Version     int
	Status      string
	UnitID      int64 // 0: unchanged
	AcceptDue   *string
	ResolveDue  *string
	ExtendedDue *string
	Resolution  *string
	Close       bool
	Event       CaseEvent
	AuditAction string
	// Kind, Category and ParentCaseID (0: none) reclassify the case; a
	// new category also renews its search text. IdentityEnc (non-nil)
	// replaces the encrypted identity, sealed again for the new kind.
	Kind         *string
	Category     *string
	ParentCaseID *int64
	IdentityEnc  []byte
}

const caseCols = `c.id, c.tracking_code, c.secret_hash, c.kind, c.category, c.channel, c.unit_id, c.place_unit_id, c.lat, c.lon,
	c.title, c.description, c.status, c.anonymous, c.identity_enc IS NOT NULL, c.submitter_id, c.parent_case_id, c.remote,
	c.accept_due, c.resolve_due, c.extended_due, c.resolution, c.rating, c.rating_comment, c.received_on,
	c.created_at, c.updated_at, c.closed_at, c.version, c.media_url, c.address_string`

func scanCase(sc interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var place, sub, parent, rating sql.NullInt64
	var lat, lon sql.NullFloat64
	var created, updated, closed Time
	err := sc.Scan(&c.ID, &c.TrackingCode, &c.SecretHash, &c.Kind, &c.Category, &c.Channel, &c.UnitID, &place, &lat, &lon,
		&c.Title, &c.Description, &c.Status, &c.Anonymous, &c.HasIdentity, &sub, &parent, &c.Remote,
		&c.AcceptDue, &c.ResolveDue, &c.ExtendedDue, &c.Resolution, &rating, &c.RatingNote, &c.ReceivedOn,
		&created, &updated, &closed, &c.Version, &c.MediaURL, &c.AddressString)
	c.PlaceUnitID, c.SubmitterID, c.ParentCaseID, c.Rating = place.Int64, sub.Int64, parent.Int64, int(rating.Int64)
	if lat.Valid {
		c.Lat = &lat.Float64
	}
	if lon.Valid {
		c.Lon = &lon.Float64
	}
	c.CreatedAt, c.UpdatedAt, c.ClosedAt = created.Time, updated.Time, closed.Time
	return c, err
}

// CreateCase stores a case and its first event in one transaction; the case
// exists (durably, with the engine's synchronous commit) when it returns
// nil. A tracking code already taken answers ErrConflict, so that the
// caller draws another. Files given are stored in the same transaction, so
// that an acknowledged case has them.
func (s *Store) CreateCase(ctx context.Context, a audit.Actor, c *Case, first CaseEvent, files ...NewCaseFile) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.insertCase(ctx, tx, a, c, first, files...) })
}

// insertCase writes a case (with its folded search text, which the index
// follows), its first event, the audit
// entry and its files inside tx.
func (s *Store) insertCase(ctx context.Context, tx *sql.Tx, a audit.Actor, c *Case, first CaseEvent, files ...NewCaseFile) error {
	now := s.Now().Truncate(time.Microsecond)
	var lat, lon any
	if c.Lat != nil {
		lat = *c.Lat
	}
	if c.Lon != nil {
		lon = *c.Lon
	}
	var ident any
	if c.IdentityEnc != nil {
		ident = c.IdentityEnc
	}
	id, err := s.insertID(ctx, tx, `INSERT INTO cases (tracking_code, secret_hash, kind, category, channel, unit_id, place_unit_id, lat, lon,
			title, description, status, anonymous, identity_enc, submitter_id, parent_case_id, remote, accept_due, received_on, created_at, updated_at,
			media_url, address_string, search_text, person_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.TrackingCode, c.SecretHash, c.Kind, c.Category, c.Channel, c.UnitID, nullID(c.PlaceUnitID), lat, lon,
		c.Title, c.Description, c.Status, c.Anonymous, ident, nullID(c.SubmitterID), nullID(c.ParentCaseID), c.Remote, c.AcceptDue, c.ReceivedOn, s.ts(now), s.ts(now),
		c.MediaURL, c.AddressString, CaseSearchText(c), c.PersonHash)
	if isUnique(err) {
		return fmt.Errorf("case %s: %w", c.TrackingCode, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	c.ID, c.CreatedAt, c.UpdatedAt, c.Version, c.HasIdentity = id, now, now, 1, c.IdentityEnc != nil
	first.CaseID, first.At = id, now
	if err := s.insertCaseEvent(ctx, tx, &first); err != nil {
		return err
	}
	// The audit entry names the case, never the person.
	if err := s.appendAudit(ctx, tx, a, "case.create", "case", id, nil, map[string]any{
		"tracking_code": c.TrackingCode, "kind": c.Kind, "channel": c.Channel, "unit_id": c.UnitID, "anonymous": c.Anonymous}); err != nil {
		return err
	}
	for _, f := range files {
		if _, err := s.insertCaseFile(ctx, tx, a, id, f, now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertCaseEvent(ctx context.Context, tx *sql.Tx, e *CaseEvent) error {
	id, err := s.insertID(ctx, tx, `INSERT INTO case_events (case_id, at, actor_id, actor, action, public, public_note, internal_note, from_unit_id, to_unit_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CaseID, s.ts(e.At), nullID(e.ActorID), e.Actor, e.Action, e.Public, e.PublicNote, e.InternalNote, nullID(e.FromUnitID), nullID(e.ToUnitID))
	if err != nil {
		return fmt.Errorf("case event: %w", err)
	}
	e.ID = id
	return nil
}

// GetCase reads one case by id.
func (s *Store) GetCase(ctx context.Context, id int64) (Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, s.q(`SELECT `+caseCols+` FROM cases c WHERE c.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("case %d: %w", id, ErrNotFound)
	}
	return c, err
}

// CaseByCode reads one case by tracking code.
func (s *Store) CaseByCode(ctx context.Context, code string) (Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, s.q(`SELECT `+caseCols+` FROM cases c WHERE c.tracking_code = ?`), code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("case %s: %w", code, ErrNotFound)
	}
	return c, err
}

// CaseEvents returns a case's history, oldest first; publicOnly keeps the
// public events only.
func (s *Store) CaseEvents(ctx context.Context, caseID int64, publicOnly bool) ([]CaseEvent, error) {
	q := `SELECT id, case_id, at, actor_id, actor, action, public, public_note, internal_note, from_unit_id, to_unit_id FROM case_events WHERE case_id = ?`
	if publicOnly {
		q += ` AND public = TRUE`
	}
	rows, err := s.db.QueryContext(ctx, s.q(q+` ORDER BY id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("case events: %w", err)
	}
	defer rows.Close()
	out := []CaseEvent{}
	for rows.Next() {
		var e CaseEvent
		var at Time
		var actor, from, to sql.NullInt64
		if err := rows.Scan(&e.ID, &e.CaseID, &at, &actor, &e.Actor, &e.Action, &e.Public, &e.PublicNote, &e.InternalNote, &from, &to); err != nil {
			return nil, err
		}
		e.At, e.ActorID, e.FromUnitID, e.ToUnitID = at.Time, actor.Int64, from.Int64, to.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}

// ListCases returns the cases matching f and how many match in all.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) ([]Case, int, error) {
	var where []string
	var args []any
	if len(f.Units) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(f.Units)), ",")
		where = append(where, "c.unit_id IN ("+ph+")")
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	if f.Status != "" {
		where = append(where, "c.status = ?")
		args = append(args, f.Status)
	}
	if f.Kind != "" {
		where = append(where, "c.kind = ?")
		args = append(args, f.Kind)
	}
	if f.OverdueOn != "" {
		// The current deadline: acceptance while received, then the
		// (extended) resolution deadline while open.
		where = append(where, `((c.status = 'received' AND c.accept_due <> '' AND c.accept_due < ?)
			OR (c.status IN ('accepted', 'in_progress') AND ((c.extended_due <> '' AND c.extended_due < ?) OR (c.extended_due = '' AND c.resolve_due <> '' AND c.resolve_due < ?))))`)
		args = append(args, f.OverdueOn, f.OverdueOn, f.OverdueOn)
	}
	sw, sargs := s.caseSearchWhere(f)
	where, args = append(where, sw...), append(args, sargs...)
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	from, order := s.caseSearchFrom(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+caseCols+` FROM `+from+w+order+` LIMIT ? OFFSET ?`), append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	out := []Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	// A first page that is not full is the whole list: no count needed.
	if f.Offset == 0 && len(out) < limit {
		return out, len(out), nil
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(countCases(f, from, w)), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count cases: %w", err)
	}
	return out, total, nil
}

// ChangeCase applies one state transition if the case is still at
// ch.Version (ErrConflict otherwise), appends its event and the audit entry
// in the same transaction, and returns the case as now stored.
func (s *Store) ChangeCase(ctx context.Context, a audit.Actor, ch CaseChange) (Case, error) {
	var out Case
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanCase(s.txQueryRow(ctx, tx, s.q(`SELECT `+caseCols+` FROM cases c WHERE c.id = ?`), ch.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d: %w", ch.ID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("case %d: %w", ch.ID, err)
		}
		if before.Version != ch.Version {
			return fmt.Errorf("case %d at version %d, not %d: %w", ch.ID, before.Version, ch.Version, ErrConflict)
		}
		now := s.Now().Truncate(time.Microsecond)
		after := before
		after.Status, after.UpdatedAt, after.Version = ch.Status, now, before.Version+1
		if ch.UnitID != 0 {
			after.UnitID = ch.UnitID
		}
		if ch.AcceptDue != nil {
			after.AcceptDue = *ch.AcceptDue
		}
		if ch.ResolveDue != nil {
			after.ResolveDue = *ch.ResolveDue
		}
		if ch.ExtendedDue != nil {
			after.ExtendedDue = *ch.ExtendedDue
		}
		if ch.Resolution != nil {
			after.Resolution = *ch.Resolution
		}
		if ch.Kind != nil {
			after.Kind = *ch.Kind
		}
		if ch.Category != nil {
			after.Category = *ch.Category
		}
		if ch.ParentCaseID != nil {
			after.ParentCaseID = *ch.ParentCaseID
		}
		var closed any
		if ch.Close {
			after.ClosedAt = now
			closed = s.ts(now)
		} else if !before.ClosedAt.IsZero() {
			closed = s.ts(before.ClosedAt)
		}
		set, args := "", []any{after.Status, after.UnitID, after.AcceptDue, after.ResolveDue, after.ExtendedDue, after.Resolution, closed, s.ts(now)}
		if ch.Kind != nil || ch.Category != nil || ch.ParentCaseID != nil {
			// Only a reclassification writes these (and the text index follows search_text).
			set = ", kind = ?, category = ?, parent_case_id = ?, search_text = ?"
			args = append(args, after.Kind, after.Category, nullID(after.ParentCaseID), CaseSearchText(&after))
		}
		if ch.IdentityEnc != nil {
			set += ", identity_enc = ?"
			args = append(args, ch.IdentityEnc)
		}
		res, err := s.txExec(ctx, tx, s.q(`UPDATE cases SET status = ?, unit_id = ?, accept_due = ?, resolve_due = ?, extended_due = ?, resolution = ?, closed_at = ?,
				updated_at = ?`+set+`, version = version + 1 WHERE id = ? AND version = ?`), append(args, ch.ID, ch.Version)...)
		if err != nil {
			return fmt.Errorf("update case: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("case %d: %w", ch.ID, ErrConflict)
		}
		ev := ch.Event
		ev.CaseID, ev.At = ch.ID, now
		if err := s.insertCaseEvent(ctx, tx, &ev); err != nil {
			return err
		}
		out = after
		was := map[string]any{"status": before.Status, "unit_id": before.UnitID, "version": before.Version}
		is := map[string]any{"status": after.Status, "unit_id": after.UnitID, "version": after.Version}
		if ch.Kind != nil || ch.Category != nil || ch.ParentCaseID != nil {
			was["kind"], was["category"], was["parent_case_id"] = before.Kind, before.Category, before.ParentCaseID
			is["kind"], is["category"], is["parent_case_id"] = after.Kind, after.Category, after.ParentCaseID
		}
		return s.appendAudit(ctx, tx, a, ch.AuditAction, "case", ch.ID, was, is)
	})
	return out, err
}

// RateCase records the citizen's rating of a resolved or closed case, once:
// a case already rated, or not in one of those states, answers ErrConflict.
func (s *Store) RateCase(ctx context.Context, a audit.Actor, id int64, rating int, comment string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Truncate(time.Microsecond)
		res, err := s.txExec(ctx, tx, s.q(`UPDATE cases SET rating = ?, rating_comment = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND rating IS NULL AND status IN ('resolved', 'closed')`), rating, comment, s.ts(now), id)
		if err != nil {
			return fmt.Errorf("rate case: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("case %d: %w", id, ErrConflict)
		}
		ev := CaseEvent{CaseID: id, At: now, Actor: a.Name, Action: "rate", Public: true}
		if err := s.insertCaseEvent(ctx, tx, &ev); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "case.rate", "case", id, nil, map[string]any{"rating": rating})
	})
}

// CaseIdentity returns the encrypted identity of a case (nil when there is
// none) and writes an audit entry for the view in the same transaction: no
// one reads a person's identity without a trace.
func (s *Store) CaseIdentity(ctx context.Context, a audit.Actor, id int64) ([]byte, error) {
	var enc []byte
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.txQueryRow(ctx, tx, s.q(`SELECT identity_enc FROM cases WHERE id = ?`), id).Scan(&enc)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("case identity: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "case.identity_view", "case", id, nil, nil)
	})
	return enc, err
}

// CaseKeyFile is the file in the data directory that holds the key of the
// case identities when DANVAN_CASE_KEY is not set.
const CaseKeyFile = "case.key"

// CaseKeyText returns the text the case identity key is derived from: the
// configured one, else the content of case.key in the data directory,
// created (32 random bytes, hex, mode 0600) on first use.
func (s *Store) CaseKeyText(configured string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	if s.opts.DataDir == "" {
		return "", errors.New("case key: set DANVAN_CASE_KEY, or give a data directory for " + CaseKeyFile)
	}
	return keyFile(s.opts.DataDir, CaseKeyFile, "case key", 32)
}

// CaseCategory is a category of cases and the unit competent by default:
// one unit, or the nearest unit of a kind above the place of the case.
type CaseCategory struct {
	Code          string `json:"code"`
	NameVi        string `json:"name_vi"`
	NameEn        string `json:"name_en"`
	NameJa        string `json:"name_ja"`
	DefaultKind   string `json:"default_kind,omitempty"`
	DefaultUnitID int64  `json:"default_unit_id,omitempty"`
}

// CaseCategories lists the categories by code.
func (s *Store) CaseCategories(ctx context.Context) ([]CaseCategory, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name_vi, name_en, name_ja, default_kind, default_unit_id FROM case_categories ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("case categories: %w", err)
	}
	defer rows.Close()
	out := []CaseCategory{}
	for rows.Next() {
		var c CaseCategory
		var unit sql.NullInt64
		if err := rows.Scan(&c.Code, &c.NameVi, &c.NameEn, &c.NameJa, &c.DefaultKind, &unit); err != nil {
			return nil, err
		}
		c.DefaultUnitID = unit.Int64
		out = append(out, c)
	}
	return out, rows.Err()
}

// PutCaseCategory creates or replaces a category.
func (s *Store) PutCaseCategory(ctx context.Context, a audit.Actor, c CaseCategory) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, s.q(`INSERT INTO case_categories (code, name_vi, name_en, name_ja, default_kind, default_unit_id) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, name_ja = excluded.name_ja,
				default_kind = excluded.default_kind, default_unit_id = excluded.default_unit_id`),
			c.Code, c.NameVi, c.NameEn, c.NameJa, c.DefaultKind, nullID(c.DefaultUnitID))
		if err != nil {
			return fmt.Errorf("case category: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "case.category", "case_category", c.Code, nil, c)
	})
}
