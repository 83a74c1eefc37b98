package api

import (
	"maps"
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// The working-day calendar: public reads of a year's days off and of the
// lunar date, and the yearly decisions administrators record (Tết and
// National Day days, bridge days, swapped working weekends) with their
// source documents.

// Holiday is one day off beyond the weekly rest days, or a weekend day made
// a working day (kind "working_weekend").
type Holiday struct {
	Date        string           `json:"date"`
	Name        string           `json:"name"`
	Kind        string           `json:"kind"`
	Compensates *string          `json:"compensates,omitempty"`
	Sources     []DecisionSource `json:"sources"`
}

// DecisionSource is the document a day comes from.
type DecisionSource struct {
	Source    string  `json:"source"`
	SourceURL *string `json:"source_url"`
}

// Holidays is the answer of GET /calendar/holidays.
type Holidays struct {
	Year  int       `json:"year"`
	Items []Holiday `json:"items"`
}

// LunarDate is a date of the Vietnamese lunar calendar.
type LunarDate struct {
	Day   int  `json:"day"`
	Month int  `json:"month"`
	Year  int  `json:"year"`
	Leap  bool `json:"leap"`
}

// LunarAnswer is the answer of GET /calendar/lunar.
type LunarAnswer struct {
	Date  string    `json:"date"`
	Lunar LunarDate `json:"lunar"`
}

// Decision is one item of a year's decision.
type Decision struct {
	ID        int64   `json:"id"`
	Year      int     `json:"year"`
	Kind      string  `json:"kind"`
	Day       *string `json:"day"`
	Source    string  `json:"source"`
	SourceURL *string `json:"source_url"`
	CreatedAt string  `json:"created_at"`
}

// Decisions is the answer of GET /calendar/decisions.
type Decisions struct {
	Year  int        `json:"year"`
	Items []Decision `json:"items"`
}

// DecisionCreate adds the days from–to (to omitted: from alone) of one kind.
type DecisionCreate struct {
	Year      int    `json:"year"`
	Kind      string `json:"kind"`
	From      string `json:"from"`
	To        string `json:"to"`
	Source    string `json:"source"`
	SourceURL string `json:"source_url"`
}

func decisionOf(d service.CalendarDecision) Decision {
	return Decision{ID: d.ID, Year: d.Year, Kind: d.Kind, Day: strPtr(d.Day), Source: d.Source, SourceURL: strPtr(d.SourceURL),
		CreatedAt: d.CreatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")}
}

func calendarFeature() feature {
	yearP := param("year", "query", "Gregorian year, 1900–2100.", obj{"type": "integer", "minimum": 1900, "maximum": 2100}, true)
	date := obj{"type": "string", "format": "date"}
	kinds := obj{"type": "string", "enum": service.DecisionKinds}
	source := object([]string{"source", "source_url"}, obj{"source": str("Number and title of the decision, e.g. \"Thông báo 6150/TB-LĐTBXH\"."), "source_url": nullable("string", obj{"format": "uri"})})
	f := newFeature("calendar", "Working days: the statutory holidays (Labour Code Art. 112), the Prime Minister's yearly decisions with their sources, and the Vietnamese lunar calendar. Report deadlines and the legal deadlines of citizen cases (versioned rules) are counted with this calendar.",
		append([]route{
			{"GET", Prefix + "/calendar/holidays", false, (*api).calendarHolidays},
			{"GET", Prefix + "/calendar/lunar", false, (*api).calendarLunar},
			{"GET", Prefix + "/calendar/decisions", false, (*api).calendarDecisions},
			{"POST", Prefix + "/calendar/decisions", true, (*api).calendarAddDecision},
			{"DELETE", Prefix + "/calendar/decisions/{id}", true, (*api).calendarDeleteDecision},
		}, deadlineRoutes()...),
		map[string]op{
			"GET " + Prefix + "/calendar/holidays": {
				tag: "calendar", summary: "Days off of a year (public)",
				desc: "Every holiday and day off beyond the weekly rest days (statutory holidays, compensatory days, days decided for the year), " +
					"plus the weekend days made working days (kind working_weekend), by date, each with the sources of the decisions behind it (none for a day the statute alone gives). " +
					"A bad year answers 400.",
				params: []obj{yearP}, status: 200, schema: ref("Holidays"), errs: []int{400}, security: optionalAuth,
			},
			"GET " + Prefix + "/calendar/lunar": {
				tag: "calendar", summary: "A date in the Vietnamese lunar calendar (public)",
				desc:   "Computed at UTC+7 (Hồ Ngọc Đức's algorithm). A missing or bad date answers 400.",
				params: []obj{param("date", "query", "YYYY-MM-DD, 1900–2100.", date, true)}, status: 200, schema: ref("LunarAnswer"), errs: []int{400}, security: optionalAuth,
			},
			"GET " + Prefix + "/calendar/decisions": {
				tag: "calendar", summary: "The decision items of a year (public)",
				params: []obj{yearP}, status: 200, schema: ref("Decisions"), errs: []int{400}, security: optionalAuth,
			},
			"POST " + Prefix + "/calendar/decisions": {
				tag: "calendar", summary: "Record decision days (administrators)",
				desc: "Adds one item per day from `from` to `to` (at most 31 days; kind no_compensation takes no day). Every day must lie in `year`; a working day must be a weekend day; " +
					"a day already recorded with that kind answers 422. Deadlines computed afterwards follow the new calendar. Audited.",
				params: []obj{paramRef("csrf")}, body: "DecisionCreate",
				status: 201, schema: ref("Decisions"), errs: []int{400, 401, 403, 413, 415, 422},
			},
			"DELETE " + Prefix + "/calendar/decisions/{id}": {
				tag: "calendar", summary: "Remove one decision item (administrators)",
				params: []obj{paramRef("id"), paramRef("csrf")}, status: 204, errs: []int{401, 403, 404},
			},
		},
		obj{
			"Holidays": object([]string{"year", "items"}, obj{"year": obj{"type": "integer"}, "items": arrayOf(ref("Holiday"))}),
			"Holiday": object([]string{"date", "name", "kind", "sources"}, obj{
				"date": date, "name": str("The day's name in the request's language."),
				"kind":        obj{"type": "string", "enum": []string{"new_year", "tet", "hung_kings", "victory_day", "labour_day", "national_day", "recurring", "compensatory", "extra", "working_weekend"}},
				"compensates": obj{"type": "string", "format": "date", "description": "For a compensatory day: the holiday it makes up for."},
				"sources":     arrayOf(source),
			}),
			"LunarAnswer": object([]string{"date", "lunar"}, obj{"date": date, "lunar": object([]string{"day", "month", "year", "leap"}, obj{
				"day": obj{"type": "integer", "minimum": 1, "maximum": 30}, "month": obj{"type": "integer", "minimum": 1, "maximum": 12},
				"year": obj{"type": "integer", "description": "Gregorian number of the lunar year (the year its Tết falls in)."}, "leap": obj{"type": "boolean", "description": "An intercalary (nhuận) month."},
			})}),
			"Decisions": object([]string{"year", "items"}, obj{"year": obj{"type": "integer"}, "items": arrayOf(ref("Decision"))}),
			"Decision": object([]string{"id", "year", "kind", "day", "source", "source_url", "created_at"}, obj{
				"id": obj{"type": "integer", "format": "int64"}, "year": obj{"type": "integer"}, "kind": kinds,
				"day": nullable("string", obj{"format": "date"}), "source": obj{"type": "string"}, "source_url": nullable("string", obj{"format": "uri"}),
				"created_at": obj{"type": "string", "format": "date-time"},
			}),
			"DecisionCreate": object([]string{"year", "kind", "source"}, obj{
				"year": obj{"type": "integer", "minimum": 1900, "maximum": 2100}, "kind": kinds,
				"from": date, "to": obj{"type": "string", "format": "date", "description": "Last day of a range; omitted: from alone."},
				"source":     obj{"type": "string", "maxLength": service.CalendarSourceMax},
				"source_url": obj{"type": "string", "maxLength": service.CalendarURLMax, "description": "http(s) address of the document; optional."},
			}),
		})
	maps.Copy(f.ops, deadlineOps())
	maps.Copy(f.schemas, deadlineSchemas())
	return f
}

// yearParam reads a required ?year= in the calendar's range.
func yearParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, badParam("year", msgFieldRequired)
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < service.CalendarMinYear || y > service.CalendarMaxYear {
		return 0, newProblem(http.StatusBadRequest, kindBadParameter, detailBadParam,
			fieldErr{field: "year", msg: service.MsgRange, args: []any{service.CalendarMinYear, service.CalendarMaxYear}})
	}
	return y, nil
}

// calendarHolidays: GET /calendar/holidays?year= (public).
func (a *api) calendarHolidays(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r)
	if err != nil {
		return err
	}
	days, err := a.d.Svc.Calendar.Holidays(r.Context(), year)
	if err != nil {
		return err
	}
	l := a.locale(r)
	out := Holidays{Year: year, Items: []Holiday{}}
	for _, d := range days {
		h := Holiday{Date: d.Date, Kind: d.Kind, Name: d.Name, Sources: []DecisionSource{}}
		switch {
		case h.Name != "":
		case d.Compensates != "":
			h.Name = l.T("calendar.kind.compensatory_for", l.DateString(d.Compensates))
		default:
			h.Name = l.T("calendar.kind." + d.Kind)
		}
		if d.Compensates != "" {
			c := d.Compensates
			h.Compensates = &c
		}
		for _, s := range d.Sources {
			h.Sources = append(h.Sources, DecisionSource{Source: s.Source, SourceURL: strPtr(s.SourceURL)})
		}
		out.Items = append(out.Items, h)
	}
	return writeJSON(w, http.StatusOK, out)
}

