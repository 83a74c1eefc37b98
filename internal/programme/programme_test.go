package programme

import (
	"errors"
	"math"
	"testing"
)

func TestStatusOf(t *testing.T) {
	r := DefaultRules()
	for _, c := range []struct {
		name            string
		start, due, day string
		progress        int
		want            Status
	}{
		{"done when 100 %", "2024-03-01", "2024-06-30", "2024-04-01", 100, StatusDone},
		{"done even after the due date", "2024-03-01", "2024-06-30", "2025-01-01", 100, StatusDone},
		{"late the day after due", "2024-03-01", "2024-06-30", "2024-07-01", 90, StatusLate},
		{"due today, below 80 %: at risk", "2024-03-01", "2024-06-30", "2024-06-30", 50, StatusAtRisk},
		{"due today at 80 %: on track", "2024-03-01", "2024-06-30", "2024-06-30", 80, StatusOnTrack},
		{"due in 7 days below 80 %: at risk", "2024-01-01", "2024-12-31", "2024-12-24", 79, StatusAtRisk},
		{"due in 8 days at 79 %: on track", "2024-01-01", "2024-12-31", "2024-12-23", 79, StatusOnTrack},
		{"before start, nothing done", "2024-03-01", "2024-06-30", "2024-02-01", 0, StatusNotStarted},
		{"before start, started early", "2024-03-01", "2024-06-30", "2024-02-01", 10, StatusOnTrack},
		{"just started, 0 %", "2024-01-01", "2024-12-31", "2024-01-10", 0, StatusNotStarted},
		{"half the time, 30 %: exactly 20 behind is not at risk", "2024-01-01", "2024-01-21", "2024-01-11", 30, StatusOnTrack},
		{"half the time, 29 %: more than 20 behind", "2024-01-01", "2024-01-21", "2024-01-11", 29, StatusAtRisk},
		{"half the time, 0 %: at risk", "2024-01-01", "2024-12-31", "2024-07-01", 0, StatusAtRisk},
		{"ahead of schedule", "2024-01-01", "2024-12-31", "2024-07-01", 60, StatusOnTrack},
		{"one-day activity, today", "2024-05-05", "2024-05-05", "2024-05-05", 0, StatusAtRisk},
		{"across a year boundary", "2024-12-01", "2025-01-31", "2025-01-01", 60, StatusOnTrack},
		{"malformed date", "2024-13-01", "2024-12-31", "2024-07-01", 10, StatusNotStarted},
	} {
		if got := r.StatusOf(c.start, c.due, c.progress, c.day); got != c.want {
			t.Errorf("%s: StatusOf(%s, %s, %d, %s) = %s, want %s", c.name, c.start, c.due, c.progress, c.day, got, c.want)
		}
	}
	strict := Rules{RiskMargin: 5, SoonDays: 30, SoonPercent: 95}
	if got := strict.StatusOf("2024-01-01", "2024-12-31", 40, "2024-07-01"); got != StatusAtRisk {
		t.Errorf("configurable margin: %s", got)
	}
}

func TestElapsed(t *testing.T) {
	for _, c := range []struct {
		start, due, day string
		want            float64
	}{
		{"2024-01-01", "2024-01-11", "2023-12-31", 0},
		{"2024-01-01", "2024-01-11", "2024-01-01", 0},
		{"2024-01-01", "2024-01-11", "2024-01-06", 50},
		{"2024-01-01", "2024-01-11", "2024-01-11", 100},
		{"2024-01-01", "2024-01-11", "2024-02-01", 100},
		{"2024-01-01", "2024-01-01", "2024-01-01", 100},
	} {
		if got := Elapsed(c.start, c.due, c.day); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Elapsed(%s, %s, %s) = %v, want %v", c.start, c.due, c.day, got, c.want)
		}
	}
}

func TestRoll(t *testing.T) {
	for _, c := range []struct {
		name    string
		items   []Item
		percent float64
		status  Status
	}{
		{"empty", nil, 0, StatusNotStarted},
		{"weighted", []Item{{3, 100, StatusDone}, {1, 0, StatusNotStarted}}, 75, StatusOnTrack},
		{"any late is late", []Item{{1, 100, StatusDone}, {1, 90, StatusLate}, {1, 10, StatusAtRisk}}, 200.0 / 3, StatusLate},
		{"at risk beats on track", []Item{{1, 50, StatusOnTrack}, {1, 10, StatusAtRisk}}, 30, StatusAtRisk},
		{"all done", []Item{{1, 100, StatusDone}, {2, 100, StatusDone}}, 100, StatusDone},
		{"all not started", []Item{{1, 0, StatusNotStarted}, {1, 0, StatusNotStarted}}, 0, StatusNotStarted},
		{"zero weights: plain average", []Item{{0, 40, StatusOnTrack}, {0, 80, StatusOnTrack}}, 60, StatusOnTrack},
		{"zero weight ignored in percent", []Item{{0, 0, StatusNotStarted}, {2, 80, StatusOnTrack}}, 80, StatusOnTrack},
	} {
		r := Roll(c.items)
		if math.Abs(r.Percent-c.percent) > 1e-9 || r.Status != c.status || r.N() != len(c.items) {
			t.Errorf("%s: %+v, want %.2f %s", c.name, r, c.percent, c.status)
		}
	}
}

