package web

// Inspection and supervision plans: the handlers decode the form, call
// service.FollowUp and render; visibility and permission are the service's.

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

type inspectionsData struct {
	Items     []service.Inspection
	Pager     pager
	CanCreate bool
}

const inspectionsPageSize = 20

func (w *Web) inspections(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	ctx := r.Context()
	fu := w.d.Svc.FollowUp
	d := inspectionsData{CanCreate: fu.CanCreateInspection(p)}
	pageNo := intParam(r, "page", 1)
	items, total, err := fu.Inspections(ctx, p, inspectionsPageSize, (min(pageNo, 1<<20)-1)*inspectionsPageSize)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Pager = newPager(r, total, inspectionsPageSize)
	if d.Pager.Page != pageNo {
		if items, _, err = fu.Inspections(ctx, p, inspectionsPageSize, d.Pager.Offset()); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	d.Items = items
	w.render(rw, r, http.StatusOK, "followup_inspections", w.page(rw, r, "followup.inspections.title", d))
}

type inspectionFormData struct {
	Form      service.InspectionInput
	Members   string
	LeadUnits []service.UnitRef
	Units     []service.UnitRef
	Kinds     []string
	Statuses  []string
	Errors    map[string]string
}

func (d inspectionFormData) Chosen(id int64) bool { return slices.Contains(d.Form.UnitIDs, id) }

func (w *Web) inspectionNew(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	if !w.d.Svc.FollowUp.CanCreateInspection(p) {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	w.inspectionForm(rw, r, http.StatusOK, inspectionFormData{Form: service.InspectionInput{Kind: followup.Inspection, Status: followup.StatusPlanned}})
}

func (w *Web) inspectionForm(rw http.ResponseWriter, r *http.Request, status int, d inspectionFormData) {
	p := server.PrincipalFrom(r.Context())
	// Inspected units, like the lead unit, lie where the principal manages inspections.
	units := fuUnitRefs(w.d.Svc.FollowUp.UnitChoices(p, authz.ActionInspectionManage))
	d.LeadUnits, d.Units = units, units
	d.Kinds, d.Statuses = followup.InspectionKinds, followup.InspectionStatuses
	w.render(rw, r, status, "followup_inspection_new", w.page(rw, r, "followup.inspections.new", d))
}

func (w *Web) createInspection(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	members := r.PostFormValue("members")
	in := service.InspectionInput{
		Kind: r.PostFormValue("kind"), Topic: r.PostFormValue("topic"),
		LeadUnitID: fuFormID(r, "lead_unit_id"), StartOn: r.PostFormValue("start_on"), EndOn: r.PostFormValue("end_on"),
		Team: r.PostFormValue("team"), Status: r.PostFormValue("status"),
		MemberNames: strings.FieldsFunc(members, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' }),
	}
	for _, v := range r.PostForm["unit_ids"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			id = -1 // refused by the service as an unknown unit
		}
		in.UnitIDs = append(in.UnitIDs, id)
	}
	got, err := w.d.Svc.FollowUp.CreateInspection(r.Context(), p, in)
	var inv *service.InvalidError
	if errors.As(err, &inv) {
		errs := FieldMessages(server.LocaleFrom(r.Context()), inv)
		if m, ok := errs["member_ids"]; ok {
			errs["members"] = m
		}
		w.inspectionForm(rw, r, http.StatusUnprocessableEntity, inspectionFormData{Form: in, Members: members, Errors: errs})
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.inspections.created", got.ID), http.StatusSeeOther)
}

type inspectionData struct {
	In         service.Inspection
	CanManage  bool
	Respond    map[int64]bool // recommendation id → the principal may respond
	Statuses   []string
	Today      string
	FindErrors map[string]string
	RecErrors  map[string]string
}

func (w *Web) inspection(rw http.ResponseWriter, r *http.Request) {
	w.inspectionPage(rw, r, http.StatusOK, nil, nil)
}

// inspectionPage shows the plan of the path's id, with the errors of a
// finding or recommendation form that was refused.
func (w *Web) inspectionPage(rw http.ResponseWriter, r *http.Request, status int, fe, re map[string]string) {
	p := w.fuPrincipal(rw, r)
	if p == nil {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, err := w.d.Svc.FollowUp.Inspection(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := inspectionData{In: v.Inspection, CanManage: v.CanManage, Respond: v.Respond, Statuses: followup.InspectionStatuses, Today: v.Today,
		FindErrors: fe, RecErrors: re}
	pg := w.page(rw, r, "followup.inspections.title", d)
	pg.Title = v.Topic
	w.render(rw, r, status, "followup_inspection", pg)
}

// inspectionPost decodes the path id and the form of a POST on a plan.
func (w *Web) inspectionPost(rw http.ResponseWriter, r *http.Request) (*server.Principal, int64, bool) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return nil, 0, false
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return nil, 0, false
	}
	return p, id, true
}

func (w *Web) inspectionStatus(rw http.ResponseWriter, r *http.Request) {
	p, id, ok := w.inspectionPost(rw, r)
	if !ok {
		return
	}
	if err := w.d.Svc.FollowUp.SetInspectionStatus(r.Context(), p, id, r.PostFormValue("status")); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved", id), http.StatusSeeOther)
}

func (w *Web) addFinding(rw http.ResponseWriter, r *http.Request) {
	p, id, ok := w.inspectionPost(rw, r)
	if !ok {
		return
	}
	_, err := w.d.Svc.FollowUp.AddFinding(r.Context(), p, id, service.FindingInput{UnitID: fuFormID(r, "unit_id"), Text: r.PostFormValue("text")})
	var inv *service.InvalidError
	if errors.As(err, &inv) {
		w.inspectionPage(rw, r, http.StatusUnprocessableEntity, FieldMessages(server.LocaleFrom(r.Context()), inv), nil)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved#findings", id), http.StatusSeeOther)
}

func (w *Web) addRecommendation(rw http.ResponseWriter, r *http.Request) {
	p, id, ok := w.inspectionPost(rw, r)
	if !ok {
		return
	}
	rec, err := w.d.Svc.FollowUp.AddRecommendation(r.Context(), p, id, service.RecommendationInput{UnitID: fuFormID(r, "unit_id"),
		Owner: r.PostFormValue("owner"), Text: r.PostFormValue("text"), DueOn: r.PostFormValue("due_on")})
	var inv *service.InvalidError
	if errors.As(err, &inv) {
		w.inspectionPage(rw, r, http.StatusUnprocessableEntity, nil, FieldMessages(server.LocaleFrom(r.Context()), inv))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved#rec-%d", id, rec.ID), http.StatusSeeOther)
}

func (w *Web) respondRecommendation(rw http.ResponseWriter, r *http.Request) {
	p := w.fuPrincipal(rw, r)
	if p == nil || !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	rec, err := w.d.Svc.FollowUp.Respond(r.Context(), p, id, service.ResponseInput{Response: r.PostFormValue("response"), Done: r.PostFormValue("done") == "1"})
	var inv *service.InvalidError
	if errors.As(err, &inv) {
		// The response form sits in a list: come back to it with a message.
		if rv, err := w.d.Svc.FollowUp.Recommendation(r.Context(), p, id); err == nil {
			http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.rec.response_required#rec-%d", rv.InspectionID, id), http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/inspections/%d?flash=followup.saved#rec-%d", rec.InspectionID, id), http.StatusSeeOther)
}
