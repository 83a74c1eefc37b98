package service

// News about the programme, its "Dân vận khéo" models and its dialogues,
// written by units and approved by the coordinator before the public
// portal shows it (/tin-tuc, Atom feeds, sitemap).
//
// An article goes draft → submitted → approved (published, with its
// publication time) or returned with a comment, which the author mends and
// submits again; a published article may be withdrawn with a reason. The
// slug, folded from the title to ASCII, is given once and never changes.
//
// Permission: the unit's heads and officers write for their unit
// (report.submit: the same people who speak for the unit in its reports);
// the coordinator of a subtree approves, returns and withdraws its units'
// articles (urge.send: the follow-up role). Every step is audited; the
// author is told of the approval or the return.
//
// A preview picture is decoded and re-encoded by internal/imaging (no
// metadata survives) in two sizes: 1200×630 at most for the article page
// and og:image, 480 px for lists. Each is stored once under its content
// hash, which names its URL so that it may be cached for ever.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/imaging"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/textfold"
)

// News is the news capability.
type News struct{ base }

func newNews(b base) *News { return &News{base: b} }

type (
	// NewsArticle is one article.
	NewsArticle = store.NewsArticle
	// NewsPicture is a stored picture.
	NewsPicture = store.NewsPicture
)

// Article statuses and topics.
const (
	NewsDraft     = "draft"
	NewsSubmitted = "submitted"
	NewsApproved  = "approved"
	NewsReturned  = "returned"
	NewsWithdrawn = "withdrawn"

	TopicProgramme     = "programme"
	TopicModels        = "models"
	TopicDialogues     = "dialogues"
	TopicCases         = "cases"
	TopicConsultations = "consultations"
	TopicOther         = "other"

	// KindNewsReviewed: an article of the reader was approved or returned.
	KindNewsReviewed = "news_reviewed"
)

// The accepted values.
var (
	NewsStatuses = []string{NewsDraft, NewsSubmitted, NewsApproved, NewsReturned, NewsWithdrawn}
	NewsTopics   = []string{TopicProgramme, TopicModels, TopicDialogues, TopicCases, TopicConsultations, TopicOther}
)

// Bounds of the inputs.
const (
	MaxNewsTitle   = 200
	MaxNewsSummary = 600
	MaxNewsBody    = 50000
	MaxNewsPicture = 15 << 20
	MaxNewsPage    = 100
	MaxNewsSlug    = 80

	// Picture sizes: the article's picture (and og:image) and the thumbnail.
	NewsPictureW, NewsPictureH = 1200, 630
	NewsThumbW, NewsThumbH     = 480, 480
)

// Message keys of the news capability (news.*.json).
const (
	MsgNewsBadState = "news.err.state"
	MsgNewsPicture  = "news.err.picture"
	MsgNewsAltText  = "news.err.alt_required"
	MsgNewsComment  = "news.err.comment_required"
	MsgNewsReason   = "news.err.reason_required"
)

// The actions that stand for writing and approving news (see the package
// comment above).
const (
	newsWrite   = authz.ActionReportSubmit
	newsApprove = authz.ActionUrgeSend
)

// ArticleInput creates or changes an article. Picture, when not empty, is
// the uploaded picture's bytes; RemovePicture drops the current one.
type ArticleInput struct {
	UnitID        int64  `json:"unit_id"`
	Topic         string `json:"topic"`
	Title         string `json:"title"`
	Summary       string `json:"summary"`
	Body          string `json:"body"`
	PictureAlt    string `json:"picture_alt"`
	Picture       []byte `json:"picture,omitempty"`
	RemovePicture bool   `json:"remove_picture,omitempty"`
	Version       int    `json:"version"`
}

// NewsStepInput is the comment or reason of a step, with the version seen.
type NewsStepInput struct {
	Comment string `json:"comment"`
	Version int    `json:"version"`
}

