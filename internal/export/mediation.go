package export

// The record of a successful grassroots mediation, "Biên bản hòa giải
// thành", drawn up by the mediation team (tổ hòa giải) of a village or
// residential group under Law 35/2013/QH13 on grassroots mediation,
// Art. 24. It follows the usual form of that record: the national title
// and motto, the team and its commune top left, the place and date line,
// the title, the mediators and the parties, the dispute, the content agreed,
// and the signatures of the parties and the mediators. To verify: the law
// itself speaks of a "văn bản hòa giải thành" drawn up at the parties'
// request, and the exact layout of the form in the Ministry of Justice's
// guidance was not checked against the official text.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/docx"
)

// MediationParty is one party to a mediation.
type MediationParty struct{ Name, Role string }

// MediationRecord is what the agreement record says.
type MediationRecord struct {
	ID        int64
	Commune   string // the commune-level unit, e.g. "Phường Hạc Thành"
	Place     string // the place in the date line
	Village   string // the village or residential group of the team
	On        time.Time
	Summary   string
	Agreement string
	Parties   []MediationParty
	Mediators []string
}

// Title of the record.
const MediationTitle = "BIÊN BẢN HÒA GIẢI THÀNH"

// Filename is the record's file name.
func (r MediationRecord) Filename() string {
	return fmt.Sprintf("bien-ban-hoa-giai-thanh-%d.docx", r.ID)
}

// MediationAgreement builds the record as a document in the State form.
func MediationAgreement(r MediationRecord) *docx.Document {
	body := "TỔ HÒA GIẢI"
	if v := strings.TrimSpace(r.Village); v != "" {
		body += "\n" + upper(v)
	}
	d := docx.New(docx.Header{Form: docx.FormState, Superior: upper(r.Commune), Body: body, Place: r.Place, Date: r.On}, MediationTitle, "")
	d.Creator = "danvan"
	where := strings.TrimSpace(r.Commune)
	if v := strings.TrimSpace(r.Village); v != "" {
		where = v + ", " + where
	}
	d.Paragraph("Căn cứ Luật Hòa giải ở cơ sở số 35/2013/QH13, hôm nay, " + docx.PlaceDate("", r.On) + ", tại " + where + ", tổ hòa giải tiến hành hòa giải vụ việc sau đây.")
	d.Heading("I. HÒA GIẢI VIÊN")
	for i, m := range r.Mediators {
		d.Paragraph(fmt.Sprintf("%d. %s", i+1, m))
	}
	d.Heading("II. CÁC BÊN")
	for i, p := range r.Parties {
		line := fmt.Sprintf("%d. %s", i+1, p.Name)
		if strings.TrimSpace(p.Role) != "" {
			line += " (" + p.Role + ")"
		}
		d.Paragraph(line)
	}
	d.Heading("III. NỘI DUNG VỤ VIỆC")
	d.Paragraph(r.Summary)
	d.Heading("IV. NỘI DUNG CÁC BÊN THỎA THUẬN")
	d.Paragraph(r.Agreement)
	d.Paragraph("Các bên tự nguyện thỏa thuận và cam kết thực hiện đúng nội dung trên (Điều 24 Luật Hòa giải ở cơ sở). Biên bản được lập thành các bản có giá trị như nhau, mỗi bên giữ một bản, tổ hòa giải lưu một bản.")
	cols := []docx.Column{{Title: "STT", Width: 900, Align: docx.Center}, {Title: "Họ và tên"}, {Title: "Tư cách", Width: 2200}, {Title: "Chữ ký", Width: 2200}}
	var rows [][]string
	for i, p := range r.Parties {
		rows = append(rows, []string{strconv.Itoa(i + 1), p.Name, p.Role, ""})
	}
	d.Heading("CHỮ KÝ CỦA CÁC BÊN")
	d.Table(cols, rows, nil)
	rows = nil
	for i, m := range r.Mediators {
		rows = append(rows, []string{strconv.Itoa(i + 1), m, "Hòa giải viên", ""})
	}
	d.Heading("CHỮ KÝ CỦA HÒA GIẢI VIÊN")
	d.Table(cols, rows, nil)
	return d
}
