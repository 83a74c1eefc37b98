package textfold

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// vowels lists every Vietnamese vowel with each of the six tones (level,
// grave, acute, hook, tilde, dot), upper and lower case, and its base.
var vowels = []struct {
	base  string
	tones string
}{
	{"a", "aàáảãạ"}, {"a", "ăằắẳẵặ"}, {"a", "âầấẩẫậ"},
	{"e", "eèéẻẽẹ"}, {"e", "êềếểễệ"},
	{"i", "iìíỉĩị"},
	{"o", "oòóỏõọ"}, {"o", "ôồốổỗộ"}, {"o", "ơờớởỡợ"},
	{"u", "uùúủũụ"}, {"u", "ưừứửữự"},
	{"y", "yỳýỷỹỵ"},
}

func TestFoldEveryVietnameseVowel(t *testing.T) {
	n := 0
	for _, v := range vowels {
		for _, r := range v.tones {
			for _, s := range []string{string(r), strings.ToUpper(string(r))} {
				n++
				if got := Fold(s); got != v.base {
					t.Errorf("Fold(%q) = %q, want %q", s, got, v.base)
				}
			}
		}
	}
	if n != 12*6*2 {
		t.Fatalf("checked %d letters, want %d", n, 12*6*2)
	}
	for _, s := range []string{"đ", "Đ"} {
		if got := Fold(s); got != "d" {
			t.Errorf("Fold(%q) = %q, want d", s, got)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Đường bị ngập", []string{"duong", "bi", "ngap"}},
		{"duong bi ngap", []string{"duong", "bi", "ngap"}},
		{"  ĐƯỜNG   BỊ NGẬP!!! ", []string{"duong", "bi", "ngap"}},
		{"Rác thải, ô nhiễm (xã Quảng Tâm)", []string{"rac", "thai", "o", "nhiem", "xa", "quang", "tam"}},
		{"TH-2026-7K3QX9", []string{"th", "2026", "7k3qx9"}},
		{"a—b/c_d", []string{"a", "b", "c", "d"}},
		{"", nil},
		{"?!.,", nil},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if Words("Đường bị  ngập.") != Words("duong bi ngap") {
		t.Errorf("Words differ: %q vs %q", Words("Đường bị  ngập."), Words("duong bi ngap"))
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "Đường bị ngập", "TH-2026-7K3QX9", "a\u0301!b", "\xff日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("Tokens(%q) has an empty token", s)
			}
			for _, r := range tok {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("Tokens(%q) = %q: %q is not a letter or digit", s, toks, r)
				}
			}
		}
		if again := Tokens(Words(s)); !slices.Equal(again, toks) {
			t.Fatalf("Tokens(Words(%q)) = %q, want %q", s, again, toks)
		}
	})
}