// Slug folds a title to a URL part: lower-case ASCII letters and digits
// joined by single hyphens ("Dân vận khéo" → "dan-van-kheo").
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range textfold.Fold(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= MaxNewsSlug {
			break
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if s == "" {
		s = "tin"
	}
	return s
}

// CanWrite reports whether p may write for some unit (doors show the
// manage link).
func (s *News) CanWrite(p *Principal) bool { return len(s.WritableUnits(p)) > 0 }

// CanApprove reports whether p may approve the articles of unitID (0: of
// some unit).
func (s *News) CanApprove(p *Principal, unitID int64) bool {
	if p == nil {
		return false
	}
	if unitID != 0 {
		return s.can(p, newsApprove, unitID)
	}
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, newsApprove, u.ID) {
			return true
		}
	}
	return false
}

// WritableUnits lists the units in force p may write for, in tree order.
func (s *News) WritableUnits(p *Principal) []org.Unit {
	var out []org.Unit
	if p == nil || p.User.ID == 0 {
		return out
	}
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, newsWrite, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// check validates the fields of in and resizes its picture.
func (s *News) check(v *Validator, in ArticleInput) (NewsArticle, []NewsPicture) {
	a := NewsArticle{UnitID: in.UnitID}
	if in.UnitID <= 0 {
		v.Add("unit_id", MsgRequired)
	} else if _, ok := s.tree.Unit(in.UnitID); !ok {
		v.Add("unit_id", MsgBadChoice)
	}
	a.Topic = v.Choice("topic", strings.TrimSpace(in.Topic), NewsTopics...)
	a.Title = v.Line("title", in.Title, 1, MaxNewsTitle)
	a.Summary = v.Text("summary", in.Summary, 1, MaxNewsSummary)
	a.Body = v.Text("body", in.Body, 1, MaxNewsBody)
	a.PictureAlt = v.Line("picture_alt", in.PictureAlt, 0, MaxNewsTitle)
	var pics []NewsPicture
	if len(in.Picture) > 0 {
		var err error
		pics, err = NewsPictures(in.Picture)
		if err != nil {
			v.Add("picture", MsgNewsPicture)
		} else {
			a.Picture, a.PictureWidth, a.PictureHeight = pics[0].Hash, pics[0].Width, pics[0].Height
			a.Thumb, a.ThumbWidth, a.ThumbHeight = pics[1].Hash, pics[1].Width, pics[1].Height
		}
	}
	return a, pics
}

// NewsPictures resizes a picture into its two stored sizes: the
// article's (and og:image) and the thumbnail.
func NewsPictures(data []byte) ([]NewsPicture, error) {
	if len(data) > MaxNewsPicture {
		return nil, imaging.ErrTooLarge
	}
	var out []NewsPicture
	for _, box := range [][2]int{{NewsPictureW, NewsPictureH}, {NewsThumbW, NewsThumbH}} {
		p, err := imaging.Fit(data, box[0], box[1], 82)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(p.Data)
		out = append(out, NewsPicture{Hash: hex.EncodeToString(sum[:16]), ContentType: p.ContentType, Width: p.Width, Height: p.Height, Data: p.Data})
	}
	return out, nil
}

// Create writes a draft for a unit p writes for.
func (s *News) Create(ctx context.Context, p *Principal, in ArticleInput) (NewsArticle, error) {
	if p == nil || p.User.ID == 0 {
		return NewsArticle{}, ErrUnauthenticated
	}
	var v Validator
	a, pics := s.check(&v, in)
	if a.Picture != "" && strings.TrimSpace(a.PictureAlt) == "" && !v.Has("picture_alt") {
		v.Add("picture_alt", MsgNewsAltText)
	}
	if err := v.Err(); err != nil {
		return NewsArticle{}, err
	}
	if err := s.authorize(p, newsWrite, a.UnitID); err != nil {
		return NewsArticle{}, err
	}
	a.Status, a.Slug = NewsDraft, Slug(a.Title)
	if err := s.st.CreateNewsArticle(ctx, p.Actor(), &a, pics); err != nil {
		return NewsArticle{}, unavailable("create news article", err)
	}
	return s.article(ctx, a.ID)
}

func (s *News) article(ctx context.Context, id int64) (NewsArticle, error) {
	if id <= 0 {
		return NewsArticle{}, ErrNotFound
	}
	a, err := s.st.GetNewsArticle(ctx, id)
	if err != nil {
		return NewsArticle{}, unavailable("news article", err)
	}
	return a, nil
}

// Get reads an article for its writers and approvers: those who may write
// for its unit, and its unit's coordinators.
func (s *News) Get(ctx context.Context, p *Principal, id int64) (NewsArticle, error) {
	if p == nil || p.User.ID == 0 {
		return NewsArticle{}, ErrUnauthenticated
	}
	a, err := s.article(ctx, id)
	if err != nil {
		return NewsArticle{}, err
	}
	if !s.can(p, newsWrite, a.UnitID) && !s.can(p, newsApprove, a.UnitID) {
		return NewsArticle{}, s.authorize(p, newsWrite, a.UnitID)
	}
	return a, nil
}

// CanEdit reports whether p may change a's text (a writer of its unit,
// while it is a draft or returned).
func (s *News) CanEdit(p *Principal, a NewsArticle) bool {
	return (a.Status == NewsDraft || a.Status == NewsReturned) && s.can(p, newsWrite, a.UnitID)
}

// write stores a changed article under the version lock.
func (s *News) write(ctx context.Context, p *Principal, a NewsArticle, version int, action string, pics []NewsPicture, notes []store.NewNotification) (NewsArticle, error) {
	if err := s.st.UpdateNewsArticle(ctx, p.Actor(), &a, version, action, pics, notes); err != nil {
		if errors.Is(err, store.ErrStale) {
			cur, _ := s.st.GetNewsArticle(ctx, a.ID)
			return NewsArticle{}, &StaleVersionError{Current: cur.Version}
		}
		return NewsArticle{}, unavailable("update news article", err)
	}
	return s.article(ctx, a.ID)
}

// Update changes a draft or returned article (a writer of its unit, and
// of the new unit when it moves).
func (s *News) Update(ctx context.Context, p *Principal, id int64, in ArticleInput) (NewsArticle, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return NewsArticle{}, err
	}
	if err := s.authorize(p, newsWrite, cur.UnitID); err != nil {
		return NewsArticle{}, err
	}
	var v Validator
	a, pics := s.check(&v, in)
	version(&v, in.Version)
	if cur.Status != NewsDraft && cur.Status != NewsReturned {
		v.Add("status", MsgNewsBadState)
	}
	upd := cur
	upd.UnitID, upd.Topic, upd.Title, upd.Summary, upd.Body, upd.PictureAlt = a.UnitID, a.Topic, a.Title, a.Summary, a.Body, a.PictureAlt
	switch {
	case a.Picture != "":
		upd.Picture, upd.Thumb = a.Picture, a.Thumb
	case in.RemovePicture:
		upd.Picture, upd.Thumb = "", ""
	}
	if upd.Picture != "" && strings.TrimSpace(upd.PictureAlt) == "" && !v.Has("picture_alt") {
		v.Add("picture_alt", MsgNewsAltText)
	}
	if err := v.Err(); err != nil {
		return NewsArticle{}, err
	}
	if upd.UnitID != cur.UnitID {
		if err := s.authorize(p, newsWrite, upd.UnitID); err != nil {
			return NewsArticle{}, err
		}
	}
	return s.write(ctx, p, upd, in.Version, "news.update", pics, nil)
}

