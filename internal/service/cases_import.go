package service

// Cases recorded after the fact — a paper register imported from CSV, the
// demonstration data — and the export of cases without identities.
//
// Record takes cases with their received date and their handling steps
// (each dated) and stores them in ONE transaction, all or nothing, with
// the deadlines the law gives on those dates. ParseCaseCSV reads a
// register; every error names its line and column (FieldError.Field is
// "LINE:column"), and the import stores nothing unless every line is
// right.

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// Message keys of the import and export of cases (casedata.*.json).
const (
	MsgCaseImportEmpty      = "casedata.err.empty"
	MsgCaseImportTooMany    = "casedata.err.too_many" // %d: the maximum number of lines
	MsgCaseImportColumn     = "casedata.err.missing_column"
	MsgCaseImportUnknownCol = "casedata.err.unknown_column"
	MsgCaseImportBadCSV     = "casedata.err.bad_csv"
	MsgCaseImportBadDate    = "casedata.err.bad_date"
	MsgCaseImportFuture     = "casedata.err.future"
	MsgCaseImportUnit       = "casedata.err.unknown_unit"
	MsgCaseImportNote       = "casedata.err.note_required"
	MsgCaseImportClosedOn   = "casedata.err.closed_on_required"
	MsgCaseImportOrder      = "casedata.err.date_order"
	MsgCaseImportStep       = "casedata.err.bad_step"
	MsgCaseImportRating     = "casedata.err.rating_state"
	MsgCaseImportCodeTaken  = "casedata.err.code_taken"
)

// TrackingAlphabet is the alphabet of the code part of tracking codes (no
// 0/O, 1/I/L), for callers that draw their own codes (the demo).
const TrackingAlphabet = trackingAlphabet

// MaxCaseImportLines bounds one import.
const MaxCaseImportLines = 100000

// RecordedStep is one handling step of a recorded case, on a date.
type RecordedStep struct {
	Step         string `json:"step"` // accept, refuse, transfer, extend, suspend, resolve, close
	On           string `json:"on"`   // YYYY-MM-DD
	PublicNote   string `json:"public_note"`
	InternalNote string `json:"internal_note"`
	ToUnitID     int64  `json:"to_unit_id"`
	Until        string `json:"until"`
}

// CaseRecord is a case received earlier, with its handling so far.
type CaseRecord struct {
	CaseInput
	// Line numbers the record in error messages (0: its position, from 1).
	Line       int
	ReceivedOn string // YYYY-MM-DD
	// TrackingCode is drawn when empty.
	TrackingCode  string
	Steps         []RecordedStep
	Rating        int
	RatingComment string
}

// RecordedCase is what Record stored.
type RecordedCase struct {
	ID           int64  `json:"id"`
	TrackingCode string `json:"tracking_code"`
}

// Record stores cases received earlier, in one transaction or not at all
// (case.handle on each case's unit, at every unit it passes through). The
// deadlines are the legal ones from the recorded dates; the steps follow
// the same order as live handling. action names the audit entry of the
// whole load (case.import, case.demo).
func (s *Cases) Record(ctx context.Context, p *Principal, action string, recs []CaseRecord) ([]RecordedCase, error) {
	var all Validator
	today := s.Today()
	seeds := make([]store.CaseSeed, 0, len(recs))
	codes := map[string]string{} // tracking code → kind, of this load
	ctx = withDueMemo(ctx)
	for i, r := range recs {
		line := r.Line
		if line == 0 {
			line = i + 1
		}
		seed, err := s.recordSeed(ctx, p, r, today, codes)
		if err != nil {
			inv, ok := AsInvalid(err)
			if !ok {
				return nil, err
			}
			for _, f := range inv.Fields {
				all.Add(strconv.Itoa(line)+":"+f.Field, f.Key, f.Args...)
			}
			continue
		}
		codes[seed.Case.TrackingCode] = seed.Case.Kind
		seeds = append(seeds, seed)
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	if len(seeds) == 0 {
		return nil, Invalid("file", MsgCaseImportEmpty)
	}
	ids, err := s.st.SeedCases(ctx, p.Actor(), action, seeds)
	if err != nil {
		if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
			return nil, Invalid("tracking_code", MsgCaseImportCodeTaken)
		}
		return nil, unavailable("record cases", err)
	}
	out := make([]RecordedCase, len(ids))
	for i, id := range ids {
		out[i] = RecordedCase{ID: id, TrackingCode: seeds[i].Case.TrackingCode}
	}
	return out, nil
}

