package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/textfold"
)

// UnitGrant is a role held on a unit, as the unit page lists it.
type UnitGrant = store.Grant

// Bounds of the unit reads.
const (
	// UnitQueryMax is the longest search text, in characters.
	UnitQueryMax = 200
	// UnitPageDefault and UnitPageMax bound a window of a unit list.
	UnitPageDefault = 50
	UnitPageMax     = 500
	// UnitOffsetMax bounds how far into a list a window may start.
	UnitOffsetMax = 1 << 20
)

// Anonymous whole-tree reads: each client address may make UnitAnonBurst at
// once, then one every 1/UnitAnonRate seconds.
const (
	UnitAnonRate  = 1.0
	UnitAnonBurst = 20
)

// Caches of whole listings, rebuilt when the tree reloads.
const (
	unitListCacheEntries = 16       // listings (dates × roots)
	unitRenderCacheBytes = 64 << 20 // serialised trees
)

// Units is the units capability: the organisation tree on any date, search
// with or without diacritics, one unit with its surroundings, counts. Unit
// reads are public. They answer from the in-memory [Tree] without SQL
// (successor links are loaded once per tree version); whole listings and
// their serialisations are cached until the tree reloads. Whole-tree reads
// by anonymous visitors are rate-limited per client address
// ([UnitAnonBurst] at once, then [UnitAnonRate] a second): [ErrTooMany].
// Writes (create, edit, close with successors, CSV import with a preview
// confirmed by token) are installation-wide unit management
// ([authz.ActionUnitManage]), audited, and reload the tree.
type Units struct {
	base
	anon *Limiter

	mu         sync.Mutex
	version    int64 // tree version the caches below belong to
	links      *unitLinks
	lists      map[listKey][]org.Unit
	rendered   map[renderKey][]byte
	renderSize int
}

type unitLinks struct {
	succ, pred map[int64][]org.Successor
}

type listKey struct {
	at   string
	root int64
}

type renderKey struct {
	variant, at string
	root        int64
}

func newUnits(b base) *Units {
	return &Units{base: b, anon: NewLimiter(UnitAnonRate, UnitAnonBurst)}
}

// LimitAnonymous replaces the limiter of anonymous whole-tree reads.
func (s *Units) LimitAnonymous(l *Limiter) { s.anon = l }

// anonymousCaller reports whether p is nobody signed in.
func anonymousCaller(p *Principal) bool { return p == nil || (p.User.ID == 0 && !p.System) }

// read checks that p may read units (public today) and, for an expensive
// read by an anonymous visitor, takes a token from its address's bucket.
// Doors pass an anonymous visitor as &Principal{IP: address}; a nil
// principal (a use case reading units for its own page) is not counted.
func (s *Units) read(p *Principal, expensive bool) error {
	if err := s.authorize(p, authz.ActionUnitRead, 0); err != nil {
		return err
	}
	if expensive && p != nil && anonymousCaller(p) && s.anon != nil && !s.anon.Allow(p.IP) {
		return ErrTooMany
	}
	return nil
}

// unitDate validates a YYYY-MM-DD date within the legal calendar's years.
func unitDate(v *Validator, field, at string) string {
	return v.Date(field, at, true)
}

// lock takes the caches' lock, first dropping them when the tree has
// reloaded since they were built (the tree's own reload runs outside it).
func (s *Units) lock() {
	v := s.tree.Version()
	s.mu.Lock()
	if v > s.version {
		s.version, s.links, s.lists, s.rendered, s.renderSize = v, nil, nil, nil, 0
	}
}

// UnitList asks for the units valid on a date: every one, or the subtree of
// Root (0: the whole tree), optionally of one kind, optionally a window.
type UnitList struct {
	At   string
	Root int64
	Kind org.Kind
	// All returns the whole listing; otherwise Limit (default 50, at most
	// 500) units from Offset.
	All           bool
	Limit, Offset int
}

func (q *UnitList) validate() error {
	var v Validator
	q.At = unitDate(&v, "at", q.At)
	if q.Kind != "" {
		v.Choice("kind", string(q.Kind), unitKindCodes()...)
	}
	if q.Root < 0 {
		v.Add("root", MsgRange, 1, int64(1<<62))
	}
	if !q.All {
		if q.Limit == 0 {
			q.Limit = UnitPageDefault
		}
		v.Int("limit", int64(q.Limit), 1, UnitPageMax)
		v.Int("offset", int64(q.Offset), 0, UnitOffsetMax)
	}
	return v.Err()
}