// Submit sends a draft or returned article for approval.
func (s *News) Submit(ctx context.Context, p *Principal, id int64, in NewsStepInput) (NewsArticle, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return NewsArticle{}, err
	}
	if err := s.authorize(p, newsWrite, cur.UnitID); err != nil {
		return NewsArticle{}, err
	}
	var v Validator
	version(&v, in.Version)
	if cur.Status != NewsDraft && cur.Status != NewsReturned {
		v.Add("status", MsgNewsBadState)
	}
	if err := v.Err(); err != nil {
		return NewsArticle{}, err
	}
	cur.Status, cur.SubmittedAt = NewsSubmitted, s.Now()
	return s.write(ctx, p, cur, in.Version, "news.submit", nil, nil)
}

// Approve publishes a submitted article (the coordinator of its unit) and
// tells its author.
func (s *News) Approve(ctx context.Context, p *Principal, id int64, in NewsStepInput) (NewsArticle, error) {
	return s.review(ctx, p, id, in, true)
}

// Return sends a submitted article back to its author with a comment.
func (s *News) Return(ctx context.Context, p *Principal, id int64, in NewsStepInput) (NewsArticle, error) {
	return s.review(ctx, p, id, in, false)
}

func (s *News) review(ctx context.Context, p *Principal, id int64, in NewsStepInput, approve bool) (NewsArticle, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return NewsArticle{}, err
	}
	if err := s.authorize(p, newsApprove, cur.UnitID); err != nil {
		return NewsArticle{}, err
	}
	var v Validator
	comment := v.Text("comment", in.Comment, 0, MaxNewsSummary)
	if !approve && strings.TrimSpace(comment) == "" && !v.Has("comment") {
		v.Add("comment", MsgNewsComment)
	}
	version(&v, in.Version)
	if cur.Status != NewsSubmitted {
		v.Add("status", MsgNewsBadState)
	}
	if err := v.Err(); err != nil {
		return NewsArticle{}, err
	}
	action, key := "news.return", "returned"
	cur.Comment = comment
	if approve {
		action, key = "news.approve", "approved"
		cur.Status, cur.PublishedAt, cur.ApprovedBy = NewsApproved, s.Now(), p.UserID()
	} else {
		cur.Status = NewsReturned
	}
	notes, err := s.authorNotes(ctx, p, cur, key, comment)
	if err != nil {
		return NewsArticle{}, err
	}
	return s.write(ctx, p, cur, in.Version, action, nil, notes)
}

