package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func newCase(code string, unit int64) *store.Case {
	return &store.Case{TrackingCode: code, SecretHash: "h", Kind: "complaint", Channel: "web", UnitID: unit,
		Title: "Khiếu nại", Description: "Nội dung", Status: "received", ReceivedOn: "2025-08-04", AcceptDue: "2025-08-18",
		IdentityEnc: []byte{1, 2, 3}}
}

func TestCasesStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w, x := ids["11"], ids["10"]
	c := newCase("TH-2025-AAAAAA", w)
	lat, lon := 19.8, 105.77
	c.Lat, c.Lon = &lat, &lon
	if err := st.CreateCase(ctx, sys, c, store.CaseEvent{Action: "receive", Public: true, ToUnitID: w}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateCase(ctx, sys, newCase("TH-2025-AAAAAA", w), store.CaseEvent{Action: "receive"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate code: %v", err)
	}
	got, err := st.CaseByCode(ctx, "TH-2025-AAAAAA")
	if err != nil || got.ID != c.ID || !got.HasIdentity || got.IdentityEnc != nil || got.Lat == nil || *got.Lat != lat || got.Version != 1 {
		t.Fatalf("by code: %+v %v", got, err)
	}
	if _, err := st.GetCase(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}

	// Transition under the optimistic lock.
	ch := store.CaseChange{ID: c.ID, Version: 1, Status: "transferred", UnitID: x, AuditAction: "case.transfer",
		Event: store.CaseEvent{Action: "transfer", Public: true, PublicNote: "Chuyển", InternalNote: "nội bộ", FromUnitID: w, ToUnitID: x}}
	after, err := st.ChangeCase(ctx, sys, ch)
	if err != nil || after.Version != 2 || after.UnitID != x || after.Status != "transferred" {
		t.Fatalf("change: %+v %v", after, err)
	}
	if _, err := st.ChangeCase(ctx, sys, ch); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	evs, err := st.CaseEvents(ctx, c.ID, true)
	if err != nil || len(evs) != 2 || evs[1].FromUnitID != w || evs[1].PublicNote != "Chuyển" {
		t.Fatalf("events: %+v %v", evs, err)
	}
	private := store.CaseEvent{Action: "note", Public: false, InternalNote: "riêng"}
	ch = store.CaseChange{ID: c.ID, Version: 2, Status: "accepted", AuditAction: "case.accept", Event: private}
	if _, err := st.ChangeCase(ctx, sys, ch); err != nil {
		t.Fatal(err)
	}
	if evs, _ := st.CaseEvents(ctx, c.ID, true); len(evs) != 2 {
		t.Fatalf("public events: %+v", evs)
	}
	if evs, _ := st.CaseEvents(ctx, c.ID, false); len(evs) != 3 {
		t.Fatalf("all events: %+v", evs)
	}

	// Lists: by unit, status, overdue.
	if err := st.CreateCase(ctx, sys, newCase("TH-2025-BBBBBB", w), store.CaseEvent{Action: "receive"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    store.CaseFilter
		want int
	}{
		{store.CaseFilter{}, 2},
		{store.CaseFilter{Units: []int64{w}}, 1},
		{store.CaseFilter{Units: []int64{w, x}, Status: "accepted"}, 1},
		{store.CaseFilter{Kind: "denunciation"}, 0},
		{store.CaseFilter{OverdueOn: "2025-08-19"}, 1}, // received, acceptance due 18 Aug
		{store.CaseFilter{OverdueOn: "2025-08-18"}, 0},
	} {
		if _, n, err := st.ListCases(ctx, tc.f); err != nil || n != tc.want {
			t.Errorf("%+v: %d, want %d (%v)", tc.f, n, tc.want, err)
		}
	}

	// The identity read is audited, once per view.
	for range 2 {
		enc, err := st.CaseIdentity(ctx, audit.Actor{UserID: 0, Name: "xuly"}, c.ID)
		if err != nil || len(enc) != 3 {
			t.Fatalf("identity: %v %v", enc, err)
		}
	}
	if _, n, err := st.ListAudit(ctx, store.AuditFilter{Action: "case.identity_view", EntityID: strconv.FormatInt(c.ID, 10)}); err != nil || n != 2 {
		t.Fatalf("identity views: %d %v", n, err)
	}

	// Rating: only once, only when resolved or closed.
	if err := st.RateCase(ctx, sys, c.ID, 5, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("rate open case: %v", err)
	}
	res := "Đã giải quyết"
	if _, err := st.ChangeCase(ctx, sys, store.CaseChange{ID: c.ID, Version: 3, Status: "resolved", Resolution: &res, AuditAction: "case.resolve", Event: store.CaseEvent{Action: "resolve"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.RateCase(ctx, sys, c.ID, 4, "Tốt"); err != nil {
		t.Fatal(err)
	}
	if err := st.RateCase(ctx, sys, c.ID, 5, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second rating: %v", err)
	}
}

func TestCaseCategories(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	for _, c := range []store.CaseCategory{
		{Code: "dat-dai", NameVi: "Đất đai", DefaultKind: "commune"},
		{Code: "bhxh", NameVi: "BHXH", DefaultUnitID: ids["P38"]},
		{Code: "dat-dai", NameVi: "Đất đai, nhà ở", NameEn: "Land and housing"},
	} {
		if err := st.PutCaseCategory(ctx, sys, c); err != nil {
			t.Fatal(err)
		}
	}
	cats, err := st.CaseCategories(ctx)
	byCode := map[string]store.CaseCategory{}
	for _, c := range cats {
		byCode[c.Code] = c
	}
	// The defaults of migration 0024 plus bhxh; dat-dai replaced.
	if err != nil || len(cats) != 13 || cats[2].Code != "bhxh" || byCode["bhxh"].DefaultUnitID != ids["P38"] ||
		byCode["dat-dai"].NameVi != "Đất đai, nhà ở" || byCode["dat-dai"].NameEn != "Land and housing" || byCode["dat-dai"].DefaultKind != "" ||
		byCode["y-te"].NameVi != "Y tế" || byCode["y-te"].DefaultKind != "commune" || byCode["khac"].NameJa != "その他" {
		t.Fatalf("categories: %+v %v", cats, err)
	}
}

func TestCaseKeyFile(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "k.db"), store.Options{AuditKey: storetest.AuditKey, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k1, err := st.CaseKeyText("")
	if err != nil || len(k1) != 64 {
		t.Fatalf("key: %q %v", k1, err)
	}
	fi, err := os.Stat(filepath.Join(dir, store.CaseKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if k2, _ := st.CaseKeyText(""); k2 != k1 {
		t.Fatal("key changed")
	}
	if k, _ := st.CaseKeyText("configured-key-of-at-least-32-characters"); k != "configured-key-of-at-least-32-characters" {
		t.Fatal("configured key ignored")
	}
}

// envCrashChild makes the test binary the intake process of
// TestCaseIntakeSurvivesSIGKILL (its data directory); envCrashDSN names the
// database it writes to (a SQLite file there, or a PostgreSQL schema).
const (
	envCrashChild = "DANVAN_TEST_CASE_CRASH_DIR"
	envCrashDSN   = "DANVAN_TEST_CASE_CRASH_DSN"
)

// TestCaseIntakeSurvivesSIGKILL: a process takes cases from several
// goroutines and prints each tracking code once QueueCase (the group
// commit of public intake) returned; it is
// killed with SIGKILL mid-stream; every printed case is in the database.
// On both engines: a SQLite file, or a PostgreSQL schema.
func TestCaseIntakeSurvivesSIGKILL(t *testing.T) {
	if dir := os.Getenv(envCrashChild); dir != "" {
		crashChild(dir, os.Getenv(envCrashDSN))
		return
	}
	dir := t.TempDir()
	dsn := storetest.DSN(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCaseIntakeSurvivesSIGKILL$")
	cmd.Env = append(os.Environ(), envCrashChild+"="+dir, envCrashDSN+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if code, ok := strings.CutPrefix(sc.Text(), "ACK "); ok {
			acked = append(acked, code)
			if len(acked) == 60 {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
	}
	_ = cmd.Wait()
	if len(acked) < 60 {
		t.Fatalf("the child acknowledged only %d cases", len(acked))
	}
	st, err := store.Open(ctx, dsn, store.Options{AuditKey: storetest.AuditKey, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, code := range acked {
		if _, err := st.CaseByCode(ctx, code); err != nil {
			t.Errorf("acknowledged case %s lost: %v", code, err)
		}
	}
}

func crashChild(dir, dsn string) {
	st, err := store.Open(ctx, dsn, store.Options{AuditKey: storetest.AuditKey, DataDir: dir})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	if _, err := st.Migrate(ctx); err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	u := org.Unit{Code: "P38", Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince, ValidFrom: "2000-01-01"}
	if err := st.CreateUnit(ctx, sys, &u); err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	unit := u.ID
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				code := fmt.Sprintf("TH-2025-%02d%04d", g, i)
				if err := st.QueueCase(context.Background(), sys, newCase(code, unit), store.CaseEvent{Action: "receive"}); err != nil {
					continue
				}
				mu.Lock()
				fmt.Println("ACK " + code)
				mu.Unlock()
				time.Sleep(time.Millisecond)
			}
		})
	}
	wg.Wait()
}
