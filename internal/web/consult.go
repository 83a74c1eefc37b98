package web

// Consultation on drafts. The drafting unit's pages: /consultations (list
// and new draft) and /consultations/{id} (the draft's fields and text, the
// passages editor, publishing, the moderation queue, answers, criticism
// documents, the synthesis). The public pages: /gop-y (open, upcoming and
// closed consultations) and /gop-y/{id} (the draft passage by passage, each
// with its published comments and a comment form in a <details>, the
// answers once synthesised, the DOCX report). Nothing needs JavaScript.
// Every rule lives in service.Consult.

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// PublicConsultPath is the public list of consultations.
const PublicConsultPath = "/gop-y"

func consultFeature(funcs template.FuncMap) func(w *Web, mux *http.ServeMux) {
	funcs["passageClass"] = func(level int) string { return "passage level-" + strconv.Itoa(level) }
	funcs["consultComments"] = func(p Page, items []service.ConsultComment) consultComments {
		return consultComments{P: p, Items: items}
	}
	funcs["consultForm"] = func(p Page, passage int64) consultFormCtx { return consultFormCtx{P: p, ID: passage} }
	funcs["consultFields"] = func(p Page, f civicForm, prefix string) consultFieldsCtx {
		return consultFieldsCtx{P: p, F: f, Prefix: prefix}
	}
	funcs["consultCards"] = func(p Page, items []service.Consultation) consultCards { return consultCards{P: p, Items: items} }
	return func(w *Web, mux *http.ServeMux) {
		mux.HandleFunc("GET /consultations", w.consultListPage)
		mux.HandleFunc("POST /consultations", w.consultCreate)
		mux.HandleFunc("GET /consultations/{id}", w.consultManagePage)
		mux.HandleFunc("POST /consultations/{id}", w.consultUpdate)
		mux.HandleFunc("POST /consultations/{id}/passages", w.consultPassages)
		mux.HandleFunc("POST /consultations/{id}/publish", w.consultPublish)
		mux.HandleFunc("POST /consultations/{id}/synthesis", w.consultSynthesise)
		mux.HandleFunc("POST /consultations/{id}/answers", w.consultAnswer)
		mux.HandleFunc("POST /consultations/{id}/criticisms", w.consultCriticism)
		mux.HandleFunc("POST /consultations/{id}/comments/{cid}/moderate", w.consultModerate)
		mux.HandleFunc("GET "+PublicConsultPath, w.consultPublicList)
		mux.HandleFunc("GET "+PublicConsultPath+"/{id}", w.consultPublicPage)
		mux.HandleFunc("POST "+PublicConsultPath+"/{id}/y-kien", w.consultComment)
		mux.HandleFunc("GET "+PublicConsultPath+"/{id}/phan-bien/{cid}", w.consultCriticismFile)
		mux.HandleFunc("GET "+PublicConsultPath+"/{id}/bao-cao-tong-hop.docx", w.consultDOCX)
	}
}

// consultCards is a list of consultations with the page, for the
// "consult-cards" template.
type consultCards struct {
	P     Page
	Items []service.Consultation
}

// consultComments is a list of comments with the page.
type consultComments struct {
	P     Page
	Items []service.ConsultComment
}

// consultFormCtx is the comment form of a passage (ID 0: the whole draft).
type consultFormCtx struct {
	P  Page
	ID int64
}

// consultFieldsCtx is the draft's fields of a form: the page, the form and
// the id prefix.
type consultFieldsCtx struct {
	P      Page
	F      civicForm
	Prefix string
}

// --- drafting unit ---

type consultListData struct {
	Items []service.Consultation
	Units []org.Unit
	Kinds []string
	Form  civicForm
}

func (w *Web) consultListPage(rw http.ResponseWriter, r *http.Request) {
	w.renderConsultList(rw, r, http.StatusOK, civicForm{Values: map[string]string{"kind": "plan"}})
}

func (w *Web) renderConsultList(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	c := w.d.Svc.Consult
	items, err := c.List(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "consult_list", w.page(rw, r, "consult.manage_title", consultListData{Items: items, Units: c.Units(p), Kinds: service.ConsultKinds, Form: f}))
}