// calendarLunar: GET /calendar/lunar?date= (public).
func (a *api) calendarLunar(w http.ResponseWriter, r *http.Request) error {
	date := r.URL.Query().Get("date")
	if date == "" {
		return badParam("date", msgFieldRequired)
	}
	lu, err := a.d.Svc.Calendar.Lunar(date)
	if inv, ok := service.AsInvalid(err); ok && len(inv.Fields) > 0 {
		return badParam("date", inv.Fields[0].Key)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, LunarAnswer{Date: date, Lunar: LunarDate{Day: lu.Day, Month: lu.Month, Year: lu.Year, Leap: lu.Leap}})
}

// calendarDecisions: GET /calendar/decisions?year= (public).
func (a *api) calendarDecisions(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r)
	if err != nil {
		return err
	}
	ds, err := a.d.Svc.Calendar.Decisions(r.Context(), year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, decisionsOf(year, ds))
}

func decisionsOf(year int, ds []service.CalendarDecision) Decisions {
	out := Decisions{Year: year, Items: []Decision{}}
	for _, d := range ds {
		out.Items = append(out.Items, decisionOf(d))
	}
	return out
}

// calendarAddDecision: POST /calendar/decisions (administrators).
func (a *api) calendarAddDecision(w http.ResponseWriter, r *http.Request) error {
	var body DecisionCreate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	ds, err := a.d.Svc.Calendar.AddDecision(r.Context(), server.PrincipalFrom(r.Context()), service.DecisionInput{
		Year: body.Year, Kind: body.Kind, From: body.From, To: body.To, Source: body.Source, SourceURL: body.SourceURL})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, decisionsOf(body.Year, ds))
}

// calendarDeleteDecision: DELETE /calendar/decisions/{id} (administrators).
func (a *api) calendarDeleteDecision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.d.Svc.Calendar.DeleteDecision(r.Context(), server.PrincipalFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
