package web

// The dashboard for coordinators and leaders: progress per task and per
// unit, reporting completeness, indicator trends and late lists, as SVG
// charts drawn on the server (internal/chart), each followed by the same
// figures as a table for screen readers and for copying.

import (
	"html/template"
	"math"
	"net/http"
	"strconv"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/chart"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

type dashTableCtx struct {
	P Page
	T dashTable
}

type dashUrgeCtx struct {
	P Page
	U *dashUrge
}

// Rows lets "dash-rows" be given a dashTableCtx (for the CSRF token).
func (c dashTableCtx) Rows() [][]dashCell { return c.T.Rows }

// dashboardFeature adds the template helpers of these pages to funcs and returns
// their routes; web.New calls it (see features.go).
func dashboardFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["dashTableCtx"] = func(p Page, t dashTable) dashTableCtx { return dashTableCtx{P: p, T: t} }
	funcs["dashUrgeCtx"] = func(p Page, u *dashUrge) dashUrgeCtx { return dashUrgeCtx{P: p, U: u} }
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /dashboard", w.dashboard)
	}
}

// dashUnitsShown is how many units the per-unit chart shows (worst first).
const dashUnitsShown = 10

// dashBestShown is how many leading units are shown when there are many.
const dashBestShown = 5

// dashLateShown caps each late list on the page (the API has them all).
const dashLateShown = 50

type dashCell struct {
	Text string
	Href string
	Urge *dashUrge // a button that urges the unit (late reports, coordinators)
}

// dashUrge is what the follow-up work's POST /urges takes.
type dashUrge struct {
	Label, Message, Next         string
	ReportID, UnitID, TemplateID int64
	PeriodType                   string
	Year, Number                 int
}

type dashTable struct {
	Caption string
	Head    []string
	Rows    [][]dashCell
}

type dashSection struct {
	ID, Heading string
	Chart       template.HTML
	Table       dashTable
	Empty       bool
}

type dashKPI struct {
	Ring  template.HTML // percent tiles
	Label string
	Value string // count tiles
	Href  string
}

type dashData struct {
	D           service.Dashboard
	UnitID      int64
	UnitName    string
	Units       []org.Unit
	Directives  []service.DashOption
	Templates   []service.DashOption
	Periods     []service.DashOption
	KPIs        []dashKPI
	Sections    []dashSection
	LateReports dashTable
	LateActs    dashTable
	MoreReports int64
	MoreActs    int64
	Intro       string
	CanUrge     bool
	Self        string // this page's address, to come back to after urging
}

func idParam(r *http.Request, name string) int64 {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0 // junk falls back to the default
	}
	return id
}

// dashPeriodParam is ?period= when well formed; junk falls back to the
// latest period.
func dashPeriodParam(r *http.Request) string {
	if p := r.URL.Query().Get("period"); service.DashboardPeriodPattern.MatchString(p) {
		return p
	}
	return ""
}

func (w *Web) dashboard(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	ctx := r.Context()
	l := server.LocaleFrom(ctx)
	fu := w.d.Svc.FollowUp
	d, err := fu.Dashboard(ctx, p, service.DashboardInput{
		UnitID: idParam(r, "unit"), DirectiveID: idParam(r, "directive"), TemplateID: idParam(r, "template"),
		Period: dashPeriodParam(r), Lang: l.Lang(),
	})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	unitID := d.UnitID
	data := dashData{D: d, UnitID: unitID, Directives: d.Directives, Templates: d.Templates, Units: fu.DashboardUnits(p, unitID)}
	for _, u := range data.Units {
		if u.ID == unitID {
			data.UnitName = u.Name
		}
	}
	for _, pc := range d.PeriodChoices {
		data.Periods = append(data.Periods, service.DashOption{Key: pc.Key, Label: periodLabel(l, pc.Type, pc.Year, pc.Number)})
	}
	data.Intro = l.T("dashboard.intro", l.DateString(d.Today))
	data.CanUrge = w.d.Svc.Can(p, authz.ActionUrgeSend, unitID)
	back := r.URL.Query()
	back.Del("flash") // urging adds its own
	data.Self = "/dashboard"
	if len(back) > 0 {
		data.Self += "?" + back.Encode()
	}
	buildDashboard(l, &data)
	w.render(rw, r, http.StatusOK, "dashboard", w.page(rw, r, "dashboard.title", data))
}

// periodLabel names a report period in the reader's language.
func periodLabel(l i18n.Locale, typ string, year, number int) string {
	switch typ {
	case "monthly", "quarterly":
		return l.T("dashboard.period."+typ, number, year)
	case "six_month", "nine_month", "annual":
		return l.T("dashboard.period."+typ, year)
	}
	return strconv.Itoa(year) + "-" + strconv.Itoa(number)
}

