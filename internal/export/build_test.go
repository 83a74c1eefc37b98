package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

var ctx = context.Background()

const def = `{
 "sections": [{"key":"results","title":{"vi":"Kết quả thực hiện","en":"Results"}},{"key":"next","title":{"vi":"Phương hướng tháng tới"}}],
 "indicators": [
  {"code":"receptions","name":{"vi":"Số cuộc tiếp công dân của người đứng đầu cấp ủy","en":"Citizen receptions"},"type":"integer","unit":"cuộc","min":0},
  {"code":"rate","name":{"vi":"Tỷ lệ giải quyết đúng hạn"},"type":"percent","unit":"%","aggregation":"avg"},
  {"code":"participants","name":{"vi":"Người tham gia"},"type":"integer","unit":"người",
   "disaggregation":{"key":"gender","categories":[{"key":"male","name":{"vi":"Nam"}},{"key":"female","name":{"vi":"Nữ","en":"Women"}}]}},
  {"code":"note","name":{"vi":"Ghi chú"},"type":"text"}
 ]
}`

type fixture struct {
	st                *store.Store
	tpl               report.Template
	province, ban, x1 int64
	rep               report.Report
}

func setup(t *testing.T) fixture {
	t.Helper()
	st := storetest.Open(t)
	sys := audit.System("test")
	rows, err := org.ParseCSV(strings.NewReader(`code,name,kind,parent_code,valid_from,valid_to,remote
P38,Tỉnh Thanh Hóa,province,,2000-01-01,,false
TU,Tỉnh ủy Thanh Hóa,party_committee,P38,2000-01-01,,false
BTGDV,Ban Tuyên giáo và Dân vận Tỉnh ủy,party_commission,TU,2000-01-01,,false
X1,Xã Đông Hoàng,commune,P38,2000-01-01,,false
X2,Phường Hạc Thành,ward,P38,2000-01-01,,false
`), org.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportUnits(ctx, sys, rows); err != nil {
		t.Fatal(err)
	}
	id := func(code string) int64 {
		u, err := st.UnitByCode(ctx, code, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	d, err := report.ParseDefinition([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	// A template of the coordinating commission: a Party template.
	tpl := report.Template{Code: "DV-T", Name: "Báo cáo công tác dân vận tháng", PeriodType: report.Monthly, CutoffDay: 15, Definition: d, Active: true, OwnerUnitID: id("BTGDV")}
	if err := st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []report.Assignment{
		{TemplateID: tpl.ID, UnitID: id("BTGDV"), Deadlines: []report.LevelDeadline{{Level: "province", DaysAfterEnd: 5}}},
		{TemplateID: tpl.ID, UnitID: id("P38"), Kinds: []string{"commune", "ward"}, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2}}},
	} {
		if err := st.CreateSchedule(ctx, sys, &sc); err != nil {
			t.Fatal(err)
		}
	}
	w := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, 2026)[10] // tháng 11 năm 2026
	submit := func(unit int64, d store.ReportDraft) report.Report {
		r, err := st.EnsureReport(ctx, sys, tpl.ID, unit, w)
		if err != nil {
			t.Fatal(err)
		}
		// Numbered in the register of the unit (or of its Party committee
		// for a place), as the service asks.
		k := store.RegisterKey{BodyID: unit, Year: 2026, Kind: export.KindReport}
		if unit != id("BTGDV") {
			k.Organ = export.OrganParty
		}
		r, fe, err := st.SubmitReport(store.WithRegister(ctx, k), sys, r.ID, r.Version, &d)
		if err != nil || len(fe) > 0 {
			t.Fatalf("submit: %v %v", err, fe)
		}
		return r
	}
	rep := submit(id("BTGDV"), store.ReportDraft{
		Narrative: map[string]string{"results": "Ban Thường vụ Tỉnh ủy chỉ đạo xây dựng mô hình \"Dân vận khéo\".\nỦy ban Mặt trận Tổ quốc tham gia."},
		Values:    report.Values{"receptions": "1234", "rate": "87,5", "participants.male": "10", "participants.female": "12", "note": "=1+1"},
	})
	submit(id("X1"), store.ReportDraft{Values: report.Values{"receptions": "3", "rate": "80", "participants.female": "5"}})
	submit(id("X2"), store.ReportDraft{Values: report.Values{"receptions": "4", "rate": "90"}})
	return fixture{st: st, tpl: tpl, province: id("P38"), ban: id("BTGDV"), x1: id("X1"), rep: rep}
}

func docText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			// Text runs only.
			var out strings.Builder
			for _, part := range strings.Split(string(data), "<w:t xml:space=\"preserve\">")[1:] {
				text, _, _ := strings.Cut(part, "</w:t>")
				out.WriteString(text + "\n")
			}
			return strings.NewReplacer("&#34;", "\"", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(out.String())
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

func TestUnitReportExports(t *testing.T) {
	fx := setup(t)
	opt := export.Options{Now: time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)}
	e, rep, err := export.LoadReport(ctx, fx.st, fx.rep.ID, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ID != fx.rep.ID {
		t.Fatal("wrong report")
	}
	if got := e.Filename(export.DOCX); got != "Báo cáo "+itoa(rep.ID)+" - Ban Tuyên giáo và Dân vận Tỉnh ủy - tháng 11 năm 2026.docx" {
		t.Errorf("filename %q", got)
	}
	var buf bytes.Buffer
	if err := e.Write(&buf, export.DOCX); err != nil {
		t.Fatal(err)
	}
	text := docText(t, buf.Bytes())
	sub := rep.SubmittedAt.In(time.FixedZone("ICT", 7*3600))
	for _, want := range []string{
		"TỈNH ỦY THANH HÓA", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số 1-BC/BTGDVTU", "ĐẢNG CỘNG SẢN VIỆT NAM",
		"Thanh Hóa, ngày " + pad2(sub.Day()) + " tháng ", "BÁO CÁO", "công tác dân vận tháng 11 năm 2026",
		"I. KẾT QUẢ THỰC HIỆN", "Ban Thường vụ Tỉnh ủy chỉ đạo xây dựng mô hình \"Dân vận khéo\".", "Ủy ban Mặt trận Tổ quốc tham gia.",
		"II. PHƯƠNG HƯỚNG THÁNG TỚI", "(Không có nội dung.)", "III. CÁC CHỈ TIÊU",
		"Số cuộc tiếp công dân của người đứng đầu cấp ủy", "1.234", "87,5", "- Nữ", "=1+1",
		"Kỳ báo cáo từ ngày 15/10/2026 đến ngày 14/11/2026.", "TRƯỞNG BAN", "Nơi nhận:", "- Tỉnh ủy Thanh Hóa (để báo cáo),", "- Lưu: VT.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	if strings.Contains(text, "Số:") || strings.Contains(text, "Dự thảo") || (rep.ID != 1 && strings.Contains(text, "Số "+itoa(rep.ID)+"-")) {
		t.Error("DOCX has a colon after Số, calls a submitted report a draft, or numbers it by its id")
	}
	if i, j := strings.Index(text, "- Nam"), strings.Index(text, "- Nữ"); i < 0 || j < i {
		t.Error("Nam does not come before Nữ")
	}

	// Options: abbreviation, date, signature.
	opt.Abbrev, opt.Date = "BDVTU", time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	e, _, _ = export.LoadReport(ctx, fx.st, fx.rep.ID, opt)
	buf.Reset()
	if err := e.Write(&buf, export.DOCX); err != nil {
		t.Fatal(err)
	}
	text = docText(t, buf.Bytes())
	if !strings.Contains(text, "-BC/BDVTU") || !strings.Contains(text, "Thanh Hóa, ngày 03 tháng 02 năm 2026") {
		t.Errorf("options not applied:\n%s", text)
	}

	// XLSX: values as numbers, in English headers when asked.
	opt.Locale = i18n.Default().For("en")
	e, _, _ = export.LoadReport(ctx, fx.st, fx.rep.ID, opt)
	buf.Reset()
	if err := e.Write(&buf, export.XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Indicators", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Ban Tuyên giáo và Dân vận Tỉnh ủy" || rows[5][2] != "Indicator" {
		t.Errorf("title/header: %q / %q", rows[0], rows[5])
	}
	find := func(code, cat string) []string {
		for _, r := range rows[6:] {
			if len(r) > 5 && r[1] == code && r[3] == cat {
				return r
			}
		}
		t.Fatalf("no row %s %s in %q", code, cat, rows)
		return nil
	}
	if r := find("receptions", ""); r[5] != "1234" || r[2] != "Citizen receptions" {
		t.Errorf("receptions row %q", r)
	}
	if r := find("rate", ""); r[5] != "87.5" {
		t.Errorf("rate row %q", r)
	}
	if r := find("participants", "Women"); r[5] != "12" {
		t.Errorf("women row %q", r)
	}

	// CSV: UTF-8 with BOM, the formula-like text value defused.
	buf.Reset()
	opt.Locale = i18n.Locale{}
	e, _, _ = export.LoadReport(ctx, fx.st, fx.rep.ID, opt)
	if err := e.Write(&buf, export.CSV); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], "|") != "TT|Mã|Chỉ tiêu|Phân tổ|Đơn vị tính|Kết quả" {
		t.Errorf("CSV header %q", recs[0])
	}
	var note []string
	for _, r := range recs {
		if r[1] == "note" {
			note = r
		}
	}
	if note == nil || note[5] != "'=1+1" {
		t.Errorf("note row %q", note)
	}
}

func TestConsolidatedExports(t *testing.T) {
	fx := setup(t)
	// The commission's head signs the consolidated report.
	sys := audit.System("test")
	head := account.User{Username: "hoa", FullName: "Nguyễn Thị Hoa", PasswordHash: "x"}
	if err := fx.st.CreateUser(ctx, sys, &head); err != nil {
		t.Fatal(err)
	}
	if err := fx.st.SetPosition(ctx, sys, head.ID, "Phó Trưởng ban Thường trực"); err != nil {
		t.Fatal(err)
	}
	if err := fx.st.AddGrant(ctx, sys, head.ID, authz.RoleUnitHead, fx.ban); err != nil {
		t.Fatal(err)
	}
	opt := export.Options{Now: time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)}
	e, err := export.LoadConsolidated(ctx, fx.st, export.Query{TemplateID: fx.tpl.ID, UnitID: fx.province, Year: 2026, Number: 11}, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.Write(&buf, export.DOCX); err != nil {
		t.Fatal(err)
	}
	text := docText(t, buf.Bytes())
	for _, want := range []string{"TỈNH ỦY THANH HÓA", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số      -BC/BTGDVTU", "Thanh Hóa, ngày 25 tháng 11 năm 2026", "tổng hợp công tác dân vận tháng 11 năm 2026",
		"KẾT QUẢ TỔNG HỢP CÁC CHỈ TIÊU", "Số cuộc tiếp công dân của người đứng đầu cấp ủy", "Xã Đông Hoàng", "Phường Hạc Thành", "Trung bình",
		"K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Nguyễn Thị Hoa"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	// The Provincial Party Committee is the issuing commission's own
	// branch, not a unit reporting to it.
	if strings.Contains(text, "\nTỉnh ủy Thanh Hóa\n") {
		t.Errorf("the Party committee is listed as a unit:\n%s", text)
	}
	if i, j := strings.Index(text, "- Nam"), strings.Index(text, "- Nữ"); i < 0 || j < i {
		t.Errorf("Nam does not come before Nữ:\n%s", text)
	}
	buf.Reset()
	if err := e.Write(&buf, export.XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sl := f.GetSheetList(); len(sl) != 2 || sl[0] != "Chỉ tiêu" || sl[1] != "Đơn vị trực thuộc" {
		t.Fatalf("sheets %q", sl)
	}
	rows, _ := f.GetRows("Chỉ tiêu", excelize.Options{RawCellValue: true})
	hr := 0 // the header row, below the title lines
	for hr < len(rows)-1 && (len(rows[hr]) == 0 || rows[hr][0] != "TT") {
		hr++
	}
	hdr := rows[hr]
	col := map[string]int{}
	for i, h := range hdr {
		col[h] = i
	}
	for _, h := range []string{"Tổng hợp", "Xã Đông Hoàng", "Phường Hạc Thành"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("header %q lacks %q", hdr, h)
		}
	}
	var got []string
	for _, r := range rows[hr+1:] {
		if len(r) > 3 && r[1] == "receptions" && r[3] == "" {
			got = r
		}
	}
	if got == nil || got[col["Tổng hợp"]] != "1241" || got[col["Xã Đông Hoàng"]] != "3" || got[col["Phường Hạc Thành"]] != "4" {
		t.Errorf("receptions row %q (header %q)", got, hdr)
	}
	if _, ok := col["Tỉnh ủy Thanh Hóa"]; ok {
		t.Errorf("the issuer's own branch is a column: %q", hdr)
	}
	// Print set-up: A4 landscape, one page wide, the title and header rows
	// on every page.
	for _, sheet := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v", sheet, pl)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page (%v)", sheet, err)
		}
	}
	titles := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == "Chỉ tiêu" && strings.HasSuffix(dn.RefersTo, "!$1:$"+strconv.Itoa(hr+1)) {
			titles = true
		}
	}
	if !titles {
		t.Errorf("no print titles: %+v", f.GetDefinedName())
	}
	if rows[2][0] != "Kỳ báo cáo: 15/10/2026 – 14/11/2026" {
		t.Errorf("period line %q", rows[2][0])
	}
	buf.Reset()
	if err := e.Write(&buf, export.CSV); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) || !strings.Contains(buf.String(), "Xã Đông Hoàng") {
		t.Error("consolidated CSV lacks the BOM or the unit columns")
	}
	if _, err := export.LoadConsolidated(ctx, fx.st, export.Query{TemplateID: fx.tpl.ID, UnitID: fx.province, Year: 2026, Number: 13}, opt); err == nil {
		t.Error("month 13 accepted")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func pad2(n int) string { return fmt.Sprintf("%02d", n) }
