package export

import (
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

func TestDeriveIssuer(t *testing.T) {
	prov := org.Unit{ID: 1, Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince}
	tu := org.Unit{ID: 2, Name: "Tỉnh ủy Thanh Hóa", Kind: org.KindPartyCommittee, ParentID: 1}
	ubnd := org.Unit{ID: 3, Name: "Ủy ban nhân dân tỉnh", Kind: org.KindPeoplesCommittee, ParentID: 1}
	district := org.Unit{ID: 4, Name: "Huyện Đông Sơn", Kind: org.KindDistrict, ParentID: 1}
	for _, c := range []struct {
		unit                   org.Unit
		anc                    []org.Unit
		superior, body, abbrev string
		committee              bool
	}{
		{org.Unit{Name: "Ban Tuyên giáo và Dân vận Tỉnh ủy", Kind: org.KindPartyCommission}, []org.Unit{prov, tu}, "TỈNH ỦY THANH HÓA", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "BTGDVTU", false},
		{org.Unit{Name: "Ban Dân vận Tỉnh ủy", Kind: org.KindPartyCommission}, []org.Unit{prov, tu}, "TỈNH ỦY THANH HÓA", "BAN DÂN VẬN", "BDVTU", false},
		{org.Unit{Name: "Văn phòng Tỉnh ủy", Kind: org.KindPartyOrgan}, []org.Unit{prov, tu}, "TỈNH ỦY THANH HÓA", "VĂN PHÒNG", "VPTU", false},
		{tu, []org.Unit{prov}, "", "TỈNH ỦY THANH HÓA", "TU", true},
		{org.Unit{Name: "Đảng ủy xã Đông Hoàng", Kind: org.KindPartyCommittee}, []org.Unit{prov, district}, "", "ĐẢNG ỦY XÃ ĐÔNG HOÀNG", "ĐU", true},
		{ubnd, []org.Unit{prov}, "", "ỦY BAN NHÂN DÂN TỈNH", "UBND", false},
		{org.Unit{Name: "Sở Nội vụ", Kind: org.KindDepartment}, []org.Unit{prov, ubnd}, "ỦY BAN NHÂN DÂN TỈNH", "SỞ NỘI VỤ", "SNV", false},
		{org.Unit{Name: "Xã Đông Hoàng", Kind: org.KindCommune}, []org.Unit{prov, district}, "HUYỆN ĐÔNG SƠN", "XÃ ĐÔNG HOÀNG", "XĐH", false},
		{org.Unit{Name: "Phường Hạc Thành", Kind: org.KindWard}, []org.Unit{prov}, "TỈNH THANH HÓA", "PHƯỜNG HẠC THÀNH", "PHT", false},
		{org.Unit{Name: "Hội Liên hiệp Phụ nữ tỉnh", Kind: org.KindMassOrg}, []org.Unit{prov, {Name: "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", Kind: org.KindFatherlandFront}}, "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH", "HỘI LIÊN HIỆP PHỤ NỮ TỈNH", "HLHPN", false},
	} {
		is := DeriveIssuer(c.unit, c.anc)
		if is.Superior != c.superior || is.Body != c.body || is.Abbrev != c.abbrev || is.Committee != c.committee || is.Place != "Thanh Hóa" {
			t.Errorf("%s: got %+v, want superior %q body %q abbrev %q committee %v place Thanh Hóa", c.unit.Name, is, c.superior, c.body, c.abbrev, c.committee)
		}
	}
}

func TestPlaceName(t *testing.T) {
	for in, want := range map[string]string{"Tỉnh Thanh Hóa": "Thanh Hóa", "Thành phố Hà Nội": "Hà Nội", "Thanh Hóa": "Thanh Hóa", "Tỉnh ủy Nghệ An": "Nghệ An"} {
		if got := PlaceName(org.Unit{Name: in}, nil); got != want {
			t.Errorf("PlaceName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PlaceName(org.Unit{Name: "Xã Đông Hoàng"}, []org.Unit{{Name: "Tỉnh Thanh Hóa"}}); got != "Thanh Hóa" {
		t.Errorf("place from the root = %q", got)
	}
}

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		id     int64
		abbrev string
		want   string
	}{{12, "BTGDVTU", "Số 12-BC/BTGDVTU"}, {1470, "TU", "Số 1470-BC/TU"}, {0, "TU", "Số      -BC/TU"}, {5, "", "Số 5-BC"}} {
		got := Number(c.id, c.abbrev)
		if got != c.want || strings.Contains(got, ":") || !strings.HasPrefix(got, "Số ") {
			t.Errorf("Number(%d, %q) = %q, want %q", c.id, c.abbrev, got, c.want)
		}
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
