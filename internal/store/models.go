package store

// "Dân vận khéo" models and examples: the registered models (models), their
// photos and documents (model_files), the criteria kept as data per year
// and field (model_criteria), the assigned evaluators and their scores
// (model_evaluators, model_evaluations), the recognition decision
// (model_recognitions) and the units replicating a model
// (model_replications). Every write is audited in its own transaction;
// models carry a version checked on each write (optimistic lock).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// ModelResult is one figure of a model's results ("Hộ thoát nghèo", 120, "hộ").
type ModelResult struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Model is a collective model or an individual example.
type Model struct {
	ID          int64         `json:"id"`
	Kind        string        `json:"kind"`
	Name        string        `json:"name"`
	Field       string        `json:"field"`
	UnitID      int64         `json:"unit_id"`
	UnitName    string        `json:"unit_name"`
	PlaceUnitID int64         `json:"place_unit_id,omitempty"`
	PlaceName   string        `json:"place_name,omitempty"`
	CommuneID   int64         `json:"commune_id,omitempty"`
	PeriodFrom  string        `json:"period_from"`
	PeriodTo    string        `json:"period_to,omitempty"`
	Summary     string        `json:"summary"`
	Description string        `json:"description"`
	Results     []ModelResult `json:"results"`
	Links       []string      `json:"links"`
	Status      string        `json:"status"`
	Version     int           `json:"version"`
	UpdatedAt   time.Time     `json:"updated_at"`
	// Recognition is the recognition decision, when there is one.
	Recognition *ModelRecognition `json:"recognition,omitempty"`
	// Cover is the first photo (its id, digest and thumbnail's size), set
	// by the lists.
	Cover *ModelFile `json:"cover,omitempty"`
}

// ModelFile is a photo or document of a model, without its bytes.
type ModelFile struct {
	ID          int64  `json:"id"`
	ModelID     int64  `json:"model_id"`
	Kind        string `json:"kind"` // photo, document
	Name        string `json:"name"`
	Caption     string `json:"caption,omitempty"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	ThumbType   string `json:"-"`
	ThumbWidth  int    `json:"thumb_width,omitempty"`
	ThumbHeight int    `json:"thumb_height,omitempty"`
}

// NewModelFile is a file to store: Data is a photo's large version or the
// document, Thumb a photo's thumbnail.
type NewModelFile struct {
	ModelFile
	Data  []byte
	Thumb []byte
}

// ModelCriterion is one criterion of a year and field, with its weight.
type ModelCriterion struct {
	ID       int64  `json:"id"`
	Year     int    `json:"year"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Weight   int    `json:"weight"`
	Guidance string `json:"guidance"`
}

// ModelScore is an evaluator's score (0–10) on one criterion.
type ModelScore struct {
	CriterionID int64  `json:"criterion_id"`
	Score       int    `json:"score"`
	Comment     string `json:"comment,omitempty"`
}

