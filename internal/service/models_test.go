package service_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
)

func modelInput(f *civicFix, unit string) service.ModelInput {
	return service.ModelInput{Kind: service.ModelCollective, Name: "Dân vận khéo trong dồn điền đổi thửa", Field: service.FieldEconomy,
		UnitID: f.unit[unit], PeriodFrom: "2021-01-01", PeriodTo: "2023-12-31", Summary: "Vận động nhân dân dồn điền đổi thửa",
		Description: "Tổ chức 12 cuộc họp thôn, đối thoại trực tiếp với nhân dân.",
		Results:     []service.ModelResult{{Label: "Diện tích dồn đổi", Value: 120.5, Unit: "ha"}, {}},
		Links:       []string{"https://thanhhoa.gov.vn/tin-tuc"}}
}

func modelCriteria() []service.CriterionInput {
	return []service.CriterionInput{
		{Code: "1", Name: "Gắn với nhiệm vụ chính trị, chỉ đạo của địa phương", Weight: 20},
		{Code: "2", Name: "Huy động được nhiều lực lượng tham gia", Weight: 20},
		{Code: "3", Name: "Kết quả thiết thực, đo đếm được", Weight: 30},
		{Code: "4", Name: "Được nhân dân đồng tình, ủng hộ", Weight: 15},
		{Code: "5", Name: "Bền vững, có khả năng nhân rộng", Weight: 15},
	}
}