func unitKindCodes() []string {
	out := make([]string, len(org.Kinds))
	for i, k := range org.Kinds {
		out[i] = string(k)
	}
	return out
}

// listing returns the (shared, read-only) units of q.At under q.Root,
// depth first, Depth counted from the listing's roots.
func (s *Units) listing(q UnitList) ([]org.Unit, error) {
	k := listKey{at: q.At, root: q.Root}
	s.lock()
	us, ok := s.lists[k]
	version := s.version
	s.mu.Unlock()
	if ok {
		return us, nil
	}
	if q.Root != 0 {
		var found bool
		if us, found = s.tree.SubtreeAt(q.Root, q.At); !found {
			return nil, ErrNotFound
		}
	} else {
		us = s.tree.At(q.At)
	}
	s.lock()
	if s.version == version {
		if s.lists == nil || len(s.lists) >= unitListCacheEntries {
			s.lists = map[listKey][]org.Unit{}
		}
		s.lists[k] = us
	}
	s.mu.Unlock()
	return us, nil
}

// List returns the units valid on q.At (under q.Root), depth first in
// display order with Depth counted from the listing's roots, and how many
// there are in all. A whole listing (q.All) by an anonymous caller is
// rate-limited per client address.
func (s *Units) List(ctx context.Context, p *Principal, q UnitList) ([]org.Unit, int, error) {
	if err := q.validate(); err != nil {
		return nil, 0, err
	}
	if err := s.read(p, q.All); err != nil {
		return nil, 0, err
	}
	us, err := s.listing(q)
	if err != nil {
		return nil, 0, err
	}
	if q.Kind != "" {
		kept := make([]org.Unit, 0, len(us)/4)
		for _, u := range us {
			if u.Kind == q.Kind {
				kept = append(kept, u)
			}
		}
		us = kept
	}
	total := len(us)
	if !q.All {
		us = us[min(q.Offset, total):min(q.Offset+q.Limit, total)]
	}
	return slices.Clone(us), total, nil
}

// Rendered returns render's serialisation of the listing q (its kind and
// window are ignored: the whole listing), built once per (variant, date,
// root) while the tree is unchanged, so that repeated whole-tree reads cost
// nothing. variant names the serialisation, including its language when it
// has one ("api.tree", "web.tree.vi"). render must not keep the units. An
// anonymous caller is rate-limited per client address.
func (s *Units) Rendered(ctx context.Context, p *Principal, q UnitList, variant string, render func([]org.Unit) ([]byte, error)) ([]byte, error) {
	q.All = true
	if err := q.validate(); err != nil {
		return nil, err
	}
	if err := s.read(p, true); err != nil {
		return nil, err
	}
	k := renderKey{variant: variant, at: q.At, root: q.Root}
	s.lock()
	b, ok := s.rendered[k]
	version := s.version
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	us, err := s.listing(q)
	if err != nil {
		return nil, err
	}
	b, err = render(us)
	if err != nil {
		return nil, err
	}
	s.lock()
	if s.version == version && len(b) <= unitRenderCacheBytes/4 {
		if s.rendered == nil || s.renderSize+len(b) > unitRenderCacheBytes {
			s.rendered, s.renderSize = map[renderKey][]byte{}, 0
		}
		s.rendered[k] = b
		s.renderSize += len(b)
	}
	s.mu.Unlock()
	return b, nil
}

// UnitSearch is a search by name.
type UnitSearch struct {
	Query  string // matched with or without diacritics
	At     string // only units valid on this date; "" for any date
	Kind   org.Kind
	Limit  int // default 50, at most 500
	Offset int // at most UnitOffsetMax
}

// Search finds units whose name contains the query, with or without
// diacritics ("dong son" finds "Đông Sơn"), ordered by name; it returns one
// window and the number of matches. With a kind the query may be empty: every
// unit of that kind. It reads the in-memory tree's folded names, no SQL.
func (s *Units) Search(ctx context.Context, p *Principal, q UnitSearch) ([]org.Unit, int, error) {
	var v Validator
	minLen := 1 // a kind alone lists every unit of that kind
	if q.Kind != "" {
		minLen = 0
	}
	q.Query = v.Line("q", q.Query, minLen, UnitQueryMax)
	if q.At != "" {
		q.At = unitDate(&v, "at", q.At)
	}
	if q.Kind != "" {
		v.Choice("kind", string(q.Kind), unitKindCodes()...)
	}
	if q.Limit == 0 {
		q.Limit = UnitPageDefault
	}
	v.Int("limit", int64(q.Limit), 1, UnitPageMax)
	v.Int("offset", int64(q.Offset), 0, UnitOffsetMax)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.read(p, false); err != nil {
		return nil, 0, err
	}
	us, total := s.tree.Search(TreeSearch{Query: q.Query, At: q.At, Kind: q.Kind, Limit: q.Limit, Offset: q.Offset})
	return us, total, nil
}

