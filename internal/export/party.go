package export

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/textfold"
)

// initials is the upper-case first letters of the words but "và" and
// "-", without diacritics except Đ.
func initials(words []string) string {
	var b strings.Builder
	for _, w := range words {
		f := textfold.Fold(w)
		if f == "va" || f == "-" || f == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if r == 'đ' || r == 'Đ' {
			b.WriteRune('Đ')
			continue
		}
		fr, _ := utf8.DecodeRuneInString(f)
		if unicode.IsLetter(fr) || unicode.IsDigit(fr) {
			b.WriteRune(unicode.ToUpper(fr))
		}
	}
	return b.String()
}

var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"}

// Roman numbers the parts of a document (1 → "I").
func Roman(n int) string {
	if n >= 1 && n <= len(romans) {
		return romans[n-1]
	}
	return strconv.Itoa(n)
}

// PeriodPhrase names a period as a Vietnamese report title does: "tháng 3
// năm 2025", "quý I năm 2025", "6 tháng đầu năm 2025", "9 tháng năm
// 2025", "năm 2025".
func PeriodPhrase(t report.Type, year, number int) string {
	switch t {
	case report.Monthly:
		return fmt.Sprintf("tháng %d năm %d", number, year)
	case report.Quarterly:
		return fmt.Sprintf("quý %s năm %d", Roman(number), year)
	case report.SixMonth:
		return fmt.Sprintf("6 tháng đầu năm %d", year)
	case report.NineMonth:
		return fmt.Sprintf("9 tháng năm %d", year)
	}
	return fmt.Sprintf("năm %d", year)
}

// viNumber writes a number the Vietnamese way: "1.234,5".
func viNumber(f float64) string {
	neg := f < 0
	f = math.Abs(f)
	s := strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	ip, fp, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range ip {
		if i > 0 && (len(ip)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if fp != "" {
		out += "," + fp
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// viDate writes a legal date "2025-03-14" as "14/03/2025".
func viDate(d string) string {
	if len(d) == 10 && d[4] == '-' && d[7] == '-' {
		return d[8:10] + "/" + d[5:7] + "/" + d[:4]
	}
	return d
}
