package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/textfold"
)

const unitCols = `id, COALESCE(code, ''), kind, name, COALESCE(parent_id, 0), remote, valid_from, COALESCE(valid_to, ''), sort_key`

func scanUnit(sc interface{ Scan(...any) error }) (org.Unit, error) {
	var u org.Unit
	var kind string
	err := sc.Scan(&u.ID, &u.Code, &kind, &u.Name, &u.ParentID, &u.Remote, &u.ValidFrom, &u.ValidTo, &u.SortKey)
	u.Kind = org.Kind(kind)
	return u, err
}

func collectUnits(rows *sql.Rows, err error) ([]org.Unit, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// GetUnit returns one unit.
func (s *Store) GetUnit(ctx context.Context, id int64) (org.Unit, error) {
	u, err := scanUnit(s.db.QueryRowContext(ctx, s.q(`SELECT `+unitCols+` FROM units WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	return u, err
}

// UnitByCode returns the unit with an official code valid on date at.
func (s *Store) UnitByCode(ctx context.Context, code, at string) (org.Unit, error) {
	u, err := scanUnit(s.db.QueryRowContext(ctx, s.q(`SELECT `+unitCols+` FROM units WHERE code = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC LIMIT 1`), code, at, at))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("unit code %s at %s: %w", code, at, ErrNotFound)
	}
	return u, err
}

// CreateUnit stores a new unit and audits it.
func (s *Store) CreateUnit(ctx context.Context, a audit.Actor, u *org.Unit) error {
	defer s.unitsChanged.Add(1)
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkParent(ctx, tx, u); err != nil {
			return err
		}
		id, err := s.insertUnit(ctx, tx, u)
		if err != nil {
			return err
		}
		u.ID = id
		return s.appendAudit(ctx, tx, a, "unit.create", "unit", id, nil, u)
	})
}

func (s *Store) insertUnit(ctx context.Context, tx *sql.Tx, u *org.Unit) (int64, error) {
	now := s.ts(s.Now())
	id, err := s.insertID(ctx, tx, `INSERT INTO units (code, kind, name, name_folded, parent_id, remote, valid_from, valid_to, sort_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullStr(u.Code), string(u.Kind), u.Name, textfold.Fold(u.Name), nullID(u.ParentID), u.Remote, u.ValidFrom, nullStr(u.ValidTo), u.SortKey, now, now)
	if isUnique(err) {
		return 0, fmt.Errorf("unit code %s from %s: %w", u.Code, u.ValidFrom, ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("insert unit: %w", err)
	}
	return id, nil
}

// ErrParentInvalid means the parent does not exist for the unit's whole life,
// or would make a cycle.
var ErrParentInvalid = errors.New("unit.parent_invalid")

func (s *Store) checkParent(ctx context.Context, tx *sql.Tx, u *org.Unit) error {
	if u.ParentID == 0 {
		return nil
	}
	if u.ParentID == u.ID {
		return ErrParentInvalid
	}
	p, err := scanUnit(s.txQueryRow(ctx, tx, s.q(`SELECT `+unitCols+` FROM units WHERE id = ?`), u.ParentID))
	if err != nil {
		return ErrParentInvalid
	}
	if !p.ValidOn(u.ValidFrom) {
		return ErrParentInvalid
	}
	if u.ID != 0 {
		// The new parent must not sit inside the unit's own subtree.
		var n int
		err := s.txQueryRow(ctx, tx, s.q(`WITH RECURSIVE up(id, parent_id) AS (
				SELECT id, parent_id FROM units WHERE id = ?
				UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id)
			SELECT COUNT(*) FROM up WHERE id = ?`), u.ParentID, u.ID).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrParentInvalid
		}
	}
	return nil
}

// UpdateUnit changes a unit's fields and audits before and after.
func (s *Store) UpdateUnit(ctx context.Context, a audit.Actor, u *org.Unit) error {
	defer s.unitsChanged.Add(1)
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanUnit(s.txQueryRow(ctx, tx, s.q(`SELECT `+unitCols+` FROM units WHERE id = ?`), u.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unit %d: %w", u.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := s.checkParent(ctx, tx, u); err != nil {
			return err
		}
		_, err = s.txExec(ctx, tx, s.q(`UPDATE units SET code = ?, kind = ?, name = ?, name_folded = ?, parent_id = ?, remote = ?, valid_from = ?, valid_to = ?, sort_key = ?, updated_at = ? WHERE id = ?`),
			nullStr(u.Code), string(u.Kind), u.Name, textfold.Fold(u.Name), nullID(u.ParentID), u.Remote, u.ValidFrom, nullStr(u.ValidTo), u.SortKey, s.ts(s.Now()), u.ID)
		if isUnique(err) {
			return fmt.Errorf("unit code %s: %w", u.Code, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("update unit %d: %w", u.ID, err)
		}
		return s.appendAudit(ctx, tx, a, "unit.update", "unit", u.ID, before, u)
	})
}

const validAt = `valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)`

// UnitsAt returns every unit valid on date at, ordered for display, with
// Depth filled. A few thousand units come back in one query.
func (s *Store) UnitsAt(ctx context.Context, at string) ([]org.Unit, error) {
	us, err := collectUnits(s.db.QueryContext(ctx, s.q(`SELECT `+unitCols+` FROM units WHERE `+validAt), at, at))
	if err != nil {
		return nil, fmt.Errorf("units at %s: %w", at, err)
	}
	return orderTree(us, 0), nil
}

// Subtree returns root and every unit below it valid on date at, depth-first.
func (s *Store) Subtree(ctx context.Context, rootID int64, at string) ([]org.Unit, error) {
	us, err := collectUnits(s.db.QueryContext(ctx, s.q(`WITH RECURSIVE sub(id) AS (
			SELECT id FROM units WHERE id = ?
			UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to >= ?))
		SELECT `+unitCols+` FROM units WHERE id IN (SELECT id FROM sub)`), rootID, at, at))
	if err != nil {
		return nil, fmt.Errorf("subtree %d: %w", rootID, err)
	}
	return orderTree(us, rootID), nil
}

// Children returns the direct children of parent valid on at (parent 0: roots).
func (s *Store) Children(ctx context.Context, parentID int64, at string) ([]org.Unit, error) {
	var rows *sql.Rows
	var err error
	if parentID == 0 {
		rows, err = s.db.QueryContext(ctx, s.q(`SELECT `+unitCols+` FROM units WHERE parent_id IS NULL AND `+validAt), at, at)
	} else {
		rows, err = s.db.QueryContext(ctx, s.q(`SELECT `+unitCols+` FROM units WHERE parent_id = ? AND `+validAt), parentID, at, at)
	}
	us, err := collectUnits(rows, err)
	if err != nil {
		return nil, fmt.Errorf("children of %d: %w", parentID, err)
	}
	sortUnits(us)
	return us, nil
}

// Path returns the ids from the root down to and including id: the chain
// permission checks walk. Parents are followed regardless of dates.
func (s *Store) Path(ctx context.Context, id int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`WITH RECURSIVE up(id, parent_id, n) AS (
			SELECT id, parent_id, 0 FROM units WHERE id = ?
			UNION ALL SELECT u.id, u.parent_id, up.n + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.n < 64)
		SELECT id FROM up ORDER BY n DESC`), id)
	if err != nil {
		return nil, fmt.Errorf("path of %d: %w", id, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	return out, rows.Err()
}

// Ancestors returns the units on the path above id, root first, in one
// query. (The services answer this from the in-memory tree without SQL.)
func (s *Store) Ancestors(ctx context.Context, id int64) ([]org.Unit, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`WITH RECURSIVE up(id, parent_id, n) AS (
			SELECT id, parent_id, 0 FROM units WHERE id = ?
			UNION ALL SELECT u.id, u.parent_id, up.n + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.n < 64)
		SELECT `+unitColsOf("u")+`, up.n FROM up JOIN units u ON u.id = up.id ORDER BY up.n DESC`), id)
	if err != nil {
		return nil, fmt.Errorf("ancestors of %d: %w", id, err)
	}
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		var u org.Unit
		var kind string
		var n int
		if err := rows.Scan(&u.ID, &u.Code, &kind, &u.Name, &u.ParentID, &u.Remote, &u.ValidFrom, &u.ValidTo, &u.SortKey, &n); err != nil {
			return nil, err
		}
		u.Kind = org.Kind(kind)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	return out[:len(out)-1], nil
}

// unitColsOf is unitCols with every column qualified by alias.
func unitColsOf(alias string) string {
	a := alias + "."
	return a + `id, COALESCE(` + a + `code, ''), ` + a + `kind, ` + a + `name, COALESCE(` + a + `parent_id, 0), ` + a + `remote, ` + a + `valid_from, COALESCE(` + a + `valid_to, ''), ` + a + `sort_key`
}

// UnitSearch narrows a unit search.
type UnitSearch struct {
	Query  string // matched with or without diacritics
	At     string // only units valid on this date; "" for any date
	Kind   org.Kind
	Limit  int
	Offset int
}

// SearchUnits finds units whose folded name contains the folded query.
func (s *Store) SearchUnits(ctx context.Context, f UnitSearch) ([]org.Unit, int, error) {
	where := []string{"name_folded LIKE ? ESCAPE '\\'"}
	args := []any{"%" + escapeLike(textfold.Fold(f.Query)) + "%"}
	if f.At != "" {
		where = append(where, validAt)
		args = append(args, f.At, f.At)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, string(f.Kind))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM units`+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search units: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	f.Offset = min(max(f.Offset, 0), total)
	us, err := collectUnits(s.db.QueryContext(ctx, s.q(`SELECT `+unitCols+` FROM units`+cond+` ORDER BY name_folded, valid_from LIMIT `+strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(f.Offset)), args...))
	if err != nil {
		return nil, 0, fmt.Errorf("search units: %w", err)
	}
	return us, total, nil
}

// CountUnitsAt counts units of the given kinds valid on at.
func (s *Store) CountUnitsAt(ctx context.Context, at string, kinds ...org.Kind) (int, error) {
	q := `SELECT COUNT(*) FROM units WHERE ` + validAt
	args := []any{at, at}
	if len(kinds) > 0 {
		ph := make([]string, len(kinds))
		for i, k := range kinds {
			ph[i] = "?"
			args = append(args, string(k))
		}
		q += ` AND kind IN (` + strings.Join(ph, ",") + `)`
	}
	var n int
	err := s.db.QueryRowContext(ctx, s.q(q), args...).Scan(&n)
	return n, err
}

// Successors returns the units that continue id; Predecessors those it continues.
func (s *Store) Successors(ctx context.Context, id int64) ([]org.Successor, error) {
	return s.links(ctx, `SELECT l.predecessor_id, l.successor_id, l.kind, l.portion, l.effective, u.name, COALESCE(u.code, '')
		FROM unit_successors l JOIN units u ON u.id = l.successor_id WHERE l.predecessor_id = ? ORDER BY u.name`, id)
}

// Predecessors returns the units that id continues.
func (s *Store) Predecessors(ctx context.Context, id int64) ([]org.Successor, error) {
	return s.links(ctx, `SELECT l.predecessor_id, l.successor_id, l.kind, l.portion, l.effective, u.name, COALESCE(u.code, '')
		FROM unit_successors l JOIN units u ON u.id = l.predecessor_id WHERE l.successor_id = ? ORDER BY u.name`, id)
}

// AllSuccessorLinks returns every link (for mapping old data onto new units).
func (s *Store) AllSuccessorLinks(ctx context.Context) ([]org.Successor, error) {
	return s.links(ctx, `SELECT l.predecessor_id, l.successor_id, l.kind, l.portion, l.effective, u.name, COALESCE(u.code, '')
		FROM unit_successors l JOIN units u ON u.id = l.successor_id ORDER BY l.predecessor_id, l.successor_id`)
}

func (s *Store) links(ctx context.Context, q string, args ...any) ([]org.Successor, error) {
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("successor links: %w", err)
	}
	defer rows.Close()
	var out []org.Successor
	for rows.Next() {
		var l org.Successor
		if err := rows.Scan(&l.PredecessorID, &l.SuccessorID, &l.Kind, &l.Portion, &l.Effective, &l.OtherName, &l.OtherCode); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// AddSuccessor links predecessor → successor, audited; an existing link is updated.
func (s *Store) AddSuccessor(ctx context.Context, a audit.Actor, l org.Successor) error {
	// Counted after the commit, so that a reload it triggers sees the link.
	defer s.unitsChanged.Add(1)
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.addSuccessorTx(ctx, tx, a, l) })
}

func (s *Store) addSuccessorTx(ctx context.Context, tx *sql.Tx, a audit.Actor, l org.Successor) error {
	if l.Kind == "" {
		l.Kind = "merge"
	}
	if l.Portion == "" {
		l.Portion = "full"
	}
	_, err := s.txExec(ctx, tx, s.q(`INSERT INTO unit_successors (predecessor_id, successor_id, kind, portion, effective) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (predecessor_id, successor_id) DO UPDATE SET kind = excluded.kind, portion = excluded.portion, effective = excluded.effective`),
		l.PredecessorID, l.SuccessorID, l.Kind, l.Portion, l.Effective)
	if err != nil {
		return fmt.Errorf("successor %d→%d: %w", l.PredecessorID, l.SuccessorID, err)
	}
	return s.appendAudit(ctx, tx, a, "unit.successor", "unit", l.PredecessorID, nil, l)
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// ImportUnits upserts rows (by code and validity start) in one transaction:
// either every row lands or none. Parents are resolved by code among the
// rows already stored and those earlier in the same file.
func (s *Store) ImportUnits(ctx context.Context, a audit.Actor, rows []org.ImportRow) (ImportResult, error) {
	defer s.unitsChanged.Add(1)
	var res ImportResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var lineErrs []org.LineError
		for _, r := range rows {
			var parentID int64
			if r.ParentCode != "" {
				err := s.txQueryRow(ctx, tx, s.q(`SELECT id FROM units WHERE code = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC LIMIT 1`),
					r.ParentCode, r.ValidFrom, r.ValidFrom).Scan(&parentID)
				if errors.Is(err, sql.ErrNoRows) {
					lineErrs = append(lineErrs, org.LineError{Line: r.Line, Column: "parent_code", Msg: fmt.Sprintf("no unit with code %s valid on %s", r.ParentCode, r.ValidFrom),
						Key: "units.line.no_parent", Args: []any{r.ParentCode, r.ValidFrom}})
					continue
				}
				if err != nil {
					return err
				}
			}
			u := org.Unit{Code: r.Code, Kind: r.Kind, Name: r.Name, ParentID: parentID, Remote: r.Remote, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo}
			var before org.Unit
			var err error
			if r.Code != "" {
				before, err = scanUnit(s.txQueryRow(ctx, tx, s.q(`SELECT `+unitCols+` FROM units WHERE code = ? AND valid_from = ?`), r.Code, r.ValidFrom))
			} else {
				err = sql.ErrNoRows
			}
			switch {
			case errors.Is(err, sql.ErrNoRows):
				id, err := s.insertUnit(ctx, tx, &u)
				if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				u.ID = id
				res.Created++
				if err := s.appendAudit(ctx, tx, a, "unit.import", "unit", id, nil, u); err != nil {
					return err
				}
			case err != nil:
				return err
			default:
				u.ID, u.SortKey = before.ID, before.SortKey
				if before == u {
					res.Unchanged++
					continue
				}
				_, err := s.txExec(ctx, tx, s.q(`UPDATE units SET kind = ?, name = ?, name_folded = ?, parent_id = ?, remote = ?, valid_to = ?, updated_at = ? WHERE id = ?`),
					string(u.Kind), u.Name, textfold.Fold(u.Name), nullID(u.ParentID), u.Remote, nullStr(u.ValidTo), s.ts(s.Now()), u.ID)
				if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				res.Updated++
				if err := s.appendAudit(ctx, tx, a, "unit.import", "unit", u.ID, before, u); err != nil {
					return err
				}
			}
		}
		if len(lineErrs) > 0 {
			return &org.ImportError{Lines: lineErrs}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// ImportMerges records successor links from a merge mapping: each new unit
// (valid on effective) continues the old units (valid the day before).
func (s *Store) ImportMerges(ctx context.Context, a audit.Actor, ms []org.Merge, effective, dayBefore string) (int, error) {
	defer s.unitsChanged.Add(1)
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var lineErrs []org.LineError
		for i, m := range ms {
			var newID int64
			err := s.txQueryRow(ctx, tx, s.q(`SELECT id FROM units WHERE code = ? AND `+validAt), m.NewCode, effective, effective).Scan(&newID)
			if err != nil {
				lineErrs = append(lineErrs, org.LineError{Line: i + 1, Column: "level2_id", Msg: fmt.Sprintf("no unit %s (%s) valid on %s", m.NewCode, m.NewName, effective)})
				continue
			}
			for _, f := range m.From {
				var oldID int64
				err := s.txQueryRow(ctx, tx, s.q(`SELECT id FROM units WHERE code = ? AND `+validAt), f.OldCode, dayBefore, dayBefore).Scan(&oldID)
				if err != nil {
					lineErrs = append(lineErrs, org.LineError{Line: i + 1, Column: "old_id", Msg: fmt.Sprintf("no unit %s (%s) valid on %s", f.OldCode, f.OldName, dayBefore)})
					continue
				}
				kind := "merge"
				if f.Portion == "partial" {
					kind = "split"
				}
				if err := s.addSuccessorTx(ctx, tx, a, org.Successor{PredecessorID: oldID, SuccessorID: newID, Kind: kind, Portion: f.Portion, Effective: effective}); err != nil {
					return err
				}
				n++
			}
		}
		if len(lineErrs) > 0 {
			return &org.ImportError{Lines: lineErrs}
		}
		return nil
	})
	return n, err
}

// orderTree sorts units depth-first from the roots (or from rootID) and
// fills Depth. Units whose parent is not in the set are treated as roots.
func orderTree(us []org.Unit, rootID int64) []org.Unit {
	byParent := map[int64][]org.Unit{}
	present := map[int64]bool{}
	for _, u := range us {
		present[u.ID] = true
	}
	var roots []org.Unit
	for _, u := range us {
		if (rootID != 0 && u.ID == rootID) || (rootID == 0 && (u.ParentID == 0 || !present[u.ParentID])) {
			roots = append(roots, u)
			continue
		}
		byParent[u.ParentID] = append(byParent[u.ParentID], u)
	}
	sortUnits(roots)
	out := make([]org.Unit, 0, len(us))
	var walk func(u org.Unit, d int)
	walk = func(u org.Unit, d int) {
		u.Depth = d
		out = append(out, u)
		kids := byParent[u.ID]
		sortUnits(kids)
		for _, k := range kids {
			walk(k, d+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}

// kindRank is each kind's place in org.Kinds.
var kindRank = func() map[org.Kind]int {
	m := make(map[org.Kind]int, len(org.Kinds))
	for i, k := range org.Kinds {
		m[k] = i
	}
	return m
}()

// sortUnits orders siblings: explicit sort key, then kind group, then name
// (folded once per unit, not once per comparison).
func sortUnits(us []org.Unit) {
	type keyed struct {
		u      org.Unit
		folded string
	}
	ks := make([]keyed, len(us))
	for i, u := range us {
		ks[i] = keyed{u, textfold.Fold(u.Name)}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.u.SortKey != b.u.SortKey {
			return a.u.SortKey < b.u.SortKey
		}
		if ra, rb := kindRank[a.u.Kind], kindRank[b.u.Kind]; ra != rb {
			return ra < rb
		}
		return a.folded < b.folded
	})
	for i := range ks {
		us[i] = ks[i].u
	}
}

// AllUnits returns every unit of every validity period, in display order
// (sort key, then name), with the unit generation read just before them: a
// change made in between leaves the generation behind, so the next
// [Store.UnitGeneration] poll reloads again rather than missing it. The
// in-memory tree of the services is built from it.
func (s *Store) AllUnits(ctx context.Context) ([]org.Unit, int64, error) {
	gen, err := s.UnitGeneration(ctx)
	if err != nil {
		return nil, 0, err
	}
	us, err := collectUnits(s.db.QueryContext(ctx, s.q(`SELECT `+unitCols+` FROM units`)))
	if err != nil {
		return nil, 0, fmt.Errorf("all units: %w", err)
	}
	sortUnits(us)
	return us, gen, nil
}

// UnitGeneration changes whenever a unit or a successor link is added or
// changed: replicas poll it to know when to reload their tree. It combines
// the counts, the latest change time and a checksum of the fields that
// shape the tree (parent, dates, kind, name length, remote), so that a
// change is seen even when two replicas' clocks disagree.
func (s *Store) UnitGeneration(ctx context.Context) (int64, error) {
	var n, sum, links, linkSum int64
	var last sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM units),
		(SELECT MAX(updated_at) FROM units),
		(SELECT CAST(COALESCE(SUM(id * 7 + COALESCE(parent_id, 0) * 13 + LENGTH(name) * 17 + LENGTH(kind) * 19
			+ CAST(REPLACE(valid_from, '-', '') AS BIGINT) * 3 + CAST(REPLACE(COALESCE(valid_to, '0'), '-', '') AS BIGINT) * 5
			+ CASE WHEN remote THEN 23 ELSE 0 END + sort_key * 29), 0) AS BIGINT) FROM units),
		(SELECT COUNT(*) FROM unit_successors),
		(SELECT CAST(COALESCE(SUM(predecessor_id * 7 + successor_id * 11 + LENGTH(kind) * 13 + LENGTH(portion) * 17
			+ CAST(REPLACE(effective, '-', '') AS BIGINT) * 3), 0) AS BIGINT) FROM unit_successors)`).Scan(&n, &last, &sum, &links, &linkSum)
	if err != nil {
		return 0, fmt.Errorf("unit generation: %w", err)
	}
	h := n
	for _, x := range []int64{sum, links, linkSum} {
		h = h*1000003 + x
	}
	for _, c := range last.String {
		h = h*31 + int64(c)
	}
	return h, nil
}

// UnitsChanged counts the unit changes made through this store (in this
// process); the in-memory tree reloads when it moves.
func (s *Store) UnitsChanged() int64 { return s.unitsChanged.Load() }

// ErrUnitChildrenOpen means a unit cannot close while units under it stay
// valid after the closing day.
var ErrUnitChildrenOpen = errors.New("unit.children_open")

// CloseUnit ends unit id on validTo and records its successors (each valid
// the day after) in one transaction, audited. Successor links already
// recorded for the unit are kept.
func (s *Store) CloseUnit(ctx context.Context, a audit.Actor, id int64, validTo string, links []org.Successor) error {
	defer s.unitsChanged.Add(1)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanUnit(s.txQueryRow(ctx, tx, s.q(`SELECT `+unitCols+` FROM units WHERE id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unit %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var open int
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM units WHERE parent_id = ? AND (valid_to IS NULL OR valid_to > ?)`), id, validTo).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return ErrUnitChildrenOpen
		}
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE units SET valid_to = ?, updated_at = ? WHERE id = ?`), validTo, s.ts(s.Now()), id); err != nil {
			return fmt.Errorf("close unit %d: %w", id, err)
		}
		after := before
		after.ValidTo = validTo
		if err := s.appendAudit(ctx, tx, a, "unit.close", "unit", id, before, after); err != nil {
			return err
		}
		for _, l := range links {
			l.PredecessorID = id
			if err := s.addSuccessorTx(ctx, tx, a, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// Outcomes of a previewed import row.
const (
	PreviewNew       = "new"
	PreviewChanged   = "changed"
	PreviewClosed    = "closed" // changed, and given an end date it did not have
	PreviewUnchanged = "unchanged"
)

// PreviewRow is what importing one row would do.
type PreviewRow struct {
	Row     org.ImportRow
	Outcome string
	// Before is the stored unit a changed, closed or unchanged row matches.
	Before org.Unit
	// Fields names what a changed row changes (name, kind, parent_code, valid_to, remote).
	Fields []string
}

// PreviewImportUnits tells what [Store.ImportUnits] would do with rows,
// writing nothing: each row's outcome and, when a parent cannot be found,
// the line errors the import would refuse the file with.
func (s *Store) PreviewImportUnits(ctx context.Context, rows []org.ImportRow) ([]PreviewRow, error) {
	all, _, err := s.AllUnits(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string]org.Unit{}
	byID := map[int64]org.Unit{}
	for _, u := range all {
		byID[u.ID] = u
		if u.Code != "" {
			byKey[[2]string{u.Code, u.ValidFrom}] = u
		}
	}
	// parentAt finds the unit with code valid on day: stored, or an earlier row of the file.
	var earlier []org.ImportRow
	parentOK := func(code, day string) (int64, bool) {
		var best org.Unit
		for _, u := range all {
			if u.Code == code && u.ValidOn(day) && u.ValidFrom >= best.ValidFrom {
				best = u
			}
		}
		if best.ID != 0 {
			return best.ID, true
		}
		for _, r := range earlier {
			if r.Code == code && r.ValidFrom <= day && (r.ValidTo == "" || r.ValidTo >= day) {
				return 0, true
			}
		}
		return 0, false
	}
	var out []PreviewRow
	var lineErrs []org.LineError
	for _, r := range rows {
		var parentID int64
		if r.ParentCode != "" {
			id, ok := parentOK(r.ParentCode, r.ValidFrom)
			if !ok {
				lineErrs = append(lineErrs, org.LineError{Line: r.Line, Column: "parent_code", Msg: fmt.Sprintf("no unit with code %s valid on %s", r.ParentCode, r.ValidFrom),
					Key: "units.line.no_parent", Args: []any{r.ParentCode, r.ValidFrom}})
			}
			parentID = id
		}
		earlier = append(earlier, r)
		pr := PreviewRow{Row: r, Outcome: PreviewNew}
		before, ok := byKey[[2]string{r.Code, r.ValidFrom}]
		if r.Code != "" && ok {
			pr.Before, pr.Outcome = before, PreviewUnchanged
			parentCode := ""
			if p, ok := byID[before.ParentID]; ok {
				parentCode = p.Code
			}
			if before.Name != r.Name {
				pr.Fields = append(pr.Fields, "name")
			}
			if before.Kind != r.Kind {
				pr.Fields = append(pr.Fields, "kind")
			}
			if parentCode != r.ParentCode || (parentID != 0 && parentID != before.ParentID) {
				pr.Fields = append(pr.Fields, "parent_code")
			}
			if before.ValidTo != r.ValidTo {
				pr.Fields = append(pr.Fields, "valid_to")
			}
			if before.Remote != r.Remote {
				pr.Fields = append(pr.Fields, "remote")
			}
			switch {
			case len(pr.Fields) == 0:
			case before.ValidTo == "" && r.ValidTo != "":
				pr.Outcome = PreviewClosed
			default:
				pr.Outcome = PreviewChanged
			}
		}
		out = append(out, pr)
	}
	if len(lineErrs) > 0 {
		return out, &org.ImportError{Lines: lineErrs}
	}
	return out, nil
}