func TestReweightAndMerge(t *testing.T) {
	// Unit A: one big activity at 100 %; unit B: small one at 0 %. Counted
	// equally in a task, the task is 50 %, though activity weights differ.
	a := Roll([]Item{{10, 100, StatusDone}})
	b := Roll([]Item{{1, 0, StatusNotStarted}})
	task := Merge(a.Reweight(1), b.Reweight(1))
	if task.Percent != 50 || task.Status != StatusOnTrack || task.N() != 2 {
		t.Fatalf("task: %+v", task)
	}
	// A unit with no plan counts as 0 % in its task.
	empty := Roll(nil)
	if m := Merge(a.Reweight(1), empty.Reweight(1)); m.Percent != 50 || m.N() != 1 {
		t.Fatalf("with an empty unit: %+v", m)
	}
	// Directive: task weights.
	t2 := Roll([]Item{{1, 20, StatusAtRisk}})
	d := Merge(task.Reweight(3), t2.Reweight(1))
	if math.Abs(d.Percent-(3*50+20)/4.0) > 1e-9 || d.Status != StatusAtRisk || d.N() != 3 {
		t.Fatalf("directive: %+v", d)
	}
	// Reweight does not share the counts map.
	x := task.Reweight(2)
	x.Counts[StatusLate] = 9
	if task.Counts[StatusLate] != 0 {
		t.Fatal("Reweight aliases counts")
	}
}

func TestRollTree(t *testing.T) {
	// province 1 ← commune 2, commune 3; department 4 ← 1; 5 has no parent.
	parent := map[int64]int64{2: 1, 3: 1, 4: 1}
	own := map[int64]Rollup{
		2: Roll([]Item{{1, 100, StatusDone}}),
		3: Roll([]Item{{1, 40, StatusOnTrack}, {2, 10, StatusLate}}),
		5: Roll([]Item{{1, 70, StatusOnTrack}}),
	}
	got := RollTree(own, parent)
	p := got[1]
	if math.Abs(p.Percent-(100+40+20)/4.0) > 1e-9 || p.Status != StatusLate || p.N() != 3 {
		t.Fatalf("province: %+v", p)
	}
	if _, ok := got[4]; ok {
		t.Fatal("a unit without activities below it has no roll-up")
	}
	if got[5].Percent != 70 || got[2].Status != StatusDone {
		t.Fatalf("leaves: %+v %+v", got[5], got[2])
	}
	// A cycle in bad data does not loop forever.
	_ = RollTree(map[int64]Rollup{7: Roll([]Item{{1, 1, StatusOnTrack}})}, map[int64]int64{7: 8, 8: 7})
}

