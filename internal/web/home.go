package web

// The home page: the public presentation for visitors and citizens, "my
// work" for the officers, and the dashboard for leaders.

import (
	"net/http"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

type homeData struct {
	Communes, Bodies, OldCommunes int64
	// Work is set for a signed-in officer: the page shows "my work".
	Work *workView
}

// workView is [service.Work] with the period of each report in words.
type workView struct {
	service.Work
	Due      []dueItem
	Returned []reportItem
	Review   []reportItem
}

type dueItem struct {
	service.DueReport
	Period string
}

type reportItem struct {
	service.Report
	Period string
}

func (w *Web) home(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil || p.OnlyCitizen() {
		w.publicHome(rw, r)
		return
	}
	mw := w.d.Svc.MyWork
	if to := mw.Landing(p); to != "/" {
		http.Redirect(rw, r, to, http.StatusSeeOther)
		return
	}
	work, err := mw.For(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	v := &workView{Work: work}
	for _, d := range work.Due {
		v.Due = append(v.Due, dueItem{DueReport: d, Period: rptPeriodLabel(l, d.PeriodType, d.PeriodYear, d.PeriodNumber)})
	}
	items := func(rs []service.Report) []reportItem {
		out := make([]reportItem, 0, len(rs))
		for _, x := range rs {
			out = append(out, reportItem{Report: x, Period: rptPeriodLabel(l, x.PeriodType, x.PeriodYear, x.PeriodNumber)})
		}
		return out
	}
	v.Returned, v.Review = items(work.Returned), items(work.Review)
	w.render(rw, r, http.StatusOK, "home", w.page(rw, r, "home.work.title", homeData{Work: v}))
}

// publicHome presents the programme and the organisation: the portal
// (portal.go).
func (w *Web) publicHome(rw http.ResponseWriter, r *http.Request) {
	acc := w.d.Svc.Accounts
	t := acc.Today()
	d := homeData{
		Communes: int64(acc.UnitCount(t, org.KindCommune, org.KindWard, org.KindSpecialZone)),
		Bodies: int64(acc.UnitCount(t, org.KindPartyCommittee, org.KindPartyCommission, org.KindPartyOrgan, org.KindPeoplesCouncil,
			org.KindPeoplesCommittee, org.KindDepartment, org.KindStateAgency, org.KindFatherlandFront, org.KindMassOrg)),
		OldCommunes: int64(acc.UnitCount("2025-03-01", org.KindCommune, org.KindWard, org.KindTownship)),
	}
	w.portalHome(rw, r, d)
}

// Left says how far a due date is, in words: "còn 3 ngày", "hết hạn hôm
// nay", "quá hạn 2 ngày".
func (d dueItem) Left(l interface {
	T(string, ...any) string
	N(string, int, ...any) string
}) string {
	switch {
	case d.DaysLeft > 0:
		return l.N("home.work.days_left", d.DaysLeft)
	case d.DaysLeft == 0:
		return l.T("home.work.due_today")
	}
	return l.N("home.work.days_late", -d.DaysLeft)
}
