package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
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
	// TreeHTML is the whole tree on At, rendered once per date and
	// language while the organisation is unchanged.
	TreeHTML template.HTML
	Pager    pager
	// CanManage: the visitor may create and import units.
	CanManage bool
}

const unitsPageSize = 50

// unitCaller is the request's principal; an anonymous visitor is
// represented by its client address, which the service's rate limits count.
func unitCaller(r *http.Request) *service.Principal {
	if p := server.PrincipalFrom(r.Context()); p != nil {
		return p
	}
	return &service.Principal{IP: server.ClientIP(r)}
}

// unitDate reads ?at= as a date, defaulting to today in Vietnam by the
// store's clock; ok is false when malformed.
func (w *Web) unitDate(r *http.Request) (string, bool) {
	s := r.URL.Query().Get("at")
	if s == "" {
		return w.d.Svc.Units.Today(), true
	}
	d, err := org.ParseDate(s)
	return d, err == nil
}

func (w *Web) units(rw http.ResponseWriter, r *http.Request) {
	at, ok := w.unitDate(r)
	if !ok {
		w.errorDetail(rw, r, http.StatusBadRequest, "units.bad_date")
		return
	}
	d := unitsData{Q: strings.TrimSpace(r.URL.Query().Get("q")), At: at, Today: w.d.Svc.Units.Today(), Kinds: org.Kinds}
	if k := r.URL.Query().Get("kind"); k != "" {
		kind, err := org.ParseKind(k)
		if err != nil {
			w.errorDetail(rw, r, http.StatusBadRequest, "units.bad_kind")
			return
		}
		d.Kind = kind
	}
	// A search box sends what was typed: keep the first characters.
	if utf8.RuneCountInString(d.Q) > service.UnitQueryMax {
		d.Q = string([]rune(d.Q)[:service.UnitQueryMax])
	}
	ctx, p := r.Context(), unitCaller(r)
	units := w.d.Svc.Units
	if d.Q != "" || d.Kind != "" {
		d.Searching = true
		q := service.UnitSearch{Query: d.Q, At: at, Kind: d.Kind, Limit: 1}
		_, total, err := units.Search(ctx, p, q)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.Pager = newPager(r, total, unitsPageSize)
		q.Limit, q.Offset = unitsPageSize, d.Pager.Offset()
		if d.Results, d.Total, err = units.Search(ctx, p, q); err != nil {
			w.fail(rw, r, err)
			return
		}
	} else {
		l := server.LocaleFrom(ctx)
		html, err := units.Rendered(ctx, p, service.UnitList{At: at}, "web.tree."+l.Lang(), func(us []org.Unit) ([]byte, error) {
			var buf bytes.Buffer
			frag := Page{L: l, Data: unitsData{At: at, Total: len(us), Tree: buildTree(us)}}
			err := w.pages["units"].ExecuteTemplate(&buf, "unit-tree", frag)
			return buf.Bytes(), err
		})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.TreeHTML = template.HTML(html) // rendered by html/template above
	}
	d.CanManage = w.d.Svc.Can(server.PrincipalFrom(ctx), authz.ActionUnitManage, 0)
	w.render(rw, r, http.StatusOK, "units", w.page(rw, r, "units.title", d))
}

type unitData struct {
	Unit                     org.Unit
	At, DayBefore            string
	Ancestors, Children      []org.Unit
	Successors, Predecessors []org.Successor
	ShowGrants               bool
	Grants                   []service.UnitGrant
	// CanManage: the visitor may edit and close the unit.
	CanManage bool
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
	at, ok := w.unitDate(r)
	if !ok {
		w.errorDetail(rw, r, http.StatusBadRequest, "units.bad_date")
		return
	}
	ctx, p := r.Context(), unitCaller(r)
	units := w.d.Svc.Units
	// Viewing a unit that no longer exists: show it as of its last day.
	v, err := units.Get(ctx, p, service.UnitQuery{ID: id, At: at, LastDay: true})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := unitData{Unit: v.Unit, At: v.At, Ancestors: v.Ancestors, Children: v.Children,
		Successors: v.Successors, Predecessors: v.Predecessors, DayBefore: service.DayBefore(v.Unit.ValidFrom)}
	d.CanManage = w.d.Svc.Can(server.PrincipalFrom(ctx), authz.ActionUnitManage, 0)
	if units.CanSeeGrants(p, id) {
		d.ShowGrants = true
		if d.Grants, err = units.Grants(ctx, p, id); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	pg := w.page(rw, r, "units.title", d)
	pg.Title = v.Unit.Name
	w.render(rw, r, http.StatusOK, "unit", pg)
}