// Count counts the units valid on at, of the given kinds (none: all).
func (s *Units) Count(ctx context.Context, p *Principal, at string, kinds ...org.Kind) (int, error) {
	var v Validator
	at = unitDate(&v, "at", at)
	if err := v.Err(); err != nil {
		return 0, err
	}
	if err := s.read(p, false); err != nil {
		return 0, err
	}
	return s.tree.CountAt(at, kinds...), nil
}

// UnitQuery asks for one unit as of a date.
type UnitQuery struct {
	ID int64
	At string
	// LastDay: when the unit ended before At, show it (and its children) as
	// of its last day instead.
	LastDay bool
}

// UnitView is one unit with its surroundings on a date.
type UnitView struct {
	Unit org.Unit
	// At is the date the children are listed on: the date asked, or the
	// unit's last day (see [UnitQuery.LastDay]).
	At string
	// ValidAt reports whether the unit exists on At.
	ValidAt bool
	// Ancestors are the units above, root first, whatever their dates.
	Ancestors []org.Unit
	// Children are the direct children valid on At.
	Children []org.Unit
	// Successors continue the unit; Predecessors are the units it
	// continues. OtherName and OtherCode name the other unit.
	Successors, Predecessors []org.Successor
}

// Get returns one unit with its ancestors, its children on q.At, its
// successors and its predecessors. It runs no SQL (successor links are
// loaded once per tree version).
func (s *Units) Get(ctx context.Context, p *Principal, q UnitQuery) (UnitView, error) {
	var v Validator
	q.At = unitDate(&v, "at", q.At)
	if err := v.Err(); err != nil {
		return UnitView{}, err
	}
	if err := s.read(p, false); err != nil {
		return UnitView{}, err
	}
	u, ok := s.tree.Unit(q.ID)
	if !ok {
		return UnitView{}, ErrNotFound
	}
	at := q.At
	if q.LastDay && u.ValidTo != "" && at > u.ValidTo {
		at = u.ValidTo
	}
	links, err := s.linkIndex(ctx)
	if err != nil {
		return UnitView{}, err
	}
	return UnitView{
		Unit: u, At: at, ValidAt: u.ValidOn(at),
		Ancestors:    s.tree.Ancestors(q.ID),
		Children:     copyOrEmpty(s.tree.ChildrenAt(q.ID, at)),
		Successors:   copyOrEmpty(links.succ[q.ID]),
		Predecessors: copyOrEmpty(links.pred[q.ID]),
	}, nil
}

// copyOrEmpty copies s; nil becomes empty (JSON [] rather than null).
func copyOrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}

// linkIndex returns every successor link by unit, loaded once per tree
// version; the other unit's name and code come from the tree.
func (s *Units) linkIndex(ctx context.Context) (*unitLinks, error) {
	s.lock()
	l, version := s.links, s.version
	s.mu.Unlock()
	if l != nil {
		return l, nil
	}
	all, err := s.st.AllSuccessorLinks(ctx)
	if err != nil {
		return nil, unavailable("successor links", err)
	}
	l = &unitLinks{succ: map[int64][]org.Successor{}, pred: map[int64][]org.Successor{}}
	name := func(id int64) (string, string) {
		u, _ := s.tree.Unit(id)
		return u.Name, u.Code
	}
	for _, x := range all {
		x.OtherName, x.OtherCode = name(x.SuccessorID)
		l.succ[x.PredecessorID] = append(l.succ[x.PredecessorID], x)
		y := x
		y.OtherName, y.OtherCode = name(x.PredecessorID)
		l.pred[x.SuccessorID] = append(l.pred[x.SuccessorID], y)
	}
	byName := func(a, b org.Successor) int {
		return strings.Compare(textfold.Fold(a.OtherName), textfold.Fold(b.OtherName))
	}
	for _, m := range []map[int64][]org.Successor{l.succ, l.pred} {
		for id := range m {
			slices.SortStableFunc(m[id], byName)
		}
	}
	s.lock()
	if s.version == version {
		s.links = l
	}
	s.mu.Unlock()
	return l, nil
}

