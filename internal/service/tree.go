package service

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/textfold"
)

// Tree is the whole organisation (every unit of every validity period) held
// in memory, so that a permission check or a subtree walk costs no SQL. It is
// reloaded after a change to the units and, on every replica, when the
// store's unit generation moves (see [Tree.Refresh]).
type Tree struct {
	load func(ctx context.Context) ([]org.Unit, int64, error)
	// local counts unit writes made by this process; a change makes the
	// next read reload.
	local     func() int64
	loadedAt  int64
	reloading sync.Mutex

	mu       sync.RWMutex
	gen      int64
	version  int64 // counts reloads: caches built from the tree key on it
	units    map[int64]org.Unit
	children map[int64][]int64 // parent id (0 = roots) → child ids, display order
	paths    map[int64][]int64 // root … id
	order    []int64           // every unit, display order
	folded   map[int64]string  // search form of each name (textfold)
	byName   []int64           // every unit by folded name, then validity start
}

// NewTree returns a tree that loads its units (and the store's unit
// generation), and reloads when local (the count of unit writes made in this
// process) moves.
func NewTree(load func(ctx context.Context) ([]org.Unit, int64, error), local func() int64) *Tree {
	return &Tree{load: load, local: local, units: map[int64]org.Unit{}, children: map[int64][]int64{}, paths: map[int64][]int64{}}
}

// fresh reloads the tree when this process changed units since it was
// loaded. A failed reload keeps the old tree (and is retried next time).
func (t *Tree) fresh() {
	if t.local == nil {
		return
	}
	if !t.stale() {
		return
	}
	t.reloading.Lock()
	defer t.reloading.Unlock()
	if t.stale() { // not already reloaded by a concurrent reader
		_ = t.reload(context.Background())
	}
}

func (t *Tree) stale() bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.local() != t.loadedAt
}

// Refresh reloads the tree when the store's unit generation differs from the
// loaded one: a change made by another replica. The server calls it
// periodically.
func (t *Tree) Refresh(ctx context.Context, generation func(context.Context) (int64, error)) error {
	g, err := generation(ctx)
	if err != nil {
		return unavailable("unit generation", err)
	}
	if g == t.Generation() {
		return nil
	}
	return t.Reload(ctx)
}

// Reload reads every unit again.
func (t *Tree) Reload(ctx context.Context) error {
	t.reloading.Lock()
	defer t.reloading.Unlock()
	return t.reload(ctx)
}

// reload is Reload; the caller holds t.reloading.
func (t *Tree) reload(ctx context.Context) error {
	var local int64
	if t.local != nil {
		local = t.local()
	}
	us, gen, err := t.load(ctx)
	if err != nil {
		return unavailable("load organisation tree", err)
	}
	units := make(map[int64]org.Unit, len(us))
	children := map[int64][]int64{}
	for _, u := range us {
		units[u.ID] = u
	}
	// us arrives in display order (sort key, name); keep it for children.
	for _, u := range us {
		parent := u.ParentID
		if _, ok := units[parent]; !ok {
			parent = 0
		}
		children[parent] = append(children[parent], u.ID)
	}
	order := make([]int64, len(us))
	folded := make(map[int64]string, len(us))
	for i, u := range us {
		order[i] = u.ID
		folded[u.ID] = textfold.Fold(u.Name)
	}
	byName := slices.Clone(order)
	slices.SortStableFunc(byName, func(a, b int64) int {
		return cmp.Or(strings.Compare(folded[a], folded[b]), strings.Compare(units[a].ValidFrom, units[b].ValidFrom), cmp.Compare(a, b))
	})
	paths := make(map[int64][]int64, len(us))
	var walk func(id int64, prefix []int64)
	walk = func(id int64, prefix []int64) {
		p := append(slices.Clip(prefix), id)
		paths[id] = p
		for _, c := range children[id] {
			if _, seen := paths[c]; !seen && len(p) < 64 {
				walk(c, p)
			}
		}
	}
	for _, r := range children[0] {
		walk(r, nil)
	}
	t.mu.Lock()
	t.gen, t.units, t.children, t.paths, t.loadedAt = gen, units, children, paths, local
	t.order, t.folded, t.byName = order, folded, byName
	t.version++
	t.mu.Unlock()
	return nil
}

// Generation is the unit generation the tree was loaded at.
func (t *Tree) Generation() int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.gen
}

// Unit returns the unit with id.
func (t *Tree) Unit(id int64) (org.Unit, bool) {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	u, ok := t.units[id]
	if ok {
		u.Depth = len(t.paths[id]) - 1
	}
	return u, ok
}

// Path returns the ids from the root down to and including id.
func (t *Tree) Path(id int64) ([]int64, bool) {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	p, ok := t.paths[id]
	return p, ok
}

// Target is the permission target of a unit; unit 0 is the installation.
func (t *Tree) Target(id int64) (authz.Target, error) {
	if id == 0 {
		return authz.Target{}, nil
	}
	p, ok := t.Path(id)
	if !ok {
		return authz.Target{}, ErrNotFound
	}
	return authz.Target{UnitID: id, Path: p}, nil
}