// ModelEvaluation is one evaluator's scores of a model. Total is the
// weighted score out of 100, in tenths (a total of 1000 is 100 points).
type ModelEvaluation struct {
	ID            int64        `json:"id"`
	ModelID       int64        `json:"model_id"`
	EvaluatorID   int64        `json:"evaluator_id"`
	EvaluatorName string       `json:"evaluator_name"`
	Scores        []ModelScore `json:"scores"`
	Comment       string       `json:"comment"`
	Total         int          `json:"total_tenths"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// ModelEvaluator is a user assigned to evaluate a model.
type ModelEvaluator struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
}

// ModelRecognition is the decision recognising a model at a level and year.
type ModelRecognition struct {
	ModelID      int64  `json:"model_id"`
	Level        string `json:"level"`
	Year         int    `json:"year"`
	DecisionNo   string `json:"decision_no"`
	DecidedOn    string `json:"decided_on"`
	Commendation string `json:"commendation"`
}

// ModelReplication is a unit replicating a recognised model.
type ModelReplication struct {
	ID        int64  `json:"id"`
	ModelID   int64  `json:"model_id"`
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
	StartedOn string `json:"started_on"`
	Status    string `json:"status"`
	Note      string `json:"note"`
}

const modelCols = `m.id, m.kind, m.name, m.field, m.unit_id, u.name, COALESCE(m.place_unit_id, 0), COALESCE(pu.name, ''), COALESCE(m.commune_id, 0),
	m.period_from, m.period_to, m.summary, m.description, m.results, m.links, m.status, m.version, m.updated_at,
	COALESCE(r.level, ''), COALESCE(r.year, 0), COALESCE(r.decision_no, ''), COALESCE(r.decided_on, ''), COALESCE(r.commendation, '')`

const modelFrom = ` FROM models m JOIN units u ON u.id = m.unit_id LEFT JOIN units pu ON pu.id = m.place_unit_id
	LEFT JOIN model_recognitions r ON r.model_id = m.id`

func scanModel(sc interface{ Scan(...any) error }) (Model, error) {
	var m Model
	var results, links string
	var at Time
	var rec ModelRecognition
	err := sc.Scan(&m.ID, &m.Kind, &m.Name, &m.Field, &m.UnitID, &m.UnitName, &m.PlaceUnitID, &m.PlaceName, &m.CommuneID,
		&m.PeriodFrom, &m.PeriodTo, &m.Summary, &m.Description, &results, &links, &m.Status, &m.Version, &at,
		&rec.Level, &rec.Year, &rec.DecisionNo, &rec.DecidedOn, &rec.Commendation)
	if err != nil {
		return m, err
	}
	m.UpdatedAt = at.Time
	if err := json.Unmarshal([]byte(results), &m.Results); err != nil {
		return m, fmt.Errorf("model %d results: %w", m.ID, err)
	}
	if err := json.Unmarshal([]byte(links), &m.Links); err != nil {
		return m, fmt.Errorf("model %d links: %w", m.ID, err)
	}
	if m.Results == nil {
		m.Results = []ModelResult{}
	}
	if m.Links == nil {
		m.Links = []string{}
	}
	if rec.Level != "" {
		rec.ModelID = m.ID
		m.Recognition = &rec
	}
	return m, nil
}

func modelJSON(m *Model) (string, string) {
	r, _ := json.Marshal(m.Results)
	l, _ := json.Marshal(m.Links)
	if m.Results == nil {
		r = []byte("[]")
	}
	if m.Links == nil {
		l = []byte("[]")
	}
	return string(r), string(l)
}

// CreateModel stores a new model and sets its id and version.
func (s *Store) CreateModel(ctx context.Context, a audit.Actor, m *Model) error {
	now := s.Now()
	results, links := modelJSON(m)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO models (kind, name, field, unit_id, place_unit_id, commune_id, period_from, period_to, summary, description,
			results, links, status, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			m.Kind, m.Name, m.Field, m.UnitID, nullID(m.PlaceUnitID), nullID(m.CommuneID), m.PeriodFrom, m.PeriodTo, m.Summary, m.Description,
			results, links, m.Status, nullID(a.UserID), s.ts(now), s.ts(now))
		if err != nil {
			return fmt.Errorf("insert model: %w", err)
		}
		m.ID, m.Version, m.UpdatedAt = id, 1, now
		return s.appendAudit(ctx, tx, a, "model.create", "model", id, nil, m)
	})
}

// UpdateModel writes a model's fields and status when its version is still
// version: ErrStale otherwise, ErrNotFound for an unknown id. action names
// the audit entry (model.update, model.submit, …).
func (s *Store) UpdateModel(ctx context.Context, a audit.Actor, m *Model, version int, action string) error {
	results, links := modelJSON(m)
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := scanModel(s.txQueryRow(ctx, tx, s.q(`SELECT `+modelCols+modelFrom+` WHERE m.id = ?`), m.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("model %d: %w", m.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := s.bump(ctx, tx, "models", `kind = ?, name = ?, field = ?, unit_id = ?, place_unit_id = ?, commune_id = ?, period_from = ?, period_to = ?,
			summary = ?, description = ?, results = ?, links = ?, status = ?, updated_at = ?`, m.ID, version,
			m.Kind, m.Name, m.Field, m.UnitID, nullID(m.PlaceUnitID), nullID(m.CommuneID), m.PeriodFrom, m.PeriodTo,
			m.Summary, m.Description, results, links, m.Status, s.ts(now)); err != nil {
			return err
		}
		m.Version, m.UpdatedAt = version+1, now
		return s.appendAudit(ctx, tx, a, action, "model", m.ID, before, m)
	})
}

// GetModel reads a model with its recognition.
func (s *Store) GetModel(ctx context.Context, id int64) (Model, error) {
	m, err := scanModel(s.db.QueryRowContext(ctx, s.q(`SELECT `+modelCols+modelFrom+` WHERE m.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("model %d: %w", id, ErrNotFound)
	}
	return m, err
}

