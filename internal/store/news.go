package store

// News articles written by units and approved by the coordinator
// (news_articles) and their pictures (news_pictures, one row per content
// hash). Every write is audited in its own transaction, and the notices
// of a step are written in that same transaction; articles carry a version
// checked on each write (optimistic lock).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// NewsArticle is one article about the programme.
type NewsArticle struct {
	ID             int64     `json:"id"`
	UnitID         int64     `json:"unit_id"`
	UnitName       string    `json:"unit_name"`
	UnitCode       string    `json:"unit_code,omitempty"`
	AuthorID       int64     `json:"author_id,omitempty"`
	AuthorName     string    `json:"author_name,omitempty"`
	Topic          string    `json:"topic"`
	Title          string    `json:"title"`
	Slug           string    `json:"slug"`
	Summary        string    `json:"summary"`
	Body           string    `json:"body"`
	Picture        string    `json:"picture,omitempty"` // content hash of the large picture
	PictureWidth   int       `json:"picture_width,omitempty"`
	PictureHeight  int       `json:"picture_height,omitempty"`
	Thumb          string    `json:"thumb,omitempty"` // content hash of the thumbnail
	ThumbWidth     int       `json:"thumb_width,omitempty"`
	ThumbHeight    int       `json:"thumb_height,omitempty"`
	PictureAlt     string    `json:"picture_alt,omitempty"`
	Status         string    `json:"status"` // draft, submitted, approved, returned, withdrawn
	Comment        string    `json:"comment,omitempty"`
	WithdrawReason string    `json:"withdraw_reason,omitempty"`
	ApprovedBy     int64     `json:"approved_by,omitempty"`
	SubmittedAt    time.Time `json:"submitted_at,omitzero"`
	PublishedAt    time.Time `json:"published_at,omitzero"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// NewsPicture is one stored, already resized picture.
type NewsPicture struct {
	Hash        string
	ContentType string
	Width       int
	Height      int
	Data        []byte
	CreatedAt   time.Time
}

const newsCols = `a.id, a.unit_id, un.name, COALESCE(un.code, ''), COALESCE(a.author_id, 0), COALESCE(us.full_name, ''),
	a.topic, a.title, a.slug, a.summary, a.body,
	COALESCE(a.picture, ''), COALESCE(pp.width, 0), COALESCE(pp.height, 0),
	COALESCE(a.thumb, ''), COALESCE(pt.width, 0), COALESCE(pt.height, 0), a.picture_alt,
	a.status, a.comment, a.withdraw_reason, COALESCE(a.approved_by, 0), a.submitted_at, a.published_at, a.version, a.created_at, a.updated_at`

const newsFrom = ` FROM news_articles a JOIN units un ON un.id = a.unit_id
	LEFT JOIN users us ON us.id = a.author_id
	LEFT JOIN news_pictures pp ON pp.hash = a.picture
	LEFT JOIN news_pictures pt ON pt.hash = a.thumb`

func scanNews(sc interface{ Scan(...any) error }) (NewsArticle, error) {
	var a NewsArticle
	var sub, pub, cr, up Time
	err := sc.Scan(&a.ID, &a.UnitID, &a.UnitName, &a.UnitCode, &a.AuthorID, &a.AuthorName,
		&a.Topic, &a.Title, &a.Slug, &a.Summary, &a.Body,
		&a.Picture, &a.PictureWidth, &a.PictureHeight, &a.Thumb, &a.ThumbWidth, &a.ThumbHeight, &a.PictureAlt,
		&a.Status, &a.Comment, &a.WithdrawReason, &a.ApprovedBy, &sub, &pub, &a.Version, &cr, &up)
	a.SubmittedAt, a.PublishedAt, a.CreatedAt, a.UpdatedAt = sub.Time, pub.Time, cr.Time, up.Time
	return a, err
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// freeSlug returns slug, or slug-2, slug-3… when it is taken.
func (s *Store) freeSlug(ctx context.Context, tx *sql.Tx, slug string) (string, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT slug FROM news_articles WHERE slug = ? OR slug LIKE ?`), slug, slug+"-%")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	taken := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", err
		}
		taken[t] = true
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	out := slug
	for n := 2; taken[out]; n++ {
		out = slug + "-" + strconv.Itoa(n)
	}
	return out, nil
}