// CanSeeGrants reports whether p may see who holds roles on unitID: those
// who may grant roles there or manage users.
func (s *Units) CanSeeGrants(p *Principal, unitID int64) bool {
	return s.can(p, authz.ActionRoleGrant, unitID) || s.can(p, authz.ActionUserManage, unitID)
}

// Grants lists the roles held on unitID, for those who may see them
// ([Units.CanSeeGrants]).
func (s *Units) Grants(ctx context.Context, p *Principal, unitID int64) ([]UnitGrant, error) {
	if !s.CanSeeGrants(p, unitID) {
		return nil, s.authorize(p, authz.ActionRoleGrant, unitID)
	}
	gs, err := s.st.UnitGrants(ctx, unitID)
	if err != nil {
		return nil, unavailable("unit grants", err)
	}
	return gs, nil
}

// DayBefore returns the date before d (YYYY-MM-DD), or "" when d is not a
// date.
func DayBefore(d string) string {
	t, err := time.Parse(org.DateLayout, d)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -1).Format(org.DateLayout)
}

// UnitImportResult counts what an import did.
type UnitImportResult = store.ImportResult

// UnitImportMax bounds the rows of one import (the national list of
// communes has about 10,000).
const UnitImportMax = 200_000

// Import stores parsed unit rows (org.ParseCSV) in one transaction: every
// row lands or none; rows are matched by code and validity start, parents by
// code. Installation-wide unit management: administrators and the command
// line. Line errors come back as *org.ImportError.
func (s *Units) Import(ctx context.Context, p *Principal, rows []org.ImportRow) (UnitImportResult, error) {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return UnitImportResult{}, err
	}
	var v Validator
	v.Int("rows", int64(len(rows)), 1, UnitImportMax)
	if err := v.Err(); err != nil {
		return UnitImportResult{}, err
	}
	res, err := s.st.ImportUnits(ctx, p.Actor(), rows)
	return res, importErr("import units", err)
}

// ImportMerges records successor links (org.ParseMergesJSON): each new unit,
// valid on effective, continues the old units valid the day before. It
// returns how many links were recorded. Same permission as [Units.Import].
func (s *Units) ImportMerges(ctx context.Context, p *Principal, ms []org.Merge, effective string) (int, error) {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return 0, err
	}
	var v Validator
	effective = v.Date("effective", effective, true)
	v.Int("merges", int64(len(ms)), 1, UnitImportMax)
	if err := v.Err(); err != nil {
		return 0, err
	}
	n, err := s.st.ImportMerges(ctx, p.Actor(), ms, effective, DayBefore(effective))
	return n, importErr("import merges", err)
}

// importErr keeps an import's line errors and typed errors, and marks any
// other failure as unavailable.
func importErr(op string, err error) error {
	var ie *org.ImportError
	if err == nil || errors.As(err, &ie) {
		return err
	}
	return unavailable(op, err)
}

// Message keys of unit writes.
const (
	MsgUnitParentInvalid = "units.error.parent_invalid"
	MsgUnitCodeTaken     = "units.error.code_taken"
	MsgUnitChildrenOpen  = "units.error.children_open"
	MsgUnitClosed        = "units.error.already_closed"
	MsgUnitSuccessor     = "units.error.successor_invalid"
	MsgUnitImportToken   = "units.error.import_expired"
)

// Bounds of unit writes.
const (
	UnitNameMax       = 200
	UnitCodeMax       = 20
	UnitSuccessorsMax = 50
)

// UnitInput is a unit as a form or a JSON body gives it.
type UnitInput struct {
	ParentID  int64
	Name      string
	Kind      string
	Code      string
	ValidFrom string
	Remote    bool
}

func unitKinds() []string {
	out := make([]string, len(org.Kinds))
	for i, k := range org.Kinds {
		out[i] = string(k)
	}
	return out
}

// check validates in and, when a parent is named, that it exists.
func (s *Units) check(in UnitInput) (org.Unit, error) {
	var v Validator
	u := org.Unit{ParentID: in.ParentID, Remote: in.Remote}
	u.Name = v.Line("name", in.Name, 1, UnitNameMax)
	u.Kind = org.Kind(v.Choice("kind", in.Kind, unitKinds()...))
	u.Code = v.Line("code", in.Code, 0, UnitCodeMax)
	u.ValidFrom = v.Date("valid_from", in.ValidFrom, true)
	if in.ParentID != 0 {
		if p, ok := s.tree.Unit(in.ParentID); !ok || (!v.Has("valid_from") && !p.ValidOn(u.ValidFrom)) {
			v.Add("parent_id", MsgUnitParentInvalid)
		}
	}
	return u, v.Err()
}