func consultInput(r *http.Request) service.ConsultInput {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return service.ConsultInput{UnitID: formID(r, "unit_id"), Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"),
		OpensOn: r.PostFormValue("opens_on"), ClosesOn: r.PostFormValue("closes_on"), Text: r.PostFormValue("text"), Version: v}
}

func (w *Web) consultCreate(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	d, err := w.d.Svc.Consult.CreateConsultation(r.Context(), server.PrincipalFrom(r.Context()), consultInput(r))
	if f := postedForm(r, "new"); f.invalid(r, err) {
		w.renderConsultList(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, consultPath(d.ID)+"?flash=consult.saved", http.StatusSeeOther)
}

func consultPath(id int64) string { return "/consultations/" + strconv.FormatInt(id, 10) }

type consultManageData struct {
	D        service.ConsultDetail
	Kinds    []string
	Labels   map[int64]string
	Pending  []service.ConsultComment
	Open     []service.ConsultComment // published, not answered
	Critics  []org.Unit
	Rows     []service.SynthesisRow
	Verdicts []string
	Form     civicForm
}

func (w *Web) consultManagePage(rw http.ResponseWriter, r *http.Request) {
	w.renderConsultManage(rw, r, http.StatusOK, civicForm{})
}

func (w *Web) renderConsultManage(rw http.ResponseWriter, r *http.Request, status int, f civicForm) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	if p == nil {
		w.fail(rw, r, service.ErrUnauthenticated)
		return
	}
	c := w.d.Svc.Consult
	d, err := c.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	critics := c.CriticUnits(p)
	if !d.Manage && len(critics) == 0 {
		w.fail(rw, r, service.ErrForbidden)
		return
	}
	md := consultManageData{D: d, Kinds: service.ConsultKinds, Labels: passageLabels(d), Critics: critics, Rows: service.Synthesis(d), Verdicts: service.Verdicts, Form: f}
	for _, cm := range d.Comments {
		switch {
		case cm.Status == service.CommentPending:
			md.Pending = append(md.Pending, cm)
		case cm.Status == service.CommentPublished && cm.AnswerID == 0:
			md.Open = append(md.Open, cm)
		}
	}
	if f.Values == nil {
		md.Form.Values = map[string]string{"kind": d.Kind, "title": d.Title, "summary": d.Summary, "opens_on": d.OpensOn, "closes_on": d.ClosesOn}
	}
	pg := w.page(rw, r, "consult.manage_title", md)
	pg.Title = d.Title
	w.render(rw, r, status, "consult_manage", pg)
}

func passageLabels(d service.ConsultDetail) map[int64]string {
	m := map[int64]string{}
	for _, p := range d.Passages {
		m[p.ID] = p.Label
	}
	return m
}

// consultStep runs one write of the drafter's page and redirects back, or
// shows the page again with the messages of form which.
func (w *Web) consultStep(rw http.ResponseWriter, r *http.Request, which string, run func(p *service.Principal, id int64) error) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.consultDone(rw, r, which, id, run(server.PrincipalFrom(r.Context()), id))
}

