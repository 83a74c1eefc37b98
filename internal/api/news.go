package api

// News: the published articles for anyone, and for the units' writers and
// the coordinator the articles' life — write, change, submit, approve,
// return, withdraw. Each handler decodes, calls one use case of
// service.News and encodes.

import (
	"net/http"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// NewsPage is a page of articles.
type NewsPage = Page[service.NewsArticle]

func newsFeature() feature {
	id := obj{"type": "integer", "format": "int64"}
	text := obj{"type": "string"}
	at := obj{"type": "string", "format": "date-time"}
	ver := obj{"type": "integer"}
	topic := obj{"type": "string", "enum": service.NewsTopics}
	status := obj{"type": "string", "enum": service.NewsStatuses}
	hash := obj{"type": "string", "description": "Content hash of a stored picture, served at /tin-tuc/anh/{hash}.jpg (or .png) and cached for a year."}
	c := []obj{paramRef("id"), paramRef("csrf")}
	who := "Readable by those who write for the article's unit (report.submit: its heads and officers) and by its coordinators (urge.send); others are answered 404 or 403. "
	step := func(summary, desc string) op {
		return op{tag: "news", summary: summary, desc: who + desc, params: c, body: "NewsStepInput", status: 200, schema: ref("NewsArticle"),
			errs: []int{400, 401, 403, 404, 409, 413, 415, 422}}
	}
	return newFeature("news", "News about the programme, its models and dialogues, written by units and approved by the coordinator before the portal "+
		"publishes it (HTML at /tin-tuc, Atom feeds at /tin-tuc/feed.atom, /tin-tuc/chu-de/{topic}.atom and /tin-tuc/don-vi/{code}.atom, /sitemap.xml).",
		[]route{
			{"GET", Prefix + "/news", false, (*api).listNews},
			{"GET", Prefix + "/news/published/{slug}", false, (*api).getPublishedNews},
			{"GET", Prefix + "/news/articles", true, (*api).manageNews},
			{"POST", Prefix + "/news/articles", true, (*api).createNews},
			{"GET", Prefix + "/news/articles/{id}", true, (*api).getNews},
			{"PUT", Prefix + "/news/articles/{id}", true, (*api).updateNews},
			{"POST", Prefix + "/news/articles/{id}/submit", true, newsStep("submit")},
			{"POST", Prefix + "/news/articles/{id}/approve", true, newsStep("approve")},
			{"POST", Prefix + "/news/articles/{id}/return", true, newsStep("return")},
			{"POST", Prefix + "/news/articles/{id}/withdraw", true, newsStep("withdraw")},
		},
		map[string]op{
			"GET " + Prefix + "/news": {
				tag: "news", summary: "Published articles, newest first (public)",
				params: []obj{param("topic", "query", "Only this topic (404 when unknown).", topic, false),
					param("unit", "query", "Only the articles of this unit's subtree, by the unit's code (404 when unknown).", text, false),
					paramRef("limit"), paramRef("offset"), paramRef("page")},
				status: 200, schema: pageOf(ref("NewsArticle")), errs: []int{400, 404}, security: optionalAuth,
			},
			"GET " + Prefix + "/news/published/{slug}": {
				tag: "news", summary: "A published article by its slug (public)",
				params: []obj{param("slug", "path", "The article's slug.", text, true)},
				status: 200, schema: ref("NewsArticle"), errs: []int{404}, security: optionalAuth,
			},
			"GET " + Prefix + "/news/articles": {
				tag: "news", summary: "The articles of the units the caller writes for or approves, and the caller's own",
				desc:   "Any status; most recently changed first.",
				params: []obj{param("status", "query", "Only this status.", status, false), paramRef("limit"), paramRef("offset"), paramRef("page")},
				status: 200, schema: pageOf(ref("NewsArticle")), errs: []int{400, 401, 422},
			},
			"POST " + Prefix + "/news/articles": {
				tag: "news", summary: "Write a draft",
				desc: "Needs report.submit on the unit (its heads and officers). The slug is folded from the title and never changes. A picture (base64) " +
					"is decoded, stripped of its metadata and stored in two sizes (1200×630 at most, and 480 px); it needs picture_alt. Audited.",
				params: []obj{paramRef("csrf")}, body: "ArticleInput", status: 201, schema: ref("NewsArticle"), errs: []int{400, 401, 403, 404, 413, 415, 422},
			},
			"GET " + Prefix + "/news/articles/{id}": {
				tag: "news", summary: "An article, in any status", desc: who,
				params: []obj{paramRef("id")}, status: 200, schema: ref("NewsArticle"), errs: []int{401, 403, 404},
			},
			"PUT " + Prefix + "/news/articles/{id}": {
				tag: "news", summary: "Change a draft or returned article",
				desc:   who + "Every field of ArticleInput with the version seen (409 when it moved); without picture the current one stays unless remove_picture. Audited.",
				params: c, body: "ArticleInput", status: 200, schema: ref("NewsArticle"), errs: []int{400, 401, 403, 404, 409, 413, 415, 422},
			},
			"POST " + Prefix + "/news/articles/{id}/submit":   step("Submit a draft or returned article for approval", "A writer of the unit. Audited."),
			"POST " + Prefix + "/news/articles/{id}/approve":  step("Approve and publish a submitted article", "The coordinator of the unit; the author is notified. Audited."),
			"POST " + Prefix + "/news/articles/{id}/return":   step("Return a submitted article with a comment", "The coordinator of the unit; comment is required; the author is notified. Audited."),
			"POST " + Prefix + "/news/articles/{id}/withdraw": step("Withdraw an article with the reason (comment)", "A published or submitted article: the coordinator; a draft: its writers. Audited."),
		},
		obj{
			"NewsArticle": object([]string{"id", "unit_id", "unit_name", "topic", "title", "slug", "summary", "body", "status", "version", "created_at", "updated_at"}, obj{
				"id": id, "unit_id": id, "unit_name": text, "unit_code": text, "author_id": id, "author_name": text, "topic": topic, "title": text,
				"slug": text, "summary": text, "body": obj{"type": "string", "description": "Limited markup: paragraphs, ## headings, - and 1. lists, **bold**, [links](https://…)."},
				"picture": hash, "picture_width": ver, "picture_height": ver, "thumb": hash, "thumb_width": ver, "thumb_height": ver, "picture_alt": text,
				"status": status, "comment": text, "withdraw_reason": text, "approved_by": id, "submitted_at": at, "published_at": at,
				"version": ver, "created_at": at, "updated_at": at,
			}),
			"ArticleInput": object([]string{"unit_id", "topic", "title", "summary", "body"}, obj{
				"unit_id": id, "topic": topic, "title": obj{"type": "string", "maxLength": service.MaxNewsTitle},
				"summary": obj{"type": "string", "maxLength": service.MaxNewsSummary}, "body": obj{"type": "string", "maxLength": service.MaxNewsBody},
				"picture_alt":    obj{"type": "string", "maxLength": service.MaxNewsTitle},
				"picture":        obj{"type": "string", "format": "byte", "description": "A JPEG, PNG, GIF or WebP picture, base64."},
				"remove_picture": obj{"type": "boolean"}, "version": obj{"type": "integer", "description": "On update: the version seen."},
			}),
			"NewsStepInput": object([]string{"version"}, obj{"comment": text, "version": ver}),
		})
}

func (a *api) listNews(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := pageParams(q, false)
	if err != nil {
		return err
	}
	p.Limit = min(p.Limit, service.MaxNewsPage)
	items, total, err := a.d.Svc.News.Published(r.Context(), service.PublicFilter{Topic: q.Get("topic"), UnitCode: q.Get("unit"), Limit: p.Limit, Offset: p.Offset})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) getPublishedNews(w http.ResponseWriter, r *http.Request) error {
	n, err := a.d.Svc.News.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

func (a *api) manageNews(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := pageParams(q, false)
	if err != nil {
		return err
	}
	p.Limit = min(p.Limit, service.MaxNewsPage)
	items, total, err := a.d.Svc.News.ManageList(r.Context(), server.PrincipalFrom(r.Context()), q.Get("status"), p.Limit, p.Offset)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, p))
}

func (a *api) createNews(w http.ResponseWriter, r *http.Request) error {
	var in service.ArticleInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	n, err := a.d.Svc.News.Create(r.Context(), server.PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, n)
}

func (a *api) getNews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := a.d.Svc.News.Get(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

func (a *api) updateNews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in service.ArticleInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Version = versionOf(r, in.Version)
	n, err := a.d.Svc.News.Update(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return editFail(w, err)
	}
	return writeJSON(w, http.StatusOK, n)
}

// newsStep is the handler of one step of an article's life.
func newsStep(step string) handlerFunc {
	return func(a *api, w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in service.NewsStepInput
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
		in.Version = versionOf(r, in.Version)
		p, n := server.PrincipalFrom(r.Context()), a.d.Svc.News
		var out service.NewsArticle
		switch step {
		case "submit":
			out, err = n.Submit(r.Context(), p, id, in)
		case "approve":
			out, err = n.Approve(r.Context(), p, id, in)
		case "return":
			out, err = n.Return(r.Context(), p, id, in)
		default:
			out, err = n.Withdraw(r.Context(), p, id, in)
		}
		if err != nil {
			return editFail(w, err)
		}
		return writeJSON(w, http.StatusOK, out)
	}
}
