package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// BenchmarkListCasesText measures ListCases with a text query (and the
// first page with its capped count) over DANVAN_BENCH_CASES synthetic
// cases (100 000 by default) on SQLite, with and without a unit filter.
func BenchmarkListCasesText(b *testing.B) {
	n := 100000
	if s := os.Getenv("DANVAN_BENCH_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("DANVAN_BENCH_CASES=%q", s)
		}
	}
	opts := storetest.Options(b)
	st, err := store.Open(ctx, filepath.Join(opts.DataDir, "b.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var units []int64
	for i := range 40 {
		u := org.Unit{Code: fmt.Sprintf("X%d", i), Name: fmt.Sprintf("Xã %d", i), Kind: org.KindCommune, ValidFrom: "2000-01-01"}
		if err := st.CreateUnit(ctx, sys, &u); err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	words := []string{"đường", "ngập", "nước", "rác", "thải", "ô", "nhiễm", "đèn", "chiếu", "sáng", "cầu", "cống", "trường", "học",
		"đất", "đai", "bồi", "thường", "điện", "sinh", "hoạt", "tiếng", "ồn", "karaoke", "chợ", "lấn", "chiếm", "vỉa", "hè", "xe", "tải",
		"bụi", "mương", "tưới", "lúa", "y", "tế", "trạm", "giấy", "tờ", "chứng", "thực", "hộ", "nghèo", "trợ", "cấp"}
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(k int) string {
		s := ""
		for range k {
			s += words[rng.IntN(len(words))] + " "
		}
		return s
	}
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO cases (tracking_code, secret_hash, kind, category, channel, unit_id, place_unit_id,
		title, description, status, received_on, created_at, updated_at, search_text) VALUES (?, 'h', 'feedback', 'c', 'web', ?, ?, ?, ?, 'received', ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		c := store.Case{TrackingCode: fmt.Sprintf("TH-2025-%06d", i), Category: "c", Title: text(5), Description: text(30)}
		u := units[rng.IntN(len(units))]
		at := day.Add(time.Duration(i) * 365 * 24 * time.Hour / time.Duration(n))
		if _, err := ins.ExecContext(ctx, c.TrackingCode, u, u, c.Title, c.Description, at.Format("2006-01-02"), at.Format(time.RFC3339Nano),
			at.Format(time.RFC3339Nano), store.CaseSearchText(&c)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    store.CaseFilter
	}{
		{"one-word", store.CaseFilter{Text: "karaoke"}},
		{"two-words", store.CaseFilter{Text: "duong ngap"}},
		{"prefix", store.CaseFilter{Text: "ch"}},
		{"rare", store.CaseFilter{Text: "karaoke ngheo tai bui"}},
		{"units-dates", store.CaseFilter{Text: "duong", Units: units[:5], From: "2025-02-01", To: "2025-03-01"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.f.Limit, bc.f.NewestFirst = 20, true
			for b.Loop() {
				if _, _, err := st.ListCases(ctx, bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
