package service

// Case statistics and follow-up: figures per unit, kind and category for
// the handlers and the coordinator, the public scorecard per agency and
// commune, the prolonged cases (vụ việc kéo dài), and the notices a
// handling step sends — an e-mail to the citizen who gave an address, an
// in-app notice to the handlers of the unit that receives a case.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Kinds of the notices about cases.
const (
	KindCaseAssigned  = "case_assigned"  // a new or transferred case reached the unit
	KindCaseDue       = "case_due"       // a case's deadline is near, or today passed
	KindCaseEscalated = "case_escalated" // a case of a unit below has been overdue for days
)

// Thresholds of the prolonged cases and of the public scorecard.
const (
	// ProlongedTransfers: a case transferred this many times drags on.
	ProlongedTransfers = 2
	// ScorecardMinCases: a unit with fewer cases in the year shows no
	// figures ("not enough data"), so that one case does not make a rate.
	ScorecardMinCases = 5
)

// Message keys of the statistics (casestats.*.json).
const (
	MsgCaseStatsPeriod = "casestats.err.period"
)

// CaseStats is the statistics capability. Figures for the handlers need
// case.read on the unit asked for (or, without one, on the units of the
// principal's grants); the public scorecard is open to anyone and carries
// aggregates only.
type CaseStats struct {
	base
}

func newCaseStats(b base) *CaseStats { return &CaseStats{base: b} }

// CaseFigures are the figures of a set of cases. OnTimeRate (percent of
// the handled) and the averages are -1 when there is nothing to divide.
type CaseFigures struct {
	Received    int     `json:"received"`
	Handled     int     `json:"handled"`
	OnTime      int     `json:"on_time"`
	OnTimeRate  float64 `json:"on_time_rate"`
	AvgDays     float64 `json:"avg_days"`
	Overdue     int     `json:"overdue"`
	AvgRating   float64 `json:"avg_rating"`
	Rated       int     `json:"rated"`
	handledDays int
	ratingSum   int
}

func (f *CaseFigures) add(r store.CaseStatsRow) {
	f.Received += r.Received
	f.Handled += r.Handled
	f.OnTime += r.OnTime
	f.Overdue += r.Overdue
	f.Rated += r.Rated
	f.handledDays += r.HandledDays
	f.ratingSum += r.RatingSum
}

func (f *CaseFigures) finish() {
	f.OnTimeRate, f.AvgDays, f.AvgRating = -1, -1, -1
	if f.Handled > 0 {
		f.OnTimeRate = round1(100 * float64(f.OnTime) / float64(f.Handled))
		f.AvgDays = round1(float64(f.handledDays) / float64(f.Handled))
	}
	if f.Rated > 0 {
		f.AvgRating = round1(float64(f.ratingSum) / float64(f.Rated))
	}
}

func round1(x float64) float64 {
	return float64(int64(x*10+0.5)) / 10
}

// CaseStatsLine is the figures of one unit, kind or category.
type CaseStatsLine struct {
	Key    string `json:"key"`
	UnitID int64  `json:"unit_id,omitempty"`
	Name   string `json:"name"`
	CaseFigures
}

// CaseStatsFilter selects the cases: received From–To (YYYY-MM-DD; empty:
// the current year) by the units of Unit's subtree.
type CaseStatsFilter struct {
	Unit     int64  `json:"unit"`
	From, To string `json:"-"`
}

// CaseStatsReport is the figures of a period: in all, per unit, per kind
// and per category.
type CaseStatsReport struct {
	From       string          `json:"from"`
	To         string          `json:"to"`
	Today      string          `json:"today"`
	Unit       int64           `json:"unit,omitempty"`
	Total      CaseFigures     `json:"total"`
	Units      []CaseStatsLine `json:"units"`
	Kinds      []CaseStatsLine `json:"kinds"`
	Categories []CaseStatsLine `json:"categories"`
}

