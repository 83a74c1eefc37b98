package service

// Citizen reception by heads (Law on Citizen Reception 42/2013/QH13;
// Regulation 11-QĐi/TW as amended by Conclusion 215-KL/TW 2025). A body's
// leader plans reception sessions; each held session is recorded in the
// reception book — one row per citizen or delegation received, with what
// it was about and how it ended — and closed by a written conclusion
// notice. A visit that opens a case does so through [Cases.Submit] with
// the reception channel and links the case; the book itself keeps no
// visitor's name or address (the case keeps them, encrypted).
//
// Permission: sessions of a unit are managed by those who hold case.handle
// on it (case handlers and unit heads of the subtree, administrators).
// The schedule is public: it carries the leader's name and position, which
// are public information, and no visit.
//
// Minimum frequencies are data ([ReceptionRules]): [Reception.Warnings]
// reports the periods where a leader's planned and held sessions fall
// short.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Reception is the citizen reception capability.
type Reception struct {
	base
	cases *Cases
}

func newReception(b base, cases *Cases) *Reception { return &Reception{base: b, cases: cases} }

// Session statuses, leader positions, visit kinds and outcomes.
const (
	SessionPlanned   = "planned"
	SessionHeld      = "held"
	SessionCancelled = "cancelled"

	PositionChairman        = "chairman"         // Chủ tịch UBND
	PositionViceChairman    = "vice_chairman"    // Phó Chủ tịch UBND
	PositionSecretary       = "party_secretary"  // Bí thư cấp ủy
	PositionDeputySecretary = "deputy_secretary" // Phó Bí thư cấp ủy
	PositionHead            = "head"             // người đứng đầu cơ quan, đơn vị
	PositionOther           = "other"

	VisitFeedback       = "feedback"
	VisitComplaint      = "complaint"
	VisitDenunciation   = "denunciation"
	VisitRecommendation = "recommendation"
	VisitOther          = "other"

	OutcomeGuided     = "guided"      // hướng dẫn, giải thích
	OutcomeCaseOpened = "case_opened" // tiếp nhận đơn: a case is opened
	OutcomeAnswered   = "answered"    // trả lời trực tiếp
	OutcomeRefused    = "refused"     // từ chối tiếp, with the reason

	// Levels of the body a rule applies to.
	LevelCommune  = "commune"
	LevelProvince = "province"
)

// The accepted values.
var (
	SessionStatuses   = []string{SessionPlanned, SessionHeld, SessionCancelled}
	LeaderPositions   = []string{PositionChairman, PositionViceChairman, PositionSecretary, PositionDeputySecretary, PositionHead, PositionOther}
	VisitKinds        = []string{VisitFeedback, VisitRecommendation, VisitComplaint, VisitDenunciation, VisitOther}
	VisitOutcomes     = []string{OutcomeGuided, OutcomeCaseOpened, OutcomeAnswered, OutcomeRefused}
	visitKindCaseKind = map[string]string{VisitFeedback: CaseFeedback, VisitRecommendation: CaseRecommendation,
		VisitComplaint: CaseComplaint, VisitDenunciation: CaseDenunciation, VisitOther: CaseFeedback}
)

// Bounds of the inputs.
const (
	MaxReceptionLine = 300
	MaxReceptionText = 20000
	MaxVisitPeople   = 1000
	MaxReceptionPage = 200
)

// Message keys of the reception capability (reception.*.json).
const (
	MsgReceptionBadTime     = "reception.err.bad_time"
	MsgReceptionTimeOrder   = "reception.err.time_order"
	MsgReceptionCancelled   = "reception.err.cancelled"
	MsgReceptionReason      = "reception.err.reason_required"
	MsgReceptionCaseNeeded  = "reception.err.case_needed"
	MsgReceptionDelegation  = "reception.err.delegation"
	MsgReceptionFuture      = "reception.err.future"
	MsgReceptionConclusion  = "reception.err.conclusion_before"
	MsgReceptionRangeTooBig = "reception.err.range"
)

type (
	// ReceptionSession is a planned, held or cancelled session.
	ReceptionSession = store.ReceptionSession
	// ReceptionVisit is one row of the reception book.
	ReceptionVisit = store.ReceptionVisit
)