// ModelFilter chooses models: of the given units or assigned to Evaluator
// (UnitIDs nil: all), with one of
// Statuses (empty: any), of a field, recognised at a level or in a year,
// placed in a commune, whose name contains Query; Limit rows after Offset
// (Limit 0: all).
type ModelFilter struct {
	UnitIDs   []int64
	Evaluator int64
	Statuses  []string
	Field     string
	Level     string
	Year      int
	CommuneID int64
	Limit     int
	Offset    int
}

// ListModels lists models, recognised ones by year (newest first) then by
// name, each with its first photo, and the number matching before paging.
func (s *Store) ListModels(ctx context.Context, f ModelFilter) ([]Model, int, error) {
	where := ` WHERE 1 = 1`
	var args []any
	switch {
	case f.UnitIDs != nil && len(f.UnitIDs) == 0 && f.Evaluator == 0:
		return []Model{}, 0, nil
	case f.UnitIDs != nil:
		where += ` AND (m.unit_id IN (` + placeholders(max(len(f.UnitIDs), 1)) + `) OR m.id IN (SELECT model_id FROM model_evaluators WHERE user_id = ?))`
		for _, id := range f.UnitIDs {
			args = append(args, id)
		}
		if len(f.UnitIDs) == 0 {
			args = append(args, 0)
		}
		args = append(args, f.Evaluator)
	}
	if len(f.Statuses) > 0 {
		where += ` AND m.status IN (` + placeholders(len(f.Statuses)) + `)`
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Field != "" {
		where += ` AND m.field = ?`
		args = append(args, f.Field)
	}
	if f.Level != "" {
		where += ` AND r.level = ?`
		args = append(args, f.Level)
	}
	if f.Year != 0 {
		where += ` AND r.year = ?`
		args = append(args, f.Year)
	}
	if f.CommuneID != 0 {
		where += ` AND m.commune_id = ?`
		args = append(args, f.CommuneID)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*)`+modelFrom+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count models: %w", err)
	}
	q := `SELECT ` + modelCols + `, COALESCE(cf.id, 0), COALESCE(cf.sha256, ''), COALESCE(cf.thumb_width, 0), COALESCE(cf.thumb_height, 0)` +
		modelFrom + ` LEFT JOIN model_files cf ON cf.id = (SELECT MIN(f.id) FROM model_files f WHERE f.model_id = m.id AND f.kind = 'photo')` +
		where + ` ORDER BY COALESCE(r.year, 0) DESC, m.name, m.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list models: %w", err)
	}
	defer rows.Close()
	out := []Model{}
	for rows.Next() {
		var c ModelFile
		m, err := scanModel(scanTail{rows, []any{&c.ID, &c.SHA256, &c.ThumbWidth, &c.ThumbHeight}})
		if err != nil {
			return nil, 0, err
		}
		if c.ID != 0 {
			c.ModelID, c.Kind = m.ID, "photo"
			m.Cover = &c
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// scanTail scans extra columns after the ones its caller names.
type scanTail struct {
	rows  *sql.Rows
	extra []any
}

func (t scanTail) Scan(dest ...any) error { return t.rows.Scan(append(dest, t.extra...)...) }

// ModelYears lists the years in which models were recognised, newest first.
func (s *Store) ModelYears(ctx context.Context) ([]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT year FROM model_recognitions ORDER BY year DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// AddModelFile stores a photo or document of a model.
func (s *Store) AddModelFile(ctx context.Context, a audit.Actor, f *NewModelFile) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var thumb any
		if f.Thumb != nil {
			thumb = f.Thumb
		}
		id, err := s.insertID(ctx, tx, `INSERT INTO model_files (model_id, kind, name, caption, content_type, size, sha256, data, width, height,
			thumb, thumb_type, thumb_width, thumb_height, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ModelID, f.Kind, f.Name, f.Caption, f.ContentType, int64(len(f.Data)), f.SHA256, f.Data, f.Width, f.Height,
			thumb, f.ThumbType, f.ThumbWidth, f.ThumbHeight, nullID(a.UserID), s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("insert model file: %w", err)
		}
		f.ID, f.Size = id, int64(len(f.Data))
		return s.appendAudit(ctx, tx, a, "model.file.add", "model", f.ModelID, nil, f.ModelFile)
	})
}

// DeleteModelFile removes a file of a model.
func (s *Store) DeleteModelFile(ctx context.Context, a audit.Actor, modelID, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, s.q(`DELETE FROM model_files WHERE id = ? AND model_id = ?`), id, modelID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("model file %d: %w", id, ErrNotFound)
		}
		return s.appendAudit(ctx, tx, a, "model.file.delete", "model", modelID, map[string]int64{"file_id": id}, nil)
	})
}

const modelFileCols = `id, model_id, kind, name, caption, content_type, size, sha256, width, height, thumb_type, thumb_width, thumb_height`

func scanModelFile(sc interface{ Scan(...any) error }, extra ...any) (ModelFile, error) {
	var f ModelFile
	err := sc.Scan(append([]any{&f.ID, &f.ModelID, &f.Kind, &f.Name, &f.Caption, &f.ContentType, &f.Size, &f.SHA256, &f.Width, &f.Height,
		&f.ThumbType, &f.ThumbWidth, &f.ThumbHeight}, extra...)...)
	return f, err
}

// ModelFiles lists a model's files, photos first, in upload order.
func (s *Store) ModelFiles(ctx context.Context, modelID int64) ([]ModelFile, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+modelFileCols+` FROM model_files WHERE model_id = ? ORDER BY kind DESC, id`), modelID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ModelFile{}
	for rows.Next() {
		f, err := scanModelFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ModelFileData reads a file and its bytes: the large version or the
// document, or with thumb the thumbnail (its type in ContentType).
func (s *Store) ModelFileData(ctx context.Context, id int64, thumb bool) (ModelFile, []byte, error) {
	col := "data"
	if thumb {
		col = "COALESCE(thumb, data)"
	}
	var data []byte
	f, err := scanModelFile(s.db.QueryRowContext(ctx, s.q(`SELECT `+modelFileCols+`, `+col+` FROM model_files WHERE id = ?`), id), &data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, fmt.Errorf("model file %d: %w", id, ErrNotFound)
	}
	if thumb && f.ThumbType != "" {
		f.ContentType = f.ThumbType
	}
	return f, data, err
}

// ReplaceModelCriteria writes the criteria of a year and field: those
// listed replace the ones stored (matched by code); the others are removed.
func (s *Store) ReplaceModelCriteria(ctx context.Context, a audit.Actor, year int, field string, cs []ModelCriterion) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := s.modelCriteria(ctx, tx, year, field)
		if err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM model_criteria WHERE year = ? AND field = ?`), year, field); err != nil {
			return err
		}
		for i := range cs {
			c := &cs[i]
			c.Year, c.Field = year, field
			id, err := s.insertID(ctx, tx, `INSERT INTO model_criteria (year, field, code, name, weight, guidance) VALUES (?, ?, ?, ?, ?, ?)`,
				c.Year, c.Field, c.Code, c.Name, c.Weight, c.Guidance)
			if isUnique(err) {
				return fmt.Errorf("criterion %s: %w", c.Code, ErrConflict)
			}
			if err != nil {
				return fmt.Errorf("insert criterion: %w", err)
			}
			c.ID = id
		}
		return s.appendAudit(ctx, tx, a, "model.criteria", "model_criteria", fmt.Sprintf("%d/%s", year, field), before, cs)
	})
}

