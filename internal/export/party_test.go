package export

import (
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/docx"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

func TestDeriveIssuer(t *testing.T) {
	prov := org.Unit{ID: 1, Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince}
	tu := org.Unit{ID: 2, Name: "Tỉnh ủy Thanh Hóa", Kind: org.KindPartyCommittee, ParentID: 1}
	ubnd := org.Unit{ID: 3, Name: "Ủy ban nhân dân tỉnh", Kind: org.KindPeoplesCommittee, ParentID: 1}
	district := org.Unit{ID: 4, Name: "Huyện Đông Sơn", Kind: org.KindDistrict, ParentID: 1}
	mttq := org.Unit{ID: 5, Name: "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", Kind: org.KindFatherlandFront, ParentID: 1}
	for _, c := range []struct {
		unit                   org.Unit
		anc                    []org.Unit
		form                   docx.Form
		superior, body, abbrev string
		collective, head       string
		place                  string
	}{
		{org.Unit{Name: "Ban Tuyên giáo và Dân vận Tỉnh ủy", Kind: org.KindPartyCommission}, []org.Unit{prov, tu}, docx.FormParty, "TỈNH ỦY THANH HÓA", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "BTGDVTU", "", "TRƯỞNG BAN", "Thanh Hóa"},
		{org.Unit{Name: "Ban Dân vận Tỉnh ủy", Kind: org.KindPartyCommission}, []org.Unit{prov, tu}, docx.FormParty, "TỈNH ỦY THANH HÓA", "BAN DÂN VẬN", "BDVTU", "", "TRƯỞNG BAN", "Thanh Hóa"},
		{org.Unit{Name: "Văn phòng Tỉnh ủy", Kind: org.KindPartyOrgan}, []org.Unit{prov, tu}, docx.FormParty, "TỈNH ỦY THANH HÓA", "VĂN PHÒNG", "VPTU", "", "CHÁNH VĂN PHÒNG", "Thanh Hóa"},
		{org.Unit{Name: "Ban Thường vụ Tỉnh ủy", Kind: org.KindPartyOrgan}, []org.Unit{prov, tu}, docx.FormParty, "", "TỈNH ỦY THANH HÓA", "TU", "BAN THƯỜNG VỤ", "BÍ THƯ", "Thanh Hóa"},
		{tu, []org.Unit{prov}, docx.FormParty, "", "TỈNH ỦY THANH HÓA", "TU", "BAN THƯỜNG VỤ", "BÍ THƯ", "Thanh Hóa"},
		{org.Unit{Name: "Đảng ủy xã Đông Hoàng", Kind: org.KindPartyCommittee}, []org.Unit{prov, district}, docx.FormParty, "ĐẢNG BỘ HUYỆN ĐÔNG SƠN", "ĐẢNG ỦY XÃ ĐÔNG HOÀNG", "ĐU", "ĐẢNG ỦY", "BÍ THƯ", "Thanh Hóa"},
		{org.Unit{Name: "Đảng ủy phường Hạc Thành", Kind: org.KindPartyCommittee}, []org.Unit{prov, {Name: "Phường Hạc Thành", Kind: org.KindWard}}, docx.FormParty, "ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY PHƯỜNG HẠC THÀNH", "ĐU", "ĐẢNG ỦY", "BÍ THƯ", "Hạc Thành"},
		{ubnd, []org.Unit{prov}, docx.FormState, "", "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA", "UBND", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Thanh Hóa"},
		{org.Unit{Name: "Hội đồng nhân dân tỉnh", Kind: org.KindPeoplesCouncil}, []org.Unit{prov}, docx.FormState, "", "HỘI ĐỒNG NHÂN DÂN\nTỈNH THANH HÓA", "HĐND", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "Thanh Hóa"},
		{org.Unit{Name: "Sở Nội vụ", Kind: org.KindDepartment}, []org.Unit{prov, ubnd}, docx.FormState, "UBND TỈNH THANH HÓA", "SỞ NỘI VỤ", "SNV", "", "GIÁM ĐỐC", "Thanh Hóa"},
		{org.Unit{Name: "Thanh tra tỉnh", Kind: org.KindStateAgency}, []org.Unit{prov, ubnd}, docx.FormState, "UBND TỈNH THANH HÓA", "THANH TRA TỈNH", "TT", "", "CHÁNH THANH TRA", "Thanh Hóa"},
		{mttq, []org.Unit{prov}, docx.FormFront, "", "ỦY BAN MTTQ VIỆT NAM\nTỈNH THANH HÓA", "MTTQ-BTT", "BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Thanh Hóa"},
		{org.Unit{Name: "Hội Liên hiệp Phụ nữ tỉnh", Kind: org.KindMassOrg}, []org.Unit{prov, mttq}, docx.FormFront, "", "HỘI LIÊN HIỆP PHỤ NỮ\nTỈNH THANH HÓA", "HLHPN", "BAN THƯỜNG VỤ", "CHỦ TỊCH", "Thanh Hóa"},
		{org.Unit{Name: "Liên đoàn Lao động tỉnh", Kind: org.KindMassOrg}, []org.Unit{prov, mttq}, docx.FormFront, "", "LIÊN ĐOÀN LAO ĐỘNG\nTỈNH THANH HÓA", "LĐLĐ", "BAN THƯỜNG VỤ", "CHỦ TỊCH", "Thanh Hóa"},
		{org.Unit{Name: "Tỉnh đoàn Thanh Hóa", Kind: org.KindMassOrg}, []org.Unit{prov, mttq}, docx.FormYouth, "", "BCH ĐOÀN TỈNH THANH HÓA", "TĐTN", "BAN THƯỜNG VỤ", "BÍ THƯ", "Thanh Hóa"},
		// A place given alone is written as its People's Committee.
		{org.Unit{Name: "Phường Hạc Thành", Kind: org.KindWard}, []org.Unit{prov}, docx.FormState, "", "ỦY BAN NHÂN DÂN\nPHƯỜNG HẠC THÀNH", "UBND", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hạc Thành"},
	} {
		is := DeriveIssuer(c.unit, c.anc)
		if is.Form != c.form || is.Superior != c.superior || is.Body != c.body || is.Abbrev != c.abbrev || is.Collective != c.collective || is.Head != c.head || is.Place != c.place {
			t.Errorf("%s: got %+v\nwant form %d superior %q body %q abbrev %q collective %q head %q place %q", c.unit.Name, is, c.form, c.superior, c.body, c.abbrev, c.collective, c.head, c.place)
		}
	}
}

// TestIssuerFor: a place never issues; its organ on the report's side does,
// from the tree when the tree holds it.
func TestIssuerFor(t *testing.T) {
	prov := org.Unit{ID: 1, Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince}
	ward := org.Unit{ID: 9, Name: "Phường Hạc Thành", Kind: org.KindWard, ParentID: 1}
	tree := map[int64][]org.Unit{
		1: {{ID: 2, Name: "Tỉnh ủy Thanh Hóa", Kind: org.KindPartyCommittee, ParentID: 1}, {ID: 3, Name: "Ủy ban nhân dân tỉnh", Kind: org.KindPeoplesCommittee, ParentID: 1}, ward},
		2: {{ID: 6, Name: "Ban Thường vụ Tỉnh ủy", Kind: org.KindPartyOrgan, ParentID: 2}, {ID: 7, Name: "Ban Dân vận Tỉnh ủy", Kind: org.KindPartyCommission, ParentID: 2}},
	}
	kids := func(id int64) []org.Unit { return tree[id] }
	for _, c := range []struct {
		name                   string
		u                      org.Unit
		anc                    []org.Unit
		side                   Side
		kids                   Lookup
		superior, body, number string
		unit                   int64
		organ                  string
		via                    int64
		sign                   docx.Signature
		signer                 Signer
		recipients             []string
	}{
		{"commune, State side", ward, []org.Unit{prov}, SideState, kids, "", "ỦY BAN NHÂN DÂN\nPHƯỜNG HẠC THÀNH", "Số: 7/BC-UBND", 9, OrganState, 0,
			docx.Signature{Authority: "TM. ỦY BAN NHÂN DÂN", Acting: "KT. CHỦ TỊCH", Role: "PHÓ CHỦ TỊCH", Name: "Lê Văn Hải"}, Signer{"Lê Văn Hải", "Phó Chủ tịch"},
			[]string{"Ban Thường vụ Tỉnh ủy (để báo cáo)", "Ban Dân vận Tỉnh ủy", "UBND tỉnh Thanh Hóa (để báo cáo)", "Lưu: VT"}},
		{"commune, Party side", ward, []org.Unit{prov}, SideParty, kids, "ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY PHƯỜNG HẠC THÀNH", "Số 7-BC/ĐU", 9, OrganParty, 0,
			docx.Signature{Authority: "T/M ĐẢNG ỦY", Role: "BÍ THƯ", Name: "Trần Thị Mai"}, Signer{"Trần Thị Mai", "Bí thư"},
			[]string{"Ban Thường vụ Tỉnh ủy (để báo cáo)", "Ban Dân vận Tỉnh ủy", "Lưu: VT"}},
		{"province, Party side: the commission", prov, nil, SideParty, kids, "TỈNH ỦY THANH HÓA", "BAN DÂN VẬN", "Số 7-BC/BDVTU", 7, "", 2,
			docx.Signature{Authority: "K/T TRƯỞNG BAN", Role: "PHÓ TRƯỞNG BAN", Name: "Nguyễn Văn An"}, Signer{"Nguyễn Văn An", "Phó Trưởng ban"},
			[]string{"Ban Thường vụ Tỉnh ủy (để báo cáo)", "Lưu: VT"}},
		{"province, State side", prov, nil, SideState, kids, "", "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA", "Số: 7/BC-UBND", 3, "", 3,
			docx.Signature{Authority: "TM. ỦY BAN NHÂN DÂN", Role: "CHỦ TỊCH"}, Signer{},
			[]string{"Ban Thường vụ Tỉnh ủy (để báo cáo)", "Ban Dân vận Tỉnh ủy", "Lưu: VT"}},
		{"commune without a tree", ward, []org.Unit{prov}, SideState, nil, "", "ỦY BAN NHÂN DÂN\nPHƯỜNG HẠC THÀNH", "Số: 7/BC-UBND", 9, OrganState, 0,
			docx.Signature{Authority: "TM. ỦY BAN NHÂN DÂN", Role: "CHỦ TỊCH", Name: "Lê Hà"}, Signer{"Lê Hà", "Chủ tịch"},
			[]string{"UBND tỉnh Thanh Hóa (để báo cáo)", "Lưu: VT"}},
	} {
		is := IssuerFor(c.u, c.anc, c.side, c.kids)
		if is.Superior != c.superior || is.Body != c.body || is.UnitID != c.unit || is.Organ != c.organ || is.Via != c.via {
			t.Errorf("%s: got %+v", c.name, is)
		}
		if got := DocNumber(is.Form, 7, KindReport, is.Abbrev); got != c.number {
			t.Errorf("%s: number %q, want %q", c.name, got, c.number)
		}
		if got := Sign(is, c.signer); got != c.sign {
			t.Errorf("%s: signature %+v, want %+v", c.name, got, c.sign)
		}
		if got := Recipients(is, c.u, c.anc, c.kids); strings.Join(got, "|") != strings.Join(c.recipients, "|") {
			t.Errorf("%s: recipients %q, want %q", c.name, got, c.recipients)
		}
		for _, r := range Recipients(is, c.u, c.anc, c.kids) {
			if strings.HasPrefix(r, "Tỉnh Thanh Hóa") || strings.HasPrefix(r, "Phường") {
				t.Errorf("%s: a place among the recipients: %q", c.name, r)
			}
		}
	}
}

func TestSign(t *testing.T) {
	dept := Issuer{Form: docx.FormState, Head: "GIÁM ĐỐC"}
	commission := Issuer{Form: docx.FormParty, Head: "TRƯỞNG BAN"}
	committee := Issuer{Form: docx.FormParty, Collective: "BAN THƯỜNG VỤ", Head: "BÍ THƯ"}
	for _, c := range []struct {
		is   Issuer
		s    Signer
		want docx.Signature
	}{
		{dept, Signer{"Lê Văn Hải", "Phó Giám đốc"}, docx.Signature{Authority: "KT. GIÁM ĐỐC", Role: "PHÓ GIÁM ĐỐC", Name: "Lê Văn Hải"}},
		{dept, Signer{"Lê Văn Hải", "Giám đốc"}, docx.Signature{Authority: "GIÁM ĐỐC", Name: "Lê Văn Hải"}},
		{dept, Signer{}, docx.Signature{Authority: "GIÁM ĐỐC"}},
		{commission, Signer{"Hà Thu", "Trưởng ban"}, docx.Signature{Authority: "TRƯỞNG BAN", Name: "Hà Thu"}},
		{committee, Signer{"Lại Thế Nguyên", "Phó Bí thư Thường trực"}, docx.Signature{Authority: "T/M BAN THƯỜNG VỤ", Role: "PHÓ BÍ THƯ THƯỜNG TRỰC", Name: "Lại Thế Nguyên"}},
	} {
		if got := Sign(c.is, c.s); got != c.want {
			t.Errorf("Sign(%+v, %+v) = %+v, want %+v", c.is, c.s, got, c.want)
		}
	}
}

func TestSideOf(t *testing.T) {
	if SideOf(org.Unit{Kind: org.KindPartyCommission}) != SideParty || SideOf(org.Unit{Kind: org.KindDepartment}) != SideState || SideOf(org.Unit{}) != SideState {
		t.Error("side of a template's owner")
	}
}

func TestPlaceName(t *testing.T) {
	for in, want := range map[string]string{"Tỉnh Thanh Hóa": "Thanh Hóa", "Thành phố Hà Nội": "Hà Nội", "Thanh Hóa": "Thanh Hóa", "Tỉnh ủy Nghệ An": "Nghệ An"} {
		if got := PlaceName(org.Unit{Name: in}, nil); got != want {
			t.Errorf("PlaceName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PlaceName(org.Unit{Name: "Xã Đông Hoàng", Kind: org.KindCommune}, []org.Unit{{Name: "Tỉnh Thanh Hóa"}}); got != "Đông Hoàng" {
		t.Errorf("place of a commune = %q", got)
	}
	if got := PlaceName(org.Unit{Name: "Sở Nội vụ", Kind: org.KindDepartment}, []org.Unit{{Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince}}); got != "Thanh Hóa" {
		t.Errorf("place from the root = %q", got)
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		form   docx.Form
		n      int
		abbrev string
		want   string
	}{
		{docx.FormParty, 12, "BTGDVTU", "Số 12-BC/BTGDVTU"}, {docx.FormParty, 1470, "TU", "Số 1470-BC/TU"}, {docx.FormParty, 0, "TU", "Số      -BC/TU"}, {docx.FormParty, 5, "", "Số 5-BC"},
		{docx.FormState, 12, "SNV", "Số: 12/BC-SNV"}, {docx.FormState, 0, "SNV", "Số:      /BC-SNV"}, {docx.FormFront, 3, "MTTQ-BTT", "Số: 3/BC-MTTQ-BTT"},
		{docx.FormYouth, 4, "TĐTN", "Số: 4-BC/TĐTN"},
	} {
		if got := DocNumber(c.form, c.n, KindReport, c.abbrev); got != c.want {
			t.Errorf("DocNumber(%d, %d, %q) = %q, want %q", c.form, c.n, c.abbrev, got, c.want)
		}
	}
	if got := Number(12, "BDVTU"); got != "Số 12-BC/BDVTU" {
		t.Errorf("Number = %q", got)
	}
}

func TestPeriodPhrase(t *testing.T) {
	for _, c := range []struct {
		t    report.Type
		y, n int
		want string
	}{
		{report.Monthly, 2026, 11, "tháng 11 năm 2026"},
		{report.Quarterly, 2025, 3, "quý III năm 2025"},
		{report.SixMonth, 2025, 1, "6 tháng đầu năm 2025"},
		{report.NineMonth, 2025, 1, "9 tháng năm 2025"},
		{report.Annual, 2025, 1, "năm 2025"},
	} {
		if got := PeriodPhrase(c.t, c.y, c.n); got != c.want {
			t.Errorf("PeriodPhrase(%s) = %q, want %q", c.t, got, c.want)
		}
		if got := periodText(c.t, c.y, c.n); got != c.want {
			t.Errorf("periodText(%s) = %q, want %q (catalog)", c.t, got, c.want)
		}
	}
}

func TestVietnameseNumbers(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 12: "12", 1234: "1.234", 1234567.5: "1.234.567,5", -1000: "-1.000", 66.666666: "66,67", 999: "999"} {
		if got := viNumber(in); got != want {
			t.Errorf("viNumber(%v) = %q, want %q", in, got, want)
		}
	}
	if got := viDate("2025-03-14"); got != "14/03/2025" {
		t.Errorf("viDate = %q", got)
	}
}

func TestContentDisposition(t *testing.T) {
	got := ContentDisposition("Báo cáo 12 - Ban Tuyên giáo và Dân vận Tỉnh ủy - tháng 11 năm 2026.docx")
	want := `attachment; filename="Bao-cao-12-Ban-Tuyen-giao-va-Dan-van-Tinh-uy-thang-11-nam-2026.docx"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%2012%20-%20Ban%20Tuy%C3%AAn%20gi%C3%A1o%20v%C3%A0%20D%C3%A2n%20v%E1%BA%ADn%20T%E1%BB%89nh%20%E1%BB%A7y%20-%20th%C3%A1ng%2011%20n%C4%83m%202026.docx`
	if got != want {
		t.Errorf("ContentDisposition:\n got %s\nwant %s", got, want)
	}
	for in, want := range map[string]string{`"; evil=1.csv`: "evil-1.csv", "Đảng ủy.xlsx": "Dang-uy.xlsx", "日本.csv": "export.csv", "a/b\\c\r\n.docx": "a-b-c.docx"} {
		if got := asciiName(in); got != want {
			t.Errorf("asciiName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"docx": DOCX, ".XLSX": XLSX, " csv ": CSV} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "pdf", "doc"} {
		if _, err := ParseFormat(in); err == nil {
			t.Errorf("ParseFormat(%q) accepted", in)
		}
	}
}

// TestReportingChildren: a consolidated document lists the units that
// report, not the bodies beside them nor the issuer's own branch.
func TestReportingChildren(t *testing.T) {
	kid := func(id int64, name string, n int) store.ConsolidatedChild {
		return store.ConsolidatedChild{Unit: org.Unit{ID: id, Name: name}, NReports: n}
	}
	kids := []store.ConsolidatedChild{kid(2, "Tỉnh ủy Thanh Hóa", 3), kid(3, "Hội đồng nhân dân tỉnh", 0), kid(4, "Ủy ban nhân dân tỉnh", 5), kid(5, "Xã Đông Hoàng", 0), kid(6, "Phường Hạc Thành", 1)}
	is := Issuer{UnitID: 7, Via: 2}
	names := func(ks []store.ConsolidatedChild) string {
		var out []string
		for _, k := range ks {
			out = append(out, k.Unit.Name)
		}
		return strings.Join(out, ", ")
	}
	if got := names(reporting(kids, is, map[int64]bool{5: true, 6: true, 7: true})); got != "Xã Đông Hoàng, Phường Hạc Thành" {
		t.Errorf("expected units: %s", got)
	}
	if got := names(reporting(kids, is, nil)); got != "Ủy ban nhân dân tỉnh, Phường Hạc Thành" {
		t.Errorf("without schedules: %s", got)
	}
}
