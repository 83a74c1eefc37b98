package export

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/docx"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/textfold"
)

// Side is the side of the political system a report belongs to: it
// chooses which organ of a place (a province, a commune) issues it.
type Side int

// Sides.
const (
	// SideState: a place's report is issued by its People's Committee.
	SideState Side = iota
	// SideParty: a place's report is issued by its Party committee.
	SideParty
)

// SideOf is the side of a report template from the unit that owns it:
// a template owned by a Party body (a committee, a commission, an organ)
// is a Party template; any other, and a template of the whole
// installation, is a State one.
func SideOf(owner org.Unit) Side {
	if partyKinds[owner.Kind] {
		return SideParty
	}
	return SideState
}

// Organs of a place that the tree does not hold as units, in a register key.
const (
	OrganParty = "party"
	OrganState = "state"
)

// KindReport is the kind code of a report ("báo cáo") in numbers and
// registers.
const KindReport = "BC"

// Issuer is the issuing body as the document header names it.
type Issuer struct {
	// Form is the form the body's documents take.
	Form     docx.Form
	Superior string // "TỈNH ỦY THANH HÓA", "UBND TỈNH THANH HÓA"
	Body     string // "BAN DÂN VẬN", "SỞ NỘI VỤ"; may hold a line break
	Abbrev   string // "BDVTU", "SNV": the body's part of the number
	Place    string // "Thanh Hóa", "Hạc Thành"
	// Committee is set for a Party committee (signed for its collective
	// leadership).
	Committee bool
	// Collective is the collective body a signer signs for ("BAN THƯỜNG
	// VỤ", "ỦY BAN NHÂN DÂN"); empty when the head signs in their own name.
	Collective string
	// Head is the head's title ("TRƯỞNG BAN", "GIÁM ĐỐC", "CHỦ TỊCH").
	Head string
	// Name is the body's name as a list of recipients writes it.
	Name string
	// UnitID and Organ key the body's register: the issuing unit, or the
	// place whose organ (OrganParty, OrganState) issues when the tree does
	// not hold that organ.
	UnitID int64
	Organ  string
	// Via is, for a place's organ found in the tree, the place's child it
	// was found through (the Party committee whose commission issues):
	// the issuer's own branch, never listed as a unit reporting to it.
	Via int64
}

var (
	partyKinds = map[org.Kind]bool{org.KindPartyCommittee: true, org.KindPartyCommission: true, org.KindPartyOrgan: true}
	placeKinds = map[org.Kind]bool{org.KindProvince: true, org.KindDistrict: true, org.KindTown: true, org.KindCity: true,
		org.KindCommune: true, org.KindWard: true, org.KindTownship: true, org.KindSpecialZone: true}
	// localKinds are the commune-level places.
	localKinds = map[org.Kind]bool{org.KindCommune: true, org.KindWard: true, org.KindTownship: true, org.KindSpecialZone: true}
	// placeWords are the lower-case place words that end a body's name
	// ("Ủy ban nhân dân tỉnh").
	placeWords = map[string]bool{"tinh": true, "huyen": true, "xa": true, "phuong": true, "thi": true, "thanh": true, "dac": true}
)

// IsPlace reports whether a unit of kind k is a place (a province, a
// commune…) rather than a body: a place never issues documents.
func IsPlace(k org.Kind) bool { return placeKinds[k] }

// Lookup lists the units under a unit (today's children); nil knows none.
type Lookup func(parentID int64) []org.Unit

// upper upper-cases Vietnamese text ("Tỉnh ủy" → "TỈNH ỦY").
func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// lowerFirst lower-cases the first letter ("Phường Hạc Thành" → "phường Hạc Thành").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func folded(s string) string { return textfold.Fold(strings.TrimSpace(s)) }

// committeeWords are the first words of a party committee's name
// ("Tỉnh ủy Thanh Hóa", "Đảng ủy xã …"): the name up to and including "ủy".
func committeeWords(name string) []string {
	ws := strings.Fields(name)
	for i, w := range ws {
		if f := textfold.Fold(w); f == "uy" && i > 0 {
			return ws[:i+1]
		}
	}
	return nil
}

