package web

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/danvan/danvan/internal/i18n"
)

func TestAuditFields(t *testing.T) {
	got := auditFields(`{"status":"draft","version":3,"name":"A"}`, `{"status":"submitted","version":4,"name":"A"}`)
	want := []auditField{{"status", "draft", "submitted"}, {"version", "3", "4"}}
	if len(got) != len(want) {
		t.Fatalf("fields %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := auditFields("", `{"disabled":true}`); len(got) != 1 || got[0].After != "✓" {
		t.Errorf("created: %+v", got)
	}
	if got := auditFields("", "not json"); len(got) != 1 || got[0].Key != "value" {
		t.Errorf("not JSON: %+v", got)
	}
}

// TestAuditActionsNamed: every action and object the store writes to the
// audit log has a name in every language, so that the log never shows a
// bare code to its readers.
func TestAuditActionsNamed(t *testing.T) {
	files, err := filepath.Glob("../store/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("store sources: %v", err)
	}
	re := regexp.MustCompile(`appendAudit\(ctx, tx, [^,]+, "([a-z_.]+)", "([a-z_]+)"`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen++
			for _, lang := range []string{"vi", "en", "ja"} {
				l := i18n.Default().For(lang)
				for _, k := range []string{"audit.act." + m[1], "audit.obj." + m[2]} {
					if !l.Has(k) {
						t.Errorf("%s: no %s text for %q", filepath.Base(f), lang, k)
					}
				}
			}
		}
	}
	if seen < 30 {
		t.Errorf("found only %d audit calls: the pattern no longer matches the store", seen)
	}
}
