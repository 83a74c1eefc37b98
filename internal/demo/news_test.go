package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoNews: twenty published articles with pictures over the last
// months, newest first, and two waiting for approval.
func TestDemoNews(t *testing.T) {
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return now })
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	pub, total, err := st.ListNewsArticles(ctx, store.NewsFilter{Statuses: []string{service.NewsApproved}, Published: true})
	if err != nil || total != 20 {
		t.Fatalf("published: %d %v", total, err)
	}
	if pub[0].PublishedAt.After(now) || pub[len(pub)-1].PublishedAt.Before(now.AddDate(0, -6, 0)) || !pub[0].PublishedAt.After(pub[1].PublishedAt) {
		t.Errorf("publication dates: %v … %v", pub[0].PublishedAt, pub[len(pub)-1].PublishedAt)
	}
	for _, a := range pub {
		if a.Picture == "" || a.PictureWidth != 1200 || a.PictureHeight != 630 || a.PictureAlt == "" {
			t.Fatalf("picture of %q: %+v", a.Title, a)
		}
	}
	_, waiting, _ := st.ListNewsArticles(ctx, store.NewsFilter{Statuses: []string{service.NewsSubmitted}})
	if waiting != 2 {
		t.Fatalf("waiting: %d", waiting)
	}
}
