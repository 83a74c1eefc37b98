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
)

// TestConsultSynthesisInLibreOffice renders a commune People's Committee's
// synthesis report through LibreOffice and reads the PDF's text: the State
// heading, the issuer, the title, the table by passage and the answers.
// Skipped without soffice or pdftotext unless strict (see
// TestFormsInLibreOffice).
func TestConsultSynthesisInLibreOffice(t *testing.T) {
	strict := os.Getenv("DANVAN_TEST_STRICT") == "1" || os.Getenv("DANVAN_TEST_LIBREOFFICE") == "1"
	soffice, err1 := exec.LookPath("soffice")
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err1 != nil || err2 != nil {
		if strict {
			t.Fatal("soffice and pdftotext are required in strict mode")
		}
		t.Skip("soffice or pdftotext not on PATH")
	}
	if testing.Short() && !strict {
		t.Skip("short mode")
	}
	r := ConsultReport{ID: 7, Unit: formWard, Ancestors: []org.Unit{formProv}, Lookup: formLookup, Title: "Kế hoạch sửa chữa nhà văn hóa thôn năm 2027",
		KindText: "dự thảo kế hoạch", OpensOn: "01/11/2026", ClosesOn: "20/11/2026", On: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Comments: 3,
		Criticisms: []string{"Ủy ban MTTQ Việt Nam phường: văn bản số 12/BC-MTTQ ngày 15/11/2026"},
		Rows:       []ConsultRow{{Label: "Toàn văn dự thảo", Comments: 1, Partly: 1}, {Label: "Điều 2", Comments: 2, Taken: 1, No: 1}},
		Answers:    []ConsultAnswerItem{{Verdict: "Tiếp thu", Explanation: "Đã bổ sung sân chơi cho thiếu nhi.", Answers: "Ý kiến của Lê Thị Mai (Điều 2)"}},
		Conclusion: "Dự thảo đã được chỉnh lý theo ý kiến của Nhân dân.", SignerName: "Trần Minh Tuấn", SignerTitle: "Chủ tịch"}
	var buf bytes.Buffer
	if err := ConsultSynthesis(r).Write(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, r.Filename())
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	out, err := exec.Command(pdftotext, strings.TrimSuffix(in, ".docx")+".pdf", "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := collapse(string(out))
	for _, w := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN", "PHƯỜNG HẠC THÀNH", "/BC-UBND", "Hạc Thành, ngày 25 tháng 11 năm 2026",
		ConsultTitle, "Kế hoạch sửa chữa nhà văn hóa thôn năm 2027", "Nội dung dự thảo", "Tiếp thu một phần", "Toàn văn dự thảo", "Điều 2",
		"12/BC-MTTQ", "Ý kiến của Lê Thị Mai (Điều 2) — Tiếp thu.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Minh Tuấn", "Nơi nhận:", "- Lưu: VT."} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	if strings.Contains(text, "ĐẢNG CỘNG SẢN VIỆT NAM") {
		t.Error("a People's Committee's report in the Party form")
	}
	if t.Failed() {
		t.Log(string(out))
	}
}
