package textfold

import (
	"strings"
	"unicode"
)

// Tokens folds s and splits it into words: runs of letters and digits,
// every other character (punctuation, symbols, white space) a separator.
// "Đường bị ngập!" gives [duong bi ngap]. The tokens are what the search
// indexes hold and what a query is matched with.
func Tokens(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Words is Tokens joined by single spaces: the folded text a search index
// stores.
func Words(s string) string {
	return strings.Join(Tokens(s), " ")
}
