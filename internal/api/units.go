package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// Unit is a unit as the API shows it. Absent values are null, not missing.
type Unit struct {
	ID        int64    `json:"id"`
	Code      *string  `json:"code"`
	Kind      org.Kind `json:"kind"`
	Name      string   `json:"name"`
	ParentID  *int64   `json:"parent_id"`
	Remote    bool     `json:"remote"`
	ValidFrom string   `json:"valid_from"`
	ValidTo   *string  `json:"valid_to"`
	// Depth is set in tree listings (the listing's roots are 0).
	Depth *int `json:"depth,omitempty"`
}

// UnitNode is a unit with its children, for ?tree=1.
type UnitNode struct {
	Unit
	Children []*UnitNode `json:"children"`
}

// Link is a successor or predecessor of a unit.
type Link struct {
	UnitID    int64   `json:"unit_id"`
	Name      string  `json:"name"`
	Code      *string `json:"code"`
	Kind      string  `json:"kind"`
	Portion   string  `json:"portion"`
	Effective string  `json:"effective"`
}

// UnitDetail is one unit with its surroundings on a date.
type UnitDetail struct {
	Unit
	At           string `json:"at"`
	ValidAt      bool   `json:"valid_at"`
	Path         []Unit `json:"path"`
	Children     []Unit `json:"children"`
	Successors   []Link `json:"successors"`
	Predecessors []Link `json:"predecessors"`
}