// ModelCriteria lists the criteria of a year and field in code order.
func (s *Store) ModelCriteria(ctx context.Context, year int, field string) ([]ModelCriterion, error) {
	return s.modelCriteria(ctx, s.db, year, field)
}

func (s *Store) modelCriteria(ctx context.Context, qr querier, year int, field string) ([]ModelCriterion, error) {
	rows, err := qr.QueryContext(ctx, s.q(`SELECT id, year, field, code, name, weight, guidance FROM model_criteria WHERE year = ? AND field = ? ORDER BY code`), year, field)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ModelCriterion{}
	for rows.Next() {
		var c ModelCriterion
		if err := rows.Scan(&c.ID, &c.Year, &c.Field, &c.Code, &c.Name, &c.Weight, &c.Guidance); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AssignModelEvaluator assigns a user to evaluate a model (again: no change).
func (s *Store) AssignModelEvaluator(ctx context.Context, a audit.Actor, modelID, userID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO model_evaluators (model_id, user_id, assigned_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
			modelID, userID, s.ts(s.Now())); err != nil {
			return fmt.Errorf("assign evaluator: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "model.evaluator", "model", modelID, nil, map[string]int64{"user_id": userID})
	})
}

// ModelEvaluators lists the users assigned to evaluate a model.
func (s *Store) ModelEvaluators(ctx context.Context, modelID int64) ([]ModelEvaluator, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT e.user_id, us.username, us.full_name FROM model_evaluators e JOIN users us ON us.id = e.user_id
		WHERE e.model_id = ? ORDER BY us.full_name, us.id`), modelID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ModelEvaluator{}
	for rows.Next() {
		var e ModelEvaluator
		if err := rows.Scan(&e.UserID, &e.Username, &e.FullName); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveModelEvaluation writes an evaluator's scores of a model (replacing
// earlier ones) and sets the evaluation's id.
func (s *Store) SaveModelEvaluation(ctx context.Context, a audit.Actor, e *ModelEvaluation) error {
	scores, err := json.Marshal(e.Scores)
	if err != nil {
		return err
	}
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO model_evaluations (model_id, evaluator_id, scores, comment, total, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (model_id, evaluator_id) DO UPDATE SET scores = excluded.scores, comment = excluded.comment, total = excluded.total, updated_at = excluded.updated_at`,
			e.ModelID, e.EvaluatorID, string(scores), e.Comment, e.Total, s.ts(now))
		if err != nil {
			return fmt.Errorf("save evaluation: %w", err)
		}
		e.ID, e.UpdatedAt = id, now
		return s.appendAudit(ctx, tx, a, "model.evaluate", "model", e.ModelID, nil, e)
	})
}