// PutNewsPictures stores pictures not stored yet (by hash).
func (s *Store) putNewsPictures(ctx context.Context, tx *sql.Tx, ps []NewsPicture) error {
	for _, p := range ps {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO news_pictures (hash, content_type, width, height, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`),
			p.Hash, p.ContentType, p.Width, p.Height, p.Data, s.ts(s.Now())); err != nil {
			return fmt.Errorf("news picture: %w", err)
		}
	}
	return nil
}

// CreateNewsArticle stores a new article with its pictures (which may be
// none); the slug is made unique by a numeric suffix. It sets id, slug,
// version and times.
func (s *Store) CreateNewsArticle(ctx context.Context, a audit.Actor, n *NewsArticle, pics []NewsPicture) error {
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.putNewsPictures(ctx, tx, pics); err != nil {
			return err
		}
		slug, err := s.freeSlug(ctx, tx, n.Slug)
		if err != nil {
			return fmt.Errorf("news slug: %w", err)
		}
		n.Slug = slug
		id, err := s.insertID(ctx, tx, `INSERT INTO news_articles (unit_id, author_id, topic, title, slug, summary, body, picture, thumb, picture_alt,
			status, comment, withdraw_reason, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 1, ?, ?)`,
			n.UnitID, nullID(a.UserID), n.Topic, n.Title, n.Slug, n.Summary, n.Body, nullText(n.Picture), nullText(n.Thumb), n.PictureAlt,
			n.Status, s.ts(now), s.ts(now))
		if err != nil {
			return fmt.Errorf("insert news article: %w", err)
		}
		n.ID, n.Version, n.AuthorID, n.CreatedAt, n.UpdatedAt = id, 1, a.UserID, now, now
		return s.appendAudit(ctx, tx, a, "news.create", "news_article", id, nil, auditNews(*n))
	})
}

// auditNews is what the audit log keeps of an article: not the body.
func auditNews(n NewsArticle) map[string]any {
	return map[string]any{"unit_id": n.UnitID, "topic": n.Topic, "title": n.Title, "slug": n.Slug, "status": n.Status,
		"picture": n.Picture, "comment": n.Comment, "withdraw_reason": n.WithdrawReason, "body_chars": len(n.Body)}
}

// UpdateNewsArticle writes an article's fields and status when its
// version is still version (ErrStale otherwise, ErrNotFound for an unknown
// id), stores new pictures and the notices of the step, all in one
// transaction. action names the audit entry (news.update, news.approve…).
func (s *Store) UpdateNewsArticle(ctx context.Context, a audit.Actor, n *NewsArticle, version int, action string, pics []NewsPicture, notes []NewNotification) error {
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanNews(s.txQueryRow(ctx, tx, s.q(`SELECT `+newsCols+newsFrom+` WHERE a.id = ?`), n.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("news article %d: %w", n.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := s.putNewsPictures(ctx, tx, pics); err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "news_articles", `unit_id = ?, topic = ?, title = ?, summary = ?, body = ?, picture = ?, thumb = ?, picture_alt = ?,
			status = ?, comment = ?, withdraw_reason = ?, approved_by = ?, submitted_at = ?, published_at = ?, updated_at = ?`,
			n.ID, version, n.UnitID, n.Topic, n.Title, n.Summary, n.Body, nullText(n.Picture), nullText(n.Thumb), n.PictureAlt,
			n.Status, n.Comment, n.WithdrawReason, nullID(n.ApprovedBy), s.ts(n.SubmittedAt), s.ts(n.PublishedAt), s.ts(now)); err != nil {
			return err
		}
		n.Version, n.UpdatedAt = version+1, now
		key := action + ":" + strconv.FormatInt(n.ID, 10) + ":" + strconv.Itoa(n.Version)
		if err := s.notifyEach(ctx, tx, notes, "", func(nn NewNotification) string {
			return key + ":" + strconv.FormatInt(nn.UserID, 10)
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, action, "news_article", n.ID, auditNews(before), auditNews(*n))
	})
}

// GetNewsArticle reads an article by id.
func (s *Store) GetNewsArticle(ctx context.Context, id int64) (NewsArticle, error) {
	a, err := scanNews(s.db.QueryRowContext(ctx, s.q(`SELECT `+newsCols+newsFrom+` WHERE a.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("news article %d: %w", id, ErrNotFound)
	}
	return a, err
}

// GetNewsArticleBySlug reads an article by its slug.
func (s *Store) GetNewsArticleBySlug(ctx context.Context, slug string) (NewsArticle, error) {
	a, err := scanNews(s.db.QueryRowContext(ctx, s.q(`SELECT `+newsCols+newsFrom+` WHERE a.slug = ?`), slug))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("news article %q: %w", slug, ErrNotFound)
	}
	return a, err
}

