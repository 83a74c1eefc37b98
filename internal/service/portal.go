package service

// The public portal, following the motto "dân biết, dân bàn, dân làm, dân
// kiểm tra, dân giám sát, dân thụ hưởng": what people may know (the
// programme's directives and their progress by unit), discuss (open
// consultations, from whichever capability offers them), check and
// supervise (scorecards, disclosures and which are late), and what they
// benefit from (results). Everything here is public and aggregated: no
// case content, no person's name but those of the bodies. The home blocks
// are kept in memory for [portalTTL], so that the most visited page costs
// no query most of the time.

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
)

// portalTTL is how long the aggregated blocks stay in memory.
const portalTTL = 30 * time.Second

// portalDirectives bounds the directives on the home page.
const portalDirectives = 5

// PortalItem is an entry a block links to.
type PortalItem struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Meta  string `json:"meta,omitempty"`
}

// ConsultationSource gives the open consultations (drafts put to the
// people) for the "Dân bàn" block; the portal shows only the link to
// them when none is set.
type ConsultationSource interface {
	OpenConsultations(ctx context.Context, limit int) ([]PortalItem, error)
}

// PortalUnitProgress is one unit's progress on a directive.
type PortalUnitProgress struct {
	UnitID  int64            `json:"unit_id"`
	Name    string           `json:"name"`
	Percent float64          `json:"percent"`
	Status  programme.Status `json:"status"`
}

// PortalDirective is a directive as the public sees it: its number, title,
// issuer and progress, overall and by unit (worst first).
type PortalDirective struct {
	ID       int64                `json:"id"`
	Number   string               `json:"number"`
	Title    string               `json:"title"`
	IssuedOn string               `json:"issued_on"`
	Issuer   string               `json:"issuer"`
	Tasks    int                  `json:"tasks"`
	Percent  float64              `json:"percent"`
	Status   programme.Status     `json:"status"`
	Done     int                  `json:"done"`
	OnTrack  int                  `json:"on_track"`
	AtRisk   int                  `json:"at_risk"`
	Late     int                  `json:"late"`
	Units    []PortalUnitProgress `json:"units"`
}

// PortalChecks are the figures of "Dân kiểm tra, giám sát" for the year.
type PortalChecks struct {
	Year                int          `json:"year"`
	CasesReceived       int          `json:"cases_received"`
	CasesHandled        int          `json:"cases_handled"`
	CasesOnTimeRate     *float64     `json:"cases_on_time_rate,omitempty"`
	ReportsOnTimeRate   *float64     `json:"reports_on_time_rate,omitempty"`
	CommitmentsKeptRate *float64     `json:"commitments_kept_rate,omitempty"`
	Disclosures         int          `json:"disclosures"`
	DisclosuresOverdue  int          `json:"disclosures_overdue"`
	LatestOverdue       []Disclosure `json:"latest_overdue"`
}

// PortalResults are the figures of "Dân thụ hưởng".
type PortalResults struct {
	ActivitiesDone  int `json:"activities_done"`
	CasesResolved   int `json:"cases_resolved"`
	CommitmentsKept int `json:"commitments_kept"`
	DialoguesHeld   int `json:"dialogues_held"`
	Published       int `json:"disclosures_published"`
}

// PortalCommuneLink is a commune in the list by former district.
type PortalCommuneLink struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Overdue int    `json:"disclosures_overdue"`
}

// PortalDistrict is a former district (before 1 July 2025) and the
// communes of today that continue its communes. Name is empty for the
// communes whose predecessors are not known.
type PortalDistrict struct {
	Name     string              `json:"name"`
	Communes []PortalCommuneLink `json:"communes"`
}

// PortalHome is the portal's home page.
type PortalHome struct {
	Today         string            `json:"today"`
	Directives    []PortalDirective `json:"directives"`
	Consultations []PortalItem      `json:"consultations"`
	Checks        PortalChecks      `json:"checks"`
	Results       PortalResults     `json:"results"`
	Districts     []PortalDistrict  `json:"districts"`
}

