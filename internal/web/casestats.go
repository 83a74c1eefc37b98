package web

// Case statistics and follow-up pages:
//
//	GET /cases/stats[?from=&to=&unit=]   figures per unit, kind and category (case.read)
//	GET /cases/stats.csv, .xlsx            the same figures as a file
//	GET /cases/prolonged[?unit=]         prolonged cases of the units below (case.read)
//	GET /bang-diem[?year=]               the public scorecard per agency and commune
//
// The rules (what counts, who sees what, small units hidden) are
// service.CaseStats.

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/chart"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func caseStatsFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// caseFig shows a rate or an average in the reader's language; a
	// negative one (nothing to divide) or a missing one shows as a dash.
	funcs["caseFig"] = func(l i18n.Locale, x any) string {
		var f float64
		switch v := x.(type) {
		case float64:
			f = v
		case *float64:
			if v == nil {
				return "—"
			}
			f = *v
		}
		if f < 0 {
			return "—"
		}
		return l.Decimal(f, 1)
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /cases/stats", w.caseStatsPage)
		mux.HandleFunc("GET /cases/stats.csv", w.caseStatsFile)
		mux.HandleFunc("GET /cases/stats.xlsx", w.caseStatsFile)
		mux.HandleFunc("GET /cases/prolonged", w.caseProlongedPage)
		mux.HandleFunc("GET /bang-diem", w.scorecardPage)
	}
}

type caseStatsData struct {
	From, To, Unit string
	Units          []org.Unit
	Errors         map[string]string
	Report         *service.CaseStatsReport
	Chart          template.HTML
	Tables         []caseStatsTable
}

// caseStatsTable is one table of the page: its id, heading key and lines.
type caseStatsTable struct {
	ID, Heading string
	Lines       []service.CaseStatsLine
}

