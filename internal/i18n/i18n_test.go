package i18n

import (
	"math"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, pref, accept, want string
	}{
		{"nothing", "", "", "vi"},
		{"preference wins", "ja", "en-US,en;q=0.9", "ja"},
		{"preference case and region", "EN-gb", "", "en"},
		{"preference underscore", "ja_JP", "", "ja"},
		{"preference spaces", " vi ", "en", "vi"},
		{"unsupported preference ignored", "fr", "en", "en"},
		{"garbage preference ignored", "<script>", "ja", "ja"},
		{"accept exact", "", "en", "en"},
		{"accept region", "", "en-US,en;q=0.9", "en"},
		{"accept Japanese", "", "ja-JP,ja;q=0.9,en;q=0.8", "ja"},
		{"accept Vietnamese", "", "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"},
		{"accept weights order", "", "en;q=0.5,ja;q=0.8", "ja"},
		{"accept first supported", "", "fr-FR,fr;q=0.9,en;q=0.8", "en"},
		{"accept zero weight excluded", "", "ja;q=0,en;q=0.1", "en"},
		{"accept nothing supported", "", "fr-FR,de;q=0.9", "vi"},
		{"accept Chinese is not Japanese", "", "zh-CN,zh;q=0.9", "vi"},
		{"accept wildcard", "", "*", "vi"},
		{"accept malformed", "", ";;;,,", "vi"},
		{"accept one bad entry", "", "xx-!!!,ja;q=0.5", "ja"},
		{"accept bad weight", "", "en;q=abc,ja;q=0.4", "ja"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Negotiate(tt.pref, tt.accept); got != tt.want {
				t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.pref, tt.accept, got, tt.want)
			}
		})
	}
}

func TestT(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"vi", "nav.home", nil, "Trang chủ"},
		{"en", "nav.home", nil, "Home"},
		{"ja", "nav.home", nil, "ホーム"},
		{"vi-VN", "nav.home", nil, "Trang chủ"},
		{"fr", "nav.home", nil, "Trang chủ"},
		{"", "nav.home", nil, "Trang chủ"},
		{"en", "signin.locked.other", []any{5}, "This account is temporarily locked after too many failed sign-in attempts. Try again in 5 minutes."},
		{"ja", "signin.locked.other", []any{5}, "ログインに続けて失敗したため、アカウントを一時的にロックしました。5分後にもう一度お試しください。"},
		// Without args a message is returned verbatim.
		{"vi", "pagination.page", nil, "Trang %d / %d"},
	}
	for _, tt := range tests {
		if got := b.T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("unexpected missing keys: %q", m)
	}
}

func TestMissingKeyIsNotSilent(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := b.T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key rendered as %q, want the key itself", got)
	}
	if got := b.For("ja").T("other.missing", 1); got != "other.missing" {
		t.Errorf("missing key rendered as %q, want the key itself", got)
	}
	b.T("en", "no.such.key") // recorded once
	want := []string{"en:no.such.key", "ja:other.missing"}
	if got := b.Missing(); !slices.Equal(got, want) {
		t.Errorf("Missing() = %q, want %q", got, want)
	}
	if b.Has("en", "no.such.key") || !b.Has("en", "nav.home") {
		t.Error("Has is wrong")
	}
}

func TestLoadFailures(t *testing.T) {
	good := []byte(`{"a": "A"}`)
	tests := []struct {
		name string
		fs   fstest.MapFS
	}{
		{"catalog missing", fstest.MapFS{"vi.json": {Data: good}, "en.json": {Data: good}}},
		{"invalid JSON", fstest.MapFS{"vi.json": {Data: good}, "en.json": {Data: good}, "ja.json": {Data: []byte(`{"a":`)}}},
		{"not flat", fstest.MapFS{"vi.json": {Data: good}, "en.json": {Data: []byte(`{"a": {"b": "c"}}`)}, "ja.json": {Data: good}}},
	}
	for _, tt := range tests {
		if _, err := loadFS(tt.fs); err == nil {
			t.Errorf("%s: loadFS succeeded", tt.name)
		}
	}
	if _, err := loadFS(fstest.MapFS{"vi.json": {Data: good}, "en.json": {Data: good}, "ja.json": {Data: good}}); err != nil {
		t.Errorf("loadFS of good catalogs: %v", err)
	}
}

func TestDefaultLoadedOnce(t *testing.T) {
	if Default() != Default() {
		t.Error("Default() returns different bundles")
	}
	if got := Default().Keys(); len(got) == 0 || !slices.IsSorted(got) {
		t.Errorf("Keys() = %d keys, sorted %v", len(got), slices.IsSorted(got))
	}
}