// ReceptionRule is a minimum frequency of reception by a leader: at least
// Min days per Period (week: ISO week; month: calendar month, both in
// Vietnam time) for the given position at a body of the given level.
type ReceptionRule struct {
	Position string `json:"position"`
	Level    string `json:"level"`
	Period   string `json:"period"` // week, month
	Min      int    `json:"min"`
	From     string `json:"from"` // in force from
	Source   string `json:"source"`
}

// ReceptionRules are the minimum frequencies in force (DOMAIN §5).
var ReceptionRules = []ReceptionRule{
	{PositionChairman, LevelCommune, "week", 1, "2014-07-01", "Luật Tiếp công dân số 42/2013/QH13, Điều 15 khoản 2"},
	{PositionChairman, LevelProvince, "month", 1, "2014-07-01", "Luật Tiếp công dân số 42/2013/QH13 (trách nhiệm tiếp công dân của Chủ tịch Ủy ban nhân dân cấp tỉnh)"},
	{PositionSecretary, LevelProvince, "month", 1, "2019-02-18", "Quy định số 11-QĐi/TW, sửa đổi theo Kết luận số 215-KL/TW năm 2025"},
	{PositionSecretary, LevelCommune, "month", 2, "2019-02-18", "Quy định số 11-QĐi/TW, sửa đổi theo Kết luận số 215-KL/TW năm 2025"},
}

// receptionRule returns the rule for a position at a level, if any.
func receptionRule(position, level string) (ReceptionRule, bool) {
	for _, r := range ReceptionRules {
		if r.Position == position && r.Level == level {
			return r, true
		}
	}
	return ReceptionRule{}, false
}

// UnitLevel is the level of the body a unit is, for the frequency rules:
// a commune, ward or special zone and the People's Committee or Party
// committee of one, and a Party committee directly under the provincial
// one, are commune level; the province, its People's Committee and the
// provincial Party committee are provincial; other units have no level ("").
func (s *Reception) UnitLevel(unitID int64) string {
	u, ok := s.tree.Unit(unitID)
	if !ok {
		return ""
	}
	communeKind := func(k org.Kind) bool {
		return k == org.KindCommune || k == org.KindWard || k == org.KindTownship || k == org.KindSpecialZone
	}
	if communeKind(u.Kind) {
		return LevelCommune
	}
	if u.Kind == org.KindProvince {
		return LevelProvince
	}
	parent, ok := s.tree.Unit(u.ParentID)
	if !ok {
		return ""
	}
	switch u.Kind {
	case org.KindPeoplesCommittee, org.KindPartyCommittee:
		switch {
		case communeKind(parent.Kind):
			return LevelCommune
		case parent.Kind == org.KindProvince:
			return LevelProvince
		case u.Kind == org.KindPartyCommittee && parent.Kind == org.KindPartyCommittee:
			return LevelCommune
		}
	}
	return ""
}

// SessionInput creates or updates a session; Version is checked on update.
type SessionInput struct {
	UnitID         int64  `json:"unit_id"`
	LeaderName     string `json:"leader_name"`
	LeaderPosition string `json:"leader_position"`
	HeldOn         string `json:"held_on"`
	StartTime      string `json:"start_time"`
	EndTime        string `json:"end_time"`
	Place          string `json:"place"`
	Note           string `json:"note"`
	Version        int    `json:"version"`
}

// clockTime checks an HH:MM time of day.
func clockTime(v *Validator, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, MsgRequired)
		return s
	}
	t, err := time.Parse("15:04", s)
	if err != nil || t.Format("15:04") != s {
		v.Add(field, MsgReceptionBadTime)
	}
	return s
}

func (s *Reception) check(v *Validator, in SessionInput) ReceptionSession {
	r := ReceptionSession{UnitID: in.UnitID}
	if in.UnitID <= 0 {
		v.Add("unit_id", MsgRequired)
	} else if _, ok := s.tree.Unit(in.UnitID); !ok {
		v.Add("unit_id", MsgBadChoice)
	}
	r.LeaderName = v.Line("leader_name", in.LeaderName, 1, MaxReceptionLine)
	r.LeaderPosition = v.Choice("leader_position", strings.TrimSpace(in.LeaderPosition), LeaderPositions...)
	r.HeldOn = v.Date("held_on", in.HeldOn, true)
	r.StartTime = clockTime(v, "start_time", in.StartTime)
	r.EndTime = clockTime(v, "end_time", in.EndTime)
	if !v.Has("start_time") && !v.Has("end_time") && r.EndTime <= r.StartTime {
		v.Add("end_time", MsgReceptionTimeOrder)
	}
	r.Place = v.Line("place", in.Place, 1, MaxReceptionLine)
	r.Note = v.Text("note", in.Note, 0, MaxReceptionText)
	return r
}

