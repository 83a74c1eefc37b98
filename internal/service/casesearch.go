package service

// Search over cases, similar cases before sending, and duplicates and their
// merging. Handlers search their own cases through List (CaseListFilter
// Text, From, To); anyone searches the public cases through PublicSearch,
// which lists feedback and recommendations only (complaints,
// denunciations and requests for information concern a person and are
// never listed publicly) and shows their title, never their description or
// any personal data. Similar offers, before a citizen sends, the open
// public cases of the same category at the same place or within about a
// kilometre. Duplicates and Merge are for the handlers of both cases: a
// duplicate is found by the keyed hash of its author's identifier (never
// the identifier itself), or by the same category and place with similar
// words; merging closes the duplicate with the status "merged" and a public
// note giving the kept case's tracking code.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/textfold"
)

// Bounds of searches.
const (
	MaxCaseQuery     = 200 // characters of a search query
	MaxPublicResults = 100 // a page of public search
	MaxSimilar       = 5   // similar cases offered before sending
	MaxDuplicates    = 20
	// SimilarRadiusKm: cases with a point this near are "nearby".
	SimilarRadiusKm = 1.0
	// CaseSearchCountCap: a search by words counts its matches up to this
	// many; a total above it reads "more than CaseSearchCountCap".
	CaseSearchCountCap = store.CaseCountCap
)

// Message keys of search and merging (casesearch.*.json).
const (
	MsgCaseSearchBadRange    = "casesearch.err.bad_range"
	MsgCaseSimilarNeedsWhere = "casesearch.err.similar_where"
	MsgCaseMergeSelf         = "casesearch.err.merge_self"
	MsgCaseMergeState        = "casesearch.err.merge_state"
)

// PublicKinds are the kinds public search and similar cases list.
var PublicKinds = []string{CaseFeedback, CaseRecommendation}

// openStatuses are the statuses of a case still being handled.
var openStatuses = []string{CaseReceived, CaseAccepted, CaseTransferred, CaseInProgress, CaseSuspended}