// recordSeed validates one record and builds what the store writes.
func (s *Cases) recordSeed(ctx context.Context, p *Principal, r CaseRecord, today string, batch map[string]string) (store.CaseSeed, error) {
	if r.Channel == "" {
		r.Channel = ChannelPost
	}
	c, ident, parentCode, err := s.validateInput(r.CaseInput)
	var v Validator
	if inv, ok := AsInvalid(err); ok {
		v.inv.Fields = append(v.inv.Fields, inv.Fields...)
	} else if err != nil {
		return store.CaseSeed{}, err
	}
	received := v.Date("received_on", r.ReceivedOn, true)
	if received != "" && !v.Has("received_on") && received > today {
		v.Add("received_on", MsgCaseImportFuture)
	}
	if r.TrackingCode != "" && !validTrackingCode(r.TrackingCode) {
		v.Add("tracking_code", MsgBadChoice)
	}
	if err := v.Err(); err != nil {
		return store.CaseSeed{}, err
	}
	if c.Category != "" {
		if err := s.route(ctx, &c, r.UnitID == 0); err != nil {
			return store.CaseSeed{}, err
		}
	}
	if err := s.authorize(p, authz.ActionCaseHandle, c.UnitID); err != nil {
		return store.CaseSeed{}, err
	}
	seed := store.CaseSeed{}
	if parentCode != "" {
		if kind, ok := batch[parentCode]; ok {
			if kind != CaseComplaint {
				return seed, Invalid("parent_code", MsgCaseParentNotFound)
			}
		} else if parent, err := s.st.CaseByCode(ctx, parentCode); err != nil || parent.Kind != CaseComplaint {
			if err != nil && !errors.Is(err, ErrNotFound) {
				return seed, unavailable("case parent", err)
			}
			return seed, Invalid("parent_code", MsgCaseParentNotFound)
		}
		seed.ParentCode = parentCode
	}
	if !ident.empty() {
		if c.IdentityEnc, err = s.seal(ident, c); err != nil {
			return seed, err
		}
	}
	c.SubmitterID = 0
	c.Status = CaseReceived
	c.ReceivedOn = received
	if u, ok := s.tree.Unit(c.PlaceUnitID); ok && c.PlaceUnitID != 0 {
		c.Remote = u.Remote
	} else if u, ok := s.tree.Unit(c.UnitID); ok {
		c.Remote = u.Remote
	}
	if key := acceptKey(c.Kind); key != "" {
		if c.AcceptDue, err = s.due(ctx, key, received, c.Remote); err != nil {
			return seed, err
		}
	}
	_, hash, err := newSecret()
	if err != nil {
		return seed, unavailable("case secret", err)
	}
	c.SecretHash = hash
	c.TrackingCode = r.TrackingCode
	if c.TrackingCode == "" {
		if c.TrackingCode, err = newTrackingCode(received[:4]); err != nil {
			return seed, unavailable("tracking code", err)
		}
	}
	actor := p.Actor().Name
	c.CreatedAt = at9(received, 0)
	seed.Events = append(seed.Events, CaseEvent{At: c.CreatedAt, Actor: actor, Action: "receive", Public: true, ToUnitID: c.UnitID})
	last := received
	for j, st := range r.Steps {
		field := "steps." + strconv.Itoa(j)
		on := v.Date(field+".on", st.On, true)
		if err := v.Err(); err != nil {
			return seed, err
		}
		if on < last || on > today {
			return seed, Invalid(field+".on", MsgCaseImportOrder)
		}
		last = on
		ev, err := s.recordStep(ctx, p, &c, st, on, field)
		if err != nil {
			return seed, err
		}
		ev.At, ev.Actor = at9(on, j+1), actor
		seed.Events = append(seed.Events, ev)
		c.Version++
	}
	c.UpdatedAt = seed.Events[len(seed.Events)-1].At
	if r.Rating != 0 {
		v.Int("rating", int64(r.Rating), 1, 5)
		c.RatingNote = v.Text("rating_comment", r.RatingComment, 0, MaxCaseNote)
		if err := v.Err(); err != nil {
			return seed, err
		}
		if c.Status != CaseResolved && c.Status != CaseClosed {
			return seed, Invalid("rating", MsgCaseImportRating)
		}
		c.Rating = r.Rating
		c.UpdatedAt = c.UpdatedAt.Add(time.Hour)
		seed.Events = append(seed.Events, CaseEvent{At: c.UpdatedAt, Actor: actor, Action: "rate", Public: true})
		c.Version++
	}
	seed.Case = c
	return seed, nil
}

