package web

// News pages:
//
//	GET  /tin-tuc                          published articles (?topic=&unit=CODE&page=)
//	GET  /tin-tuc/{slug}                   an article, with Open Graph tags
//	GET  /tin-tuc/feed.atom                the Atom feed of every article
//	GET  /tin-tuc/chu-de/{topic}.atom      the feed of a topic
//	GET  /tin-tuc/don-vi/{code}.atom       the feed of a unit (and the units below it)
//	GET  /tin-tuc/anh/{hash}.{jpg|png}     a picture, cached for ever (its name is its hash)
//	GET  /sitemap.xml, /robots.txt         for search engines
//	GET  /news/manage                      the writer's and the coordinator's list (?status=)
//	GET  /news/manage/new                  the editor; POST /news/manage creates (or previews)
//	GET  /news/manage/{id}                 an article: preview, editor, steps; POST saves
//	POST /news/manage/{id}/submit          send for approval
//	GET  /news/manage/{id}/{step}          confirm approve, return or withdraw; POST does it
//
// The rules live in service.News; these handlers read forms and render.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/atom"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/markup"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// NewsPath is the public news list's address.
const NewsPath = "/tin-tuc"

// newsPageSize is the number of articles on a page of the public list.
const newsPageSize = 12

func newsFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["newsHTML"] = markup.HTML
	funcs["newsPicture"] = newsPictureURL
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /tin-tuc", w.newsList)
		mux.HandleFunc("GET /tin-tuc/{slug}", w.newsArticle)
		mux.HandleFunc("GET /tin-tuc/feed.atom", w.newsFeed)
		mux.HandleFunc("GET /tin-tuc/chu-de/{file}", w.newsFeed)
		mux.HandleFunc("GET /tin-tuc/don-vi/{file}", w.newsFeed)
		mux.HandleFunc("GET /tin-tuc/anh/{file}", w.newsPicture)
		mux.HandleFunc("GET /sitemap.xml", w.sitemap)
		mux.HandleFunc("GET /robots.txt", w.robots)
		mux.HandleFunc("GET /news/manage", w.newsManage)
		mux.HandleFunc("GET /news/manage/new", w.newsNew)
		mux.HandleFunc("POST /news/manage", w.newsCreate)
		mux.HandleFunc("GET /news/manage/{id}", w.newsShow)
		mux.HandleFunc("POST /news/manage/{id}", w.newsUpdate)
		mux.HandleFunc("POST /news/manage/{id}/submit", w.newsSubmit)
		mux.HandleFunc("GET /news/manage/{id}/{step}", w.newsConfirm)
		mux.HandleFunc("POST /news/manage/{id}/{step}", w.newsStep)
	}
}

// newsPictureURL is the address of a stored picture.
func newsPictureURL(hash, contentType string) string {
	ext := ".jpg"
	if contentType == "image/png" {
		ext = ".png"
	}
	return NewsPath + "/anh/" + hash + ext
}

