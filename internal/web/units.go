package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// node is a unit with its children, for the nested tree view.
type node struct {
	Unit     org.Unit
	Children []*node
}

type nodeCtx struct {
	P Page
	N *node
}

func buildTree(us []org.Unit) []*node {
	byID := make(map[int64]*node, len(us))
	var roots []*node
	for _, u := range us { // depth-first order: parents come first
		n := &node{Unit: u}
		byID[u.ID] = n
		if p, ok := byID[u.ParentID]; ok && u.ParentID != 0 {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

type unitsData struct {
	Q, At, Today string
	Kind         org.Kind
	Kinds        []org.Kind
	Searching    bool
	Results      []org.Unit
	Total        int
	Tree         []*node
	Pager        pager
}

const unitsPageSize = 50

func (w *Web) units(rw http.ResponseWriter, r *http.Request) {
	at, ok := atParam(r)
	if !ok {
		w.errorDetail(rw, r, http.StatusBadRequest, "units.bad_date")
		return
	}
	d := unitsData{Q: strings.TrimSpace(r.URL.Query().Get("q")), At: at, Today: today(), Kinds: org.Kinds}
	if k := r.URL.Query().Get("kind"); k != "" {
		kind, err := org.ParseKind(k)
		if err != nil {
			w.errorDetail(rw, r, http.StatusBadRequest, "units.bad_kind")
			return
		}
		d.Kind = kind
	}
	if len(d.Q) > 200 {
		d.Q = d.Q[:200]
	}
	ctx := r.Context()
	if d.Q != "" || d.Kind != "" {
		d.Searching = true
		_, total, err := w.d.Store.SearchUnits(ctx, store.UnitSearch{Query: d.Q, At: at, Kind: d.Kind, Limit: 1})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.Pager = newPager(r, total, unitsPageSize)
		d.Results, d.Total, err = w.d.Store.SearchUnits(ctx, store.UnitSearch{Query: d.Q, At: at, Kind: d.Kind, Limit: unitsPageSize, Offset: d.Pager.Offset()})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
	} else {
		us, err := w.d.Store.UnitsAt(ctx, at)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.Total = len(us)
		d.Tree = buildTree(us)
	}
	w.render(rw, r, http.StatusOK, "units", w.page(rw, r, "units.title", d))
}

type unitData struct {
	Unit                     org.Unit
	At, DayBefore            string
	Ancestors, Children      []org.Unit
	Successors, Predecessors []org.Successor
	ShowGrants               bool
	Grants                   []store.Grant
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (w *Web) unit(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	at, ok := atParam(r)
	if !ok {
		w.errorDetail(rw, r, http.StatusBadRequest, "units.bad_date")
		return
	}
	ctx := r.Context()
	u, err := w.d.Store.GetUnit(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := unitData{Unit: u, At: at}
	// Viewing a unit that no longer exists: show it as of its last day.
	if !u.ValidOn(at) && u.ValidTo != "" && at > u.ValidTo {
		d.At = u.ValidTo
	}
	if d.Ancestors, err = w.d.Store.Ancestors(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Children, err = w.d.Store.Children(ctx, id, d.At); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Successors, err = w.d.Store.Successors(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Predecessors, err = w.d.Store.Predecessors(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	if t, err := time.Parse(org.DateLayout, u.ValidFrom); err == nil {
		d.DayBefore = t.AddDate(0, 0, -1).Format(org.DateLayout)
	}
	if w.d.Can(ctx, authz.ActionRoleGrant, id) || w.d.Can(ctx, authz.ActionUserManage, id) {
		d.ShowGrants = true
		if d.Grants, err = w.d.Store.UnitGrants(ctx, id); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	p := w.page(rw, r, "units.title", d)
	p.Title = u.Name
	w.render(rw, r, http.StatusOK, "unit", p)
}
