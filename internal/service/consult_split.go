package service

// Splitting a pasted draft into passages. Vietnamese legal texts are laid
// out in chapters ("Chương I"), sections ("Mục 1"), articles ("Điều 5."),
// clauses ("1.") and points ("a)"); plans and programmes in parts ("I.")
// and numbered paragraphs. Each marker at the start of a line opens a
// passage; the lines that follow belong to it. Text before the first marker
// (the preamble, the grounds) is a passage without a label. The drafter
// corrects what the splitter got wrong.

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/danvan/danvan/internal/store"
)

// Passage levels, outermost first.
const (
	LevelChapter = iota
	LevelSection
	LevelArticle
	LevelClause
	LevelPoint
)

// Bounds of a draft.
const (
	MaxDraftText     = 300000 // characters of the pasted text
	MaxDraftPassages = 3000
	MaxPassageText   = 20000
)

type marker struct {
	re    *regexp.Regexp
	level int
	word  string // the label's word; the marker is rebuilt from it by [JoinPassages]
}

var markers = []marker{
	{regexp.MustCompile(`^(?i:chương)\s+([IVXLCDM]+|\d+)\b\.?\s*(.*)$`), LevelChapter, "Chương"},
	{regexp.MustCompile(`^(?i:mục)\s+(\d+)\b\.?\s*(.*)$`), LevelSection, "Mục"},
	{regexp.MustCompile(`^(?i:điều)\s+(\d+[a-zđ]?)\.\s*(.*)$`), LevelArticle, "Điều"},
	{regexp.MustCompile(`^([IVXLCDM]+)\.(?:\s+(.*))?$`), LevelSection, "Phần"},
	{regexp.MustCompile(`^(\d{1,3})\.(?:\s+(.*))?$`), LevelClause, "Khoản"},
	{regexp.MustCompile(`^([a-zđ])\)(?:\s+(.*))?$`), LevelPoint, "Điểm"},
}

// SplitDraft splits a pasted draft into passages in reading order, with
// their labels ("Điều 5", "Khoản 2 Điều 5", "Điểm a khoản 2 Điều 5") and
// levels. Blank lines are
// dropped and each line is trimmed; the text is put in NFC.
func SplitDraft(text string) []store.Passage {
	text = norm.NFC.String(strings.ToValidUTF8(text, "\uFFFD"))
	var out []store.Passage
	var body []string
	// within is the article or part a clause belongs to, clause the clause
	// a point belongs to: labels cite them ("Điểm a khoản 2 Điều 3").
	var within, clause string
	flush := func() {
		if n := len(out); n > 0 {
			out[n-1].Text = strings.Join(body, "\n")
		}
		body = nil
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m, token, rest, ok := matchMarker(line)
		if !ok {
			if len(out) == 0 {
				out = append(out, store.Passage{Level: LevelChapter})
			}
			body = append(body, line)
			continue
		}
		flush()
		label := m.word + " " + token
		switch m.word {
		case "Chương", "Mục":
			within, clause = "", ""
		case "Phần", "Điều":
			within, clause = label, ""
		case "Khoản":
			clause = "khoản " + token
			if within != "" {
				label += " " + within
			}
		case "Điểm":
			if clause != "" {
				label += " " + clause
			}
			if within != "" {
				label += " " + within
			}
		}
		out = append(out, store.Passage{Level: m.level, Label: label})
		if rest = strings.TrimSpace(rest); rest != "" {
			body = append(body, rest)
		}
	}
	flush()
	return out
}

func matchMarker(line string) (marker, string, string, bool) {
	for _, m := range markers {
		if s := m.re.FindStringSubmatch(line); s != nil {
			rest := ""
			if len(s) > 2 {
				rest = s[2]
			}
			return m, s[1], rest, true
		}
	}
	return marker{}, "", "", false
}

// JoinPassages writes passages back as a text that [SplitDraft] splits
// into the same passages (when their labels are the splitter's own).
func JoinPassages(ps []store.Passage) string {
	var b strings.Builder
	for _, p := range ps {
		word, token := "", ""
		if f := strings.Fields(p.Label); len(f) >= 2 {
			word, token = f[0], f[1]
		}
		head := ""
		switch word {
		case "Chương", "Mục":
			head = word + " " + token
		case "Điều":
			head = word + " " + token + "."
		case "Phần", "Khoản":
			head = token + "."
		case "Điểm":
			head = token + ")"
		}
		switch {
		case head != "" && p.Text != "":
			b.WriteString(head + " " + p.Text)
		case head != "":
			b.WriteString(head)
		default:
			b.WriteString(p.Text)
		}
		b.WriteString("\n")
	}
	return b.String()
}