// baseURL is the site's public address without a trailing slash:
// DANVAN_BASE_URL, or the request's host when it is not set.
func (w *Web) baseURL(r *http.Request) string {
	if b := strings.TrimRight(w.d.Cfg.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// newsMeta is what a public news page tells crawlers and link previews.
type newsMeta struct {
	Description string
	URL         string // canonical, absolute
	Type        string // og:type
	Image       string // absolute, or empty
	ImageW      int
	ImageH      int
	ImageAlt    string
	Feed        string // absolute URL of the feed
	FeedTitle   string
	Published   time.Time
}

type newsListData struct {
	Meta     newsMeta
	Items    []service.NewsArticle
	Topics   []string
	Units    []org.Unit
	Topic    string
	Unit     string
	Pager    pager
	CanWrite bool
}

func (w *Web) newsList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := newsListData{Topics: service.NewsTopics, Units: w.d.Svc.News.PublishedUnits(), Topic: q.Get("topic"), Unit: q.Get("unit")}
	page := intParam(r, "page", 1)
	list, total, err := w.d.Svc.News.Published(r.Context(), service.PublicFilter{Topic: d.Topic, UnitCode: d.Unit,
		Limit: newsPageSize, Offset: (page - 1) * newsPageSize})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Items, d.Pager = list, newPager(r, total, newsPageSize)
	l := server.LocaleFrom(r.Context())
	base := w.baseURL(r)
	d.Meta = newsMeta{Description: l.T("news.public_description"), URL: base + NewsPath, Type: "website",
		Feed: base + NewsPath + "/feed.atom", FeedTitle: l.T("news.feed_title")}
	if d.Topic != "" {
		d.Meta.Feed, d.Meta.FeedTitle = base+NewsPath+"/chu-de/"+d.Topic+".atom", l.T("news.feed_topic", l.T("news.topic."+d.Topic))
	} else if u, ok := w.d.Svc.News.UnitByCode(d.Unit); ok {
		d.Meta.Feed, d.Meta.FeedTitle = base+NewsPath+"/don-vi/"+url.PathEscape(u.Code)+".atom", l.T("news.feed_unit", u.Name)
	}
	if p := server.PrincipalFrom(r.Context()); p != nil {
		d.CanWrite = w.d.Svc.News.CanWrite(p) || w.d.Svc.News.CanApprove(p, 0)
	}
	w.render(rw, r, http.StatusOK, "news_list", w.page(rw, r, "news.public_title", d))
}

type newsArticleData struct {
	Meta newsMeta
	A    service.NewsArticle
}

func (w *Web) newsArticle(rw http.ResponseWriter, r *http.Request) {
	a, err := w.d.Svc.News.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	l := server.LocaleFrom(r.Context())
	base := w.baseURL(r)
	d := newsArticleData{A: a, Meta: newsMeta{Description: a.Summary, URL: base + NewsPath + "/" + a.Slug, Type: "article",
		Feed: base + NewsPath + "/feed.atom", FeedTitle: l.T("news.feed_title"), Published: a.PublishedAt}}
	if a.Picture != "" {
		d.Meta.Image, d.Meta.ImageW, d.Meta.ImageH, d.Meta.ImageAlt = base+newsPictureURL(a.Picture, "image/jpeg"), a.PictureWidth, a.PictureHeight, a.PictureAlt
	}
	p := w.page(rw, r, "news.public_title", d)
	p.Title = a.Title
	w.render(rw, r, http.StatusOK, "news_article", p)
}

// newsPicture serves a stored picture. Its name is its content hash, so
// it never changes and may be cached for a year.
func (w *Web) newsPicture(rw http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	hash, ext, _ := strings.Cut(file, ".")
	pic, err := w.d.Svc.News.Picture(r.Context(), hash)
	if err != nil || (ext != "jpg" && ext != "png") {
		if err == nil {
			err = service.ErrNotFound
		}
		w.fail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", pic.ContentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+pic.Hash+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Header.Get("If-None-Match") == `"`+pic.Hash+`"` {
		rw.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(pic.Data)))
	rw.WriteHeader(http.StatusOK)
	_, _ = rw.Write(pic.Data)
}

// feedSize is the number of entries of a feed.
const feedSize = 30

