package service

import (
	"context"
	"errors"

	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/legal"
	"github.com/danvan/danvan/internal/store"
)

// Bounds and message keys of the deadline rules.
const (
	DeadlineMaxDays      = 365
	DeadlineKeyMax       = 100
	DeadlineNameMax      = 200
	DeadlineBasisMax     = 2000
	MsgDeadlineRule      = "deadlines.error.unknown_rule"
	MsgDeadlineKey       = "deadlines.error.bad_key"
	MsgDeadlineNotYet    = "deadlines.error.not_in_force" // %s: the start date, dd/mm/yyyy
	MsgDeadlineNotLater  = "deadlines.error.not_later"    // %s: the latest effective date, dd/mm/yyyy
	MsgDeadlineRemoteMin = "deadlines.error.remote_shorter"
)

// Deadlines is the legal-deadline capability: the rules of citizen cases
// (complaints, denunciations, feedback, mediation) versioned by effective
// date, and the due date of a case counted on the working-day calendar in
// force (see internal/legal). Reads are public; new versions are for
// administrators, validated and audited. A version is never edited: a new
// one with a later effective date replaces it from that date.
type Deadlines struct {
	base
	rules readCache[[]store.DeadlineRule]
}

func newDeadlines(b base) *Deadlines { return &Deadlines{base: b} }

// versions reads every stored version of every rule.
func (s *Deadlines) versions(ctx context.Context) ([]legal.Rule, error) {
	rows, err := s.rules.get(ctx, s.st.DeadlineRules)
	if err != nil {
		return nil, unavailable("deadline rules", err)
	}
	out := make([]legal.Rule, 0, len(rows))
	for _, r := range rows {
		from, err := calendar.ParseDate(r.EffectiveFrom)
		if err != nil {
			continue // refused on the way in; a hand-edited row is ignored
		}
		out = append(out, legal.Rule{Key: r.Key, Days: r.Days, WorkingDays: r.WorkingDays, RemoteDays: r.RemoteDays,
			EffectiveFrom: from, Basis: r.Basis, Name: r.Name})
	}
	return out, nil
}

// Due returns the last day of the period of rule key for a case that
// started on start (the start day is not counted), in a remote and
// disadvantaged area or not, with the version of the rule in force on start.
// An unknown key is an [*InvalidError] on field "rule"; a key with no version
// in force on start, on field "start".
func (s *Deadlines) Due(ctx context.Context, key string, start calendar.Date, remote bool) (calendar.Date, legal.Rule, error) {
	if start.IsZero() {
		return calendar.Date{}, legal.Rule{}, Invalid("start", MsgRequired)
	}
	if start.Year() < CalendarMinYear || start.Year() > CalendarMaxYear {
		return calendar.Date{}, legal.Rule{}, Invalid("start", MsgBadDate)
	}
	rules, err := s.versions(ctx)
	if err != nil {
		return calendar.Date{}, legal.Rule{}, err
	}
	if !legal.Known(rules, key) {
		return calendar.Date{}, legal.Rule{}, Invalid("rule", MsgDeadlineRule)
	}
	r, ok := legal.Pick(rules, key, start)
	if !ok {
		return calendar.Date{}, legal.Rule{}, Invalid("start", MsgDeadlineNotYet, dmy(start))
	}
	return legal.Due(s.st.WorkingCalendar(ctx), r, start, remote), r, nil
}

// Rules lists the version of every rule in force on day on (the zero Date:
// today in Vietnam), by key. Public.
func (s *Deadlines) Rules(ctx context.Context, on calendar.Date) ([]legal.Rule, error) {
	if on.IsZero() {
		on = calendar.DateOf(s.Now().In(Vietnam))
	}
	rules, err := s.versions(ctx)
	if err != nil {
		return nil, err
	}
	return legal.InForce(rules, on), nil
}

// Versions lists every version of key (all keys if key is empty), oldest
// first. Public.
func (s *Deadlines) Versions(ctx context.Context, key string) ([]legal.Rule, error) {
	rules, err := s.versions(ctx)
	if err != nil || key == "" {
		return rules, err
	}
	var out []legal.Rule
	for _, r := range rules {
		if r.Key == key {
			out = append(out, r)
		}
	}
	return out, nil
}

// RuleInput is a new version of a deadline rule. RemoteDays 0 means the same
// period in remote areas.
type RuleInput struct {
	Key           string
	Days          int
	WorkingDays   bool
	RemoteDays    int
	EffectiveFrom string
	Basis         string
	Name          string
}

// AddVersion stores a new version of a rule (or the first of a new key),
// in force from in.EffectiveFrom, which must be later than every stored
// version of the key. Administrators only; audited.
func (s *Deadlines) AddVersion(ctx context.Context, p *Principal, in RuleInput) (legal.Rule, error) {
	if !p.IsAdmin() {
		if anonymousCaller(p) {
			return legal.Rule{}, ErrUnauthenticated
		}
		return legal.Rule{}, ErrForbidden
	}
	var v Validator
	in.Key = v.Line("key", in.Key, 1, DeadlineKeyMax)
	if !v.Has("key") && !legal.ValidKey(in.Key) {
		v.Add("key", MsgDeadlineKey)
	}
	v.Int("days", int64(in.Days), 1, DeadlineMaxDays)
	if in.RemoteDays != 0 {
		v.Int("remote_days", int64(in.RemoteDays), 1, DeadlineMaxDays)
		if !v.Has("remote_days") && !v.Has("days") && in.RemoteDays < in.Days {
			v.Add("remote_days", MsgDeadlineRemoteMin)
		}
	}
	in.EffectiveFrom = v.Date("effective_from", in.EffectiveFrom, true)
	in.Name = v.Line("name", in.Name, 1, DeadlineNameMax)
	in.Basis = v.Text("basis", in.Basis, 1, DeadlineBasisMax)
	if err := v.Err(); err != nil {
		return legal.Rule{}, err
	}
	from := calendar.MustParseDate(in.EffectiveFrom)
	stored, err := s.Versions(ctx, in.Key)
	if err != nil {
		return legal.Rule{}, err
	}
	for _, r := range stored {
		if !from.After(r.EffectiveFrom) {
			return legal.Rule{}, Invalid("effective_from", MsgDeadlineNotLater, dmy(stored[len(stored)-1].EffectiveFrom))
		}
	}
	defer s.rules.drop()
	_, err = s.st.AddDeadlineRule(ctx, p.Actor(), store.DeadlineRule{Key: in.Key, Days: in.Days, WorkingDays: in.WorkingDays,
		RemoteDays: in.RemoteDays, EffectiveFrom: in.EffectiveFrom, Basis: in.Basis, Name: in.Name})
	if errors.Is(err, ErrConflict) {
		return legal.Rule{}, Invalid("effective_from", MsgDeadlineNotLater, dmy(from))
	}
	if err != nil {
		return legal.Rule{}, unavailable("add deadline rule", err)
	}
	return legal.Rule{Key: in.Key, Days: in.Days, WorkingDays: in.WorkingDays, RemoteDays: in.RemoteDays,
		EffectiveFrom: from, Basis: in.Basis, Name: in.Name}, nil
}

// dmy formats a date dd/mm/yyyy for a message.
func dmy(d calendar.Date) string { return d.Time().Format("02/01/2006") }

// CanEdit reports whether p may add rule versions.
func (s *Deadlines) CanEdit(p *Principal) bool { return p.IsAdmin() }

// RuleKeys are the keys of the default rules, sorted (the API documents them).
func RuleKeys() []string { return legal.DefaultKeys() }
