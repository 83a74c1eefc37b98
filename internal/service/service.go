package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Vietnam is the one time zone of danvan (UTC+7, no daylight saving): dates
// are Vietnamese calendar days and times are shown in it.
var Vietnam = calendar.Vietnam

// Clock tells the time. Production uses the store's clock (which tests may
// set); every service reads time only through it.
type Clock interface{ Now() time.Time }

// Deps are what the services are built from.
type Deps struct {
	Store  *store.Store
	Cfg    config.Config
	Policy account.Policy
	Log    *slog.Logger
}

// Services is every capability, wired once by [New].
type Services struct {
	Tree      *Tree
	Accounts  *Accounts
	Units     *Units
	Programme *Programme
	Reports   *Reports
	FollowUp  *FollowUp
	MyWork    *MyWork
	Notices   *Notices
	Calendar  *CalendarService
	Deadlines *Deadlines
	Cases     *Cases
	Civic     *Civic
	// Open311 and Open311Keys: the GeoReport v2 door's capability.
	Open311     *Open311
	Open311Keys *Open311Keys
	Reception   *Reception
	CaseStats   *CaseStats
	News        *News
	Models      *Models
	Consult     *Consult
	Disclosures *Disclosures
	Portal      *Portal
}

// base is what every capability shares.
type base struct {
	st     *store.Store
	tree   *Tree
	cfg    config.Config
	policy account.Policy
	log    *slog.Logger
}

// New builds the services and loads the organisation tree.
func New(ctx context.Context, d Deps) (*Services, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	tree := NewTree(func(ctx context.Context) ([]org.Unit, int64, error) {
		return d.Store.AllUnits(ctx)
	}, d.Store.UnitsChanged)
	if err := tree.Reload(ctx); err != nil {
		return nil, err
	}
	b := base{st: d.Store, tree: tree, cfg: d.Cfg, policy: d.Policy, log: d.Log}
	s := &Services{Tree: tree}
	s.Accounts = newAccounts(b)
	s.Units = newUnits(b)
	s.Programme = newProgramme(b)
	s.Reports = newReports(b)
	s.FollowUp = newFollowUp(b, s.Reports)
	s.MyWork = newMyWork(b, s.Reports)
	s.Notices = newNotices(b)
	s.Calendar = newCalendar(b)
	s.Deadlines = newDeadlines(b)
	s.Cases = newCases(b, s.Deadlines)
	s.Civic = newCivic(b, s.Deadlines)
	s.Open311, s.Open311Keys = newOpen311(b, s.Cases)
	s.Reception = newReception(b, s.Cases)
	s.CaseStats = newCaseStats(b)
	s.News = newNews(b)
	s.Models = newModels(b)
	s.Consult = newConsult(b)
	s.Disclosures = newDisclosures(b)
	s.Portal = newPortal(b, s)
	s.Portal.SetConsultations(s.Consult)
	return s, nil
}

// Now is the current time (UTC) by the store's clock.
func (b base) Now() time.Time { return b.st.Now() }

// Today is the current date in Vietnam, YYYY-MM-DD.
func (b base) Today() string { return b.st.Now().In(Vietnam).Format(org.DateLayout) }

// can reports whether p may perform a on unitID (0: installation-wide). It
// costs no SQL. An unknown unit is never allowed.
func (b base) can(p *Principal, a authz.Action, unitID int64) bool {
	if p != nil && p.System {
		return true
	}
	t, err := b.tree.Target(unitID)
	if err != nil {
		return false
	}
	var grants []authz.Grant
	if p != nil {
		grants = p.Grants
	}
	return authz.Can(grants, a, t)
}

// authorize is [base.can] as an error: ErrUnauthenticated for an anonymous
// caller of a non-public action, ErrNotFound for an unknown unit,
// ErrForbidden otherwise.
func (b base) authorize(p *Principal, a authz.Action, unitID int64) error {
	if b.can(p, a, unitID) {
		return nil
	}
	if p == nil || (p.User.ID == 0 && !p.System) {
		return ErrUnauthenticated
	}
	if _, err := b.tree.Target(unitID); err != nil {
		return ErrNotFound
	}
	return ErrForbidden
}

// Can reports whether p may perform a on unitID; doors use it only to show
// or hide links and buttons — the use cases check again.
func (s *Services) Can(p *Principal, a authz.Action, unitID int64) bool {
	return s.Accounts.base.can(p, a, unitID)
}

// Now is the current time (UTC) by the one clock of the installation.
func (s *Services) Now() time.Time { return s.Accounts.base.Now() }

// Today is the current date in Vietnam (YYYY-MM-DD): the date legal
// questions are asked on.
func (s *Services) Today() string { return s.Accounts.base.Today() }