// placeAbove is the nearest place among the ancestors (nil: none).
func placeAbove(ancestors []org.Unit) *org.Unit {
	for i := len(ancestors) - 1; i >= 0; i-- {
		if placeKinds[ancestors[i].Kind] {
			return &ancestors[i]
		}
	}
	return nil
}

// splitPlace splits a body's name at its lower-case place word: "Ủy ban
// nhân dân tỉnh" → ("Ủy ban nhân dân", "tỉnh"); "Ủy ban nhân dân phường
// Hạc Thành" → ("Ủy ban nhân dân", "phường Hạc Thành").
func splitPlace(name string) (core, rest string) {
	ws := strings.Fields(name)
	for i := 1; i < len(ws); i++ {
		r, _ := utf8.DecodeRuneInString(ws[i])
		if unicode.IsLower(r) && placeWords[textfold.Fold(ws[i])] {
			return strings.Join(ws[:i], " "), strings.Join(ws[i:], " ")
		}
	}
	return name, ""
}

// placeOf is the place part of a body's name written in full: a bare
// place word ("tỉnh") stands for the place above ("Tỉnh Thanh Hóa").
func placeOf(name string, ancestors []org.Unit) string {
	_, rest := splitPlace(name)
	if len(strings.Fields(rest)) == 1 {
		if p := placeAbove(ancestors); p != nil {
			return p.Name
		}
	}
	return rest
}

// shortName abbreviates the long names of State bodies in a superior line
// and in recipients, as the forms do ("Ủy ban nhân dân tỉnh" → "UBND tỉnh").
func shortName(name string) string {
	for _, p := range [][2]string{{"Ủy ban nhân dân", "UBND"}, {"Hội đồng nhân dân", "HĐND"}, {"Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban MTTQ Việt Nam"}} {
		if strings.HasPrefix(name, p[0]) {
			return p[1] + strings.TrimPrefix(name, p[0])
		}
	}
	return name
}

// isYouthUnion recognises a Youth Union body ("Tỉnh đoàn Thanh Hóa",
// "Đoàn Thanh niên Cộng sản Hồ Chí Minh …").
func isYouthUnion(name string) bool {
	f := folded(name)
	for _, p := range []string{"tinh doan", "thanh doan", "huyen doan", "doan thanh nien", "doan tncs"} {
		if strings.HasPrefix(f, p) || strings.Contains(f, " "+p) {
			return true
		}
	}
	return false
}

// headOf is the title of the head of a body by the first words of its
// name ("Sở …" → "GIÁM ĐỐC").
func headOf(name string) string {
	f := folded(name)
	for _, h := range [][2]string{
		{"so ", "GIÁM ĐỐC"}, {"dai ", "GIÁM ĐỐC"}, {"ban ", "TRƯỞNG BAN"}, {"van phong", "CHÁNH VĂN PHÒNG"},
		{"thanh tra", "CHÁNH THANH TRA"}, {"bao ", "TỔNG BIÊN TẬP"}, {"uy ban kiem tra", "CHỦ NHIỆM"},
	} {
		if strings.HasPrefix(f, h[0]) {
			return h[1]
		}
	}
	return "THỦ TRƯỞNG CƠ QUAN"
}

