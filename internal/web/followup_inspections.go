package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/jobs"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/store"
)

type inspectionsData struct {
	Items     []store.Inspection
	Pager     pager
	CanCreate bool
}

const inspectionsPageSize = 20

// inspectionScope is what a principal may see: plans touching units in the
// subtrees where they may read inspections, and plans they are a member of.
func inspectionScope(p *server.Principal) store.Scope {
	all, roots := followup.ScopeRoots(p.Grants, authz.ActionInspectionRead)
	return store.Scope{All: all, Roots: roots, UserID: p.User.ID}
}

func canCreateInspection(p *server.Principal) bool {
	all, roots := followup.ScopeRoots(p.Grants, authz.ActionInspectionManage)
	return all || len(roots) > 0
}

func (w *Web) inspections(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	ctx := r.Context()
	sc := inspectionScope(p)
	d := inspectionsData{CanCreate: canCreateInspection(p)}
	_, total, err := w.d.Store.ListInspections(ctx, sc, w.fuToday(), 1, 0)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, inspectionsPageSize)
	if d.Items, _, err = w.d.Store.ListInspections(ctx, sc, w.fuToday(), inspectionsPageSize, d.Pager.Offset()); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "followup_inspections", w.page(rw, r, "followup.inspections.title", d))
}

type inspectionFormData struct {
	Form      followup.InspectionInput
	Members   string
	LeadUnits []store.UnitRef
	Units     []store.UnitRef
	Kinds     []string
	Statuses  []string
	Errors    followup.Errors
}

func (d inspectionFormData) Chosen(id int64) bool { return slices.Contains(d.Form.UnitIDs, id) }

func (w *Web) inspectionNew(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	if !canCreateInspection(p) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	w.inspectionForm(rw, r, http.StatusOK, inspectionFormData{Form: followup.InspectionInput{Kind: followup.Inspection, Status: followup.StatusPlanned}})
}

func (w *Web) inspectionForm(rw http.ResponseWriter, r *http.Request, status int, d inspectionFormData) {
	ctx := r.Context()
	p := server.PrincipalFrom(ctx)
	var err error
	if d.LeadUnits, err = w.fuUnitChoices(ctx, p, authz.ActionInspectionManage); err != nil {
		w.fail(rw, r, err)
		return
	}
	us, err := w.d.Store.UnitsAt(ctx, w.fuToday())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, u := range us {
		d.Units = append(d.Units, store.UnitRef{ID: u.ID, Name: fuIndent(u.Depth, u.Name)})
	}
	d.Kinds, d.Statuses = followup.InspectionKinds, followup.InspectionStatuses
	w.render(rw, r, status, "followup_inspection_new", w.page(rw, r, "followup.inspections.new", d))
}

func (w *Web) createInspection(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	in := followup.InspectionInput{
		Kind: r.PostFormValue("kind"), Topic: strings.TrimSpace(r.PostFormValue("topic")),
		LeadUnitID: fuFormID(r, "lead_unit_id"), StartOn: r.PostFormValue("start_on"), EndOn: r.PostFormValue("end_on"),
		Team: strings.TrimSpace(r.PostFormValue("team")), Status: r.PostFormValue("status"),
	}
	for _, v := range r.PostForm["unit_ids"] {
		var id int64
		if _, err := fmt.Sscan(v, &id); err == nil && id > 0 && !slices.Contains(in.UnitIDs, id) {
			in.UnitIDs = append(in.UnitIDs, id)
		}
	}
	if in.LeadUnitID != 0 && !w.require(rw, r, authz.ActionInspectionManage, in.LeadUnitID) {
		return
	}
	if in.LeadUnitID == 0 && !canCreateInspection(p) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	members := strings.TrimSpace(r.PostFormValue("members"))
	errs := in.Check()
	ids, unknown, err := w.d.Store.UsersByName(ctx, strings.FieldsFunc(members, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' }))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if len(unknown) > 0 {
		errs["members"] = "followup.unknown_users"
	}
	for _, u := range in.UnitIDs {
		if _, err := w.d.Store.GetUnit(ctx, u); err != nil {
			errs["unit_ids"] = "followup.bad_choice"
		}
	}
	if len(errs) > 0 {
		w.inspectionForm(rw, r, http.StatusUnprocessableEntity, inspectionFormData{Form: in, Members: members, Errors: errs})
		return
	}
	in.MemberIDs = ids
	id, err := w.d.Store.CreateInspection(ctx, actor(r), in)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.inspections.created", id), http.StatusSeeOther)
}

type inspectionData struct {
	In         store.Inspection
	CanManage  bool
	Respond    map[int64]bool // recommendation id → the principal may respond
	Statuses   []string
	Today      string
	FindErrors followup.Errors
	RecErrors  followup.Errors
}

// loadInspection fetches a plan and checks that the principal may see it.
func (w *Web) loadInspection(rw http.ResponseWriter, r *http.Request) (store.Inspection, *server.Principal, bool) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return store.Inspection{}, nil, false
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return store.Inspection{}, nil, false
	}
	in, err := w.d.Store.GetInspection(r.Context(), id, w.fuToday())
	if err != nil {
		w.fail(rw, r, err)
		return in, nil, false
	}
	if !w.canSeeInspection(r, p, in) {
		w.fail(rw, r, server.ErrForbidden)
		return in, nil, false
	}
	return in, p, true
}

