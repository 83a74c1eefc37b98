package textfold

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Thanh Hóa", "thanh hoa"},
		{"Đông Sơn", "dong son"},
		{"ĐẢNG", "dang"},
		{"Nguyễn", "nguyen"},
		{"đ", "d"},
		{"Đ", "d"},
		// Decomposed input (combining marks typed separately).
		{"Thanh Ho\u0061\u0301", "thanh hoa"},
		{"Nguye\u0302\u0303n", "nguyen"},
		{"Lại Thế Nguyên", "lai the nguyen"},
		{"Ban Tuyên giáo và Dân vận Tỉnh ủy", "ban tuyen giao va dan van tinh uy"},
		{"ỨNG DỤNG", "ung dung"},
		{"Phường Hạc Thành", "phuong hac thanh"},
		{"Xã Đồng Lương", "xa dong luong"},
		{"dân biết, dân bàn, dân làm", "dan biet, dan ban, dan lam"},
		{"1470-CV/TU", "1470-cv/tu"},
		// White space.
		{"  Thanh \t Hóa\n", "thanh hoa"},
		{"Thanh\u00a0Hóa", "thanh hoa"},
		{"Thanh\u3000Hóa", "thanh hoa"},
		{"a  b", "a b"},
		{" ", ""},
		{"", ""},
		{"plain ascii", "plain ascii"},
		{"PLAIN  ASCII ", "plain ascii"},
		// Other scripts survive, lower-cased and without marks.
		{"Ελληνικά", "ελληνικα"},
		{"日本語", "日本語"},
		{"Café", "cafe"},
		// Invalid UTF-8 becomes U+FFFD.
		{"Hóa\xff", "hoa\uFFFD"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		haystack, needle string
		want             bool
	}{
		{"Ủy ban nhân dân tỉnh Thanh Hóa", "thanh hoa", true},
		{"Ủy ban nhân dân tỉnh Thanh Hóa", "THANH HÓA", true},
		{"Ủy ban nhân dân tỉnh Thanh Hóa", "uy ban", true},
		{"Huyện Đông Sơn", "dong son", true},
		{"Huyện Đông Sơn", "đông   sơn", true},
		{"Huyện Đông Sơn", "dongson", false},
		{"Thanh Hóa", "hoa binh", false},
		{"anything", "", true},
		{"", "", true},
		{"", "a", false},
	}
	for _, tt := range tests {
		if got := Contains(tt.haystack, tt.needle); got != tt.want {
			t.Errorf("Contains(%q, %q) = %v, want %v", tt.haystack, tt.needle, got, tt.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"", " ", "Thanh Hóa", "Đông Sơn", "ĐẢNG", "Nguyễn", "Nguye\u0302\u0303n",
		"İstanbul", "ǅ", "ẞ", "\u0345", "Ω", "K", "ﬃ", "a\u0301\u0301", "\xff\xfe",
		"\t\n\v\f\r \u0085\u00a0\u2028", "日本語", "ᾼ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if slow := slowFold(s); once != slow {
			t.Fatalf("Fold(%q) = %q, the transforms give %q", s, once, slow)
		}
		if !utf8.ValidString(once) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, once)
		}
		if twice := Fold(once); twice != once {
			t.Fatalf("not idempotent: Fold(%q) = %q, Fold of that = %q", s, once, twice)
		}
		if strings.TrimSpace(once) != once || strings.Contains(once, "  ") {
			t.Fatalf("Fold(%q) = %q: white space not collapsed", s, once)
		}
		for _, r := range once {
			if unicode.Is(unicode.Mn, r) {
				t.Fatalf("Fold(%q) = %q keeps combining mark %U", s, once, r)
			}
			if r == 'đ' || r == 'Đ' {
				t.Fatalf("Fold(%q) = %q keeps %q", s, once, r)
			}
			if unicode.IsSpace(r) && r != ' ' {
				t.Fatalf("Fold(%q) = %q keeps white space %U", s, once, r)
			}
		}
		if !Contains(s, s) {
			t.Fatalf("Contains(%q, itself) = false", s)
		}
	})
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Ủy ban nhân dân xã Đồng Lương, huyện Lang Chánh, tỉnh Thanh Hóa")
	}
}

// TestFoldLatinTable: the table path gives what the transforms give, for
// every rune it covers, alone and between letters.
func TestFoldLatinTable(t *testing.T) {
	covered := 0
	for r := rune(0x80); r < latinEnd; r++ {
		for _, s := range []string{string(r), "A" + string(r) + "b", "Đ" + string(r) + string(r) + " x"} {
			if out, ok := foldLatin(s); ok {
				covered++
				if got, want := collapse(out), slowFold(s); got != want {
					t.Errorf("%U in %q: table %q, transforms %q", r, s, got, want)
				}
			}
		}
	}
	if covered < 1000 {
		t.Errorf("only %d strings took the table path", covered)
	}
	for _, s := range []string{"Thanh Hóa", "Nguye\u0302\u0303n", "ỨNG DỤNG", "Thanh\u00a0Hóa", "Ελληνικά", "日本語", "Hóa\xff"} {
		if got, want := Fold(s), slowFold(s); got != want {
			t.Errorf("Fold(%q) = %q, transforms %q", s, got, want)
		}
	}
}

func BenchmarkFoldTransforms(b *testing.B) {
	for b.Loop() {
		slowFold("Ủy ban nhân dân xã Đồng Lương, huyện Lang Chánh, tỉnh Thanh Hóa")
	}
}
