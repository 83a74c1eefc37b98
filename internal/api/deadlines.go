package api

import (
	"net/http"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/legal"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// The legal deadlines of citizen cases, part of the calendar feature: the
// public due-date computation, the rules in force, and new rule versions
// (administrators).

// DeadlineAnswer is the answer of GET /calendar/deadline.
type DeadlineAnswer struct {
	Start         string `json:"start"`
	Rule          string `json:"rule"`
	Remote        bool   `json:"remote"`
	Due           string `json:"due"`
	Days          int    `json:"days"`
	WorkingDays   bool   `json:"working_days"`
	Basis         string `json:"basis"`
	EffectiveFrom string `json:"effective_from"`
}

// DeadlineRule is one version of a deadline rule.
type DeadlineRule struct {
	Key           string `json:"key"`
	Name          string `json:"name"`
	Days          int    `json:"days"`
	WorkingDays   bool   `json:"working_days"`
	RemoteDays    int    `json:"remote_days"`
	EffectiveFrom string `json:"effective_from"`
	Basis         string `json:"basis"`
}

// DeadlineRules is the answer of GET /calendar/rules.
type DeadlineRules struct {
	On    string         `json:"on"`
	Items []DeadlineRule `json:"items"`
}

// DeadlineRuleCreate is a new version of a rule (POST /calendar/rules).
type DeadlineRuleCreate struct {
	Key           string `json:"key"`
	Name          string `json:"name"`
	Days          int    `json:"days"`
	WorkingDays   bool   `json:"working_days"`
	RemoteDays    int    `json:"remote_days"`
	EffectiveFrom string `json:"effective_from"`
	Basis         string `json:"basis"`
}

func deadlineRuleOf(r legal.Rule) DeadlineRule {
	return DeadlineRule{Key: r.Key, Name: r.Name, Days: r.Days, WorkingDays: r.WorkingDays, RemoteDays: r.RemoteDays,
		EffectiveFrom: r.EffectiveFrom.String(), Basis: r.Basis}
}

func deadlineRoutes() []route {
	return []route{
		{"GET", Prefix + "/calendar/deadline", false, (*api).calendarDeadline},
		{"GET", Prefix + "/calendar/rules", false, (*api).calendarRules},
		{"POST", Prefix + "/calendar/rules", true, (*api).calendarAddRule},
	}
}

func deadlineOps() map[string]op {
	date := obj{"type": "string", "format": "date"}
	return map[string]op{
		"GET " + Prefix + "/calendar/deadline": {
			tag: "calendar", summary: "The legal deadline of a citizen case (public)",
			desc: "Counts the period of `rule` from `start` with the version of the rule in force on `start`, on the working-day calendar in force (statutory holidays and the yearly decisions). " +
				"The start day is not counted (Civil Code Art. 147); a working-day rule counts working days; a calendar-day rule ending on a weekly rest day or a holiday ends on the next working day (Art. 148). " +
				"`remote=1` takes the longer period of remote and disadvantaged areas where the rule has one. Rules added by administrators are accepted too. " +
				"A missing or bad date, an unknown rule, a rule not yet in force on `start` or a bad `remote` answers 400.",
			params: []obj{
				param("start", "query", "Day the period starts after (YYYY-MM-DD, 1900–2100): receipt, acceptance, assignment…", date, true),
				param("rule", "query", "Rule key.", obj{"type": "string", "enum": service.RuleKeys()}, true),
				param("remote", "query", "1 or true for a case in a remote and disadvantaged area; 0, false or omitted otherwise.", obj{"type": "string", "enum": []string{"0", "1", "true", "false"}}, false),
			},
			status: 200, schema: ref("DeadlineAnswer"), errs: []int{400}, security: optionalAuth,
		},
		"GET " + Prefix + "/calendar/rules": {
			tag: "calendar", summary: "The deadline rules in force (public)",
			desc:   "The version of every rule in force on `on` (default: today in Vietnam), by key. A bad date answers 400.",
			params: []obj{param("on", "query", "YYYY-MM-DD; default today.", date, false)},
			status: 200, schema: ref("DeadlineRules"), errs: []int{400}, security: optionalAuth,
		},
		"POST " + Prefix + "/calendar/rules": {
			tag: "calendar", summary: "Add a version of a deadline rule (administrators)",
			desc: "Versions are never edited: the new one applies to cases starting on or after `effective_from`, which must be later than every stored version of the key. " +
				"A new key must be lower-case words separated by dots. Days 1–365; remote_days 0 (same) or at least days. Audited.",
			params: []obj{paramRef("csrf")}, body: "DeadlineRuleCreate",
			status: 201, schema: ref("DeadlineRule"), errs: []int{400, 401, 403, 413, 415, 422},
		},
	}
}

func deadlineSchemas() obj {
	date := obj{"type": "string", "format": "date"}
	rule := obj{
		"key": obj{"type": "string", "pattern": `^[a-z]+(\.[a-z]+)*$`, "maxLength": service.DeadlineKeyMax}, "name": str("The rule's name (Vietnamese)."),
		"days": obj{"type": "integer", "minimum": 1, "maximum": service.DeadlineMaxDays}, "working_days": obj{"type": "boolean", "description": "Working days (ngày làm việc) rather than calendar days."},
		"remote_days":    obj{"type": "integer", "minimum": 0, "maximum": service.DeadlineMaxDays, "description": "Period in remote and disadvantaged areas; 0: the same as days."},
		"effective_from": date, "basis": str("Legal basis (Vietnamese)."),
	}
	return obj{
		"DeadlineAnswer": object([]string{"start", "rule", "remote", "due", "days", "working_days", "basis", "effective_from"}, obj{
			"start": date, "rule": obj{"type": "string"}, "remote": obj{"type": "boolean"},
			"due":  obj{"type": "string", "format": "date", "description": "Last day of the period (it ends at the close of that day)."},
			"days": obj{"type": "integer", "description": "Days counted (the remote period when remote applies)."}, "working_days": obj{"type": "boolean"},
			"basis": str("Legal basis of the version applied (Vietnamese)."), "effective_from": obj{"type": "string", "format": "date", "description": "Effective date of the version applied."},
		}),
		"DeadlineRules":      object([]string{"on", "items"}, obj{"on": date, "items": arrayOf(ref("DeadlineRule"))}),
		"DeadlineRule":       object([]string{"key", "name", "days", "working_days", "remote_days", "effective_from", "basis"}, rule),
		"DeadlineRuleCreate": object([]string{"key", "name", "days", "effective_from", "basis"}, rule),
	}
}

// legalDateParam reads a YYYY-MM-DD query parameter (required or not).
func legalDateParam(r *http.Request, name string, required bool) (calendar.Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		if required {
			return calendar.Date{}, badParam(name, msgFieldRequired)
		}
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil || d.Year() < service.CalendarMinYear || d.Year() > service.CalendarMaxYear {
		return calendar.Date{}, badParam(name, service.MsgBadDate)
	}
	return d, nil
}

// calendarDeadline: GET /calendar/deadline?start=&rule=&remote= (public).
func (a *api) calendarDeadline(w http.ResponseWriter, r *http.Request) error {
	start, err := legalDateParam(r, "start", true)
	if err != nil {
		return err
	}
	key := r.URL.Query().Get("rule")
	if key == "" {
		return badParam("rule", msgFieldRequired)
	}
	var remote bool
	switch r.URL.Query().Get("remote") {
	case "", "0", "false":
	case "1", "true":
		remote = true
	default:
		return badParam("remote", service.MsgBadChoice)
	}
	due, rule, err := a.d.Svc.Deadlines.Due(r.Context(), key, start, remote)
	if inv, ok := service.AsInvalid(err); ok && len(inv.Fields) > 0 {
		f := inv.Fields[0]
		return newProblem(http.StatusBadRequest, kindBadParameter, detailBadParam, fieldErr{field: f.Field, msg: f.Key, args: f.Args})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, DeadlineAnswer{Start: start.String(), Rule: rule.Key, Remote: remote, Due: due.String(),
		Days: rule.DaysFor(remote), WorkingDays: rule.WorkingDays, Basis: rule.Basis, EffectiveFrom: rule.EffectiveFrom.String()})
}

// calendarRules: GET /calendar/rules?on= (public).
func (a *api) calendarRules(w http.ResponseWriter, r *http.Request) error {
	on, err := legalDateParam(r, "on", false)
	if err != nil {
		return err
	}
	if on.IsZero() {
		on = calendar.DateOf(a.d.Svc.Deadlines.Now().In(calendar.Vietnam))
	}
	rules, err := a.d.Svc.Deadlines.Rules(r.Context(), on)
	if err != nil {
		return err
	}
	out := DeadlineRules{On: on.String(), Items: []DeadlineRule{}}
	for _, x := range rules {
		out.Items = append(out.Items, deadlineRuleOf(x))
	}
	return writeJSON(w, http.StatusOK, out)
}

// calendarAddRule: POST /calendar/rules (administrators).
func (a *api) calendarAddRule(w http.ResponseWriter, r *http.Request) error {
	var body DeadlineRuleCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	rule, err := a.d.Svc.Deadlines.AddVersion(r.Context(), server.PrincipalFrom(r.Context()), service.RuleInput{
		Key: body.Key, Name: body.Name, Days: body.Days, WorkingDays: body.WorkingDays, RemoteDays: body.RemoteDays,
		EffectiveFrom: body.EffectiveFrom, Basis: body.Basis})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, deadlineRuleOf(rule))
}
