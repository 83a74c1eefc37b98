// Package i18n holds the interface text in Vietnamese (the default), English
// and Japanese, chooses a language for each request, and formats dates and
// numbers the way each language writes them (Vietnamese: 25/11/2026,
// 1.234.567 and 12,5).
//
// The catalogs are flat JSON maps from key to text, embedded from
// locales/<lang>.json and kept with sorted keys. Every catalog has the same
// keys, no empty values, and the same number of fmt verbs per key; a test
// enforces it. A key missing at run time renders as the key itself, is logged
// once through log/slog, and is recorded in [Bundle.Missing] so that tests of
// packages that render text can fail on it.
//
// Typical use in a handler:
//
//	L := i18n.Default().For(i18n.Negotiate(cookie, r.Header.Get("Accept-Language")))
//	L.T("signin.failed")
//	L.N("units.count", n) // "1 unit", "2 units": keys units.count.one/.other
//	L.Date(t)
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

//go:embed locales/*.json
var localesFS embed.FS

// DefaultLang is the language used when nothing else is known or supported.
const DefaultLang = "vi"

// langInfo describes one supported language.
type langInfo struct {
	code     string
	tag      language.Tag
	name     string // native name
	date     string // time layout of a date
	dateTime string // time layout of a date with time of day
	thousand string // thousands separator
	decimal  string // decimal separator
	plurals  bool   // nouns change with a count of one (see Locale.N)
}

// langs lists the supported languages; the first is the default and the
// matcher's fallback.
var langs = []langInfo{
	{code: "vi", tag: language.Vietnamese, name: "Tiếng Việt",
		date: "02/01/2006", dateTime: "15:04 02/01/2006", thousand: ".", decimal: ","},
	{code: "en", tag: language.English, name: "English",
		date: "02/01/2006", dateTime: "02/01/2006 15:04", thousand: ",", decimal: ".", plurals: true},
	{code: "ja", tag: language.Japanese, name: "日本語",
		date: "2006年1月2日", dateTime: "2006年1月2日 15:04", thousand: ",", decimal: "."},
}

var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = l.tag
	}
	return language.NewMatcher(tags)
}()

func info(code string) (*langInfo, bool) {
	for i := range langs {
		if langs[i].code == code {
			return &langs[i], true
		}
	}
	return nil, false
}

// Supported lists the supported language codes, default first.
func Supported() []string {
	out := make([]string, len(langs))
	for i, l := range langs {
		out[i] = l.code
	}
	return out
}

// IsSupported reports whether code is exactly a supported language code.
func IsSupported(code string) bool {
	_, ok := info(code)
	return ok
}

// normalize maps a language code or BCP 47 tag ("VI", "en-GB", "ja_JP") to a
// supported code, if its base language is supported.
func normalize(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", false
	}
	if IsSupported(s) {
		return s, true
	}
	if len(s) > 64 {
		return "", false
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	base, conf := t.Base()
	if conf == language.No {
		return "", false
	}
	if IsSupported(base.String()) {
		return base.String(), true
	}
	return "", false
}

// Negotiate chooses the language of a request: the explicit preference
// (cookie or user setting) if it names a supported language, otherwise the
// best supported match for the Accept-Language header, otherwise "vi".
func Negotiate(preference, acceptLanguage string) string {
	if code, ok := normalize(preference); ok {
		return code
	}
	tags := parseAccept(acceptLanguage)
	if len(tags) == 0 {
		return DefaultLang
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No || idx < 0 || idx >= len(langs) {
		return DefaultLang
	}
	return langs[idx].code
}

// parseAccept parses an Accept-Language header, skipping entries it cannot
// parse instead of giving up on the whole header.
func parseAccept(h string) []language.Tag {
	h = strings.TrimSpace(h)
	if h == "" || len(h) > 4096 {
		return nil
	}
	if tags, _, err := language.ParseAcceptLanguage(h); err == nil {
		return tags
	}
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var ws []weighted
	for _, entry := range strings.Split(h, ",") {
		tags, qs, err := language.ParseAcceptLanguage(entry)
		if err != nil {
			continue
		}
		for i := range tags {
			ws = append(ws, weighted{tags[i], qs[i]})
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].q > ws[j].q })
	out := make([]language.Tag, len(ws))
	for i, w := range ws {
		out[i] = w.tag
	}
	return out
}

// Bundle is the set of loaded catalogs. It is safe for concurrent use.
type Bundle struct {
	catalogs map[string]map[string]string

	mu      sync.Mutex
	missing map[string]bool // "lang:key"
}

// Load parses the embedded catalogs. It fails if a supported language has no
// catalog or a catalog is not a flat JSON object of strings.
func Load() (*Bundle, error) {
	sub, err := fs.Sub(localesFS, "locales")
	if err != nil {
		return nil, err
	}
	return loadFS(sub)
}

// New is Load under the name some callers expect.
func New() (*Bundle, error) { return Load() }

// loadFS reads, for each language, the main catalog "<lang>.json" and every
// feature catalog "<feature>.<lang>.json", so that features keep their texts
// in files of their own. A key defined twice is an error.
func loadFS(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{catalogs: make(map[string]map[string]string, len(langs))}
	for _, l := range langs {
		files, err := fs.Glob(fsys, "*."+l.code+".json")
		if err != nil {
			return nil, err
		}
		files = append([]string{l.code + ".json"}, files...)
		merged := map[string]string{}
		for _, name := range files {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: catalog %s: %w", l.code, err)
			}
			var cat map[string]string
			if err := json.Unmarshal(data, &cat); err != nil {
				return nil, fmt.Errorf("i18n: catalog %s: %w", name, err)
			}
			for k, v := range cat {
				if _, dup := merged[k]; dup {
					return nil, fmt.Errorf("i18n: key %q is defined twice (again in %s)", k, name)
				}
				merged[k] = v
			}
		}
		b.catalogs[l.code] = merged
	}
	return b, nil
}

