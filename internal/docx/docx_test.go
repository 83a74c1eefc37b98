package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func sample() *Document {
	d := New(Header{
		Superior: "TỈNH ỦY THANH HÓA",
		Body:     "BAN TUYÊN GIÁO VÀ DÂN VẬN",
		Number:   "Số 12-BC/BTGDVTU",
		Place:    "Thanh Hóa",
		Date:     time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
	}, "BÁO CÁO", "công tác dân vận tháng 11 năm 2026")
	d.Creator = "danvan"
	d.Heading("I. KẾT QUẢ THỰC HIỆN").
		Paragraph("Ban Thường vụ Tỉnh ủy đã chỉ đạo các cấp ủy, tổ chức đảng thực hiện tốt công tác dân vận.\n\nXây dựng mô hình \"Dân vận khéo\" <gắn> với chuyển đổi số & cải cách hành chính.").
		Heading("II. CÁC CHỈ TIÊU").
		Table([]Column{{Title: "TT", Width: 680, Align: Center}, {Title: "Chỉ tiêu"}, {Title: "Đơn vị tính", Width: 1400, Align: Center}, {Title: "Kết quả", Width: 1500, Align: Right}},
			[][]string{{"1", "Số cuộc tiếp công dân của người đứng đầu cấp ủy", "cuộc", "12"}, {"2", "Số vụ việc đã giải quyết đúng hạn", "vụ", "7"}, {"", "Tổng", "", "19"}},
			[]bool{false, false, true}).
		Heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG TỚI").
		Note("Không có nội dung.")
	d.Sign(Signature{Authority: "T/M BAN THƯỜNG VỤ", Role: "PHÓ BÍ THƯ", Name: "Nguyễn Văn Đức"})
	d.To("Ban Dân vận Trung ương (để b/c)", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Thường trực Tỉnh ủy (để b/c)", "Lưu Văn phòng Tỉnh ủy")
	return d
}

func write(t *testing.T, d *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parts unzips a .docx and checks every part is well-formed XML.
func parts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed XML: %v", f.Name, err)
			}
		}
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s: modified %v, want the fixed time", f.Name, f.Modified)
		}
		out[f.Name] = string(data)
	}
	return out
}

// texts returns the document's text runs joined per paragraph.
func texts(t *testing.T, docXML string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	in := false
	dec := xml.NewDecoder(strings.NewReader(docXML))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if tk.Name.Local == "t" {
				in = true
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "t":
				in = false
			case "p":
				if cur.Len() > 0 {
					out = append(out, cur.String())
				}
				cur.Reset()
			}
		case xml.CharData:
			if in {
				cur.Write(tk)
			}
		}
	}
	return out
}

