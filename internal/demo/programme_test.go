package demo_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store/storetest"
)

// seedPath: the shared seed next to the repository (skipped when absent).
const seedPath = "../../../shared/seed/000_38580ef53a787c49.txt"

// TestDemoProgramme loads the whole demo and checks the directive: ten
// tasks in Vietnamese, the working text (not marked as a translation), with
// the passages the Japanese translation leaves out restored and one note on
// the source; the Japanese text verbatim from the seed and English, both
// marked as translations; assignments; and plans with a lived-in mix of
// statuses.
func TestDemoProgramme(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	ds, err := st.ListDirectives(ctx)
	if err != nil || len(ds) != 1 || ds[0].Number != "1470-CV/TU" || ds[0].IssuedOn != "2024-02-22" || ds[0].Signer != "Lại Thế Nguyên" {
		t.Fatalf("directives: %+v %v", ds, err)
	}
	d, err := st.GetDirective(ctx, ds[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if vi := programme.TextIn(d.Texts, "vi"); vi.IsTranslation || programme.Original(d.Texts).Lang != "vi" || vi.Title != "Về việc lãnh đạo, chỉ đạo thực hiện Năm 2024 - “Năm tăng cường công tác dân vận của cơ quan nhà nước và chính quyền các cấp”" {
		t.Fatalf("vi title: %+v", vi)
	}
	issuer, _ := st.GetUnit(ctx, d.IssuerUnitID)
	if issuer.Code != "TU-BTV" {
		t.Fatalf("issuer %+v", issuer)
	}
	seed, seedErr := os.ReadFile(seedPath)
	if seedErr != nil {
		t.Logf("seed not found, verbatim check skipped: %v", seedErr)
	}
	if len(d.Tasks) != 10 {
		t.Fatalf("%d tasks", len(d.Tasks))
	}
	for i, task := range d.Tasks {
		if task.Number != i+1 || len(task.Assignments) == 0 {
			t.Errorf("task %d: number %d, %d assignments", i+1, task.Number, len(task.Assignments))
		}
		ja := programme.TextIn(task.Texts, "ja")
		if vi := programme.TextIn(task.Texts, "vi"); vi.IsTranslation || programme.Original(task.Texts).Lang != "vi" || vi.Body == "" {
			t.Errorf("task %d: vi %+v", i+1, vi)
		}
		for _, l := range []string{"ja", "en"} {
			if x := programme.TextIn(task.Texts, l); x.Lang != l || !x.IsTranslation || x.Body == "" {
				t.Errorf("task %d: %s %+v", i+1, l, x)
			}
		}
		if seedErr == nil {
			if !strings.Contains(string(seed), "\n"+strconv.Itoa(i+1)+". "+ja.Body+"\n") {
				t.Errorf("task %d: Japanese text is not verbatim from the seed: %.60s", i+1, ja.Body)
			}
		}
	}
	if seedErr == nil && !strings.Contains(string(seed), programme.TextIn(d.Texts, "ja").Title) {
		t.Errorf("directive JA title is not a verbatim span of the seed")
	}
	if seedErr == nil {
		for _, line := range strings.Split(programme.TextIn(d.Texts, "ja").Body, "\n") {
			if !strings.Contains(string(seed), line+"\n") {
				t.Errorf("directive JA body line is not verbatim: %.40s", line)
			}
		}
	}
	// The Vietnamese text restores what the Japanese translation leaves
	// out or adds, and names its source once.
	vi := func(n int) string {
		if n == 0 {
			return programme.TextIn(d.Texts, "vi").Body
		}
		return programme.TextIn(d.Tasks[n-1].Texts, "vi").Body
	}
	for _, c := range []struct {
		task   int
		want   []string
		absent []string
	}{
		{0, []string{"Khối đại đoàn kết toàn dân tộc tiếp tục được phát huy", "Ban Dân vận Tỉnh ủy chủ trì", demo.SourceNoteVI}, nil},
		{1, []string{"23-QĐ/TW ngày 30/7/2021 của Bộ Chính trị về ban hành Quy chế công tác dân vận của hệ thống chính trị",
			"114-KL/TW ngày 14/7/2015 của Ban Bí thư về nâng cao hiệu quả công tác dân vận",
			"33/2021/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tiếp tục tăng cường công tác dân vận",
			"267-KL/TU ngày 25/12/2017 của Ban Thường vụ Tỉnh ủy về đổi mới",
			"763-QĐ/TU ngày 15/10/2021 của Ban Thường vụ Tỉnh ủy về ban hành Quy chế công tác dân vận"}, nil},
		{2, []string{"“dân biết, dân bàn, dân làm, dân giám sát, dân thụ hưởng”"}, nil},
		{3, []string{"chuyên nghiệp, hiệu quả, minh bạch, dân chủ, thân thiện, gần dân"}, []string{"hiệu lực", "công khai"}},
		{4, []string{"Phát huy mạnh mẽ dân chủ, đẩy mạnh tuyên truyền, vận động Nhân dân"}, nil},
		{9, []string{"phối hợp với Ban Dân vận Tỉnh ủy"}, []string{"Tuyên giáo và Dân vận"}},
		{10, []string{"(qua Ban Dân vận Tỉnh ủy)"}, nil},
	} {
		for _, w := range c.want {
			if !strings.Contains(vi(c.task), w) {
				t.Errorf("task %d: Vietnamese text lacks %q", c.task, w)
			}
		}
		for _, a := range c.absent {
			if strings.Contains(vi(c.task), a) {
				t.Errorf("task %d: Vietnamese text has %q", c.task, a)
			}
		}
	}
	if n := strings.Count(vi(0), "Nguồn:"); n != 1 {
		t.Errorf("%d source notes in the directive, want 1", n)
	}
	// 2024 work belongs to the Ban Dân vận, later work to the merged commission.
	for _, task := range d.Tasks {
		for _, as := range task.Assignments {
			if as.DueOn < demo.DepartmentsReform && strings.Contains(as.UnitName, "Tuyên giáo và Dân vận") ||
				as.DueOn >= demo.DepartmentsReform && as.UnitName == "Ban Dân vận Tỉnh ủy" {
				t.Errorf("task %d: assigned to %s, due %s", task.Number, as.UnitName, as.DueOn)
			}
		}
	}
	acts, err := st.DirectiveActivities(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	today := st.Now().In(vn).Format("2006-01-02")
	sum := programme.Summarise(d, acts, programme.DefaultRules(), today)
	for _, s := range []programme.Status{programme.StatusDone, programme.StatusLate, programme.StatusAtRisk, programme.StatusOnTrack} {
		if sum.Rollup.Count(s) < 2 {
			t.Errorf("demo has %d %s activities: %v", sum.Rollup.Count(s), s, sum.Rollup.Counts)
		}
	}
	units := map[string]bool{}
	for _, u := range sum.Units {
		units[u.UnitName] = true
	}
	for _, n := range []string{"Phường Hạc Thành", "Báo Thanh Hóa", "Ban Dân vận Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Hội đồng nhân dân tỉnh"} {
		if !units[n] {
			t.Errorf("no plan for %s", n)
		}
	}
}

var vn = time.FixedZone("ICT", 7*3600)
