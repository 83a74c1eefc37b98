package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// TestDemoModels: thirty recognised models of 2021–2023 across the four
// fields and both levels, each with a picture and evaluations, a few
// replications, and today's model under evaluation and draft.
func TestDemoModels(t *testing.T) {
	st := storetest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	svc := servicetest.New(t, st)
	list, total, err := svc.Models.Gallery(ctx, service.ModelListFilter{Limit: 100})
	if err != nil || total != 30 {
		t.Fatalf("gallery: %d %v", total, err)
	}
	fields, levels, years := map[string]int{}, map[string]int{}, map[int]int{}
	for _, m := range list {
		fields[m.Field]++
		levels[m.Recognition.Level]++
		years[m.Recognition.Year]++
		if m.Cover == nil || len(m.Results) == 0 {
			t.Errorf("%s: no picture or figures", m.Name)
		}
	}
	if len(fields) != 4 || levels["commune"] < 10 || levels["province"] < 10 || years[2021] == 0 || years[2022] == 0 || years[2023] == 0 || len(years) != 3 {
		t.Fatalf("spread: %v %v %v", fields, levels, years)
	}
	v, err := svc.Models.Public(ctx, list[0].ID)
	if err != nil || len(v.Files) == 0 || v.Files[0].ThumbWidth != 480 {
		t.Fatalf("public view: %+v %v", v.Files, err)
	}
	communes, err := svc.Models.GalleryCommunes(ctx)
	if err != nil || len(communes) < 10 {
		t.Fatalf("communes: %d %v", len(communes), err)
	}
	repl := 0
	for _, m := range list {
		rs, _ := st.ModelReplications(ctx, m.ID)
		repl += len(rs)
		if es, _ := st.ModelEvaluations(ctx, m.ID); len(es) != 2 {
			t.Errorf("%s: %d evaluations", m.Name, len(es))
		}
	}
	if repl < 5 {
		t.Errorf("replications: %d", repl)
	}
	_, n, err := st.ListModels(ctx, store.ModelFilter{Statuses: []string{service.ModelDraft, service.ModelSubmitted}})
	if err != nil || n != 2 {
		t.Fatalf("today's models: %d %v", n, err)
	}
}