// Who may do what with a model: the unit's officers register and submit
// for their unit only; the steering body (coordinator) assigns evaluators
// and recognises; an evaluator scores only what is assigned; drafts are
// hidden from other units and the public.
func TestModelsPermissionMatrix(t *testing.T) {
	f := newCivicFix(t)
	ms := f.svc.Models
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	other := f.principal(authz.RoleUnitOfficer, "W2")
	coord := f.principal(authz.RoleCoordinator, "P38")
	admin := f.principal(authz.RoleAdmin, "P38")
	citizen := f.principal(authz.RoleCitizen, "P38")

	if _, err := ms.Create(f.ctx, other, modelInput(f, "W1")); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit registers: %v", err)
	}
	if _, err := ms.Create(f.ctx, nil, modelInput(f, "W1")); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("anonymous registers: %v", err)
	}
	m, err := ms.Create(f.ctx, officer, modelInput(f, "W1"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != service.ModelDraft || m.CommuneID != f.unit["W1"] || len(m.Results) != 1 {
		t.Fatalf("created: %+v", m)
	}
	// The draft: seen by its unit and the coordinator, not by another unit, a citizen or the public.
	for _, p := range []*service.Principal{officer, coord, admin} {
		if _, err := ms.Get(f.ctx, p, m.ID); err != nil {
			t.Errorf("read draft: %v", err)
		}
	}
	for _, p := range []*service.Principal{other, citizen, nil} {
		if _, err := ms.Get(f.ctx, p, m.ID); !errors.Is(err, service.ErrNotFound) {
			t.Errorf("draft leaks: %v", err)
		}
	}
	if _, err := ms.Public(f.ctx, m.ID); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("public draft: %v", err)
	}
	if _, err := ms.Submit(f.ctx, other, m.ID, m.Version); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("other unit submits: %v", err)
	}
	if _, err := ms.Submit(f.ctx, coord, m.ID, m.Version); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("coordinator submits: %v", err)
	}
	m, err = ms.Submit(f.ctx, officer, m.ID, m.Version)
	if err != nil || m.Status != service.ModelSubmitted {
		t.Fatalf("submit: %v %+v", err, m)
	}
	if _, err := ms.Update(f.ctx, officer, m.ID, modelInput(f, "W1")); civicFields(err) != "status="+service.MsgModelNotDraft {
		t.Fatalf("edit submitted: %v", err)
	}

	// Assigning evaluators is the steering body's.
	ev := f.principal(authz.RoleCitizen, "P38")
	if err := ms.AssignEvaluator(f.ctx, officer, m.ID, ev.User.Username); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer assigns: %v", err)
	}
	if err := ms.AssignEvaluator(f.ctx, coord, m.ID, "nobody"); civicFields(err) != "username="+service.MsgModelNoUser {
		t.Fatalf("unknown user: %v", err)
	}
	if err := ms.AssignEvaluator(f.ctx, coord, m.ID, ev.User.Username); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.SetCriteria(f.ctx, officer, 2023, service.FieldEconomy, modelCriteria()); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer keeps criteria: %v", err)
	}
	if _, err := ms.SetCriteria(f.ctx, coord, 2023, service.FieldEconomy, modelCriteria()); err != nil {
		t.Fatal(err)
	}
	cs, _ := ms.Criteria(f.ctx, 2023, service.FieldEconomy)
	scores := func(n int) []service.ModelScore {
		var out []service.ModelScore
		for _, c := range cs {
			out = append(out, service.ModelScore{CriterionID: c.ID, Score: n})
		}
		return out
	}
	// The evaluator reads the submitted model and scores it; others may not score.
	if _, err := ms.Get(f.ctx, ev, m.ID); err != nil {
		t.Fatalf("evaluator reads: %v", err)
	}
	if _, err := ms.Evaluate(f.ctx, coord, m.ID, service.EvaluationInput{Year: 2023, Scores: scores(9)}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("unassigned scores: %v", err)
	}
	if _, err := ms.Evaluate(f.ctx, other, m.ID, service.EvaluationInput{Year: 2023, Scores: scores(9)}); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("other unit scores: %v", err)
	}
	if _, err := ms.Evaluate(f.ctx, ev, m.ID, service.EvaluationInput{Year: 2023, Scores: scores(8)}); err != nil {
		t.Fatal(err)
	}
	// Recognition: the coordinator of the province, not the unit's officer.
	rec := service.RecognitionInput{Level: service.ModelLevelProvince, Year: 2023, DecisionNo: "1234-QĐ/TU", DecidedOn: "2023-12-20", Version: m.Version}
	if _, err := ms.Recognise(f.ctx, officer, m.ID, rec); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer recognises: %v", err)
	}
	m, err = ms.Recognise(f.ctx, coord, m.ID, rec)
	if err != nil || m.Status != service.ModelRecognised || m.Recognition.DecisionNo != "1234-QĐ/TU" {
		t.Fatalf("recognise: %v %+v", err, m)
	}
	// Public now, without documents, evaluators or scores.
	pub, err := ms.Public(f.ctx, m.ID)
	if err != nil || pub.Evaluations != nil || pub.Evaluators != nil {
		t.Fatalf("public: %v %+v", err, pub)
	}
	if v, err := ms.Get(f.ctx, other, m.ID); err != nil || v.Evaluations != nil {
		t.Fatalf("another unit reads the recognised model as the public: %v %+v", err, v)
	}
	// Replication: by another unit's officer, for that unit.
	if _, err := ms.Replicate(f.ctx, other, m.ID, service.ReplicationInput{UnitID: f.unit["W1"], StartedOn: "2024-03-01", Status: service.ReplicationStarted}); civicFields(err) != "unit_id="+service.MsgModelSameUnit {
		t.Fatalf("replicate in the model's unit: %v", err)
	}
	if _, err := ms.Replicate(f.ctx, officer, m.ID, service.ReplicationInput{UnitID: f.unit["W2"], StartedOn: "2024-03-01", Status: service.ReplicationStarted}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("replicate for another unit: %v", err)
	}
	r, err := ms.Replicate(f.ctx, other, m.ID, service.ReplicationInput{UnitID: f.unit["W2"], StartedOn: "2024-03-01", Status: service.ReplicationSpreading, Note: "Áp dụng ở 5 thôn"})
	if err != nil || r.ID == 0 {
		t.Fatalf("replicate: %v", err)
	}
	// Every change is in the audit log (the last one may still be on its
	// way on PostgreSQL, which seals entries after the commit).
	var n int
	if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'model' AND entity_id = '` + strconv.FormatInt(m.ID, 10) + `'`).Scan(&n); err != nil || n < 5 {
		t.Fatalf("audit entries: %d %v", n, err)
	}
}

// The criteria are data: codes unique, weights 1–100 adding up to 100.
func TestModelsCriteriaWeights(t *testing.T) {
	f := newCivicFix(t)
	coord := f.principal(authz.RoleCoordinator, "P38")
	ms := f.svc.Models
	bad := modelCriteria()
	bad[0].Weight = 25 // 105
	if _, err := ms.SetCriteria(f.ctx, coord, 2022, service.FieldCultureSociety, bad); civicFields(err) != "criteria="+service.MsgModelWeightSum {
		t.Fatalf("sum 105: %v", err)
	}
	dup := modelCriteria()
	dup[1].Code = "1"
	if _, err := ms.SetCriteria(f.ctx, coord, 2022, service.FieldCultureSociety, dup); civicFields(err) != "criteria.1.code="+service.MsgModelDuplicateCode {
		t.Fatalf("duplicate: %v", err)
	}
	zero := []service.CriterionInput{{Code: "1", Name: "Một", Weight: 0}, {Code: "2", Name: "Hai", Weight: 100}}
	if _, err := ms.SetCriteria(f.ctx, coord, 2022, service.FieldCultureSociety, zero); !strings.Contains(civicFields(err), "criteria.0.weight="+service.MsgRange) {
		t.Fatalf("zero weight: %v", err)
	}
	if _, err := ms.SetCriteria(f.ctx, coord, 2022, "sport", modelCriteria()); civicFields(err) != "field="+service.MsgBadChoice {
		t.Fatalf("bad field: %v", err)
	}
	if _, err := ms.SetCriteria(f.ctx, coord, 2022, service.FieldCultureSociety, modelCriteria()); err != nil {
		t.Fatal(err)
	}
	// Another year keeps its own criteria.
	if cs, _ := ms.Criteria(f.ctx, 2023, service.FieldCultureSociety); len(cs) != 0 {
		t.Fatalf("2023: %+v", cs)
	}
	if cs, _ := ms.Criteria(f.ctx, 2022, service.FieldCultureSociety); len(cs) != 5 || cs[2].Weight != 30 {
		t.Fatalf("2022: %+v", cs)
	}
}

// The weighted total, in tenths of a point out of 100.
func TestModelsWeightedTotal(t *testing.T) {
	cs := []service.ModelCriterion{{ID: 1, Weight: 20}, {ID: 2, Weight: 30}, {ID: 3, Weight: 50}}
	for _, c := range []struct {
		scores map[int64]int
		want   int
	}{
		{map[int64]int{1: 10, 2: 10, 3: 10}, 1000},
		{map[int64]int{}, 0},
		{map[int64]int{1: 8, 2: 7, 3: 9}, 820}, // 1.6+2.1+4.5 = 8.2 → 82.0
		{map[int64]int{1: 5}, 100},
	} {
		if got := service.WeightedTotal(cs, c.scores); got != c.want {
			t.Errorf("%v: %d, want %d", c.scores, got, c.want)
		}
	}
	// Weights not adding up to 100 still give a score out of 100 (rounded).
	odd := []service.ModelCriterion{{ID: 1, Weight: 1}, {ID: 2, Weight: 2}}
	if got := service.WeightedTotal(odd, map[int64]int{1: 10, 2: 5}); got != 667 {
		t.Errorf("odd weights: %d", got)
	}
}

// Evaluation totals and the rules of recognition.
func TestModelsEvaluationAndRecognition(t *testing.T) {
	f := newCivicFix(t)
	ms := f.svc.Models
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	deptOfficer := f.principal(authz.RoleUnitOfficer, "S1")
	coord := f.principal(authz.RoleCoordinator, "P38")
	communeCoord := f.principal(authz.RoleCoordinator, "W1")
	ev1, ev2 := f.principal(authz.RoleCitizen, "P38"), f.principal(authz.RoleCitizen, "P38")
	if _, err := ms.SetCriteria(f.ctx, coord, 2022, service.FieldEconomy, modelCriteria()); err != nil {
		t.Fatal(err)
	}
	cs, _ := ms.Criteria(f.ctx, 2022, service.FieldEconomy)
	m, _ := ms.Create(f.ctx, officer, modelInput(f, "W1"))
	rec := service.RecognitionInput{Level: service.ModelLevelCommune, Year: 2022, DecisionNo: "45/QĐ-UBND", DecidedOn: "2022-12-15"}

	// A draft is not recognised, evaluated or assigned.
	rec.Version = m.Version
	if _, err := ms.Recognise(f.ctx, coord, m.ID, rec); !strings.Contains(civicFields(err), "status="+service.MsgModelNotSubmitted) {
		t.Fatalf("recognise draft: %v", err)
	}
	// Submitting needs figures.
	empty := modelInput(f, "W1")
	empty.Results = nil
	e, _ := ms.Create(f.ctx, officer, empty)
	if _, err := ms.Submit(f.ctx, officer, e.ID, e.Version); civicFields(err) != "results="+service.MsgModelNoResults {
		t.Fatalf("submit without figures: %v", err)
	}
	m, _ = ms.Submit(f.ctx, officer, m.ID, m.Version)
	rec.Version = m.Version
	// No evaluation yet.
	if _, err := ms.Recognise(f.ctx, coord, m.ID, rec); civicFields(err) != "status="+service.MsgModelNoEvaluation {
		t.Fatalf("recognise unevaluated: %v", err)
	}
	for _, p := range []*service.Principal{ev1, ev2} {
		if err := ms.AssignEvaluator(f.ctx, coord, m.ID, p.User.Username); err != nil {
			t.Fatal(err)
		}
	}
	all := func(points ...int) []service.ModelScore {
		var out []service.ModelScore
		for i, c := range cs {
			out = append(out, service.ModelScore{CriterionID: c.ID, Score: points[i]})
		}
		return out
	}
	// Scores out of range, missing criteria, a year without criteria.
	if _, err := ms.Evaluate(f.ctx, ev1, m.ID, service.EvaluationInput{Year: 2022, Scores: all(11, 8, 8, 8, 8)}); !strings.Contains(civicFields(err), service.MsgRange) {
		t.Fatalf("score 11: %v", err)
	}
	if _, err := ms.Evaluate(f.ctx, ev1, m.ID, service.EvaluationInput{Year: 2022, Scores: all(8, 8, 8, 8, 8)[:4]}); !strings.Contains(civicFields(err), "scores="+service.MsgModelScores) {
		t.Fatalf("missing score: %v", err)
	}
	if _, err := ms.Evaluate(f.ctx, ev1, m.ID, service.EvaluationInput{Year: 2021, Scores: all(8, 8, 8, 8, 8)}); civicFields(err) != "year="+service.MsgModelNoCriteria {
		t.Fatalf("no criteria: %v", err)
	}
	// 20·9 + 20·8 + 30·10 + 15·7 + 15·6 = 835 → 83.5; and 20·7+20·7+30·7+15·7+15·7 = 700.
	got, err := ms.Evaluate(f.ctx, ev1, m.ID, service.EvaluationInput{Year: 2022, Scores: all(9, 8, 10, 7, 6), Comment: "Cách làm sáng tạo"})
	if err != nil || got.Total != 835 {
		t.Fatalf("evaluate: %v %d", err, got.Total)
	}
	if _, err := ms.Evaluate(f.ctx, ev2, m.ID, service.EvaluationInput{Year: 2022, Scores: all(7, 7, 7, 7, 7)}); err != nil {
		t.Fatal(err)
	}
	v, err := ms.Get(f.ctx, coord, m.ID)
	if err != nil || len(v.Evaluations) != 2 || v.Average != 768 { // (835+700)/2 = 767.5 → 768
		t.Fatalf("average: %v %+v", err, v.Average)
	}

	// Commune level: by the commune's coordinator; decision not in the future.
	future := rec
	future.DecidedOn = "2027-01-01"
	if _, err := ms.Recognise(f.ctx, coord, m.ID, future); civicFields(err) != "decided_on="+service.MsgDateOrder {
		t.Fatalf("future decision: %v", err)
	}
	prov := rec
	prov.Level = service.ModelLevelProvince
	if _, err := ms.Recognise(f.ctx, communeCoord, m.ID, prov); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("commune coordinator recognises at province level: %v", err)
	}
	stale := rec
	stale.Version = m.Version - 1
	var sv *service.StaleVersionError
	if _, err := ms.Recognise(f.ctx, communeCoord, m.ID, stale); !errors.As(err, &sv) {
		t.Fatalf("stale: %v", err)
	}
	if m, err = ms.Recognise(f.ctx, communeCoord, m.ID, rec); err != nil || m.Recognition.Level != service.ModelLevelCommune {
		t.Fatalf("commune recognition: %v", err)
	}
	if _, err := ms.Recognise(f.ctx, coord, m.ID, service.RecognitionInput{Level: "province", Year: 2023, DecisionNo: "x", DecidedOn: "2023-01-01", Version: m.Version}); civicFields(err) != "status="+service.MsgModelNotSubmitted {
		t.Fatalf("recognised twice: %v", err)
	}

	// A department's model lies in no commune: province level only.
	d, err := ms.Create(f.ctx, deptOfficer, modelInput(f, "S1"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ = ms.Submit(f.ctx, deptOfficer, d.ID, d.Version)
	_ = ms.AssignEvaluator(f.ctx, coord, d.ID, ev1.User.Username)
	if _, err := ms.Evaluate(f.ctx, ev1, d.ID, service.EvaluationInput{Year: 2022, Scores: all(8, 8, 8, 8, 8)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.Recognise(f.ctx, coord, d.ID, service.RecognitionInput{Level: "commune", Year: 2022, DecisionNo: "1", DecidedOn: "2022-12-01", Version: d.Version}); civicFields(err) != "level="+service.MsgModelNoCommune {
		t.Fatalf("department at commune level: %v", err)
	}
}

// Pictures are re-encoded into a 1600 px version and a 480 px thumbnail;
// anything else than a picture or an allowed document is refused.
func TestModelsFiles(t *testing.T) {
	f := newCivicFix(t)
	ms := f.svc.Models
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	m, _ := ms.Create(f.ctx, officer, modelInput(f, "W1"))
	img := image.NewRGBA(image.Rect(0, 0, 2400, 1200))
	for x := range 2400 {
		for y := range 1200 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	photo, err := ms.AddFile(f.ctx, officer, m.ID, service.UploadFile{Name: "hop-dan.png", Data: buf.Bytes()}, "Họp dân ở thôn 3")
	if err != nil {
		t.Fatal(err)
	}
	if photo.Kind != service.ModelFilePhoto || photo.Width != 1600 || photo.Height != 800 || photo.ThumbWidth != 480 || photo.ThumbHeight != 240 || photo.ContentType != "image/jpeg" {
		t.Fatalf("photo: %+v", photo)
	}
	if _, err := ms.AddFile(f.ctx, officer, m.ID, service.UploadFile{Name: "x.html", Data: []byte("<html>")}, ""); civicFields(err) != "file="+service.MsgFileType {
		t.Fatalf("html: %v", err)
	}
	if _, err := ms.AddFile(f.ctx, officer, m.ID, service.UploadFile{Name: "x.png", Data: []byte("not a png")}, ""); civicFields(err) != "file="+service.MsgFileType {
		t.Fatalf("fake png: %v", err)
	}
	doc, err := ms.AddFile(f.ctx, officer, m.ID, service.UploadFile{Name: "bao-cao.txt", Data: []byte("Báo cáo kết quả")}, "")
	if err != nil || doc.Kind != service.ModelFileDocument {
		t.Fatalf("document: %v %+v", err, doc)
	}
	// The draft's picture is private; the public gets not found.
	if _, _, _, err := ms.FileData(f.ctx, nil, photo.ID, true); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("draft picture public: %v", err)
	}
	_, data, public, err := ms.FileData(f.ctx, officer, photo.ID, true)
	if err != nil || public || len(data) == 0 {
		t.Fatalf("officer's thumbnail: %v %v", err, public)
	}
	if w, h, err := imageSize(data); err != nil || w != 480 || h != 240 {
		t.Fatalf("thumbnail size: %d×%d %v", w, h, err)
	}
	if err := ms.DeleteFile(f.ctx, officer, m.ID, doc.ID); err != nil {
		t.Fatal(err)
	}
}

func imageSize(data []byte) (int, int, error) {
	c, _, err := image.DecodeConfig(bytes.NewReader(data))
	return c.Width, c.Height, err
}
