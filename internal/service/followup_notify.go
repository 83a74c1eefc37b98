package service

// Notifications that people's actions trigger: a formal urge and a new
// recommendation notify the unit's heads and officers, a response tells the
// inspection's team; each step of the reporting and programme loop (a report
// submitted, returned or accepted, a task assigned, an inspection opened, a
// finding recorded) tells the people it concerns — each in the reader's language, by
// e-mail too when SMTP is configured. They are written in the transaction of
// the action itself, so a step that fails notifies nobody.

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/store"
)

// displayName is how a principal signs an urge.
func displayName(p *Principal) string {
	if p.User.FullName != "" {
		return p.User.FullName
	}
	if p.User.Username != "" {
		return p.User.Username
	}
	return "system"
}

// note builds one notification to r, with its e-mail when SMTP is on.
func (f *base) note(r store.Recipient, unitID int64, link, mailLink string, text func(l i18n.Locale) (string, string)) store.NewNotification {
	subject, body := text(i18n.Default().For(r.Locale))
	n := store.NewNotification{UserID: r.UserID, UnitID: unitID, Subject: subject, Body: body, Link: link}
	if f.cfg.SMTP.Addr != "" && r.Email != "" {
		n.Email, n.MailBody = r.Email, followup.MailBody(f.cfg, body, mailLink)
	}
	return n
}

// unitNotes builds one notification per head or officer of unitID. An empty
// link is filled in by the store from the new row's id.
func (f *base) unitNotes(ctx context.Context, unitID int64, mailLink string, text func(l i18n.Locale) (string, string)) ([]store.NewNotification, error) {
	rs, err := f.st.UnitRecipients(ctx, unitID)
	if err != nil {
		return nil, unavailable("recipients", err)
	}
	out := make([]store.NewNotification, 0, len(rs))
	for _, r := range rs {
		out = append(out, f.note(r, unitID, "", mailLink, text))
	}
	return out, nil
}

// sendUrge records u (checked) and notifies the unit.
func (f *FollowUp) sendUrge(ctx context.Context, p *Principal, u *Urge) error {
	unit, _ := f.tree.Unit(u.UnitID)
	sender := displayName(p)
	notes, err := f.unitNotes(ctx, u.UnitID, "/urges", func(l i18n.Locale) (string, string) {
		return followup.UrgeText(l, unit.Name, u.TemplateName, followup.PeriodLabel(l, u.PeriodType, u.PeriodYear, u.PeriodNumber), sender, u.Message)
	})
	if err != nil {
		return err
	}
	u.SentByName = sender
	if err := f.st.CreateUrge(ctx, p.Actor(), u, notes); err != nil {
		return unavailable("send urge", err)
	}
	u.UnitName = unit.Name
	return nil
}

// addRecommendation stores r (checked) and notifies its unit.
func (f *FollowUp) addRecommendation(ctx context.Context, p *Principal, topic string, r *Recommendation) error {
	notes, err := f.unitNotes(ctx, r.UnitID, "/inspections/"+strconv.FormatInt(r.InspectionID, 10), func(l i18n.Locale) (string, string) {
		return followup.RecommendationText(l, topic, r.Text, r.DueOn)
	})
	if err != nil {
		return err
	}
	return unavailable("add recommendation", f.st.AddRecommendation(ctx, p.Actor(), r, notes))
}

// respond records a response (checked) and tells the team members who have
// accounts, except the one responding.
func (f *FollowUp) respond(ctx context.Context, p *Principal, rec Recommendation, in Inspection, response string, done bool) error {
	var ids []int64
	for _, m := range in.Members {
		if m.ID != p.UserID() {
			ids = append(ids, m.ID)
		}
	}
	rs, err := f.st.UserRecipients(ctx, ids)
	if err != nil {
		return unavailable("recipients", err)
	}
	link := "/inspections/" + strconv.FormatInt(in.ID, 10) + "#rec-" + strconv.FormatInt(rec.ID, 10)
	notes := make([]store.NewNotification, 0, len(rs))
	for _, r := range rs {
		notes = append(notes, f.note(r, rec.UnitID, link, link, func(l i18n.Locale) (string, string) {
			return followup.ResponseText(l, rec.UnitName, rec.Text, response, done)
		}))
	}
	return unavailable("respond", f.st.RespondRecommendation(ctx, p.Actor(), rec.ID, response, done, notes))
}

