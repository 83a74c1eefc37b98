package store

// Search over cases. Each case keeps its folded text (search_text:
// textfold.Words of its tracking code, category, title and description),
// written in the transaction that writes the case, and the keyed hash of
// its author's identifier (person_hash). SQLite answers text queries from
// an FTS5 index kept by triggers (migration 0021), PostgreSQL from a GIN
// index over to_tsvector('simple', search_text); a query is the AND of
// its folded words, each a prefix.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/danvan/danvan/internal/textfold"
)

// CaseCountCap bounds the count of a text search: past it the total is
// CaseCountCap+1, read "more than CaseCountCap".
const CaseCountCap = 1000

// maxQueryWords bounds the words of a text query.
const maxQueryWords = 8

// CaseSearchText is the folded text a case is found by.
func CaseSearchText(c *Case) string {
	return textfold.Words(c.TrackingCode + " " + c.Category + " " + c.Title + " " + c.Description)
}

// QueryWords returns the folded words of a text query, at most
// maxQueryWords of them.
func QueryWords(text string) []string {
	ws := textfold.Tokens(text)
	if len(ws) > maxQueryWords {
		ws = ws[:maxQueryWords]
	}
	return ws
}

// ftsPrefixMax is the longest prefix the SQLite text index keeps an index
// of (0021_case_search.sql, prefix='1 2 3 4').
const ftsPrefixMax = 4