// IssuerFor works out who issues a document of unit u (ancestors root
// first) on the given side. The rules:
//
//   - A place (a province, a commune, a ward…) never issues: its organ on
//     the report's side does — the Party committee for a Party report, the
//     People's Committee otherwise. The organ is taken from the tree when
//     the place has it as a child (for a province's Party reports, the
//     committee's Mass Mobilisation Commission, which reports for it);
//     otherwise it is written from the place's name ("ĐẢNG ỦY PHƯỜNG HẠC
//     THÀNH" under "ĐẢNG BỘ TỈNH THANH HÓA"; "ỦY BAN NHÂN DÂN / PHƯỜNG HẠC
//     THÀNH") and numbered in a register of the place for that organ.
//   - A body issues itself, in the form of its kind: see [DeriveIssuer].
func IssuerFor(u org.Unit, ancestors []org.Unit, side Side, kids Lookup) Issuer {
	if !placeKinds[u.Kind] {
		return DeriveIssuer(u, ancestors)
	}
	chain := append(append([]org.Unit(nil), ancestors...), u)
	if kids != nil {
		for _, k := range kids(u.ID) {
			switch {
			case side == SideParty && k.Kind == org.KindPartyCommittee:
				is := DeriveIssuer(k, chain)
				if u.Kind == org.KindProvince {
					for _, b := range kids(k.ID) {
						if b.Kind == org.KindPartyCommission && strings.Contains(folded(b.Name), "dan van") {
							is = DeriveIssuer(b, append(chain, k))
							break
						}
					}
				}
				is.Via = k.ID
				return is
			case side == SideState && k.Kind == org.KindPeoplesCommittee:
				is := DeriveIssuer(k, chain)
				is.Via = k.ID
				return is
			}
		}
	}
	is := Issuer{Place: PlaceName(u, ancestors), UnitID: u.ID}
	name := strings.TrimSpace(u.Name)
	if side == SideParty {
		is.Form, is.Organ, is.Committee = docx.FormParty, OrganParty, true
		is.Collective, is.Head = "BAN THƯỜNG VỤ", "BÍ THƯ"
		if u.Kind == org.KindProvince {
			is.Body = "TỈNH ỦY " + upper(PlaceName(u, nil))
			is.Abbrev, is.Name = "TU", "Tỉnh ủy "+PlaceName(u, nil)
			return is
		}
		is.Body = "ĐẢNG ỦY " + upper(name)
		if p := placeAbove(ancestors); p != nil {
			is.Superior = "ĐẢNG BỘ " + upper(p.Name)
		}
		is.Collective, is.Abbrev, is.Name = "ĐẢNG ỦY", "ĐU", "Đảng ủy "+lowerFirst(name)
		return is
	}
	is.Form, is.Organ = docx.FormState, OrganState
	is.Body = "ỦY BAN NHÂN DÂN\n" + upper(name)
	is.Abbrev, is.Collective, is.Head = "UBND", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
	is.Name = "UBND " + lowerFirst(name)
	return is
}

