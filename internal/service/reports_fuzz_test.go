package service_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/service"
)

// FuzzParseCursor: a list cursor from a URL is either refused with an
// InvalidError or read back to the same text.
func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"2025-01-14.12", "", "2025-13-01.1", "2025-01-14.", ".5", "2025-01-14.-1", "2025-01-14.99999999999999999999", "2025-01-14.1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := service.ParseCursor("after", s)
		if err != nil {
			if _, ok := service.AsInvalid(err); !ok {
				t.Fatalf("%q: %v is not an InvalidError", s, err)
			}
			return
		}
		if s == "" {
			if c != nil {
				t.Fatal("cursor from nothing")
			}
			return
		}
		if c.ID < 1 {
			t.Fatalf("%q: id %d", s, c.ID)
		}
		if _, err := service.ParseCursor("after", service.EncodeCursor(c)); err != nil {
			t.Fatalf("%q: round trip: %v", s, err)
		}
	})
}

// FuzzAttachmentName: whatever name a browser sends, the stored name is
// clean UTF-8 of at most 200 bytes without a path.
func FuzzAttachmentName(f *testing.F) {
	for _, s := range []string{"báo cáo.pdf", `C:\tmp\x.docx`, "../../etc/passwd", "a\x00b", strings.Repeat("ệ", 100), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := service.AttachmentName(s)
		if n == "" {
			return
		}
		if len(n) > 200 || !utf8.ValidString(n) || !service.CleanLine(n) || strings.ContainsAny(n, `/\"`) {
			t.Fatalf("%q → %q", s, n)
		}
	})
}
