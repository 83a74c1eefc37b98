// Package docx writes Word (.docx) files for administrative documents: A4,
// Times New Roman, the issuing body top left over its number line, the
// heading of the form top right over the place and date in italics, a
// centred title, the body, and the "Nơi nhận:" and signature blocks.
//
// The header and footer follow the form of the issuing body ([Form]):
//   - Party documents (Guideline 36-HD/VPTW, 2018): "ĐẢNG CỘNG SẢN VIỆT
//     NAM" underlined, a star under the body, "Số 12-BC/BDVTU" (no colon),
//     "Nơi nhận:" underlined with items ending in commas;
//   - State documents (Decree 30/2020/NĐ-CP) and the Fatherland Front and
//     mass organisations, whose guidance takes the State heading: the
//     national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the motto
//     "Độc lập - Tự do - Hạnh phúc" with a rule under it, a rule under the
//     body, "Số: 12/BC-SNV", "Nơi nhận:" bold italic with items ending in
//     semicolons;
//   - the Youth Union: "ĐOÀN TNCS HỒ CHÍ MINH" underlined, "***" under the
//     body, "Số: 12-BC/TĐTN".
//
// It writes the zip and the WordprocessingML by hand, with fixed
// timestamps, so the same document always gives the same bytes.
package docx

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Page geometry in twentieths of a point (twips): A4 and the guideline's
// margins (top 20 mm, bottom 20 mm, left 30 mm, right 15 mm).
const (
	PageWidth    = 11906
	PageHeight   = 16838
	MarginTop    = 1134
	MarginBottom = 1134
	MarginLeft   = 1701
	MarginRight  = 850
	// TextWidth is the width between the margins.
	TextWidth = PageWidth - MarginLeft - MarginRight
)

// Font and sizes (half-points).
const (
	Font      = "Times New Roman"
	SizeBody  = 28 // 14 pt
	SizeTitle = 32 // 16 pt: "BÁO CÁO"
	SizeParty = 30 // 15 pt: "ĐẢNG CỘNG SẢN VIỆT NAM"
	SizeTable = 26 // 13 pt: indicator tables
	SizeSmall = 24 // 12 pt: the recipients list
	firstLine = 720
)

// Form is the form of a document, chosen by the kind of its issuing body.
type Form int

// Forms.
const (
	FormParty Form = iota // Guideline 36-HD/VPTW
	FormState             // Decree 30/2020/NĐ-CP
	FormFront             // Fatherland Front and mass organisations: the State heading
	FormYouth             // Ho Chi Minh Communist Youth Union
)

// State reports whether the form takes the national title and motto.
func (f Form) State() bool { return f == FormState || f == FormFront }

// Heading lines of the forms.
const (
	PartyHeading = "ĐẢNG CỘNG SẢN VIỆT NAM"
	NationTitle  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	NationMotto  = "Độc lập - Tự do - Hạnh phúc"
	YouthHeading = "ĐOÀN TNCS HỒ CHÍ MINH"
)

// Header is the block above the title.
type Header struct {
	// Form chooses the heading top right and the marks under the body.
	Form Form
	// Superior is the first line on the left, e.g. "TỈNH ỦY THANH HÓA"; it
	// may be empty.
	Superior string
	// Body is the issuing body, bold, e.g. "BAN TUYÊN GIÁO VÀ DÂN VẬN";
	// a line break splits it ("ỦY BAN NHÂN DÂN\nPHƯỜNG HẠC THÀNH").
	Body string
	// Number is the number line, e.g. "Số 12-BC/BTGDVTU".
	Number string
	// Place and Date make the italic line "Thanh Hóa, ngày 25 tháng 11 năm 2026".
	Place string
	Date  time.Time
}

// Signature is the block bottom right: the authority lines, the room for
// the signature and seal, and the signer's full name.
type Signature struct {
	Authority string // "T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN"
	Acting    string // "KT. CHỦ TỊCH" when a deputy signs for the head
	Role      string // "PHÓ CHỦ TỊCH"
	Name      string
}

// Align is a table column's horizontal alignment.
type Align int

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// Column is one column of a table.
type Column struct {
	Title string
	Width int // twips; 0 shares the rest of the text width
	Align Align
}

type blockKind int

const (
	blockParagraph blockKind = iota
	blockHeading
	blockTable
)

type block struct {
	kind    blockKind
	text    string
	italic  bool
	columns []Column
	rows    [][]string
	bold    []bool
}

// Document is a Party document under construction. The zero value is
// usable; the builder methods return the document for chaining.
type Document struct {
	Header     Header
	Title      string // "BÁO CÁO"
	Subtitle   string // "công tác dân vận tháng 11 năm 2026"
	Signature  Signature
	Recipients []string
	// Creator goes into the document properties.
	Creator string
	blocks  []block
}