// newsFeed writes the Atom feed of every article, of a topic or of a unit.
// Feeds are in Vietnamese whatever the reader's language (xml:lang="vi").
func (w *Web) newsFeed(rw http.ResponseWriter, r *http.Request) {
	l := i18n.Default().For("vi")
	base := w.baseURL(r)
	f := service.PublicFilter{Limit: feedSize}
	title, self, alt := l.T("news.feed_title"), base+r.URL.Path, base+NewsPath
	file := r.PathValue("file")
	name, ok := strings.CutSuffix(file, ".atom")
	switch {
	case file == "":
	case !ok:
		w.errorPage(rw, r, http.StatusNotFound)
		return
	case strings.Contains(r.URL.Path, "/chu-de/"):
		f.Topic = name
		if !slices.Contains(service.NewsTopics, name) {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		title, alt = l.T("news.feed_topic", l.T("news.topic."+name)), alt+"?topic="+url.QueryEscape(name)
	default:
		u, found := w.d.Svc.News.UnitByCode(name)
		if !found {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		f.UnitCode = name
		title, alt = l.T("news.feed_unit", u.Name), alt+"?unit="+url.QueryEscape(name)
	}
	list, _, err := w.d.Svc.News.Published(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, ":")
	feed := atom.Feed{ID: "tag:" + host + ",2025:" + strings.TrimPrefix(r.URL.Path, "/"), Title: title, Subtitle: l.T("news.public_description"),
		Author: l.T("news.feed_author"), Self: self, Alt: alt, Lang: "vi", Updated: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}
	for _, a := range list {
		updated := a.PublishedAt
		if a.UpdatedAt.After(updated) {
			updated = a.UpdatedAt
		}
		if updated.After(feed.Updated) {
			feed.Updated = updated
		}
		body := string(markup.HTML(a.Body))
		if a.Picture != "" {
			body = `<p><img src="` + template.HTMLEscapeString(base+newsPictureURL(a.Picture, "image/jpeg")) + `" alt="` +
				template.HTMLEscapeString(a.PictureAlt) + `" width="` + strconv.Itoa(a.PictureWidth) + `" height="` + strconv.Itoa(a.PictureHeight) + `"></p>` + body
		}
		feed.Entries = append(feed.Entries, atom.Entry{
			ID:    "tag:" + host + "," + a.CreatedAt.In(vietnam).Format("2006-01-02") + ":news/" + strconv.FormatInt(a.ID, 10),
			Title: a.Title, Updated: updated, Published: a.PublishedAt, Summary: a.Summary, HTML: body,
			Link: base + NewsPath + "/" + a.Slug, Category: a.Topic, Label: l.T("news.topic." + a.Topic), Author: a.UnitName,
		})
	}
	var buf bytes.Buffer
	if err := atom.Write(&buf, feed); err != nil {
		w.fail(rw, r, err)
		return
	}
	serveCached(rw, r, "application/atom+xml; charset=utf-8", feed.Updated, buf.Bytes())
}

// serveCached answers body with an ETag (its hash) and Last-Modified, or
// 304 when the client holds the same version.
func serveCached(rw http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := rw.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", etag)
	h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	h.Set("Cache-Control", "public, max-age=300")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(t); t == etag || t == "*" {
				rw.WriteHeader(http.StatusNotModified)
				return
			}
		}
	} else if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !modified.Truncate(time.Second).After(ims) {
		rw.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = rw.Write(body)
	}
}

// PublicPaths are the public sections' index pages listed in the sitemap.
var PublicPaths = []string{"/", NewsPath, "/cases/new", "/cases/track", "/bang-diem", PublicReceptionPath, "/gop-y", "/dan-van-kheo"}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemapArticles is the most articles the sitemap lists.
const sitemapArticles = 5000

// sitemap lists the public pages and every published article
// (sitemaps.org protocol), with absolute URLs.
func (w *Web) sitemap(rw http.ResponseWriter, r *http.Request) {
	base := w.baseURL(r)
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, p := range PublicPaths {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + p})
	}
	var list []service.NewsArticle
	for len(list) < sitemapArticles {
		more, _, err := w.d.Svc.News.Published(r.Context(), service.PublicFilter{Limit: service.MaxNewsPage, Offset: len(list)})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		list = append(list, more...)
		if len(more) < service.MaxNewsPage {
			break
		}
	}
	modified := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range list {
		at := a.UpdatedAt
		if at.After(modified) {
			modified = at
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: base + NewsPath + "/" + url.PathEscape(a.Slug), LastMod: at.In(vietnam).Format(time.RFC3339)})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(set); err != nil {
		w.fail(rw, r, err)
		return
	}
	buf.WriteString("\n")
	serveCached(rw, r, "application/xml; charset=utf-8", modified, buf.Bytes())
}

// robots lets crawlers read the public site, not the signed-in pages, and
// points them to the sitemap.
func (w *Web) robots(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = io.WriteString(rw, "User-agent: *\nDisallow: /api/\nDisallow: /admin/\nDisallow: /news/manage\nDisallow: /signin\n\nSitemap: "+w.baseURL(r)+"/sitemap.xml\n")
}

// --- the writers' and the coordinator's pages ---

type newsManageData struct {
	Items      []service.NewsArticle
	Statuses   []string
	Status     string
	Pager      pager
	CanWrite   bool
	CanApprove bool
}