func TestPackageParts(t *testing.T) {
	p := parts(t, write(t, sample()))
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml", "docProps/core.xml", "word/_rels/document.xml.rels"} {
		if _, ok := p[name]; !ok {
			t.Errorf("missing part %s", name)
		}
	}
	doc := p["word/document.xml"]
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"`,
		`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/>`,
		`<w:sz w:val="28"/>`,
		`<w:jc w:val="both"/>`,
		`<w:ind w:firstLine="720"/>`,
		`<w:tblHeader/>`,
		`<w:u w:val="single"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(p["word/styles.xml"], `w:eastAsia="Times New Roman"`) || !strings.Contains(p["word/styles.xml"], `<w:sz w:val="28"/>`) {
		t.Error("styles.xml: default font is not Times New Roman 14 pt")
	}
	if !strings.Contains(p["docProps/core.xml"], "BÁO CÁO công tác dân vận tháng 11 năm 2026") {
		t.Error("core.xml: title missing")
	}
}

func TestTexts(t *testing.T) {
	ts := texts(t, parts(t, write(t, sample()))["word/document.xml"])
	all := strings.Join(ts, "\n")
	for _, want := range []string{
		"TỈNH ỦY THANH HÓA", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*", "ĐẢNG CỘNG SẢN VIỆT NAM",
		"Thanh Hóa, ngày 25 tháng 11 năm 2026", "BÁO CÁO", "công tác dân vận tháng 11 năm 2026",
		"Ủy", "Xây dựng mô hình \"Dân vận khéo\" <gắn> với chuyển đổi số & cải cách hành chính.",
		"Nơi nhận:", "- Lưu Văn phòng Tỉnh ủy.", "- Ban Dân vận Trung ương (để b/c),",
		"T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Đức", "Số cuộc tiếp công dân của người đứng đầu cấp ủy",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("text %q missing from the document", want)
		}
	}
	var number string
	for _, s := range ts {
		if strings.HasPrefix(s, "Số ") && strings.Contains(s, "-BC/") {
			number = s
		}
	}
	if number != "Số 12-BC/BTGDVTU" || strings.Contains(number, ":") {
		t.Errorf("number line %q: want \"Số 12-BC/BTGDVTU\" without a colon", number)
	}
	// The blank line of the narrative is dropped; two paragraphs remain.
	n := 0
	for _, s := range ts {
		if strings.HasPrefix(s, "Ban Thường vụ") || strings.HasPrefix(s, "Xây dựng") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("narrative paragraphs = %d, want 2", n)
	}
}

func TestPlaceDate(t *testing.T) {
	for _, c := range []struct {
		place string
		date  time.Time
		want  string
	}{
		{"Thanh Hóa", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "Thanh Hóa, ngày 25 tháng 11 năm 2026"},
		{"Thanh Hóa", time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC), "Thanh Hóa, ngày 05 tháng 02 năm 2026"},
		{"Thanh Hóa", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), "Thanh Hóa, ngày 10 tháng 01 năm 2026"},
		{"Hà Nội", time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 09 tháng 3 năm 2025"},
		{"Hà Nội", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), "Hà Nội, ngày 31 tháng 12 năm 2025"},
		{"", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), "ngày 01 tháng 10 năm 2025"},
	} {
		if got := PlaceDate(c.place, c.date); got != c.want {
			t.Errorf("PlaceDate(%q, %s) = %q, want %q", c.place, c.date.Format("2006-01-02"), got, c.want)
		}
	}
}

func TestControlCharactersStayWellFormed(t *testing.T) {
	d := New(Header{Body: "BAN\x00 DÂN VẬN", Number: "Số 1-BC/BDV"}, "BÁO CÁO", "x\x1by")
	d.Paragraph("a\x0cb ]]> </w:t>")
	parts(t, write(t, d)) // fails on malformed XML
}

func TestDeterministicAndGolden(t *testing.T) {
	a, b := write(t, sample()), write(t, sample())
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same document differ")
	}
	doc := parts(t, a)["word/document.xml"]
	golden := filepath.Join("testdata", "report.document.xml")
	if *update {
		if err := os.WriteFile(golden, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "report.docx"), a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if doc != string(want) {
		t.Errorf("document.xml differs from %s (go test ./internal/docx -update, then review the diff)", golden)
	}
	wantZip, err := os.ReadFile(filepath.Join("testdata", "report.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, wantZip) {
		t.Error("report.docx differs from the golden file")
	}
}

// TestLibreOffice converts the sample with LibreOffice (soffice --headless
// --convert-to) and checks that every diacritic survives, in the plain text
// export and in the PDF (pdftotext), that the Vietnamese title is there, and
// that the PDF has the expected number of A4 pages (pdfinfo). Without
// soffice or the poppler tools it is skipped, except in strict mode
// (DANVAN_TEST_STRICT=1, as scripts/test.sh sets with CI=true, or
// DANVAN_TEST_LIBREOFFICE=1), where that is a failure: CI installs them.
func TestLibreOffice(t *testing.T) {
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
	pdfinfo := need("pdfinfo", "poppler-utils")
	if testing.Short() && !strict {
		t.Skip("short mode")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "bao-cao.docx")
	if err := os.WriteFile(in, write(t, sample()), 0o644); err != nil {
		t.Fatal(err)
	}
	convert := func(to string) {
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", to, "--outdir", dir, in)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
		}
	}
	convert("txt:Text (encoded):UTF8")
	txt, err := os.ReadFile(filepath.Join(dir, "bao-cao.txt"))
	if err != nil {
		t.Fatal(err)
	}
	checkDiacritics(t, "text", string(txt))

	convert("pdf")
	pdf := filepath.Join(dir, "bao-cao.pdf")
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	checkDiacritics(t, "pdf", string(out))
	// The title block: the document kind and its subject, with every diacritic.
	for _, want := range []string{"BÁO CÁO", "công tác dân vận tháng 11 năm 2026"} {
		if !strings.Contains(collapseSpace(string(out)), want) {
			t.Errorf("pdf lacks the title %q:\n%s", want, out)
		}
	}
	info, err := exec.Command(pdfinfo, pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	if !strings.Contains(string(info), "595.") {
		t.Errorf("pdf page size is not A4:\n%s", info)
	}
	if got := pdfPages(string(info)); got != samplePages {
		t.Errorf("pdf has %d pages, want %d:\n%s", got, samplePages, info)
	}
}

// samplePages is the number of A4 pages LibreOffice lays the sample out on.
const samplePages = 1

// pdfPages reads "Pages: N" from pdfinfo's output (0 when absent).
func pdfPages(info string) int {
	for _, line := range strings.Split(info, "\n") {
		if rest, ok := strings.CutPrefix(line, "Pages:"); ok {
			n := 0
			for _, c := range strings.TrimSpace(rest) {
				if c < '0' || c > '9' {
					break
				}
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	return 0
}

// collapseSpace joins the words of s with single spaces (pdftotext -layout
// pads and breaks lines).
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func checkDiacritics(t *testing.T, what, s string) {
	t.Helper()
	for _, want := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY THANH HÓA", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số 12-BC/BTGDVTU",
		"ngày 25 tháng 11 năm 2026", "BÁO CÁO", "Ủy", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "Nguyễn Văn Đức", "người đứng đầu cấp ủy"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s conversion lacks %q", what, want)
		}
	}
	if t.Failed() {
		t.Logf("%s conversion:\n%s", what, s)
	}
}

// FuzzText: any text (report narratives come from users) gives well-formed
// parts and comes back unchanged where XML can hold it.
func FuzzText(f *testing.F) {
	f.Add("Ủy ban <b>&amp;</b> \"Dân vận khéo\"", "Số 1-BC/TU")
	f.Add("\x00\x1b\uFFFE]]>", "\xff\xfe")
	f.Fuzz(func(t *testing.T, body, number string) {
		d := New(Header{Body: body, Number: number, Place: body, Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}, body, body)
		d.Heading(body).Paragraph(body).Table([]Column{{Title: body}}, [][]string{{body}, {number}}, nil).Sign(Signature{Name: body}).To(body)
		var buf bytes.Buffer
		if err := d.Write(&buf); err != nil {
			t.Fatal(err)
		}
		parts(t, buf.Bytes())
	})
}

// TestForms: the heading top right, the mark under the body and the
// "Nơi nhận" punctuation follow the form.
func TestForms(t *testing.T) {
	for _, c := range []struct {
		form         Form
		want, absent []string
	}{
		{FormState, []string{NationTitle, NationMotto, "ỦY BAN NHÂN DÂN", "PHƯỜNG HẠC THÀNH", "- UBND tỉnh Thanh Hóa;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}, []string{PartyHeading, "*", YouthHeading}},
		{FormFront, []string{NationTitle, NationMotto}, []string{PartyHeading, "*"}},
		{FormParty, []string{PartyHeading, "*", "- UBND tỉnh Thanh Hóa,"}, []string{NationTitle, "***"}},
		{FormYouth, []string{YouthHeading, "***"}, []string{NationTitle, PartyHeading}},
	} {
		d := New(Header{Form: c.form, Body: "ỦY BAN NHÂN DÂN\nPHƯỜNG HẠC THÀNH", Number: "Số: 3/BC-UBND", Place: "Hạc Thành", Date: time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)}, "BÁO CÁO", "")
		d.Sign(Signature{Authority: "TM. ỦY BAN NHÂN DÂN", Acting: "KT. CHỦ TỊCH", Role: "PHÓ CHỦ TỊCH", Name: "Lê Văn Hải"})
		d.To("UBND tỉnh Thanh Hóa", "Lưu: VT")
		doc := parts(t, write(t, d))["word/document.xml"]
		ts := map[string]bool{}
		for _, s := range texts(t, doc) {
			ts[s] = true
		}
		for _, w := range c.want {
			if !ts[w] {
				t.Errorf("form %d: no line %q", c.form, w)
			}
		}
		for _, w := range c.absent {
			if ts[w] {
				t.Errorf("form %d: line %q", c.form, w)
			}
		}
		// The State heading has rules (bottom borders) under the motto and the body.
		if rules := strings.Count(doc, `<w:pBdr><w:bottom`); c.form.State() != (rules == 2) {
			t.Errorf("form %d: %d rules", c.form, rules)
		}
	}
}
