package service

// The further sections of the public scorecard: reports sent on time and
// dialogue commitments kept, per unit, for a year. Aggregates only.

import (
	"context"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/store"
)

// RateLine is one unit's count of things due in a year and of those done
// on time. Rate (percent) is nil when nothing was due yet.
type RateLine struct {
	UnitID  int64    `json:"unit_id"`
	Name    string   `json:"name"`
	Commune bool     `json:"commune"`
	Due     int      `json:"due"`
	OnTime  int      `json:"on_time"`
	Rate    *float64 `json:"rate,omitempty"`
}

type rateCounter map[int64]*RateLine

func (c rateCounter) add(t *Tree, unit int64, onTime bool) {
	l := c[unit]
	if l == nil {
		u, ok := t.Unit(unit)
		if !ok {
			return
		}
		l = &RateLine{UnitID: unit, Name: u.Name, Commune: communeLevel(u.Kind)}
		c[unit] = l
	}
	l.Due++
	if onTime {
		l.OnTime++
	}
}

func (c rateCounter) lines() []RateLine {
	out := make([]RateLine, 0, len(c))
	for _, l := range c {
		if l.Due > 0 {
			r := round1(100 * float64(l.OnTime) / float64(l.Due))
			l.Rate = &r
		}
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b RateLine) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// reportsOnTime counts, per unit, the reports of year already due by
// today and those sent by their due date (a Vietnamese calendar day).
func (s *CaseStats) reportsOnTime(ctx context.Context, year int) ([]RateLine, error) {
	rs, err := s.st.ReportTimings(ctx, year)
	if err != nil {
		return nil, unavailable("report timings", err)
	}
	today := s.Today()
	c := rateCounter{}
	for _, r := range rs {
		sent := ""
		if !r.SubmittedAt.IsZero() {
			sent = r.SubmittedAt.In(Vietnam).Format("2006-01-02")
		}
		if r.DueOn >= today && (sent == "" || sent > r.DueOn) {
			continue // not yet due, not yet sent
		}
		c.add(s.tree, r.UnitID, sent != "" && sent <= r.DueOn)
	}
	return c.lines(), nil
}

// commitmentsKept counts, per owning unit, the dialogue commitments due in
// year by today and those done by their due date.
func (s *CaseStats) commitmentsKept(ctx context.Context, year int) ([]RateLine, error) {
	cs, err := s.st.ListCommitments(ctx, store.CommitmentFilter{})
	if err != nil {
		return nil, unavailable("commitments", err)
	}
	today, y := s.Today(), yearPrefix(year)
	c := rateCounter{}
	for _, x := range cs {
		if !strings.HasPrefix(x.DueOn, y) {
			continue
		}
		kept := x.Status == CommitmentDone && x.DoneOn != "" && x.DoneOn <= x.DueOn
		if x.DueOn >= today && !kept {
			continue
		}
		c.add(s.tree, x.OwnerUnitID, kept)
	}
	return c.lines(), nil
}

func yearPrefix(y int) string {
	b := []byte("0000-")
	for i := 3; i >= 0; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	return string(b)
}
