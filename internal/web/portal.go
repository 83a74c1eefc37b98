package web

// The public portal, readable without JavaScript:
//
//	GET /                   for visitors: the portal's home, by the motto "dân biết, dân bàn,
//	                        dân kiểm tra, giám sát, dân thụ hưởng", and the communes by former district
//	GET /xa/{code}          everything public about one commune
//	GET /cong-khai          the disclosures of the communes (?xa=ID&category=…&overdue=1)
//	GET /cong-khai/{id}/tep the document of a disclosure (a download)
//
// The figures come from service.Portal and service.Disclosures.

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

func portalFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	// portalPct is a percentage with one decimal, or a dash when there is none.
	funcs["portalPct"] = func(l i18n.Locale, f any) string {
		switch x := f.(type) {
		case *float64:
			if x == nil {
				return "—"
			}
			return l.Decimal(*x, 1) + " %"
		case float64:
			return l.Decimal(x, 1) + " %"
		}
		return "—"
	}
	// portalNum is a whole number in the locale's way.
	funcs["portalNum"] = func(l i18n.Locale, n int) string { return l.Int(int64(n)) }
	// portalRates is the argument of the "portal_rates" block (a scorecard
	// section of things done on time).
	funcs["portalRates"] = func(p Page, id, heading string, lines []service.RateLine) map[string]any {
		return map[string]any{"P": p, "ID": id, "Heading": heading, "Lines": lines}
	}
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /xa/{code}", w.portalCommune)
		mux.HandleFunc("GET /cong-khai", w.disclosuresPublic)
		mux.HandleFunc("GET /cong-khai/{id}/tep", w.disclosureFile)
	}
}

// portalMeta is what a public page says about itself to search engines and
// link previews.
type portalMeta struct {
	Description string
	URL         string // absolute when DANVAN_BASE_URL is set
	Image       string // absolute; empty when the page has no picture
}

func (w *Web) meta(r *http.Request, description string) portalMeta {
	base := strings.TrimSuffix(w.d.Cfg.BaseURL, "/")
	return portalMeta{Description: description, URL: base + r.URL.RequestURI()}
}

type portalHomeData struct {
	homeData
	Meta portalMeta
	service.PortalHome
}

// portalHome is the home page of visitors and citizens.
func (w *Web) portalHome(rw http.ResponseWriter, r *http.Request, hd homeData) {
	h, err := w.d.Svc.Portal.Home(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	d := portalHomeData{homeData: hd, PortalHome: h, Meta: w.meta(r, l.T("portal.description"))}
	w.render(rw, r, http.StatusOK, "portal_home", w.page(rw, r, "home.title", d))
}

type portalCommuneData struct {
	service.PortalCommune
	Meta       portalMeta
	Categories []string
}

func (w *Web) portalCommune(rw http.ResponseWriter, r *http.Request) {
	c, err := w.d.Svc.Portal.Commune(r.Context(), r.PathValue("code"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	d := portalCommuneData{PortalCommune: c, Meta: w.meta(r, l.T("portal.commune.description", c.Unit.Name)), Categories: service.DisclosureCategories}
	p := w.page(rw, r, "portal.commune.title", d)
	p.Title = c.Unit.Name
	w.render(rw, r, http.StatusOK, "portal_commune", p)
}

type disclosuresPublicData struct {
	Meta       portalMeta
	Items      []service.Disclosure
	Communes   []org.Unit
	Categories []string
	UnitID     int64
	Category   string
	Overdue    bool
	Errors     map[string]string
	// Manage: the visitor may record disclosures (a link to /disclosures).
	Manage bool
}

func (w *Web) disclosuresPublic(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	unit, ok := queryInt(r, "xa")
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	l := server.LocaleFrom(r.Context())
	svc := w.d.Svc
	d := disclosuresPublicData{Meta: w.meta(r, l.T("disclosure.public.description")), Categories: service.DisclosureCategories,
		UnitID: unit, Category: q.Get("category"), Overdue: q.Get("overdue") == "1"}
	for _, u := range svc.Tree.At(svc.Today()) {
		if svc.Disclosures.IsCommune(u.ID) {
			d.Communes = append(d.Communes, u)
		}
	}
	items, err := svc.Disclosures.List(r.Context(), service.DisclosureQuery{UnitID: unit, Category: d.Category, OverdueOnly: d.Overdue, Limit: 200})
	status := http.StatusOK
	if inv, ok := service.AsInvalid(err); ok {
		d.Errors, status = FieldMessages(l, inv), http.StatusUnprocessableEntity
	} else if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Items = items
	if p := server.PrincipalFrom(r.Context()); p != nil {
		d.Manage = len(svc.Disclosures.Units(p)) > 0
	}
	w.render(rw, r, status, "disclosure_public", w.page(rw, r, "disclosure.public.title", d))
}

func (w *Web) disclosureFile(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, err := w.d.Svc.Disclosures.File(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	server.SendFile(rw, f.Name, f.ContentType, f.Data)
}