// New starts a document.
func New(h Header, title, subtitle string) *Document {
	return &Document{Header: h, Title: title, Subtitle: subtitle}
}

// Heading adds a bold line, such as "I. KẾT QUẢ THỰC HIỆN".
func (d *Document) Heading(text string) *Document {
	d.blocks = append(d.blocks, block{kind: blockHeading, text: text})
	return d
}

// Paragraph adds body text, justified with a first-line indent; each line
// of text becomes its own paragraph and blank lines are dropped.
func (d *Document) Paragraph(text string) *Document {
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		d.blocks = append(d.blocks, block{kind: blockParagraph, text: strings.TrimSpace(line)})
	}
	return d
}

// Note adds one italic paragraph (e.g. "Không có nội dung.").
func (d *Document) Note(text string) *Document {
	d.blocks = append(d.blocks, block{kind: blockParagraph, text: text, italic: true})
	return d
}

// Table adds a bordered table with a bold header row repeated on every
// page. A row marked in bold (bold[i]) is written in bold, e.g. a total.
func (d *Document) Table(cols []Column, rows [][]string, bold []bool) *Document {
	d.blocks = append(d.blocks, block{kind: blockTable, columns: cols, rows: rows, bold: bold})
	return d
}

// Sign sets the signature block.
func (d *Document) Sign(s Signature) *Document {
	d.Signature = s
	return d
}

// To sets the recipients listed under "Nơi nhận:".
func (d *Document) To(recipients ...string) *Document {
	d.Recipients = recipients
	return d
}

// PlaceDate is the italic line "Thanh Hóa, ngày 05 tháng 02 năm 2026":
// following Decree 30/2020 practice, days below 10 and the months January
// and February are written with a leading zero.
func PlaceDate(place string, t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= 2 {
		month = "0" + month
	}
	s := fmt.Sprintf("ngày %s tháng %s năm %d", day, month, t.Year())
	if place == "" {
		return s
	}
	return place + ", " + s
}

