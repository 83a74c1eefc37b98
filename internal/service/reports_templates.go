package service

// Schedules of report templates (who reports, and by when) and the rule
// that keeps a template's form stable once reports on it have been sent.

import (
	"context"
	"errors"
	"fmt"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
)

// Message keys of template schedules and templates in use.
const (
	MsgTemplateInUse = "report.template.in_use"
)

// ScheduleInput says who reports on a template.
type ScheduleInput struct {
	UnitID    int64
	Kinds     []string
	Deadlines []report.LevelDeadline
}

// CreateSchedule adds a schedule to template templateID. p must manage
// templates on the scheduled unit, and the unit must lie within the
// template's owner unit. Every number is bounded: at most 20 levels, each
// 1–366 days after the cut-off.
func (r *Reports) CreateSchedule(ctx context.Context, p *Principal, templateID int64, in ScheduleInput) (Schedule, error) {
	if err := signedIn(p); err != nil {
		return Schedule{}, err
	}
	t, err := r.st.GetTemplate(ctx, templateID)
	if err != nil {
		return Schedule{}, unavailable("template", err)
	}
	if err := r.checkSchedule(p, t, &in); err != nil {
		return Schedule{}, err
	}
	sc := Schedule{TemplateID: templateID, UnitID: in.UnitID, Kinds: in.Kinds, Deadlines: in.Deadlines}
	if err := r.st.CreateSchedule(ctx, p.Actor(), &sc); err != nil {
		return sc, unavailable("schedule", err)
	}
	return sc, nil
}

// ScheduleOf returns schedule id of template templateID (ErrNotFound when
// it belongs to another template or was removed).
func (r *Reports) ScheduleOf(ctx context.Context, p *Principal, templateID, id int64) (Schedule, error) {
	if err := signedIn(p); err != nil {
		return Schedule{}, err
	}
	sc, err := r.st.GetSchedule(ctx, id)
	if err != nil {
		return sc, unavailable("schedule", err)
	}
	if sc.TemplateID != templateID {
		return Schedule{}, ErrNotFound
	}
	return sc, nil
}

// UpdateSchedule replaces schedule id of template templateID. p must manage
// templates on the unit scheduled now and on the new one; the input is
// checked as by [Reports.CreateSchedule].
func (r *Reports) UpdateSchedule(ctx context.Context, p *Principal, templateID, id int64, in ScheduleInput) (Schedule, error) {
	cur, err := r.ScheduleOf(ctx, p, templateID, id)
	if err != nil {
		return Schedule{}, err
	}
	if err := r.authorize(p, authz.ActionTemplateManage, cur.UnitID); err != nil {
		return Schedule{}, err
	}
	t, err := r.st.GetTemplate(ctx, templateID)
	if err != nil {
		return Schedule{}, unavailable("template", err)
	}
	if err := r.checkSchedule(p, t, &in); err != nil {
		return Schedule{}, err
	}
	sc := Schedule{ID: id, TemplateID: templateID, UnitID: in.UnitID, Kinds: in.Kinds, Deadlines: in.Deadlines}
	if err := r.st.UpdateSchedule(ctx, p.Actor(), &sc); err != nil {
		return sc, unavailable("schedule", err)
	}
	return sc, nil
}

// RemoveSchedule removes schedule id of template templateID: its units are
// no longer expected to report; their reports already opened stay. p must
// manage templates on the scheduled unit.
func (r *Reports) RemoveSchedule(ctx context.Context, p *Principal, templateID, id int64) error {
	cur, err := r.ScheduleOf(ctx, p, templateID, id)
	if err != nil {
		return err
	}
	if err := r.authorize(p, authz.ActionTemplateManage, cur.UnitID); err != nil {
		return err
	}
	return unavailable("schedule", r.st.RemoveSchedule(ctx, p.Actor(), id))
}