// ftsQuery is the FTS5 query of folded words, all of which must match. A
// word of up to ftsPrefixMax letters matches as a prefix (read from the
// prefix index, so it costs what a word costs); a longer one matches as a
// whole word, which the index reads lazily in case order: a prefix query
// on a longer word would gather every match before the first page.
// Vietnamese is written in syllables of at most seven letters, so a longer
// query word is almost always whole.
func ftsQuery(ws []string) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + w + `"`)
		if len(w) <= ftsPrefixMax {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// caseSearchWhere adds the search conditions of f (text, dates, kinds,
// category, place) to ListCases' WHERE.
func (s *Store) caseSearchWhere(f CaseFilter) ([]string, []any) {
	var where []string
	var args []any
	if ws := QueryWords(f.Text); len(ws) > 0 {
		if s.dialect == Postgres {
			where = append(where, `to_tsvector('simple', c.search_text) @@ to_tsquery('simple', ?)`)
			args = append(args, strings.Join(ws, ":* & ")+":*")
		} else {
			match := `case_search MATCH ?`
			if !textDriven(f) {
				// Each case the narrow filter reads is checked by its rowid:
				// the index answers one case at a time instead of listing
				// every match of a common word.
				match = `EXISTS (SELECT 1 FROM case_search WHERE ` + match + ` AND case_search.rowid = c.id)`
			}
			where = append(where, match)
			args = append(args, ftsQuery(ws))
		}
	} else if strings.TrimSpace(f.Text) != "" {
		// Only punctuation: nothing can match.
		where = append(where, "1 = 0")
	}
	if f.From != "" {
		where = append(where, "c.received_on >= ?")
		args = append(args, f.From)
	}
	if f.To != "" {
		where = append(where, "c.received_on <= ?")
		args = append(args, f.To)
	}
	if len(f.Kinds) > 0 {
		where = append(where, "c.kind IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.Kinds)), ",")+")")
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	if f.Category != "" {
		where = append(where, "c.category = ?")
		args = append(args, f.Category)
	}
	if f.PlaceUnitID != 0 {
		where = append(where, "c.place_unit_id = ?")
		args = append(args, f.PlaceUnitID)
	}
	return where, args
}

// caseSearchFrom is the FROM and ORDER BY of ListCases. Without text:
// the cases by creation. With text, newest (highest id) first: on SQLite
// the text index drives the join, read backwards by case id, so that a
// common word stops at the first page instead of sorting every match.
func (s *Store) caseSearchFrom(f CaseFilter) (from, order string) {
	dir := ""
	if f.NewestFirst {
		dir = " DESC"
	}
	if len(QueryWords(f.Text)) == 0 {
		return "cases c", " ORDER BY c.created_at" + dir + ", c.id" + dir
	}
	if s.dialect == Postgres {
		return "cases c", " ORDER BY c.id" + dir
	}
	if !textDriven(f) {
		return "cases c", " ORDER BY c.created_at" + dir + ", c.id" + dir
	}
	return "case_search JOIN cases c ON c.id = case_search.rowid", " ORDER BY case_search.rowid" + dir
}

// textDriven reports whether a SQLite text search reads the text index
// first (and the cases it names), rather than the cases of a narrow
// filter (dates, a place, a few units) checked against the words the index
// matches.
func textDriven(f CaseFilter) bool {
	return f.From == "" && f.To == "" && f.PlaceUnitID == 0 && (len(f.Units) == 0 || len(f.Units) > 20)
}

// countCases is the count query of ListCases: exact, or up to
// CaseCountCap+1 for a text search. On SQLite a search by text alone is
// counted on the text index, without reading the cases.
func countCases(f CaseFilter, from, where string) string {
	if strings.TrimSpace(f.Text) == "" {
		return `SELECT COUNT(*) FROM ` + from + where
	}
	g := f
	g.Text, g.Limit, g.Offset, g.NewestFirst = "", 0, 0, false
	if strings.HasPrefix(from, "case_search ") && g.isZero() {
		from = "case_search"
	}
	return fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM %s%s LIMIT %d) n`, from, where, CaseCountCap+1)
}

// isZero reports whether f filters nothing.
func (f CaseFilter) isZero() bool {
	return len(f.Units) == 0 && len(f.Kinds) == 0 && f.Status == "" && f.Kind == "" && f.OverdueOn == "" &&
		f.Text == "" && f.From == "" && f.To == "" && f.Category == "" && f.PlaceUnitID == 0
}

// SimilarFilter selects the candidates of similar or duplicate cases.
type SimilarFilter struct {
	Category    string
	PlaceUnitID int64
	// Box: also cases with a point within these bounds (any place).
	Box      *[4]float64 // min lat, max lat, min lon, max lon
	Statuses []string
	Kinds    []string
	Except   int64 // leave this case out
	Limit    int
}

// SimilarCases returns the newest cases of the same category at the same
// place (or within the box), in the statuses and kinds given.
func (s *Store) SimilarCases(ctx context.Context, f SimilarFilter) ([]Case, error) {
	var where []string
	args := []any{f.Category}
	where = append(where, "c.category = ?")
	place := "c.place_unit_id = ?"
	args = append(args, f.PlaceUnitID)
	if f.Box != nil {
		place = "(" + place + " OR (c.lat BETWEEN ? AND ? AND c.lon BETWEEN ? AND ?))"
		args = append(args, f.Box[0], f.Box[1], f.Box[2], f.Box[3])
	}
	where = append(where, place)
	where, args = inList(where, args, "c.status", f.Statuses)
	where, args = inList(where, args, "c.kind", f.Kinds)
	if f.Except != 0 {
		where = append(where, "c.id <> ?")
		args = append(args, f.Except)
	}
	return s.listCasesWhere(ctx, where, args, f.Limit)
}

// CasesByPerson returns the newest cases whose author has the keyed hash
// h, except one.
func (s *Store) CasesByPerson(ctx context.Context, h string, except int64, limit int) ([]Case, error) {
	if h == "" {
		return []Case{}, nil
	}
	return s.listCasesWhere(ctx, []string{"c.person_hash = ?", "c.id <> ?"}, []any{h, except}, limit)
}

// CasePersonHash reads the keyed hash of a case's author ("" when none).
func (s *Store) CasePersonHash(ctx context.Context, id int64) (string, error) {
	var h string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT person_hash FROM cases WHERE id = ?`), id).Scan(&h)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("case %d: %w", id, ErrNotFound)
	}
	return h, err
}

func inList(where []string, args []any, col string, vals []string) ([]string, []any) {
	if len(vals) == 0 {
		return where, args
	}
	where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
	for _, v := range vals {
		args = append(args, v)
	}
	return where, args
}

func (s *Store) listCasesWhere(ctx context.Context, where []string, args []any, limit int) ([]Case, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+caseCols+` FROM cases c WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.id DESC LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("similar cases: %w", err)
	}
	defer rows.Close()
	out := []Case{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