func statusText(l i18n.Locale, s programme.Status) string {
	if s == "" {
		return ""
	}
	return l.T("dashboard.status." + string(s))
}

func pct(l i18n.Locale, f float64) string { return l.Decimal(math.Round(f*10)/10, -1) + "%" }

// buildDashboard turns the figures into tiles, charts and tables.
func buildDashboard(l i18n.Locale, data *dashData) {
	d := data.D
	dec := func(f float64) string { return l.Decimal(math.Round(f*10)/10, -1) }
	noData := l.T("dashboard.no_data")

	// Tiles.
	progress := math.NaN()
	if d.Progress != nil {
		progress = *d.Progress
	}
	n := 0
	for _, c := range d.StatusCounts {
		n += c
	}
	data.KPIs = append(data.KPIs, dashKPI{Label: l.T("dashboard.kpi.progress"), Ring: chart.ProgressRing(chart.Ring{ID: "kpi-progress",
		Label: l.T("dashboard.kpi.progress"), Percent: progress, Format: dec, Note: l.N("dashboard.kpi.progress_note", n, l.Int(int64(n)))})})
	onTime := math.NaN()
	if d.OnTimePercent != nil {
		onTime = *d.OnTimePercent
	}
	data.KPIs = append(data.KPIs, dashKPI{Label: l.T("dashboard.kpi.on_time"), Ring: chart.ProgressRing(chart.Ring{ID: "kpi-ontime", Color: "#1d5e20",
		Label: l.T("dashboard.kpi.on_time"), Percent: onTime, Format: dec, Note: l.N("dashboard.kpi.on_time_note", len(d.Completeness))})})
	data.KPIs = append(data.KPIs, dashKPI{Label: l.T("dashboard.kpi.late_reports"), Value: l.Int(int64(len(d.LateReports))), Href: "#late"})
	data.KPIs = append(data.KPIs, dashKPI{Label: l.T("dashboard.kpi.late_activities"), Value: l.Int(int64(len(d.LateActivities))), Href: "#late"})
	if d.OpenRecommendations != nil {
		data.KPIs = append(data.KPIs, dashKPI{Label: l.T("dashboard.kpi.open_recs"), Value: l.Int(int64(*d.OpenRecommendations)), Href: "/inspections"})
	}

	// Progress per task.
	sec := dashSection{ID: "tasks", Heading: l.T("dashboard.tasks.heading"), Empty: len(d.Tasks) == 0}
	var bars []chart.Bar
	sec.Table = dashTable{Caption: sec.Heading, Head: []string{l.T("dashboard.col.task"), l.T("dashboard.col.progress"), l.T("dashboard.col.status")}}
	for _, t := range d.Tasks {
		label := strconv.Itoa(t.Number) + ". " + t.Title
		bars = append(bars, chart.Bar{Label: label, Value: t.Percent, Note: statusText(l, t.Status)})
		sec.Table.Rows = append(sec.Table.Rows, []dashCell{{Text: label, Href: "/programme/directives/" + strconv.FormatInt(d.DirectiveID, 10)}, {Text: pct(l, t.Percent)}, {Text: statusText(l, t.Status)}})
	}
	noDir := noData
	if len(d.Directives) == 0 {
		noDir = l.T("dashboard.no_directive")
	}
	sec.Chart = chart.HBar(chart.Bars{ID: "tasks", Title: sec.Heading, Desc: l.T("dashboard.tasks.desc", d.Directive), Bars: bars,
		Percent: true, Unit: "%", Format: dec, NoData: noDir})
	data.Sections = append(data.Sections, sec)

	// Activities by status: one stacked bar.
	sec = dashSection{ID: "status", Heading: l.T("dashboard.status.heading"), Empty: n == 0}
	var parts []chart.Part
	var vals []float64
	sec.Table = dashTable{Caption: sec.Heading, Head: []string{l.T("dashboard.col.status"), l.T("dashboard.col.activities")}}
	colors := map[programme.Status]string{programme.StatusDone: "#1d5e20", programme.StatusOnTrack: "#0b4a8b", programme.StatusAtRisk: "#7a4f00", programme.StatusLate: "#a50e0e", programme.StatusNotStarted: "#4a4a4a"}
	for _, st := range []programme.Status{programme.StatusDone, programme.StatusOnTrack, programme.StatusAtRisk, programme.StatusLate, programme.StatusNotStarted} {
		parts = append(parts, chart.Part{Name: statusText(l, st), Color: colors[st]})
		vals = append(vals, float64(d.StatusCounts[st]))
		sec.Table.Rows = append(sec.Table.Rows, []dashCell{{Text: statusText(l, st)}, {Text: l.Int(int64(d.StatusCounts[st]))}})
	}
	var stacks []chart.Stack
	if n > 0 {
		stacks = []chart.Stack{{Label: l.T("dashboard.status.label"), Values: vals}}
	}
	sec.Chart = chart.StackedBar(chart.Stacked{ID: "status", Title: sec.Heading, Parts: parts, Stacks: stacks, Format: dec, NoData: noDir})
	data.Sections = append(data.Sections, sec)

	// Progress per unit, worst first.
	sec = dashSection{ID: "units", Heading: l.T("dashboard.units.heading"), Empty: len(d.Units) == 0}
	bars = nil
	shown := d.Units
	if len(shown) > dashUnitsShown {
		shown = shown[:dashUnitsShown]
	}
	for _, u := range shown {
		bars = append(bars, chart.Bar{Label: u.Name, Value: u.Percent, Note: statusText(l, u.Status)})
	}
	sec.Table = dashTable{Caption: sec.Heading, Head: []string{l.T("dashboard.col.unit"), l.T("dashboard.col.progress"), l.T("dashboard.col.status"), l.T("dashboard.col.activities")}}
	for _, u := range d.Units {
		sec.Table.Rows = append(sec.Table.Rows, []dashCell{{Text: u.Name, Href: "/programme/units/" + strconv.FormatInt(u.UnitID, 10)}, {Text: pct(l, u.Percent)}, {Text: statusText(l, u.Status)}, {Text: l.Int(int64(u.Activities))}})
	}
	sec.Chart = chart.HBar(chart.Bars{ID: "units", Title: sec.Heading, Desc: l.N("dashboard.units.desc", len(shown), l.Int(int64(len(shown))), l.Int(int64(len(d.Units)))), Bars: bars,
		Percent: true, Unit: "%", Format: dec, NoData: noDir, Color: "#6a3d9a"})
	data.Sections = append(data.Sections, sec)
	if len(d.Units) > dashUnitsShown {
		// Many units: the leaders too, best first.
		best := dashSection{ID: "units-best", Heading: l.T("dashboard.units.best")}
		best.Table = dashTable{Caption: best.Heading, Head: sec.Table.Head}
		bars = nil
		for i := len(d.Units) - 1; i >= 0 && len(bars) < dashBestShown; i-- {
			u := d.Units[i]
			bars = append(bars, chart.Bar{Label: u.Name, Value: u.Percent, Note: statusText(l, u.Status)})
			best.Table.Rows = append(best.Table.Rows, []dashCell{{Text: u.Name, Href: "/programme/units/" + strconv.FormatInt(u.UnitID, 10)}, {Text: pct(l, u.Percent)}, {Text: statusText(l, u.Status)}, {Text: l.Int(int64(u.Activities))}})
		}
		best.Chart = chart.HBar(chart.Bars{ID: "units-best", Title: best.Heading, Bars: bars, Percent: true, Unit: "%", Format: dec, NoData: noDir, Color: "#1d5e20"})
		data.Sections = append(data.Sections, best)
	}

	// Completeness per period.
	tplName := ""
	for _, t := range d.Templates {
		if t.ID == d.TemplateID {
			tplName = t.Label
		}
	}
	noTpl := noData
	if len(d.Templates) == 0 {
		noTpl = l.T("dashboard.no_template")
	}
	sec = dashSection{ID: "completeness", Heading: l.T("dashboard.completeness.heading"), Empty: len(d.Completeness) == 0}
	sec.Table = dashTable{Caption: sec.Heading, Head: []string{l.T("dashboard.col.period"), l.T("dashboard.expected"), l.T("dashboard.on_time"), l.T("dashboard.late"), l.T("dashboard.missing"), l.T("dashboard.pending")}}
	stacks = nil
	for _, p := range d.Completeness {
		lbl := periodLabel(l, p.Type, p.Year, p.Number)
		stacks = append(stacks, chart.Stack{Label: lbl, Values: []float64{float64(p.OnTime), float64(p.Late), float64(p.Missing), float64(p.Pending)}})
		sec.Table.Rows = append(sec.Table.Rows, []dashCell{{Text: lbl}, {Text: l.Int(int64(p.Expected))}, {Text: l.Int(int64(p.OnTime))}, {Text: l.Int(int64(p.Late))}, {Text: l.Int(int64(p.Missing))}, {Text: l.Int(int64(p.Pending))}})
	}
	sec.Chart = chart.StackedBar(chart.Stacked{ID: "completeness", Title: sec.Heading, Desc: l.T("dashboard.completeness.desc", tplName),
		Parts:  []chart.Part{{Name: l.T("dashboard.on_time")}, {Name: l.T("dashboard.late")}, {Name: l.T("dashboard.missing")}, {Name: l.T("dashboard.pending")}},
		Stacks: stacks, Format: dec, NoData: noTpl, TotalLabel: l.T("dashboard.expected")})
	data.Sections = append(data.Sections, sec)

	// Trends: counts in one chart, rates in another (one axis each).
	var labels []string
	for _, p := range d.Trends.Periods {
		labels = append(labels, periodLabel(l, p.Type, p.Year, p.Number))
	}
	for _, kind := range []string{"counts", "percent"} {
		var series []chart.Series
		tbl := dashTable{Head: append([]string{l.T("dashboard.col.indicator")}, labels...)}
		for _, se := range d.Trends.Series {
			if (se.ValueType == "percent") != (kind == "percent") {
				continue
			}
			if len(series) == len(chart.Palette) {
				break // a readable chart; the API has every series
			}
			vs := make([]float64, len(se.Values))
			row := []dashCell{{Text: se.Name}}
			for i, v := range se.Values {
				if v == nil {
					vs[i] = math.NaN()
					row = append(row, dashCell{Text: "–"})
				} else {
					vs[i] = *v
					row = append(row, dashCell{Text: dec(*v)})
				}
			}
			series = append(series, chart.Series{Name: se.Name, Values: vs})
			tbl.Rows = append(tbl.Rows, row)
		}
		if kind == "percent" && len(series) == 0 {
			continue
		}
		sec = dashSection{ID: "trends-" + kind, Heading: l.T("dashboard.trends." + kind), Empty: len(series) == 0}
		tbl.Caption = sec.Heading
		sec.Table = tbl
		sec.Chart = chart.Line(chart.Lines{ID: "trends-" + kind, Title: l.T("dashboard.trends.heading") + ": " + sec.Heading,
			Desc: l.T("dashboard.trends.desc", data.UnitName), Labels: labels, Series: series, Format: dec, NoData: noTpl})
		data.Sections = append(data.Sections, sec)
	}

	// Late lists.
	data.LateReports = dashTable{Caption: l.T("dashboard.late.reports"), Head: []string{l.T("dashboard.col.unit"), l.T("dashboard.col.period"), l.T("dashboard.col.due"), l.T("dashboard.col.days_late"), l.T("dashboard.col.status")}}
	if data.CanUrge {
		data.LateReports.Head = append(data.LateReports.Head, l.T("dashboard.col.action"))
	}
	for i, lr := range d.LateReports {
		if i == dashLateShown {
			data.MoreReports = int64(len(d.LateReports) - i)
			break
		}
		href, st := "/units/"+strconv.FormatInt(lr.UnitID, 10), "none"
		if lr.ReportID != 0 {
			href, st = "/reports/"+strconv.FormatInt(lr.ReportID, 10), lr.Status
		}
		per := periodLabel(l, lr.Type, lr.Year, lr.Number)
		row := []dashCell{{Text: lr.UnitName, Href: href}, {Text: per},
			{Text: l.DateString(lr.DueOn)}, {Text: l.Int(int64(lr.DaysLate))}, {Text: l.T("dashboard.report_status." + st)}}
		if data.CanUrge {
			row = append(row, dashCell{Urge: &dashUrge{Label: l.T("dashboard.urge_label", lr.UnitName, per),
				Message: l.T("dashboard.urge_message", per, l.DateString(lr.DueOn)), Next: data.Self + "#late",
				ReportID: lr.ReportID, UnitID: lr.UnitID, TemplateID: d.TemplateID, PeriodType: lr.Type, Year: lr.Year, Number: lr.Number}})
		}
		data.LateReports.Rows = append(data.LateReports.Rows, row)
	}
	data.LateActs = dashTable{Caption: l.T("dashboard.late.activities"), Head: []string{l.T("dashboard.col.unit"), l.T("dashboard.col.activity"), l.T("dashboard.col.task"), l.T("dashboard.col.due"), l.T("dashboard.col.days_late"), l.T("dashboard.col.progress")}}
	for i, la := range d.LateActivities {
		if i == dashLateShown {
			data.MoreActs = int64(len(d.LateActivities) - i)
			break
		}
		data.LateActs.Rows = append(data.LateActs.Rows, []dashCell{{Text: la.UnitName, Href: "/programme/units/" + strconv.FormatInt(la.UnitID, 10)}, {Text: la.Title},
			{Text: strconv.Itoa(la.TaskNumber)}, {Text: l.DateString(la.DueOn)}, {Text: l.Int(int64(la.DaysLate))}, {Text: pct(l, float64(la.Progress))}})
	}
}
