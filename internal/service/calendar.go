package service

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/store"
)

// CalendarDecision is one item of a year's decision on days off with its
// source document.
type CalendarDecision = store.CalendarDecision

// Kinds of decision items (see [store.DecisionKinds]).
const (
	DecisionTet            = store.DecisionTet
	DecisionNationalDay    = store.DecisionNationalDay
	DecisionExtra          = store.DecisionExtra
	DecisionWorking        = store.DecisionWorking
	DecisionRemoved        = store.DecisionRemoved
	DecisionNoCompensation = store.DecisionNoCompensation
)

// DecisionKinds lists the kinds of decision items in display order.
var DecisionKinds = store.DecisionKinds

// Bounds and message keys of the calendar decisions.
const (
	CalendarMinYear    = 1900
	CalendarMaxYear    = 2100
	CalendarSourceMax  = 300
	CalendarURLMax     = 500
	CalendarMaxRange   = 31 // days one item may cover
	MsgCalendarYear    = "calendar.error.wrong_year"
	MsgCalendarWeekend = "calendar.error.not_weekend"
	MsgCalendarURL     = "calendar.error.bad_url"
	MsgCalendarRange   = "calendar.error.range_too_long"
)

// CalendarService is the working-day calendar capability: the yearly
// decisions on days off (Tết and National Day days, bridge days, swapped
// working weekends) that make report deadlines follow the government's
// decisions rather than the bare statute. Reads are public; writes are for
// administrators, validated with [calendar.Calendar.Validate] and audited.
// The calendar is kept in memory by the store and reloaded after a write;
// every deadline the services compute ([ReportCalendar]) uses it.
type CalendarService struct {
	base
}

func newCalendar(b base) *CalendarService { return &CalendarService{base: b} }

// Calendar is the working-day calendar in force: the statute and the
// stored decisions.
func (s *CalendarService) Calendar(ctx context.Context) calendar.Calendar {
	return s.st.WorkingCalendar(ctx)
}

func calendarYear(v *Validator, year int) {
	v.Int("year", int64(year), CalendarMinYear, CalendarMaxYear)
}

// Decisions lists the decision items of year, by day. Public.
func (s *CalendarService) Decisions(ctx context.Context, year int) ([]CalendarDecision, error) {
	var v Validator
	calendarYear(&v, year)
	if err := v.Err(); err != nil {
		return nil, err
	}
	ds, err := s.st.CalendarDecisions(ctx, year)
	if err != nil {
		return nil, unavailable("calendar decisions", err)
	}
	return ds, nil
}

// DecisionInput adds the days From–To (To empty: From alone) of one kind to
// a year's decision, with the document that decided them. A
// no_compensation item takes no day.
type DecisionInput struct {
	Year      int
	Kind      string
	From, To  string
	Source    string
	SourceURL string
}

// AddDecision records the days of in, one item per day, after checking that
// the calendar with them is valid: every day in the year, a working weekend
// on a weekend day, no day recorded twice. Administrators only.
func (s *CalendarService) AddDecision(ctx context.Context, p *Principal, in DecisionInput) ([]CalendarDecision, error) {
	if err := s.admin(p); err != nil {
		return nil, err
	}
	var v Validator
	calendarYear(&v, in.Year)
	in.Kind = v.Choice("kind", in.Kind, DecisionKinds...)
	in.Source = v.Line("source", in.Source, 1, CalendarSourceMax)
	in.SourceURL = v.Line("source_url", in.SourceURL, 0, CalendarURLMax)
	if in.SourceURL != "" && !v.Has("source_url") && !strings.HasPrefix(in.SourceURL, "https://") && !strings.HasPrefix(in.SourceURL, "http://") {
		v.Add("source_url", MsgCalendarURL)
	}
	var days []string
	if in.Kind == DecisionNoCompensation {
		days = []string{""}
	} else if !v.Has("kind") {
		days = decisionDays(&v, in)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	stored, err := s.st.CalendarDecisions(ctx, in.Year)
	if err != nil {
		return nil, unavailable("calendar decisions", err)
	}
	items := make([]CalendarDecision, 0, len(days))
	for _, d := range days {
		items = append(items, CalendarDecision{Year: in.Year, Kind: in.Kind, Day: d, Source: in.Source, SourceURL: in.SourceURL})
	}
	if err := validDecisions(append(slices.Clone(stored), items...)); err != nil {
		return nil, err
	}
	added, err := s.st.AddCalendarDecisions(ctx, p.Actor(), items)
	if errors.Is(err, ErrConflict) {
		return nil, Invalid("from", "calendar.error.duplicate")
	}
	if err != nil {
		return nil, unavailable("add calendar decision", err)
	}
	return added, nil
}

// decisionDays checks in's From–To and returns its days.
func decisionDays(v *Validator, in DecisionInput) []string {
	from := v.Date("from", in.From, true)
	to := v.Date("to", in.To, false)
	if v.Has("from") || v.Has("to") {
		return nil
	}
	f := calendar.MustParseDate(from)
	t := f
	if to != "" {
		t = calendar.MustParseDate(to)
	}
	switch {
	case f.Year() != in.Year:
		v.Add("from", MsgCalendarYear, in.Year)
	case t.Year() != in.Year:
		v.Add("to", MsgCalendarYear, in.Year)
	case t.Before(f):
		v.Add("to", MsgDateOrder)
	case t.Sub(f) >= CalendarMaxRange:
		v.Add("to", MsgCalendarRange, CalendarMaxRange)
	}
	if v.Has("from") || v.Has("to") {
		return nil
	}
	var days []string
	for d := f; !d.After(t); d = d.AddDays(1) {
		days = append(days, d.String())
	}
	return days
}

// validDecisions checks the calendar the decisions make, naming the field
// of the form that adds an item.
func validDecisions(ds []CalendarDecision) error {
	var v Validator
	seen := map[[3]any]bool{}
	for _, d := range ds {
		k := [3]any{d.Year, d.Kind, d.Day}
		if seen[k] {
			v.Add("from", "calendar.error.duplicate")
			return v.Err()
		}
		seen[k] = true
	}
	err := store.CalendarOf(ds).Validate()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, calendar.ErrWorkingWeekendDay):
		v.Add("from", MsgCalendarWeekend)
	default:
		v.Add("from", MsgBadDate)
	}
	return v.Err()
}