// UnitTree is the answer to ?tree=1: the roots, nested; Total counts every node.
type UnitTree struct {
	At     string      `json:"at"`
	Items  []*UnitNode `json:"items"`
	Total  int         `json:"total"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
	Next   *string     `json:"next"`
}

// UnitPage is a flat list of units.
type UnitPage struct {
	At string `json:"at,omitempty"`
	Page[Unit]
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func unitOf(u org.Unit) Unit {
	out := Unit{ID: u.ID, Code: strPtr(u.Code), Kind: u.Kind, Name: u.Name, Remote: u.Remote, ValidFrom: u.ValidFrom, ValidTo: strPtr(u.ValidTo)}
	if u.ParentID != 0 {
		p := u.ParentID
		out.ParentID = &p
	}
	return out
}

func unitsOf(us []org.Unit, depth bool) []Unit {
	out := make([]Unit, len(us))
	for i, u := range us {
		out[i] = unitOf(u)
		if depth {
			d := u.Depth
			out[i].Depth = &d
		}
	}
	return out
}

func linksOf(ls []org.Successor, successors bool) []Link {
	out := make([]Link, len(ls))
	for i, l := range ls {
		id := l.PredecessorID
		if successors {
			id = l.SuccessorID
		}
		out[i] = Link{UnitID: id, Name: l.OtherName, Code: strPtr(l.OtherCode), Kind: l.Kind, Portion: l.Portion, Effective: l.Effective}
	}
	return out
}

// nest turns a depth-first list with depths into trees.
func nest(us []org.Unit) []*UnitNode {
	var roots []*UnitNode
	var stack []*UnitNode // stack[d] is the last node seen at depth d
	for _, u := range us {
		n := &UnitNode{Unit: unitOf(u), Children: []*UnitNode{}}
		d := u.Depth
		n.Depth = &d
		if d == 0 || d > len(stack) {
			roots = append(roots, n)
			stack = append(stack[:0], n)
			continue
		}
		parent := stack[d-1]
		parent.Children = append(parent.Children, n)
		stack = append(stack[:d], n)
	}
	if roots == nil {
		roots = []*UnitNode{}
	}
	return roots
}

// unitCaller is the request's principal; an anonymous caller is represented by
// its client address, which the service's rate limits count.
func unitCaller(r *http.Request) *service.Principal {
	if p := server.PrincipalFrom(r.Context()); p != nil {
		return p
	}
	return &service.Principal{IP: server.ClientIP(r)}
}

// listUnits: GET /units — the tree on a date (flat or nested), or a search.
func (a *api) listUnits(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var root int64
	if v := q.Get("root"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return badParam("root", msgFieldBadInt)
		}
		root = id
	}
	return a.units(w, r, root, false)
}

// unitSubtree: GET /units/{id}/subtree — the whole subtree in one call.
func (a *api) unitSubtree(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.units(w, r, id, true)
}

func (a *api) units(w http.ResponseWriter, r *http.Request, root int64, whole bool) error {
	ctx, p := r.Context(), unitCaller(r)
	q := r.URL.Query()
	// The service counts characters; a byte bound here only stops the absurd.
	search, err := textParam(q, "q", 4*service.UnitQueryMax)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(search) > service.UnitQueryMax {
		return badParam("q", msgFieldTooLong)
	}
	var kind org.Kind
	if v := q.Get("kind"); v != "" {
		if kind, err = org.ParseKind(v); err != nil {
			return badParam("kind", msgFieldBadKind)
		}
	}
	tree, err := boolParam(q, "tree")
	if err != nil {
		return err
	}
	pg, err := pageParams(q, true)
	if err != nil {
		return err
	}
	if search != "" {
		switch {
		case whole || root != 0:
			return badParam("q", msgFieldCombine)
		case tree:
			return badParam("tree", msgFieldCombine)
		case pg.All:
			return badParam("limit", msgFieldLimitAll)
		}
		// A search spans every date unless one is asked for.
		at, err := dateParam(q, "at", "")
		if err != nil {
			return err
		}
		us, total, err := a.d.Svc.Units.Search(ctx, p, service.UnitSearch{Query: search, At: at, Kind: kind, Limit: pg.Limit, Offset: pg.Offset})
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, UnitPage{At: at, Page: newPage(a, r, unitsOf(us, false), total, pg)})
	}
	at, err := dateParam(q, "at", a.d.Svc.Units.Today())
	if err != nil {
		return err
	}
	list := service.UnitList{At: at, Root: root, Kind: kind, All: pg.All || whole, Limit: pg.Limit, Offset: pg.Offset}
	if tree {
		if kind != "" {
			return badParam("kind", msgFieldCombine)
		}
		if pg.Offset != 0 {
			return badParam("offset", msgFieldCombine)
		}
		b, err := a.d.Svc.Units.Rendered(ctx, p, list, "api.tree", func(us []org.Unit) ([]byte, error) {
			return json.Marshal(UnitTree{At: at, Items: nest(us), Total: len(us), Limit: len(us)})
		})
		if err != nil {
			return err
		}
		return writeUnitsJSON(w, b)
	}
	if list.All {
		// The whole listing, serialised once per tree version.
		b, err := a.d.Svc.Units.Rendered(ctx, p, list, "api.flat."+string(kind), func(us []org.Unit) ([]byte, error) {
			if kind != "" {
				us = unitsOfKind(us, kind)
			}
			items := unitsOf(us, true)
			return json.Marshal(UnitPage{At: at, Page: Page[Unit]{Items: items, Total: len(items), Limit: len(items)}})
		})
		if err != nil {
			return err
		}
		return writeUnitsJSON(w, b)
	}
	us, total, err := a.d.Svc.Units.List(ctx, p, list)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, UnitPage{At: at, Page: newPage(a, r, unitsOf(us, true), total, pg)})
}

func unitsOfKind(us []org.Unit, k org.Kind) []org.Unit {
	out := make([]org.Unit, 0, len(us)/4)
	for _, u := range us {
		if u.Kind == k {
			out = append(out, u)
		}
	}
	return out
}

// writeUnitsJSON answers 200 with an already encoded JSON body.
func writeUnitsJSON(w http.ResponseWriter, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	_, _ = w.Write([]byte{'\n'})
	return nil
}

// getUnit: GET /units/{id} — the unit, its path, children on ?at, successors
// and predecessors.
func (a *api) getUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	at, err := dateParam(r.URL.Query(), "at", a.d.Svc.Units.Today())
	if err != nil {
		return err
	}
	v, err := a.d.Svc.Units.Get(r.Context(), unitCaller(r), service.UnitQuery{ID: id, At: at})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, UnitDetail{
		Unit: unitOf(v.Unit), At: v.At, ValidAt: v.ValidAt,
		Path: unitsOf(v.Ancestors, false), Children: unitsOf(v.Children, false),
		Successors: linksOf(v.Successors, true), Predecessors: linksOf(v.Predecessors, false),
	})
}
