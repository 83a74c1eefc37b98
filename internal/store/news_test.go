package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestNewsStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w, x := ids["11"], ids["10"]
	pic := store.NewsPicture{Hash: "abc123", ContentType: "image/jpeg", Width: 1200, Height: 630, Data: []byte{1, 2, 3}}
	mk := func(unit int64, title, slug, status string, pics ...store.NewsPicture) *store.NewsArticle {
		n := &store.NewsArticle{UnitID: unit, Topic: "models", Title: title, Slug: slug, Summary: "Tóm tắt", Body: "Nội dung", Status: status}
		if len(pics) > 0 {
			n.Picture, n.Thumb = pics[0].Hash, pics[0].Hash
		}
		if err := st.CreateNewsArticle(ctx, sys, n, pics); err != nil {
			t.Fatal(err)
		}
		return n
	}
	a := mk(w, "Dân vận khéo", "dan-van-kheo", "draft", pic)
	b := mk(x, "Dân vận khéo", "dan-van-kheo", "draft", pic) // same slug and picture
	if a.ID == 0 || a.Version != 1 || b.Slug != "dan-van-kheo-2" {
		t.Fatalf("create: %+v / %+v", a, b)
	}
	got, err := st.GetNewsArticleBySlug(ctx, "dan-van-kheo")
	if err != nil || got.ID != a.ID || got.PictureWidth != 1200 || got.ThumbHeight != 630 || got.UnitName == "" {
		t.Fatalf("by slug: %+v %v", got, err)
	}
	p, err := st.GetNewsPicture(ctx, "abc123")
	if err != nil || len(p.Data) != 3 || p.ContentType != "image/jpeg" {
		t.Fatalf("picture: %+v %v", p, err)
	}
	if _, err := st.GetNewsPicture(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing picture: %v", err)
	}

	// Publish under the version lock; a stale write is refused.
	a.Status, a.PublishedAt = "approved", time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	if err := st.UpdateNewsArticle(ctx, sys, a, 1, "news.approve", nil, nil); err != nil || a.Version != 2 {
		t.Fatalf("update: %v %d", err, a.Version)
	}
	if err := st.UpdateNewsArticle(ctx, sys, a, 1, "news.approve", nil, nil); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale: %v", err)
	}
	if err := st.UpdateNewsArticle(ctx, sys, &store.NewsArticle{ID: 9999}, 1, "news.update", nil, nil); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	got, _ = st.GetNewsArticle(ctx, a.ID)
	if !got.PublishedAt.Equal(a.PublishedAt) || got.Status != "approved" {
		t.Fatalf("published: %+v", got)
	}

	list, total, err := st.ListNewsArticles(ctx, store.NewsFilter{Statuses: []string{"approved"}, Published: true})
	if err != nil || total != 1 || list[0].ID != a.ID {
		t.Fatalf("published list: %v %d %v", list, total, err)
	}
	list, total, _ = st.ListNewsArticles(ctx, store.NewsFilter{UnitIDs: []int64{x}})
	if total != 1 || list[0].ID != b.ID {
		t.Fatalf("unit list: %v %d", list, total)
	}
	_, total, _ = st.ListNewsArticles(ctx, store.NewsFilter{UnitIDs: []int64{}})
	if total != 0 {
		t.Fatalf("no units: %d", total)
	}
	_, total, _ = st.ListNewsArticles(ctx, store.NewsFilter{Topic: "dialogues"})
	if total != 0 {
		t.Fatalf("topic: %d", total)
	}
	list, total, _ = st.ListNewsArticles(ctx, store.NewsFilter{Limit: 1, Offset: 1})
	if total != 2 || len(list) != 1 {
		t.Fatalf("page: %d %d", total, len(list))
	}
}