// writeErr turns the store's refusals of a unit write into field errors.
func writeErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrParentInvalid):
		return Invalid("parent_id", MsgUnitParentInvalid)
	case errors.Is(err, store.ErrUnitChildrenOpen):
		return Invalid("valid_to", MsgUnitChildrenOpen)
	case errors.Is(err, ErrConflict):
		return Invalid("code", MsgUnitCodeTaken)
	case errors.Is(err, org.ErrBadRange):
		return Invalid("valid_to", MsgDateOrder)
	}
	return unavailable(op, err)
}

// Create adds a unit (under in.ParentID, 0: a root), audited; the tree
// reloads. Installation-wide unit management ([authz.ActionUnitManage]).
func (s *Units) Create(ctx context.Context, p *Principal, in UnitInput) (org.Unit, error) {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return org.Unit{}, err
	}
	u, err := s.check(in)
	if err != nil {
		return org.Unit{}, err
	}
	if err := s.st.CreateUnit(ctx, p.Actor(), &u); err != nil {
		return org.Unit{}, writeErr("create unit", err)
	}
	return u, nil
}

// Update changes a unit's name, kind, code, parent, start and remote flag,
// audited; its end date and successors change only through [Units.Close].
func (s *Units) Update(ctx context.Context, p *Principal, id int64, in UnitInput) (org.Unit, error) {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return org.Unit{}, err
	}
	old, ok := s.tree.Unit(id)
	if !ok {
		return org.Unit{}, ErrNotFound
	}
	u, err := s.check(in)
	if err == nil && old.ValidTo != "" && u.ValidFrom > old.ValidTo {
		err = Invalid("valid_from", MsgDateOrder)
	}
	if err != nil {
		return org.Unit{}, err
	}
	u.ID, u.ValidTo, u.SortKey = id, old.ValidTo, old.SortKey
	if err := s.st.UpdateUnit(ctx, p.Actor(), &u); err != nil {
		return org.Unit{}, writeErr("update unit", err)
	}
	return u, nil
}

// UnitSuccessor continues a closing unit: the whole of it ("full") or a
// part ("partial").
type UnitSuccessor struct {
	UnitID  int64
	Portion string
}

// UnitClose ends a unit on ValidTo; its successors are valid the day after.
// Kind is merge (the default), split or rename.
type UnitClose struct {
	ValidTo    string
	Kind       string
	Successors []UnitSuccessor
}

// Close ends unit id and records its successors in one transaction,
// audited; the tree reloads. A unit that already ended, or whose
// subordinate units stay valid after the day, cannot close.
func (s *Units) Close(ctx context.Context, p *Principal, id int64, in UnitClose) error {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return err
	}
	u, ok := s.tree.Unit(id)
	if !ok {
		return ErrNotFound
	}
	var v Validator
	to := v.Date("valid_to", in.ValidTo, true)
	if u.ValidTo != "" {
		v.Add("valid_to", MsgUnitClosed)
	} else if !v.Has("valid_to") && to < u.ValidFrom {
		v.Add("valid_to", MsgDateOrder)
	}
	if in.Kind == "" {
		in.Kind = "merge"
	}
	kind := v.Choice("kind", in.Kind, "merge", "split", "rename")
	v.Int("successors", int64(len(in.Successors)), 0, UnitSuccessorsMax)
	effective := ""
	if !v.Has("valid_to") {
		effective = DayAfter(to)
	}
	var links []org.Successor
	seen := map[int64]bool{}
	for i, sc := range in.Successors {
		field := fmt.Sprintf("successors[%d]", i)
		portion := v.Choice(field+".portion", sc.Portion, "full", "partial")
		n, ok := s.tree.Unit(sc.UnitID)
		if !ok || sc.UnitID == id || seen[sc.UnitID] || (effective != "" && !n.ValidOn(effective)) {
			v.Add(field+".unit_id", MsgUnitSuccessor)
			continue
		}
		seen[sc.UnitID] = true
		links = append(links, org.Successor{SuccessorID: sc.UnitID, Kind: kind, Portion: portion, Effective: effective})
	}
	if err := v.Err(); err != nil {
		return err
	}
	return writeErr("close unit", s.st.CloseUnit(ctx, p.Actor(), id, to, links))
}

