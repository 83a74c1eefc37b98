package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

var ctx = context.Background()

var sys = audit.System("test")

// smallTree: province → district D1 (until 2025-06-30) → communes 1, 2;
// since 2025-07-01 commune 10 continues 1 and 2.
func smallTree(t *testing.T, st *store.Store) map[string]int64 {
	t.Helper()
	csv := `code,name,kind,parent_code,valid_from,valid_to,remote
P38,Tỉnh Thanh Hóa,province,,2000-01-01,,false
D1,Huyện Mường Lát,district,P38,2000-01-01,2025-06-30,true
1,Xã Đồng Lương,commune,D1,2000-01-01,2025-06-30,true
2,Thị trấn Mường Lát,township,D1,2000-01-01,2025-06-30,true
10,Xã Mường Lát,commune,P38,2025-07-01,,true
11,Phường Hạc Thành,ward,P38,2025-07-01,,false
`
	rows, err := org.ParseCSV(strings.NewReader(csv), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.ImportUnits(ctx, sys, rows)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 6 {
		t.Fatalf("created %d, want 6", res.Created)
	}
	ids := map[string]int64{}
	for _, c := range []struct{ code, at string }{{"P38", "2025-01-01"}, {"D1", "2025-01-01"}, {"1", "2025-01-01"}, {"2", "2025-01-01"}, {"10", "2025-07-01"}, {"11", "2025-07-01"}} {
		u, err := st.UnitByCode(ctx, c.code, c.at)
		if err != nil {
			t.Fatal(err)
		}
		ids[c.code] = u.ID
	}
	ms := []org.Merge{{NewCode: "10", From: []org.MergeSource{{OldCode: "1", Portion: "full"}, {OldCode: "2", Portion: "partial"}}}}
	if n, err := st.ImportMerges(ctx, sys, ms, "2025-07-01", "2025-06-30"); err != nil || n != 2 {
		t.Fatalf("merges: %d %v", n, err)
	}
	return ids
}

func names(us []org.Unit) string {
	var b []string
	for _, u := range us {
		b = append(b, fmt.Sprintf("%s%s", strings.Repeat(".", u.Depth), u.Name))
	}
	return strings.Join(b, "|")
}

func TestTreeAsOf(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	tests := []struct{ at, want string }{
		{"2025-06-30", "Tỉnh Thanh Hóa|.Huyện Mường Lát|..Thị trấn Mường Lát|..Xã Đồng Lương"},
		{"2025-07-01", "Tỉnh Thanh Hóa|.Phường Hạc Thành|.Xã Mường Lát"},
		{"1999-12-31", ""},
	}
	for _, tc := range tests {
		us, err := st.UnitsAt(ctx, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(us); got != tc.want {
			t.Errorf("at %s:\n got %s\nwant %s", tc.at, got, tc.want)
		}
		sub, err := st.Subtree(ctx, ids["P38"], tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if tc.want != "" && names(sub) != tc.want {
			t.Errorf("subtree at %s: %s", tc.at, names(sub))
		}
	}
	path, err := st.Path(ctx, ids["1"])
	if err != nil || fmt.Sprint(path) != fmt.Sprint([]int64{ids["P38"], ids["D1"], ids["1"]}) {
		t.Fatalf("path = %v, %v", path, err)
	}
	succ, err := st.Successors(ctx, ids["2"])
	if err != nil || len(succ) != 1 || succ[0].SuccessorID != ids["10"] || succ[0].Portion != "partial" {
		t.Fatalf("successors = %+v, %v", succ, err)
	}
	pred, err := st.Predecessors(ctx, ids["10"])
	if err != nil || len(pred) != 2 {
		t.Fatalf("predecessors = %+v, %v", pred, err)
	}
}

func TestSearchFoldsDiacritics(t *testing.T) {
	st := storetest.Open(t)
	smallTree(t, st)
	tests := []struct {
		q, at string
		want  int
	}{
		{"hac thanh", "2025-07-01", 1},
		{"HẠC THÀNH", "", 1},
		{"dong luong", "", 1},
		{"Đồng", "2025-01-01", 1},
		{"muong lat", "", 3},
		{"muong lat", "2025-07-01", 1},
		{"50%_", "", 0},
	}
	for _, tc := range tests {
		us, total, err := st.SearchUnits(ctx, store.UnitSearch{Query: tc.q, At: tc.at})
		if err != nil {
			t.Fatal(err)
		}
		if total != tc.want || len(us) != tc.want {
			t.Errorf("search %q at %q: %d (%d rows), want %d", tc.q, tc.at, total, len(us), tc.want)
		}
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	st := storetest.Open(t)
	smallTree(t, st)
	rows := []org.ImportRow{
		{Line: 2, Code: "20", Name: "Xã Mới", Kind: org.KindCommune, ParentCode: "P38", ValidFrom: "2025-07-01"},
		{Line: 3, Code: "21", Name: "Xã Lạc", Kind: org.KindCommune, ParentCode: "NOPE", ValidFrom: "2025-07-01"},
	}
	_, err := st.ImportUnits(ctx, sys, rows)
	var ie *org.ImportError
	if !errors.As(err, &ie) || len(ie.Lines) != 1 || ie.Lines[0].Line != 3 {
		t.Fatalf("err = %v", err)
	}
	if _, err := st.UnitByCode(ctx, "20", "2025-07-01"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("half an import landed: %v", err)
	}
	// Re-importing the same rows changes nothing.
	rows = rows[:1]
	if res, err := st.ImportUnits(ctx, sys, rows); err != nil || res.Created != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if res, err := st.ImportUnits(ctx, sys, rows); err != nil || res.Unchanged != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestUnitUpdateRejectsCycle(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	p, _ := st.GetUnit(ctx, ids["P38"])
	p.ParentID = ids["10"]
	if err := st.UpdateUnit(ctx, sys, &p); !errors.Is(err, store.ErrParentInvalid) {
		t.Fatalf("cycle accepted: %v", err)
	}
}

func TestAuditChainAndTamper(t *testing.T) {
	st := storetest.Open(t)
	smallTree(t, st)
	n, err := st.VerifyAudit(ctx)
	if err != nil || n < 8 {
		t.Fatalf("verify: %d %v", n, err)
	}
	entries, total, err := st.ListAudit(ctx, store.AuditFilter{Action: "unit.", Limit: 3})
	if err != nil || total < 6 || len(entries) != 3 || entries[0].ID < entries[1].ID {
		t.Fatalf("list: %d %d %v", total, len(entries), err)
	}
	// Tamper with one row behind the store's back.
	db := st.DB()
	q := `UPDATE audit_log SET after_json = '{"name":"forged"}' WHERE id = 2`
	if _, err := db.ExecContext(ctx, q); err != nil {
		t.Fatal(err)
	}
	_, err = st.VerifyAudit(ctx)
	var be *audit.BrokenError
	if !errors.As(err, &be) || be.ID != 2 {
		t.Fatalf("tampering not detected: %v", err)
	}
}

func TestUsersGrantsSessions(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	hash, _ := account.HashPassword("correct horse battery")
	u := account.User{Username: "lan", FullName: "Vũ Thị Lan", PasswordHash: hash}
	if err := st.CreateUser(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	dup := account.User{Username: "lan", FullName: "x", PasswordHash: hash}
	if err := st.CreateUser(ctx, sys, &dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate user: %v", err)
	}
	if err := st.AddGrant(ctx, sys, u.ID, authz.RoleUnitOfficer, ids["10"]); err != nil {
		t.Fatal(err)
	}
	if err := st.AddGrant(ctx, sys, u.ID, authz.RoleUnitOfficer, ids["10"]); err != nil {
		t.Fatal("grant is not idempotent:", err)
	}
	gs, err := st.AuthzGrants(ctx, u.ID)
	if err != nil || len(gs) != 1 || gs[0].UnitID != ids["10"] {
		t.Fatalf("grants %+v %v", gs, err)
	}
	// Lockout after repeated failures.
	p := account.DefaultPolicy
	var locked bool
	for i := 0; i < p.MaxFailures; i++ {
		until, err := st.RecordSignIn(ctx, p, u.ID, "lan", "10.0.0.1", false)
		if err != nil {
			t.Fatal(err)
		}
		locked = !until.IsZero()
	}
	if !locked {
		t.Fatal("account not locked after max failures")
	}
	got, _ := st.UserByName(ctx, "lan")
	if !got.LockedUntil.After(st.Now()) {
		t.Fatal("lock not stored")
	}
	if n, _ := st.RecentFailures(ctx, "10.0.0.1", st.Now().Add(-p.IPWindow)); n != p.MaxFailures {
		t.Fatalf("recent failures = %d", n)
	}
	// Sessions, and a password change ending them.
	tok, h, _ := account.NewToken("")
	_ = tok
	now := st.Now()
	if err := st.CreateSession(ctx, account.Session{TokenHash: h, UserID: u.ID, CSRF: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(p.AbsoluteTimeout)}, "ip", "ua"); err != nil {
		t.Fatal(err)
	}
	if s, err := st.GetSession(ctx, h); err != nil || s.UserID != u.ID || !s.ExpiresAt.After(now) {
		t.Fatalf("session %+v %v", s, err)
	}
	if err := st.SetPassword(ctx, sys, u.ID, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetSession(ctx, h); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("session survived a password change")
	}
	// API tokens are stored hashed.
	tok, h, _ = account.NewToken("dvt_")
	if _, err := st.CreateToken(ctx, sys, u.ID, "ci", h); err != nil {
		t.Fatal(err)
	}
	if got, err := st.UserByToken(ctx, account.HashToken(tok)); err != nil || got.ID != u.ID {
		t.Fatalf("token: %v", err)
	}
	var raw int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = '`+tok+`'`).Scan(&raw); err != nil || raw != 0 {
		t.Fatal("token stored in clear")
	}
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	src := storetest.Open(t)
	smallTree(t, src)
	hash, _ := account.HashPassword("correct horse battery")
	u := account.User{Username: "an", FullName: "Nguyễn An", PasswordHash: hash}
	if err := src.CreateUser(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := src.Backup(ctx, &buf)
	if err != nil || n == 0 {
		t.Fatalf("backup %d %v", n, err)
	}
	// Restore into a fresh store (the same engine as the test run) and into SQLite.
	for _, dst := range []*store.Store{storetest.Open(t), openSQLite(t)} {
		if _, err := dst.VerifyAudit(ctx); err != nil {
			t.Fatalf("empty target: %v", err)
		}
		m, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()))
		if err != nil || m != n {
			t.Fatalf("restore %s: %d of %d, %v", dst.Dialect(), m, n, err)
		}
		got, err := dst.UserByName(ctx, "an")
		if err != nil || got.FullName != "Nguyễn An" || !account.CheckPassword(got.PasswordHash, "correct horse battery") {
			t.Fatalf("user after restore: %+v %v", got, err)
		}
		us, _ := dst.UnitsAt(ctx, "2025-01-01")
		if len(us) != 4 || !us[1].Remote {
			t.Fatalf("units after restore: %s", names(us))
		}
		// New rows get fresh ids after a restore.
		v := account.User{Username: "binh", FullName: "Bình", PasswordHash: hash}
		if err := dst.CreateUser(ctx, sys, &v); err != nil {
			t.Fatalf("create after restore: %v", err)
		}
		if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); !errors.Is(err, store.ErrNotEmpty) {
			t.Fatalf("restore over data: %v", err)
		}
	}
}

// openSQLite opens a migrated SQLite store with the test audit key, whatever
// engine the run is on.
func openSQLite(t *testing.T) *store.Store {
	opts := storetest.Options(t)
	st, err := store.Open(ctx, filepath.Join(opts.DataDir, "x.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSchemasAgree checks that the SQLite and PostgreSQL migrations produce
// the same tables and columns. It needs PostgreSQL.
func TestSchemasAgree(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		// The test command's PostgreSQL step runs this; on SQLite alone there is nothing to compare.
		t.Skip("set DANVAN_TEST_POSTGRES to compare with PostgreSQL")
	}
	pg := storetest.Open(t)
	lite := openSQLite(t)
	a, err := lite.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("schemas differ:\nsqlite:   %v\npostgres: %v", a, b)
	}
	sm, _ := store.Migrations(store.SQLite)
	pm, _ := store.Migrations(store.Postgres)
	if len(sm) != len(pm) {
		t.Fatalf("%d sqlite migrations, %d postgres", len(sm), len(pm))
	}
	for i := range sm {
		if sm[i].Name != pm[i].Name {
			t.Fatalf("migration %d: %s vs %s", i, sm[i].Name, pm[i].Name)
		}
	}
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	st := storetest.Open(t)
	n, err := st.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d: %v", n, err)
	}
}