// recordStep applies one recorded step to c, by the rules of live
// handling (transition), and returns its event; field errors are named
// after the step (field).
func (s *Cases) recordStep(ctx context.Context, p *Principal, c *Case, st RecordedStep, on, field string) (CaseEvent, error) {
	if err := s.authorize(p, authz.ActionCaseHandle, c.UnitID); err != nil {
		return CaseEvent{}, err
	}
	if st.Step == StepExtend && st.Until == "" {
		// The legal extension counts from events a record does not have yet.
		return CaseEvent{}, Invalid(field+".until", MsgRequired)
	}
	ch, ev, err := s.transition(ctx, *c, st.Step, CaseStep{PublicNote: st.PublicNote, InternalNote: st.InternalNote, ToUnitID: st.ToUnitID, Until: st.Until}, on)
	if inv, ok := AsInvalid(err); ok {
		var v Validator
		for _, f := range inv.Fields {
			if f.Key == MsgCaseBadState {
				f.Key = MsgCaseImportStep
			}
			v.Add(field+"."+f.Field, f.Key, f.Args...)
		}
		return ev, v.Err()
	}
	if err != nil {
		return ev, err
	}
	c.Status = ch.Status
	if ch.UnitID != 0 {
		c.UnitID = ch.UnitID
	}
	for _, x := range []struct {
		from *string
		to   *string
	}{{ch.AcceptDue, &c.AcceptDue}, {ch.ResolveDue, &c.ResolveDue}, {ch.ExtendedDue, &c.ExtendedDue}, {ch.Resolution, &c.Resolution}} {
		if x.from != nil {
			*x.to = *x.from
		}
	}
	if ch.Close {
		c.ClosedAt = at9(on, 8)
	}
	return ev, nil
}

// dueMemoKey carries, in a Record's context, the due dates already
// computed: a load of thousands of cases asks for few distinct dates.
type dueMemoKey struct{}

func withDueMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, dueMemoKey{}, map[string]string{})
}

// dueMemo is the memo of ctx, nil outside a Record call.
func dueMemo(ctx context.Context) map[string]string {
	m, _ := ctx.Value(dueMemoKey{}).(map[string]string)
	return m
}

// at9 is 9:00 in Vietnam on day (YYYY-MM-DD), plus minutes.
func at9(day string, minutes int) time.Time {
	d, err := calendar.ParseDate(day)
	if err != nil {
		return time.Time{}
	}
	return d.In(Vietnam).Add(9*time.Hour + time.Duration(minutes)*time.Minute).UTC()
}

// --- CSV registers ---