// readableUnits is the units whose cases p may read under root (0: the
// subtrees of p's grants); nil means every unit.
func (s *CaseStats) readableUnits(p *Principal, root int64) ([]int64, error) {
	if root != 0 {
		if err := s.authorize(p, authz.ActionCaseRead, root); err != nil {
			return nil, err
		}
		return s.tree.SubtreeIDs(root), nil
	}
	if s.can(p, authz.ActionCaseRead, 0) {
		return nil, nil
	}
	if p == nil || p.User.ID == 0 {
		return nil, ErrUnauthenticated
	}
	seen := map[int64]bool{}
	var out []int64
	for _, g := range p.Grants {
		if g.UnitID == 0 || seen[g.UnitID] || !s.can(p, authz.ActionCaseRead, g.UnitID) {
			continue
		}
		for _, id := range s.tree.SubtreeIDs(g.UnitID) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	if len(out) == 0 {
		return nil, ErrForbidden
	}
	return out, nil
}

// Units lists the units p may ask figures for (case.read), by name.
func (s *CaseStats) Units(p *Principal) []org.Unit {
	ids, err := s.readableUnits(p, 0)
	if err != nil {
		return nil
	}
	var out []org.Unit
	if ids == nil {
		out = s.tree.At(s.Today())
	} else {
		for _, id := range ids {
			if u, ok := s.tree.Unit(id); ok {
				out = append(out, u)
			}
		}
	}
	slices.SortFunc(out, func(a, b org.Unit) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// period checks from and to; empty means the current year so far.
func (s *CaseStats) period(from, to string) (string, string, error) {
	var v Validator
	from = v.Date("from", from, false)
	to = v.Date("to", to, false)
	if err := v.Err(); err != nil {
		return "", "", err
	}
	today := s.Today()
	if from == "" {
		from = today[:4] + "-01-01"
	}
	if to == "" {
		to = today
	}
	if to < from {
		return "", "", Invalid("to", MsgCaseStatsPeriod)
	}
	return from, to, nil
}

// Stats computes the figures of the cases received in the period by the
// units of f.Unit's subtree (case.read on it). Category and kind names are
// in l's language.
func (s *CaseStats) Stats(ctx context.Context, p *Principal, f CaseStatsFilter, l i18n.Locale) (CaseStatsReport, error) {
	units, err := s.readableUnits(p, f.Unit)
	if err != nil {
		return CaseStatsReport{}, err
	}
	from, to, err := s.period(f.From, f.To)
	if err != nil {
		return CaseStatsReport{}, err
	}
	today := s.Today()
	rows, err := s.st.CaseStats(ctx, store.CaseStatsQuery{Units: units, From: from, To: to, Today: today})
	if err != nil {
		return CaseStatsReport{}, unavailable("case stats", err)
	}
	cats, err := s.st.CaseCategories(ctx)
	if err != nil {
		return CaseStatsReport{}, unavailable("case categories", err)
	}
	catName := map[string]string{}
	for _, c := range cats {
		catName[c.Code] = c.NameVi
		if l.Lang() == "en" && c.NameEn != "" {
			catName[c.Code] = c.NameEn
		}
		if l.Lang() == "ja" && c.NameJa != "" {
			catName[c.Code] = c.NameJa
		}
	}
	out := CaseStatsReport{From: from, To: to, Today: today, Unit: f.Unit}
	byUnit, byKind, byCat := map[int64]*CaseStatsLine{}, map[string]*CaseStatsLine{}, map[string]*CaseStatsLine{}
	for _, r := range rows {
		out.Total.add(r)
		u := byUnit[r.UnitID]
		if u == nil {
			unit, _ := s.tree.Unit(r.UnitID)
			u = &CaseStatsLine{Key: strconv.FormatInt(r.UnitID, 10), UnitID: r.UnitID, Name: unit.Name}
			byUnit[r.UnitID] = u
		}
		u.add(r)
		k := byKind[r.Kind]
		if k == nil {
			k = &CaseStatsLine{Key: r.Kind, Name: l.T("cases.kind." + r.Kind)}
			byKind[r.Kind] = k
		}
		k.add(r)
		c := byCat[r.Category]
		if c == nil {
			name := catName[r.Category]
			if r.Category == "" {
				name = l.T("casestats.no_category")
			} else if name == "" {
				name = r.Category
			}
			c = &CaseStatsLine{Key: r.Category, Name: name}
			byCat[r.Category] = c
		}
		c.add(r)
	}
	out.Total.finish()
	out.Units = lines(byUnit)
	out.Kinds = lines(byKind)
	out.Categories = lines(byCat)
	return out, nil
}

// lines finishes and sorts the lines by the cases received, then name.
func lines[K comparable](m map[K]*CaseStatsLine) []CaseStatsLine {
	out := make([]CaseStatsLine, 0, len(m))
	for _, l := range m {
		l.finish()
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b CaseStatsLine) int {
		if a.Received != b.Received {
			return b.Received - a.Received
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// ScoreLine is one unit on the public scorecard. Enough is false when the
// unit received fewer than [ScorecardMinCases] cases: its figures are then
// left out.
type ScoreLine struct {
	UnitID     int64    `json:"unit_id"`
	Name       string   `json:"name"`
	Enough     bool     `json:"enough"`
	Received   int      `json:"received"`
	OnTimeRate *float64 `json:"on_time_rate,omitempty"`
	Overdue    *int     `json:"overdue,omitempty"`
	AvgDays    *float64 `json:"avg_days,omitempty"`
	AvgRating  *float64 `json:"avg_rating,omitempty"`
}

// Scorecard is the public scorecard of a year: aggregates per agency and
// per commune, never a case's content. Further sections (reports on time,
// dialogue commitments kept) join it as fields of their own.
type Scorecard struct {
	Year     int         `json:"year"`
	From     string      `json:"from"`
	To       string      `json:"to"`
	MinCases int         `json:"min_cases"`
	Agencies []ScoreLine `json:"agencies"`
	Communes []ScoreLine `json:"communes"`
	// Reports: reports sent by their due date, per unit (scorecard_more.go).
	Reports []RateLine `json:"reports"`
	// Commitments: dialogue commitments kept by their due date, per unit.
	Commitments []RateLine `json:"commitments"`
}

// communeLevel reports whether a unit kind is a commune-level unit.
func communeLevel(k org.Kind) bool {
	return k == org.KindCommune || k == org.KindWard || k == org.KindTownship || k == org.KindSpecialZone
}

// Scorecard is the public scorecard of year (0: the current year): one
// line per unit that received cases that year.
func (s *CaseStats) Scorecard(ctx context.Context, year int) (Scorecard, error) {
	today := s.Today()
	cur, _ := strconv.Atoi(today[:4])
	if year == 0 {
		year = cur
	}
	if year < 2000 || year > cur {
		return Scorecard{}, Invalid("year", MsgBadChoice)
	}
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	rows, err := s.st.CaseStats(ctx, store.CaseStatsQuery{From: from, To: to, Today: today})
	if err != nil {
		return Scorecard{}, unavailable("scorecard", err)
	}
	byUnit := map[int64]*CaseFigures{}
	for _, r := range rows {
		f := byUnit[r.UnitID]
		if f == nil {
			f = &CaseFigures{}
			byUnit[r.UnitID] = f
		}
		f.add(r)
	}
	out := Scorecard{Year: year, From: from, To: to, MinCases: ScorecardMinCases, Agencies: []ScoreLine{}, Communes: []ScoreLine{}}
	for id, f := range byUnit {
		f.finish()
		u, ok := s.tree.Unit(id)
		if !ok {
			continue
		}
		line := ScoreLine{UnitID: id, Name: u.Name, Received: f.Received, Enough: f.Received >= ScorecardMinCases}
		if line.Enough {
			ov := f.Overdue
			line.Overdue = &ov
			line.OnTimeRate = known(f.OnTimeRate)
			line.AvgDays = known(f.AvgDays)
			line.AvgRating = known(f.AvgRating)
		}
		if communeLevel(u.Kind) {
			out.Communes = append(out.Communes, line)
		} else {
			out.Agencies = append(out.Agencies, line)
		}
	}
	for _, ls := range [][]ScoreLine{out.Agencies, out.Communes} {
		slices.SortFunc(ls, func(a, b ScoreLine) int { return strings.Compare(a.Name, b.Name) })
	}
	if out.Reports, err = s.reportsOnTime(ctx, year); err != nil {
		return Scorecard{}, err
	}
	if out.Commitments, err = s.commitmentsKept(ctx, year); err != nil {
		return Scorecard{}, err
	}
	return out, nil
}

func known(x float64) *float64 {
	if x < 0 {
		return nil
	}
	return &x
}

// ProlongedCase is a case that drags on, with why.
type ProlongedCase = store.ProlongedCase

// Prolonged lists the prolonged cases (vụ việc kéo dài) under unit (0: the
// units of p's grants) for whoever may read its cases: the handlers of the
// parent units and the coordinator see those of the units below them. Open
// cases past their deadline, complaints complained about a second time,
// cases transferred [ProlongedTransfers] times or more.
func (s *CaseStats) Prolonged(ctx context.Context, p *Principal, unit int64) ([]ProlongedCase, error) {
	units, err := s.readableUnits(p, unit)
	if err != nil {
		return nil, err
	}
	out, err := s.st.ProlongedCases(ctx, units, s.Today(), ProlongedTransfers, 500)
	if err != nil {
		return nil, unavailable("prolonged cases", err)
	}
	return out, nil
}

// --- notices of handling steps ---

// citizenSteps are the steps the citizen is told about by e-mail.
var citizenSteps = map[string]bool{StepAccept: true, StepRefuse: true, StepTransfer: true, StepResolve: true, StepClose: true}

// afterStep sends what a committed step tells people: the citizen's e-mail
// and, on a transfer, the notice to the receiving unit's handlers. The step
// stands whatever happens here; a failure is logged.
func (s *Cases) afterStep(ctx context.Context, p *Principal, before, after Case, step string, ev CaseEvent) {
	if citizenSteps[step] && before.HasIdentity {
		if err := s.mailCitizen(ctx, p, after, ev.PublicNote); err != nil {
			s.log.Warn("case e-mail to the citizen not queued", "case", after.ID, "err", err)
		}
	}
	if step == StepTransfer {
		if err := s.notifyAssigned(ctx, after); err != nil {
			s.log.Warn("case assignment notice not sent", "case", after.ID, "err", err)
		}
	}
}

// afterSubmit tells the handlers of the case's unit that it arrived.
func (s *Cases) afterSubmit(ctx context.Context, c Case) {
	if err := s.notifyAssigned(ctx, c); err != nil {
		s.log.Warn("case assignment notice not sent", "case", c.ID, "err", err)
	}
}

// CaseLink is the handlers' page of a case.
func CaseLink(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

// notifyAssigned notifies the case handlers and heads of c's current unit.
func (s *Cases) notifyAssigned(ctx context.Context, c Case) error {
	rs, err := s.st.CaseHandlerRecipients(ctx, c.UnitID)
	if err != nil || len(rs) == 0 {
		return err
	}
	unit, _ := s.tree.Unit(c.UnitID)
	link := CaseLink(c.ID)
	notes := s.recipientNotes(rs, c.UnitID, KindCaseAssigned, link, func(l i18n.Locale) (string, string) {
		return l.T("casestats.notice.assigned_subject", c.TrackingCode),
			l.T("casestats.notice.assigned_body", unit.Name, c.TrackingCode, l.T("cases.kind."+c.Kind), c.Title)
	})
	for i := range notes {
		notes[i].DedupeKey = fmt.Sprintf("case:%d:v%d:assigned:%d", c.ID, c.Version, notes[i].UserID)
	}
	_, err = s.st.Notify(ctx, SystemPrincipal().Actor(), KindCaseAssigned, notes)
	return err
}

// mailCitizen queues the e-mail that tells the author of c its new status,
// with the public note and the tracking link — never the internal note.
// The identity is decrypted here only to read the address.
func (s *Cases) mailCitizen(ctx context.Context, p *Principal, c Case, publicNote string) error {
	if s.cfg.SMTP.Addr == "" {
		return nil
	}
	enc, err := s.st.CaseIdentityEnc(ctx, c.ID)
	if err != nil {
		return err
	}
	id, err := s.open(enc, c)
	if err != nil || id == nil || id.Email == "" {
		return err
	}
	subject, body := CitizenMail(i18n.Default().For("vi"), s.cfg.BaseURL, c, publicNote)
	return s.st.QueueCaseMail(ctx, p.Actor(), c.ID, id.Email, subject, body)
}

// CitizenMail is the subject and text of the e-mail about c's new status.
func CitizenMail(l i18n.Locale, baseURL string, c Case, publicNote string) (string, string) {
	status := l.T("cases.status." + c.Status)
	var b strings.Builder
	b.WriteString(l.T("casestats.mail.greeting"))
	b.WriteString("\n\n")
	b.WriteString(l.T("casestats.mail.status", c.TrackingCode, status))
	if n := strings.TrimSpace(publicNote); n != "" {
		b.WriteString("\n\n")
		b.WriteString(l.T("casestats.mail.note", n))
	}
	b.WriteString("\n\n")
	b.WriteString(l.T("casestats.mail.track"))
	b.WriteString("\n")
	b.WriteString(strings.TrimRight(baseURL, "/") + "/cases/track/" + c.TrackingCode)
	b.WriteString("\n\n")
	b.WriteString(l.T("casestats.mail.footer"))
	b.WriteString("\n")
	return l.T("casestats.mail.subject", c.TrackingCode, status), b.String()
}

// --- reminders ---

// Case reminders: the handlers of a case's unit hear CaseRemindBefore
// working days before its current deadline and on the day after it passed;
// the handlers of the parent unit when it has been overdue for
// CaseEscalateAfter working days.
const (
	CaseRemindBefore  = 2
	CaseEscalateAfter = 5
)

// CaseReminders sends today's case reminders, once per case, deadline and
// stage (the notices' dedupe keys remember what was sent), and returns how
// many notices it created.
func (s *CaseStats) CaseReminders(ctx context.Context) (int, error) {
	if err := s.tree.Reload(ctx); err != nil {
		return 0, err
	}
	cal := s.st.WorkingCalendar(ctx)
	today, err := calendar.ParseDate(s.Today())
	if err != nil {
		return 0, err
	}
	// Deadlines from far enough back to still escalate, up to the last
	// one that is reminded today.
	since := cal.AddWorkingDays(today, -(CaseEscalateAfter + 10)).AddDays(-30)
	by := cal.AddWorkingDays(today, CaseRemindBefore)
	cs, err := s.st.OpenCasesDueBy(ctx, since.String(), by.String())
	if err != nil {
		return 0, unavailable("case reminders", err)
	}
	recipients := map[int64][]store.Recipient{}
	handlers := func(unit int64) ([]store.Recipient, error) {
		if rs, ok := recipients[unit]; ok {
			return rs, nil
		}
		rs, err := s.st.CaseHandlerRecipients(ctx, unit)
		recipients[unit] = rs
		return rs, err
	}
	var notes []store.NewNotification
	for _, c := range cs {
		due, err := calendar.ParseDate(c.Due)
		if err != nil {
			continue
		}
		late := cal.WorkingDaysBetween(due, today) // >0: working days overdue
		stage, unit := "", c.UnitID
		switch {
		case !today.After(due) && cal.WorkingDaysBetween(today, due) <= CaseRemindBefore:
			stage = "due"
		case today.After(due) && late >= CaseEscalateAfter:
			stage = "escalated"
			u, ok := s.tree.Unit(c.UnitID)
			if !ok || u.ParentID == 0 {
				continue
			}
			unit = u.ParentID
		case today.After(due):
			stage = "late"
		default:
			continue
		}
		rs, err := handlers(unit)
		if err != nil {
			return 0, unavailable("case reminders", err)
		}
		caseUnit, _ := s.tree.Unit(c.UnitID)
		kind := KindCaseDue
		if stage == "escalated" {
			kind = KindCaseEscalated
		}
		link := CaseLink(c.ID)
		for _, r := range rs {
			n := s.note(r, unit, link, link, func(l i18n.Locale) (string, string) {
				date := followup.DateLabel(l, c.Due)
				return l.T("casestats.remind."+stage+"_subject", c.TrackingCode),
					l.T("casestats.remind."+stage+"_body", c.TrackingCode, c.Title, caseUnit.Name, date)
			})
			n.Kind = kind
			n.DedupeKey = fmt.Sprintf("case:%d:due:%s:%s:%d", c.ID, c.Due, stage, r.UserID)
			notes = append(notes, n)
		}
	}
	if len(notes) == 0 {
		return 0, nil
	}
	n, err := s.st.Notify(ctx, SystemPrincipal().Actor(), "case_reminder", notes)
	if err != nil {
		return 0, unavailable("case reminders", err)
	}
	return n, nil
}