// zipTime is the fixed modification time of every part (the zip epoch).
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Write writes the .docx file.
func (d *Document) Write(w io.Writer) error {
	z := zip.NewWriter(w)
	parts := []struct {
		name string
		body func(*bufio.Writer)
	}{
		{"[Content_Types].xml", func(b *bufio.Writer) { b.WriteString(contentTypes) }},
		{"_rels/.rels", func(b *bufio.Writer) { b.WriteString(rootRels) }},
		{"docProps/core.xml", d.writeCore},
		{"word/_rels/document.xml.rels", func(b *bufio.Writer) { b.WriteString(documentRels) }},
		{"word/styles.xml", func(b *bufio.Writer) { b.WriteString(styles) }},
		{"word/settings.xml", func(b *bufio.Writer) { b.WriteString(settings) }},
		{"word/document.xml", d.writeDocument},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
		b := bufio.NewWriter(f)
		p.body(b)
		if err := b.Flush(); err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`</Relationships>`

const nsW = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`

const fonts = `<w:rFonts w:ascii="` + Font + `" w:hAnsi="` + Font + `" w:cs="` + Font + `" w:eastAsia="` + Font + `"/>`

var styles = xmlHeader + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + fonts +
	`<w:sz w:val="` + strconv.Itoa(SizeBody) + `"/><w:szCs w:val="` + strconv.Itoa(SizeBody) + `"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
	`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

const settings = xmlHeader + `<w:settings xmlns:w="` + nsW + `"><w:defaultTabStop w:val="720"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

func (d *Document) writeCore(b *bufio.Writer) {
	b.WriteString(xmlHeader)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	title := strings.TrimSpace(d.Title + " " + d.Subtitle)
	b.WriteString(`<dc:title>` + esc(title) + `</dc:title>`)
	b.WriteString(`<dc:creator>` + esc(d.Creator) + `</dc:creator>`)
	b.WriteString(`<dc:language>vi-VN</dc:language>`)
	if !d.Header.Date.IsZero() {
		ts := time.Date(d.Header.Date.Year(), d.Header.Date.Month(), d.Header.Date.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created>`)
	}
	b.WriteString(`</cp:coreProperties>`)
}

// esc escapes text for XML; characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var sb strings.Builder
	_ = xml.EscapeText(&sb, []byte(s))
	return sb.String()
}

// run is the formatting of one run of text.
type run struct {
	bold, italic, underline bool
	size                    int
}

func (r run) write(b *bufio.Writer, text string) {
	b.WriteString(`<w:r><w:rPr>` + fonts)
	if r.bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if r.italic {
		b.WriteString(`<w:i/><w:iCs/>`)
	}
	if r.underline {
		b.WriteString(`<w:u w:val="single"/>`)
	}
	size := r.size
	if size == 0 {
		size = SizeBody
	}
	sz := strconv.Itoa(size)
	b.WriteString(`<w:sz w:val="` + sz + `"/><w:szCs w:val="` + sz + `"/></w:rPr>`)
	b.WriteString(`<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`)
}

// para is a paragraph's layout.
type para struct {
	jc        string // left, center, right, both
	firstLine int
	before    int
	after     int
	keepNext  bool
}

func (p para) write(b *bufio.Writer, r run, text string) {
	b.WriteString(`<w:p><w:pPr>`)
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d" w:line="240" w:lineRule="auto"/>`, p.before, p.after)
	if p.firstLine > 0 {
		fmt.Fprintf(b, `<w:ind w:firstLine="%d"/>`, p.firstLine)
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
	b.WriteString(`</w:pPr>`)
	if text != "" {
		r.write(b, text)
	}
	b.WriteString(`</w:p>`)
}

var centre = para{jc: "center"}

// cellStart opens a table cell of width w (twips).
func cellStart(b *bufio.Writer, w int, borders bool, header bool) {
	fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
	if borders && header {
		b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>`)
	}
	if borders {
		b.WriteString(`<w:vAlign w:val="center"/>`)
	}
	b.WriteString(`</w:tcPr>`)
}

// tableStart opens a table; indent (twips, may be negative) shifts a
// borderless table from the left margin, a bordered table is centred.
func tableStart(b *bufio.Writer, widths []int, borders bool, indent int) {
	total := 0
	for _, w := range widths {
		total += w
	}
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/>`, total)
	if borders {
		b.WriteString(`<w:jc w:val="center"/>`)
	} else {
		fmt.Fprintf(b, `<w:tblInd w:w="%d" w:type="dxa"/>`, indent)
	}
	if borders {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
		}
		b.WriteString(`</w:tblBorders>`)
	} else {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			b.WriteString(`<w:` + side + ` w:val="nil"/>`)
		}
		b.WriteString(`</w:tblBorders>`)
	}
	b.WriteString(`<w:tblLayout w:type="fixed"/>`)
	if !borders {
		b.WriteString(`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>`)
	}
	b.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
}

// Header columns: the issuing body on the left, the Party on the right. As
// in the usual Word templates the block reaches a little into the margins
// (7 mm left, 5 mm right) so that a long body name and the date line each
// fit on one line at 14 pt.
const (
	headerIndent = -397
	headerLeft   = 4820 // 85 mm
	headerRight  = TextWidth - headerIndent + 283 - headerLeft
)

func (d *Document) writeDocument(b *bufio.Writer) {
	b.WriteString(xmlHeader)
	b.WriteString(`<w:document xmlns:w="` + nsW + `"><w:body>`)
	d.writeHeader(b)

	// Title and subtitle.
	if d.Title != "" {
		para{jc: "center", before: 360}.write(b, run{bold: true, size: SizeTitle}, d.Title)
	}
	if d.Subtitle != "" {
		centre.write(b, run{bold: true}, d.Subtitle)
	}
	para{jc: "center", after: 240}.write(b, run{}, "-----")

	for _, bl := range d.blocks {
		switch bl.kind {
		case blockHeading:
			para{jc: "both", firstLine: firstLine, before: 120, after: 120, keepNext: true}.write(b, run{bold: true}, bl.text)
		case blockParagraph:
			para{jc: "both", firstLine: firstLine, after: 120}.write(b, run{italic: bl.italic}, bl.text)
		case blockTable:
			writeTable(b, bl)
			para{after: 120}.write(b, run{}, "")
		}
	}
	d.writeFooter(b)
	fmt.Fprintf(b, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>`,
		PageWidth, PageHeight, MarginTop, MarginRight, MarginBottom, MarginLeft)
	b.WriteString(`</w:body></w:document>`)
}

func (d *Document) writeHeader(b *bufio.Writer) {
	h := d.Header
	state := h.Form.State()
	size := SizeBody
	if state {
		size = SizeTable // 13 pt
	}
	tableStart(b, []int{headerLeft, headerRight}, false, headerIndent)
	b.WriteString(`<w:tr>`)
	cellStart(b, headerLeft, false, false)
	left := 0
	if h.Superior != "" {
		centre.write(b, run{size: size}, h.Superior)
		left++
	}
	for _, line := range strings.Split(h.Body, "\n") {
		centre.write(b, run{bold: true, size: size}, strings.TrimSpace(line))
		left++
	}
	switch h.Form {
	case FormParty:
		centre.write(b, run{}, "*")
	case FormYouth:
		centre.write(b, run{}, "***")
	default:
		rule(b, 1400)
	}
	if state {
		para{jc: "center", before: 120}.write(b, run{size: size}, h.Number)
	} else {
		centre.write(b, run{}, h.Number)
	}
	b.WriteString(`</w:tc>`)
	cellStart(b, headerRight, false, false)
	right := 1
	switch h.Form {
	case FormParty:
		centre.write(b, run{bold: true, underline: true, size: SizeParty}, PartyHeading)
	case FormYouth:
		centre.write(b, run{bold: true, underline: true, size: SizeParty}, YouthHeading)
	default:
		centre.write(b, run{bold: true, size: SizeSmall}, NationTitle)
		centre.write(b, run{bold: true, size: SizeTable}, NationMotto)
		rule(b, 1500)
		right = 3
	}
	// The date line sits level with the number line.
	for ; right < left+1; right++ {
		centre.write(b, run{}, "")
	}
	if !h.Date.IsZero() {
		// Party: flush right; State (Decree 30): centred under the motto.
		p := para{jc: "right"}
		if state {
			p.jc, p.before = "center", 120
		}
		p.write(b, run{italic: true, size: size}, PlaceDate(h.Place, h.Date))
	}
	b.WriteString(`</w:tc></w:tr></w:tbl>`)
}

// rule writes a short centred horizontal line: an empty paragraph with a
// bottom border, indented by in twips on each side.
func rule(b *bufio.Writer, in int) {
	fmt.Fprintf(b, `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/><w:ind w:left="%d" w:right="%d"/></w:pPr></w:p>`, in, in)
}

func writeTable(b *bufio.Writer, bl block) {
	widths := make([]int, len(bl.columns))
	fixed, free := 0, 0
	for i, c := range bl.columns {
		widths[i] = c.Width
		fixed += c.Width
		if c.Width == 0 {
			free++
		}
	}
	if free > 0 {
		share := max(TextWidth-fixed, 567*free) / free
		for i := range widths {
			if widths[i] == 0 {
				widths[i] = share
			}
		}
	}
	tableStart(b, widths, true, 0)
	b.WriteString(`<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
	for i, c := range bl.columns {
		cellStart(b, widths[i], true, true)
		centre.write(b, run{bold: true, size: SizeTable}, c.Title)
		b.WriteString(`</w:tc>`)
	}
	b.WriteString(`</w:tr>`)
	for ri, row := range bl.rows {
		bold := ri < len(bl.bold) && bl.bold[ri]
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i := range bl.columns {
			text := ""
			if i < len(row) {
				text = row[i]
			}
			jc := [...]string{"left", "center", "right"}[bl.columns[i].Align]
			cellStart(b, widths[i], true, false)
			para{jc: jc}.write(b, run{bold: bold, size: SizeTable}, text)
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

// Footer columns: recipients on the left, the signature on the right.
const (
	footerLeft  = 4536 // 80 mm
	footerRight = TextWidth - footerLeft
)

func (d *Document) writeFooter(b *bufio.Writer) {
	if len(d.Recipients) == 0 && d.Signature == (Signature{}) {
		return
	}
	state := d.Header.Form.State()
	tableStart(b, []int{footerLeft, footerRight}, false, 0)
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	cellStart(b, footerLeft, false, false)
	if len(d.Recipients) > 0 {
		sep := ","
		if state {
			para{before: 240}.write(b, run{bold: true, italic: true, size: SizeSmall}, "Nơi nhận:")
			sep = ";"
		} else {
			para{before: 240}.write(b, run{underline: true}, "Nơi nhận:")
		}
		for i, r := range d.Recipients {
			end := sep
			if i == len(d.Recipients)-1 {
				end = "."
			}
			size := SizeSmall
			if state {
				size = 22 // 11 pt
			}
			para{}.write(b, run{size: size}, "- "+strings.TrimRight(r, ",.;")+end)
		}
	} else {
		para{}.write(b, run{}, "")
	}
	b.WriteString(`</w:tc>`)
	cellStart(b, footerRight, false, false)
	s := d.Signature
	p := para{jc: "center", before: 240}
	for _, line := range []string{s.Authority, s.Acting, s.Role} {
		if line != "" {
			p.write(b, run{bold: true}, line)
			p.before = 0
		}
	}
	// Room for the signature and seal.
	for range 4 {
		centre.write(b, run{}, "")
	}
	if s.Name != "" {
		centre.write(b, run{bold: true}, s.Name)
	}
	b.WriteString(`</w:tc></w:tr></w:tbl>`)
}