// CaseImportColumns are the columns of a register, in the order of the
// template; only received_on, kind, title, description and unit or place
// are required. Dates are dd/mm/yyyy.
var CaseImportColumns = []string{"received_on", "channel", "kind", "category", "unit", "place", "title", "description",
	"name", "phone", "address", "parent_code", "status", "note", "closed_on"}

// caseImportStatuses are the statuses a register may give, and the steps
// they stand for.
var caseImportStatuses = []string{CaseReceived, CaseAccepted, CaseResolved, CaseClosed, CaseRefused}

// kindAliases are the Vietnamese names of the kinds a register may use.
var kindAliases = map[string]string{
	"phản ánh": CaseFeedback, "kiến nghị": CaseRecommendation, "khiếu nại": CaseComplaint,
	"khiếu nại lần hai": CaseComplaint2, "tố cáo": CaseDenunciation, "yêu cầu cung cấp thông tin": CaseInformation,
}

// ParseCaseCSV reads a register (UTF-8, optional BOM, comma or semicolon
// separated, a header line naming the columns) into records, each with
// its line number. Every error of every line is reported, as fields
// "LINE:column".
func (s *Cases) ParseCaseCSV(r io.Reader) ([]CaseRecord, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	var v Validator
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Invalid("1:file", MsgCaseImportEmpty)
	}
	if err != nil {
		return nil, Invalid("1:file", MsgCaseImportBadCSV)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range CaseImportColumns {
			known = known || c == h
		}
		if !known {
			v.Add("1:"+Truncate(h, 40), MsgCaseImportUnknownCol)
			continue
		}
		col[h] = i
	}
	for _, need := range []string{"received_on", "kind", "title", "description"} {
		if _, ok := col[need]; !ok {
			v.Add("1:"+need, MsgCaseImportColumn)
		}
	}
	_, hasUnit := col["unit"]
	if _, hasPlace := col["place"]; !hasUnit && !hasPlace {
		v.Add("1:place", MsgCaseImportColumn)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	codes := s.unitCodes()
	var out []CaseRecord
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			v.Add(strconv.Itoa(line)+":file", MsgCaseImportBadCSV)
			break
		}
		line, _ := cr.FieldPos(0)
		if len(out) >= MaxCaseImportLines {
			v.Add(strconv.Itoa(line)+":file", MsgCaseImportTooMany, MaxCaseImportLines)
			break
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		blank := true
		for _, f := range rec {
			blank = blank && strings.TrimSpace(f) == ""
		}
		if blank {
			continue
		}
		out = append(out, s.parseCaseLine(&v, line, get, codes))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, Invalid("2:file", MsgCaseImportEmpty)
	}
	return out, nil
}

// unitCodes maps the codes of the units valid today to their ids.
func (s *Cases) unitCodes() map[string]int64 {
	out := map[string]int64{}
	for _, u := range s.tree.At(s.Today()) {
		out[strings.ToUpper(u.Code)] = u.ID
	}
	return out
}