// NewsFilter chooses articles: of the given units (nil: all), with one of
// Statuses (empty: any), of Topic (empty: any), written by AuthorID (0:
// anyone) or, with OrAuthor, of the units or by the author; Limit rows
// after Offset (Limit 0: all). Published articles come newest first,
// others by last change.
type NewsFilter struct {
	UnitIDs   []int64
	Statuses  []string
	Topic     string
	AuthorID  int64
	OrAuthor  bool
	Published bool // order by publication
	Limit     int
	Offset    int
}

// ListNewsArticles lists articles and the number matching before paging.
func (s *Store) ListNewsArticles(ctx context.Context, f NewsFilter) ([]NewsArticle, int, error) {
	var conds []string
	var args []any
	var who []string
	if f.UnitIDs != nil {
		if len(f.UnitIDs) == 0 && !(f.OrAuthor && f.AuthorID != 0) {
			return []NewsArticle{}, 0, nil
		}
		if len(f.UnitIDs) > 0 {
			who = append(who, `a.unit_id IN (`+placeholders(len(f.UnitIDs))+`)`)
			for _, id := range f.UnitIDs {
				args = append(args, id)
			}
		}
	}
	if f.AuthorID != 0 {
		who = append(who, `a.author_id = ?`)
		args = append(args, f.AuthorID)
	}
	if len(who) > 0 {
		sep := " AND "
		if f.OrAuthor {
			sep = " OR "
		}
		conds = append(conds, "("+strings.Join(who, sep)+")")
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, `a.status IN (`+placeholders(len(f.Statuses))+`)`)
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Topic != "" {
		conds = append(conds, `a.topic = ?`)
		args = append(args, f.Topic)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM news_articles a`+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("news count: %w", err)
	}
	order := ` ORDER BY a.updated_at DESC, a.id DESC`
	if f.Published {
		order = ` ORDER BY a.published_at DESC, a.id DESC`
	}
	q := `SELECT ` + newsCols + newsFrom + where + order
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("news: %w", err)
	}
	defer rows.Close()
	out := []NewsArticle{}
	for rows.Next() {
		a, err := scanNews(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// GetNewsPicture reads a picture by its content hash.
func (s *Store) GetNewsPicture(ctx context.Context, hash string) (NewsPicture, error) {
	var p NewsPicture
	var at Time
	err := s.db.QueryRowContext(ctx, s.q(`SELECT hash, content_type, width, height, data, created_at FROM news_pictures WHERE hash = ?`), hash).
		Scan(&p.Hash, &p.ContentType, &p.Width, &p.Height, &p.Data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("news picture %s: %w", hash, ErrNotFound)
	}
	p.CreatedAt = at.Time
	return p, err
}
