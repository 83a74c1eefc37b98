package jobs

// Notifications that people's actions trigger (not scheduled, but composed
// the same way as reminders): a formal urge and a new recommendation notify
// the unit's heads and officers, in their own language, by e-mail too when
// SMTP is configured. Web and API handlers call these.

import (
	"context"
	"strconv"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/store"
)

// unitNotes builds one notification per head/officer of unitID.
func unitNotes(ctx context.Context, st *store.Store, cfg config.Config, unitID int64, link string, text func(l i18n.Locale) (string, string)) ([]store.NewNotification, error) {
	rs, err := st.UnitRecipients(ctx, unitID)
	if err != nil {
		return nil, err
	}
	var out []store.NewNotification
	for _, r := range rs {
		subject, body := text(i18n.Default().For(r.Locale))
		n := store.NewNotification{UserID: r.UserID, UnitID: unitID, Subject: subject, Body: body, Link: link}
		if cfg.SMTP.Addr != "" && r.Email != "" {
			n.Email = r.Email
			n.MailBody = MailBody(cfg, body, link)
		}
		out = append(out, n)
	}
	return out, nil
}

// SendUrge records a formal urge of u.UnitID by the actor (senderName is
// shown to the unit) and notifies the unit's heads and officers.
func SendUrge(ctx context.Context, st *store.Store, cfg config.Config, a audit.Actor, senderName string, u *store.Urge) error {
	unit, err := st.GetUnit(ctx, u.UnitID)
	if err != nil {
		return err
	}
	if u.TemplateID != 0 && u.TemplateName == "" {
		if u.TemplateName, err = st.TemplateName(ctx, u.TemplateID); err != nil {
			return err
		}
	}
	// The link needs the urge's id, which the store fills in: leave it empty.
	notes, err := unitNotes(ctx, st, cfg, u.UnitID, "", func(l i18n.Locale) (string, string) {
		return followup.UrgeText(l, unit.Name, u.TemplateName, followup.PeriodLabel(l, u.PeriodType, u.PeriodYear, u.PeriodNumber), senderName, u.Message)
	})
	if err != nil {
		return err
	}
	for i := range notes {
		if notes[i].Email != "" {
			notes[i].MailBody = MailBody(cfg, notes[i].Body, "/urges")
		}
	}
	u.SentByName = senderName
	if err := st.CreateUrge(ctx, a, u, notes); err != nil {
		return err
	}
	u.UnitName = unit.Name
	return nil
}

// AddRecommendation stores a recommendation and notifies its unit.
func AddRecommendation(ctx context.Context, st *store.Store, cfg config.Config, a audit.Actor, topic string, r *store.Recommendation) error {
	notes, err := unitNotes(ctx, st, cfg, r.UnitID, "", func(l i18n.Locale) (string, string) {
		return followup.RecommendationText(l, topic, r.Text, r.DueOn)
	})
	if err != nil {
		return err
	}
	for i := range notes {
		if notes[i].Email != "" {
			notes[i].MailBody = MailBody(cfg, notes[i].Body, "/inspections/"+strconv.FormatInt(r.InspectionID, 10))
		}
	}
	return st.AddRecommendation(ctx, a, r, notes)
}

// RespondRecommendation records a unit's response to a recommendation and
// tells the inspection's team members who have accounts.
func RespondRecommendation(ctx context.Context, st *store.Store, cfg config.Config, a audit.Actor, rec store.Recommendation, in store.Inspection, response string, done bool) error {
	var ids []int64
	for _, m := range in.Members {
		if m.ID != a.UserID {
			ids = append(ids, m.ID)
		}
	}
	rs, err := st.UserRecipients(ctx, ids)
	if err != nil {
		return err
	}
	link := "/inspections/" + strconv.FormatInt(in.ID, 10) + "#rec-" + strconv.FormatInt(rec.ID, 10)
	var notes []store.NewNotification
	for _, r := range rs {
		subject, body := followup.ResponseText(i18n.Default().For(r.Locale), rec.UnitName, rec.Text, response, done)
		n := store.NewNotification{UserID: r.UserID, UnitID: rec.UnitID, Subject: subject, Body: body, Link: link}
		if cfg.SMTP.Addr != "" && r.Email != "" {
			n.Email, n.MailBody = r.Email, MailBody(cfg, body, link)
		}
		notes = append(notes, n)
	}
	return st.RespondRecommendation(ctx, a, rec.ID, response, done, notes)
}
