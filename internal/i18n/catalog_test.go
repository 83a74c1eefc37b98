package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
)

// verbRE matches one fmt verb (after "%%" has been removed): flags, optional
// argument index, width, precision and the verb letter.
var verbRE = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(?:\*|\d+)?(?:\.(?:\[\d+\])?(?:\*|\d+)?)?(?:\[\d+\])?([a-zA-Z])`)

// verbs returns the verb letters of a message, in order.
func verbs(msg string) []string {
	var out []string
	for _, m := range verbRE.FindAllStringSubmatch(strings.ReplaceAll(msg, "%%", ""), -1) {
		out = append(out, m[1])
	}
	return out
}

// sampleArgs makes one plausible argument per verb.
func sampleArgs(vs []string) []any {
	args := make([]any, len(vs))
	for i, v := range vs {
		switch v {
		case "d", "x", "X", "o", "b", "c", "U":
			args[i] = 7
		case "e", "E", "f", "F", "g", "G":
			args[i] = 1.5
		case "t":
			args[i] = true
		default:
			args[i] = "x"
		}
	}
	return args
}

// orderedKeys reads a flat JSON object and returns its keys in file order,
// failing on anything that is not an object of strings.
func orderedKeys(data []byte) (keys []string, values map[string]string, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("not a JSON object")
	}
	values = map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key := tok.(string)
		var v string
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("key %q: value is not a string: %w", key, err)
		}
		keys = append(keys, key)
		values[key] = v
	}
	if _, err := dec.Token(); err != nil { // closing brace
		return nil, nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, fmt.Errorf("trailing data after the object")
	}
	return keys, values, nil
}

// checkCatalogs returns every problem found in a set of catalogs (language
// code → file content). It is written independently of the package's loader.
func checkCatalogs(files map[string][]byte) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	cats := map[string]map[string]string{}
	langCodes := slices.Sorted(func(yield func(string) bool) {
		for l := range files {
			if !yield(l) {
				return
			}
		}
	})
	for _, lang := range langCodes {
		keys, values, err := orderedKeys(files[lang])
		if err != nil {
			bad("%s: %v", lang, err)
			continue
		}
		for i := 1; i < len(keys); i++ {
			switch {
			case keys[i] == keys[i-1]:
				bad("%s: duplicate key %q", lang, keys[i])
			case keys[i] < keys[i-1]:
				bad("%s: key %q is out of order (after %q); keep keys sorted", lang, keys[i], keys[i-1])
			}
		}
		if len(values) != len(keys) {
			bad("%s: duplicate keys", lang)
		}
		for _, k := range keys {
			v := values[k]
			if strings.TrimSpace(v) == "" {
				bad("%s: %q has an empty value", lang, k)
			} else if strings.TrimSpace(v) != v {
				bad("%s: %q has leading or trailing white space", lang, k)
			}
		}
		cats[lang] = values
	}

	// Every key of every catalog must be in every other one.
	for _, a := range langCodes {
		for _, b := range langCodes {
			if a == b || cats[a] == nil || cats[b] == nil {
				continue
			}
			for k := range cats[a] {
				if _, ok := cats[b][k]; !ok {
					bad("%s: key %q (present in %s) is missing", b, k, a)
				}
			}
		}
	}

	// The same number of fmt verbs for a key in every language, and each
	// message must format cleanly.
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range cats[DefaultLang] {
			if !yield(k) {
				return
			}
		}
	}) {
		counts := map[string]int{}
		for _, lang := range langCodes {
			v, ok := cats[lang][k]
			if !ok {
				continue
			}
			vs := verbs(v)
			counts[lang] = len(vs)
			if len(vs) > 0 {
				if out := fmt.Sprintf(v, sampleArgs(vs)...); strings.Contains(out, "%!") {
					bad("%s: %q does not format cleanly: %q", lang, k, out)
				}
			}
		}
		for _, lang := range langCodes {
			if c, ok := counts[lang]; ok && c != counts[DefaultLang] {
				bad("%s: %q has %d fmt verbs, %s has %d", lang, k, c, DefaultLang, counts[DefaultLang])
			}
		}
	}
	return problems
}

// readCatalogFiles groups the catalog files by feature ("" for the main
// "<lang>.json" files, "report" for "report.<lang>.json"), then by language.
func readCatalogFiles(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	groups := map[string]map[string][]byte{}
	entries, err := os.ReadDir("locales")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			t.Errorf("locales/%s: unexpected file", e.Name())
			continue
		}
		feature, lang := "", base
		if i := strings.LastIndex(base, "."); i >= 0 {
			feature, lang = base[:i], base[i+1:]
		}
		if !IsSupported(lang) {
			t.Errorf("locales/%s: %q is not a supported language", e.Name(), lang)
		}
		data, err := os.ReadFile(filepath.Join("locales", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if groups[feature] == nil {
			groups[feature] = map[string][]byte{}
		}
		groups[feature][lang] = data
	}
	for feature, files := range groups {
		for _, lang := range Supported() {
			if _, ok := files[lang]; !ok {
				name := lang + ".json"
				if feature != "" {
					name = feature + "." + name
				}
				t.Errorf("locales/%s is missing", name)
			}
		}
	}
	return groups
}

func TestCatalogsConsistent(t *testing.T) {
	groups := readCatalogFiles(t)
	for feature, files := range groups {
		for _, p := range checkCatalogs(files) {
			t.Errorf("%s: %s", feature, p)
		}
	}
	// Loading also fails when a key is defined in two files.
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
}

// TestCheckCatalogsCatchesProblems proves that the consistency check fails
// on each kind of broken catalog.
func TestCheckCatalogsCatchesProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"missing key", map[string][]byte{
			"vi": []byte(`{"a": "A", "b": "B"}`),
			"en": []byte(`{"a": "A"}`),
		}, `en: key "b" (present in vi) is missing`},
		{"extra key", map[string][]byte{
			"vi": []byte(`{"a": "A"}`),
			"ja": []byte(`{"a": "A", "z": "Z"}`),
		}, `vi: key "z" (present in ja) is missing`},
		{"empty value", map[string][]byte{
			"vi": []byte(`{"a": ""}`),
			"en": []byte(`{"a": "A"}`),
		}, `vi: "a" has an empty value`},
		{"blank value", map[string][]byte{
			"vi": []byte(`{"a": "A"}`),
			"en": []byte(`{"a": "  "}`),
		}, `en: "a" has an empty value`},
		{"verb count differs", map[string][]byte{
			"vi": []byte(`{"p": "Trang %d / %d"}`),
			"en": []byte(`{"p": "Page %d"}`),
		}, `en: "p" has 1 fmt verbs, vi has 2`},
		{"escaped percent is not a verb", map[string][]byte{
			"vi": []byte(`{"p": "%d%%"}`),
			"en": []byte(`{"p": "%d %% %%"}`),
			"ja": []byte(`{"p": "100%% %s"}`),
		}, ""},
		{"unsorted", map[string][]byte{
			"vi": []byte(`{"b": "B", "a": "A"}`),
		}, `vi: key "a" is out of order (after "b"); keep keys sorted`},
		{"duplicate", map[string][]byte{
			"vi": []byte(`{"a": "A", "a": "B"}`),
		}, `vi: duplicate key "a"`},
		{"not strings", map[string][]byte{
			"vi": []byte(`{"a": 1}`),
		}, `vi: key "a": value is not a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := checkCatalogs(tt.files)
			if tt.want == "" {
				if len(problems) > 0 {
					t.Errorf("unexpected problems: %q", problems)
				}
				return
			}
			for _, p := range problems {
				if strings.HasPrefix(p, tt.want) {
					return
				}
			}
			t.Errorf("problems %q do not include %q", problems, tt.want)
		})
	}
}

