package service

// "Dân vận khéo" (skilled mass mobilisation, DOMAIN §5): a unit registers a
// collective model or an individual example in one of four fields, with
// its figures and evidence; the province keeps the criteria as data (per
// year and field, each with a weight); evaluators assigned by the steering
// body score the model against them; the steering body recognises it at
// commune or province level for a year; other units replicate it. Only
// recognised models are public (the gallery /dan-van-kheo).
//
// Permission (existing actions, no new role):
//   - register, edit, submit and attach evidence: report.edit on the
//     model's unit (its unit head and officers, who write its reports);
//   - replicate: report.edit on the replicating unit;
//   - read a model that is not public: report.read on its unit, or being
//     one of its evaluators;
//   - assign evaluators and recognise: directive.manage (the coordinator,
//     Ban Tuyên giáo và Dân vận) on the model's unit, and for a commune
//     recognition on the commune, for a province one on the province;
//   - keep the criteria: template.manage on the province (the root unit);
//   - score: being assigned to the model.
//
// Pictures are never kept as uploaded: each is decoded and re-encoded by
// internal/imaging as a large version (1600 px) and a thumbnail (480 px),
// which drops any EXIF position. Documents are checked by [SniffUpload].

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/imaging"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/textfold"
)

// Models is the "Dân vận khéo" capability.
type Models struct{ base }

func newModels(b base) *Models { return &Models{base: b} }

// Kinds, fields, statuses, levels of models and replications.
const (
	ModelCollective = "collective" // mô hình
	ModelIndividual = "individual" // điển hình

	FieldEconomy           = "economy"
	FieldCultureSociety    = "culture_society"
	FieldDefenceSecurity   = "defence_security"
	FieldPoliticalSystem   = "political_system"
	ModelDraft             = "draft"
	ModelSubmitted         = "submitted"
	ModelRecognised        = "recognised"
	ModelLevelCommune      = "commune"
	ModelLevelProvince     = "province"
	ReplicationStarted     = "started"
	ReplicationSpreading   = "spreading"
	ReplicationDone        = "done"
	ModelFilePhoto         = "photo"
	ModelFileDocument      = "document"
	modelLargeSize         = 1600
	modelThumbSize         = 480
	modelPhotoQuality      = 82
	modelThumbQuality      = 78
	modelMaxScore          = 10
	modelCriteriaWeightSum = 100
)

// The accepted values.
var (
	ModelKinds          = []string{ModelCollective, ModelIndividual}
	ModelFields         = []string{FieldEconomy, FieldCultureSociety, FieldDefenceSecurity, FieldPoliticalSystem}
	ModelStatuses       = []string{ModelDraft, ModelSubmitted, ModelRecognised}
	ModelLevels         = []string{ModelLevelCommune, ModelLevelProvince}
	ReplicationStatuses = []string{ReplicationStarted, ReplicationSpreading, ReplicationDone}
)

// Bounds of the inputs.
const (
	MaxModelLine     = 300
	MaxModelText     = 20000
	MaxModelSummary  = 600
	MaxModelResults  = 20
	MaxModelLinks    = 10
	MaxModelFiles    = 20
	MaxModelCriteria = 20
	MaxModelPage     = 24
)

// Message keys of the models capability (models.*.json).
const (
	MsgModelNotDraft      = "models.err.not_draft"
	MsgModelNotSubmitted  = "models.err.not_submitted"
	MsgModelNotRecognised = "models.err.not_recognised"
	MsgModelNoEvaluation  = "models.err.no_evaluation"
	MsgModelNoCriteria    = "models.err.no_criteria"
	MsgModelWeightSum     = "models.err.weight_sum" // %d: the sum the weights must reach
	MsgModelDuplicateCode = "models.err.duplicate_code"
	MsgModelBadLink       = "models.err.bad_link"
	MsgModelNoCommune     = "models.err.no_commune"
	MsgModelNoResults     = "models.err.no_results"
	MsgModelNoUser        = "models.err.no_user"
	MsgModelNotEvaluator  = "models.err.not_evaluator"
	MsgModelSameUnit      = "models.err.same_unit"
	MsgModelScores        = "models.err.scores"
)

type (
	// Model is a registered model or example.
	Model = store.Model
	// ModelResult is one figure of a model's results.
	ModelResult = store.ModelResult
	// ModelFile is a photo or document of a model, without its bytes.
	ModelFile = store.ModelFile
	// ModelCriterion is one weighted criterion of a year and field.
	ModelCriterion = store.ModelCriterion
	// ModelScore is a score on one criterion.
	ModelScore = store.ModelScore
	// ModelEvaluation is one evaluator's scores.
	ModelEvaluation = store.ModelEvaluation
	// ModelEvaluator is a user assigned to evaluate a model.
	ModelEvaluator = store.ModelEvaluator
	// ModelRecognition is a recognition decision.
	ModelRecognition = store.ModelRecognition
	// ModelReplication is a unit replicating a model.
	ModelReplication = store.ModelReplication
)

