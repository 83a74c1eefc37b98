package store

// Reads behind a user's "my work" page: the reports of the user's own
// units that still need work, the reports waiting for review in a subtree,
// the overdue plan activities of some units. The services choose the units
// from the in-memory tree; these queries only filter rows.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/report"
)

// maxWorkRows bounds every "my work" list.
const maxWorkRows = 200

func workLimit(n int) string {
	if n <= 0 || n > maxWorkRows {
		n = maxWorkRows
	}
	return strconv.Itoa(n)
}

// UnitReports lists the reports of units (drafts included) whose status is
// one of statuses (none: any), or whose period ended on or after endedFrom
// when that is set, earliest due date first.
func (s *Store) UnitReports(ctx context.Context, units []int64, statuses []report.Status, endedFrom string, limit int) ([]report.Report, error) {
	if len(units) == 0 {
		return nil, nil
	}
	ph, args := idList(units)
	conds := []string{`r.unit_id IN (` + ph + `)`}
	var or []string
	if len(statuses) > 0 {
		sp := make([]string, len(statuses))
		for i, st := range statuses {
			sp[i] = "?"
			args = append(args, string(st))
		}
		or = append(or, `r.status IN (`+strings.Join(sp, ",")+`)`)
	}
	if endedFrom != "" {
		or = append(or, `r.period_to >= ?`)
		args = append(args, endedFrom)
	}
	if len(or) > 0 {
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	return s.workReports(ctx, "", conds, ` ORDER BY r.due_on, r.id LIMIT `+workLimit(limit), args)
}

// SubmittedUnder lists the submitted reports of the units in the subtrees
// of roots, newest submission first. The caller keeps those the user may
// review (a unit head reviews below its unit, never its own report).
func (s *Store) SubmittedUnder(ctx context.Context, roots []int64, limit int) ([]report.Report, error) {
	if len(roots) == 0 {
		return nil, nil
	}
	with, args := scopeCTE(roots)
	conds := []string{`r.unit_id IN (SELECT id FROM sub)`, `r.status = ?`}
	args = append(args, string(report.Submitted))
	return s.workReports(ctx, with, conds, ` ORDER BY r.submitted_at DESC, r.id DESC LIMIT `+workLimit(limit), args)
}

func (s *Store) workReports(ctx context.Context, with string, conds []string, tail string, args []any) ([]report.Report, error) {
	rows, err := s.db.QueryContext(ctx, s.q(with+`SELECT `+reportCols+reportFrom+` WHERE `+strings.Join(conds, " AND ")+tail), args...)
	if err != nil {
		return nil, fmt.Errorf("work reports: %w", err)
	}
	defer rows.Close()
	var out []report.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// OverdueActivities lists the plan activities of units that are due before
// today (YYYY-MM-DD) and not finished, earliest due first; withdrawn ones
// (directive, task or assignment withdrawn) are no longer due.
func (s *Store) OverdueActivities(ctx context.Context, units []int64, today string, limit int) ([]programme.Activity, error) {
	if len(units) == 0 {
		return nil, nil
	}
	ph, args := idList(units)
	args = append(args, today)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+activityCols+activityFrom+` WHERE p.unit_id IN (`+ph+`) AND p.due_on < ? AND p.progress < 100
		AND NOT `+activityWithdrawn+` ORDER BY p.due_on, p.id LIMIT `+workLimit(limit)), args...)
	if err != nil {
		return nil, fmt.Errorf("overdue activities: %w", err)
	}
	defer rows.Close()
	var out []programme.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
