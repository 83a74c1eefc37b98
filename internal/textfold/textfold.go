// Package textfold folds Vietnamese text for search, so that a query matches
// with or without diacritics: "thanh hoa" finds "Thanh Hóa" and "dong son"
// finds "Đông Sơn". Folding lower-cases, decomposes (NFD), drops combining
// marks (Unicode category Mn), recomposes (NFC), maps đ/Đ to d (NFD does not
// decompose đ) and collapses runs of white space to one ASCII space.
package textfold

import (
	"strings"
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
