package legal

import (
	"testing"

	"github.com/danvan/danvan/internal/calendar"
)

func d(s string) calendar.Date { return calendar.MustParseDate(s) }

// cal2026 is the statute plus the stored 2026 decision: Tết off 16–20 Feb.
func cal2026() calendar.Calendar {
	return calendar.Calendar{Overrides: map[int]calendar.YearOverride{
		2026: {Tet: []calendar.Date{d("2026-02-16"), d("2026-02-17"), d("2026-02-18"), d("2026-02-19"), d("2026-02-20")}},
	}}
}

func TestDueEveryRule(t *testing.T) {
	// Start Monday 2 March 2026: no holiday before 30 April.
	const start = "2026-03-02"
	tests := []struct {
		key          string
		normal, away string
	}{
		{ComplaintAccept, "2026-03-16", "2026-03-16"},               // 10 working days
		{ComplaintResolve, "2026-04-01", "2026-04-16"},              // 30 / 45 days
		{ComplaintResolveComplex, "2026-04-16", "2026-05-04"},       // 45 / 60: 1 May is a holiday, then a weekend
		{ComplaintResolveSecond, "2026-04-16", "2026-05-04"},        // 45 / 60
		{ComplaintResolveSecondComplex, "2026-05-04", "2026-05-11"}, // 60 / 70
		{DenunciationAccept, "2026-03-11", "2026-03-11"},            // 7 working days
		{DenunciationAcceptMulti, "2026-03-16", "2026-03-16"},       // 10 working days
		{DenunciationForward, "2026-03-09", "2026-03-09"},           // 5 working days
		{DenunciationNotify, "2026-03-09", "2026-03-09"},            // 5 working days
		{DenunciationResolve, "2026-04-01", "2026-04-01"},           // 30 days
		{DenunciationExtend, "2026-04-01", "2026-04-01"},            // 30 days
		{DenunciationExtendSpecial, "2026-05-04", "2026-05-04"},     // 60 days
		{FeedbackTransfer, "2026-03-09", "2026-03-09"},              // 5 working days
		{MediationStart, "2026-03-05", "2026-03-05"},                // 3 days
	}
	rules := Defaults()
	if len(tests) != len(rules) {
		t.Fatalf("%d cases for %d default rules: test every rule", len(tests), len(rules))
	}
	for _, tt := range tests {
		r, ok := Pick(rules, tt.key, d(start))
		if !ok {
			t.Errorf("%s: no version in force on %s", tt.key, start)
			continue
		}
		if got := Due(cal2026(), r, d(start), false).String(); got != tt.normal {
			t.Errorf("%s from %s = %s, want %s", tt.key, start, got, tt.normal)
		}
		if got := Due(cal2026(), r, d(start), true).String(); got != tt.away {
			t.Errorf("%s from %s (remote) = %s, want %s", tt.key, start, got, tt.away)
		}
	}
}

func TestDueAcrossDaysOff(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		remote bool
		start  string
		want   string
	}{
		{"working days across Tết 2026", DenunciationAccept, false, "2026-02-13", "2026-03-03"},
		{"working days across Tết, remote same", ComplaintAccept, true, "2026-02-13", "2026-03-06"},
		{"calendar days ending in Tết", ComplaintResolve, false, "2026-01-17", "2026-02-23"},
		{"calendar days ending in Tết, remote", ComplaintResolve, true, "2026-01-02", "2026-02-23"},
		{"working days across 30/4–1/5", FeedbackTransfer, false, "2026-04-28", "2026-05-07"},
		{"calendar days ending on 30/4", MediationStart, false, "2026-04-27", "2026-05-04"},
		{"working days across 2/9 and the adjacent day", DenunciationNotify, false, "2026-08-31", "2026-09-09"},
		{"calendar days ending on 2/9", MediationStart, false, "2026-08-30", "2026-09-03"},
		{"ending on a Saturday", DenunciationResolve, false, "2026-06-04", "2026-07-06"},
		{"ending on a Sunday", MediationStart, false, "2026-03-05", "2026-03-09"},
		{"start on a Sunday, working days", DenunciationForward, false, "2026-03-08", "2026-03-13"},
		{"across the new year", DenunciationAccept, false, "2026-12-29", "2027-01-08"},
	}
	rules := Defaults()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := Pick(rules, tt.key, d(tt.start))
			if !ok {
				t.Fatalf("%s: no version in force", tt.key)
			}
			if got := Due(cal2026(), r, d(tt.start), tt.remote).String(); got != tt.want {
				t.Errorf("%s from %s = %s, want %s", tt.key, tt.start, got, tt.want)
			}
		})
	}
}

func TestPickVersions(t *testing.T) {
	shorter := Rule{Key: ComplaintAccept, Days: 7, WorkingDays: true, EffectiveFrom: d("2026-07-01"), Name: "Thụ lý khiếu nại", Basis: "x"}
	rules := append(Defaults(), shorter)
	tests := []struct {
		start, want string
		days        int
	}{
		{"2026-06-30", "2026-07-14", 10}, // the day before: 10 working days
		{"2026-07-01", "2026-07-10", 7},  // from the effective date: 7
		{"2027-01-04", "2027-01-13", 7},
	}
	for _, tt := range tests {
		r, ok := Pick(rules, ComplaintAccept, d(tt.start))
		if !ok || r.Days != tt.days {
			t.Errorf("Pick on %s = %+v, %v; want %d days", tt.start, r, ok, tt.days)
			continue
		}
		if got := Due(cal2026(), r, d(tt.start), false).String(); got != tt.want {
			t.Errorf("due from %s = %s, want %s", tt.start, got, tt.want)
		}
	}
	// A version stored with the same effective date as an earlier one replaces it.
	same := Rule{Key: MediationStart, Days: 5, EffectiveFrom: d("2014-01-01")}
	if r, _ := Pick(append(Defaults(), same), MediationStart, d("2026-01-01")); r.Days != 5 {
		t.Errorf("later version with the same date: got %d days, want 5", r.Days)
	}
	if _, ok := Pick(rules, DenunciationAccept, d("2018-12-31")); ok {
		t.Error("denunciation rule in force before Law 25/2018 took effect")
	}
	if _, ok := Pick(rules, "no.such", d("2026-01-01")); ok {
		t.Error("unknown key picked")
	}
	in := InForce(rules, d("2026-07-01"))
	if len(in) != len(Defaults()) {
		t.Fatalf("InForce: %d rules, want %d", len(in), len(Defaults()))
	}
	for _, r := range in {
		if r.Key == ComplaintAccept && r.Days != 7 {
			t.Errorf("InForce complaint.accept = %d days, want 7", r.Days)
		}
	}
}

func TestDefaultsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Defaults() {
		if !ValidKey(r.Key) || seen[r.Key] {
			t.Errorf("bad or repeated key %q", r.Key)
		}
		seen[r.Key] = true
		if r.Days < 1 || r.Basis == "" || r.Name == "" || r.EffectiveFrom.IsZero() {
			t.Errorf("%s: incomplete rule %+v", r.Key, r)
		}
		if r.WorkingDays && r.RemoteDays != 0 {
			t.Errorf("%s: working-day rule with remote days", r.Key)
		}
	}
	for _, k := range []string{"a", "complaint.resolve.second", "x.y"} {
		if !ValidKey(k) {
			t.Errorf("ValidKey(%q) = false", k)
		}
	}
	for _, k := range []string{"", "A.b", "a..b", ".a", "a.", "a_b", "a.1", "a b"} {
		if ValidKey(k) {
			t.Errorf("ValidKey(%q) = true", k)
		}
	}
}