// checkSchedule checks who may schedule what on template t and validates
// the input (the one rule of creating and replacing a schedule). It trims
// the level names in place.
func (r *Reports) checkSchedule(p *Principal, t Template, in *ScheduleInput) error {
	var v Validator
	if _, ok := r.tree.Unit(in.UnitID); !ok {
		// No unit to check on: the template's own unit decides who may hear so.
		if err := r.authorize(p, authz.ActionTemplateManage, t.OwnerUnitID); err != nil {
			return err
		}
		v.Add("unit_id", MsgNoUnit)
	} else {
		if err := r.authorize(p, authz.ActionTemplateManage, in.UnitID); err != nil {
			return err
		}
		if t.OwnerUnitID != 0 && !r.tree.Contains(t.OwnerUnitID, in.UnitID) {
			v.Add("unit_id", MsgOutsideOwner)
		}
	}
	if len(in.Kinds) > len(org.Kinds) {
		v.Add("kinds", MsgTooMany)
	}
	for i, k := range in.Kinds {
		if _, err := org.ParseKind(k); err != nil {
			v.Add(fmt.Sprintf("kinds[%d]", i), MsgBadChoice)
		}
	}
	switch {
	case len(in.Deadlines) == 0:
		v.Add("deadlines", MsgRequired)
	case len(in.Deadlines) > maxLevels:
		v.Add("deadlines", MsgRange, 1, maxLevels)
	}
	levels := make([]report.Deadline, 0, len(in.Deadlines))
	for i, l := range in.Deadlines {
		if i >= maxLevels {
			break
		}
		f := fmt.Sprintf("deadlines[%d]", i)
		in.Deadlines[i].Level = v.Line(f+".level", l.Level, 1, maxLevelName)
		v.Int(f+".days_after_end", int64(l.DaysAfterEnd), 1, report.MaxDaysAfterEnd)
		if len(l.Kinds) > len(org.Kinds) {
			v.Add(f+".kinds", MsgTooMany)
		}
		for j, k := range l.Kinds {
			if _, err := org.ParseKind(k); err != nil {
				v.Add(fmt.Sprintf("%s.kinds[%d]", f, j), MsgBadChoice)
			}
		}
		levels = append(levels, in.Deadlines[i].Deadline())
	}
	if v.Err() == nil {
		if err := report.ValidateDeadlines(levels); err != nil {
			key := report.ErrDeadlineDays.Error()
			for _, e := range []error{report.ErrDeadlineLevel, report.ErrDeadlineDuplicate, report.ErrDeadlineDays, report.ErrDeadlineTooLate} {
				if errors.Is(err, e) {
					key = e.Error()
				}
			}
			v.Add("deadlines", key)
		}
	}
	return v.Err()
}

// checkInUse refuses the changes that would break the reports already sent
// on template cur: its period type or cut-off day, an indicator's type, or
// a category of an indicator's disaggregation. Indicators may be added and
// removed (sent values keep their rows), sections too.
func (r *Reports) checkInUse(ctx context.Context, cur, next Template) error {
	if cur.PeriodType == next.PeriodType && cur.CutoffDay == next.CutoffDay && !brokenIndicators(cur.Definition, next.Definition) {
		return nil
	}
	sent, err := r.st.TemplateSent(ctx, cur.ID)
	if err != nil {
		return unavailable("template", err)
	}
	if !sent {
		return nil
	}
	var v Validator
	if cur.PeriodType != next.PeriodType {
		v.Add("period_type", MsgTemplateInUse)
	}
	if cur.CutoffDay != next.CutoffDay {
		v.Add("cutoff_day", MsgTemplateInUse)
	}
	for i, in := range next.Definition.Indicators {
		old, ok := cur.Definition.Indicator(in.Code)
		if !ok {
			continue
		}
		p := fmt.Sprintf("definition.indicators[%d]", i)
		if old.Type != in.Type {
			v.Add(p+".type", MsgTemplateInUse)
		}
		if lostCategory(old, in) {
			v.Add(p+".disaggregation", MsgTemplateInUse)
		}
	}
	return v.Err()
}

// brokenIndicators reports whether an indicator of cur kept in next changed
// its type or lost a category.
func brokenIndicators(cur, next report.Definition) bool {
	for _, in := range next.Indicators {
		if old, ok := cur.Indicator(in.Code); ok && (old.Type != in.Type || lostCategory(old, in)) {
			return true
		}
	}
	return false
}

// lostCategory reports whether next lacks a category old has.
func lostCategory(old, next report.Indicator) bool {
	if old.Disaggregation == nil {
		return false
	}
	keep := map[string]bool{}
	if next.Disaggregation != nil {
		for _, c := range next.Disaggregation.Categories {
			keep[c.Key] = true
		}
	}
	for _, c := range old.Disaggregation.Categories {
		if !keep[c.Key] {
			return true
		}
	}
	return false
}