func (w *Web) canSeeInspection(r *http.Request, p *server.Principal, in store.Inspection) bool {
	ctx := r.Context()
	if w.d.Can(ctx, authz.ActionInspectionRead, in.LeadUnitID) || w.d.Can(ctx, authz.ActionInspectionManage, in.LeadUnitID) {
		return true
	}
	for _, u := range in.Units {
		if w.d.Can(ctx, authz.ActionInspectionRead, u.ID) {
			return true
		}
	}
	for _, m := range in.Members {
		if m.ID == p.User.ID {
			return true
		}
	}
	return false
}

func (w *Web) canRespond(r *http.Request, p *server.Principal, unitID int64) bool {
	t, err := w.d.Target(r.Context(), unitID)
	return err == nil && followup.UnitStaff(p.Grants, t)
}

func (w *Web) inspection(rw http.ResponseWriter, r *http.Request) {
	in, p, ok := w.loadInspection(rw, r)
	if !ok {
		return
	}
	w.inspectionPage(rw, r, http.StatusOK, in, p, nil, nil)
}

func (w *Web) inspectionPage(rw http.ResponseWriter, r *http.Request, status int, in store.Inspection, p *server.Principal, fe, re followup.Errors) {
	d := inspectionData{In: in, CanManage: w.d.Can(r.Context(), authz.ActionInspectionManage, in.LeadUnitID),
		Respond: map[int64]bool{}, Statuses: followup.InspectionStatuses, Today: w.fuToday(), FindErrors: fe, RecErrors: re}
	for _, rec := range in.Recs {
		d.Respond[rec.ID] = d.CanManage || w.canRespond(r, p, rec.UnitID)
	}
	pg := w.page(rw, r, "followup.inspections.title", d)
	pg.Title = in.Topic
	w.render(rw, r, status, "followup_inspection", pg)
}

func (w *Web) inspectionStatus(rw http.ResponseWriter, r *http.Request) {
	in, _, ok := w.loadInspection(rw, r)
	if !ok || !w.require(rw, r, authz.ActionInspectionManage, in.LeadUnitID) || !w.form(rw, r) {
		return
	}
	st := r.PostFormValue("status")
	if !slices.Contains(followup.InspectionStatuses, st) {
		w.errorPage(rw, r, http.StatusUnprocessableEntity)
		return
	}
	if err := w.d.Store.SetInspectionStatus(r.Context(), actor(r), in.ID, st); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved", in.ID), http.StatusSeeOther)
}

func inspected(in store.Inspection, unitID int64) bool {
	for _, u := range in.Units {
		if u.ID == unitID {
			return true
		}
	}
	return false
}

func (w *Web) addFinding(rw http.ResponseWriter, r *http.Request) {
	in, p, ok := w.loadInspection(rw, r)
	if !ok || !w.require(rw, r, authz.ActionInspectionManage, in.LeadUnitID) || !w.form(rw, r) {
		return
	}
	unitID, text := fuFormID(r, "unit_id"), strings.TrimSpace(r.PostFormValue("text"))
	errs := followup.CheckFinding(unitID, text)
	if unitID != 0 && !inspected(in, unitID) {
		errs["unit_id"] = followup.MsgBadChoice
	}
	if len(errs) > 0 {
		w.inspectionPage(rw, r, http.StatusUnprocessableEntity, in, p, errs, nil)
		return
	}
	if _, err := w.d.Store.AddFinding(r.Context(), actor(r), in.ID, unitID, text); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved#findings", in.ID), http.StatusSeeOther)
}

func (w *Web) addRecommendation(rw http.ResponseWriter, r *http.Request) {
	in, p, ok := w.loadInspection(rw, r)
	if !ok || !w.require(rw, r, authz.ActionInspectionManage, in.LeadUnitID) || !w.form(rw, r) {
		return
	}
	rec := store.Recommendation{InspectionID: in.ID, UnitID: fuFormID(r, "unit_id"), Owner: strings.TrimSpace(r.PostFormValue("owner")),
		Text: strings.TrimSpace(r.PostFormValue("text")), DueOn: r.PostFormValue("due_on")}
	errs := followup.CheckRecommendation(rec.UnitID, rec.Owner, rec.Text, rec.DueOn)
	if rec.UnitID != 0 && !inspected(in, rec.UnitID) {
		errs["unit_id"] = followup.MsgBadChoice
	}
	if len(errs) > 0 {
		w.inspectionPage(rw, r, http.StatusUnprocessableEntity, in, p, nil, errs)
		return
	}
	if err := jobs.AddRecommendation(r.Context(), w.d.Store, w.d.Cfg, actor(r), in.Topic, &rec); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved#rec-%d", in.ID, rec.ID), http.StatusSeeOther)
}

func (w *Web) respondRecommendation(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	rec, err := w.d.Store.GetRecommendation(ctx, id, w.fuToday())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	in, err := w.d.Store.GetInspection(ctx, rec.InspectionID, w.fuToday())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !w.canRespond(r, p, rec.UnitID) && !w.d.Can(ctx, authz.ActionInspectionManage, in.LeadUnitID) {
		w.fail(rw, r, server.ErrForbidden)
		return
	}
	if !w.form(rw, r) {
		return
	}
	response, done := strings.TrimSpace(r.PostFormValue("response")), r.PostFormValue("done") == "1"
	if errs := followup.CheckResponse(response, done); len(errs) > 0 {
		http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.rec.response_required#rec-%d", in.ID, id), http.StatusSeeOther)
		return
	}
	if err := jobs.RespondRecommendation(ctx, w.d.Store, w.d.Cfg, actor(r), rec, in, response, done); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved#rec-%d", in.ID, id), http.StatusSeeOther)
}
