package service

// Grassroots-democracy disclosures (Law 10/2022/QH15 Art. 11). A commune
// makes public its plans, budgets, projects, land decisions, the funds it
// raises from residents, beneficiary lists, relief, inspection results,
// fees and procedures, within [DisclosureWorkingDays] working days of the
// decision (counted by the working calendar of the installation, Tết and
// swapped days included). Whoever may write the commune's reports records
// and publishes; everyone may read what was published and see which
// disclosures are late — published after the due date, or still not
// published past it.

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// DisclosureWorkingDays is the time a commune has to publish after a
// decision (Law 10/2022/QH15 Art. 11 and its guidance).
const DisclosureWorkingDays = 5

// Categories of Art. 11, as stored codes (names in disclosure.*.json).
var DisclosureCategories = []string{
	"plan",          // socio-economic plans, programmes
	"budget",        // commune budget estimates and accounts
	"project",       // investment projects and works
	"land",          // land-use plans, recovery, compensation, allocation
	"contribution",  // funds and contributions raised from residents
	"beneficiaries", // social policies and their beneficiary lists
	"relief",        // relief money and goods
	"inspection",    // results of inspections and of handling cases
	"fees",          // fees and charges
	"procedures",    // administrative procedures
}

// Forms of publication.
var DisclosureForms = []string{"notice_board", "loudspeaker", "website", "meeting"}

// Statuses of a disclosure.
const (
	DisclosurePending   = "pending"
	DisclosurePublished = "published"
	DisclosureWithdrawn = "withdrawn"
)

// Message keys of the disclosures (disclosure.*.json).
const (
	MsgDisclosurePublishedBefore = "disclosure.err.published_before"
	MsgDisclosureFuture          = "disclosure.err.future"
	MsgDisclosureWithdrawn       = "disclosure.err.withdrawn"
	MsgDisclosureNotCommune      = "disclosure.err.not_commune"
)

// MaxDisclosurePage bounds a list.
const MaxDisclosurePage = 500

// Disclosure is a disclosure with its standing on the day asked.
type Disclosure struct {
	store.Disclosure
	// Overdue: published after DueOn, or not published and DueOn passed.
	Overdue bool `json:"overdue"`
	// DaysLate is the working days past DueOn (to publication, or to today).
	DaysLate int `json:"days_late,omitempty"`
}

