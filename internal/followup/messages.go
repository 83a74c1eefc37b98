package followup

import (
	"strings"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/i18n"
)

// PeriodLabel names a report period in the locale ("tháng 3/2026", "Q1 2026").
func PeriodLabel(l i18n.Locale, periodType string, year, number int) string {
	switch periodType {
	case "":
		return ""
	case "monthly", "quarterly":
		return l.T("followup.period."+periodType, number, year)
	case "six_month", "nine_month", "annual":
		return l.T("followup.period."+periodType, year)
	}
	return l.T("followup.period.other", periodType, number, year)
}

// DateLabel formats a legal date in the locale.
func DateLabel(l i18n.Locale, d string) string {
	x, err := calendar.ParseDate(d)
	if err != nil {
		return d
	}
	return l.Date(x.Time())
}

// ReminderText is the subject and body of a report reminder.
func ReminderText(l i18n.Locale, s Stage, templateName, unitName, period, due string) (subject, body string) {
	if s.Late {
		return l.T("followup.remind.late_subject", templateName, period, unitName),
			l.N("followup.remind.late_body", s.Days, templateName, period, unitName, DateLabel(l, due), s.Days)
	}
	return l.T("followup.remind.due_subject", templateName, period, DateLabel(l, due)),
		l.T("followup.remind.due_body", templateName, period, unitName, DateLabel(l, due))
}

// UrgeText is the subject and body of a formal urge.
func UrgeText(l i18n.Locale, unitName, templateName, period, sender, message string) (subject, body string) {
	what := templateName
	switch {
	case period != "" && templateName != "":
		what = l.T("followup.urge.what", templateName, period)
	case period != "":
		what = l.T("followup.urge.period_report", period)
	}
	if what == "" {
		return l.T("followup.urge.subject_plain", unitName), l.T("followup.urge.body_plain", sender, message)
	}
	return l.T("followup.urge.subject", what, unitName), l.T("followup.urge.body", sender, what, message)
}

// RecommendationText is the subject and body telling a unit about a recommendation.
func RecommendationText(l i18n.Locale, topic, text, due string) (subject, body string) {
	return l.T("followup.rec.subject", topic), l.T("followup.rec.body", topic, text, DateLabel(l, due))
}

// ResponseText tells the inspection team that a unit answered a recommendation.
func ResponseText(l i18n.Locale, unitName, text, response string, done bool) (subject, body string) {
	state := l.T("followup.rec_status.open")
	if done {
		state = l.T("followup.rec_status.done")
	}
	return l.T("followup.resp.subject", unitName, state), l.T("followup.resp.body", unitName, text, response)
}

// MailBody is a notification's text with the absolute link appended.
func MailBody(cfg config.Config, body, link string) string {
	if link == "" {
		return body
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = "http://" + cfg.Addr
	}
	return body + "\n\n" + base + link + "\n"
}