func (w *Web) newsManage(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	n := w.d.Svc.News
	d := newsManageData{Statuses: service.NewsStatuses, Status: r.URL.Query().Get("status"), CanWrite: n.CanWrite(p), CanApprove: n.CanApprove(p, 0)}
	if !d.CanWrite && !d.CanApprove {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	const size = 20
	page := intParam(r, "page", 1)
	list, total, err := n.ManageList(r.Context(), p, d.Status, size, (page-1)*size)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Items, d.Pager = list, newPager(r, total, size)
	w.render(rw, r, http.StatusOK, "news_manage", w.page(rw, r, "news.manage_title", d))
}

type newsEditData struct {
	A          service.NewsArticle // the stored article (ID 0 for a new one)
	Units      []org.Unit
	Topics     []string
	Form       civicForm
	Preview    template.HTML
	CanEdit    bool
	CanSubmit  bool
	CanApprove bool
	CanWithdr  bool
}

// newsValues are an article's fields as the editor's values.
func newsValues(a service.NewsArticle) map[string]string {
	return map[string]string{"unit_id": strconv.FormatInt(a.UnitID, 10), "topic": a.Topic, "title": a.Title,
		"summary": a.Summary, "body": a.Body, "picture_alt": a.PictureAlt}
}

func (w *Web) newsNew(rw http.ResponseWriter, r *http.Request) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	units := w.d.Svc.News.WritableUnits(p)
	if len(units) == 0 {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	f := civicForm{Values: map[string]string{"unit_id": strconv.FormatInt(units[0].ID, 10), "topic": service.TopicProgramme}}
	w.render(rw, r, http.StatusOK, "news_edit", w.page(rw, r, "news.new_title", newsEditData{Units: units, Topics: service.NewsTopics, Form: f, CanEdit: true}))
}

// newsForm reads the editor's multipart form (or a plain one) and checks
// its CSRF token.
func (w *Web) newsForm(rw http.ResponseWriter, r *http.Request) (service.ArticleInput, civicForm, bool) {
	r.Body = http.MaxBytesReader(rw, r.Body, service.MaxNewsPicture+1<<20)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorPage(rw, r, http.StatusRequestEntityTooLarge)
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return service.ArticleInput{}, civicForm{}, false
	}
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return service.ArticleInput{}, civicForm{}, false
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	in := service.ArticleInput{UnitID: formID(r, "unit_id"), Topic: r.PostFormValue("topic"), Title: r.PostFormValue("title"),
		Summary: r.PostFormValue("summary"), Body: r.PostFormValue("body"), PictureAlt: r.PostFormValue("picture_alt"),
		RemovePicture: r.PostFormValue("remove_picture") != "", Version: v}
	if r.MultipartForm != nil {
		if fh := r.MultipartForm.File["picture"]; len(fh) > 0 && fh[0].Size > 0 {
			file, err := fh[0].Open()
			if err == nil {
				in.Picture, _ = io.ReadAll(io.LimitReader(file, service.MaxNewsPicture+1))
				_ = file.Close()
			}
		}
	}
	return in, postedForm(r, "edit"), true
}

func (w *Web) newsCreate(rw http.ResponseWriter, r *http.Request) {
	in, f, ok := w.newsForm(rw, r)
	if !ok {
		return
	}
	p := server.PrincipalFrom(r.Context())
	units := w.d.Svc.News.WritableUnits(p)
	if r.PostFormValue("preview") != "" {
		d := newsEditData{Units: units, Topics: service.NewsTopics, Form: f, CanEdit: true, Preview: markup.HTML(in.Body)}
		w.render(rw, r, http.StatusOK, "news_edit", w.page(rw, r, "news.new_title", d))
		return
	}
	a, err := w.d.Svc.News.Create(r.Context(), p, in)
	if f.invalid(r, err) {
		w.render(rw, r, http.StatusUnprocessableEntity, "news_edit", w.page(rw, r, "news.new_title", newsEditData{Units: units, Topics: service.NewsTopics, Form: f, CanEdit: true}))
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/news/manage/"+strconv.FormatInt(a.ID, 10)+"?flash=news.saved", http.StatusSeeOther)
}

// renderNews shows an article to its writers and approvers with f, the
// editor's values and messages (empty: the stored article's).
func (w *Web) renderNews(rw http.ResponseWriter, r *http.Request, status int, f civicForm, preview bool) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	n := w.d.Svc.News
	a, err := n.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f.Values == nil {
		f.Values = newsValues(a)
	}
	d := newsEditData{A: a, Units: n.WritableUnits(p), Topics: service.NewsTopics, Form: f, CanEdit: n.CanEdit(p, a),
		CanApprove: a.Status == service.NewsSubmitted && n.CanApprove(p, a.UnitID)}
	d.CanSubmit = d.CanEdit
	d.CanWithdr = a.Status != service.NewsWithdrawn && (n.CanApprove(p, a.UnitID) || (d.CanEdit && a.Status != service.NewsApproved))
	body := a.Body
	if preview {
		body = f.Values["body"]
	}
	d.Preview = markup.HTML(body)
	pg := w.page(rw, r, "news.manage_title", d)
	pg.Title = a.Title
	w.render(rw, r, status, "news_edit", pg)
}