func TestVerbs(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"no verbs", 0},
		{"%d phút", 1},
		{"Trang %d / %d", 2},
		{"100%%", 0},
		{"%5.2f %-3s %+v %[2]d %x %q %T", 7},
		{"%%d", 0},
		{"%%%d", 1},
	}
	for _, tt := range tests {
		if got := len(verbs(tt.in)); got != tt.want {
			t.Errorf("verbs(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// requiredKeys are the keys the web shell relies on.
func requiredKeys() []string {
	keys := []string{
		"app.name", "app.tagline",
		"nav.home", "nav.units", "nav.users", "nav.audit", "nav.signin", "nav.signout", "nav.language",
		"lang.vi", "lang.en", "lang.ja",
		"signin.title", "signin.username", "signin.password", "signin.submit",
		"signin.failed", "signin.locked.one", "signin.locked.other", "signin.demo_accounts",
		"error.csrf",
		"units.title", "units.search", "units.at_date", "units.remote", "units.valid_from",
		"units.valid_to", "units.successors", "units.predecessors", "units.empty",
		"users.title", "users.create", "users.username", "users.fullname", "users.email",
		"users.password", "users.roles", "users.grant", "users.revoke", "users.created",
		"audit.title", "audit.when", "audit.who", "audit.action", "audit.entity",
		"audit.before", "audit.after", "audit.verify_ok.one", "audit.verify_ok.other", "audit.verify_broken",
		"pagination.prev", "pagination.next", "pagination.page",
		"form.required", "form.invalid", "form.save", "form.cancel",
		"confirm.delete",
		"common.yes", "common.no", "common.search", "common.filter", "common.none",
	}
	for _, code := range []string{"400", "403", "404", "405", "409", "413", "422", "429", "500"} {
		keys = append(keys, "error."+code+".title", "error."+code+".detail")
	}
	for _, kind := range []string{"province", "party_committee", "party_commission",
		"party_organ", "state_agency", "peoples_committee", "peoples_council",
		"department", "fatherland_front", "mass_org", "district", "town", "city",
		"commune", "ward", "special_zone"} {
		keys = append(keys, "units.kind."+kind)
	}
	for _, r := range authz.AllRoles() {
		keys = append(keys, "role."+string(r))
	}
	return keys
}

func TestRequiredKeys(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Supported() {
		for _, k := range requiredKeys() {
			if !b.Has(lang, k) {
				t.Errorf("%s: required key %q is missing", lang, k)
			}
		}
	}
}

// TestKnownTexts pins texts whose wording was specified.
func TestKnownTexts(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"vi", "app.name", nil, "danvan"},
		{"vi", "signin.failed", nil, "Tên đăng nhập hoặc mật khẩu không đúng."},
		{"vi", "signin.locked.other", []any{15}, "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau 15 phút."},
		{"vi", "units.empty", nil, "Không tìm thấy đơn vị nào."},
		{"vi", "pagination.page", []any{2, 10}, "Trang 2 / 10"},
		{"vi", "form.required", nil, "Bắt buộc nhập."},
		{"vi", "role.admin", nil, "Quản trị viên"},
		{"vi", "role.coordinator", nil, "Điều phối viên (Ban Dân vận)"},
		{"vi", "role.leader", nil, "Lãnh đạo"},
		{"vi", "role.unit_head", nil, "Trưởng đơn vị"},
		{"vi", "role.unit_officer", nil, "Cán bộ đơn vị"},
		{"vi", "role.case_handler", nil, "Cán bộ xử lý đơn thư"},
		{"vi", "role.inspector", nil, "Thanh tra/kiểm tra"},
		{"vi", "role.council_member", nil, "Đại biểu HĐND"},
		{"vi", "role.citizen", nil, "Công dân"},
		{"en", "pagination.page", []any{2, 10}, "Page 2 of 10"},
		{"ja", "pagination.page", []any{2, 10}, "2 / 10 ページ"},
		{"en", "signin.failed", nil, "Incorrect username or password."},
	}
	for _, tt := range tests {
		if got := b.T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("missing keys: %q", m)
	}
}