var defaultBundle = sync.OnceValue(func() *Bundle {
	b, err := Load()
	if err != nil {
		panic(err) // the embedded catalogs are checked by the package's tests
	}
	return b
})

// Default returns the bundle of the embedded catalogs, loaded once.
func Default() *Bundle { return defaultBundle() }

// T returns the text of key in lang, formatted with fmt.Sprintf when args are
// given. An unsupported lang falls back to "vi". A missing key returns the key
// itself, is logged once and recorded in Missing.
func (b *Bundle) T(lang, key string, args ...any) string {
	code, ok := normalize(lang)
	if !ok {
		code = DefaultLang
	}
	msg, ok := b.catalogs[code][key]
	if !ok {
		b.recordMissing(code, key)
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether lang's catalog has key.
func (b *Bundle) Has(lang, key string) bool {
	_, ok := b.catalogs[lang][key]
	return ok
}

// Keys returns the keys of the default catalog, sorted.
func (b *Bundle) Keys() []string {
	keys := make([]string, 0, len(b.catalogs[DefaultLang]))
	for k := range b.catalogs[DefaultLang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (b *Bundle) recordMissing(lang, key string) {
	id := lang + ":" + key
	b.mu.Lock()
	seen := b.missing[id]
	if !seen {
		if b.missing == nil {
			b.missing = make(map[string]bool)
		}
		b.missing[id] = true
	}
	b.mu.Unlock()
	if !seen {
		slog.Warn("i18n: missing message key", "lang", lang, "key", key)
	}
}

// Missing returns the "lang:key" pairs that T was asked for but could not
// find, sorted. Tests of packages that render text should require it to be
// empty.
func (b *Bundle) Missing() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.missing))
	for id := range b.missing {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// For returns the Locale of lang (a code or tag; unsupported → "vi").
func (b *Bundle) For(lang string) Locale {
	code, ok := normalize(lang)
	if !ok {
		code = DefaultLang
	}
	return Locale{b: b, lang: code}
}

// Locale is a bundle bound to one language, made per request with
// [Bundle.For]. The zero Locale is Vietnamese over [Default].
type Locale struct {
	b    *Bundle
	lang string
}

func (l Locale) info() *langInfo {
	if in, ok := info(l.lang); ok {
		return in
	}
	return &langs[0]
}

// Lang returns the language code ("vi", "en", "ja").
func (l Locale) Lang() string { return l.info().code }

// Name returns the language's own name ("Tiếng Việt", "English", "日本語").
func (l Locale) Name() string { return l.info().name }

// T returns the text of key, formatted with args as fmt.Sprintf does.
func (l Locale) T(key string, args ...any) string {
	b := l.b
	if b == nil {
		b = Default()
	}
	return b.T(l.Lang(), key, args...)
}

// N returns the text of a count: key+".one" or key+".other", chosen by the
// plural rule of the language for n, formatted with args (n alone when no
// args are given). English says "1 unit" but "2 units"; Vietnamese and
// Japanese have one form, so they always take ".other" (their ".one" text,
// kept so that every catalog has the same keys, repeats it). A catalog with
// only key itself is used as is.
//
//	L.N("units.count", n)        // "%d units" / "%d unit"
//	L.N("reports.late", n, n, d) // more arguments than the count
func (l Locale) N(key string, n int, args ...any) string {
	if len(args) == 0 {
		args = []any{n}
	}
	b := l.b
	if b == nil {
		b = Default()
	}
	form := key + "." + l.pluralForm(n)
	if b.Has(l.Lang(), form) {
		return b.T(l.Lang(), form, args...)
	}
	if b.Has(l.Lang(), key) {
		return b.T(l.Lang(), key, args...)
	}
	return b.T(l.Lang(), key+".other", args...) // recorded as missing
}

// pluralForm is the CLDR cardinal category of an integer count in the
// locale's language: "one" or "other".
func (l Locale) pluralForm(n int) string {
	if l.info().plurals && (n == 1 || n == -1) {
		return "one"
	}
	return "other"
}

// Date formats the calendar date of t in t's own location
// (vi "25/11/2026", en "25 Nov 2026", ja "2026年11月25日"). Convert t to the
// installation's time zone first.
func (l Locale) Date(t time.Time) string { return t.Format(l.info().date) }

// DateTime formats t to the minute in t's own location
// (vi "19:46 25/11/2026", en "25 Nov 2026 19:46", ja "2026年11月25日 19:46").
func (l Locale) DateTime(t time.Time) string { return t.Format(l.info().dateTime) }

// Int formats n with thousands separators (vi "1.234.567", en and ja
// "1,234,567").
func (l Locale) Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	return sign + group(s, l.info().thousand)
}

// Decimal formats f with prec digits after the decimal separator (prec < 0:
// as few as represent f exactly) and thousands separators: vi "1.234,5",
// en and ja "1,234.5". NaN and infinities are written "NaN", "∞" and "-∞".
func (l Locale) Decimal(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	}
	if prec < 0 {
		prec = -1
	}
	s := strconv.FormatFloat(f, 'f', prec, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if strings.Trim(s, "0.") == "" {
		sign = "" // no "-0" or "-0,0"
	}
	in := l.info()
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := sign + group(intPart, in.thousand)
	if hasFrac {
		out += in.decimal + frac
	}
	return out
}

// group inserts sep between groups of three digits of the unsigned digit
// string s.
func group(s, sep string) string {
	if len(s) <= 3 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + (len(s)-1)/3*len(sep))
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	sb.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		sb.WriteString(sep)
		sb.WriteString(s[i : i+3])
	}
	return sb.String()
}