// ModelInput registers or edits a model; Version is checked on edit.
type ModelInput struct {
	Kind        string        `json:"kind"`
	Name        string        `json:"name"`
	Field       string        `json:"field"`
	UnitID      int64         `json:"unit_id"`
	PlaceUnitID int64         `json:"place_unit_id"`
	PeriodFrom  string        `json:"period_from"`
	PeriodTo    string        `json:"period_to"`
	Summary     string        `json:"summary"`
	Description string        `json:"description"`
	Results     []ModelResult `json:"results"`
	Links       []string      `json:"links"`
	Version     int           `json:"version"`
}

// ModelView is a model with everything its page shows. A public view has
// photos only (no documents), and no evaluators or evaluations.
type ModelView struct {
	Model
	Files        []ModelFile        `json:"files"`
	Evaluators   []ModelEvaluator   `json:"evaluators,omitempty"`
	Evaluations  []ModelEvaluation  `json:"evaluations,omitempty"`
	Replications []ModelReplication `json:"replications"`
	// Average is the mean of the evaluations' totals, in tenths of a
	// point out of 100 (0: none).
	Average int `json:"average_tenths,omitempty"`
}

// Photos are the view's photos.
func (v ModelView) Photos() []ModelFile {
	var out []ModelFile
	for _, f := range v.Files {
		if f.Kind == ModelFilePhoto {
			out = append(out, f)
		}
	}
	return out
}

// Documents are the view's documents.
func (v ModelView) Documents() []ModelFile {
	var out []ModelFile
	for _, f := range v.Files {
		if f.Kind == ModelFileDocument {
			out = append(out, f)
		}
	}
	return out
}

// communeKind reports whether k is a commune-level local government.
func communeKind(k org.Kind) bool {
	return k == org.KindCommune || k == org.KindWard || k == org.KindTownship || k == org.KindSpecialZone
}

// CommuneOf is the commune, ward or special zone a unit lies in (itself
// included), 0 when it lies in none (a provincial department).
func (s *Models) CommuneOf(unitID int64) int64 {
	if u, ok := s.tree.Unit(unitID); ok && communeKind(u.Kind) {
		return u.ID
	}
	anc := s.tree.Ancestors(unitID)
	for i := len(anc) - 1; i >= 0; i-- {
		if communeKind(anc[i].Kind) {
			return anc[i].ID
		}
	}
	return 0
}

// rootOf is the root (the province) of a unit's tree.
func (s *Models) rootOf(unitID int64) int64 {
	p, ok := s.tree.Path(unitID)
	if !ok || len(p) == 0 {
		return 0
	}
	return p[0]
}

// Root is the province: the first root unit in force, where the criteria
// are kept.
func (s *Models) Root() int64 {
	for _, u := range s.tree.ChildrenAt(0, s.Today()) {
		return u.ID
	}
	return 0
}

func (s *Models) check(v *Validator, in ModelInput) Model {
	m := Model{UnitID: in.UnitID, PlaceUnitID: in.PlaceUnitID}
	m.Kind = v.Choice("kind", strings.TrimSpace(in.Kind), ModelKinds...)
	m.Name = v.Line("name", in.Name, 3, MaxModelLine)
	m.Field = v.Choice("field", strings.TrimSpace(in.Field), ModelFields...)
	if in.UnitID <= 0 {
		v.Add("unit_id", MsgRequired)
	} else if _, ok := s.tree.Unit(in.UnitID); !ok {
		v.Add("unit_id", MsgBadChoice)
	}
	if in.PlaceUnitID < 0 {
		v.Add("place_unit_id", MsgBadChoice)
	} else if in.PlaceUnitID > 0 {
		if _, ok := s.tree.Unit(in.PlaceUnitID); !ok {
			v.Add("place_unit_id", MsgBadChoice)
		}
	}
	m.PeriodFrom = v.Date("period_from", in.PeriodFrom, true)
	m.PeriodTo = v.Date("period_to", in.PeriodTo, false)
	if m.PeriodTo != "" && !v.Has("period_from") && !v.Has("period_to") && m.PeriodTo < m.PeriodFrom {
		v.Add("period_to", MsgDateOrder)
	}
	m.Summary = v.Text("summary", in.Summary, 0, MaxModelSummary)
	m.Description = v.Text("description", in.Description, 0, MaxModelText)
	if len(in.Results) > MaxModelResults {
		v.Add("results", MsgRange, 0, MaxModelResults)
	}
	m.Results = []ModelResult{}
	for i, r := range in.Results {
		f := "results." + strconv.Itoa(i)
		r.Label = v.Line(f+".label", r.Label, 0, MaxModelLine)
		r.Unit = v.Line(f+".unit", r.Unit, 0, 40)
		if r.Label == "" && r.Unit == "" && r.Value == 0 {
			continue
		}
		if r.Label == "" {
			v.Add(f+".label", MsgRequired)
		}
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || math.Abs(r.Value) > 1e12 {
			v.Add(f+".value", MsgRange, -1_000_000_000_000, 1_000_000_000_000)
		}
		m.Results = append(m.Results, r)
	}
	if len(in.Links) > MaxModelLinks {
		v.Add("links", MsgRange, 0, MaxModelLinks)
	}
	m.Links = []string{}
	for i, l := range in.Links {
		l = v.Line("links."+strconv.Itoa(i), l, 0, 500)
		if l == "" {
			continue
		}
		if u, err := url.Parse(l); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.Add("links."+strconv.Itoa(i), MsgModelBadLink)
		}
		m.Links = append(m.Links, l)
	}
	place := m.PlaceUnitID
	if place == 0 {
		place = m.UnitID
	}
	m.CommuneID = s.CommuneOf(place)
	return m
}