// DeriveIssuer works out the header lines, the form, the abbreviation and
// the signing titles of a body from its place in the tree (ancestors root
// first). A place given here is written as its People's Committee (see
// [IssuerFor] for the rule).
//
//   - Party bodies (Guideline 36-HD/VPTW): a party committee ("Tỉnh ủy
//     Thanh Hóa") is one line, abbreviated by its committee words ("TU"),
//     signed "T/M BAN THƯỜNG VỤ"; a grassroots committee ("Đảng ủy xã …")
//     is written under "ĐẢNG BỘ" and the place above, signed "T/M ĐẢNG
//     ỦY"; a body under a committee ("Ban Dân vận Tỉnh ủy") is written
//     under the committee's name without the committee words, abbreviated
//     by the initials of its name ("BDVTU"), signed by its head (a deputy
//     "K/T TRƯỞNG BAN"); the committee's Standing Board issues as the
//     committee.
//   - State bodies (Decree 30/2020/NĐ-CP): a People's Committee or Council
//     is written in two lines ("ỦY BAN NHÂN DÂN / TỈNH THANH HÓA"),
//     numbered "UBND" / "HĐND", signed "TM. ỦY BAN NHÂN DÂN" / "TM.
//     THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN"; a department or agency is written
//     under its superior ("UBND TỈNH THANH HÓA / SỞ NỘI VỤ"), abbreviated
//     by its initials ("SNV"), signed by its head ("GIÁM ĐỐC", a deputy
//     "KT. GIÁM ĐỐC").
//   - The Fatherland Front takes the heading of its own guidance: "ỦY BAN
//     MTTQ VIỆT NAM / TỈNH THANH HÓA" with the national title and motto,
//     numbered "MTTQ-BTT", signed "TM. BAN THƯỜNG TRỰC".
//   - Mass organisations: the Youth Union writes "ĐOÀN TNCS HỒ CHÍ MINH"
//     top right, "BCH ĐOÀN TỈNH …" and "***", numbered "Số: 12-BC/TĐTN";
//     the others (Women's Union, Farmers', Veterans', Trade Union) write
//     their own name as the body with the national title and motto, as the
//     Front does, numbered by their initials ("HLHPN"), signed "TM. BAN
//     THƯỜNG VỤ". Their charters' guidance differs in details (a superior
//     line, the numbering): a body whose form differs is given its
//     lines through [Options].Issuer.
func DeriveIssuer(u org.Unit, ancestors []org.Unit) Issuer {
	if placeKinds[u.Kind] {
		return IssuerFor(u, ancestors, SideState, nil)
	}
	is := Issuer{Body: upper(u.Name), Place: PlaceName(u, ancestors), UnitID: u.ID, Name: shortName(u.Name)}
	words := strings.Fields(u.Name)
	var parent *org.Unit
	if len(ancestors) > 0 {
		parent = &ancestors[len(ancestors)-1]
	}
	switch {
	case partyKinds[u.Kind]:
		is.Form = docx.FormParty
		deriveParty(&is, u, ancestors)
		return is
	case u.Kind == org.KindMassOrg && isYouthUnion(u.Name):
		is.Form = docx.FormYouth
		if p := placeAbove(ancestors); p != nil {
			is.Body = "BCH ĐOÀN " + upper(p.Name)
		}
		is.Abbrev, is.Collective, is.Head = "TĐTN", "BAN THƯỜNG VỤ", "BÍ THƯ"
		return is
	case u.Kind == org.KindPeoplesCommittee || u.Kind == org.KindPeoplesCouncil:
		is.Form = docx.FormState
		core, _ := splitPlace(u.Name)
		is.Body = upper(core)
		if p := placeOf(u.Name, ancestors); p != "" {
			is.Body += "\n" + upper(p)
			is.Name = shortName(core) + " " + lowerFirst(p)
		}
		is.Abbrev, is.Collective, is.Head = "UBND", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
		if u.Kind == org.KindPeoplesCouncil {
			is.Abbrev, is.Collective = "HĐND", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN"
		}
		return is
	case u.Kind == org.KindFatherlandFront:
		is.Form = docx.FormFront
		if p := placeOf(u.Name, ancestors); p != "" && strings.Contains(folded(u.Name), "mat tran") {
			is.Body = "ỦY BAN MTTQ VIỆT NAM\n" + upper(p)
			is.Name = "Ủy ban MTTQ Việt Nam " + lowerFirst(p)
		}
		is.Abbrev, is.Collective, is.Head = "MTTQ-BTT", "BAN THƯỜNG TRỰC", "CHỦ TỊCH"
		return is
	case u.Kind == org.KindMassOrg:
		is.Form = docx.FormFront
		core, _ := splitPlace(u.Name)
		if p := placeOf(u.Name, ancestors); p != "" {
			is.Body = upper(core) + "\n" + upper(p)
			is.Name = core + " " + lowerFirst(p)
		}
		is.Abbrev, is.Collective, is.Head = initials(strings.Fields(core)), "BAN THƯỜNG VỤ", "CHỦ TỊCH"
		return is
	}
	// Departments and other State agencies.
	is.Form = docx.FormState
	is.Head = headOf(u.Name)
	if parent != nil && !placeKinds[parent.Kind] {
		sup := parent.Name
		if parent.Kind == org.KindPeoplesCommittee || parent.Kind == org.KindPeoplesCouncil {
			core, _ := splitPlace(parent.Name)
			sup = core + " " + placeOf(parent.Name, ancestors[:len(ancestors)-1])
		}
		is.Superior = upper(shortName(sup))
	}
	core, _ := splitPlace(u.Name)
	is.Abbrev = initials(strings.Fields(core))
	if len(words) == 0 {
		is.Abbrev = ""
	}
	return is
}

