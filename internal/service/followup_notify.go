package service

// Notifications that people's actions trigger: a formal urge and a new
// recommendation notify the unit's heads and officers, a response tells the
// inspection's team — each in the reader's language, by e-mail too when SMTP
// is configured. They are written in the transaction of the action itself.

import (
	"context"
	"strconv"

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
func (f *FollowUp) note(r store.Recipient, unitID int64, link, mailLink string, text func(l i18n.Locale) (string, string)) store.NewNotification {
	subject, body := text(i18n.Default().For(r.Locale))
	n := store.NewNotification{UserID: r.UserID, UnitID: unitID, Subject: subject, Body: body, Link: link}
	if f.cfg.SMTP.Addr != "" && r.Email != "" {
		n.Email, n.MailBody = r.Email, followup.MailBody(f.cfg, body, mailLink)
	}
	return n
}

// unitNotes builds one notification per head or officer of unitID. An empty
// link is filled in by the store from the new row's id.
func (f *FollowUp) unitNotes(ctx context.Context, unitID int64, mailLink string, text func(l i18n.Locale) (string, string)) ([]store.NewNotification, error) {
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