// DayAfter returns the date after d (YYYY-MM-DD), or "" when d is not a
// date.
func DayAfter(d string) string {
	t, err := time.Parse(org.DateLayout, d)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, 1).Format(org.DateLayout)
}

// UnitPreviewRow is what importing one row of a file would do.
type UnitPreviewRow = store.PreviewRow

// Outcomes of a previewed row.
const (
	PreviewNew       = store.PreviewNew
	PreviewChanged   = store.PreviewChanged
	PreviewClosed    = store.PreviewClosed
	PreviewUnchanged = store.PreviewUnchanged
)

// UnitPreview is what an upload would change, kept until confirmed.
type UnitPreview struct {
	// Token names the kept file for [Units.ApplyImport]; empty when the
	// file has errors (nothing can be applied).
	Token  string
	Rows   []UnitPreviewRow
	Errors []org.LineError
	// Counts by outcome.
	New, Changed, Closed, Unchanged int
}

// UnitPreviewTTL is how long a previewed file waits for confirmation.
const UnitPreviewTTL = 30 * time.Minute

type keptImport struct {
	user    int64
	rows    []org.ImportRow
	expires time.Time
}

var (
	keptMu      sync.Mutex
	keptImports = map[string]keptImport{}
)

// PreviewImport parses a unit file and tells, writing nothing, what
// importing it would do: new, changed, closed and unchanged rows, or the
// file's errors by line and column. A file without errors is kept for
// [UnitPreviewTTL] under a random token, for the caller alone: confirming
// applies exactly the previewed rows. Same permission as [Units.Import].
func (s *Units) PreviewImport(ctx context.Context, p *Principal, file io.Reader) (UnitPreview, error) {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return UnitPreview{}, err
	}
	rows, err := org.ParseCSV(file, org.ImportOptions{})
	var ie *org.ImportError
	if errors.As(err, &ie) {
		return UnitPreview{Errors: ie.Lines}, nil
	}
	if err != nil {
		return UnitPreview{Errors: []org.LineError{{Msg: err.Error()}}}, nil
	}
	var v Validator
	v.Int("rows", int64(len(rows)), 1, UnitImportMax)
	if err := v.Err(); err != nil {
		return UnitPreview{}, err
	}
	prs, err := s.st.PreviewImportUnits(ctx, rows)
	out := UnitPreview{Rows: prs}
	if errors.As(err, &ie) {
		out.Errors = ie.Lines
	} else if err != nil {
		return UnitPreview{}, unavailable("preview import", err)
	}
	for _, r := range prs {
		switch r.Outcome {
		case PreviewNew:
			out.New++
		case PreviewChanged:
			out.Changed++
		case PreviewClosed:
			out.Closed++
		default:
			out.Unchanged++
		}
	}
	if len(out.Errors) == 0 {
		b := make([]byte, 18)
		if _, err := rand.Read(b); err != nil {
			return UnitPreview{}, unavailable("preview token", err)
		}
		out.Token = base64.RawURLEncoding.EncodeToString(b)
		now := s.Now()
		keptMu.Lock()
		for k, x := range keptImports {
			if now.After(x.expires) {
				delete(keptImports, k)
			}
		}
		keptImports[out.Token] = keptImport{user: p.User.ID, rows: rows, expires: now.Add(UnitPreviewTTL)}
		keptMu.Unlock()
	}
	return out, nil
}

// ApplyImport imports the file previewed under token ([Units.Import]); the
// token is spent only when the import succeeds. An unknown or expired
// token, or another user's, is a field error on "token".
func (s *Units) ApplyImport(ctx context.Context, p *Principal, token string) (UnitImportResult, error) {
	if err := s.authorize(p, authz.ActionUnitManage, 0); err != nil {
		return UnitImportResult{}, err
	}
	keptMu.Lock()
	x, ok := keptImports[token]
	keptMu.Unlock()
	if !ok || x.user != p.User.ID || s.Now().After(x.expires) {
		return UnitImportResult{}, Invalid("token", MsgUnitImportToken)
	}
	res, err := s.Import(ctx, p, x.rows)
	if err != nil {
		return res, err
	}
	keptMu.Lock()
	delete(keptImports, token)
	keptMu.Unlock()
	return res, nil
}