// DeleteDecision removes one decision item. Administrators only.
func (s *CalendarService) DeleteDecision(ctx context.Context, p *Principal, id int64) error {
	if err := s.admin(p); err != nil {
		return err
	}
	if err := s.st.DeleteCalendarDecision(ctx, p.Actor(), id); err != nil {
		return unavailable("delete calendar decision", err)
	}
	return nil
}

// Decision returns one decision item (for a confirmation page). Public.
func (s *CalendarService) Decision(ctx context.Context, id int64) (CalendarDecision, error) {
	d, err := s.st.CalendarDecision(ctx, id)
	if err != nil {
		return d, unavailable("calendar decision", err)
	}
	return d, nil
}

// CanEdit reports whether p may change the decisions.
func (s *CalendarService) CanEdit(p *Principal) bool { return p.IsAdmin() }

func (s *CalendarService) admin(p *Principal) error {
	if p.IsAdmin() {
		return nil
	}
	if anonymousCaller(p) {
		return ErrUnauthenticated
	}
	return ErrForbidden
}

// DayOff is one day off of a year, or a weekend day made a working day
// (Kind "working_weekend"), with the decision items behind it.
type DayOff struct {
	Date string
	// Kind is a [calendar.HolidayKind] or "working_weekend".
	Kind string
	// Name is a configured holiday's name; empty for the statutory ones
	// (their names are catalog keys "calendar.kind.<kind>").
	Name string
	// Compensates is, for a compensatory day, the holiday it makes up for.
	Compensates string
	// Sources are the documents of the decision items on that day; none
	// for a day the statute alone gives.
	Sources []CalendarDecision
}

// KindWorkingWeekend marks a weekend day made a working day in [DayOff].
const KindWorkingWeekend = "working_weekend"

// Holidays lists the days off of year beyond the weekly rest days, and the
// weekend days made working days, by date, with their sources. Public.
func (s *CalendarService) Holidays(ctx context.Context, year int) ([]DayOff, error) {
	ds, err := s.Decisions(ctx, year)
	if err != nil {
		return nil, err
	}
	bySource := map[string][]CalendarDecision{}
	for _, d := range ds {
		bySource[d.Day] = append(bySource[d.Day], d)
	}
	cal := s.Calendar(ctx)
	var out []DayOff
	for _, h := range cal.Holidays(year) {
		x := DayOff{Date: h.Date.String(), Kind: string(h.Kind), Name: h.Name, Sources: bySource[h.Date.String()]}
		if !h.Compensates.IsZero() {
			x.Compensates = h.Compensates.String()
		}
		out = append(out, x)
	}
	for _, d := range cal.Overrides[year].WorkingWeekends {
		out = append(out, DayOff{Date: d.String(), Kind: KindWorkingWeekend, Sources: bySource[d.String()]})
	}
	slices.SortStableFunc(out, func(a, b DayOff) int { return strings.Compare(a.Date, b.Date) })
	return out, nil
}

// Lunar converts a YYYY-MM-DD date (field "date") to the Vietnamese lunar
// calendar. Public.
func (s *CalendarService) Lunar(date string) (calendar.Lunar, error) {
	var v Validator
	date = v.Date("date", date, true)
	if err := v.Err(); err != nil {
		return calendar.Lunar{}, err
	}
	return calendar.SolarToLunar(calendar.MustParseDate(date)), nil
}