// PortalCommune is everything public about one commune.
type PortalCommune struct {
	Unit        org.Unit            `json:"unit"`
	District    string              `json:"former_district,omitempty"`
	Former      []string            `json:"former_units"`
	Disclosures []Disclosure        `json:"disclosures"`
	Overdue     int                 `json:"disclosures_overdue"`
	Cases       *ScoreLine          `json:"cases,omitempty"`
	Reports     *RateLine           `json:"reports,omitempty"`
	Commitments *RateLine           `json:"commitments,omitempty"`
	Progress    []PortalCommuneTask `json:"progress"`
	Dialogues   []PortalDialogue    `json:"dialogues"`
}

// PortalCommuneTask is a commune's progress on one directive.
type PortalCommuneTask struct {
	DirectiveID int64            `json:"directive_id"`
	Number      string           `json:"number"`
	Title       string           `json:"title"`
	Percent     float64          `json:"percent"`
	Status      programme.Status `json:"status"`
}

// PortalDialogue is a public dialogue held by a commune (Art. 32).
type PortalDialogue struct {
	ID     int64  `json:"id"`
	HeldOn string `json:"held_on"`
	Topic  string `json:"topic"`
}

// portalData is what the portal computes at once and keeps for portalTTL.
type portalData struct {
	home     PortalHome
	card     Scorecard
	district map[int64]string
	former   map[int64][]string
	overdue  map[int64]int
	byUnit   map[int64][]PortalCommuneTask
}

// Portal is the public portal capability.
type Portal struct {
	base
	svc *Services

	mu      sync.Mutex
	consult ConsultationSource
	data    *portalData
	at      time.Time
}

func newPortal(b base, s *Services) *Portal { return &Portal{base: b, svc: s} }

// SetConsultations sets where the open consultations come from.
func (s *Portal) SetConsultations(c ConsultationSource) {
	s.mu.Lock()
	s.consult, s.data = c, nil
	s.mu.Unlock()
}

// Drop forgets the kept blocks (after a write that changes them, in tests).
func (s *Portal) Drop() {
	s.mu.Lock()
	s.data = nil
	s.mu.Unlock()
}

func (s *Portal) load(ctx context.Context) (*portalData, error) {
	s.mu.Lock()
	if s.data != nil && time.Since(s.at) < portalTTL {
		d := s.data
		s.mu.Unlock()
		return d, nil
	}
	consult := s.consult
	s.mu.Unlock()
	d, err := s.build(ctx, consult)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.data, s.at = d, time.Now()
	s.mu.Unlock()
	return d, nil
}

// Home is the portal's home page.
func (s *Portal) Home(ctx context.Context) (PortalHome, error) {
	d, err := s.load(ctx)
	if err != nil {
		return PortalHome{}, err
	}
	return d.home, nil
}

// Commune is the public page of the commune-level unit with code valid
// today; ErrNotFound for any other code.
func (s *Portal) Commune(ctx context.Context, code string) (PortalCommune, error) {
	var u org.Unit
	found := false
	for _, x := range s.tree.At(s.Today()) {
		if x.Code == code && code != "" && communeLevel(x.Kind) {
			u, found = x, true
			break
		}
	}
	if !found {
		return PortalCommune{}, ErrNotFound
	}
	d, err := s.load(ctx)
	if err != nil {
		return PortalCommune{}, err
	}
	out := PortalCommune{Unit: u, District: d.district[u.ID], Former: d.former[u.ID], Overdue: d.overdue[u.ID], Progress: d.byUnit[u.ID]}
	if out.Former == nil {
		out.Former = []string{}
	}
	if out.Progress == nil {
		out.Progress = []PortalCommuneTask{}
	}
	for i := range d.card.Communes {
		if d.card.Communes[i].UnitID == u.ID {
			l := d.card.Communes[i]
			out.Cases = &l
		}
	}
	for _, ls := range []struct {
		from []RateLine
		to   **RateLine
	}{{d.card.Reports, &out.Reports}, {d.card.Commitments, &out.Commitments}} {
		for i := range ls.from {
			if ls.from[i].UnitID == u.ID {
				l := ls.from[i]
				*ls.to = &l
			}
		}
	}
	if out.Disclosures, err = s.svc.Disclosures.List(ctx, DisclosureQuery{UnitID: u.ID}); err != nil {
		return PortalCommune{}, err
	}
	ds, err := s.st.ListDialogues(ctx, store.DialogueFilter{UnitIDs: []int64{u.ID}, PublicOnly: true, Limit: 50})
	if err != nil {
		return PortalCommune{}, unavailable("dialogues", err)
	}
	out.Dialogues = []PortalDialogue{}
	for _, x := range ds {
		if x.Status == "held" {
			out.Dialogues = append(out.Dialogues, PortalDialogue{ID: x.ID, HeldOn: x.HeldOn, Topic: x.Topic})
		}
	}
	return out, nil
}