// Kinds of the notifications that workflow steps create.
const (
	KindReportSubmitted   = "report_submitted"   // to the reviewers of the unit
	KindReportReturned    = "report_returned"    // to the unit, with the comment
	KindReportAccepted    = "report_accepted"    // to the unit
	KindTaskAssigned      = "task_assigned"      // to the assigned unit
	KindInspectionOpened  = "inspection_opened"  // to the inspected units' heads
	KindInspectionFinding = "inspection_finding" // to the inspected unit
)

// withKind sets the kind of every note.
func withKind(ns []store.NewNotification, kind string) []store.NewNotification {
	for i := range ns {
		ns[i].Kind = kind
	}
	return ns
}

// recipientNotes builds one note per recipient about unitID, with link.
func (f *base) recipientNotes(rs []store.Recipient, unitID int64, kind, link string, text func(l i18n.Locale) (string, string)) []store.NewNotification {
	out := make([]store.NewNotification, 0, len(rs))
	for _, r := range rs {
		n := f.note(r, unitID, link, link, text)
		n.Kind = kind
		out = append(out, n)
	}
	return out
}

// headNotes builds one note per unit head of unitID (held on exactly that unit).
func (f *base) headNotes(ctx context.Context, unitID int64, kind, link string, text func(l i18n.Locale) (string, string)) ([]store.NewNotification, error) {
	gs, err := f.st.UnitGrants(ctx, unitID)
	if err != nil {
		return nil, unavailable("recipients", err)
	}
	var ids []int64
	for _, g := range gs {
		if g.Role == authz.RoleUnitHead && !slices.Contains(ids, g.UserID) {
			ids = append(ids, g.UserID)
		}
	}
	rs, err := f.st.UserRecipients(ctx, ids)
	if err != nil {
		return nil, unavailable("recipients", err)
	}
	return f.recipientNotes(rs, unitID, kind, link, text), nil
}

// reviewerNotes builds one note per person who may review the reports of
// unitID, by the rule the review use case applies (authz.CanReview on the
// unit's place in the tree), except the one acting.
func (f *base) reviewerNotes(ctx context.Context, unitID, except int64, link string, text func(l i18n.Locale) (string, string)) ([]store.NewNotification, error) {
	t, err := f.tree.Target(unitID)
	if err != nil {
		return nil, err
	}
	held := map[int64][]authz.Grant{}
	var ids []int64
	for _, u := range t.Path {
		gs, err := f.st.UnitGrants(ctx, u)
		if err != nil {
			return nil, unavailable("recipients", err)
		}
		for _, g := range gs {
			if _, ok := held[g.UserID]; !ok {
				ids = append(ids, g.UserID)
			}
			held[g.UserID] = append(held[g.UserID], authz.Grant{Role: g.Role, UnitID: g.UnitID})
		}
	}
	var reviewers []int64
	for _, id := range ids {
		if id != except && authz.CanReview(held[id], t) {
			reviewers = append(reviewers, id)
		}
	}
	rs, err := f.st.UserRecipients(ctx, reviewers)
	if err != nil {
		return nil, unavailable("recipients", err)
	}
	return f.recipientNotes(rs, unitID, KindReportSubmitted, link, text), nil
}

// reportLink is the page of report id.
func reportLink(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) }

// reportWhat names a report: its template, period and unit.
func reportWhat(l i18n.Locale, rep Report) (template, period, unit string) {
	return rep.TemplateName, followup.PeriodLabel(l, string(rep.PeriodType), rep.PeriodYear, rep.PeriodNumber), rep.UnitName
}

// submitNotes tells the reviewers of rep's unit that p submitted it.
func (f *base) submitNotes(ctx context.Context, p *Principal, rep Report) ([]store.NewNotification, error) {
	sender := displayName(p)
	return f.reviewerNotes(ctx, rep.UnitID, p.UserID(), reportLink(rep.ID), func(l i18n.Locale) (string, string) {
		tpl, period, unit := reportWhat(l, rep)
		return l.T("followup.step.submitted_subject", tpl, unit), l.T("followup.step.submitted_body", sender, tpl, period, unit)
	})
}

