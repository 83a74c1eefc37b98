package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestModelsStore(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	w, x := ids["11"], ids["10"]
	mk := func(name, field string, unit int64) *store.Model {
		m := &store.Model{Kind: "collective", Name: name, Field: field, UnitID: unit, CommuneID: unit, PeriodFrom: "2021-01-01",
			Summary: "Tóm tắt", Results: []store.ModelResult{{Label: "Hộ thoát nghèo", Value: 120, Unit: "hộ"}}, Links: []string{"https://thanhhoa.gov.vn"}, Status: "draft"}
		if err := st.CreateModel(ctx, sys, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := mk("Dân vận khéo trong xây dựng nông thôn mới", "economy", w)
	b := mk("Tổ hòa giải giỏi", "culture_society", x)
	mk("Đội dân phòng", "defence_security", w)
	if a.ID == 0 || a.Version != 1 {
		t.Fatalf("create: %+v", a)
	}
	a.Status = "submitted"
	if err := st.UpdateModel(ctx, sys, a, 1, "model.submit"); err != nil || a.Version != 2 {
		t.Fatalf("update: %v", err)
	}
	if err := st.UpdateModel(ctx, sys, a, 1, "model.update"); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale: %v", err)
	}
	got, err := st.GetModel(ctx, a.ID)
	if err != nil || got.Status != "submitted" || got.Results[0].Value != 120 || got.Links[0] != "https://thanhhoa.gov.vn" || got.UnitName != "Phường Hạc Thành" || got.Recognition != nil {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := st.GetModel(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}

	// Criteria as data: replaced per year and field.
	cs := []store.ModelCriterion{{Code: "1", Name: "Gắn với chỉ đạo của địa phương", Weight: 30}, {Code: "2", Name: "Kết quả thiết thực", Weight: 70}}
	if err := st.ReplaceModelCriteria(ctx, sys, 2023, "economy", cs); err != nil || cs[0].ID == 0 {
		t.Fatalf("criteria: %v", err)
	}
	if err := st.ReplaceModelCriteria(ctx, sys, 2023, "economy", cs[1:]); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.ModelCriteria(ctx, 2023, "economy"); len(got) != 1 || got[0].Weight != 70 {
		t.Fatalf("criteria after replace: %+v", got)
	}
	dup := []store.ModelCriterion{{Code: "1", Name: "a", Weight: 1}, {Code: "1", Name: "b", Weight: 1}}
	if err := st.ReplaceModelCriteria(ctx, sys, 2023, "economy", dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate code: %v", err)
	}

	// Evaluators and evaluations: a second save replaces the first.
	u := account.User{Username: "thamdinh", FullName: "Người thẩm định", PasswordHash: "x"}
	if err := st.CreateUser(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := st.AssignModelEvaluator(ctx, sys, a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if es, err := st.ModelEvaluators(ctx, a.ID); err != nil || len(es) != 1 || es[0].Username != "thamdinh" {
		t.Fatalf("evaluators: %+v %v", es, err)
	}
	for _, total := range []int{700, 850} {
		e := &store.ModelEvaluation{ModelID: a.ID, EvaluatorID: u.ID, Scores: []store.ModelScore{{CriterionID: cs[1].ID, Score: 8}}, Total: total}
		if err := st.SaveModelEvaluation(ctx, sys, e); err != nil {
			t.Fatal(err)
		}
	}
	if es, err := st.ModelEvaluations(ctx, a.ID); err != nil || len(es) != 1 || es[0].Total != 850 || es[0].Scores[0].Score != 8 {
		t.Fatalf("evaluations: %+v %v", es, err)
	}

	// Recognition under the version lock, once.
	rec := store.ModelRecognition{ModelID: a.ID, Level: "province", Year: 2023, DecisionNo: "123-QĐ/TU", DecidedOn: "2023-12-20", Commendation: "Bằng khen"}
	if err := st.RecognizeModel(ctx, sys, rec, 1); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale recognise: %v", err)
	}
	if err := st.RecognizeModel(ctx, sys, rec, 2); err != nil {
		t.Fatal(err)
	}
	if err := st.RecognizeModel(ctx, sys, rec, 3); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("twice: %v", err)
	}
	got, _ = st.GetModel(ctx, a.ID)
	if got.Status != "recognised" || got.Recognition == nil || got.Recognition.DecisionNo != "123-QĐ/TU" || got.Version != 3 {
		t.Fatalf("recognised: %+v", got)
	}

	// Files: the photo's two versions.
	f := &store.NewModelFile{ModelFile: store.ModelFile{ModelID: a.ID, Kind: "photo", Name: "anh.jpg", ContentType: "image/jpeg", SHA256: "abc", Width: 1600, Height: 900,
		ThumbType: "image/jpeg", ThumbWidth: 480, ThumbHeight: 270}, Data: []byte("large"), Thumb: []byte("thumb")}
	if err := st.AddModelFile(ctx, sys, f); err != nil || f.ID == 0 {
		t.Fatalf("file: %v", err)
	}
	doc := &store.NewModelFile{ModelFile: store.ModelFile{ModelID: a.ID, Kind: "document", Name: "bao-cao.pdf", ContentType: "application/pdf", SHA256: "def"}, Data: []byte("%PDF")}
	if err := st.AddModelFile(ctx, sys, doc); err != nil {
		t.Fatal(err)
	}
	if fs, err := st.ModelFiles(ctx, a.ID); err != nil || len(fs) != 2 || fs[0].Kind != "photo" || fs[0].Size != 5 {
		t.Fatalf("files: %+v %v", fs, err)
	}
	if _, data, err := st.ModelFileData(ctx, f.ID, true); err != nil || !bytes.Equal(data, []byte("thumb")) {
		t.Fatalf("thumb: %q %v", data, err)
	}
	if _, data, err := st.ModelFileData(ctx, doc.ID, true); err != nil || !bytes.Equal(data, []byte("%PDF")) {
		t.Fatalf("document as thumb: %q %v", data, err)
	}
	if err := st.DeleteModelFile(ctx, sys, b.ID, doc.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete another model's file: %v", err)
	}

	// Lists: filters, the cover photo, recognised first.
	list, total, err := st.ListModels(ctx, store.ModelFilter{Statuses: []string{"recognised"}, Level: "province", Year: 2023, CommuneID: w, Field: "economy"})
	if err != nil || total != 1 || list[0].ID != a.ID || list[0].Cover == nil || list[0].Cover.ID != f.ID || list[0].Cover.SHA256 != "abc" || list[0].Cover.ThumbWidth != 480 {
		t.Fatalf("public list: %+v %d %v", list, total, err)
	}
	if list, total, _ := st.ListModels(ctx, store.ModelFilter{UnitIDs: []int64{w}, Limit: 1}); total != 2 || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("unit list: %+v %d", list, total)
	}
	if years, err := st.ModelYears(ctx); err != nil || len(years) != 1 || years[0] != 2023 {
		t.Fatalf("years: %v %v", years, err)
	}

	// Replications: one row per unit, updated.
	for _, status := range []string{"started", "spreading"} {
		r := &store.ModelReplication{ModelID: a.ID, UnitID: x, StartedOn: "2024-03-01", Status: status}
		if err := st.SaveModelReplication(ctx, sys, r); err != nil {
			t.Fatal(err)
		}
	}
	if rs, err := st.ModelReplications(ctx, a.ID); err != nil || len(rs) != 1 || rs[0].Status != "spreading" || rs[0].UnitName != "Xã Mường Lát" {
		t.Fatalf("replications: %+v %v", rs, err)
	}
}