// Children returns the direct children of id (0: the roots), in display order.
func (t *Tree) Children(id int64) []org.Unit {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	ids := t.children[id]
	out := make([]org.Unit, 0, len(ids))
	for _, c := range ids {
		u := t.units[c]
		u.Depth = len(t.paths[c]) - 1
		out = append(out, u)
	}
	return out
}

// Contains reports whether id lies in the subtree rooted at root (root
// included).
func (t *Tree) Contains(root, id int64) bool {
	p, ok := t.Path(id)
	return ok && slices.Contains(p, root)
}

// SubtreeIDs returns root and every unit below it, depth first in display
// order.
func (t *Tree) SubtreeIDs(root int64) []int64 {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	if _, ok := t.units[root]; !ok {
		return nil
	}
	var out []int64
	var walk func(id int64)
	walk = func(id int64) {
		out = append(out, id)
		for _, c := range t.children[id] {
			walk(c)
		}
	}
	walk(root)
	return out
}

// Len is the number of units.
func (t *Tree) Len() int {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.units)
}

// Version counts the reloads of this tree: a cache built from the tree is
// current while the version it was built at is.
func (t *Tree) Version() int64 {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.version
}

// Ancestors returns the units above id, root first (id itself excluded),
// whatever their validity dates; nil for a root or an unknown unit.
func (t *Tree) Ancestors(id int64) []org.Unit {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	p := t.paths[id]
	if len(p) < 2 {
		return nil
	}
	out := make([]org.Unit, 0, len(p)-1)
	for i, a := range p[:len(p)-1] {
		u := t.units[a]
		u.Depth = i
		out = append(out, u)
	}
	return out
}

// ChildrenAt returns the direct children of id valid on date at (id 0: the
// units without a parent), in display order.
func (t *Tree) ChildrenAt(id int64, at string) []org.Unit {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []org.Unit
	for _, c := range t.children[id] {
		u := t.units[c]
		if c == id || !u.ValidOn(at) {
			continue
		}
		if id == 0 && u.ParentID != 0 {
			continue // a unit whose parent is unknown is not a root here
		}
		u.Depth = len(t.paths[c]) - 1
		out = append(out, u)
	}
	return out
}

// At returns every unit valid on date at, depth first in display order, with
// Depth counted from the listing's roots: a unit whose parent is not valid
// on at is a root of the listing.
func (t *Tree) At(at string) []org.Unit {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]org.Unit, 0, len(t.units)/2)
	for _, id := range t.order {
		u := t.units[id]
		if !u.ValidOn(at) {
			continue
		}
		if p, ok := t.units[u.ParentID]; ok && u.ParentID != id && p.ValidOn(at) {
			continue // listed under its parent
		}
		out = t.walkAt(out, id, at, 0)
	}
	return out
}

// SubtreeAt returns root (whatever its dates) and every unit below it valid
// on date at, depth first in display order, Depth counted from root (0). A
// unit not valid on at hides its own subtree. ok is false for an unknown
// root.
func (t *Tree) SubtreeAt(root int64, at string) (units []org.Unit, ok bool) {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	if _, ok := t.units[root]; !ok {
		return nil, false
	}
	return t.walkAt(nil, root, at, 0), true
}

// walkAt appends id and its descendants valid on at; the caller holds mu.
// A parent cycle (which the store refuses) would stop at depth 64.
func (t *Tree) walkAt(out []org.Unit, id int64, at string, depth int) []org.Unit {
	if depth > 64 {
		return out
	}
	u := t.units[id]
	u.Depth = depth
	out = append(out, u)
	for _, c := range t.children[id] {
		if c != id && t.units[c].ValidOn(at) {
			out = t.walkAt(out, c, at, depth+1)
		}
	}
	return out
}

// CountAt counts the units valid on at, of the given kinds (none: every kind).
func (t *Tree) CountAt(at string, kinds ...org.Kind) int {
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := 0
	for _, u := range t.units {
		if u.ValidOn(at) && (len(kinds) == 0 || slices.Contains(kinds, u.Kind)) {
			n++
		}
	}
	return n
}

// TreeSearch narrows [Tree.Search].
type TreeSearch struct {
	Query  string   // matched with or without diacritics (textfold)
	At     string   // only units valid on this date; "" for any date
	Kind   org.Kind // "" for every kind
	Limit  int
	Offset int
}

// Search returns the window [Offset, Offset+Limit) of the units whose folded
// name contains the folded query, ordered by folded name then validity
// start, and how many match in all.
func (t *Tree) Search(f TreeSearch) ([]org.Unit, int) {
	q := textfold.Fold(f.Query)
	t.fresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []org.Unit
	total := 0
	for _, id := range t.byName {
		u := t.units[id]
		if (f.Kind != "" && u.Kind != f.Kind) || (f.At != "" && !u.ValidOn(f.At)) || !strings.Contains(t.folded[id], q) {
			continue
		}
		if total >= f.Offset && len(out) < f.Limit {
			u.Depth = len(t.paths[id]) - 1
			out = append(out, u)
		}
		total++
	}
	return out, total
}
