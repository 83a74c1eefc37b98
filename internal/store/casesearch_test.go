package store_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestCaseSearch(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w, x := ids["11"], ids["10"]
	add := func(code string, unit int64, kind, title, desc, on string) *store.Case {
		t.Helper()
		c := newCase(code, unit)
		c.Kind, c.Category, c.Title, c.Description, c.ReceivedOn, c.PlaceUnitID = kind, "giao-thong", title, desc, on, unit
		if err := st.CreateCase(ctx, sys, c, store.CaseEvent{Action: "receive", Public: true}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := add("TH-2025-AAAAAA", w, "feedback", "Đường bị ngập", "Nước ngập sâu sau mưa lớn.", "2025-08-01")
	b := add("TH-2025-BBBBBB", w, "complaint", "Khiếu nại đền bù", "Đất ở đường Lê Lợi.", "2025-08-10")
	c := add("TH-2025-CCCCCC", x, "feedback", "Rác thải", "Bãi rác ô nhiễm ĐƯỜNG làng.", "2025-09-01")

	codes := func(f store.CaseFilter) (string, int) {
		t.Helper()
		f.NewestFirst = true
		cs, n, err := st.ListCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, c := range cs {
			out += c.TrackingCode[8:9]
		}
		return out, n
	}
	for _, tt := range []struct {
		f     store.CaseFilter
		want  string
		total int
	}{
		{store.CaseFilter{Text: "duong"}, "CBA", 3},
		{store.CaseFilter{Text: "Đường"}, "CBA", 3},
		{store.CaseFilter{Text: "ĐƯỜNG NGẬP"}, "A", 1},
		{store.CaseFilter{Text: "duo ng"}, "A", 1}, // prefixes
		{store.CaseFilter{Text: "uong"}, "", 0},    // not a prefix
		{store.CaseFilter{Text: "th-2025-bbbbbb"}, "B", 1},
		{store.CaseFilter{Text: "?!"}, "", 0},
		{store.CaseFilter{Text: "duong", Units: []int64{w}}, "BA", 2},
		{store.CaseFilter{Text: "duong", From: "2025-08-05"}, "CB", 2},
		{store.CaseFilter{Text: "duong", From: "2025-08-05", To: "2025-08-31"}, "B", 1},
		{store.CaseFilter{Text: "duong", Kinds: []string{"feedback"}}, "CA", 2},
		{store.CaseFilter{Text: "duong", Kind: "complaint", Status: "received"}, "B", 1},
		{store.CaseFilter{Category: "giao-thong", PlaceUnitID: x}, "C", 1},
		{store.CaseFilter{To: "2025-08-01"}, "A", 1},
	} {
		got, n := codes(tt.f)
		if got != tt.want || n != tt.total {
			t.Errorf("%+v: %q (%d), want %q (%d)", tt.f, got, n, tt.want, tt.total)
		}
	}

	// A new title or description is found by its new words once re-indexed;
	// the change of status keeps the index.
	if _, err := st.ChangeCase(ctx, sys, store.CaseChange{ID: a.ID, Version: 1, Status: "accepted", AuditAction: "case.accept",
		Event: store.CaseEvent{Action: "accept"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := codes(store.CaseFilter{Text: "ngap"}); got != "A" {
		t.Fatalf("after a change: %q", got)
	}

	// Person hashes and similar candidates.
	p := newCase("TH-2025-DDDDDD", w)
	p.PersonHash, p.Category, p.PlaceUnitID = "hash-1", "giao-thong", w
	if err := st.CreateCase(ctx, sys, p, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	q := newCase("TH-2025-EEEEEE", x)
	q.PersonHash = "hash-1"
	if err := st.CreateCase(ctx, sys, q, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	if h, err := st.CasePersonHash(ctx, q.ID); err != nil || h != "hash-1" {
		t.Fatalf("person hash: %q %v", h, err)
	}
	same, err := st.CasesByPerson(ctx, "hash-1", q.ID, 10)
	if err != nil || len(same) != 1 || same[0].ID != p.ID {
		t.Fatalf("by person: %+v %v", same, err)
	}
	if none, _ := st.CasesByPerson(ctx, "", 0, 10); len(none) != 0 {
		t.Fatalf("empty hash matched %d", len(none))
	}
	sim, err := st.SimilarCases(ctx, store.SimilarFilter{Category: "giao-thong", PlaceUnitID: w, Statuses: []string{"received"}, Except: p.ID})
	if err != nil || len(sim) != 1 || sim[0].ID != b.ID {
		t.Fatalf("similar: %+v %v", sim, err)
	}
	lat, lon := 19.8, 105.77
	add("TH-2025-FFFFFF", x, "feedback", "Đèn đường hỏng", "Tối.", "2025-09-02") // another place, no point
	box := [4]float64{lat - 0.01, lat + 0.01, lon - 0.01, lon + 0.01}
	upd := `UPDATE cases SET lat = ?, lon = ? WHERE id = ?`
	if st.Dialect() == store.Postgres {
		upd = `UPDATE cases SET lat = $1, lon = $2 WHERE id = $3`
	}
	if _, err := st.DB().ExecContext(ctx, upd, lat, lon, c.ID); err != nil {
		t.Fatal(err)
	}
	sim, err = st.SimilarCases(ctx, store.SimilarFilter{Category: "giao-thong", PlaceUnitID: w, Box: &box, Kinds: []string{"feedback"}})
	if err != nil || len(sim) != 2 || sim[0].ID != c.ID || sim[1].ID != a.ID {
		t.Fatalf("similar with a box: %+v %v", sim, err)
	}
}

// TestCaseSearchBackfill runs migration 0021's fill of the cases written
// before it: a case without search text is found once it has run.
func TestCaseSearchBackfill(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	c := newCase("TH-2025-GGGGGG", ids["11"])
	c.Title, c.Description = "ĐƯỜNG Bị NGẬP ở Phường Hạc Thành", "Ống cống vỡ."
	if err := st.CreateCase(ctx, sys, c, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE cases SET search_text = ''`); err != nil {
		t.Fatal(err)
	}
	find := func(q string) int {
		t.Helper()
		_, n, err := st.ListCases(ctx, store.CaseFilter{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := find("duong ngap"); n != 0 {
		t.Fatalf("before the fill: %d", n)
	}
	ms, err := store.Migrations(st.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	fill := ""
	for _, m := range ms {
		if m.Name == "0021_case_search" {
			fill = m.SQL[strings.LastIndex(m.SQL, "UPDATE cases SET search_text"):]
		}
	}
	if fill == "" {
		t.Fatal("no fill in migration 0021")
	}
	if _, err := st.DB().ExecContext(ctx, fill); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"duong ngap", "ĐƯỜNG", "phuong hac thanh", "ong cong vo", "th-2025-gggggg"} {
		if n := find(q); n != 1 {
			t.Errorf("%q after the fill: %d", q, n)
		}
	}
}

// TestCaseSearchAfterRestore: a restored case is found by its words (the
// SQLite index is not in the backup; its triggers refill it).
func TestCaseSearchAfterRestore(t *testing.T) {
	src := storetest.Open(t)
	ids := smallTree(t, src)
	c := newCase("TH-2025-HHHHHH", ids["11"])
	c.Title = "Đường bị ngập"
	if err := src.CreateCase(ctx, sys, c, store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := src.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	for _, dst := range []*store.Store{storetest.Open(t), openSQLite(t)} {
		if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatalf("restore %s: %v", dst.Dialect(), err)
		}
		if _, n, err := dst.ListCases(ctx, store.CaseFilter{Text: "duong ngap"}); err != nil || n != 1 {
			t.Fatalf("%s: found %d, %v", dst.Dialect(), n, err)
		}
	}
}

// TestCaseSearchCountCap: a search by words counts up to CaseCountCap+1;
// a list without words counts exactly.
func TestCaseSearchCountCap(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	q := `INSERT INTO cases (tracking_code, secret_hash, kind, channel, unit_id, title, description, status, received_on, created_at, updated_at, search_text)
		VALUES (?, 'h', 'feedback', 'web', ?, 'Đường', '', 'received', '2025-08-04', '2025-08-04T00:00:00Z', '2025-08-04T00:00:00Z', 'duong')`
	if st.Dialect() == store.Postgres {
		q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
	}
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := store.CaseCountCap + 5
	for i := range n {
		if _, err := tx.ExecContext(ctx, q, "TH-2025-"+strconv.Itoa(100000+i), ids["11"]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, total, err := st.ListCases(ctx, store.CaseFilter{Text: "duong", Limit: 1}); err != nil || total != store.CaseCountCap+1 {
		t.Fatalf("text: %d %v", total, err)
	}
	if _, total, err := st.ListCases(ctx, store.CaseFilter{Text: "duong", Units: []int64{ids["11"]}, Limit: 1}); err != nil || total != store.CaseCountCap+1 {
		t.Fatalf("text and unit: %d %v", total, err)
	}
	if _, total, err := st.ListCases(ctx, store.CaseFilter{Limit: 1}); err != nil || total != n {
		t.Fatalf("no text: %d %v", total, err)
	}
}

// Cases written in bulk (the demo, imports from paper registers) are found
// by text like the ones submitted one by one.
func TestSeededCasesAreSearchable(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	c := *newCase("TH-2025-SEEDED", ids["11"])
	c.Title, c.Description, c.ReceivedOn = "Cầu treo xuống cấp", "Cây cầu treo qua suối đã hư hỏng.", "2025-08-01"
	if _, err := st.SeedCases(ctx, sys, "case.seed", []store.CaseSeed{{Case: c, Events: []store.CaseEvent{{Action: "receive", Public: true}}}}); err != nil {
		t.Fatal(err)
	}
	cs, n, err := st.ListCases(ctx, store.CaseFilter{Text: "cau treo"})
	if err != nil || n != 1 || len(cs) != 1 || cs[0].TrackingCode != "TH-2025-SEEDED" {
		t.Fatalf("seeded case by its words: %d %v %v", n, cs, err)
	}
}
