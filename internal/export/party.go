package export

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/textfold"
)

// localKinds are the commune-level units.
var localKinds = map[org.Kind]bool{org.KindCommune: true, org.KindWard: true, org.KindTownship: true, org.KindSpecialZone: true}

// Issuer is the issuing body as the document header names it.
type Issuer struct {
	Superior string // "TỈNH ỦY THANH HÓA"
	Body     string // "BAN TUYÊN GIÁO VÀ DÂN VẬN"
	Abbrev   string // "BTGDVTU", after "-BC/" in the number
	Place    string // "Thanh Hóa"
	// Committee is the party committee the body belongs to (its own name
	// for a committee), for the signature.
	Committee bool
}

// upper upper-cases Vietnamese text ("Tỉnh ủy" → "TỈNH ỦY").
func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// committeeWords are the first words of a party committee's name
// ("Tỉnh ủy Thanh Hóa", "Huyện ủy …", "Đảng ủy xã …"): the name up to and
// including "ủy".
func committeeWords(name string) []string {
	ws := strings.Fields(name)
	for i, w := range ws {
		if f := textfold.Fold(w); f == "uy" && i > 0 {
			return ws[:i+1]
		}
	}
	return nil
}

// DeriveIssuer works out the header lines, the abbreviation and the place
// of a unit from its place in the tree (ancestors root first):
//   - a party committee ("Tỉnh ủy Thanh Hóa") is one line, abbreviated by
//     its committee words ("TU");
//   - a body under a party committee ("Ban Tuyên giáo và Dân vận Tỉnh ủy")
//     is written under the committee's name, without the committee words at
//     the end of its own name, and abbreviated by the initials of every
//     word but "và" ("BTGDVTU");
//   - any other unit is written under its parent (a body directly under the
//     province under none).
//
// The place is the root unit's name without "Tỉnh" / "Thành phố".
func DeriveIssuer(u org.Unit, ancestors []org.Unit) Issuer {
	is := Issuer{Body: upper(u.Name), Place: PlaceName(u, ancestors)}
	if u.Kind == org.KindPartyCommittee {
		is.Committee = true
		if cw := committeeWords(u.Name); cw != nil {
			is.Abbrev = initials(cw)
		} else {
			is.Abbrev = initials(strings.Fields(u.Name))
		}
		return is
	}
	var committee *org.Unit
	for i := len(ancestors) - 1; i >= 0; i-- {
		if ancestors[i].Kind == org.KindPartyCommittee {
			committee = &ancestors[i]
			break
		}
	}
	words := strings.Fields(u.Name)
	switch {
	case committee != nil:
		is.Superior = upper(committee.Name)
		if cw := committeeWords(committee.Name); cw != nil && len(words) > len(cw) {
			tail := words[len(words)-len(cw):]
			if textfold.Fold(strings.Join(tail, " ")) == textfold.Fold(strings.Join(cw, " ")) {
				is.Body = upper(strings.Join(words[:len(words)-len(cw)], " "))
			}
		}
	case len(ancestors) > 0:
		// Bodies directly under the province ("Ủy ban nhân dân tỉnh") name
		// no superior; communes and everything deeper name their parent.
		parent := ancestors[len(ancestors)-1]
		if parent.Kind != org.KindProvince || localKinds[u.Kind] {
			is.Superior = upper(parent.Name)
		}
	}
	// A trailing lower-case place word ("Ủy ban nhân dân tỉnh") is not
	// part of the abbreviation.
	for len(words) > 1 {
		last := words[len(words)-1]
		r, _ := utf8.DecodeRuneInString(last)
		if !unicode.IsLower(r) || !map[string]bool{"tinh": true, "huyen": true, "xa": true, "phuong": true, "thi": true}[textfold.Fold(last)] {
			break
		}
		words = words[:len(words)-1]
	}
	is.Abbrev = initials(words)
	return is
}

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

// PlaceName is the place in the place-and-date line: the root unit's name
// without its kind ("Tỉnh Thanh Hóa" → "Thanh Hóa").
func PlaceName(u org.Unit, ancestors []org.Unit) string {
	root := u
	if len(ancestors) > 0 {
		root = ancestors[0]
	}
	name := strings.TrimSpace(root.Name)
	for _, p := range []string{"Tỉnh ủy ", "Thành ủy ", "Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", "TP. "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimSpace(strings.TrimPrefix(name, p))
		}
	}
	return name
}

// Number is the number line of a report: "Số 12-BC/BTGDVTU" (Party
// documents write no colon after "Số"). id 0 leaves room to write the
// number by hand.
func Number(id int64, abbrev string) string {
	n := "     "
	if id > 0 {
		n = strconv.FormatInt(id, 10)
	}
	if abbrev == "" {
		return "Số " + n + "-BC"
	}
	return "Số " + n + "-BC/" + abbrev
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
