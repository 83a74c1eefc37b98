package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

// formCase is one issuing body's report, rendered through LibreOffice.
type formCase struct {
	name   string
	unit   org.Unit
	anc    []org.Unit
	side   Side
	signer Signer
	// want are lines the PDF text must hold; absent must not appear.
	want, absent []string
}

// formTree is a small province: the Party committee with its Standing
// Board and Mass Mobilisation Commission, the People's Committee with a
// department, the Fatherland Front, and a ward.
var (
	formProv  = org.Unit{ID: 1, Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince}
	formTU    = org.Unit{ID: 2, Name: "Tỉnh ủy Thanh Hóa", Kind: org.KindPartyCommittee, ParentID: 1}
	formUBND  = org.Unit{ID: 3, Name: "Ủy ban nhân dân tỉnh", Kind: org.KindPeoplesCommittee, ParentID: 1}
	formMTTQ  = org.Unit{ID: 4, Name: "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", Kind: org.KindFatherlandFront, ParentID: 1}
	formWard  = org.Unit{ID: 5, Name: "Phường Hạc Thành", Kind: org.KindWard, ParentID: 1}
	formBTV   = org.Unit{ID: 6, Name: "Ban Thường vụ Tỉnh ủy", Kind: org.KindPartyOrgan, ParentID: 2}
	formBDV   = org.Unit{ID: 7, Name: "Ban Dân vận Tỉnh ủy", Kind: org.KindPartyCommission, ParentID: 2}
	formSNV   = org.Unit{ID: 8, Name: "Sở Nội vụ", Kind: org.KindDepartment, ParentID: 3}
	formYouth = org.Unit{ID: 9, Name: "Tỉnh đoàn Thanh Hóa", Kind: org.KindMassOrg, ParentID: 4}
	formTree  = map[int64][]org.Unit{1: {formTU, formUBND, formMTTQ, formWard}, 2: {formBTV, formBDV}, 3: {formSNV}, 4: {formYouth}}
)

func formLookup(id int64) []org.Unit { return formTree[id] }

