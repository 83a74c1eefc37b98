package service

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/store"
)

// Cases is the citizen voice capability: feedback and recommendations
// (phản ánh, kiến nghị), complaints (khiếu nại, first and second time),
// denunciations (tố cáo) and requests for information, received on every
// channel, tracked by a public code, handled by the competent unit within
// the legal deadlines.
//
// Permission: anyone may submit on the public channels (web, open311),
// rate-limited per client address; recording a case received in person,
// by phone, by post or by transfer, and every handling step, need
// case.handle on the case's unit; reading needs case.read. The identity of
// the person who submitted a case is encrypted at rest (AES-256-GCM) and
// shown only to the handlers of that case (case.identity.read on its
// current unit, which administrators do not hold as such), every view
// audit-logged. The public projection never carries personal data.
type Cases struct {
	base
	deadlines *Deadlines
	intake    *Limiter
	clients   *Limiter
	secrets   *Limiter

	keyOnce sync.Once
	aead    cipher.AEAD
	keyErr  error

	personOnce sync.Once // the key of person hashes (casesearch.go)
	personKey  []byte
	categories readCache[[]store.CaseCategory]
}

// Public intake limits: a client address may submit CaseIntakeBurst cases
// at once, then one every 1/CaseIntakeRate seconds; secret links are
// checked CaseSecretBurst times at once, then one a minute, so that they
// cannot be guessed.
const (
	CaseIntakeRate  = 1.0 / 60
	CaseIntakeBurst = 5
	CaseSecretRate  = 1.0 / 60
	CaseSecretBurst = 20
	// A client application holding an Open311 key submits for many
	// citizens: CaseClientBurst at once, then CaseClientRate a second.
	CaseClientRate  = 50.0
	CaseClientBurst = 2000
	// CaseRetryAfter is what a refused client is told to wait.
	CaseRetryAfter = 60 * time.Second
)

// newCases builds the cases service; legal due dates come from deadlines
// (the versioned rules of [Deadlines] over the working calendar).
func newCases(b base, deadlines *Deadlines) *Cases {
	return &Cases{base: b, deadlines: deadlines, intake: NewLimiter(CaseIntakeRate, CaseIntakeBurst), clients: NewLimiter(CaseClientRate, CaseClientBurst), secrets: NewLimiter(CaseSecretRate, CaseSecretBurst)}
}

// LimitIntake replaces the limiters of public intake, per client address
// and per client application (tests, benchmarks); nil: no limit.
func (s *Cases) LimitIntake(l *Limiter) { s.intake, s.clients = l, l }

// Kinds, channels and statuses of cases.
const (
	CaseFeedback       = "feedback"
	CaseRecommendation = "recommendation"
	CaseComplaint      = "complaint"
	CaseComplaint2     = "complaint2"
	CaseDenunciation   = "denunciation"
	CaseInformation    = "information"

	ChannelWeb       = "web"
	ChannelOpen311   = "open311"
	ChannelReception = "reception"
	ChannelPhone     = "phone"
	ChannelPost      = "post"
	ChannelTransfer  = "transfer"

	CaseReceived    = "received"
	CaseAccepted    = "accepted"
	CaseRefused     = "refused"
	CaseTransferred = "transferred"
	CaseInProgress  = "in_progress"
	CaseSuspended   = "suspended"
	CaseResolved    = "resolved"
	CaseClosed      = "closed"
	CaseMerged      = "merged" // closed as a duplicate of another case (casesearch.go)
)

// CaseKinds, CaseChannels and CaseStatuses list the allowed values.
var (
	CaseKinds    = []string{CaseFeedback, CaseRecommendation, CaseComplaint, CaseComplaint2, CaseDenunciation, CaseInformation}
	CaseChannels = []string{ChannelWeb, ChannelOpen311, ChannelReception, ChannelPhone, ChannelPost, ChannelTransfer}
	CaseStatuses = []string{CaseReceived, CaseAccepted, CaseRefused, CaseTransferred, CaseInProgress, CaseSuspended, CaseResolved, CaseClosed, CaseMerged}
)

// Bounds of a case's inputs.
const (
	MaxCaseTitle       = 300
	MaxCaseDescription = 20000
	MaxCaseCategory    = 60
	MaxCaseName        = 200
	MaxCasePhone       = 30
	MaxCaseEmail       = 254
	MaxCaseAddress     = 500
	MaxCaseIDNumber    = 20
	MaxCaseNote        = 5000
)

// Message keys of the cases capability (cases.*.json).
const (
	MsgCaseNameRequired     = "cases.err.name_required"
	MsgCaseAddressRequired  = "cases.err.address_required"
	MsgCaseAnonymousRefused = "cases.err.anonymous_refused"
	MsgCaseBadPhone         = "cases.err.bad_phone"
	MsgCaseBadEmail         = "cases.err.bad_email"
	MsgCaseBadPoint         = "cases.err.bad_point"
	MsgCaseParentRequired   = "cases.err.parent_required"
	MsgCaseParentNotFound   = "cases.err.parent_not_found"
	MsgCaseUnitRequired     = "cases.err.unit_required"
	MsgCaseSameUnit         = "cases.err.same_unit"
	MsgCaseBadState         = "cases.err.bad_state"
	MsgCaseDueBefore        = "cases.err.due_before"
)

// CaseIdentity is who submitted a case. It is encrypted at rest.
type CaseIdentity struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

func (c CaseIdentity) empty() bool { return c == CaseIdentity{} }