// deriveParty fills the lines of a Party body.
func deriveParty(is *Issuer, u org.Unit, ancestors []org.Unit) {
	words := strings.Fields(u.Name)
	if u.Kind == org.KindPartyCommittee {
		is.Committee, is.Head = true, "BÍ THƯ"
		cw := committeeWords(u.Name)
		if cw != nil {
			is.Abbrev = initials(cw)
		} else {
			is.Abbrev = initials(words)
		}
		is.Collective = "BAN THƯỜNG VỤ"
		if cw != nil && folded(cw[0]) == "dang" {
			// A grassroots committee: under the Party organisation above.
			is.Collective = "ĐẢNG ỦY"
			own := folded(strings.Join(words[len(cw):], " "))
			for i := len(ancestors) - 1; i >= 0; i-- {
				a := ancestors[i]
				if placeKinds[a.Kind] && !strings.HasSuffix(own, folded(a.Name)) && !strings.HasSuffix(folded(a.Name), own) {
					is.Superior = "ĐẢNG BỘ " + upper(a.Name)
					break
				}
			}
		}
		return
	}
	var committee *org.Unit
	var chain []org.Unit
	for i := len(ancestors) - 1; i >= 0; i-- {
		if ancestors[i].Kind == org.KindPartyCommittee {
			committee, chain = &ancestors[i], ancestors[:i]
			break
		}
	}
	if committee != nil && u.Kind == org.KindPartyOrgan && strings.HasPrefix(folded(u.Name), "ban thuong vu") {
		// The Standing Board issues as its committee, in the committee's register.
		*is = DeriveIssuer(*committee, chain)
		return
	}
	is.Head = headOf(u.Name)
	if committee == nil {
		is.Abbrev = initials(words)
		return
	}
	is.Superior = upper(committee.Name)
	if cw := committeeWords(committee.Name); cw != nil && len(words) > len(cw) {
		tail := words[len(words)-len(cw):]
		if folded(strings.Join(tail, " ")) == folded(strings.Join(cw, " ")) {
			is.Body = upper(strings.Join(words[:len(words)-len(cw)], " "))
		}
	}
	is.Abbrev = initials(words)
}

// PlaceName is the place in the place-and-date line: the commune-level
// place the body sits in, else the root unit, without its kind ("Phường
// Hạc Thành" → "Hạc Thành", "Tỉnh Thanh Hóa" → "Thanh Hóa").
func PlaceName(u org.Unit, ancestors []org.Unit) string {
	root := u
	if len(ancestors) > 0 {
		root = ancestors[0]
	}
	chain := append(append([]org.Unit(nil), ancestors...), u)
	for i := len(chain) - 1; i >= 0; i-- {
		if localKinds[chain[i].Kind] {
			root = chain[i]
			break
		}
	}
	name := strings.TrimSpace(root.Name)
	for _, p := range []string{"Tỉnh ủy ", "Thành ủy ", "Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", "TP. ", "Phường ", "Xã ", "Thị trấn ", "Đặc khu "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimSpace(strings.TrimPrefix(name, p))
		}
	}
	return name
}

// DocNumber is the number line of a document of kind (KindReport) in
// form f: Party "Số 12-BC/BDVTU" (no colon), State and Front "Số:
// 12/BC-SNV", Youth Union "Số: 12-BC/TĐTN". n 0 leaves room to write the
// number by hand.
func DocNumber(f docx.Form, n int, kind, abbrev string) string {
	num := "     "
	if n > 0 {
		num = strconv.Itoa(n)
	}
	switch f {
	case docx.FormState, docx.FormFront:
		if abbrev == "" {
			return "Số: " + num + "/" + kind
		}
		return "Số: " + num + "/" + kind + "-" + abbrev
	case docx.FormYouth:
		return "Số: " + num + "-" + kind + "/" + abbrev
	}
	if abbrev == "" {
		return "Số " + num + "-" + kind
	}
	return "Số " + num + "-" + kind + "/" + abbrev
}

