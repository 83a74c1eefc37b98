package programme

// Roll-up semantics.
//
// Percent is a weighted average: Σ weight·percent / Σ weight. Items of weight
// 0 count in the status counts but not in the percent; when every weight is
// 0 the percent is the plain average.
//
// Status is the worst that matters: late if any item is late, else at risk if
// any is at risk, else done if every item is done, else not started if every
// item is not started (or there are none), else on track. Counts keep how
// many activities are in each status, so that a roll-up of roll-ups still
// counts activities.
//
// The levels:
//   - task for a unit: the unit's activities under the task, by activity weight;
//   - task: each assigned unit's figure with equal weight (a unit assigned the
//     task that has planned nothing counts as one not-started item at 0 %);
//   - directive: the tasks by task weight;
//   - unit subtree: every activity in the subtree by activity weight, which is
//     the same as merging the children's roll-ups by their total weight.

// Item is one thing rolled up: an activity, or an already rolled-up figure.
type Item struct {
	Weight  float64
	Percent float64
	Status  Status
}

// Rollup is a weighted figure with status counts.
type Rollup struct {
	Percent float64        `json:"percent"`
	Status  Status         `json:"status"`
	Weight  float64        `json:"weight"`
	Counts  map[Status]int `json:"counts"`
	// sum is Σ weight·percent, and n0 / sum0 the unweighted fallback.
	sum  float64
	n0   int
	sum0 float64
}

// N is the number of activities counted.
func (r Rollup) N() int {
	n := 0
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// Count returns the number of activities in status s (templates).
func (r Rollup) Count(s Status) int { return r.Counts[s] }

// Roll combines items.
func Roll(items []Item) Rollup {
	r := Rollup{Counts: map[Status]int{}}
	for _, it := range items {
		w := max(it.Weight, 0)
		r.Weight += w
		r.sum += w * it.Percent
		r.n0++
		r.sum0 += it.Percent
		r.Counts[it.Status]++
	}
	r.finish()
	return r
}

// Merge combines roll-ups by their weights and adds their counts.
func Merge(rs ...Rollup) Rollup {
	out := Rollup{Counts: map[Status]int{}}
	for _, r := range rs {
		out.Weight += r.Weight
		out.sum += r.sum
		out.n0 += r.n0
		out.sum0 += r.sum0
		for s, c := range r.Counts {
			out.Counts[s] += c
		}
	}
	out.finish()
	return out
}

// Reweight gives a roll-up the weight w in a later Merge while keeping its
// percent and counts: used to count each unit once in a task, and each task
// by its weight in the directive.
func (r Rollup) Reweight(w float64) Rollup {
	w = max(w, 0)
	out := r
	out.Counts = map[Status]int{}
	for s, c := range r.Counts {
		out.Counts[s] = c
	}
	out.Weight = w
	out.sum = w * r.Percent
	out.n0, out.sum0 = 1, r.Percent
	return out
}

func (r *Rollup) finish() {
	switch {
	case r.Weight > 0:
		r.Percent = r.sum / r.Weight
	case r.n0 > 0:
		r.Percent = r.sum0 / float64(r.n0)
	default:
		r.Percent = 0
	}
	r.Status = statusOfCounts(r.Counts)
}

func statusOfCounts(c map[Status]int) Status {
	n := 0
	for _, x := range c {
		n += x
	}
	switch {
	case c[StatusLate] > 0:
		return StatusLate
	case c[StatusAtRisk] > 0:
		return StatusAtRisk
	case n > 0 && c[StatusDone] == n:
		return StatusDone
	case c[StatusNotStarted] == n:
		return StatusNotStarted
	}
	return StatusOnTrack
}

// RollTree rolls own figures up the tree: the result for a unit merges its
// own roll-up with those of all its descendants. parent maps each unit to
// its parent (0 or absent for a root). Units absent from own count as empty.
func RollTree(own map[int64]Rollup, parent map[int64]int64) map[int64]Rollup {
	out := map[int64]Rollup{}
	for id, r := range own {
		// Walk up, adding r to every ancestor (depth is small: the tree has
		// at most a handful of levels; a cycle guard stops bad data).
		seen := map[int64]bool{}
		for u := id; u != 0 && !seen[u]; u = parent[u] {
			seen[u] = true
			if cur, ok := out[u]; ok {
				out[u] = Merge(cur, r)
			} else {
				out[u] = Merge(r)
			}
		}
	}
	return out
}