func TestLocaleNames(t *testing.T) {
	b := Default()
	tests := []struct{ in, lang, name string }{
		{"vi", "vi", "Tiếng Việt"},
		{"en", "en", "English"},
		{"ja", "ja", "日本語"},
		{"en-US", "en", "English"},
		{"de", "vi", "Tiếng Việt"},
		{"", "vi", "Tiếng Việt"},
	}
	for _, tt := range tests {
		L := b.For(tt.in)
		if L.Lang() != tt.lang || L.Name() != tt.name {
			t.Errorf("For(%q) = %q %q, want %q %q", tt.in, L.Lang(), L.Name(), tt.lang, tt.name)
		}
	}
	var zero Locale
	if zero.Lang() != "vi" || zero.T("nav.home") != "Trang chủ" {
		t.Errorf("zero Locale = %q, T = %q", zero.Lang(), zero.T("nav.home"))
	}
	if got := Supported(); !slices.Equal(got, []string{"vi", "en", "ja"}) {
		t.Errorf("Supported() = %q", got)
	}
}

func TestDates(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	late := time.Date(2026, 11, 25, 19, 46, 59, 0, ict)
	early := time.Date(2026, 1, 5, 7, 3, 0, 0, ict)
	tests := []struct {
		lang           string
		t              time.Time
		date, dateTime string
	}{
		{"vi", late, "25/11/2026", "19:46 25/11/2026"},
		{"vi", early, "05/01/2026", "07:03 05/01/2026"},
		{"en", late, "25/11/2026", "25/11/2026 19:46"},
		{"en", early, "05/01/2026", "05/01/2026 07:03"},
		{"ja", late, "2026年11月25日", "2026年11月25日 19:46"},
		{"ja", early, "2026年1月5日", "2026年1月5日 07:03"},
	}
	for _, tt := range tests {
		L := Default().For(tt.lang)
		if got := L.Date(tt.t); got != tt.date {
			t.Errorf("%s Date(%v) = %q, want %q", tt.lang, tt.t, got, tt.date)
		}
		if got := L.DateTime(tt.t); got != tt.dateTime {
			t.Errorf("%s DateTime(%v) = %q, want %q", tt.lang, tt.t, got, tt.dateTime)
		}
	}
	// Formatting uses the time's own location.
	utc := late.UTC()
	if got := Default().For("vi").DateTime(utc); got != "12:46 25/11/2026" {
		t.Errorf("UTC DateTime = %q", got)
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		n      int64
		vi, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1.000", "1,000"},
		{-1000, "-1.000", "-1,000"},
		{12345, "12.345", "12,345"},
		{1234567, "1.234.567", "1,234,567"},
		{-999999, "-999.999", "-999,999"},
		{math.MaxInt64, "9.223.372.036.854.775.807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-9,223,372,036,854,775,808"},
	}
	vi, en, ja := Default().For("vi"), Default().For("en"), Default().For("ja")
	for _, tt := range tests {
		if got := vi.Int(tt.n); got != tt.vi {
			t.Errorf("vi Int(%d) = %q, want %q", tt.n, got, tt.vi)
		}
		if got := en.Int(tt.n); got != tt.en {
			t.Errorf("en Int(%d) = %q, want %q", tt.n, got, tt.en)
		}
		if got := ja.Int(tt.n); got != tt.en {
			t.Errorf("ja Int(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		f      float64
		prec   int
		vi, en string
	}{
		{12.5, 1, "12,5", "12.5"},
		{12.5, 0, "12", "12"}, // round half to even
		{12.25, 2, "12,25", "12.25"},
		{0.5, 2, "0,50", "0.50"},
		{1234.5, 1, "1.234,5", "1,234.5"},
		{1234567.891, 2, "1.234.567,89", "1,234,567.89"},
		{-1234.5, 1, "-1.234,5", "-1,234.5"},
		{-0.04, 1, "0,0", "0.0"},
		{math.Copysign(0, -1), 0, "0", "0"},
		{12.5, -1, "12,5", "12.5"},
		{3, -1, "3", "3"},
		{0.1, -5, "0,1", "0.1"},
		{math.NaN(), 1, "NaN", "NaN"},
		{math.Inf(1), 1, "∞", "∞"},
		{math.Inf(-1), 1, "-∞", "-∞"},
	}
	vi, en, ja := Default().For("vi"), Default().For("en"), Default().For("ja")
	for _, tt := range tests {
		if got := vi.Decimal(tt.f, tt.prec); got != tt.vi {
			t.Errorf("vi Decimal(%v, %d) = %q, want %q", tt.f, tt.prec, got, tt.vi)
		}
		if got := en.Decimal(tt.f, tt.prec); got != tt.en {
			t.Errorf("en Decimal(%v, %d) = %q, want %q", tt.f, tt.prec, got, tt.en)
		}
		if got := ja.Decimal(tt.f, tt.prec); got != tt.en {
			t.Errorf("ja Decimal(%v, %d) = %q, want %q", tt.f, tt.prec, got, tt.en)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				L := b.For(Supported()[(i+j)%3])
				_ = L.T("nav.home")
				_ = L.T("missing.key")
				_ = Negotiate("", "en-US,ja;q=0.5")
			}
		})
	}
	wg.Wait()
	if got := len(b.Missing()); got != 3 {
		t.Errorf("Missing() has %d entries, want 3 (one per language)", got)
	}
}