func (w *Web) newsShow(rw http.ResponseWriter, r *http.Request) {
	w.renderNews(rw, r, http.StatusOK, civicForm{}, false)
}

func (w *Web) newsUpdate(rw http.ResponseWriter, r *http.Request) {
	in, f, ok := w.newsForm(rw, r)
	if !ok {
		return
	}
	if r.PostFormValue("preview") != "" {
		w.renderNews(rw, r, http.StatusOK, f, true)
		return
	}
	id, _ := pathID(r)
	_, err := w.d.Svc.News.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if f.invalid(r, err) {
		w.renderNews(rw, r, http.StatusUnprocessableEntity, f, true)
		return
	}
	if w.newsStepFailed(rw, r, err) {
		return
	}
	http.Redirect(rw, r, "/news/manage/"+strconv.FormatInt(id, 10)+"?flash=news.saved", http.StatusSeeOther)
}

// newsStepFailed answers a step's error (a stale version is a 409 with
// its own message) and reports whether there was one.
func (w *Web) newsStepFailed(rw http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	var stale *service.StaleVersionError
	if errors.As(err, &stale) {
		w.errorDetail(rw, r, http.StatusConflict, "news.stale")
		return true
	}
	w.fail(rw, r, err)
	return true
}

func (w *Web) newsSubmit(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := w.d.Svc.News.Submit(r.Context(), server.PrincipalFrom(r.Context()), id, service.NewsStepInput{Version: v})
	if w.newsStepFailed(rw, r, err) {
		return
	}
	http.Redirect(rw, r, "/news/manage/"+strconv.FormatInt(id, 10)+"?flash=news.submitted", http.StatusSeeOther)
}

// newsSteps are the steps confirmed on their own page.
var newsSteps = map[string]bool{"approve": true, "return": true, "withdraw": true}

type newsConfirmData struct {
	A    service.NewsArticle
	Step string
	Form civicForm
}

func (w *Web) renderNewsConfirm(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	id, ok := pathID(r)
	step := r.PathValue("step")
	if !ok || !newsSteps[step] {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	a, err := w.d.Svc.News.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "news_confirm", w.page(rw, r, "news."+step+"_title", newsConfirmData{A: a, Step: step, Form: f}))
}

func (w *Web) newsConfirm(rw http.ResponseWriter, r *http.Request) {
	w.renderNewsConfirm(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) newsStep(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	step := r.PathValue("step")
	if !ok || !newsSteps[step] {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	in := service.NewsStepInput{Comment: r.PostFormValue("comment"), Version: v}
	p, n := server.PrincipalFrom(r.Context()), w.d.Svc.News
	var err error
	switch step {
	case "approve":
		_, err = n.Approve(r.Context(), p, id, in)
	case "return":
		_, err = n.Return(r.Context(), p, id, in)
	default:
		_, err = n.Withdraw(r.Context(), p, id, in)
	}
	if f := postedForm(r, step); f.invalid(r, err) {
		w.renderNewsConfirm(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if w.newsStepFailed(rw, r, err) {
		return
	}
	http.Redirect(rw, r, "/news/manage/"+strconv.FormatInt(id, 10)+"?flash=news.done_"+step, http.StatusSeeOther)
}