// reviewNotes tells rep's unit that p returned or accepted it, with comment.
func (f *base) reviewNotes(ctx context.Context, p *Principal, rep Report, accept bool, comment string) ([]store.NewNotification, error) {
	reviewer := displayName(p)
	kind, key := KindReportReturned, "returned"
	if accept {
		kind, key = KindReportAccepted, "accepted"
	}
	link := reportLink(rep.ID)
	rs, err := f.st.UnitRecipients(ctx, rep.UnitID)
	if err != nil {
		return nil, unavailable("recipients", err)
	}
	var out []store.NewNotification
	for _, r := range rs {
		if r.UserID == p.UserID() {
			continue
		}
		n := f.note(r, rep.UnitID, link, link, func(l i18n.Locale) (string, string) {
			tpl, period, unit := reportWhat(l, rep)
			body := l.T("followup.step."+key+"_body", reviewer, tpl, period, unit)
			if c := strings.TrimSpace(comment); c != "" {
				body += "\n\n" + l.T("followup.step.comment", c)
			}
			return l.T("followup.step."+key+"_subject", tpl, unit), body
		})
		n.Kind = kind
		out = append(out, n)
	}
	return out, nil
}

// planLink is the programme plan of unit id.
func planLink(id int64) string { return "/programme/units/" + strconv.FormatInt(id, 10) }

// assignNotes tells each assigned unit's heads and officers about its task.
func (f *base) assignNotes(ctx context.Context, d Directive, task Task, as []Assignment) ([]store.NewNotification, error) {
	var out []store.NewNotification
	for _, a := range as {
		unit, _ := f.tree.Unit(a.UnitID)
		ns, err := f.unitNotes(ctx, a.UnitID, planLink(a.UnitID), func(l i18n.Locale) (string, string) {
			title := ""
			if len(d.Texts) > 0 {
				title = d.Texts[0].Title
				for _, t := range d.Texts {
					if t.Lang == l.Lang() && t.Title != "" {
						title = t.Title
					}
				}
			}
			return l.T("followup.step.assigned_subject", task.Number, d.Number),
				l.T("followup.step.assigned_body", unit.Name, task.Number, d.Number, title, l.T("programme.role."+a.Role), followup.DateLabel(l, a.DueOn))
		})
		if err != nil {
			return nil, err
		}
		for i := range ns {
			ns[i].Link = planLink(a.UnitID)
		}
		out = append(out, withKind(ns, KindTaskAssigned)...)
	}
	return out, nil
}

// inspectionNotes tells the heads of each inspected unit that an inspection
// or supervision of it was opened.
func (f *base) inspectionNotes(ctx context.Context, in followup.InspectionInput) ([]store.NewNotification, error) {
	lead, _ := f.tree.Unit(in.LeadUnitID)
	var out []store.NewNotification
	for _, u := range in.UnitIDs {
		unit, _ := f.tree.Unit(u)
		ns, err := f.headNotes(ctx, u, KindInspectionOpened, "", func(l i18n.Locale) (string, string) {
			kind := l.T("followup.inspection_kind." + in.Kind)
			return l.T("followup.step.inspection_subject", kind, in.Topic),
				l.T("followup.step.inspection_body", in.Topic, lead.Name, unit.Name, followup.DateLabel(l, in.StartOn), followup.DateLabel(l, in.EndOn))
		})
		if err != nil {
			return nil, err
		}
		// The e-mail links to the inspection, whose id the store assigns.
		for i := range ns {
			if ns[i].Email != "" {
				ns[i].MailBody = followup.MailBody(f.cfg, ns[i].Body, store.LinkPending)
			}
		}
		out = append(out, ns...)
	}
	return out, nil
}

// findingNotes tells the inspected unit's heads and officers about a finding.
func (f *base) findingNotes(ctx context.Context, in Inspection, unitID int64, text string) ([]store.NewNotification, error) {
	unit, _ := f.tree.Unit(unitID)
	ns, err := f.unitNotes(ctx, unitID, "/inspections/"+strconv.FormatInt(in.ID, 10), func(l i18n.Locale) (string, string) {
		return l.T("followup.step.finding_subject", in.Topic), l.T("followup.step.finding_body", in.Topic, unit.Name, text)
	})
	return withKind(ns, KindInspectionFinding), err
}
