package export

// The report on the comments received on a draft, "Báo cáo tổng hợp, giải
// trình, tiếp thu ý kiến", that the drafting body publishes after a
// consultation (Law 10/2022/QH15 on grassroots democracy, Art. 25–27; Law
// on the Promulgation of Legal Documents for draft legal documents). It
// takes the form of its issuing body (see [IssuerFor]): a People's
// Committee's or Council's in the State form. The body: the consultation
// (what, when, how many comments and criticism documents), a table by
// passage (comments, taken in), then each answer with what it answers.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/docx"
	"github.com/danvan/danvan/internal/org"
)

// ConsultTitle is the report's title.
const ConsultTitle = "BÁO CÁO TỔNG HỢP, GIẢI TRÌNH, TIẾP THU Ý KIẾN"

// ConsultRow is one passage of the synthesis table.
type ConsultRow struct {
	Label             string
	Comments          int
	Taken, Partly, No int
}

// ConsultAnswerItem is one answer: the verdict in words, the explanation,
// and what it answers ("Ý kiến số 3, 5 (Điều 2)"; "Văn bản số 12/BC-MTTQ").
type ConsultAnswerItem struct {
	Verdict     string
	Explanation string
	Answers     string
}

// ConsultReport is what the report says.
type ConsultReport struct {
	ID          int64
	Unit        org.Unit
	Ancestors   []org.Unit
	Lookup      Lookup
	Title       string // the draft's title
	KindText    string // "dự thảo kế hoạch", "dự thảo nghị quyết"
	OpensOn     string // dd/mm/yyyy
	ClosesOn    string
	On          time.Time
	Comments    int // published comments
	Criticisms  []string
	Rows        []ConsultRow
	Answers     []ConsultAnswerItem
	Conclusion  string // the synthesis text
	SignerName  string
	SignerTitle string
}

// Filename is the report's file name.
func (r ConsultReport) Filename() string {
	return fmt.Sprintf("bao-cao-tong-hop-y-kien-%d.docx", r.ID)
}

// ConsultSynthesis builds the report in its issuing body's form.
func ConsultSynthesis(r ConsultReport) *docx.Document {
	is := IssuerFor(r.Unit, r.Ancestors, SideState, r.Lookup)
	h := docx.Header{Form: is.Form, Superior: is.Superior, Body: is.Body, Number: DocNumber(is.Form, 0, KindReport, is.Abbrev), Place: is.Place, Date: r.On}
	d := docx.New(h, ConsultTitle, "Về "+lowerFirst(r.KindText)+" "+strings.TrimSpace(r.Title))
	d.Creator = "danvan"
	d.Heading("I. KHÁI QUÁT VIỆC LẤY Ý KIẾN")
	d.Paragraph(fmt.Sprintf("%s đã công khai %s %s để Nhân dân, cơ quan, tổ chức góp ý từ ngày %s đến ngày %s. Đã nhận được %d ý kiến góp ý được công khai và %d văn bản phản biện xã hội của Mặt trận Tổ quốc và các tổ chức chính trị - xã hội.",
		is.Name, lowerFirst(r.KindText), strings.TrimSpace(r.Title), r.OpensOn, r.ClosesOn, r.Comments, len(r.Criticisms)))
	for _, c := range r.Criticisms {
		d.Paragraph("- " + c)
	}
	d.Heading("II. TỔNG HỢP Ý KIẾN THEO NỘI DUNG DỰ THẢO")
	cols := []docx.Column{{Title: "STT", Width: 700, Align: docx.Center}, {Title: "Nội dung dự thảo"}, {Title: "Số ý kiến", Width: 1300, Align: docx.Center},
		{Title: "Tiếp thu", Width: 1300, Align: docx.Center}, {Title: "Tiếp thu một phần", Width: 1500, Align: docx.Center}, {Title: "Không tiếp thu", Width: 1400, Align: docx.Center}}
	rows := make([][]string, 0, len(r.Rows))
	for i, x := range r.Rows {
		rows = append(rows, []string{strconv.Itoa(i + 1), x.Label, strconv.Itoa(x.Comments), strconv.Itoa(x.Taken), strconv.Itoa(x.Partly), strconv.Itoa(x.No)})
	}
	d.Table(cols, rows, nil)
	d.Heading("III. GIẢI TRÌNH, TIẾP THU")
	if len(r.Answers) == 0 {
		d.Paragraph("Không có ý kiến cần giải trình.")
	}
	for i, a := range r.Answers {
		d.Paragraph(fmt.Sprintf("%d. %s — %s.", i+1, a.Answers, a.Verdict))
		d.Paragraph(a.Explanation)
	}
	if c := strings.TrimSpace(r.Conclusion); c != "" {
		d.Heading("IV. KẾT LUẬN")
		d.Paragraph(c)
	}
	d.Sign(Sign(is, Signer{Name: r.SignerName, Position: r.SignerTitle}))
	d.To("Thường trực Hội đồng nhân dân;", "Ủy ban Mặt trận Tổ quốc Việt Nam cùng cấp;", "Cổng thông tin điện tử;", "Lưu: VT.")
	return d
}