// ModelEvaluations lists a model's evaluations by evaluator name.
func (s *Store) ModelEvaluations(ctx context.Context, modelID int64) ([]ModelEvaluation, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT e.id, e.model_id, e.evaluator_id, us.full_name, e.scores, e.comment, e.total, e.updated_at
		FROM model_evaluations e JOIN users us ON us.id = e.evaluator_id WHERE e.model_id = ? ORDER BY us.full_name, e.id`), modelID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ModelEvaluation{}
	for rows.Next() {
		var e ModelEvaluation
		var scores string
		var at Time
		if err := rows.Scan(&e.ID, &e.ModelID, &e.EvaluatorID, &e.EvaluatorName, &scores, &e.Comment, &e.Total, &at); err != nil {
			return nil, err
		}
		e.UpdatedAt = at.Time
		if err := json.Unmarshal([]byte(scores), &e.Scores); err != nil {
			return nil, fmt.Errorf("evaluation %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecognizeModel records the recognition decision and sets the model's
// status to recognised under its version lock; a model recognised already
// answers ErrConflict.
func (s *Store) RecognizeModel(ctx context.Context, a audit.Actor, rec ModelRecognition, version int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bump(ctx, tx, "models", `status = 'recognised', updated_at = ?`, rec.ModelID, version, s.ts(s.Now())); err != nil {
			return err
		}
		_, err := s.txExec(ctx, tx, s.q(`INSERT INTO model_recognitions (model_id, level, year, decision_no, decided_on, commendation, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), rec.ModelID, rec.Level, rec.Year, rec.DecisionNo, rec.DecidedOn, rec.Commendation, nullID(a.UserID), s.ts(s.Now()))
		if isUnique(err) {
			return fmt.Errorf("model %d recognised already: %w", rec.ModelID, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("insert recognition: %w", err)
		}
		return s.appendAudit(ctx, tx, a, "model.recognise", "model", rec.ModelID, nil, rec)
	})
}

// SaveModelReplication records a unit replicating a model, or updates the
// unit's record (status, note) when there is one; it sets the id.
func (s *Store) SaveModelReplication(ctx context.Context, a audit.Actor, r *ModelReplication) error {
	now := s.ts(s.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertID(ctx, tx, `INSERT INTO model_replications (model_id, unit_id, started_on, status, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (model_id, unit_id) DO UPDATE SET started_on = excluded.started_on, status = excluded.status, note = excluded.note, updated_at = excluded.updated_at`,
			r.ModelID, r.UnitID, r.StartedOn, r.Status, r.Note, now, now)
		if err != nil {
			return fmt.Errorf("save replication: %w", err)
		}
		r.ID = id
		return s.appendAudit(ctx, tx, a, "model.replicate", "model", r.ModelID, nil, r)
	})
}

// ModelReplications lists the units replicating a model, by start date.
func (s *Store) ModelReplications(ctx context.Context, modelID int64) ([]ModelReplication, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.id, r.model_id, r.unit_id, u.name, r.started_on, r.status, r.note
		FROM model_replications r JOIN units u ON u.id = r.unit_id WHERE r.model_id = ? ORDER BY r.started_on, u.name, r.id`), modelID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ModelReplication{}
	for rows.Next() {
		var r ModelReplication
		if err := rows.Scan(&r.ID, &r.ModelID, &r.UnitID, &r.UnitName, &r.StartedOn, &r.Status, &r.Note); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ModelCommunes lists the communes that hold at least one model of the
// given status.
func (s *Store) ModelCommunes(ctx context.Context, status string) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT commune_id FROM models WHERE status = ? AND commune_id IS NOT NULL ORDER BY commune_id`), status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