// authorNotes tells a's author (unless it is p) that it was approved or returned.
func (s *News) authorNotes(ctx context.Context, p *Principal, a NewsArticle, key, comment string) ([]store.NewNotification, error) {
	if a.AuthorID == 0 || a.AuthorID == p.UserID() {
		return nil, nil
	}
	rs, err := s.st.UserRecipients(ctx, []int64{a.AuthorID})
	if err != nil {
		return nil, unavailable("recipients", err)
	}
	link := "/news/manage/" + strconv.FormatInt(a.ID, 10)
	reviewer := displayName(p)
	var out []store.NewNotification
	for _, r := range rs {
		n := s.note(r, a.UnitID, link, link, func(l i18n.Locale) (string, string) {
			body := l.T("news.notice."+key+"_body", reviewer, a.Title)
			if c := strings.TrimSpace(comment); c != "" {
				body += "\n\n" + l.T("news.notice.comment", c)
			}
			return l.T("news.notice."+key+"_subject", a.Title), body
		})
		n.Kind = KindNewsReviewed
		out = append(out, n)
	}
	return out, nil
}

// Withdraw takes a published article off the portal with a reason (the
// coordinator of its unit), or a draft out of the work (its writers).
func (s *News) Withdraw(ctx context.Context, p *Principal, id int64, in NewsStepInput) (NewsArticle, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return NewsArticle{}, err
	}
	need := newsWrite
	if cur.Status == NewsApproved || cur.Status == NewsSubmitted {
		need = newsApprove
	}
	if err := s.authorize(p, need, cur.UnitID); err != nil {
		return NewsArticle{}, err
	}
	var v Validator
	reason := v.Text("comment", in.Comment, 0, MaxNewsSummary)
	if strings.TrimSpace(reason) == "" && !v.Has("comment") {
		v.Add("comment", MsgNewsReason)
	}
	version(&v, in.Version)
	if cur.Status == NewsWithdrawn {
		v.Add("status", MsgNewsBadState)
	}
	if err := v.Err(); err != nil {
		return NewsArticle{}, err
	}
	cur.Status, cur.WithdrawReason = NewsWithdrawn, reason
	return s.write(ctx, p, cur, in.Version, "news.withdraw", nil, nil)
}