func (s *Portal) build(ctx context.Context, consult ConsultationSource) (*portalData, error) {
	today := s.Today()
	d := &portalData{home: PortalHome{Today: today, Directives: []PortalDirective{}, Consultations: []PortalItem{}},
		overdue: map[int64]int{}, byUnit: map[int64][]PortalCommuneTask{}}
	if err := s.programme(ctx, d); err != nil {
		return nil, err
	}
	if consult != nil {
		items, err := consult.OpenConsultations(ctx, 5)
		if err != nil {
			s.log.Warn("portal: consultations", "err", err)
		} else if items != nil {
			d.home.Consultations = items
		}
	}
	card, err := s.svc.CaseStats.Scorecard(ctx, 0)
	if err != nil {
		return nil, err
	}
	d.card = card
	if err := s.checks(ctx, d); err != nil {
		return nil, err
	}
	if err := s.districts(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// programme fills the directives in force with their progress.
func (s *Portal) programme(ctx context.Context, d *portalData) error {
	ds, err := s.st.ListDirectives(ctx)
	if err != nil {
		return unavailable("directives", err)
	}
	rules := programme.DefaultRules()
	for _, x := range ds {
		if x.Withdrawn != nil {
			continue
		}
		full, err := s.st.GetDirective(ctx, x.ID)
		if err != nil {
			return unavailable("directive", err)
		}
		acts, err := s.st.DirectiveActivities(ctx, x.ID)
		if err != nil {
			return unavailable("directive activities", err)
		}
		sum := programme.Summarise(full, acts, rules, d.home.Today)
		title := programme.Original(full.Texts).Title
		pd := PortalDirective{ID: x.ID, Number: x.Number, Title: title, IssuedOn: x.IssuedOn, Issuer: x.IssuerName, Tasks: x.TaskCount,
			Percent: sum.Rollup.Percent, Status: sum.Rollup.Status, Units: []PortalUnitProgress{}}
		c := sum.Rollup.Counts
		pd.Done, pd.OnTrack, pd.AtRisk, pd.Late = c[programme.StatusDone], c[programme.StatusOnTrack], c[programme.StatusAtRisk], c[programme.StatusLate]
		d.home.Results.ActivitiesDone += pd.Done
		for _, u := range sum.Units {
			pd.Units = append(pd.Units, PortalUnitProgress{UnitID: u.UnitID, Name: u.UnitName, Percent: u.Rollup.Percent, Status: u.Rollup.Status})
			d.byUnit[u.UnitID] = append(d.byUnit[u.UnitID], PortalCommuneTask{DirectiveID: x.ID, Number: x.Number, Title: title,
				Percent: u.Rollup.Percent, Status: u.Rollup.Status})
		}
		slices.SortStableFunc(pd.Units, func(a, b PortalUnitProgress) int { return cmp.Compare(a.Percent, b.Percent) })
		if len(d.home.Directives) < portalDirectives {
			d.home.Directives = append(d.home.Directives, pd)
		}
	}
	return nil
}

// checks fills the figures of supervision and of results.
func (s *Portal) checks(ctx context.Context, d *portalData) error {
	c := &d.home.Checks
	c.Year = d.card.Year
	rows, err := s.st.CaseStats(ctx, store.CaseStatsQuery{From: d.card.From, To: d.card.To, Today: d.home.Today})
	if err != nil {
		return unavailable("case stats", err)
	}
	var f CaseFigures
	for _, r := range rows {
		f.add(r)
	}
	f.finish()
	c.CasesReceived, c.CasesHandled, c.CasesOnTimeRate = f.Received, f.Handled, known(f.OnTimeRate)
	d.home.Results.CasesResolved = f.Handled
	c.ReportsOnTimeRate = totalRate(d.card.Reports)
	c.CommitmentsKeptRate = totalRate(d.card.Commitments)
	for _, l := range d.card.Commitments {
		d.home.Results.CommitmentsKept += l.OnTime
	}
	all, err := s.svc.Disclosures.all(ctx)
	if err != nil {
		return err
	}
	c.LatestOverdue = []Disclosure{}
	for _, x := range all {
		c.Disclosures++
		if x.PublishedOn != "" {
			d.home.Results.Published++
		}
		if x.Overdue {
			c.DisclosuresOverdue++
			d.overdue[x.UnitID]++
			if len(c.LatestOverdue) < 5 {
				c.LatestOverdue = append(c.LatestOverdue, x)
			}
		}
	}
	ds, err := s.st.ListDialogues(ctx, store.DialogueFilter{PublicOnly: true, Limit: 1000})
	if err != nil {
		return unavailable("dialogues", err)
	}
	for _, x := range ds {
		if x.Status == "held" && strings.HasPrefix(x.HeldOn, yearPrefix(c.Year)) {
			d.home.Results.DialoguesHeld++
		}
	}
	return nil
}

func totalRate(ls []RateLine) *float64 {
	due, on := 0, 0
	for _, l := range ls {
		due += l.Due
		on += l.OnTime
	}
	if due == 0 {
		return nil
	}
	r := round1(100 * float64(on) / float64(due))
	return &r
}

// districts groups the communes of today by the former district of the
// communes they continue (the most of them, by the merges' links).
func (s *Portal) districts(ctx context.Context, d *portalData) error {
	links, err := s.st.AllSuccessorLinks(ctx)
	if err != nil {
		return unavailable("successor links", err)
	}
	pred := map[int64][]int64{}
	for _, l := range links {
		pred[l.SuccessorID] = append(pred[l.SuccessorID], l.PredecessorID)
	}
	d.district, d.former = map[int64]string{}, map[int64][]string{}
	groups := map[string][]PortalCommuneLink{}
	for _, u := range s.tree.At(d.home.Today) {
		if !communeLevel(u.Kind) || u.Code == "" {
			continue
		}
		votes := map[string]int{}
		for _, p := range pred[u.ID] {
			old, ok := s.tree.Unit(p)
			if !ok {
				continue
			}
			d.former[u.ID] = append(d.former[u.ID], old.Name)
			if par, ok := s.tree.Unit(old.ParentID); ok && districtLevel(par.Kind) {
				votes[par.Name]++
			}
		}
		if par, ok := s.tree.Unit(u.ParentID); ok && districtLevel(par.Kind) {
			votes[par.Name] += 100
		}
		best := ""
		for name, n := range votes {
			if best == "" || n > votes[best] || (n == votes[best] && name < best) {
				best = name
			}
		}
		d.district[u.ID] = best
		slices.Sort(d.former[u.ID])
		groups[best] = append(groups[best], PortalCommuneLink{Code: u.Code, Name: u.Name, Overdue: d.overdue[u.ID]})
	}
	d.home.Districts = []PortalDistrict{}
	for name, cs := range groups {
		slices.SortFunc(cs, func(a, b PortalCommuneLink) int { return strings.Compare(a.Name, b.Name) })
		d.home.Districts = append(d.home.Districts, PortalDistrict{Name: name, Communes: cs})
	}
	// The unknown district last, the others by name.
	slices.SortFunc(d.home.Districts, func(a, b PortalDistrict) int {
		if (a.Name == "") != (b.Name == "") {
			if a.Name == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return nil
}

// districtLevel reports whether a unit kind is a district-level unit
// (district, provincial city, town) of before 1 July 2025.
func districtLevel(k org.Kind) bool {
	return k == org.KindDistrict || k == org.KindCity || k == org.KindTown
}