// parseCaseLine reads one line of a register; errors go to v as "LINE:column".
func (s *Cases) parseCaseLine(v *Validator, line int, get func(string) string, codes map[string]int64) CaseRecord {
	at := func(c string) string { return strconv.Itoa(line) + ":" + c }
	r := CaseRecord{Line: line}
	r.ReceivedOn = parseDMY(v, at("received_on"), get("received_on"), true)
	r.Channel = strings.ToLower(get("channel"))
	r.Kind = strings.ToLower(get("kind"))
	if k, ok := kindAliases[r.Kind]; ok {
		r.Kind = k
	}
	r.Category = get("category")
	for _, c := range [...]struct {
		name string
		id   *int64
	}{{"unit", &r.UnitID}, {"place", &r.PlaceUnitID}} {
		code := strings.ToUpper(get(c.name))
		if code == "" {
			continue
		}
		id, ok := codes[code]
		if !ok {
			v.Add(at(c.name), MsgCaseImportUnit)
			continue
		}
		*c.id = id
	}
	r.Title, r.Description = get("title"), get("description")
	if name, phone, addr := get("name"), get("phone"), get("address"); name != "" || phone != "" || addr != "" {
		r.Identity = &CaseIdentity{Name: name, Phone: phone, Address: addr}
	}
	r.ParentCode = get("parent_code")
	status := strings.ToLower(get("status"))
	if status == "" {
		status = CaseReceived
	}
	note := get("note")
	closed := parseDMY(v, at("closed_on"), get("closed_on"), false)
	switch {
	case status == CaseReceived:
	case status == CaseAccepted:
		r.Steps = []RecordedStep{{Step: StepAccept, On: r.ReceivedOn}}
	case status == CaseRefused, status == CaseResolved, status == CaseClosed:
		if note == "" {
			v.Add(at("note"), MsgCaseImportNote)
		}
		if closed == "" && !v.Has(at("closed_on")) {
			v.Add(at("closed_on"), MsgCaseImportClosedOn)
		}
		if status == CaseRefused {
			r.Steps = []RecordedStep{{Step: StepRefuse, On: closed, PublicNote: note}}
			break
		}
		r.Steps = []RecordedStep{{Step: StepAccept, On: r.ReceivedOn}, {Step: StepResolve, On: closed, PublicNote: note}}
		if status == CaseClosed {
			r.Steps = append(r.Steps, RecordedStep{Step: StepClose, On: closed})
		}
	default:
		v.Choice(at("status"), status, caseImportStatuses...)
	}
	// The checks of the intake itself, without storing (kind, channel,
	// lengths, identity of complaints and denunciations), by column.
	if err := s.ValidateCaseInput(r.withDefaults()); err != nil {
		if inv, ok := AsInvalid(err); ok {
			for _, f := range inv.Fields {
				v.Add(at(importColumn(f.Field)), f.Key, f.Args...)
			}
		}
	}
	return r
}

func (r CaseRecord) withDefaults() CaseInput {
	in := r.CaseInput
	if in.Channel == "" {
		in.Channel = ChannelPost
	}
	return in
}

// importColumn names the register column of an intake field.
func importColumn(field string) string {
	switch field {
	case "place_unit_id":
		return "place"
	case "unit_id":
		return "unit"
	case "identity.name":
		return "name"
	case "identity.phone":
		return "phone"
	case "identity.address":
		return "address"
	case "anonymous":
		return "name"
	}
	return field
}

// parseDMY reads a dd/mm/yyyy date (also d/m/yyyy, or yyyy-mm-dd) into
// YYYY-MM-DD.
func parseDMY(v *Validator, field, s string, required bool) string {
	if s == "" {
		if required {
			v.Add(field, MsgRequired)
		}
		return ""
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1900 && t.Year() <= 2100 {
			return t.Format(org.DateLayout)
		}
	}
	v.Add(field, MsgCaseImportBadDate)
	return ""
}

// ImportCSV parses a register and records it, all or nothing.
func (s *Cases) ImportCSV(ctx context.Context, p *Principal, r io.Reader) ([]RecordedCase, error) {
	recs, err := s.ParseCaseCSV(r)
	if err != nil {
		return nil, err
	}
	return s.Record(ctx, p, "case.import", recs)
}

// --- export ---

// CaseExportFilter chooses the cases to export: received between From and
// To (YYYY-MM-DD, inclusive, empty: open), in the subtree of Unit (0: all
// the principal may read).
type CaseExportFilter struct {
	From, To string
	Unit     int64
	// UnitCode names the unit by its code (valid today) instead of Unit.
	UnitCode string
}

// CaseExportRow is one exported case: public fields, status, deadlines and
// the days late — never the identity of its author.
type CaseExportRow struct {
	TrackingCode string `json:"tracking_code"`
	ReceivedOn   string `json:"received_on"`
	Kind         string `json:"kind"`
	Channel      string `json:"channel"`
	Category     string `json:"category"`
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	PlaceName    string `json:"place_name"`
	Title        string `json:"title"`
	Status       string `json:"status"`
	AcceptDue    string `json:"accept_due"`
	ResolveDue   string `json:"resolve_due"`
	ExtendedDue  string `json:"extended_due"`
	ClosedOn     string `json:"closed_on"`
	DaysLate     int    `json:"days_late"`
	Rating       int    `json:"rating"`
}