// CanRegister reports whether p may register models for unitID.
func (s *Models) CanRegister(p *Principal, unitID int64) bool {
	return s.can(p, authz.ActionReportEdit, unitID)
}

// RegisterUnits lists the units in force where p may register models, in tree order.
func (s *Models) RegisterUnits(p *Principal) []org.Unit {
	var out []org.Unit
	if p == nil {
		return out
	}
	for _, u := range s.tree.At(s.Today()) {
		if s.can(p, authz.ActionReportEdit, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

// CanManage reports whether p steers the movement over unitID (assigns
// evaluators, recognises).
func (s *Models) CanManage(p *Principal, unitID int64) bool {
	return s.can(p, authz.ActionDirectiveManage, unitID)
}

// CanKeepCriteria reports whether p keeps the criteria.
func (s *Models) CanKeepCriteria(p *Principal) bool {
	root := s.Root()
	return root != 0 && s.can(p, authz.ActionTemplateManage, root)
}

// Create registers a model as a draft (report.edit on its unit).
func (s *Models) Create(ctx context.Context, p *Principal, in ModelInput) (Model, error) {
	var v Validator
	m := s.check(&v, in)
	if err := v.Err(); err != nil {
		return Model{}, err
	}
	if err := s.authorize(p, authz.ActionReportEdit, m.UnitID); err != nil {
		return Model{}, err
	}
	m.Status = ModelDraft
	if err := s.st.CreateModel(ctx, p.Actor(), &m); err != nil {
		return Model{}, unavailable("create model", err)
	}
	return s.st.GetModel(ctx, m.ID)
}

// stored reads a model for a write of p on its unit under action a.
func (s *Models) stored(ctx context.Context, p *Principal, id int64, a authz.Action) (Model, error) {
	m, err := s.st.GetModel(ctx, id)
	if err != nil {
		return Model{}, unavailable("read model", err)
	}
	if err := s.authorize(p, a, m.UnitID); err != nil {
		if errors.Is(err, ErrForbidden) && !s.readable(ctx, p, m) {
			return Model{}, ErrNotFound
		}
		return Model{}, err
	}
	return m, nil
}

// Update edits a draft (report.edit on its unit, and on the new unit).
func (s *Models) Update(ctx context.Context, p *Principal, id int64, in ModelInput) (Model, error) {
	old, err := s.stored(ctx, p, id, authz.ActionReportEdit)
	if err != nil {
		return Model{}, err
	}
	var v Validator
	m := s.check(&v, in)
	if old.Status != ModelDraft {
		v.Add("status", MsgModelNotDraft)
	}
	if err := v.Err(); err != nil {
		return Model{}, err
	}
	if err := s.authorize(p, authz.ActionReportEdit, m.UnitID); err != nil {
		return Model{}, err
	}
	m.ID, m.Status = id, old.Status
	if err := s.st.UpdateModel(ctx, p.Actor(), &m, in.Version, "model.update"); err != nil {
		return Model{}, staleModel(err, "update model", old.Version)
	}
	return s.st.GetModel(ctx, id)
}

// staleModel maps a lost optimistic lock to a [*StaleVersionError] and
// other failures to ErrUnavailable.
func staleModel(err error, op string, current int) error {
	if errors.Is(err, store.ErrStale) {
		return &StaleVersionError{Current: current}
	}
	return unavailable(op, err)
}

// Submit sends a draft for evaluation: it needs a description and at
// least one figure of results.
func (s *Models) Submit(ctx context.Context, p *Principal, id int64, version int) (Model, error) {
	m, err := s.stored(ctx, p, id, authz.ActionReportEdit)
	if err != nil {
		return Model{}, err
	}
	var v Validator
	if m.Status != ModelDraft {
		v.Add("status", MsgModelNotDraft)
	}
	if strings.TrimSpace(m.Description) == "" {
		v.Add("description", MsgRequired)
	}
	if len(m.Results) == 0 {
		v.Add("results", MsgModelNoResults)
	}
	if err := v.Err(); err != nil {
		return Model{}, err
	}
	m.Status = ModelSubmitted
	if err := s.st.UpdateModel(ctx, p.Actor(), &m, version, "model.submit"); err != nil {
		return Model{}, staleModel(err, "submit model", m.Version)
	}
	return s.st.GetModel(ctx, id)
}

// readable reports whether p may read a model that is not public.
func (s *Models) readable(ctx context.Context, p *Principal, m Model) bool {
	if m.Status == ModelRecognised {
		return true
	}
	if p == nil {
		return false
	}
	if s.can(p, authz.ActionReportRead, m.UnitID) || s.can(p, authz.ActionDirectiveManage, m.UnitID) {
		return true
	}
	return s.isEvaluator(ctx, p, m.ID)
}

func (s *Models) isEvaluator(ctx context.Context, p *Principal, id int64) bool {
	if p == nil || p.User.ID == 0 {
		return false
	}
	es, err := s.st.ModelEvaluators(ctx, id)
	if err != nil {
		return false
	}
	for _, e := range es {
		if e.UserID == p.User.ID {
			return true
		}
	}
	return false
}

// Get reads a model with its files, evaluations and replications for p: a
// model not yet recognised only for its unit's staff, the steering body and
// its evaluators (ErrNotFound for others, so that drafts do not leak).
func (s *Models) Get(ctx context.Context, p *Principal, id int64) (ModelView, error) {
	m, err := s.st.GetModel(ctx, id)
	if err != nil {
		return ModelView{}, unavailable("read model", err)
	}
	if !s.readable(ctx, p, m) {
		return ModelView{}, ErrNotFound
	}
	internal := p != nil && (s.can(p, authz.ActionReportRead, m.UnitID) || s.can(p, authz.ActionDirectiveManage, m.UnitID) || s.isEvaluator(ctx, p, id))
	return s.view(ctx, m, !internal)
}

// Public reads a recognised model as the public sees it; any other answers
// ErrNotFound.
func (s *Models) Public(ctx context.Context, id int64) (ModelView, error) {
	m, err := s.st.GetModel(ctx, id)
	if err != nil {
		return ModelView{}, unavailable("read model", err)
	}
	if m.Status != ModelRecognised {
		return ModelView{}, ErrNotFound
	}
	return s.view(ctx, m, true)
}

func (s *Models) view(ctx context.Context, m Model, public bool) (ModelView, error) {
	v := ModelView{Model: m}
	var err error
	if v.Files, err = s.st.ModelFiles(ctx, m.ID); err != nil {
		return v, unavailable("model files", err)
	}
	if v.Replications, err = s.st.ModelReplications(ctx, m.ID); err != nil {
		return v, unavailable("model replications", err)
	}
	if public {
		v.Files = v.Photos()
		if v.Files == nil {
			v.Files = []ModelFile{}
		}
		return v, nil
	}
	if v.Evaluators, err = s.st.ModelEvaluators(ctx, m.ID); err != nil {
		return v, unavailable("model evaluators", err)
	}
	if v.Evaluations, err = s.st.ModelEvaluations(ctx, m.ID); err != nil {
		return v, unavailable("model evaluations", err)
	}
	if n := len(v.Evaluations); n > 0 {
		sum := 0
		for _, e := range v.Evaluations {
			sum += e.Total
		}
		v.Average = (sum + n/2) / n
	}
	return v, nil
}

// ModelListFilter chooses models for the officers' list or the gallery.
type ModelListFilter struct {
	Field     string `json:"field"`
	Level     string `json:"level"`
	Year      int    `json:"year"`
	CommuneID int64  `json:"commune_id"`
	Status    string `json:"status"`
	// Page is 1-based, of MaxModelPage models; a door that pages by
	// Limit (at most 100) and Offset sets those instead.
	Page   int `json:"page"`
	Limit  int `json:"-"`
	Offset int `json:"-"`
}

func (s *Models) filter(v *Validator, f ModelListFilter) store.ModelFilter {
	out := store.ModelFilter{Field: f.Field, Level: f.Level, Year: f.Year, CommuneID: f.CommuneID, Limit: MaxModelPage}
	if f.Field != "" {
		v.Choice("field", f.Field, ModelFields...)
	}
	if f.Level != "" {
		v.Choice("level", f.Level, ModelLevels...)
	}
	if f.Year != 0 {
		v.Int("year", int64(f.Year), 1990, 2100)
	}
	if f.Status != "" {
		out.Statuses = []string{v.Choice("status", f.Status, ModelStatuses...)}
	}
	page := max(f.Page, 1)
	if page > 100000 {
		v.Add("page", MsgRange, 1, 100000)
	}
	out.Offset = (page - 1) * MaxModelPage
	if f.Limit > 0 {
		out.Limit, out.Offset = min(f.Limit, 100), max(f.Offset, 0)
	}
	return out
}

// List lists the models p may read: those of the units where p reads
// reports or steers the movement, and those p evaluates.
func (s *Models) List(ctx context.Context, p *Principal, f ModelListFilter) ([]Model, int, error) {
	if p == nil {
		return nil, 0, ErrUnauthenticated
	}
	var v Validator
	sf := s.filter(&v, f)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if !p.System && !p.IsAdmin() {
		sf.UnitIDs = []int64{}
		for _, u := range s.tree.At(s.Today()) {
			if s.can(p, authz.ActionReportRead, u.ID) || s.can(p, authz.ActionDirectiveManage, u.ID) {
				sf.UnitIDs = append(sf.UnitIDs, u.ID)
			}
		}
		sf.Evaluator = p.User.ID
	}
	list, total, err := s.st.ListModels(ctx, sf)
	if err != nil {
		return nil, 0, unavailable("list models", err)
	}
	return list, total, nil
}

// Gallery lists the recognised models for the public, filtered.
func (s *Models) Gallery(ctx context.Context, f ModelListFilter) ([]Model, int, error) {
	var v Validator
	f.Status = ""
	sf := s.filter(&v, f)
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	sf.Statuses = []string{ModelRecognised}
	list, total, err := s.st.ListModels(ctx, sf)
	if err != nil {
		return nil, 0, unavailable("list models", err)
	}
	return list, total, nil
}

// Years lists the years with recognised models, newest first.
func (s *Models) Years(ctx context.Context) ([]int, error) {
	y, err := s.st.ModelYears(ctx)
	if err != nil {
		return nil, unavailable("model years", err)
	}
	return y, nil
}

// GalleryCommunes lists the communes and wards (in force or not: a model
// recognised in 2022 belongs to the commune of that time) that hold a
// recognised model, by name, for the gallery's filter.
func (s *Models) GalleryCommunes(ctx context.Context) ([]org.Unit, error) {
	ids, err := s.st.ModelCommunes(ctx, ModelRecognised)
	if err != nil {
		return nil, unavailable("model communes", err)
	}
	out := make([]org.Unit, 0, len(ids))
	for _, id := range ids {
		if u, ok := s.tree.Unit(id); ok {
			out = append(out, u)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return textfold.Fold(out[i].Name) < textfold.Fold(out[j].Name) })
	return out, nil
}

// Communes lists the communes, wards and special zones in force, for the
// place of a model.
func (s *Models) Communes() []org.Unit {
	var out []org.Unit
	for _, u := range s.tree.At(s.Today()) {
		if communeKind(u.Kind) {
			out = append(out, u)
		}
	}
	return out
}

// CriterionInput is one criterion as typed.
type CriterionInput struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Weight   int    `json:"weight"`
	Guidance string `json:"guidance"`
}

// Criteria lists the criteria of a year and field (public: the rules of
// the movement are published).
func (s *Models) Criteria(ctx context.Context, year int, field string) ([]ModelCriterion, error) {
	var v Validator
	v.Int("year", int64(year), 1990, 2100)
	v.Choice("field", field, ModelFields...)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cs, err := s.st.ModelCriteria(ctx, year, field)
	if err != nil {
		return nil, unavailable("model criteria", err)
	}
	return cs, nil
}

// SetCriteria replaces the criteria of a year and field (template.manage
// on the province): codes unique, weights 1–100 summing to 100, so that a
// total is a score out of 100.
func (s *Models) SetCriteria(ctx context.Context, p *Principal, year int, field string, in []CriterionInput) ([]ModelCriterion, error) {
	var v Validator
	v.Int("year", int64(year), 1990, 2100)
	v.Choice("field", field, ModelFields...)
	if len(in) == 0 || len(in) > MaxModelCriteria {
		v.Add("criteria", MsgRange, 1, MaxModelCriteria)
	}
	seen := map[string]bool{}
	sum := 0
	cs := make([]ModelCriterion, 0, len(in))
	for i, c := range in {
		f := "criteria." + strconv.Itoa(i)
		code := v.Line(f+".code", c.Code, 1, 20)
		if seen[code] {
			v.Add(f+".code", MsgModelDuplicateCode)
		}
		seen[code] = true
		name := v.Line(f+".name", c.Name, 1, MaxModelLine)
		v.Int(f+".weight", int64(c.Weight), 1, modelCriteriaWeightSum)
		sum += c.Weight
		cs = append(cs, ModelCriterion{Code: code, Name: name, Weight: c.Weight, Guidance: v.Text(f+".guidance", c.Guidance, 0, 2000)})
	}
	if len(in) > 0 && sum != modelCriteriaWeightSum {
		v.Add("criteria", MsgModelWeightSum, modelCriteriaWeightSum)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	root := s.Root()
	if root == 0 {
		return nil, ErrNotFound
	}
	if err := s.authorize(p, authz.ActionTemplateManage, root); err != nil {
		return nil, err
	}
	if err := s.st.ReplaceModelCriteria(ctx, p.Actor(), year, field, cs); err != nil {
		return nil, unavailable("set model criteria", err)
	}
	return cs, nil
}

// AssignEvaluator assigns a user, by user name, to evaluate a submitted
// model (directive.manage on its unit).
func (s *Models) AssignEvaluator(ctx context.Context, p *Principal, id int64, username string) error {
	m, err := s.stored(ctx, p, id, authz.ActionDirectiveManage)
	if err != nil {
		return err
	}
	var v Validator
	name := v.Line("username", username, 1, 100)
	if m.Status != ModelSubmitted {
		v.Add("status", MsgModelNotSubmitted)
	}
	if err := v.Err(); err != nil {
		return err
	}
	u, err := s.st.UserByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		return Invalid("username", MsgModelNoUser)
	}
	if err != nil {
		return unavailable("read user", err)
	}
	if err := s.st.AssignModelEvaluator(ctx, p.Actor(), id, u.ID); err != nil {
		return unavailable("assign evaluator", err)
	}
	return nil
}

// EvaluationInput is an evaluator's scores against the criteria of Year.
type EvaluationInput struct {
	Year    int          `json:"year"`
	Scores  []ModelScore `json:"scores"`
	Comment string       `json:"comment"`
}

// WeightedTotal is the weighted score of scores (0–10 each) against cs,
// in tenths of a point out of 100, rounded half up.
func WeightedTotal(cs []ModelCriterion, scores map[int64]int) int {
	num, den := 0, 0
	for _, c := range cs {
		num += scores[c.ID] * c.Weight
		den += c.Weight
	}
	if den == 0 {
		return 0
	}
	// num/den is out of 10; ×100 gives tenths of a point out of 100.
	return (num*100 + den/2) / den
}

// Evaluate records p's scores of a submitted model: p must be assigned to
// it; every criterion of the year and field is scored 0–10.
func (s *Models) Evaluate(ctx context.Context, p *Principal, id int64, in EvaluationInput) (ModelEvaluation, error) {
	if p == nil || p.User.ID == 0 {
		return ModelEvaluation{}, ErrUnauthenticated
	}
	m, err := s.st.GetModel(ctx, id)
	if err != nil {
		return ModelEvaluation{}, unavailable("read model", err)
	}
	if !s.isEvaluator(ctx, p, id) {
		if !s.readable(ctx, p, m) {
			return ModelEvaluation{}, ErrNotFound
		}
		return ModelEvaluation{}, ErrForbidden
	}
	var v Validator
	if m.Status != ModelSubmitted {
		v.Add("status", MsgModelNotSubmitted)
	}
	v.Int("year", int64(in.Year), 1990, 2100)
	comment := v.Text("comment", in.Comment, 0, MaxModelText)
	if err := v.Err(); err != nil {
		return ModelEvaluation{}, err
	}
	cs, err := s.st.ModelCriteria(ctx, in.Year, m.Field)
	if err != nil {
		return ModelEvaluation{}, unavailable("model criteria", err)
	}
	if len(cs) == 0 {
		return ModelEvaluation{}, Invalid("year", MsgModelNoCriteria)
	}
	byID := map[int64]ModelScore{}
	for _, sc := range in.Scores {
		byID[sc.CriterionID] = sc
	}
	if len(byID) != len(in.Scores) || len(in.Scores) != len(cs) {
		v.Add("scores", MsgModelScores)
	}
	e := ModelEvaluation{ModelID: id, EvaluatorID: p.User.ID, Comment: comment}
	points := map[int64]int{}
	for _, c := range cs {
		sc, ok := byID[c.ID]
		f := "scores." + strconv.FormatInt(c.ID, 10)
		if !ok {
			v.Add(f, MsgRequired)
			continue
		}
		v.Int(f, int64(sc.Score), 0, modelMaxScore)
		sc.Comment = v.Text(f+".comment", sc.Comment, 0, 2000)
		points[c.ID] = sc.Score
		e.Scores = append(e.Scores, sc)
	}
	if err := v.Err(); err != nil {
		return ModelEvaluation{}, err
	}
	e.Total = WeightedTotal(cs, points)
	if err := s.st.SaveModelEvaluation(ctx, p.Actor(), &e); err != nil {
		return ModelEvaluation{}, unavailable("save evaluation", err)
	}
	return e, nil
}

// RecognitionInput is the recognition decision; Version is the model's.
type RecognitionInput struct {
	Level        string `json:"level"`
	Year         int    `json:"year"`
	DecisionNo   string `json:"decision_no"`
	DecidedOn    string `json:"decided_on"`
	Commendation string `json:"commendation"`
	Version      int    `json:"version"`
}

// Recognise records the decision recognising a submitted, evaluated model:
// at commune level by whoever steers the commune the model lies in (or
// above), at province level by whoever steers the province.
func (s *Models) Recognise(ctx context.Context, p *Principal, id int64, in RecognitionInput) (Model, error) {
	m, err := s.stored(ctx, p, id, authz.ActionDirectiveManage)
	if err != nil {
		return Model{}, err
	}
	var v Validator
	level := v.Choice("level", strings.TrimSpace(in.Level), ModelLevels...)
	v.Int("year", int64(in.Year), 1990, 2100)
	rec := ModelRecognition{ModelID: id, Level: level, Year: in.Year,
		DecisionNo: v.Line("decision_no", in.DecisionNo, 1, 100), DecidedOn: v.Date("decided_on", in.DecidedOn, true),
		Commendation: v.Text("commendation", in.Commendation, 0, 2000)}
	if !v.Has("decided_on") && rec.DecidedOn > s.Today() {
		v.Add("decided_on", MsgDateOrder)
	}
	if m.Status != ModelSubmitted {
		v.Add("status", MsgModelNotSubmitted)
	}
	scope := int64(0)
	switch level {
	case ModelLevelCommune:
		if scope = m.CommuneID; scope == 0 {
			v.Add("level", MsgModelNoCommune)
		}
	case ModelLevelProvince:
		scope = s.rootOf(m.UnitID)
	}
	if m.Status == ModelSubmitted {
		es, err := s.st.ModelEvaluations(ctx, id)
		if err != nil {
			return Model{}, unavailable("model evaluations", err)
		}
		if len(es) == 0 {
			v.Add("status", MsgModelNoEvaluation)
		}
	}
	if err := v.Err(); err != nil {
		return Model{}, err
	}
	if err := s.authorize(p, authz.ActionDirectiveManage, scope); err != nil {
		return Model{}, err
	}
	if err := s.st.RecognizeModel(ctx, p.Actor(), rec, in.Version); err != nil {
		return Model{}, staleModel(err, "recognise model", m.Version)
	}
	return s.st.GetModel(ctx, id)
}

// ReplicationInput records a unit replicating a recognised model.
type ReplicationInput struct {
	UnitID    int64  `json:"unit_id"`
	StartedOn string `json:"started_on"`
	Status    string `json:"status"`
	Note      string `json:"note"`
}

// Replicate records (or updates) that a unit replicates a recognised model
// (report.edit on the replicating unit, another than the model's).
func (s *Models) Replicate(ctx context.Context, p *Principal, id int64, in ReplicationInput) (ModelReplication, error) {
	m, err := s.st.GetModel(ctx, id)
	if err != nil {
		return ModelReplication{}, unavailable("read model", err)
	}
	if !s.readable(ctx, p, m) {
		return ModelReplication{}, ErrNotFound
	}
	var v Validator
	if m.Status != ModelRecognised {
		v.Add("status", MsgModelNotRecognised)
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", MsgRequired)
	} else if _, ok := s.tree.Unit(in.UnitID); !ok {
		v.Add("unit_id", MsgBadChoice)
	} else if in.UnitID == m.UnitID {
		v.Add("unit_id", MsgModelSameUnit)
	}
	r := ModelReplication{ModelID: id, UnitID: in.UnitID, StartedOn: v.Date("started_on", in.StartedOn, true),
		Status: v.Choice("status", strings.TrimSpace(in.Status), ReplicationStatuses...), Note: v.Text("note", in.Note, 0, 2000)}
	if !v.Has("started_on") && r.StartedOn > s.Today() {
		v.Add("started_on", MsgDateOrder)
	}
	if err := v.Err(); err != nil {
		return ModelReplication{}, err
	}
	if err := s.authorize(p, authz.ActionReportEdit, in.UnitID); err != nil {
		return ModelReplication{}, err
	}
	if err := s.st.SaveModelReplication(ctx, p.Actor(), &r); err != nil {
		return ModelReplication{}, unavailable("save replication", err)
	}
	u, _ := s.tree.Unit(r.UnitID)
	r.UnitName = u.Name
	return r, nil
}

// AddFile attaches a photo or a document to a model (report.edit on its
// unit). A picture is re-encoded as a 1600 px version and a 480 px
// thumbnail; a document must pass [SniffUpload].
func (s *Models) AddFile(ctx context.Context, p *Principal, id int64, f UploadFile, caption string) (ModelFile, error) {
	m, err := s.stored(ctx, p, id, authz.ActionReportEdit)
	if err != nil {
		return ModelFile{}, err
	}
	var v Validator
	caption = v.Line("caption", caption, 0, MaxModelLine)
	if err := v.Err(); err != nil {
		return ModelFile{}, err
	}
	files, err := s.st.ModelFiles(ctx, m.ID)
	if err != nil {
		return ModelFile{}, unavailable("model files", err)
	}
	if len(files) >= MaxModelFiles {
		return ModelFile{}, Invalid("file", MsgFileTooMany, MaxModelFiles)
	}
	nf, err := PrepareModelFile(f)
	if err != nil {
		return ModelFile{}, err
	}
	nf.ModelID, nf.Caption = m.ID, caption
	if err := s.st.AddModelFile(ctx, p.Actor(), &nf); err != nil {
		return ModelFile{}, unavailable("add model file", err)
	}
	return nf.ModelFile, nil
}

// PrepareModelFile checks an upload and, for a picture, makes its large
// version and thumbnail. The demo uses it for its generated pictures.
func PrepareModelFile(f UploadFile) (store.NewModelFile, error) {
	ctype, err := SniffUpload(f.Name, f.Data)
	if err != nil {
		return store.NewModelFile{}, err
	}
	name := path.Base(strings.ReplaceAll(f.Name, `\`, "/"))
	if !CleanLine(name) || len(name) > 200 {
		name = "tep"
	}
	nf := store.NewModelFile{ModelFile: ModelFile{Kind: ModelFileDocument, Name: name, ContentType: ctype}, Data: f.Data}
	if strings.HasPrefix(ctype, "image/") {
		large, err := imaging.Fit(f.Data, modelLargeSize, modelLargeSize, modelPhotoQuality)
		if err != nil {
			return store.NewModelFile{}, Invalid("file", MsgFileType)
		}
		thumb, err := imaging.Fit(large.Data, modelThumbSize, modelThumbSize, modelThumbQuality)
		if err != nil {
			return store.NewModelFile{}, Invalid("file", MsgFileType)
		}
		nf.Kind, nf.ContentType, nf.Data, nf.Width, nf.Height = ModelFilePhoto, large.ContentType, large.Data, large.Width, large.Height
		nf.Thumb, nf.ThumbType, nf.ThumbWidth, nf.ThumbHeight = thumb.Data, thumb.ContentType, thumb.Width, thumb.Height
		nf.Name = strings.TrimSuffix(name, path.Ext(name)) + map[string]string{"image/png": ".png"}[large.ContentType]
		if path.Ext(nf.Name) == "" {
			nf.Name += ".jpg"
		}
	}
	sum := sha256.Sum256(nf.Data)
	nf.SHA256 = hex.EncodeToString(sum[:])
	return nf, nil
}

// DeleteFile removes a file of a model not yet recognised (report.edit on its unit).
func (s *Models) DeleteFile(ctx context.Context, p *Principal, id, fileID int64) error {
	m, err := s.stored(ctx, p, id, authz.ActionReportEdit)
	if err != nil {
		return err
	}
	if m.Status == ModelRecognised {
		return Invalid("status", MsgModelNotDraft)
	}
	if err := s.st.DeleteModelFile(ctx, p.Actor(), id, fileID); err != nil {
		return unavailable("delete model file", err)
	}
	return nil
}

// FileData reads a file's bytes (thumb: a photo's thumbnail) for p, and
// whether it is public (a photo of a recognised model), which the doors
// serve with long-lived public caching.
func (s *Models) FileData(ctx context.Context, p *Principal, fileID int64, thumb bool) (ModelFile, []byte, bool, error) {
	f, data, err := s.st.ModelFileData(ctx, fileID, thumb)
	if err != nil {
		return ModelFile{}, nil, false, unavailable("read model file", err)
	}
	m, err := s.st.GetModel(ctx, f.ModelID)
	if err != nil {
		return ModelFile{}, nil, false, unavailable("read model", err)
	}
	if m.Status == ModelRecognised && f.Kind == ModelFilePhoto {
		return f, data, true, nil
	}
	internal := p != nil && (s.can(p, authz.ActionReportRead, m.UnitID) || s.can(p, authz.ActionDirectiveManage, m.UnitID) || s.isEvaluator(ctx, p, m.ID))
	if !internal {
		return ModelFile{}, nil, false, ErrNotFound
	}
	return f, data, false, nil
}
