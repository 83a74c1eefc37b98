package programme

import "sort"

// UnitFigure is one unit's roll-up.
type UnitFigure struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Rollup   Rollup `json:"rollup"`
}

// TaskSummary is a task's roll-up with each unit's figure.
type TaskSummary struct {
	TaskID int64        `json:"task_id"`
	Number int          `json:"number"`
	Rollup Rollup       `json:"rollup"`
	Units  []UnitFigure `json:"units"`
}

// Summary is a directive's progress on a date.
type Summary struct {
	Rollup Rollup        `json:"rollup"`
	Tasks  []TaskSummary `json:"tasks"`
	Units  []UnitFigure  `json:"units"`
}

// Derive sets the status of every activity on today.
func (r Rules) Derive(acts []Activity, today string) {
	for i := range acts {
		acts[i].Status = r.StatusOf(acts[i].StartOn, acts[i].DueOn, acts[i].Progress, today)
	}
}

// Summarise rolls a directive's activities up to its tasks and to the
// directive (see the roll-up semantics in rollup.go). Units assigned a task
// without planning anything for it count as 0 % in that task. Withdrawn
// tasks, assignments and activities count nowhere. acts get their status set.
func Summarise(d Directive, acts []Activity, r Rules, today string) Summary {
	r.Derive(acts, today)
	live := map[int64]bool{}
	for _, t := range d.Tasks {
		live[t.ID] = t.Withdrawn == nil && d.Withdrawn == nil
	}
	kept := acts[:0:0]
	for _, a := range acts {
		if !a.Withdrawn && live[a.TaskID] {
			kept = append(kept, a)
		}
	}
	acts = kept
	type key struct{ task, unit int64 }
	items := map[key][]Item{}
	names := map[int64]string{}
	byUnit := map[int64][]Item{}
	for _, a := range acts {
		items[key{a.TaskID, a.UnitID}] = append(items[key{a.TaskID, a.UnitID}], a.Item())
		byUnit[a.UnitID] = append(byUnit[a.UnitID], a.Item())
		names[a.UnitID] = a.UnitName
	}
	var s Summary
	var taskRolls []Rollup
	for _, t := range d.Tasks {
		if !live[t.ID] {
			continue
		}
		units := map[int64]bool{}
		for _, as := range t.Assignments {
			if as.Withdrawn != nil {
				continue
			}
			units[as.UnitID] = true
			if names[as.UnitID] == "" {
				names[as.UnitID] = as.UnitName
			}
			if _, ok := byUnit[as.UnitID]; !ok {
				byUnit[as.UnitID] = nil
			}
		}
		for k := range items {
			if k.task == t.ID {
				units[k.unit] = true
			}
		}
		ts := TaskSummary{TaskID: t.ID, Number: t.Number}
		var parts []Rollup
		for u := range units {
			its := items[key{t.ID, u}]
			if len(its) == 0 {
				// Assigned, nothing planned: one not-started item at 0 %.
				its = []Item{{Weight: 1, Percent: 0, Status: StatusNotStarted}}
			}
			ru := Roll(its)
			ts.Units = append(ts.Units, UnitFigure{UnitID: u, UnitName: names[u], Rollup: ru})
			parts = append(parts, ru.Reweight(1))
		}
		sortFigures(ts.Units)
		ts.Rollup = Merge(parts...)
		taskRolls = append(taskRolls, ts.Rollup.Reweight(t.Weight))
		s.Tasks = append(s.Tasks, ts)
	}
	s.Rollup = Merge(taskRolls...)
	for u, its := range byUnit {
		s.Units = append(s.Units, UnitFigure{UnitID: u, UnitName: names[u], Rollup: Roll(its)})
	}
	sortFigures(s.Units)
	return s
}

func sortFigures(fs []UnitFigure) {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].UnitName != fs[j].UnitName {
			return fs[i].UnitName < fs[j].UnitName
		}
		return fs[i].UnitID < fs[j].UnitID
	})
}

// Task returns the summary of task id (zero value when absent).
func (s Summary) Task(id int64) TaskSummary {
	for _, t := range s.Tasks {
		if t.TaskID == id {
			return t
		}
	}
	return TaskSummary{Rollup: Roll(nil)}
}