func (w *Web) consultDone(rw http.ResponseWriter, r *http.Request, which string, id int64, err error) {
	if f := postedForm(r, which); f.invalid(r, err) {
		w.renderConsultManage(rw, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		var stale *service.StaleVersionError
		if errors.As(err, &stale) {
			w.errorDetail(rw, r, http.StatusConflict, "consult.stale")
			return
		}
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, consultPath(id)+"?flash=consult.saved#"+which, http.StatusSeeOther)
}

func (w *Web) consultUpdate(rw http.ResponseWriter, r *http.Request) {
	w.consultStep(rw, r, "edit", func(p *service.Principal, id int64) error {
		_, err := w.d.Svc.Consult.UpdateConsultation(r.Context(), p, id, consultInput(r))
		return err
	})
}

// consultPassages saves the passages editor: fields label-N, text-N and
// level-N for N = 0, 1, … in order.
func (w *Web) consultPassages(rw http.ResponseWriter, r *http.Request) {
	w.consultStep(rw, r, "passages", func(p *service.Principal, id int64) error {
		var in []service.PassageInput
		for i := 0; i <= service.MaxDraftPassages; i++ {
			n := strconv.Itoa(i)
			if _, ok := r.PostForm["text-"+n]; !ok {
				break
			}
			lv, _ := strconv.Atoi(r.PostFormValue("level-" + n))
			in = append(in, service.PassageInput{Level: lv, Label: r.PostFormValue("label-" + n), Text: r.PostFormValue("text-" + n)})
		}
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		_, err := w.d.Svc.Consult.SetPassages(r.Context(), p, id, v, in)
		return err
	})
}

func (w *Web) consultPublish(rw http.ResponseWriter, r *http.Request) {
	w.consultStep(rw, r, "publish", func(p *service.Principal, id int64) error {
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		_, err := w.d.Svc.Consult.Publish(r.Context(), p, id, v)
		return err
	})
}

func (w *Web) consultSynthesise(rw http.ResponseWriter, r *http.Request) {
	w.consultStep(rw, r, "synthesis", func(p *service.Principal, id int64) error {
		v, _ := strconv.Atoi(r.PostFormValue("version"))
		_, err := w.d.Svc.Consult.Synthesise(r.Context(), p, id, v, r.PostFormValue("synthesis"))
		return err
	})
}

func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, s := range r.PostForm[name] {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (w *Web) consultAnswer(rw http.ResponseWriter, r *http.Request) {
	w.consultStep(rw, r, "answers", func(p *service.Principal, id int64) error {
		_, err := w.d.Svc.Consult.Answer(r.Context(), p, id, service.AnswerInput{CommentIDs: formIDs(r, "comment_ids"), CriticismIDs: formIDs(r, "criticism_ids"),
			Verdict: r.PostFormValue("verdict"), Explanation: r.PostFormValue("explanation")})
		return err
	})
}

func (w *Web) consultModerate(rw http.ResponseWriter, r *http.Request) {
	w.consultStep(rw, r, "moderation", func(p *service.Principal, id int64) error {
		cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
		if err != nil {
			return service.ErrNotFound
		}
		_, err = w.d.Svc.Consult.Moderate(r.Context(), p, cid, service.ModerateInput{Status: r.PostFormValue("status"), Reason: r.PostFormValue("reason"), ConsultationID: id})
		return err
	})
}

// consultCriticism files a criticism document (multipart, with its file).
func (w *Web) consultCriticism(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, service.MaxCaseFileSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.errorPage(rw, r, http.StatusRequestEntityTooLarge)
		} else {
			w.errorPage(rw, r, http.StatusBadRequest)
		}
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	if !w.d.CheckCSRF(r) {
		w.errorDetail(rw, r, http.StatusForbidden, "error.csrf")
		return
	}
	in := service.CriticismInput{UnitID: formID(r, "unit_id"), Number: r.PostFormValue("number"), IssuedOn: r.PostFormValue("issued_on"), Summary: r.PostFormValue("summary")}
	if f, fh, err := r.FormFile("file"); err == nil && fh.Size > 0 {
		data, err := io.ReadAll(io.LimitReader(f, service.MaxCaseFileSize+1))
		f.Close()
		if err != nil {
			w.errorPage(rw, r, http.StatusBadRequest)
			return
		}
		in.File = &service.FileInput{Name: fh.Filename, Data: data}
	}
	_, err := w.d.Svc.Consult.AddCriticism(r.Context(), server.PrincipalFrom(r.Context()), id, in)
	w.consultDone(rw, r, "criticisms", id, err)
}

// --- public ---

type consultPublicListData struct {
	Open, Upcoming, Closed []service.Consultation
	BaseURL                string
}

func (w *Web) consultPublicList(rw http.ResponseWriter, r *http.Request) {
	all, err := w.d.Svc.Consult.Public(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var d consultPublicListData
	d.BaseURL = strings.TrimRight(w.d.Cfg.BaseURL, "/")
	for _, c := range all {
		switch c.Phase {
		case service.PhaseOpen:
			d.Open = append(d.Open, c)
		case service.PhaseUpcoming:
			d.Upcoming = append(d.Upcoming, c)
		default:
			d.Closed = append(d.Closed, c)
		}
	}
	w.render(rw, r, http.StatusOK, "consult_public_list", w.page(rw, r, "consult.public_title", d))
}

// consultPassage is a passage with its published comments.
type consultPassage struct {
	service.Passage
	Comments []service.ConsultComment
}

type consultPublicData struct {
	D          service.ConsultDetail
	Whole      []service.ConsultComment // on the whole draft
	Passages   []consultPassage
	Answers    []consultAnswerView
	Rows       []service.SynthesisRow
	SignedIn   bool
	BaseURL    string
	Form       civicForm
	FormTarget int64 // the passage whose form holds the errors (-1: none)
}

type consultAnswerView struct {
	service.ConsultAnswer
	What []string
}

func (w *Web) consultPublicPage(rw http.ResponseWriter, r *http.Request) {
	w.renderConsultPublic(rw, r, http.StatusOK, civicForm{}, -1)
}

func (w *Web) renderConsultPublic(rw http.ResponseWriter, r *http.Request, status int, f civicForm, target int64) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := server.PrincipalFrom(r.Context())
	d, err := w.d.Svc.Consult.Get(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Phase == service.PhaseDraft {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	pd := consultPublicData{D: d, SignedIn: p != nil, BaseURL: strings.TrimRight(w.d.Cfg.BaseURL, "/"), Form: f, FormTarget: target, Rows: service.Synthesis(d)}
	byPassage := map[int64][]service.ConsultComment{}
	for _, c := range d.Comments {
		if c.Status != service.CommentPublished {
			continue
		}
		c.Contact = ""
		byPassage[c.PassageID] = append(byPassage[c.PassageID], c)
	}
	pd.Whole = byPassage[0]
	labels := passageLabels(d)
	for _, ps := range d.Passages {
		pd.Passages = append(pd.Passages, consultPassage{Passage: ps, Comments: byPassage[ps.ID]})
	}
	if d.Phase == service.PhaseSynthesised {
		for _, a := range d.Answers {
			v := consultAnswerView{ConsultAnswer: a}
			for _, cid := range a.CommentIDs {
				for _, c := range d.Comments {
					if c.ID == cid {
						s := c.AuthorName
						if l := labels[c.PassageID]; l != "" {
							s += " (" + l + ")"
						}
						v.What = append(v.What, s)
					}
				}
			}
			for _, kid := range a.CriticismIDs {
				for _, k := range d.Criticisms {
					if k.ID == kid {
						v.What = append(v.What, k.UnitName+" — "+k.Number)
					}
				}
			}
			pd.Answers = append(pd.Answers, v)
		}
	}
	pg := w.page(rw, r, "consult.public_title", pd)
	pg.Title = d.Title
	w.render(rw, r, status, "consult_public", pg)
}

// consultComment receives a comment from the public page; errors show the
// page again with the form of that passage open.
func (w *Web) consultComment(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	passage := formID(r, "passage_id")
	_, err := w.d.Svc.Consult.Comment(r.Context(), caseCaller(r), id, service.CommentInput{PassageID: passage, Name: r.PostFormValue("name"),
		Contact: r.PostFormValue("contact"), Organisation: r.PostFormValue("organisation") != "", Text: r.PostFormValue("text")})
	if f := postedForm(r, "comment"); f.invalid(r, err) {
		w.renderConsultPublic(rw, r, http.StatusUnprocessableEntity, f, passage)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	anchor := "#y-kien-chung"
	if passage > 0 {
		anchor = "#doan-" + strconv.FormatInt(passage, 10)
	}
	http.Redirect(rw, r, PublicConsultPath+"/"+strconv.FormatInt(id, 10)+"?flash=consult.comment_received"+anchor, http.StatusSeeOther)
}

func (w *Web) consultCriticismFile(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if !ok || err != nil {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	f, err := w.d.Svc.Consult.CriticismFile(r.Context(), server.PrincipalFrom(r.Context()), id, cid)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	server.SendFile(rw, f.Name, f.ContentType, f.Data)
}

func (w *Web) consultDOCX(rw http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	b, name, err := w.d.Svc.Consult.SynthesisDOCX(r.Context(), server.PrincipalFrom(r.Context()), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	h.Set("Content-Disposition", export.ContentDisposition(name))
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = rw.Write(b)
}
