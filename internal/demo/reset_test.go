package demo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoReset: a database holding the demo is wiped and loads afresh with
// the same content and a sound audit chain; a database holding anything
// else is refused.
func TestDemoReset(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	if s, err := demo.Inspect(ctx, st); err != nil || s != demo.Empty {
		t.Fatalf("fresh database: %v %v", s, err)
	}
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		_, n, err := st.ListReports(ctx, store.ReportFilter{All: true, Status: report.Accepted})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if s, err := demo.Inspect(ctx, st); err != nil || s != demo.Demo {
		t.Fatalf("after load: %v %v", s, err)
	}
	if err := demo.Wipe(ctx, st); err != nil {
		t.Fatal(err)
	}
	if s, err := demo.Inspect(ctx, st); err != nil || s != demo.Empty {
		t.Fatalf("after wipe: %v %v", s, err)
	}
	if err := demo.Load(ctx, st); err != nil {
		t.Fatalf("load after wipe: %v", err)
	}
	if after := count(); after != before {
		t.Errorf("accepted reports: %d after the reset, %d before", after, before)
	}
	if _, err := st.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after the reset: %v", err)
	}
	// Someone's own account: the database is no longer the demo's.
	u := account.User{Username: "nguyenvana", FullName: "Nguyễn Văn A", PasswordHash: "x", Email: "a@example.invalid"}
	if err := st.CreateUser(ctx, audit.System("test"), &u); err != nil {
		t.Fatal(err)
	}
	if s, err := demo.Inspect(ctx, st); err != nil || s != demo.Foreign {
		t.Fatalf("with a foreign account: %v %v", s, err)
	}
	if err := demo.Wipe(ctx, st); !errors.Is(err, demo.ErrNotDemo) {
		t.Fatalf("wipe of a foreign database: %v", err)
	}
	if _, err := st.UserByName(ctx, "nguyenvana"); err != nil {
		t.Errorf("the refused wipe removed data: %v", err)
	}
}
