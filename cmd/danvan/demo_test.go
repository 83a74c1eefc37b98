package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/store/storetest"
)

// lockedBuffer is an output the server goroutine writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runDemoOnce starts `danvan demo` with args, waits until it serves (or
// fails), stops it, and returns its exit status and output.
func runDemoOnce(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"demo", "--addr", "127.0.0.1:0"}, args...), &out, &out) }()
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case code := <-done:
			return code, out.String()
		case <-deadline:
			t.Fatalf("demo did not start: %s", out.String())
		case <-time.After(50 * time.Millisecond):
			if strings.Contains(out.String(), "listening on") {
				cancel()
				return <-done, out.String()
			}
		}
	}
}

// TestDemoReset: the demo loads once, is reused without --reset, starts
// afresh with --reset; --reset is refused once someone's own account was
// added (the demo is still reused), and the demo is never loaded into a
// database of other data; on PostgreSQL, --reset also needs --yes.
func TestDemoReset(t *testing.T) {
	t.Setenv("DANVAN_AUDIT_KEY", storetest.AuditKey)
	dsn := storetest.DSN(t)
	where := []string{"--data", filepath.Dir(dsn)}
	pg := strings.HasPrefix(dsn, "postgres")
	if pg {
		where = []string{"--db", dsn, "--data", t.TempDir()}
	}
	if code, out := runDemoOnce(t, where...); code != 0 || !strings.Contains(out, "demo data loaded") {
		t.Fatalf("first run: %d %s", code, out)
	}
	if code, out := runDemoOnce(t, where...); code != 0 || !strings.Contains(out, "reusing it") || strings.Contains(out, "demo data loaded") {
		t.Fatalf("second run: %d %s", code, out)
	}
	reset := append([]string{"--reset"}, where...)
	if pg {
		if code, out := runDemoOnce(t, reset...); code != 2 || !strings.Contains(out, "--yes") {
			t.Fatalf("reset on PostgreSQL without --yes: %d %s", code, out)
		}
		reset = append(reset, "--yes")
	}
	code, out := runDemoOnce(t, reset...)
	if code != 0 || !strings.Contains(out, "demo reset: wiped") || !strings.Contains(out, "demo data loaded") {
		t.Fatalf("reset: %d %s", code, out)
	}
	// The audit chain of the fresh demo verifies.
	if code, stdout, stderr := runCLI(t, "", append([]string{"audit", "verify"}, where...)...); code != 0 {
		t.Fatalf("audit verify after reset: %d %s %s", code, stdout, stderr)
	}
	// An account of someone's own: the database is no longer only the demo.
	if code, stdout, stderr := runCLI(t, "mat-khau-du-dai-2026-xyz\n", append([]string{"user", "add", "nguyenvana", "--name", "Nguyễn Văn A"}, where...)...); code != 0 {
		t.Fatalf("user add: %d %s %s", code, stdout, stderr)
	}
	if code, out := runDemoOnce(t, reset...); code != 1 || !strings.Contains(out, "not the demo's") {
		t.Fatalf("reset of a database with other data: %d %s", code, out)
	}
	if code, out := runDemoOnce(t, where...); code != 0 || !strings.Contains(out, "reusing it") {
		t.Fatalf("demo with an account added: %d %s", code, out)
	}
	// A database of an installation's own is never filled with the demo.
	own := []string{"--data", t.TempDir()}
	if pg {
		own = []string{"--db", storetest.DSN(t), "--data", t.TempDir()}
	}
	csv := filepath.Join(t.TempDir(), "units.csv")
	if err := os.WriteFile(csv, []byte("code,name,kind,parent_code,valid_from,valid_to,remote\nP1,Tỉnh Thử,province,,2020-01-01,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "", append([]string{"import", "units", csv}, own...)...); code != 0 {
		t.Fatalf("import units: %d %s %s", code, stdout, stderr)
	}
	if code, out := runDemoOnce(t, own...); code != 1 || !strings.Contains(out, "not the demo's") {
		t.Fatalf("demo on a database with other data: %d %s", code, out)
	}
}