func TestValidate(t *testing.T) {
	orig := []Text{{Lang: "vi", Title: "Về việc"}}
	for _, c := range []struct {
		name  string
		err   error
		field string
	}{
		{"number", (&Directive{Number: "abc", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: 1, Texts: orig}).Validate(), "number"},
		{"issued_on", (&Directive{Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-30", IssuerUnitID: 1, Texts: orig}).Validate(), "issued_on"},
		{"only translations", (&Directive{Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: 1, Texts: []Text{{Lang: "en", Title: "x", IsTranslation: true}}}).Validate(), "lang"},
		{"due before start", (&Activity{TaskID: 1, Title: "x", StartOn: "2024-05-01", DueOn: "2024-04-01"}).Validate(), "due_on"},
		{"percent", (&Update{Percent: 101}).Validate(), "percent"},
		{"url", (&Update{Percent: 5, EvidenceURL: "javascript:alert(1)"}).Validate(), "evidence_url"},
		{"role", (&Assignment{UnitID: 1, Role: "boss", DueOn: "2024-12-31"}).Validate(), "role"},
		{"addressee", (&Addressee{}).Validate(), "unit_id"},
		{"title control chars", (&Activity{TaskID: 1, Title: "a\x00b", StartOn: "2024-05-01", DueOn: "2024-06-01"}).Validate(), "title"},
	} {
		var e Errors
		if !errors.As(c.err, &e) || e[c.field] == "" {
			t.Errorf("%s: %v, want an error on %s", c.name, c.err, c.field)
		}
	}
	good := Directive{Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: 1, Texts: orig}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"1470-CV/TU", "33/2021/CT-TTg", "23-QĐ/TW", "114-KL/TW"} {
		if !ValidNumber(n) {
			t.Errorf("ValidNumber(%q) = false", n)
		}
	}
}

func TestTextIn(t *testing.T) {
	ts := []Text{{Lang: "vi", Title: "vi", IsTranslation: true}, {Lang: "ja", Title: "ja"}}
	if TextIn(ts, "vi").Title != "vi" || TextIn(ts, "en").Title != "ja" || Original(ts).Lang != "ja" {
		t.Fatal("TextIn / Original")
	}
}

func TestSummarise(t *testing.T) {
	d := Directive{Tasks: []Task{
		{ID: 1, Number: 1, Weight: 1, Assignments: []Assignment{{TaskID: 1, UnitID: 10, UnitName: "A"}, {TaskID: 1, UnitID: 11, UnitName: "B"}}},
		{ID: 2, Number: 2, Weight: 3, Assignments: []Assignment{{TaskID: 2, UnitID: 10, UnitName: "A"}}},
	}}
	acts := []Activity{
		{TaskID: 1, UnitID: 10, UnitName: "A", StartOn: "2024-01-01", DueOn: "2024-12-31", Progress: 100, Weight: 1},
		{TaskID: 2, UnitID: 10, UnitName: "A", StartOn: "2024-01-01", DueOn: "2024-03-31", Progress: 40, Weight: 1},
	}
	s := Summarise(d, acts, DefaultRules(), "2024-06-01")
	// Task 1: A 100 %, B nothing (0 %) → 50 %. Task 2: A late at 40 %.
	if got := s.Task(1).Rollup; got.Percent != 50 || got.Status != StatusOnTrack || got.Count(StatusNotStarted) != 1 {
		t.Fatalf("task 1: %+v", got)
	}
	if got := s.Task(2).Rollup; got.Percent != 40 || got.Status != StatusLate {
		t.Fatalf("task 2: %+v", got)
	}
	if math.Abs(s.Rollup.Percent-(50+3*40)/4.0) > 1e-9 || s.Rollup.Status != StatusLate {
		t.Fatalf("directive: %+v", s.Rollup)
	}
	if len(s.Units) != 2 || s.Units[0].UnitName != "A" || s.Units[1].Rollup.N() != 0 {
		t.Fatalf("units: %+v", s.Units)
	}
	if acts[1].Status != StatusLate {
		t.Fatal("statuses not derived")
	}
}

// FuzzValidate: validation never panics on outside input and never accepts
// text with control characters or a malformed date.
func FuzzValidate(f *testing.F) {
	f.Add("1470-CV/TU", "2024-02-22", "Về việc", "https://example.org", 50)
	f.Add("33/2021/CT-TTg", "2024-13-01", "a\x00b", "javascript:x", 101)
	f.Fuzz(func(t *testing.T, number, date, title, link string, pct int) {
		d := Directive{Number: number, DocType: "cv", IssuedOn: date, IssuerUnitID: 1, Texts: []Text{{Lang: "vi", Title: title}}}
		if err := d.Validate(); err == nil {
			if !isDate(date) || !ValidNumber(d.Number) || !clean(title) {
				t.Fatalf("accepted %q %q %q", number, date, title)
			}
		}
		u := Update{Percent: pct, EvidenceURL: link, Note: title}
		if err := u.Validate(); err == nil && (pct < 0 || pct > 100) {
			t.Fatalf("accepted percent %d", pct)
		}
		a := Activity{TaskID: 1, Title: title, StartOn: date, DueOn: date, Progress: pct}
		_ = a.Validate()
		_ = Rules{RiskMargin: pct}.StatusOf(date, date, pct, date)
	})
}

// Withdrawn tasks, assignments and activities count nowhere.
func TestSummariseWithdrawn(t *testing.T) {
	w := &Withdrawal{By: "x", Reason: "y"}
	d := Directive{Tasks: []Task{
		{ID: 1, Number: 1, Weight: 1, Assignments: []Assignment{{UnitID: 10}, {UnitID: 11, Withdrawn: w}}},
		{ID: 2, Number: 2, Weight: 1, Withdrawn: w, Assignments: []Assignment{{UnitID: 10}}},
	}}
	acts := []Activity{
		{TaskID: 1, UnitID: 10, StartOn: "2024-01-01", DueOn: "2024-12-31", Weight: 1, Progress: 40},
		{TaskID: 1, UnitID: 11, StartOn: "2024-01-01", DueOn: "2024-12-31", Weight: 1, Progress: 100, Withdrawn: true},
		{TaskID: 2, UnitID: 10, StartOn: "2024-01-01", DueOn: "2024-12-31", Weight: 1, Progress: 100},
	}
	s := Summarise(d, acts, DefaultRules(), "2024-06-01")
	if len(s.Tasks) != 1 || s.Tasks[0].TaskID != 1 || len(s.Tasks[0].Units) != 1 || s.Rollup.Percent != 40 {
		t.Fatalf("summary: %+v", s)
	}
	if len(s.Units) != 1 || s.Units[0].UnitID != 10 || s.Units[0].Rollup.Percent != 40 {
		t.Errorf("units: %+v", s.Units)
	}
	if acts[1].Status != StatusDone {
		t.Errorf("status not set on every activity: %v", acts[1].Status)
	}
	d.Withdrawn = w
	if s := Summarise(d, acts, DefaultRules(), "2024-06-01"); len(s.Tasks) != 0 || s.Rollup.N() != 0 {
		t.Errorf("withdrawn directive: %+v", s)
	}
}
