package i18n

import (
	"strings"
	"testing"
)

func TestPluralForms(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		n         int
		want      string
	}{
		{"en", "units.count", 0, "0 units"},
		{"en", "units.count", 1, "1 unit"},
		{"en", "units.count", 2, "2 units"},
		{"en", "units.count", -1, "-1 unit"},
		{"en", "units.subunits", 1, "1 subordinate unit"},
		{"en", "units.found", 21, "21 units found"},
		{"vi", "units.count", 1, "1 đơn vị"},
		{"vi", "units.count", 5, "5 đơn vị"},
		{"ja", "units.subunits", 1, "下位 1 単位"},
		{"en", "validation.too_long", 1, "At most 1 character."},
		{"en", "validation.too_long", 80, "At most 80 characters."},
		{"en", "signin.locked", 1, "This account is temporarily locked after too many failed sign-in attempts. Try again in 1 minute."},
		{"en", "audit.verify_ok", 1, "The audit chain is intact: 1 entry checked."},
		{"en", "programme.n_activities", 1, "1 activity"},
		{"en", "reports.schedule_days", 5, "5 days after the cut-off"},
	}
	for _, tt := range tests {
		if got := b.For(tt.lang).N(tt.key, tt.n); got != tt.want {
			t.Errorf("%s N(%q, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
	// More arguments than the count.
	if got := b.For("en").N("pagination.page", 1, 1, 3); got != "Page 1 of 3" {
		t.Errorf("N with a plain key and args = %q", got)
	}
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("missing: %q", m)
	}
	// A key with neither form is reported missing, like T.
	b.For("en").N("no.such.count", 2)
	if m := b.Missing(); len(m) != 1 || m[0] != "en:no.such.count.other" {
		t.Errorf("missing after an unknown key: %q", m)
	}
}

// TestPluralKeysPaired: a count text with a ".one" form has its ".other".
func TestPluralKeysPaired(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Supported() {
		for k := range b.catalogs[lang] {
			if base, ok := strings.CutSuffix(k, ".one"); ok && !b.Has(lang, base+".other") {
				t.Errorf("%s: %q has no %q", lang, k, base+".other")
			}
		}
	}
}