// Export lists the cases of f for a spreadsheet (case.read on the unit, or
// on everything when Unit is 0), oldest first.
func (s *Cases) Export(ctx context.Context, p *Principal, f CaseExportFilter) ([]CaseExportRow, error) {
	var v Validator
	f.From = v.Date("from", f.From, false)
	f.To = v.Date("to", f.To, false)
	if f.UnitCode != "" {
		id, ok := s.unitCodes()[strings.ToUpper(strings.TrimSpace(f.UnitCode))]
		if !ok {
			v.Add("unit", MsgCaseImportUnit)
		}
		f.Unit = id
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	sf := store.CaseExportFilter{From: f.From, To: f.To}
	if f.Unit != 0 {
		if err := s.authorize(p, authz.ActionCaseRead, f.Unit); err != nil {
			return nil, err
		}
		sf.Units = s.tree.SubtreeIDs(f.Unit)
	} else if err := s.authorize(p, authz.ActionCaseRead, 0); err != nil {
		return nil, err
	}
	today := s.Today()
	out := []CaseExportRow{}
	err := s.st.EachCase(ctx, sf, func(c Case) error {
		row := CaseExportRow{TrackingCode: c.TrackingCode, ReceivedOn: c.ReceivedOn, Kind: c.Kind, Channel: c.Channel, Category: c.Category,
			Title: c.Title, Status: c.Status, AcceptDue: c.AcceptDue, ResolveDue: c.ResolveDue, ExtendedDue: c.ExtendedDue, Rating: c.Rating}
		if u, ok := s.tree.Unit(c.UnitID); ok {
			row.UnitCode, row.UnitName = u.Code, u.Name
		}
		if u, ok := s.tree.Unit(c.PlaceUnitID); ok && c.PlaceUnitID != 0 {
			row.PlaceName = u.Name
		}
		if !c.ClosedAt.IsZero() {
			row.ClosedOn = c.ClosedAt.In(Vietnam).Format(org.DateLayout)
		}
		row.DaysLate = daysLate(c, today)
		out = append(out, row)
		return nil
	})
	if err != nil {
		return nil, unavailable("export cases", err)
	}
	return out, nil
}

// daysLate is how many days past its current deadline a case is (open:
// until today; resolved, refused or closed: until that day), 0 when on time.
func daysLate(c Case, today string) int {
	due := ""
	end := today
	switch c.Status {
	case CaseReceived, CaseTransferred:
		due = c.AcceptDue
	case CaseAccepted, CaseInProgress:
		due = c.ResolveDue
		if c.ExtendedDue != "" {
			due = c.ExtendedDue
		}
	case CaseResolved, CaseClosed:
		due = c.ResolveDue
		if c.ExtendedDue != "" {
			due = c.ExtendedDue
		}
		end = c.UpdatedAt.In(Vietnam).Format(org.DateLayout)
		if !c.ClosedAt.IsZero() {
			end = c.ClosedAt.In(Vietnam).Format(org.DateLayout)
		}
	}
	if due == "" {
		return 0
	}
	d, err1 := calendar.ParseDate(due)
	e, err2 := calendar.ParseDate(end)
	if err1 != nil || err2 != nil || !e.After(d) {
		return 0
	}
	return e.Sub(d)
}

// CaseImportLine splits the field of an import error into its line and
// column ("12:title" → 12, "title"); line 0 when it has none.
func CaseImportLine(field string) (int, string) {
	l, c, ok := strings.Cut(field, ":")
	if !ok {
		return 0, field
	}
	n, err := strconv.Atoi(l)
	if err != nil {
		return 0, field
	}
	return n, c
}