// ManageList is what the manage page shows p: the articles of the units p
// writes for or approves, and those p wrote, filtered by status.
func (s *News) ManageList(ctx context.Context, p *Principal, status string, limit, offset int) ([]NewsArticle, int, error) {
	if p == nil || p.User.ID == 0 {
		return nil, 0, ErrUnauthenticated
	}
	f := store.NewsFilter{AuthorID: p.UserID(), OrAuthor: true, Limit: newsPage(limit), Offset: max(offset, 0)}
	if status != "" {
		if !contains(NewsStatuses, status) {
			return nil, 0, Invalid("status", MsgBadChoice)
		}
		f.Statuses = []string{status}
	}
	if !p.IsAdmin() {
		f.UnitIDs = []int64{}
		for _, u := range s.tree.At(s.Today()) {
			if s.can(p, newsWrite, u.ID) || s.can(p, newsApprove, u.ID) {
				f.UnitIDs = append(f.UnitIDs, u.ID)
			}
		}
	}
	list, total, err := s.st.ListNewsArticles(ctx, f)
	return list, total, unavailable("news", err)
}

func newsPage(limit int) int {
	if limit <= 0 || limit > MaxNewsPage {
		return 20
	}
	return limit
}

// PublicFilter chooses published articles: of a topic and of a unit (its
// code; the unit's subtree is included), a page of them.
type PublicFilter struct {
	Topic    string
	UnitCode string
	Limit    int
	Offset   int
}

// Published lists the published articles, newest first, for anyone. An
// unknown topic or unit answers ErrNotFound.
func (s *News) Published(ctx context.Context, f PublicFilter) ([]NewsArticle, int, error) {
	sf := store.NewsFilter{Statuses: []string{NewsApproved}, Published: true, Limit: newsPage(f.Limit), Offset: max(f.Offset, 0)}
	if f.Topic != "" {
		if !contains(NewsTopics, f.Topic) {
			return nil, 0, ErrNotFound
		}
		sf.Topic = f.Topic
	}
	if f.UnitCode != "" {
		u, ok := s.UnitByCode(f.UnitCode)
		if !ok {
			return nil, 0, ErrNotFound
		}
		sf.UnitIDs = s.tree.SubtreeIDs(u.ID)
	}
	list, total, err := s.st.ListNewsArticles(ctx, sf)
	return list, total, unavailable("news", err)
}

// UnitByCode finds a unit by its code.
func (s *News) UnitByCode(code string) (org.Unit, bool) {
	if code == "" {
		return org.Unit{}, false
	}
	for _, u := range s.tree.At(s.Today()) {
		if u.Code == code {
			return u, true
		}
	}
	return org.Unit{}, false
}

// PublishedUnits lists the units in force that have a code, for the
// public unit filter.
func (s *News) PublishedUnits() []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if u.Code != "" && u.Depth <= 1 {
			out = append(out, u)
		}
	}
	return out
}

// BySlug reads a published article by its slug, for anyone.
func (s *News) BySlug(ctx context.Context, slug string) (NewsArticle, error) {
	if slug == "" || len(slug) > MaxNewsSlug+8 {
		return NewsArticle{}, ErrNotFound
	}
	a, err := s.st.GetNewsArticleBySlug(ctx, slug)
	if err != nil {
		return NewsArticle{}, unavailable("news article", err)
	}
	if a.Status != NewsApproved {
		return NewsArticle{}, ErrNotFound
	}
	return a, nil
}

// Picture reads a stored picture by its content hash, for anyone (only
// pictures of articles are stored).
func (s *News) Picture(ctx context.Context, hash string) (NewsPicture, error) {
	if len(hash) != 32 || strings.Trim(hash, "0123456789abcdef") != "" {
		return NewsPicture{}, ErrNotFound
	}
	pic, err := s.st.GetNewsPicture(ctx, hash)
	return pic, unavailable("news picture", err)
}
