package service_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

func TestSplitDraft(t *testing.T) {
	type p = store.Passage
	cases := []struct {
		name string
		in   string
		want []p
	}{
		{"empty", " \n\n ", nil},
		{"preamble only", "Căn cứ Luật Thực hiện dân chủ ở cơ sở;\nXét đề nghị của Phòng Văn hóa.", []p{{Level: 0, Text: "Căn cứ Luật Thực hiện dân chủ ở cơ sở;\nXét đề nghị của Phòng Văn hóa."}}},
		{"resolution", `Căn cứ Luật Tổ chức chính quyền địa phương;

Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị quyết này quy định mức hỗ trợ.
Điều 2. Đối tượng áp dụng
1. Hộ nghèo, hộ cận nghèo.
2. Người có công:
a) Thương binh;
đ) Thân nhân liệt sĩ.
Mục 2. CHÍNH SÁCH
Điều 10a. Mức hỗ trợ
   Hỗ trợ 1.5 triệu đồng.  `, []p{
			{Level: 0, Text: "Căn cứ Luật Tổ chức chính quyền địa phương;"},
			{Level: service.LevelChapter, Label: "Chương I", Text: "QUY ĐỊNH CHUNG"},
			{Level: service.LevelArticle, Label: "Điều 1", Text: "Phạm vi điều chỉnh\nNghị quyết này quy định mức hỗ trợ."},
			{Level: service.LevelArticle, Label: "Điều 2", Text: "Đối tượng áp dụng"},
			{Level: service.LevelClause, Label: "Khoản 1 Điều 2", Text: "Hộ nghèo, hộ cận nghèo."},
			{Level: service.LevelClause, Label: "Khoản 2 Điều 2", Text: "Người có công:"},
			{Level: service.LevelPoint, Label: "Điểm a khoản 2 Điều 2", Text: "Thương binh;"},
			{Level: service.LevelPoint, Label: "Điểm đ khoản 2 Điều 2", Text: "Thân nhân liệt sĩ."},
			{Level: service.LevelSection, Label: "Mục 2", Text: "CHÍNH SÁCH"},
			{Level: service.LevelArticle, Label: "Điều 10a", Text: "Mức hỗ trợ\nHỗ trợ 1.5 triệu đồng."},
		}},
		{"plan", "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNâng cao chất lượng.\nII. NHIỆM VỤ\n1.\nRà soát.", []p{
			{Level: service.LevelSection, Label: "Phần I", Text: "MỤC ĐÍCH, YÊU CẦU"},
			{Level: service.LevelClause, Label: "Khoản 1 Phần I", Text: "Mục đích\nNâng cao chất lượng."},
			{Level: service.LevelSection, Label: "Phần II", Text: "NHIỆM VỤ"},
			{Level: service.LevelClause, Label: "Khoản 1 Phần II", Text: "Rà soát."},
		}},
		{"upper case and NFD", "ĐIỀU 3. Hiệu lực\n" + "Nghi\u0323 quyê\u0301t", []p{
			{Level: service.LevelArticle, Label: "Điều 3", Text: "Hiệu lực\nNghị quyết"},
		}},
		{"not markers", "Điều chỉnh giá.\n1.5 triệu\nab) x\nChương trình", []p{{Text: "Điều chỉnh giá.\n1.5 triệu\nab) x\nChương trình"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := service.SplitDraft(c.in)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("SplitDraft:\n got %+v\nwant %+v", got, c.want)
			}
			if again := service.SplitDraft(service.JoinPassages(got)); !reflect.DeepEqual(again, got) {
				t.Errorf("round trip:\n got %+v\nwant %+v", again, got)
			}
		})
	}
}

// FuzzSplitDraft: the splitter never panics, every passage has a label or
// a text, trimmed, valid UTF-8, no blank line, a known level, and joining
// the passages back splits into the same passages.
func FuzzSplitDraft(f *testing.F) {
	for _, s := range []string{"Chương I\nA\nĐiều 1. B\n1. C\na) D", "I. X\n1.\n2. 3.", "Điều 5.", "Mục 1 Mục 2", "\xff\n1. \x00", "Chương IV. . x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ps := service.SplitDraft(in)
		for _, p := range ps {
			if p.Label == "" && p.Text == "" && len(ps) > 0 {
				t.Fatalf("empty passage in %q", in)
			}
			if !utf8.ValidString(p.Text) || strings.Contains(p.Text, "\n\n") || p.Text != strings.TrimSpace(p.Text) {
				t.Fatalf("bad text %q", p.Text)
			}
			if p.Level < service.LevelChapter || p.Level > service.LevelPoint {
				t.Fatalf("level %d", p.Level)
			}
		}
		if again := service.SplitDraft(service.JoinPassages(ps)); !reflect.DeepEqual(again, ps) {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", in, again, ps)
		}
	})
}