// CaseSummary is a public case in a list: no description, no personal
// data, no handler.
type CaseSummary struct {
	TrackingCode string `json:"tracking_code"`
	Kind         string `json:"kind"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	Status       string `json:"status"`
	PlaceUnitID  int64  `json:"place_unit_id,omitempty"`
	ReceivedOn   string `json:"received_on"`
}

func summary(c Case) CaseSummary {
	return CaseSummary{TrackingCode: c.TrackingCode, Kind: c.Kind, Category: c.Category, Title: c.Title,
		Status: c.Status, PlaceUnitID: c.PlaceUnitID, ReceivedOn: c.ReceivedOn}
}

// PublicSearchFilter narrows the public search.
type PublicSearchFilter struct {
	Category string
	Place    int64 // the commune or ward concerned
	Status   string
	Limit    int
	Offset   int
}

// PublicSearch finds public cases (feedback and recommendations) by their
// words, newest first, with the total (counted up to store.CaseCountCap+1
// when q is given). Open to anyone.
func (s *Cases) PublicSearch(ctx context.Context, q string, f PublicSearchFilter) ([]CaseSummary, int, error) {
	var v Validator
	q = v.Line("q", q, 0, MaxCaseQuery)
	if f.Status != "" {
		v.Choice("status", f.Status, CaseStatuses...)
	}
	f.Category = v.Line("category", f.Category, 0, MaxCaseCategory)
	if f.Place != 0 {
		if _, ok := s.tree.Unit(f.Place); !ok {
			v.Add("place", MsgBadChoice)
		}
	}
	if f.Limit < 0 || f.Limit > MaxPublicResults {
		v.Add("limit", MsgBadChoice)
	}
	if f.Offset < 0 {
		v.Add("offset", MsgBadChoice)
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	cs, total, err := s.st.ListCases(ctx, store.CaseFilter{Text: q, Status: f.Status, Category: f.Category, PlaceUnitID: f.Place,
		Kinds: PublicKinds, Limit: f.Limit, Offset: f.Offset, NewestFirst: true})
	if err != nil {
		return nil, 0, unavailable("search cases", err)
	}
	out := make([]CaseSummary, 0, len(cs))
	for _, c := range cs {
		out = append(out, summary(c))
	}
	return out, total, nil
}

// SimilarQuery is what a citizen has typed before sending: the category,
// the place (commune or ward) or a point, and the text.
type SimilarQuery struct {
	Category    string
	PlaceUnitID int64
	Lat, Lon    *float64
	Text        string
}

// SimilarCase is an open public case like the one being typed; Shared is
// how many of its words the two share.
type SimilarCase struct {
	CaseSummary
	Shared int `json:"shared"`
}

// Similar lists, best first, at most MaxSimilar open public cases of the
// same category (or, without one, of no category) at the same place, or within SimilarRadiusKm when both
// have a point, ranked by the words they share with the text (then the
// newest). Open to anyone; no description or personal data is shown.
func (s *Cases) Similar(ctx context.Context, q SimilarQuery) ([]SimilarCase, error) {
	var v Validator
	q.Category = v.Line("category", q.Category, 0, MaxCaseCategory)
	q.Text = v.Text("text", q.Text, 0, MaxCaseDescription)
	if q.PlaceUnitID != 0 {
		if _, ok := s.tree.Unit(q.PlaceUnitID); !ok {
			v.Add("place", MsgBadChoice)
		}
	}
	box, ok := nearBox(q.Lat, q.Lon)
	if (q.Lat == nil) != (q.Lon == nil) || ((q.Lat != nil) && !ok) {
		v.Add("lat", MsgCaseBadPoint)
	}
	if q.PlaceUnitID == 0 && q.Lat == nil && !v.Has("place") {
		v.Add("place", MsgCaseSimilarNeedsWhere)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cands, err := s.st.SimilarCases(ctx, store.SimilarFilter{Category: q.Category, PlaceUnitID: q.PlaceUnitID, Box: box,
		Statuses: openStatuses, Kinds: PublicKinds, Limit: 200})
	if err != nil {
		return nil, unavailable("similar cases", err)
	}
	words := significant(q.Text)
	out := []SimilarCase{}
	for _, c := range cands {
		if c.PlaceUnitID != q.PlaceUnitID || q.PlaceUnitID == 0 {
			// Found by the box: keep it only within the radius.
			if c.Lat == nil || c.Lon == nil || q.Lat == nil || distanceKm(*q.Lat, *q.Lon, *c.Lat, *c.Lon) > SimilarRadiusKm {
				continue
			}
		}
		n := shared(words, significant(c.Title+" "+c.Description))
		if len(words) > 0 && n == 0 {
			continue
		}
		out = append(out, SimilarCase{CaseSummary: summary(c), Shared: n})
	}
	// Candidates come newest first; a stable sort keeps that among equals.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Shared > out[j].Shared })
	if len(out) > MaxSimilar {
		out = out[:MaxSimilar]
	}
	return out, nil
}

// significant returns the set of folded words of s that say something:
// words of two letters or fewer ("bị", "ở", "và") are left out.
func significant(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range textfold.Tokens(s) {
		if len([]rune(w)) > 2 || (len(w) > 0 && unicode.IsDigit(rune(w[0]))) {
			out[w] = true
		}
	}
	return out
}

func shared(a, b map[string]bool) int {
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return n
}

// nearBox is the latitude/longitude box around a point that holds the
// circle of SimilarRadiusKm; nil without a point, ok false for a bad one.
func nearBox(lat, lon *float64) (*[4]float64, bool) {
	if lat == nil || lon == nil {
		return nil, true
	}
	la, lo := *lat, *lon
	if math.IsNaN(la) || math.IsNaN(lo) || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return nil, false
	}
	dLat := SimilarRadiusKm / 111.0
	dLon := SimilarRadiusKm / (111.0 * math.Max(math.Cos(la*math.Pi/180), 0.01))
	return &[4]float64{la - dLat, la + dLat, lo - dLon, lo + dLon}, true
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// --- person hashes ---

// personHash is the keyed hash (HMAC-SHA-256 under a key derived from the
// case key) of the author's normalised identifier: the ID number, else
// the phone, else the e-mail. It finds the cases of one person without
// keeping the identifier in clear; "" when there is none.
func (s *Cases) personHash(id CaseIdentity) (string, error) {
	ident := personIdentifier(id)
	if ident == "" {
		return "", nil
	}
	var err error
	s.personOnce.Do(func() {
		var text string
		if text, err = s.st.CaseKeyText(s.cfg.CaseKey); err == nil {
			k := sha256.Sum256([]byte("danvan person hash\x00" + text))
			s.personKey = k[:]
		}
	})
	if s.personKey == nil {
		if err == nil {
			err = errors.New("no key")
		}
		return "", unavailable("person hash key", err)
	}
	m := hmac.New(sha256.New, s.personKey)
	m.Write([]byte(ident))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// personIdentifier is the normalised identifier a person hash is taken
// of: "id:" and the ID number's letters and digits, "phone:" and the
// national number (+84… and 84… as 0…), or "email:" and the lower-cased
// address.
func personIdentifier(id CaseIdentity) string {
	keep := func(s string, ok func(rune) bool) string {
		return strings.Map(func(r rune) rune {
			if ok(r) {
				return unicode.ToUpper(r)
			}
			return -1
		}, s)
	}
	if n := keep(id.IDNumber, func(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }); n != "" {
		return "id:" + n
	}
	if d := keep(id.Phone, unicode.IsDigit); len(d) >= 8 {
		if strings.HasPrefix(d, "84") && len(d) >= 11 {
			d = "0" + d[2:]
		}
		return "phone:" + d
	}
	if e := strings.ToLower(strings.TrimSpace(id.Email)); e != "" {
		return "email:" + e
	}
	return ""
}

// --- duplicates and merging ---

// DuplicateCase is a case that may repeat another: by the same person,
// and/or the same category and place with similar words (Similarity, the
// share of their significant words in common, 0–1).
type DuplicateCase struct {
	Case
	SamePerson bool    `json:"same_person"`
	Similarity float64 `json:"similarity"`
}

// MinDuplicateSimilarity is the share of common words from which a case
// of the same category and place is offered as a duplicate.
const MinDuplicateSimilarity = 0.3

// Duplicates lists the cases that may repeat case id, best first: the same
// person's cases, then the same category and place with similar words.
// It needs case.read on the case, and lists only cases p may read.
func (s *Cases) Duplicates(ctx context.Context, p *Principal, id int64) ([]DuplicateCase, error) {
	c, err := s.readable(ctx, p, id, authz.ActionCaseRead)
	if err != nil {
		return nil, err
	}
	h, err := s.st.CasePersonHash(ctx, id)
	if err != nil {
		return nil, unavailable("case", err)
	}
	byPerson, err := s.st.CasesByPerson(ctx, h, id, 50)
	if err != nil {
		return nil, unavailable("duplicates", err)
	}
	var near []Case
	if c.Category != "" && c.PlaceUnitID != 0 {
		if near, err = s.st.SimilarCases(ctx, store.SimilarFilter{Category: c.Category, PlaceUnitID: c.PlaceUnitID, Except: id, Limit: 200}); err != nil {
			return nil, unavailable("duplicates", err)
		}
	}
	words := significant(c.Title + " " + c.Description)
	seen := map[int64]bool{}
	out := []DuplicateCase{}
	add := func(d Case, same bool) {
		if seen[d.ID] || !s.can(p, authz.ActionCaseRead, d.UnitID) {
			return
		}
		sim := jaccard(words, significant(d.Title+" "+d.Description))
		if !same && sim < MinDuplicateSimilarity {
			return
		}
		seen[d.ID] = true
		d.IdentityEnc = nil
		out = append(out, DuplicateCase{Case: d, SamePerson: same, Similarity: math.Round(sim*100) / 100})
	}
	for _, d := range byPerson {
		add(d, true)
	}
	for _, d := range near {
		add(d, false)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].SamePerson != out[j].SamePerson {
			return out[i].SamePerson
		}
		return out[i].Similarity > out[j].Similarity
	})
	if len(out) > MaxDuplicates {
		out = out[:MaxDuplicates]
	}
	return out, nil
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := shared(a, b)
	return float64(n) / float64(len(a)+len(b)-n)
}

// readable reads case id for p, who must hold action on its unit.
func (s *Cases) readable(ctx context.Context, p *Principal, id int64, action authz.Action) (Case, error) {
	c, err := s.st.GetCase(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) && anonymousCaller(p) {
			return Case{}, ErrUnauthenticated
		}
		return Case{}, unavailable("case", err)
	}
	if err := s.authorize(p, action, c.UnitID); err != nil {
		return Case{}, err
	}
	return c, nil
}

// mergeable are the statuses a duplicate may be merged from.
var mergeable = []string{CaseReceived, CaseAccepted, CaseTransferred, CaseInProgress, CaseSuspended, CaseResolved, CaseRefused}

// Merge closes case dupID as a duplicate of keepID: its status becomes
// "merged", it is closed, and its public history says which case carries
// on (the kept case's tracking code as the public note). p must handle
// both cases (case.handle on each unit); version is the duplicate's as
// read (ErrConflict when stale). The step is audited like every other.
func (s *Cases) Merge(ctx context.Context, p *Principal, keepID, dupID int64, version int) (Case, error) {
	dup, err := s.readable(ctx, p, dupID, authz.ActionCaseHandle)
	if err != nil {
		return Case{}, err
	}
	if keepID == dupID {
		return Case{}, Invalid("keep_id", MsgCaseMergeSelf)
	}
	keep, err := s.st.GetCase(ctx, keepID)
	if errors.Is(err, ErrNotFound) {
		return Case{}, Invalid("keep_id", MsgBadChoice)
	}
	if err != nil {
		return Case{}, unavailable("case", err)
	}
	if err := s.authorize(p, authz.ActionCaseHandle, keep.UnitID); err != nil {
		return Case{}, err
	}
	var v Validator
	if version <= 0 {
		v.Add("version", MsgRequired)
	}
	if !slices.Contains(mergeable, dup.Status) {
		v.Add("step", MsgCaseMergeState)
	}
	if keep.Status == CaseMerged {
		v.Add("keep_id", MsgCaseMergeState)
	}
	if err := v.Err(); err != nil {
		return Case{}, err
	}
	ev := CaseEvent{ActorID: p.UserID(), Actor: p.Actor().Name, Action: "merge", Public: true,
		PublicNote: keep.TrackingCode, ToUnitID: keep.UnitID}
	out, err := s.st.ChangeCase(ctx, p.Actor(), store.CaseChange{ID: dupID, Version: version, Status: CaseMerged, Close: true,
		Event: ev, AuditAction: "case.merge"})
	if err != nil {
		return Case{}, unavailable("case merge", err)
	}
	out.IdentityEnc = nil
	return out, nil
}