// Number is the number line of a Party report: "Số 12-BC/BTGDVTU".
func Number(n int64, abbrev string) string {
	return DocNumber(docx.FormParty, int(n), KindReport, abbrev)
}

// Signer is who signs: a full name and a position ("Phó Giám đốc").
type Signer struct {
	Name     string
	Position string
}

// Sign is the signature block of the issuer for a signer. A signer whose
// position is a deputy's ("Phó …") of a body signed by its head signs
// for the head ("KT. GIÁM ĐỐC" / Party "K/T TRƯỞNG BAN"); a collective
// body is named after "TM." (Party "T/M"); without a position the head's
// title stands.
func Sign(is Issuer, s Signer) docx.Signature {
	party := is.Form == docx.FormParty
	tm, kt := "TM. ", "KT. "
	if party {
		tm, kt = "T/M ", "K/T "
	}
	pos := upper(s.Position)
	deputy := strings.HasPrefix(pos, "PHÓ ")
	sig := docx.Signature{Name: strings.TrimSpace(s.Name)}
	head := is.Head
	if head == "" {
		head = "THỦ TRƯỞNG CƠ QUAN"
	}
	if pos == "" {
		pos = head
	}
	if is.Collective != "" {
		sig.Authority = tm + is.Collective
		if deputy && !party {
			sig.Acting = kt + head
		}
		sig.Role = pos
		return sig
	}
	if deputy {
		sig.Authority, sig.Role = kt+head, pos
		return sig
	}
	sig.Authority = pos
	return sig
}

// Recipients is the "Nơi nhận:" list of a document of the issuer, from
// the tree: the Provincial Standing Board and, through it, the
// Mass Mobilisation Commission (every unit reports to them through the
// Commission), then the body directly above the issuer (the organ of the
// place above for a commune's organ; not a committee whose Standing Board
// is listed), then the file copy — never a place. The issuer is never its
// own recipient.
func Recipients(is Issuer, u org.Unit, ancestors []org.Unit, kids Lookup) []string {
	var out []string
	seen := map[string]bool{folded(is.Name): true}
	add := func(name string, report bool) {
		name = strings.TrimSpace(shortName(name))
		if name == "" || seen[folded(name)] {
			return
		}
		seen[folded(name)] = true
		if report {
			name = vi.T("documents.recipient_report", name)
		}
		out = append(out, name)
	}
	chain := append(append([]org.Unit(nil), ancestors...), u)
	var boardOf int64 // the committee whose Standing Board is listed
	// The province's Party committee, its Standing Board and its Mass
	// Mobilisation Commission.
	if kids != nil && len(chain) > 0 {
		root := chain[0]
		for _, k := range kids(root.ID) {
			if k.Kind != org.KindPartyCommittee {
				continue
			}
			var board, commission string
			for _, b := range kids(k.ID) {
				f := folded(b.Name)
				switch {
				case b.Kind == org.KindPartyOrgan && strings.HasPrefix(f, "ban thuong vu"):
					board = b.Name
				case b.Kind == org.KindPartyCommission && strings.Contains(f, "dan van"):
					commission = b.Name
				}
			}
			self := is.UnitID == k.ID && is.Organ == ""
			if board != "" && !self {
				add(board, true)
				boardOf = k.ID
			}
			if commission != "" {
				add(commission, false)
			}
			break
		}
	}
	// The body directly above.
	if is.Organ != "" {
		// An organ of a place reports to the same organ of the place above.
		if p := placeAbove(ancestors); p != nil {
			side := SideState
			if is.Organ == OrganParty {
				side = SideParty
			}
			add(IssuerFor(*p, ancestors[:len(ancestors)-1], side, kids).Name, true)
		}
	} else if len(ancestors) > 0 {
		parent := ancestors[len(ancestors)-1]
		// A committee whose Standing Board is listed is not listed again.
		if !placeKinds[parent.Kind] && parent.ID != boardOf {
			pi := DeriveIssuer(parent, ancestors[:len(ancestors)-1])
			add(pi.Name, true)
		}
	}
	out = append(out, vi.T("documents.recipient_file"))
	return out
}