// queryUnit reads ?unit=; a malformed one is a unit no one has.
func queryUnit(r *http.Request) int64 {
	s := strings.TrimSpace(r.URL.Query().Get("unit"))
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

func (w *Web) caseStatsPage(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	q := r.URL.Query()
	l := server.LocaleFrom(r.Context())
	d := caseStatsData{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit"), Units: w.d.Svc.CaseStats.Units(p)}
	rep, err := w.d.Svc.CaseStats.Stats(r.Context(), p, service.CaseStatsFilter{Unit: queryUnit(r), From: d.From, To: d.To}, l)
	if inv, ok := service.AsInvalid(err); ok {
		d.Errors = FieldMessages(l, inv)
		w.render(rw, r, http.StatusUnprocessableEntity, "casestats_stats", w.page(rw, r, "casestats.title", d))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Report, d.From, d.To = &rep, rep.From, rep.To
	d.Tables = []caseStatsTable{{"units", "casestats.by_unit", rep.Units}, {"kinds", "casestats.by_kind", rep.Kinds}, {"categories", "casestats.by_category", rep.Categories}}
	var bars []chart.Bar
	for _, u := range rep.Units {
		if u.OnTimeRate >= 0 && len(bars) < 20 {
			bars = append(bars, chart.Bar{Label: u.Name, Value: u.OnTimeRate, Note: l.T("casestats.chart.note", u.OnTime, u.Handled)})
		}
	}
	d.Chart = chart.HBar(chart.Bars{ID: "case-ontime", Title: l.T("casestats.chart.title"), Desc: l.T("casestats.chart.desc"),
		Bars: bars, Percent: true, Unit: "%", NoData: l.T("casestats.chart.none"), Format: func(f float64) string { return l.Decimal(math.Round(f*10)/10, -1) }})
	w.render(rw, r, http.StatusOK, "casestats_stats", w.page(rw, r, "casestats.title", d))
}

// caseStatsFile writes the figures as CSV (one table, the group in the
// first column) or XLSX (one sheet per grouping).
func (w *Web) caseStatsFile(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	q := r.URL.Query()
	l := server.LocaleFrom(r.Context())
	rep, err := w.d.Svc.CaseStats.Stats(r.Context(), p, service.CaseStatsFilter{Unit: queryUnit(r), From: q.Get("from"), To: q.Get("to")}, l)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	cols := []export.Column{{Title: l.T("casestats.col.name"), Width: 36}}
	for _, k := range []string{"received", "handled", "on_time"} {
		cols = append(cols, export.Column{Title: l.T("casestats.col." + k), Kind: export.KindInteger})
	}
	cols = append(cols, export.Column{Title: l.T("casestats.col.on_time_rate"), Kind: export.KindDecimal},
		export.Column{Title: l.T("casestats.col.avg_days"), Kind: export.KindDecimal},
		export.Column{Title: l.T("casestats.col.overdue"), Kind: export.KindInteger},
		export.Column{Title: l.T("casestats.col.avg_rating"), Kind: export.KindDecimal})
	num := func(f float64) export.Cell {
		if f < 0 {
			return export.Text("")
		}
		return export.Num(f)
	}
	row := func(x service.CaseStatsLine) []export.Cell {
		return []export.Cell{export.Text(x.Name), export.Num(float64(x.Received)), export.Num(float64(x.Handled)), export.Num(float64(x.OnTime)),
			num(x.OnTimeRate), num(x.AvgDays), export.Num(float64(x.Overdue)), num(x.AvgRating)}
	}
	groups := []struct {
		key   string
		lines []service.CaseStatsLine
	}{{"casestats.by_unit", rep.Units}, {"casestats.by_kind", rep.Kinds}, {"casestats.by_category", rep.Categories}}
	name := "thong-ke-vu-viec-" + rep.From + "-" + rep.To
	if strings.HasSuffix(r.URL.Path, ".csv") {
		t := export.Table{Columns: append([]export.Column{{Title: l.T("casestats.col.group")}}, cols...)}
		for _, g := range groups {
			for _, x := range g.lines {
				t.Rows = append(t.Rows, append([]export.Cell{export.Text(l.T(g.key))}, row(x)...))
			}
		}
		rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
		rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		_ = export.WriteCSV(rw, t)
		return
	}
	var tables []export.Table
	for _, g := range groups {
		t := export.Table{Sheet: l.T(g.key), Title: []string{l.T("casestats.title") + " — " + l.T(g.key), l.T("casestats.period_from") + " " + rep.From + " " + l.T("casestats.period_to") + " " + rep.To},
			Columns: cols}
		for _, x := range g.lines {
			t.Rows = append(t.Rows, row(x))
		}
		tables = append(tables, t)
	}
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	if err := export.WriteXLSX(rw, tables...); err != nil {
		w.d.Log.Error("case stats xlsx", "err", err)
	}
}

type caseProlongedData struct {
	Unit  string
	Units []org.Unit
	Cases []service.ProlongedCase
	Names map[int64]string
}

func (w *Web) caseProlongedPage(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	cs, err := w.d.Svc.CaseStats.Prolonged(r.Context(), p, queryUnit(r))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := caseProlongedData{Unit: r.URL.Query().Get("unit"), Units: w.d.Svc.CaseStats.Units(p), Cases: cs, Names: map[int64]string{}}
	for _, c := range cs {
		if u, ok := w.d.Svc.Tree.Unit(c.UnitID); ok {
			d.Names[c.UnitID] = u.Name
		}
	}
	w.render(rw, r, http.StatusOK, "casestats_prolonged", w.page(rw, r, "casestats.prolonged.title", d))
}

type scorecardData struct {
	Year     string
	Years    []int
	Errors   map[string]string
	Card     *service.Scorecard
	Sections []scoreSection
}

// scoreSection is one table of the scorecard: agencies or communes.
type scoreSection struct {
	ID, Heading string
	Lines       []service.ScoreLine
}

func (w *Web) scorecardPage(rw http.ResponseWriter, r *http.Request) {
	l := server.LocaleFrom(r.Context())
	typed := strings.TrimSpace(r.URL.Query().Get("year"))
	year := 0
	if typed != "" {
		y, err := strconv.Atoi(typed)
		if err != nil {
			y = -1
		}
		year = y
	}
	cur, _ := strconv.Atoi(w.d.Svc.Today()[:4])
	d := scorecardData{Year: typed}
	for y := cur; y >= cur-4; y-- {
		d.Years = append(d.Years, y)
	}
	card, err := w.d.Svc.CaseStats.Scorecard(r.Context(), year)
	if inv, ok := service.AsInvalid(err); ok {
		d.Errors = FieldMessages(l, inv)
		w.render(rw, r, http.StatusUnprocessableEntity, "casestats_scorecard", w.page(rw, r, "casestats.scorecard.title", d))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Card, d.Year = &card, strconv.Itoa(card.Year)
	d.Sections = []scoreSection{{"agencies", "casestats.scorecard.agencies", card.Agencies}, {"communes", "casestats.scorecard.communes", card.Communes}}
	w.render(rw, r, http.StatusOK, "casestats_scorecard", w.page(rw, r, "casestats.scorecard.title", d))
}