// DisclosureInput is a disclosure as typed. PublishedOn empty records a
// decision still to be published. Version is needed for an update.
type DisclosureInput struct {
	UnitID      int64      `json:"unit_id"`
	Category    string     `json:"category"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	DecisionNo  string     `json:"decision_no"`
	DecidedOn   string     `json:"decided_on"`
	PublishedOn string     `json:"published_on"`
	Form        string     `json:"form"`
	Version     int        `json:"version,omitempty"`
	File        *FileInput `json:"-"`
}

// Disclosures is the disclosures capability.
type Disclosures struct {
	base
}

func newDisclosures(b base) *Disclosures { return &Disclosures{base: b} }

// DueOn is the last day to publish a decision taken on decided: five
// working days after it (the day of the decision not counted).
func (s *Disclosures) DueOn(ctx context.Context, decided string) string {
	d, err := calendar.ParseDate(decided)
	if err != nil {
		return decided
	}
	return s.st.WorkingCalendar(ctx).AddWorkingDays(d, DisclosureWorkingDays).String()
}

// standing fills Overdue and DaysLate on today.
func (s *Disclosures) standing(cal calendar.Calendar, d store.Disclosure, today string) Disclosure {
	out := Disclosure{Disclosure: d}
	if d.Status == DisclosureWithdrawn {
		return out
	}
	end := d.PublishedOn
	if end == "" {
		end = today
	}
	if end > d.DueOn {
		out.Overdue = true
		due, err1 := calendar.ParseDate(d.DueOn)
		e, err2 := calendar.ParseDate(end)
		if err1 == nil && err2 == nil {
			out.DaysLate = cal.WorkingDaysBetween(due, e)
		}
	}
	return out
}

// IsCommune reports whether the unit is a commune-level unit: the units
// that publish under Art. 11.
func (s *Disclosures) IsCommune(id int64) bool {
	u, ok := s.tree.Unit(id)
	return ok && communeLevel(u.Kind)
}

// Units are the commune-level units valid today on which p may publish.
func (s *Disclosures) Units(p *Principal) []org.Unit {
	if p == nil {
		return nil
	}
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if communeLevel(u.Kind) && s.can(p, authz.ActionReportEdit, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

func (in DisclosureInput) check(v *Validator, today string) store.Disclosure {
	d := store.Disclosure{UnitID: in.UnitID}
	d.Category = v.Choice("category", in.Category, DisclosureCategories...)
	d.Title = v.Line("title", in.Title, 3, 300)
	d.Summary = v.Text("summary", in.Summary, 0, 4000)
	d.DecisionNo = v.Line("decision_no", in.DecisionNo, 0, 60)
	d.DecidedOn = v.Date("decided_on", in.DecidedOn, true)
	d.PublishedOn = v.Date("published_on", in.PublishedOn, false)
	if !v.Has("decided_on") && d.DecidedOn > today {
		v.Add("decided_on", MsgDisclosureFuture)
	}
	if d.PublishedOn != "" {
		d.Form = v.Choice("form", in.Form, DisclosureForms...)
		switch {
		case v.Has("published_on") || v.Has("decided_on"):
		case d.PublishedOn < d.DecidedOn:
			v.Add("published_on", MsgDisclosurePublishedBefore)
		case d.PublishedOn > today:
			v.Add("published_on", MsgDisclosureFuture)
		}
		d.Status = DisclosurePublished
	} else {
		if in.Form != "" {
			d.Form = v.Choice("form", in.Form, DisclosureForms...)
		}
		d.Status = DisclosurePending
	}
	return d
}

func disclosureFile(v *Validator, f *FileInput) *store.DisclosureFile {
	if f == nil || (f.Name == "" && len(f.Data) == 0) {
		return nil
	}
	ct, err := SniffUpload(f.Name, f.Data)
	if inv, ok := AsInvalid(err); ok {
		v.Add("file", inv.Fields[0].Key, inv.Fields[0].Args...)
		return nil
	}
	return &store.DisclosureFile{Name: CleanFileName(f.Name, "file"), ContentType: ct, Data: f.Data}
}

// ReadUpload reads an uploaded document up to one byte over the limit, so
// that the check refuses what is too large.
func ReadUpload(name string, r io.Reader) (*FileInput, error) {
	if r == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCaseFileSize+1))
	if err != nil {
		return nil, unavailable("read upload", err)
	}
	return &FileInput{Name: name, Data: data}, nil
}

// Create records a disclosure of a commune (report.edit on it).
func (s *Disclosures) Create(ctx context.Context, p *Principal, in DisclosureInput) (Disclosure, error) {
	if err := s.authorize(p, authz.ActionReportEdit, in.UnitID); err != nil {
		return Disclosure{}, err
	}
	var v Validator
	if !s.IsCommune(in.UnitID) {
		v.Add("unit_id", MsgDisclosureNotCommune)
	}
	d := in.check(&v, s.Today())
	f := disclosureFile(&v, in.File)
	if err := v.Err(); err != nil {
		return Disclosure{}, err
	}
	d.DueOn = s.DueOn(ctx, d.DecidedOn)
	if err := s.st.CreateDisclosure(ctx, p.Actor(), &d, f); err != nil {
		return Disclosure{}, unavailable("create disclosure", err)
	}
	return s.Get(ctx, d.ID)
}

// editable reads a disclosure p may change.
func (s *Disclosures) editable(ctx context.Context, p *Principal, id int64) (store.Disclosure, error) {
	if anonymousCaller(p) {
		return store.Disclosure{}, ErrUnauthenticated
	}
	cur, err := s.st.GetDisclosure(ctx, id)
	if err != nil {
		return cur, unavailable("disclosure", err)
	}
	if err := s.authorize(p, authz.ActionReportEdit, cur.UnitID); err != nil {
		return cur, err
	}
	return cur, nil
}

// Update changes a disclosure (its commune stays); publishing is giving
// it a date of publication and a form.
func (s *Disclosures) Update(ctx context.Context, p *Principal, id int64, in DisclosureInput) (Disclosure, error) {
	cur, err := s.editable(ctx, p, id)
	if err != nil {
		return Disclosure{}, err
	}
	var v Validator
	if cur.Status == DisclosureWithdrawn {
		v.Add("status", MsgDisclosureWithdrawn)
	}
	in.UnitID = cur.UnitID
	d := in.check(&v, s.Today())
	f := disclosureFile(&v, in.File)
	version(&v, in.Version)
	if err := v.Err(); err != nil {
		return Disclosure{}, err
	}
	d.ID = id
	d.DueOn = s.DueOn(ctx, d.DecidedOn)
	action := "disclosure.update"
	if cur.PublishedOn == "" && d.PublishedOn != "" {
		action = "disclosure.publish"
	}
	if err := s.st.UpdateDisclosure(ctx, p.Actor(), &d, f, in.Version, action); err != nil {
		if errors.Is(err, store.ErrStale) {
			return Disclosure{}, &StaleVersionError{Current: cur.Version}
		}
		return Disclosure{}, unavailable("update disclosure", err)
	}
	return s.Get(ctx, id)
}

// Withdraw takes a disclosure down with a reason; it stays on record.
func (s *Disclosures) Withdraw(ctx context.Context, p *Principal, id int64, reason string, ver int) (Disclosure, error) {
	cur, err := s.editable(ctx, p, id)
	if err != nil {
		return Disclosure{}, err
	}
	var v Validator
	if cur.Status == DisclosureWithdrawn {
		v.Add("status", MsgDisclosureWithdrawn)
	}
	cur.WithdrawnReason = v.Line("reason", reason, 3, 500)
	version(&v, ver)
	if err := v.Err(); err != nil {
		return Disclosure{}, err
	}
	cur.Status = DisclosureWithdrawn
	if err := s.st.UpdateDisclosure(ctx, p.Actor(), &cur, nil, ver, "disclosure.withdraw"); err != nil {
		if errors.Is(err, store.ErrStale) {
			return Disclosure{}, &StaleVersionError{Current: cur.Version}
		}
		return Disclosure{}, unavailable("withdraw disclosure", err)
	}
	return s.Get(ctx, id)
}

// Get reads one disclosure. Disclosures are public: anyone may read them.
func (s *Disclosures) Get(ctx context.Context, id int64) (Disclosure, error) {
	if id <= 0 {
		return Disclosure{}, ErrNotFound
	}
	d, err := s.st.GetDisclosure(ctx, id)
	if err != nil {
		return Disclosure{}, unavailable("disclosure", err)
	}
	return s.standing(s.st.WorkingCalendar(ctx), d, s.Today()), nil
}

// File returns the document of a disclosure that is not withdrawn.
func (s *Disclosures) File(ctx context.Context, id int64) (File, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return File{}, err
	}
	if d.Status == DisclosureWithdrawn {
		return File{}, ErrNotFound
	}
	f, err := s.st.DisclosureFileData(ctx, id)
	if err != nil {
		return File{}, unavailable("disclosure file", err)
	}
	return File{Name: f.Name, ContentType: f.ContentType, Data: f.Data}, nil
}

// DisclosureQuery selects disclosures: of one commune (0: all), of a
// category, only the overdue ones.
type DisclosureQuery struct {
	UnitID      int64  `json:"unit_id"`
	Category    string `json:"category"`
	OverdueOnly bool   `json:"overdue_only"`
	Limit       int    `json:"limit"`
}

// List lists the disclosures (newest decision first); public. The
// withdrawn are listed with their reason.
func (s *Disclosures) List(ctx context.Context, q DisclosureQuery) ([]Disclosure, error) {
	var v Validator
	if q.Category != "" {
		v.Choice("category", q.Category, DisclosureCategories...)
	}
	if q.UnitID != 0 {
		if _, ok := s.tree.Unit(q.UnitID); !ok {
			return nil, ErrNotFound
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > MaxDisclosurePage {
		q.Limit = MaxDisclosurePage
	}
	f := store.DisclosureFilter{Category: q.Category, IncludeWithdrawn: !q.OverdueOnly}
	if q.UnitID != 0 {
		f.Units = []int64{q.UnitID}
	}
	if !q.OverdueOnly {
		f.Limit = q.Limit
	}
	rows, err := s.st.ListDisclosures(ctx, f)
	if err != nil {
		return nil, unavailable("list disclosures", err)
	}
	cal, today := s.st.WorkingCalendar(ctx), s.Today()
	out := make([]Disclosure, 0, len(rows))
	for _, r := range rows {
		d := s.standing(cal, r, today)
		if q.OverdueOnly && !d.Overdue {
			continue
		}
		out = append(out, d)
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// DisclosureTally is the disclosures of one commune: how many, how many
// published on time, how many late.
type DisclosureTally struct {
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	Total       int    `json:"total"`
	OnTime      int    `json:"on_time"`
	Overdue     int    `json:"overdue"`
	Unpublished int    `json:"unpublished"`
}

// all is every disclosure not withdrawn with its standing today, newest
// decision first, without a bound: for counting.
func (s *Disclosures) all(ctx context.Context) ([]Disclosure, error) {
	rows, err := s.st.ListDisclosures(ctx, store.DisclosureFilter{})
	if err != nil {
		return nil, unavailable("list disclosures", err)
	}
	cal, today := s.st.WorkingCalendar(ctx), s.Today()
	out := make([]Disclosure, 0, len(rows))
	for _, r := range rows {
		out = append(out, s.standing(cal, r, today))
	}
	return out, nil
}

// Tallies counts the disclosures of every commune that has some, by name.
func (s *Disclosures) Tallies(ctx context.Context) ([]DisclosureTally, error) {
	all, err := s.all(ctx)
	if err != nil {
		return nil, err
	}
	by := map[int64]*DisclosureTally{}
	for _, d := range all {
		t := by[d.UnitID]
		if t == nil {
			t = &DisclosureTally{UnitID: d.UnitID, UnitName: d.UnitName}
			by[d.UnitID] = t
		}
		t.Total++
		switch {
		case d.Overdue:
			t.Overdue++
		case d.PublishedOn != "":
			t.OnTime++
		}
		if d.PublishedOn == "" {
			t.Unpublished++
		}
	}
	out := make([]DisclosureTally, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b DisclosureTally) int {
		if a.UnitName < b.UnitName {
			return -1
		}
		if a.UnitName > b.UnitName {
			return 1
		}
		return 0
	})
	return out, nil
}

// AttachFile puts (or replaces) the document of a disclosure, read from r
// up to one byte over the limit and checked by content.
func (s *Disclosures) AttachFile(ctx context.Context, p *Principal, id int64, name string, r io.Reader) (Disclosure, error) {
	cur, err := s.editable(ctx, p, id)
	if err != nil {
		return Disclosure{}, err
	}
	if cur.Status == DisclosureWithdrawn {
		return Disclosure{}, Invalid("status", MsgDisclosureWithdrawn)
	}
	if r == nil {
		return Disclosure{}, Invalid("file", MsgFileRequired)
	}
	in, err := ReadUpload(name, r)
	if err != nil {
		return Disclosure{}, err
	}
	var v Validator
	f := disclosureFile(&v, in)
	if f == nil && !v.Has("file") {
		v.Add("file", MsgFileRequired)
	}
	if err := v.Err(); err != nil {
		return Disclosure{}, err
	}
	if err := s.st.UpdateDisclosure(ctx, p.Actor(), &cur, f, cur.Version, "disclosure.update"); err != nil {
		return Disclosure{}, unavailable("disclosure file", err)
	}
	return s.Get(ctx, id)
}
