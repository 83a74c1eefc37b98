// Package textfold folds Vietnamese text for search, so that a query matches
// with or without diacritics: "thanh hoa" finds "Thanh Hóa" and "dong son"
// finds "Đông Sơn". Folding lower-cases, decomposes (NFD), drops combining
// marks (Unicode category Mn), recomposes (NFC), maps đ/Đ to d (NFD does not
// decompose đ) and collapses runs of white space to one ASCII space.
package textfold

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold returns the search form of s. Invalid UTF-8 bytes become U+FFFD, so
// the result is always valid UTF-8. Fold is idempotent.
func Fold(s string) string {
	if isASCII(s) {
		return collapse(strings.ToLower(s))
	}
	if out, ok := foldLatin(s); ok {
		return collapse(out)
	}
	return slowFold(s)
}

// slowFold is Fold through the Unicode normalisation transforms, for any
// text.
func slowFold(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(lowerD, s)
	// A fresh transformer per call: transform.Chain keeps state and is not
	// safe for concurrent use.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		// Cannot happen for valid UTF-8 input; fall back to the lower-cased text.
		out = s
	}
	// Recomposition may produce a precomposed character with its own case
	// mapping; a second lower-casing pass keeps Fold idempotent.
	return collapse(strings.Map(lowerD, out))
}

// Contains reports whether needle occurs in haystack once both are folded.
// An empty needle is contained in every haystack.
func Contains(haystack, needle string) bool {
	return strings.Contains(Fold(haystack), Fold(needle))
}

// lowerD lower-cases one rune and maps đ (U+0111, the lower case of Đ
// U+0110) to d.
func lowerD(r rune) rune {
	r = unicode.ToLower(r)
	if r == 'đ' {
		return 'd'
	}
	return r
}

// collapse trims s and replaces each run of white space with one space.
func collapse(s string) string {
	for i, r := range s {
		if !unicode.IsSpace(r) {
			continue
		}
		// Only a single ' ' between two non-space characters may stay.
		if r != ' ' || i == 0 || i == len(s)-1 || s[i-1] == ' ' {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Latin text (every Vietnamese name) is folded one rune at a time from a
// table, without the normalisation transforms: a Latin letter decomposes
// into one base letter and combining marks, the marks are dropped, and two
// Latin base letters never compose, so the result equals slowFold's.

// latinEnd bounds the table: Basic Latin to Latin Extended-B, the combining
// diacritical marks, and Latin Extended Additional (ạ…ỹ) below it.
const latinEnd = 0x1F00

// latinTable maps a rune below latinEnd to its folded form; 0 means "not
// simple Latin: use slowFold", -1 "dropped" (a combining mark).
var latinTable = sync.OnceValue(func() []rune {
	t := make([]rune, latinEnd)
	for r := rune(0); r < latinEnd; r++ {
		inLatin := r < 0x250 || (r >= 0x300 && r < 0x370) || r >= 0x1E00
		if !inLatin {
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			t[r] = -1
			continue
		}
		chain := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		out, _, err := transform.String(chain, string(lowerD(r)))
		if err != nil || utf8.RuneCountInString(out) != 1 {
			continue
		}
		f, _ := utf8.DecodeRuneInString(out)
		t[r] = lowerD(f)
	}
	return t
})

// foldLatin folds s from latinTable, before white space is collapsed; ok is
// false when s holds a rune the table does not cover.
func foldLatin(s string) (string, bool) {
	t := latinTable()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		if r >= latinEnd || t[r] == 0 {
			return "", false
		}
		if t[r] > 0 {
			b.WriteRune(t[r])
		}
	}
	return b.String(), true
}