var formCases = []formCase{
	{"state", formSNV, []org.Unit{formProv, formUBND}, SideState, Signer{"Lê Văn Hải", "Phó Giám đốc"},
		[]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND TỈNH THANH HÓA", "SỞ NỘI VỤ", "Số: 12/BC-SNV",
			"Thanh Hóa, ngày 04 tháng 02 năm 2026", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn Hải",
			"Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (để báo cáo);", "- Ban Dân vận Tỉnh ủy;", "- UBND tỉnh Thanh Hóa (để báo cáo);", "- Lưu: VT."},
		[]string{"ĐẢNG CỘNG SẢN VIỆT NAM", "Số 12", "- Tỉnh Thanh Hóa"}},
	{"party", formBDV, []org.Unit{formProv, formTU}, SideParty, Signer{"Nguyễn Thị Hoa", "Trưởng ban"},
		[]string{"ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY THANH HÓA", "BAN DÂN VẬN", "*", "Số 12-BC/BDVTU", "Thanh Hóa, ngày 04 tháng 02 năm 2026",
			"TRƯỞNG BAN", "Nguyễn Thị Hoa", "Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (để báo cáo),", "- Lưu: VT."},
		[]string{"CỘNG HÒA XÃ HỘI", "Số:", "- Ban Dân vận Tỉnh ủy", "- Tỉnh ủy Thanh Hóa"}},
	{"commune", formWard, []org.Unit{formProv}, SideState, Signer{"Trần Minh Tuấn", "Chủ tịch"},
		[]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN", "PHƯỜNG HẠC THÀNH", "Số: 12/BC-UBND",
			"Hạc Thành, ngày 04 tháng 02 năm 2026", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Minh Tuấn", "- UBND tỉnh Thanh Hóa (để báo cáo);", "- Lưu: VT."},
		[]string{"TỈNH THANH HÓA PHƯỜNG", "T/M PHƯỜNG", "TM. PHƯỜNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "- Tỉnh Thanh Hóa"}},
	{"commune-party", formWard, []org.Unit{formProv}, SideParty, Signer{"Phạm Thu Hà", "Phó Bí thư"},
		[]string{"ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY PHƯỜNG HẠC THÀNH", "Số 12-BC/ĐU", "Hạc Thành, ngày 04 tháng 02 năm 2026",
			"T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Phạm Thu Hà", "- Ban Dân vận Tỉnh ủy,"},
		[]string{"CỘNG HÒA XÃ HỘI", "T/M PHƯỜNG"}},
	{"front", formMTTQ, []org.Unit{formProv}, SideState, Signer{"Đỗ Văn Bình", "Phó Chủ tịch"},
		[]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN MTTQ VIỆT NAM", "TỈNH THANH HÓA", "Số: 12/BC-MTTQ-BTT",
			"TM. BAN THƯỜNG TRỰC", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Văn Bình", "- Ban Dân vận Tỉnh ủy;"},
		[]string{"ĐẢNG CỘNG SẢN VIỆT NAM"}},
	{"youth", formYouth, []org.Unit{formProv, formMTTQ}, SideState, Signer{"Vũ Ngọc Anh", "Bí thư"},
		[]string{"ĐOÀN TNCS HỒ CHÍ MINH", "BCH ĐOÀN TỈNH THANH HÓA", "***", "Số: 12-BC/TĐTN", "TM. BAN THƯỜNG VỤ", "BÍ THƯ", "Vũ Ngọc Anh"},
		[]string{"ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI"}},
}

// formReport is a submitted report of unit u numbered 12.
func formReport(t *testing.T, c formCase) []byte {
	t.Helper()
	def, err := report.ParseDefinition([]byte(`{"sections":[{"key":"results","title":{"vi":"Kết quả thực hiện"}}],
	"indicators":[{"code":"trained","name":{"vi":"Số lượt người tham gia tập huấn"},"type":"integer","unit":"lượt người",
	 "disaggregation":{"key":"gender","categories":[{"key":"male","name":{"vi":"Nam"}},{"key":"female","name":{"vi":"Nữ"}}]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	sub := time.Date(2026, 2, 4, 2, 0, 0, 0, time.UTC)
	rep := report.Report{ID: 99, PeriodType: report.Monthly, PeriodYear: 2026, PeriodNumber: 2, PeriodFrom: "2026-01-15", PeriodTo: "2026-02-14",
		Status: report.Submitted, SubmittedAt: &sub, Narrative: map[string]string{"results": "Tổ chức đối thoại với Nhân dân về giải phóng mặt bằng."},
		Values: report.Values{"trained": "1205", "trained.male": "595", "trained.female": "610"}}
	e := ReportExport(rep, report.Template{Definition: def}, c.unit, c.anc, Options{Number: 12, Side: c.side, Lookup: formLookup, Signer: &c.signer})
	var buf bytes.Buffer
	if err := e.Write(&buf, DOCX); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFormsInLibreOffice renders the report of a State body, a Party body,
// a commune (on each side), the Fatherland Front and the Youth Union
// through LibreOffice (soffice --convert-to pdf, then pdftotext) and checks
// the text of each form: the heading, the issuer's lines, the number, the
// place and date, the signature block and "Nơi nhận". Without soffice or
// pdftotext it is skipped, except in strict mode (DANVAN_TEST_STRICT=1, as
// scripts/test.sh sets with CI=true, or DANVAN_TEST_LIBREOFFICE=1), where
// that is a failure.
func TestFormsInLibreOffice(t *testing.T) {
	strict := os.Getenv("DANVAN_TEST_STRICT") == "1" || os.Getenv("DANVAN_TEST_LIBREOFFICE") == "1"
	need := func(name, pkg string) string {
		path, err := exec.LookPath(name)
		if err != nil {
			if strict {
				t.Fatalf("%s is not on PATH (Debian package %s); strict mode requires this test", name, pkg)
			}
			t.Skipf("%s (Debian package %s) not on PATH; set DANVAN_TEST_STRICT=1 to require this test", name, pkg)
		}
		return path
	}
	soffice := need("soffice", "libreoffice-writer-nogui")
	pdftotext := need("pdftotext", "poppler-utils")
	if testing.Short() && !strict {
		t.Skip("short mode")
	}
	dir := t.TempDir()
	var ins []string
	for _, c := range formCases {
		in := filepath.Join(dir, c.name+".docx")
		if err := os.WriteFile(in, formReport(t, c), 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	// One soffice run converts every file.
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir}, ins...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, out)
	}
	for _, c := range formCases {
		pdf := filepath.Join(dir, c.name+".pdf")
		out, err := exec.Command(pdftotext, pdf, "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", c.name, err)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(string(out), "\n") {
			lines[strings.Join(strings.Fields(l), " ")] = true
		}
		text := collapse(string(out))
		for _, w := range c.want {
			// A heading line must be a line of its own; longer text may wrap.
			if !lines[w] && !strings.Contains(text, w) {
				t.Errorf("%s: the PDF lacks %q", c.name, w)
			}
		}
		for _, w := range c.absent {
			if strings.Contains(text, w) {
				t.Errorf("%s: the PDF has %q", c.name, w)
			}
		}
		if strings.Index(text, "- Nam") > strings.Index(text, "- Nữ") {
			t.Errorf("%s: Nữ before Nam", c.name)
		}
		if t.Failed() {
			t.Logf("%s:\n%s", c.name, out)
		}
	}
}

// collapse joins the words of s with single spaces.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
