package export

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenReport pins a unit report's document.xml and CSV: any change
// to the document form shows up as a reviewable diff.
func TestGoldenReport(t *testing.T) {
	def, err := report.ParseDefinition([]byte(`{"sections":[{"key":"results","title":{"vi":"Kết quả nổi bật"}},{"key":"next","title":{"vi":"Phương hướng"}}],
	"indicators":[{"code":"receptions","name":{"vi":"Số buổi tiếp công dân"},"type":"integer","unit":"buổi"},
	{"code":"trained","name":{"vi":"Số lượt người tham gia tập huấn"},"type":"integer","unit":"lượt người",
	 "disaggregation":{"key":"gender","categories":[{"key":"female","name":{"vi":"Nữ"}},{"key":"male","name":{"vi":"Nam"}}]}},
	{"code":"satisfaction","name":{"vi":"Tỷ lệ người dân hài lòng"},"type":"percent","unit":"%"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	sub := time.Date(2026, 2, 4, 2, 0, 0, 0, time.UTC)
	rep := report.Report{ID: 42, PeriodType: report.Monthly, PeriodYear: 2026, PeriodNumber: 2, PeriodFrom: "2026-01-15", PeriodTo: "2026-02-14",
		Status: report.Submitted, SubmittedAt: &sub,
		Narrative: map[string]string{"results": "Duy trì tiếp công dân định kỳ; đối thoại với Nhân dân về giải phóng mặt bằng."},
		Values:    report.Values{"receptions": "3", "trained": "1205", "trained.female": "610", "trained.male": "595", "satisfaction": "84,5"}}
	unit := org.Unit{ID: 5, Name: "Ban Tuyên giáo và Dân vận Tỉnh ủy", Kind: org.KindPartyCommission}
	anc := []org.Unit{{ID: 1, Name: "Tỉnh Thanh Hóa", Kind: org.KindProvince}, {ID: 2, Name: "Tỉnh ủy Thanh Hóa", Kind: org.KindPartyCommittee}}
	e := ReportExport(rep, report.Template{Definition: def}, unit, anc, Options{Number: 7, Signer: &Signer{Name: "Nguyễn Thị Hoa", Position: "Phó Trưởng ban"}})
	var buf bytes.Buffer
	if err := e.Write(&buf, DOCX); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			doc, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	var csvBuf bytes.Buffer
	if err := e.Write(&csvBuf, CSV); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"report.document.xml": doc, "report.csv": csvBuf.Bytes()} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./internal/export -run Golden -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file (go test ./internal/export -run Golden -update, then review the diff)", name)
		}
	}
	if !bytes.Contains(doc, []byte("Thanh Hóa, ngày 04 tháng 02 năm 2026")) || !bytes.Contains(doc, []byte("Số 7-BC/BTGDVTU")) {
		t.Error("place-and-date or number line wrong")
	}
}