// CaseInput is a case as submitted or recorded.
type CaseInput struct {
	Kind        string        `json:"kind"`
	Category    string        `json:"category"`
	Channel     string        `json:"channel"`
	UnitID      int64         `json:"unit_id"`
	PlaceUnitID int64         `json:"place_unit_id"`
	Lat         *float64      `json:"lat"`
	Lon         *float64      `json:"lon"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Anonymous   bool          `json:"anonymous"`
	Identity    *CaseIdentity `json:"identity"`
	// ParentCode is the tracking code of the first complaint, for a
	// second-time complaint.
	ParentCode string `json:"parent_code"`
	// MediaURL is the http(s) address of a photo; AddressString the place
	// as written by the citizen (Open311).
	MediaURL      string `json:"media_url,omitempty"`
	AddressString string `json:"address_string,omitempty"`
	// Files are photos and documents sent with the case (at most
	// MaxCaseFiles), stored in the same transaction as the case.
	Files []UploadFile `json:"-"`
}

// Case and CaseEvent are what the store keeps.
type (
	Case      = store.Case
	CaseEvent = store.CaseEvent
)

// Submitted is the acknowledgement of a case: the tracking code, and the
// secret (shown this once, stored hashed) that lets its author see their
// own contact and rate the handling.
type Submitted struct {
	ID           int64  `json:"id"`
	TrackingCode string `json:"tracking_code"`
	Secret       string `json:"secret"`
	SecretLink   string `json:"secret_link"`
	ReceivedOn   string `json:"received_on"`
	AcceptDue    string `json:"accept_due,omitempty"`
}

// CaseDeadline is one deadline of a case and the days left (negative: late).
type CaseDeadline struct {
	Name     string `json:"name"` // accept, resolve, extended
	Due      string `json:"due"`
	DaysLeft int    `json:"days_left"`
	Met      bool   `json:"met"`
}

// PublicEvent is a step of a case's public history.
type PublicEvent struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	Note   string    `json:"note,omitempty"`
}

// PublicCase is what anyone with the tracking code sees: no personal data,
// no description (which may name people), no handler names.
type PublicCase struct {
	TrackingCode string         `json:"tracking_code"`
	Kind         string         `json:"kind"`
	Category     string         `json:"category"`
	Status       string         `json:"status"`
	ReceivedOn   string         `json:"received_on"`
	Deadlines    []CaseDeadline `json:"deadlines"`
	History      []PublicEvent  `json:"history"`
	Rated        bool           `json:"rated"`
	// Photos are the public images of a feedback or recommendation.
	Photos []CaseFileInfo `json:"photos"`
}

// OwnCase is the public view with the author's own contact, for the holder
// of the secret link.
type OwnCase struct {
	PublicCase
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Identity    *CaseIdentity `json:"identity"`
	CanRate     bool          `json:"can_rate"`
	Rating      int           `json:"rating,omitempty"`
	// Files are every file of the case, public or not.
	Files []CaseFileInfo `json:"files"`
}

// CaseView is a case as its handlers see it (without the identity, which
// is read separately and audited).
type CaseView struct {
	Case
	Deadlines []CaseDeadline `json:"deadlines"`
	Events    []CaseEvent    `json:"events"`
	CanHandle bool           `json:"can_handle"`
	// CanSeeIdentity: the principal is a handler of the case and it has an
	// identity.
	CanSeeIdentity bool `json:"can_see_identity"`
}

// --- intake ---

// Submit receives a case. Public channels (web, open311) are open to anyone
// and rate-limited per client address (p.IP); other channels are recorded
// by a handler of the competent unit. Complaints and denunciations must
// name their author: Law on Complaints 02/2011/QH13 Art. 8(2) and Law on
// Denunciations 25/2018/QH14 Art. 23(1) require the name and address, and
// an anonymous denunciation is not handled (Art. 25(2)).
func (s *Cases) Submit(ctx context.Context, p *Principal, in CaseInput) (Submitted, error) {
	if in.Channel == "" {
		in.Channel = ChannelWeb
	}
	public := in.Channel == ChannelWeb || in.Channel == ChannelOpen311
	if public && (p == nil || !p.System) {
		l, key := s.intake, intakeKey(p)
		if p != nil && p.Client != "" {
			l, key = s.clients, "client:"+p.Client
		}
		if l != nil && !l.Allow(key) {
			return Submitted{}, ErrTooMany
		}
	}
	c, ident, parentCode, err := s.validateInput(in)
	var fv Validator
	files := caseFiles(&fv, c.Kind, in.Files)
	if err := joinInvalid(err, fv.Err()); err != nil {
		return Submitted{}, err
	}
	if c.Category != "" {
		if err := s.route(ctx, &c, in.UnitID == 0); err != nil {
			return Submitted{}, err
		}
	}
	if !public {
		if err := s.authorize(p, authz.ActionCaseHandle, c.UnitID); err != nil {
			return Submitted{}, err
		}
	}
	if parentCode != "" {
		parent, err := s.st.CaseByCode(ctx, parentCode)
		if err != nil || parent.Kind != CaseComplaint {
			if err != nil && !errors.Is(err, ErrNotFound) {
				return Submitted{}, unavailable("case parent", err)
			}
			return Submitted{}, Invalid("parent_code", MsgCaseParentNotFound)
		}
		c.ParentCaseID = parent.ID
	}
	if !ident.empty() {
		c.IdentityEnc, err = s.seal(ident, c)
		if err != nil {
			return Submitted{}, err
		}
	}
	if c.PersonHash, err = s.personHash(ident); err != nil {
		return Submitted{}, err
	}
	c.SubmitterID = p.UserID()
	if p != nil && p.System {
		c.SubmitterID = 0
	}
	c.Status = CaseReceived
	c.ReceivedOn = s.Today()
	if u, ok := s.tree.Unit(c.PlaceUnitID); ok && c.PlaceUnitID != 0 {
		c.Remote = u.Remote
	} else if u, ok := s.tree.Unit(c.UnitID); ok {
		c.Remote = u.Remote
	}
	if key := acceptKey(c.Kind); key != "" {
		c.AcceptDue, err = s.due(ctx, key, c.ReceivedOn, c.Remote)
		if err != nil {
			return Submitted{}, err
		}
	}
	secret, hash, err := newSecret()
	if err != nil {
		return Submitted{}, unavailable("case secret", err)
	}
	c.SecretHash = hash
	year := c.ReceivedOn[:4]
	ev := CaseEvent{ActorID: c.SubmitterID, Actor: p.Actor().Name, Action: "receive", Public: true, ToUnitID: c.UnitID}
	for range 5 {
		c.TrackingCode, err = newTrackingCode(year)
		if err != nil {
			return Submitted{}, unavailable("tracking code", err)
		}
		// Shared commit with the cases submitted at the same time (store.QueueCase).
		err = s.st.QueueCase(ctx, p.Actor(), &c, ev, files...)
		if !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err != nil {
		return Submitted{}, unavailable("create case", err)
	}
	s.afterSubmit(ctx, c)
	return Submitted{ID: c.ID, TrackingCode: c.TrackingCode, Secret: secret,
		SecretLink: strings.TrimSuffix(s.cfg.BaseURL, "/") + "/cases/track/" + c.TrackingCode + "?secret=" + secret,
		ReceivedOn: c.ReceivedOn, AcceptDue: c.AcceptDue}, nil
}

// route checks the case's category and, when no unit was chosen, sends
// the case to the category's competent unit: its default unit, or the
// nearest unit of its default kind at or above the place.
func (s *Cases) route(ctx context.Context, c *Case, choose bool) error {
	cats, err := s.categories.get(ctx, s.st.CaseCategories)
	if err != nil {
		return unavailable("case categories", err)
	}
	for _, cat := range cats {
		if cat.Code != c.Category {
			continue
		}
		if !choose {
			return nil
		}
		if _, ok := s.tree.Unit(cat.DefaultUnitID); ok && cat.DefaultUnitID != 0 {
			c.UnitID = cat.DefaultUnitID
			return nil
		}
		if cat.DefaultKind != "" && c.PlaceUnitID != 0 {
			if u, ok := s.tree.Unit(c.PlaceUnitID); ok && string(u.Kind) == cat.DefaultKind {
				return nil
			}
			anc := s.tree.Ancestors(c.PlaceUnitID)
			for i := len(anc) - 1; i >= 0; i-- {
				if string(anc[i].Kind) == cat.DefaultKind {
					c.UnitID = anc[i].ID
					return nil
				}
			}
		}
		return nil
	}
	return Invalid("category", MsgBadChoice)
}

// CaseCategory is a category of cases with its default competent unit.
type CaseCategory = store.CaseCategory

// Categories lists the categories of cases (public).
func (s *Cases) Categories(ctx context.Context) ([]CaseCategory, error) {
	out, err := s.st.CaseCategories(ctx)
	if err != nil {
		return nil, unavailable("case categories", err)
	}
	return out, nil
}

// PutCategory creates or replaces a category (administrators).
func (s *Cases) PutCategory(ctx context.Context, p *Principal, c CaseCategory) error {
	if !p.IsAdmin() {
		if anonymousCaller(p) {
			return ErrUnauthenticated
		}
		return ErrForbidden
	}
	var v Validator
	c.Code = v.Line("code", c.Code, 1, MaxCaseCategory)
	c.NameVi = v.Line("name_vi", c.NameVi, 1, MaxCaseTitle)
	c.NameEn = v.Line("name_en", c.NameEn, 0, MaxCaseTitle)
	c.NameJa = v.Line("name_ja", c.NameJa, 0, MaxCaseTitle)
	if c.DefaultKind != "" {
		c.DefaultKind = v.Line("default_kind", c.DefaultKind, 1, 40)
	}
	if c.DefaultUnitID != 0 {
		if _, ok := s.tree.Unit(c.DefaultUnitID); !ok {
			v.Add("default_unit_id", MsgBadChoice)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	defer s.categories.drop()
	if err := s.st.PutCaseCategory(ctx, p.Actor(), c); err != nil {
		return unavailable("case category", err)
	}
	return nil
}

// ValidateCaseInput checks a case as the intake would, without storing it
// (the doors' parsers and the fuzz targets use it).
func (s *Cases) ValidateCaseInput(in CaseInput) error {
	if in.Channel == "" {
		in.Channel = ChannelWeb
	}
	_, _, _, err := s.validateInput(in)
	return err
}

func (s *Cases) validateInput(in CaseInput) (Case, CaseIdentity, string, error) {
	var v Validator
	c := Case{
		Kind:        v.Choice("kind", in.Kind, CaseKinds...),
		Category:    v.Line("category", in.Category, 0, MaxCaseCategory),
		Channel:     v.Choice("channel", in.Channel, CaseChannels...),
		Title:       v.Line("title", in.Title, 1, MaxCaseTitle),
		Description: v.Text("description", in.Description, 1, MaxCaseDescription),
		Anonymous:   in.Anonymous,
	}
	c.AddressString = v.Line("address_string", in.AddressString, 0, MaxCaseAddress)
	if c.MediaURL = v.Line("media_url", in.MediaURL, 0, MaxMediaURL); c.MediaURL != "" && !v.Has("media_url") && !webURL(c.MediaURL) {
		v.Add("media_url", MsgBadMediaURL)
	}
	if in.PlaceUnitID != 0 {
		if _, ok := s.tree.Unit(in.PlaceUnitID); !ok {
			v.Add("place_unit_id", MsgBadChoice)
		}
		c.PlaceUnitID = in.PlaceUnitID
	}
	c.UnitID = in.UnitID
	if c.UnitID == 0 {
		c.UnitID = c.PlaceUnitID
	}
	switch {
	case c.UnitID == 0 && !v.Has("place_unit_id"):
		v.Add("place_unit_id", MsgCaseUnitRequired)
	case in.UnitID != 0:
		if _, ok := s.tree.Unit(in.UnitID); !ok {
			v.Add("unit_id", MsgBadChoice)
		}
	}
	if (in.Lat == nil) != (in.Lon == nil) {
		v.Add("lat", MsgCaseBadPoint)
	} else if in.Lat != nil {
		la, lo := *in.Lat, *in.Lon
		if math.IsNaN(la) || math.IsNaN(lo) || la < -90 || la > 90 || lo < -180 || lo > 180 {
			v.Add("lat", MsgCaseBadPoint)
		} else {
			c.Lat, c.Lon = &la, &lo
		}
	}
	var id CaseIdentity
	if in.Identity != nil {
		id = CaseIdentity{
			Name:     v.Line("identity.name", in.Identity.Name, 0, MaxCaseName),
			Phone:    v.Line("identity.phone", in.Identity.Phone, 0, MaxCasePhone),
			Email:    v.Line("identity.email", in.Identity.Email, 0, MaxCaseEmail),
			Address:  v.Line("identity.address", in.Identity.Address, 0, MaxCaseAddress),
			IDNumber: v.Line("identity.id_number", in.Identity.IDNumber, 0, MaxCaseIDNumber),
		}
		if id.Phone != "" && !v.Has("identity.phone") && !validPhone(id.Phone) {
			v.Add("identity.phone", MsgCaseBadPhone)
		}
		if id.Email != "" && !v.Has("identity.email") {
			if a, err := mail.ParseAddress(id.Email); err != nil || a.Address != id.Email {
				v.Add("identity.email", MsgCaseBadEmail)
			}
		}
	}
	if named := c.Kind == CaseDenunciation || c.Kind == CaseComplaint || c.Kind == CaseComplaint2; named {
		if in.Anonymous {
			v.Add("anonymous", MsgCaseAnonymousRefused)
		}
		if id.Name == "" && !v.Has("identity.name") {
			v.Add("identity.name", MsgCaseNameRequired)
		}
		if id.Address == "" && !v.Has("identity.address") {
			v.Add("identity.address", MsgCaseAddressRequired)
		}
	}
	parent := strings.ToUpper(strings.TrimSpace(in.ParentCode))
	switch {
	case c.Kind == CaseComplaint2 && parent == "":
		v.Add("parent_code", MsgCaseParentRequired)
	case c.Kind == CaseComplaint2 && !validTrackingCode(parent):
		v.Add("parent_code", MsgCaseParentNotFound)
	case c.Kind != CaseComplaint2:
		parent = ""
	}
	return c, id, parent, v.Err()
}

// validPhone accepts digits with an optional leading + and spaces, dots or
// dashes between them: 8 to 15 digits.
func validPhone(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-':
		default:
			return false
		}
	}
	return n >= 8 && n <= 15
}

// intakeKey is what public intake is counted under: the account when
// signed in, else the client address.
func intakeKey(p *Principal) string {
	if p != nil && p.User.ID != 0 {
		return "user:" + strconv.FormatInt(p.User.ID, 10)
	}
	return callerIP(p)
}

// callerIP is the address a public request is counted under.
func callerIP(p *Principal) string {
	if p == nil {
		return ""
	}
	return p.IP
}

// --- tracking codes and secrets ---

// trackingAlphabet has no 0/O, 1/I/L: codes are read aloud and typed.
const trackingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newTrackingCode draws TH-YYYY-XXXXXX.
func newTrackingCode(year string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := []byte("TH-" + year + "-")
	for _, x := range b {
		// 31 symbols: the bias of x%31 over 256 values is negligible here.
		out = append(out, trackingAlphabet[int(x)%len(trackingAlphabet)])
	}
	return string(out), nil
}

// validTrackingCode reports whether s has the shape of a tracking code.
func validTrackingCode(s string) bool {
	if len(s) != 14 || !strings.HasPrefix(s, "TH-") || s[7] != '-' {
		return false
	}
	for _, r := range s[3:7] {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range s[8:] {
		if !strings.ContainsRune(trackingAlphabet, r) {
			return false
		}
	}
	return true
}

// NormalizeTrackingCode upper-cases and trims a typed code; ok is false
// when it cannot be a code.
func NormalizeTrackingCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	return s, validTrackingCode(s)
}

func newSecret() (secret, hash string, err error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret), nil
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// --- identity encryption ---

func (s *Cases) cipher() (cipher.AEAD, error) {
	s.keyOnce.Do(func() {
		text, err := s.st.CaseKeyText(s.cfg.CaseKey)
		if err != nil {
			s.keyErr = err
			return
		}
		k := sha256.Sum256([]byte(text))
		blk, err := aes.NewCipher(k[:])
		if err != nil {
			s.keyErr = err
			return
		}
		s.aead, s.keyErr = cipher.NewGCM(blk)
	})
	if s.keyErr != nil {
		return nil, unavailable("case key", s.keyErr)
	}
	return s.aead, nil
}

// seal encrypts an identity for the case c; the tracking code is not known
// yet, so the associated data is the kind and received date — enough to
// refuse a ciphertext pasted onto another kind of case.
func (s *Cases) seal(id CaseIdentity, c Case) ([]byte, error) {
	g, err := s.cipher()
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, unavailable("case nonce", err)
	}
	return g.Seal(nonce, nonce, plain, []byte(c.Kind)), nil
}

func (s *Cases) open(enc []byte, c Case) (*CaseIdentity, error) {
	if enc == nil {
		return nil, nil
	}
	g, err := s.cipher()
	if err != nil {
		return nil, err
	}
	if len(enc) < g.NonceSize() {
		return nil, unavailable("case identity", errors.New("ciphertext too short"))
	}
	plain, err := g.Open(nil, enc[:g.NonceSize()], enc[g.NonceSize():], []byte(c.Kind))
	if err != nil {
		return nil, unavailable("case identity", errors.New("cannot decrypt (is DANVAN_CASE_KEY or case.key the one the case was written with?)"))
	}
	var id CaseIdentity
	if err := json.Unmarshal(plain, &id); err != nil {
		return nil, unavailable("case identity", err)
	}
	return &id, nil
}

// --- deadlines ---

func acceptKey(kind string) string {
	switch kind {
	case CaseComplaint, CaseComplaint2:
		return "complaint.accept"
	case CaseDenunciation:
		return "denunciation.accept"
	case CaseFeedback, CaseRecommendation:
		return "feedback.transfer"
	}
	return ""
}

func resolveKey(kind string) string {
	switch kind {
	case CaseComplaint:
		return "complaint.resolve"
	case CaseComplaint2:
		return "complaint.resolve.second"
	case CaseDenunciation:
		return "denunciation.resolve"
	}
	return ""
}

// due computes the legal due date of rule key from start.
func (s *Cases) due(ctx context.Context, key, start string, remote bool) (string, error) {
	memo := dueMemo(ctx)
	k := key + "|" + start + "|" + strconv.FormatBool(remote)
	if d, ok := memo[k]; ok {
		return d, nil
	}
	st, err := calendar.ParseDate(start)
	if err != nil {
		return "", fmt.Errorf("case deadline start %q: %w", start, err)
	}
	out, _, err := s.deadlines.Due(ctx, key, st, remote)
	if err != nil {
		return "", unavailable("case deadline "+key, err)
	}
	if memo != nil {
		memo[k] = out.String()
	}
	return out.String(), nil
}

// deadlinesOf lists the deadlines of c with the days left on today.
func deadlinesOf(c Case, today string) []CaseDeadline {
	t, err := calendar.ParseDate(today)
	out := []CaseDeadline{}
	add := func(name, due string, met bool) {
		if due == "" {
			return
		}
		d := CaseDeadline{Name: name, Due: due, Met: met}
		if dd, e := calendar.ParseDate(due); e == nil && err == nil {
			d.DaysLeft = dd.Sub(t)
		}
		out = append(out, d)
	}
	accepted := c.Status != CaseReceived && c.Status != CaseTransferred
	done := c.Status == CaseResolved || c.Status == CaseClosed || c.Status == CaseRefused
	add("accept", c.AcceptDue, accepted)
	add("resolve", c.ResolveDue, done)
	add("extended", c.ExtendedDue, done)
	return out
}

// --- public reads ---

// Track is the public view of a case by its tracking code.
func (s *Cases) Track(ctx context.Context, code string) (PublicCase, error) {
	c, err := s.byCode(ctx, code)
	if err != nil {
		return PublicCase{}, err
	}
	return s.public(ctx, c)
}

func (s *Cases) byCode(ctx context.Context, code string) (Case, error) {
	code, ok := NormalizeTrackingCode(code)
	if !ok {
		return Case{}, ErrNotFound
	}
	c, err := s.st.CaseByCode(ctx, code)
	if err != nil {
		return Case{}, unavailable("case", err)
	}
	return c, nil
}

func (s *Cases) public(ctx context.Context, c Case) (PublicCase, error) {
	evs, err := s.st.CaseEvents(ctx, c.ID, true)
	if err != nil {
		return PublicCase{}, unavailable("case events", err)
	}
	out := PublicCase{TrackingCode: c.TrackingCode, Kind: c.Kind, Category: c.Category, Status: c.Status,
		ReceivedOn: c.ReceivedOn, Deadlines: deadlinesOf(c, s.Today()), History: make([]PublicEvent, 0, len(evs)), Rated: c.Rating > 0}
	for _, e := range evs {
		out.History = append(out.History, PublicEvent{At: e.At, Action: e.Action, Note: e.PublicNote})
	}
	if out.Photos, err = s.fileInfos(ctx, c.ID, true); err != nil {
		return PublicCase{}, err
	}
	return out, nil
}

// verify checks the secret of a case's link; every check costs a token of
// the caller's bucket, so that secrets cannot be guessed.
func (s *Cases) verify(ctx context.Context, p *Principal, code, secret string) (Case, error) {
	if s.secrets != nil && anonymousCaller(p) && !s.secrets.Allow(callerIP(p)) {
		return Case{}, ErrTooMany
	}
	c, err := s.byCode(ctx, code)
	if err != nil {
		return Case{}, err
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(c.SecretHash)) != 1 {
		return Case{}, ErrNotFound
	}
	return c, nil
}

// Verify is the view of the holder of a case's secret link: the public view
// with their own text and contact, and whether they may rate.
func (s *Cases) Verify(ctx context.Context, p *Principal, code, secret string) (OwnCase, error) {
	c, err := s.verify(ctx, p, code, secret)
	if err != nil {
		return OwnCase{}, err
	}
	pub, err := s.public(ctx, c)
	if err != nil {
		return OwnCase{}, err
	}
	var id *CaseIdentity
	if c.HasIdentity {
		// The author's own view is audited like any other.
		enc, err := s.st.CaseIdentity(ctx, p.Actor(), c.ID)
		if err != nil {
			return OwnCase{}, unavailable("case identity", err)
		}
		if id, err = s.open(enc, c); err != nil {
			return OwnCase{}, err
		}
	}
	files, err := s.fileInfos(ctx, c.ID, false)
	if err != nil {
		return OwnCase{}, err
	}
	return OwnCase{PublicCase: pub, Title: c.Title, Description: c.Description, Identity: id,
		CanRate: c.Rating == 0 && (c.Status == CaseResolved || c.Status == CaseClosed), Rating: c.Rating, Files: files}, nil
}

// Rate records the citizen's rating (1–5, optional comment) of a resolved
// or closed case, once (ErrConflict afterwards or before resolution).
func (s *Cases) Rate(ctx context.Context, p *Principal, code, secret string, rating int, comment string) error {
	c, err := s.verify(ctx, p, code, secret)
	if err != nil {
		return err
	}
	var v Validator
	v.Int("rating", int64(rating), 1, 5)
	comment = v.Text("comment", comment, 0, MaxCaseNote)
	if err := v.Err(); err != nil {
		return err
	}
	if c.Status != CaseResolved && c.Status != CaseClosed {
		return Invalid("rating", MsgCaseBadState)
	}
	if err := s.st.RateCase(ctx, p.Actor(), c.ID, rating, comment); err != nil {
		return unavailable("rate case", err)
	}
	return nil
}

// --- handlers ---

// CaseListFilter narrows the handlers' list.
type CaseListFilter struct {
	Unit    int64 // subtree root; 0: every unit the principal may read
	Status  string
	Kind    string
	Overdue bool
	Limit   int
	Offset  int

	// Text: every word, folded, is a prefix of a word of the case; From,
	// To: received between these dates (YYYY-MM-DD, inclusive). With Text
	// the total is counted up to store.CaseCountCap+1 ("more than").
	Text     string
	From, To string
}

// List lists the cases of a unit subtree (case.read on its root), newest
// first, with the total.
func (s *Cases) List(ctx context.Context, p *Principal, f CaseListFilter) ([]Case, int, error) {
	var v Validator
	if f.Status != "" {
		v.Choice("status", f.Status, CaseStatuses...)
	}
	if f.Kind != "" {
		v.Choice("kind", f.Kind, CaseKinds...)
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	f.Text = v.Line("q", f.Text, 0, MaxCaseQuery)
	f.From, f.To = v.Date("from", f.From, false), v.Date("to", f.To, false)
	if f.From != "" && f.To != "" && f.To < f.From && !v.Has("from") && !v.Has("to") {
		v.Add("to", MsgCaseSearchBadRange)
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	sf := store.CaseFilter{Status: f.Status, Kind: f.Kind, Limit: f.Limit, Offset: f.Offset, NewestFirst: true,
		Text: f.Text, From: f.From, To: f.To}
	if f.Overdue {
		sf.OverdueOn = s.Today()
	}
	switch {
	case f.Unit != 0:
		if err := s.authorize(p, authz.ActionCaseRead, f.Unit); err != nil {
			return nil, 0, err
		}
		sf.Units = s.tree.SubtreeIDs(f.Unit)
	case s.can(p, authz.ActionCaseRead, 0):
	default:
		// Every root of the principal's grants that allows reading.
		if p == nil || p.User.ID == 0 {
			return nil, 0, ErrUnauthenticated
		}
		seen := map[int64]bool{}
		for _, g := range p.Grants {
			if g.UnitID == 0 || seen[g.UnitID] || !s.can(p, authz.ActionCaseRead, g.UnitID) {
				continue
			}
			for _, id := range s.tree.SubtreeIDs(g.UnitID) {
				if !seen[id] {
					seen[id] = true
					sf.Units = append(sf.Units, id)
				}
			}
		}
		if len(sf.Units) == 0 {
			return nil, 0, ErrForbidden
		}
		if len(sf.Units) == s.tree.Len() {
			sf.Units = nil // every unit: no condition to check
		}
	}
	cs, total, err := s.st.ListCases(ctx, sf)
	if err != nil {
		return nil, 0, unavailable("list cases", err)
	}
	for i := range cs {
		cs[i].IdentityEnc = nil
	}
	return cs, total, nil
}

// Get reads a case for its handlers (case.read on its unit). Handlers of a
// unit the case was transferred away from keep reading its history, but
// not the identity.
func (s *Cases) Get(ctx context.Context, p *Principal, id int64) (CaseView, error) {
	c, err := s.st.GetCase(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) && anonymousCaller(p) {
			return CaseView{}, ErrUnauthenticated
		}
		return CaseView{}, unavailable("case", err)
	}
	evs, err := s.st.CaseEvents(ctx, id, false)
	if err != nil {
		return CaseView{}, unavailable("case events", err)
	}
	if err := s.authorize(p, authz.ActionCaseRead, c.UnitID); err != nil {
		past := false
		for _, e := range evs {
			if e.FromUnitID != 0 && s.can(p, authz.ActionCaseRead, e.FromUnitID) {
				past = true
				break
			}
		}
		if !past {
			return CaseView{}, err
		}
	}
	c.IdentityEnc = nil
	return CaseView{Case: c, Deadlines: deadlinesOf(c, s.Today()), Events: evs,
		CanHandle:      s.can(p, authz.ActionCaseHandle, c.UnitID),
		CanSeeIdentity: c.HasIdentity && s.can(p, authz.ActionCaseIdentityRead, c.UnitID)}, nil
}

// Identity returns the decrypted identity of a case's author to the
// handlers of that case only, and audit-logs every view. A case without
// identity answers nil.
func (s *Cases) Identity(ctx context.Context, p *Principal, id int64) (*CaseIdentity, error) {
	c, err := s.st.GetCase(ctx, id)
	if err != nil {
		return nil, unavailable("case", err)
	}
	if err := s.authorize(p, authz.ActionCaseIdentityRead, c.UnitID); err != nil {
		return nil, err
	}
	enc, err := s.st.CaseIdentity(ctx, p.Actor(), id)
	if err != nil {
		return nil, unavailable("case identity", err)
	}
	return s.open(enc, c)
}

// CaseStep is a handling step: the version the handler saw, the notes and,
// by step, the unit to transfer to, the date to extend to, the decision.
type CaseStep struct {
	Version      int    `json:"version"`
	PublicNote   string `json:"public_note"`
	InternalNote string `json:"internal_note"`
	ToUnitID     int64  `json:"to_unit_id"`
	Until        string `json:"until"`
	// Kind, Category and ParentCode reclassify a case (classify; empty:
	// unchanged, ParentCode only for a second-time complaint).
	Kind       string `json:"kind,omitempty"`
	Category   string `json:"category,omitempty"`
	ParentCode string `json:"parent_code,omitempty"`
}

// Step names.
const (
	StepAccept   = "accept"
	StepRefuse   = "refuse"
	StepTransfer = "transfer"
	StepExtend   = "extend"
	StepSuspend  = "suspend"
	StepResolve  = "resolve"
	StepClose    = "close"
	StepClassify = "classify" // cases_classify.go
)

// CaseSteps lists the handling steps.
var CaseSteps = []string{StepClassify, StepAccept, StepRefuse, StepTransfer, StepExtend, StepSuspend, StepResolve, StepClose}

// stepFrom is the statuses each step may start from.
var stepFrom = map[string][]string{
	StepAccept:   {CaseReceived, CaseTransferred},
	StepRefuse:   {CaseReceived, CaseTransferred},
	StepTransfer: {CaseReceived, CaseTransferred, CaseAccepted, CaseInProgress},
	StepExtend:   {CaseAccepted, CaseInProgress, CaseSuspended},
	StepSuspend:  {CaseAccepted, CaseInProgress},
	StepResolve:  {CaseAccepted, CaseInProgress, CaseSuspended},
	StepClose:    {CaseResolved, CaseRefused},
	StepClassify: {CaseReceived, CaseAccepted},
}

// Accept accepts (thụ lý) a case and sets its resolution deadline.
func (s *Cases) Accept(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepAccept, in)
}

// Refuse refuses (không thụ lý) a case; the public note (the reason) is required.
func (s *Cases) Refuse(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepRefuse, in)
}

// Transfer moves a case to the competent unit; the reason is required.
func (s *Cases) Transfer(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepTransfer, in)
}

// Extend extends the resolution deadline (gia hạn) with a reason.
func (s *Cases) Extend(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepExtend, in)
}

// Suspend suspends the resolution (tạm đình chỉ) with a reason.
func (s *Cases) Suspend(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepSuspend, in)
}

// Resolve records the decision or answer (giải quyết).
func (s *Cases) Resolve(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepResolve, in)
}

// Close ends (kết thúc) a resolved or refused case.
func (s *Cases) Close(ctx context.Context, p *Principal, id int64, in CaseStep) (Case, error) {
	return s.Step(ctx, p, id, StepClose, in)
}

// Step runs one handling step (case.handle on the case's unit; for a
// transfer, case.read on the target is not needed: any existing unit may
// receive a case). A stale version answers ErrConflict.
func (s *Cases) Step(ctx context.Context, p *Principal, id int64, step string, in CaseStep) (Case, error) {
	c, err := s.st.GetCase(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) && anonymousCaller(p) {
			return Case{}, ErrUnauthenticated
		}
		return Case{}, unavailable("case", err)
	}
	if err := s.authorize(p, authz.ActionCaseHandle, c.UnitID); err != nil {
		return Case{}, err
	}
	var ch store.CaseChange
	var ev CaseEvent
	if step == StepClassify {
		ch, ev, err = s.classify(ctx, c, in)
	} else {
		ch, ev, err = s.transition(ctx, c, step, in, s.Today())
	}
	if in.Version <= 0 {
		// Reported with the other field errors of the step.
		var v Validator
		if inv, ok := AsInvalid(err); ok {
			v.inv.Fields = append(v.inv.Fields, inv.Fields...)
		} else if err != nil {
			return Case{}, err
		}
		v.Add("version", MsgRequired)
		return Case{}, v.Err()
	}
	if err != nil {
		return Case{}, err
	}
	ev.ActorID, ev.Actor = p.UserID(), p.Actor().Name
	ch.ID, ch.Version, ch.AuditAction, ch.Event = id, in.Version, "case."+step, ev
	out, err := s.st.ChangeCase(ctx, p.Actor(), ch)
	if err != nil {
		return Case{}, unavailable("case "+step, err)
	}
	out.IdentityEnc = nil
	s.afterStep(ctx, p, c, out, step, ev)
	return out, nil
}

// transition is what handling step makes of case c on day on (YYYY-MM-DD):
// the new status, unit and deadlines, and the event with its notes. Live
// handling (Step) and cases recorded after the fact (Record) share it.
func (s *Cases) transition(ctx context.Context, c Case, step string, in CaseStep, on string) (store.CaseChange, CaseEvent, error) {
	var v Validator
	if step == StepClassify {
		// Reclassifying reads the stored identity (Step, cases_classify.go).
		step = ""
	}
	v.Choice("step", step, CaseSteps...)
	if err := v.Err(); err != nil {
		return store.CaseChange{}, CaseEvent{}, err
	}
	needNote := step == StepRefuse || step == StepTransfer || step == StepExtend || step == StepSuspend || step == StepResolve
	minNote := 0
	if needNote {
		minNote = 1
	}
	ev := CaseEvent{Action: step, Public: true,
		PublicNote:   v.Text("public_note", in.PublicNote, minNote, MaxCaseNote),
		InternalNote: v.Text("internal_note", in.InternalNote, 0, MaxCaseNote)}
	var ch store.CaseChange
	ok := false
	for _, st := range stepFrom[step] {
		ok = ok || c.Status == st
	}
	if !ok {
		v.Add("step", MsgCaseBadState)
	}
	if err := v.Err(); err != nil {
		return ch, ev, err
	}
	fail := func(err error) (store.CaseChange, CaseEvent, error) { return store.CaseChange{}, CaseEvent{}, err }
	switch step {
	case StepAccept:
		ch.Status = CaseAccepted
		if key := resolveKey(c.Kind); key != "" {
			d, err := s.due(ctx, key, on, c.Remote)
			if err != nil {
				return fail(err)
			}
			ch.ResolveDue = &d
		}
	case StepRefuse:
		ch.Status = CaseRefused
	case StepTransfer:
		if in.ToUnitID == 0 {
			return fail(Invalid("to_unit_id", MsgRequired))
		}
		if _, ok := s.tree.Unit(in.ToUnitID); !ok {
			return fail(Invalid("to_unit_id", MsgBadChoice))
		}
		if in.ToUnitID == c.UnitID {
			return fail(Invalid("to_unit_id", MsgCaseSameUnit))
		}
		ch.Status, ch.UnitID = CaseTransferred, in.ToUnitID
		ev.FromUnitID, ev.ToUnitID = c.UnitID, in.ToUnitID
		// The receiving unit has its own acceptance period from that day.
		empty := ""
		ch.ResolveDue, ch.ExtendedDue = &empty, &empty
		if key := acceptKey(c.Kind); key != "" {
			d, err := s.due(ctx, key, on, c.Remote)
			if err != nil {
				return fail(err)
			}
			ch.AcceptDue = &d
		}
	case StepExtend:
		until, err := s.extendUntil(ctx, c, in.Until)
		if err != nil {
			return fail(err)
		}
		ch.Status, ch.ExtendedDue = CaseInProgress, &until
	case StepSuspend:
		ch.Status = CaseSuspended
	case StepResolve:
		ch.Status = CaseResolved
		r := ev.PublicNote
		ch.Resolution = &r
	case StepClose:
		ch.Status, ch.Close = CaseClosed, true
	}
	return ch, ev, nil
}

// extendUntil is the extended deadline: the date given, which must be after
// the current one, or else the legal extension of the case's kind.
func (s *Cases) extendUntil(ctx context.Context, c Case, until string) (string, error) {
	cur := c.ExtendedDue
	if cur == "" {
		cur = c.ResolveDue
	}
	var v Validator
	until = v.Date("until", until, false)
	if err := v.Err(); err != nil {
		return "", err
	}
	if until == "" {
		key := ""
		switch c.Kind {
		case CaseComplaint:
			key = "complaint.resolve.complex"
		case CaseDenunciation:
			key = "denunciation.resolve"
		}
		if key == "" || cur == "" {
			return "", Invalid("until", MsgRequired)
		}
		if c.Kind == CaseComplaint {
			// The longer period counts from acceptance, like the first.
			return s.due(ctx, key, s.acceptedOn(ctx, c), c.Remote)
		}
		return s.due(ctx, key, cur, c.Remote)
	}
	if cur != "" && until <= cur {
		return "", Invalid("until", MsgCaseDueBefore)
	}
	return until, nil
}

// acceptedOn is the Vietnamese date of the case's last acceptance.
func (s *Cases) acceptedOn(ctx context.Context, c Case) string {
	evs, err := s.st.CaseEvents(ctx, c.ID, false)
	day := s.Today()
	if err != nil {
		return day
	}
	for _, e := range evs {
		if e.Action == StepAccept {
			day = e.At.In(Vietnam).Format("2006-01-02")
		}
	}
	return day
}