// CanManage reports whether p may manage the sessions of unitID (doors use
// it to show forms).
func (s *Reception) CanManage(p *Principal, unitID int64) bool {
	return s.can(p, authz.ActionCaseHandle, unitID)
}

// ManagedUnits lists the units in force where p may plan sessions, in tree order.
func (s *Reception) ManagedUnits(p *Principal) []org.Unit {
	var out []org.Unit
	if p == nil {
		return out
	}
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, authz.ActionCaseHandle, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// Create plans a session (case.handle on its unit).
func (s *Reception) Create(ctx context.Context, p *Principal, in SessionInput) (ReceptionSession, error) {
	var v Validator
	r := s.check(&v, in)
	if err := v.Err(); err != nil {
		return ReceptionSession{}, err
	}
	if err := s.authorize(p, authz.ActionCaseHandle, r.UnitID); err != nil {
		return ReceptionSession{}, err
	}
	r.Status = SessionPlanned
	if err := s.st.CreateReceptionSession(ctx, p.Actor(), &r); err != nil {
		return ReceptionSession{}, unavailable("create reception session", err)
	}
	return s.session(ctx, r.ID)
}

func (s *Reception) session(ctx context.Context, id int64) (ReceptionSession, error) {
	if id <= 0 {
		return ReceptionSession{}, ErrNotFound
	}
	r, err := s.st.GetReceptionSession(ctx, id)
	if err != nil {
		return ReceptionSession{}, unavailable("reception session", err)
	}
	return r, nil
}

// managed reads a session p may manage.
func (s *Reception) managed(ctx context.Context, p *Principal, id int64) (ReceptionSession, error) {
	if p == nil {
		return ReceptionSession{}, ErrUnauthenticated
	}
	r, err := s.session(ctx, id)
	if err != nil {
		return ReceptionSession{}, err
	}
	if err := s.authorize(p, authz.ActionCaseHandle, r.UnitID); err != nil {
		return ReceptionSession{}, err
	}
	return r, nil
}

// write stores a changed session under the version lock.
func (s *Reception) write(ctx context.Context, p *Principal, r ReceptionSession, version int, action string) (ReceptionSession, error) {
	cur := r.Version
	if err := s.st.UpdateReceptionSession(ctx, p.Actor(), &r, version, action); err != nil {
		if errors.Is(err, store.ErrStale) {
			return ReceptionSession{}, &StaleVersionError{Current: cur}
		}
		return ReceptionSession{}, unavailable("update reception session", err)
	}
	return s.session(ctx, r.ID)
}

// Update changes a planned or held session's plan (case.handle on its unit,
// and on the new unit when it moves). A cancelled session is not changed.
func (s *Reception) Update(ctx context.Context, p *Principal, id int64, in SessionInput) (ReceptionSession, error) {
	cur, err := s.managed(ctx, p, id)
	if err != nil {
		return ReceptionSession{}, err
	}
	var v Validator
	r := s.check(&v, in)
	version(&v, in.Version)
	if cur.Status == SessionCancelled {
		v.Add("status", MsgReceptionCancelled)
	}
	if err := v.Err(); err != nil {
		return ReceptionSession{}, err
	}
	if r.UnitID != cur.UnitID {
		if err := s.authorize(p, authz.ActionCaseHandle, r.UnitID); err != nil {
			return ReceptionSession{}, err
		}
	}
	upd := cur
	upd.UnitID, upd.LeaderName, upd.LeaderPosition, upd.HeldOn = r.UnitID, r.LeaderName, r.LeaderPosition, r.HeldOn
	upd.StartTime, upd.EndTime, upd.Place, upd.Note = r.StartTime, r.EndTime, r.Place, r.Note
	return s.write(ctx, p, upd, in.Version, "reception.update")
}

// Inputs of the session's steps.
type (
	// CancelInput cancels a session with its reason.
	CancelInput struct {
		Reason  string `json:"reason"`
		Version int    `json:"version"`
	}
	// ConclusionInput is a session's conclusion notice (thông báo kết luận).
	ConclusionInput struct {
		Number  string `json:"number"`
		Date    string `json:"date"`
		Text    string `json:"text"`
		Version int    `json:"version"`
	}
	// HeldInput marks a session held.
	HeldInput struct {
		Version int `json:"version"`
	}
)

// Cancel cancels a planned session with a reason; it stays on the
// schedule, marked cancelled.
func (s *Reception) Cancel(ctx context.Context, p *Principal, id int64, in CancelInput) (ReceptionSession, error) {
	cur, err := s.managed(ctx, p, id)
	if err != nil {
		return ReceptionSession{}, err
	}
	var v Validator
	reason := v.Text("reason", in.Reason, 0, MaxReceptionText)
	if strings.TrimSpace(reason) == "" && !v.Has("reason") {
		v.Add("reason", MsgReceptionReason)
	}
	version(&v, in.Version)
	if cur.Status != SessionPlanned {
		v.Add("status", MsgCaseBadState)
	}
	if err := v.Err(); err != nil {
		return ReceptionSession{}, err
	}
	cur.Status, cur.CancelReason = SessionCancelled, reason
	return s.write(ctx, p, cur, in.Version, "reception.cancel")
}

// MarkHeld records that a planned session took place (on or before today).
func (s *Reception) MarkHeld(ctx context.Context, p *Principal, id int64, in HeldInput) (ReceptionSession, error) {
	cur, err := s.managed(ctx, p, id)
	if err != nil {
		return ReceptionSession{}, err
	}
	var v Validator
	version(&v, in.Version)
	switch {
	case cur.Status != SessionPlanned:
		v.Add("status", MsgCaseBadState)
	case cur.HeldOn > s.Today():
		v.Add("held_on", MsgReceptionFuture)
	}
	if err := v.Err(); err != nil {
		return ReceptionSession{}, err
	}
	cur.Status = SessionHeld
	return s.write(ctx, p, cur, in.Version, "reception.held")
}

// Conclude writes the session's conclusion notice; the session becomes
// held. The notice is dated on or after the session and not in the future.
func (s *Reception) Conclude(ctx context.Context, p *Principal, id int64, in ConclusionInput) (ReceptionSession, error) {
	cur, err := s.managed(ctx, p, id)
	if err != nil {
		return ReceptionSession{}, err
	}
	var v Validator
	number := v.Line("number", in.Number, 1, MaxReceptionLine)
	date := v.Date("date", in.Date, true)
	text := v.Text("text", in.Text, 1, MaxReceptionText)
	version(&v, in.Version)
	switch {
	case cur.Status == SessionCancelled:
		v.Add("status", MsgReceptionCancelled)
	case cur.HeldOn > s.Today():
		v.Add("status", MsgReceptionFuture)
	}
	if date != "" && !v.Has("date") {
		if date < cur.HeldOn {
			v.Add("date", MsgReceptionConclusion)
		} else if date > s.Today() {
			v.Add("date", MsgReceptionFuture)
		}
	}
	if err := v.Err(); err != nil {
		return ReceptionSession{}, err
	}
	cur.Status, cur.ConclusionNo, cur.ConclusionOn, cur.ConclusionText = SessionHeld, number, date, text
	return s.write(ctx, p, cur, in.Version, "reception.conclude")
}

// VisitInput is one citizen or delegation received. When Outcome is
// case_opened, Case is submitted through [Cases.Submit] with the reception
// channel, to the session's unit unless Case.UnitID says otherwise, and the
// visit links it; the case keeps the visitor's identity.
type VisitInput struct {
	At          string     `json:"at"`
	People      int        `json:"people"`
	Delegation  bool       `json:"delegation"`
	Subject     string     `json:"subject"`
	Kind        string     `json:"kind"`
	Outcome     string     `json:"outcome"`
	OutcomeNote string     `json:"outcome_note"`
	Case        *CaseInput `json:"case,omitempty"`
}

// RecordedVisit is a visit as recorded, with the case it opened.
type RecordedVisit struct {
	ReceptionVisit
	Case *Submitted `json:"case,omitempty"`
}

// AddVisit records a visit in the book of a session that is not cancelled
// and not in the future; the session becomes held.
func (s *Reception) AddVisit(ctx context.Context, p *Principal, sessionID int64, in VisitInput) (RecordedVisit, error) {
	cur, err := s.managed(ctx, p, sessionID)
	if err != nil {
		return RecordedVisit{}, err
	}
	var v Validator
	vis := ReceptionVisit{SessionID: sessionID, Delegation: in.Delegation}
	vis.At = clockTime(&v, "at", in.At)
	if in.People == 0 {
		in.People = 1
	}
	vis.People = int(v.Int("people", int64(in.People), 1, MaxVisitPeople))
	if in.Delegation && in.People < 2 && !v.Has("people") {
		v.Add("people", MsgReceptionDelegation)
	}
	vis.Subject = v.Line("subject", in.Subject, 1, MaxReceptionLine)
	vis.Kind = v.Choice("kind", strings.TrimSpace(in.Kind), VisitKinds...)
	vis.Outcome = v.Choice("outcome", strings.TrimSpace(in.Outcome), VisitOutcomes...)
	vis.OutcomeNote = v.Text("outcome_note", in.OutcomeNote, 0, MaxReceptionText)
	if vis.Outcome == OutcomeRefused && strings.TrimSpace(vis.OutcomeNote) == "" && !v.Has("outcome_note") {
		v.Add("outcome_note", MsgReceptionReason)
	}
	switch {
	case cur.Status == SessionCancelled:
		v.Add("status", MsgReceptionCancelled)
	case cur.HeldOn > s.Today():
		v.Add("status", MsgReceptionFuture)
	}
	var ci CaseInput
	if vis.Outcome == OutcomeCaseOpened {
		if in.Case == nil {
			v.Add("case", MsgReceptionCaseNeeded)
		} else {
			ci = *in.Case
			ci.Channel = ChannelReception
			if ci.Kind == "" {
				ci.Kind = visitKindCaseKind[vis.Kind]
			}
			if ci.UnitID == 0 {
				ci.UnitID = cur.UnitID
			}
			if ci.Title == "" {
				ci.Title = vis.Subject
			}
			if err := s.cases.ValidateCaseInput(ci); err != nil {
				if inv, ok := AsInvalid(err); ok {
					for _, f := range inv.Fields {
						v.Add("case."+f.Field, f.Key, f.Args...)
					}
				} else {
					return RecordedVisit{}, err
				}
			}
		}
	}
	if err := v.Err(); err != nil {
		return RecordedVisit{}, err
	}
	out := RecordedVisit{}
	if vis.Outcome == OutcomeCaseOpened {
		sub, err := s.cases.Submit(ctx, p, ci)
		if err != nil {
			if inv, ok := AsInvalid(err); ok {
				for i := range inv.Fields {
					inv.Fields[i].Field = "case." + inv.Fields[i].Field
				}
			}
			return RecordedVisit{}, err
		}
		vis.CaseID, vis.CaseCode = sub.ID, sub.TrackingCode
		out.Case = &sub
	}
	if err := s.st.AddReceptionVisit(ctx, p.Actor(), &vis); err != nil {
		return RecordedVisit{}, unavailable("reception visit", err)
	}
	if cur.Status == SessionPlanned {
		// The visit is recorded; a session someone else has just changed
		// stays as they left it, and a failure here is only logged.
		cur.Status = SessionHeld
		if _, err := s.write(ctx, p, cur, cur.Version, "reception.held"); err != nil && !errors.As(err, new(*StaleVersionError)) {
			s.log.Warn("reception: mark held after a visit", "session", sessionID, "err", err)
		}
	}
	out.ReceptionVisit = vis
	return out, nil
}

// Get reads a session with its book (case.handle on its unit).
func (s *Reception) Get(ctx context.Context, p *Principal, id int64) (ReceptionSession, error) {
	r, err := s.managed(ctx, p, id)
	if errors.Is(err, ErrForbidden) {
		return ReceptionSession{}, ErrNotFound
	}
	return r, err
}

// PublicSession is what everyone sees of a session: no visit.
type PublicSession struct {
	ID             int64  `json:"id"`
	UnitID         int64  `json:"unit_id"`
	UnitName       string `json:"unit_name"`
	LeaderName     string `json:"leader_name"`
	LeaderPosition string `json:"leader_position"`
	HeldOn         string `json:"held_on"`
	StartTime      string `json:"start_time"`
	EndTime        string `json:"end_time"`
	Place          string `json:"place"`
	Note           string `json:"note,omitempty"`
	Status         string `json:"status"`
	CancelReason   string `json:"cancel_reason,omitempty"`
	Version        int    `json:"version"`
}

// PublicOf projects a session onto what is public.
func PublicOf(r ReceptionSession) PublicSession {
	return PublicSession{ID: r.ID, UnitID: r.UnitID, UnitName: r.UnitName, LeaderName: r.LeaderName, LeaderPosition: r.LeaderPosition,
		HeldOn: r.HeldOn, StartTime: r.StartTime, EndTime: r.EndTime, Place: r.Place, Note: r.Note, Status: r.Status,
		CancelReason: r.CancelReason, Version: r.Version}
}

// ScheduleFilter chooses sessions of the public schedule: of a unit and
// its subtree (0: all), held on From..To (YYYY-MM-DD, empty: open), a
// page of Limit (1..MaxReceptionPage, default 50) after Offset.
type ScheduleFilter struct {
	UnitID   int64
	From, To string
	Limit    int
	Offset   int
}

// Schedule lists sessions (public) and how many match before paging.
func (s *Reception) Schedule(ctx context.Context, f ScheduleFilter) ([]PublicSession, int, error) {
	var v Validator
	sf := store.ReceptionFilter{From: v.Date("from", f.From, false), To: v.Date("to", f.To, false), Offset: f.Offset}
	if sf.From != "" && sf.To != "" && sf.To < sf.From {
		v.Add("to", MsgDateOrder)
	}
	if f.UnitID != 0 {
		if _, ok := s.tree.Unit(f.UnitID); !ok {
			v.Add("unit", MsgBadChoice)
		} else {
			sf.UnitIDs = s.tree.SubtreeIDs(f.UnitID)
		}
	}
	sf.Limit = f.Limit
	if sf.Limit <= 0 {
		sf.Limit = 50
	}
	sf.Limit = int(v.Int("limit", int64(sf.Limit), 1, MaxReceptionPage))
	if f.Offset < 0 {
		v.Add("offset", MsgRange, 0, 1<<30)
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	rows, total, err := s.st.ListReceptionSessions(ctx, sf)
	if err != nil {
		return nil, 0, unavailable("reception schedule", err)
	}
	out := make([]PublicSession, len(rows))
	for i, r := range rows {
		out[i] = PublicOf(r)
	}
	return out, total, nil
}

// ReceptionWarning is a period where a leader's sessions fall short of
// the rule: Days planned or held of the Required.
type ReceptionWarning struct {
	UnitID     int64         `json:"unit_id"`
	UnitName   string        `json:"unit_name"`
	Position   string        `json:"position"`
	Rule       ReceptionRule `json:"rule"`
	PeriodFrom string        `json:"period_from"`
	PeriodTo   string        `json:"period_to"`
	Week       int           `json:"week,omitempty"`  // ISO week number for a weekly rule
	Month      int           `json:"month,omitempty"` // for a monthly rule
	Year       int           `json:"year"`            // ISO year of the week, or the month's year
	Days       int           `json:"days"`
	Required   int           `json:"required"`
}

// MaxWarningDays bounds the range [Reception.Warnings] looks at.
const MaxWarningDays = 400

// Warnings checks the minimum frequencies over from..to (YYYY-MM-DD, both
// required): for each unit and position with a rule that has a session on
// record within the range or the 92 days before it (a leader whose schedule
// the unit keeps here), every ISO week or calendar month overlapping the
// range whose distinct days with a planned or held session are fewer than
// required. Cancelled sessions do not count. Working calendar: a period
// requires at most as many days as it has working days, so a week made
// only of days off (the Tết week, a long holiday) requires none, and a
// month keeps its minimum unless it has fewer working days than that.
// Sessions on a day off still count. unitID limits the check to a unit's
// subtree (0: all). Public, like the schedule it is computed from.
func (s *Reception) Warnings(ctx context.Context, p *Principal, unitID int64, from, to string) ([]ReceptionWarning, error) {
	var v Validator
	from = v.Date("from", from, true)
	to = v.Date("to", to, true)
	if !v.Has("from") && !v.Has("to") {
		f, t := calendar.MustParseDate(from), calendar.MustParseDate(to)
		switch {
		case t.Before(f):
			v.Add("to", MsgDateOrder)
		case t.Sub(f) > MaxWarningDays:
			v.Add("to", MsgReceptionRangeTooBig, MaxWarningDays)
		}
	}
	var ids []int64
	if unitID != 0 {
		if _, ok := s.tree.Unit(unitID); !ok {
			v.Add("unit", MsgBadChoice)
		} else {
			ids = s.tree.SubtreeIDs(unitID)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f, t := calendar.MustParseDate(from), calendar.MustParseDate(to)
	// Periods overlapping the range: from the Monday or first of the month
	// before from, to the Sunday or end of the month after to.
	lo := f.AddDays(-92)
	hi := endOfMonth(t)
	if wk := t.AddDays((7 - isoWeekday(t)) % 7); wk.After(hi) {
		hi = wk
	}
	rows, _, err := s.st.ListReceptionSessions(ctx, store.ReceptionFilter{UnitIDs: ids, From: lo.String(), To: hi.String(),
		Statuses: []string{SessionPlanned, SessionHeld}})
	if err != nil {
		return nil, unavailable("reception warnings", err)
	}
	type key struct {
		unit int64
		pos  string
	}
	days := map[key]map[string]bool{}
	names := map[int64]string{}
	for _, r := range rows {
		k := key{r.UnitID, r.LeaderPosition}
		if days[k] == nil {
			days[k] = map[string]bool{}
		}
		days[k][r.HeldOn] = true
		names[r.UnitID] = r.UnitName
	}
	cal := s.st.WorkingCalendar(ctx)
	var out []ReceptionWarning
	for k, set := range days {
		rule, ok := receptionRule(k.pos, s.UnitLevel(k.unit))
		if !ok || rule.From > to {
			continue
		}
		for _, per := range periods(rule.Period, f, t) {
			if per.to.String() < rule.From {
				continue
			}
			required := min(rule.Min, workingDays(cal, per.from, per.to))
			n := 0
			for d := per.from; !d.After(per.to); d = d.AddDays(1) {
				if set[d.String()] {
					n++
				}
			}
			if n < required {
				w := ReceptionWarning{UnitID: k.unit, UnitName: names[k.unit], Position: k.pos, Rule: rule,
					PeriodFrom: per.from.String(), PeriodTo: per.to.String(), Days: n, Required: required}
				if rule.Period == "week" {
					w.Year, w.Week = per.from.Time().ISOWeek()
				} else {
					w.Year, w.Month = per.from.Year(), int(per.from.Month())
				}
				out = append(out, w)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.PeriodFrom != b.PeriodFrom {
			return a.PeriodFrom < b.PeriodFrom
		}
		if a.UnitName != b.UnitName {
			return a.UnitName < b.UnitName
		}
		return a.Position < b.Position
	})
	return out, nil
}

type period struct{ from, to calendar.Date }

// periods lists the ISO weeks or calendar months overlapping f..t.
func periods(kind string, f, t calendar.Date) []period {
	var out []period
	if kind == "week" {
		for d := f.AddDays(1 - isoWeekday(f)); !d.After(t); d = d.AddDays(7) {
			out = append(out, period{d, d.AddDays(6)})
		}
		return out
	}
	for d := calendar.NewDate(f.Year(), f.Month(), 1); !d.After(t); d = endOfMonth(d).AddDays(1) {
		out = append(out, period{d, endOfMonth(d)})
	}
	return out
}

// isoWeekday is 1 (Monday) .. 7 (Sunday).
func isoWeekday(d calendar.Date) int {
	w := int(d.Weekday())
	if w == 0 {
		return 7
	}
	return w
}

func endOfMonth(d calendar.Date) calendar.Date {
	return calendar.NewDate(d.Year(), d.Month()+1, 1).AddDays(-1)
}

func workingDays(cal calendar.Calendar, from, to calendar.Date) int {
	n := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// String is a short English description (logs, tests).
func (w ReceptionWarning) String() string {
	return fmt.Sprintf("%s %s of unit %d: %s from %s has %d/%d days", w.Rule.Level, w.Position, w.UnitID, w.Rule.Period, w.PeriodFrom, w.Days, w.Required)
}
