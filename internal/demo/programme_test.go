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
// tasks whose Japanese text is verbatim from the seed (marked original),
// Vietnamese and English marked as translations, assignments, and plans
// with a lived-in mix of statuses.
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
	if vi := programme.TextIn(d.Texts, "vi"); !vi.IsTranslation || vi.Title != "Về việc lãnh đạo, chỉ đạo thực hiện Năm 2024 - “Năm tăng cường công tác dân vận của cơ quan nhà nước và chính quyền các cấp”" {
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
		if ja.Lang != "ja" || ja.IsTranslation || programme.Original(task.Texts).Lang != "ja" {
			t.Errorf("task %d: ja %+v", i+1, ja)
		}
		for _, l := range []string{"vi", "en"} {
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
	if seedErr == nil && !strings.Contains(string(seed), programme.Original(d.Texts).Title) {
		t.Errorf("directive JA title is not a verbatim span of the seed")
	}
	if seedErr == nil {
		for _, line := range strings.Split(programme.Original(d.Texts).Body, "\n") {
			if !strings.Contains(string(seed), line+"\n") {
				t.Errorf("directive JA body line is not verbatim: %.40s", line)
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
	for _, n := range []string{"Phường Hạc Thành", "Báo Thanh Hóa", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Hội đồng nhân dân tỉnh"} {
		if !units[n] {
			t.Errorf("no plan for %s", n)
		}
	}
}

var vn = time.FixedZone("ICT", 7*3600)
