package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

const testDef = `{
 "sections": [{"key":"highlights","title":{"vi":"Kết quả nổi bật"}}],
 "indicators": [
  {"code":"cases_received","name":{"vi":"Số vụ việc tiếp nhận"},"type":"integer","required":true,"min":0},
  {"code":"cases_resolved_on_time","name":{"vi":"Giải quyết đúng hạn"},"type":"integer","min":0},
  {"code":"participants","name":{"vi":"Người tham gia"},"type":"integer","min":0,
   "disaggregation":{"key":"gender","categories":[{"key":"male","name":{"vi":"Nam"}},{"key":"female","name":{"vi":"Nữ"}}]}}
 ],
 "rules": [{"left":"cases_resolved_on_time","op":"<=","right":"cases_received"}]
}`

// reportFixture: the small tree, a monthly template, communes (old and new)
// scheduled with 2 working days.
func reportFixture(t *testing.T) (*store.Store, map[string]int64, report.Template, audit.Actor) {
	t.Helper()
	st := storetest.Open(t)
	ids := smallTree(t, st)
	def, err := report.ParseDefinition([]byte(testDef))
	if err != nil {
		t.Fatal(err)
	}
	tpl := report.Template{Code: "BC-T", Name: "Báo cáo tháng", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true}
	if err := st.CreateTemplate(ctx, sys, &tpl); err != nil {
		t.Fatal(err)
	}
	sc := report.Assignment{TemplateID: tpl.ID, UnitID: ids["P38"], Kinds: []string{"commune", "ward", "township"},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}}
	if err := st.CreateSchedule(ctx, sys, &sc); err != nil {
		t.Fatal(err)
	}
	u := account.User{Username: "canbo", FullName: "Cán bộ", PasswordHash: "x"}
	if err := st.CreateUser(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	return st, ids, tpl, audit.Actor{UserID: u.ID, Name: "canbo"}
}

func window(t *testing.T, y, m int) report.Window {
	t.Helper()
	ws := report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, y)
	return ws[m-1]
}

func TestExpectedReportsAcrossReform(t *testing.T) {
	st, ids, tpl, _ := reportFixture(t)
	for _, c := range []struct {
		y, m int
		want []int64
		due  string
	}{
		// June 2025 (15 May – 14 Jun): the old commune and township.
		{2025, 6, []int64{ids["1"], ids["2"]}, "2025-06-17"},
		// July 2025 (15 Jun – 14 Jul) ends after the reform: the new units.
		{2025, 7, []int64{ids["10"], ids["11"]}, "2025-07-16"},
	} {
		exp, err := st.ExpectedReports(ctx, tpl.ID, window(t, c.y, c.m))
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, e := range exp {
			got[e.UnitID] = true
			if e.DueOn != c.due || e.Level != "commune" {
				t.Errorf("%d-%d %s: due %s level %s, want %s", c.y, c.m, e.UnitName, e.DueOn, e.Level, c.due)
			}
		}
		if len(exp) != len(c.want) {
			t.Fatalf("%d-%d expected %v", c.y, c.m, exp)
		}
		for _, id := range c.want {
			if !got[id] {
				t.Errorf("%d-%d: unit %d not expected", c.y, c.m, id)
			}
		}
	}
	// A unit outside the schedule cannot get a report.
	if _, err := st.EnsureReport(ctx, sys, tpl.ID, ids["P38"], window(t, 2025, 7)); !errors.Is(err, store.ErrNotScheduled) {
		t.Fatalf("province report: %v", err)
	}
}

func TestWorkflowStateMachine(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	r, err := st.EnsureReport(ctx, a, tpl.ID, ids["11"], window(t, 2025, 8))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != report.Draft || r.Version != 1 || r.DueOn != "2025-08-18" {
		t.Fatalf("new report = %+v", r)
	}
	again, err := st.EnsureReport(ctx, a, tpl.ID, ids["11"], window(t, 2025, 8))
	if err != nil || again.ID != r.ID {
		t.Fatalf("ensure twice: %v %d/%d", err, again.ID, r.ID)
	}
	reviewer := audit.Actor{Name: "dieuphoi"}

	// Invalid submission: kept as a draft with the field errors, text kept.
	bad := store.ReportDraft{Narrative: map[string]string{"highlights": "Tổ chức đối thoại"}, Values: report.Values{"cases_received": "5", "cases_resolved_on_time": "7"}}
	r2, fe, err := st.SubmitReport(ctx, a, r.ID, r.Version, &bad)
	if !errors.Is(err, report.ErrInvalid) || fe["cases_resolved_on_time"] != report.MsgRule {
		t.Fatalf("invalid submit: %v %v", err, fe)
	}
	if r2.Status != report.Draft || r2.Narrative["highlights"] != "Tổ chức đối thoại" || r2.Values["cases_resolved_on_time"] != "7" || r2.Version != 2 {
		t.Fatalf("after invalid submit: %+v", r2)
	}
	// Illegal transitions from draft.
	if _, err := st.AcceptReport(ctx, reviewer, r.ID, 0, ""); !errors.Is(err, report.ErrTransition) {
		t.Fatalf("accept draft: %v", err)
	}
	if _, err := st.ReturnReport(ctx, reviewer, r.ID, 0, "x"); !errors.Is(err, report.ErrTransition) {
		t.Fatalf("return draft: %v", err)
	}
	// Optimistic lock: a stale version loses nothing and changes nothing.
	if _, _, err := st.SaveDraft(ctx, a, r.ID, 1, bad); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	good := store.ReportDraft{Narrative: bad.Narrative, Values: report.Values{"cases_received": "5", "cases_resolved_on_time": "4", "participants.male": "3", "participants.female": "4"}}
	r3, fe, err := st.SaveDraft(ctx, a, r.ID, 2, good)
	if err != nil || len(fe) != 0 || r3.Version != 3 {
		t.Fatalf("save: %v %v %+v", err, fe, r3)
	}
	r4, _, err := st.SubmitReport(ctx, a, r.ID, 3, nil)
	if err != nil || r4.Status != report.Submitted || r4.SubmittedAt == nil {
		t.Fatalf("submit: %v %+v", err, r4)
	}
	if _, _, err := st.SubmitReport(ctx, a, r.ID, 0, nil); !errors.Is(err, report.ErrTransition) {
		t.Fatalf("submit twice: %v", err)
	}
	if _, err := st.ReturnReport(ctx, reviewer, r.ID, 0, "  "); !errors.Is(err, report.ErrCommentNeeded) {
		t.Fatalf("return without comment: %v", err)
	}
	r5, err := st.ReturnReport(ctx, reviewer, r.ID, r4.Version, "Bổ sung số liệu tập huấn")
	if err != nil || r5.Status != report.Returned || r5.ReviewComment != "Bổ sung số liệu tập huấn" {
		t.Fatalf("return: %v %+v", err, r5)
	}
	r6, _, err := st.SubmitReport(ctx, a, r.ID, r5.Version, &good)
	if err != nil || r6.Status != report.Submitted {
		t.Fatalf("resubmit: %v %+v", err, r6)
	}
	r7, err := st.AcceptReport(ctx, reviewer, r.ID, r6.Version, "")
	if err != nil || r7.Status != report.Accepted {
		t.Fatalf("accept: %v %+v", err, r7)
	}
	// Accepted is locked for everyone and everything.
	if _, _, err := st.SaveDraft(ctx, a, r.ID, r7.Version, good); !errors.Is(err, report.ErrLocked) {
		t.Fatalf("edit accepted: %v", err)
	}
	if _, err := st.ReturnReport(ctx, reviewer, r.ID, 0, "x"); !errors.Is(err, report.ErrLocked) {
		t.Fatalf("return accepted: %v", err)
	}
	if _, err := st.AddReportAttachment(ctx, a, r.ID, "a.pdf", "application/pdf", []byte("%PDF")); !errors.Is(err, report.ErrLocked) {
		t.Fatalf("attach to accepted: %v", err)
	}
	vs, err := st.ReportVersions(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var seq []report.Status
	for _, v := range vs {
		seq = append(seq, v.Status)
	}
	want := []report.Status{report.Submitted, report.Returned, report.Submitted, report.Accepted}
	if len(seq) != len(want) {
		t.Fatalf("versions %v", seq)
	}
	for i := range want {
		if seq[i] != want[i] {
			t.Fatalf("versions %v, want %v", seq, want)
		}
	}
	if vs[1].Snapshot.Comment != "Bổ sung số liệu tập huấn" || vs[0].Snapshot.Values["participants.female"] != "4" || vs[0].Actor != "Cán bộ" {
		t.Fatalf("snapshots: %+v", vs)
	}
}

func TestTransitionTable(t *testing.T) {
	all := report.Statuses
	allowed := map[[2]report.Status]bool{
		{report.Draft, report.Submitted}: true, {report.Returned, report.Submitted}: true,
		{report.Submitted, report.Returned}: true, {report.Submitted, report.Accepted}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := report.CanTransition(from, to); got != allowed[[2]report.Status{from, to}] {
				t.Errorf("%s → %s = %v", from, to, got)
			}
		}
	}
}

func TestSubmittedEditStaysValid(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	r, _ := st.EnsureReport(ctx, a, tpl.ID, ids["11"], window(t, 2025, 9))
	r, _, err := st.SubmitReport(ctx, a, r.ID, r.Version, &store.ReportDraft{Values: report.Values{"cases_received": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, fe, err := st.SaveDraft(ctx, a, r.ID, r.Version, store.ReportDraft{Values: report.Values{"cases_received": ""}}); !errors.Is(err, report.ErrInvalid) || fe["cases_received"] != report.MsgRequired {
		t.Fatalf("invalid edit of submitted: %v %v", err, fe)
	}
	r2, _, err := st.SaveDraft(ctx, a, r.ID, r.Version, store.ReportDraft{Values: report.Values{"cases_received": "3"}})
	if err != nil || r2.Status != report.Submitted || r2.Values["cases_received"] != "3" {
		t.Fatalf("valid edit of submitted: %v %+v", err, r2)
	}
}

func TestPrefillAndAttachments(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	r8, _ := st.EnsureReport(ctx, a, tpl.ID, ids["11"], window(t, 2025, 8))
	if _, _, err := st.SaveDraft(ctx, a, r8.ID, r8.Version, store.ReportDraft{Values: report.Values{"cases_received": "9", "participants.male": "1"}}); err != nil {
		t.Fatal(err)
	}
	r9, _ := st.EnsureReport(ctx, a, tpl.ID, ids["11"], window(t, 2025, 9))
	prev, err := st.PreviousValues(ctx, r9.ID)
	if err != nil || prev["cases_received"] != "9" || prev["participants.male"] != "1" {
		t.Fatalf("prefill: %v %v", prev, err)
	}
	if prev, _ := st.PreviousValues(ctx, r8.ID); len(prev) != 0 {
		t.Fatalf("first report prefill = %v", prev)
	}
	at, err := st.AddReportAttachment(ctx, a, r9.ID, "biên bản.pdf", "application/pdf", []byte("%PDF-1.4"))
	if err != nil {
		t.Fatal(err)
	}
	got, data, err := st.GetReportAttachment(ctx, at.ID)
	if err != nil || string(data) != "%PDF-1.4" || got.Name != "biên bản.pdf" {
		t.Fatalf("attachment: %v %+v", err, got)
	}
	if _, err := st.AddReportAttachment(ctx, a, r9.ID, "big", "application/octet-stream", make([]byte, report.MaxAttachment+1)); !errors.Is(err, report.ErrAttachmentSize) {
		t.Fatalf("big attachment: %v", err)
	}
}

func TestCompletenessCounts(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	w := window(t, 2025, 8) // 15 Jul – 14 Aug 2025, due 18 Aug
	vietnam := calendar.Vietnam
	// Ward 11 submits on the due day at 23:00 Vietnam time: on time.
	st.SetClock(func() time.Time { return time.Date(2025, 8, 18, 23, 0, 0, 0, vietnam) })
	r, _ := st.EnsureReport(ctx, a, tpl.ID, ids["11"], w)
	if _, _, err := st.SubmitReport(ctx, a, r.ID, r.Version, &store.ReportDraft{Values: report.Values{"cases_received": "1"}}); err != nil {
		t.Fatal(err)
	}
	c, err := st.Completeness(ctx, tpl.ID, w, "2025-08-18")
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != (report.Counts{Expected: 2, Received: 1, OnTime: 1, Pending: 1}) {
		t.Fatalf("on the due day: %+v", c.Total)
	}
	// Commune 10 submits a day late; later it is counted late, not missing.
	st.SetClock(func() time.Time { return time.Date(2025, 8, 19, 0, 30, 0, 0, vietnam) })
	r10, _ := st.EnsureReport(ctx, a, tpl.ID, ids["10"], w)
	c, _ = st.Completeness(ctx, tpl.ID, w, "2025-08-19")
	if c.Total != (report.Counts{Expected: 2, Received: 1, OnTime: 1, Missing: 1}) || len(c.Missing()) != 1 || c.Missing()[0].ReportID != r10.ID {
		t.Fatalf("draft past due: %+v", c.Total)
	}
	if _, _, err := st.SubmitReport(ctx, a, r10.ID, r10.Version, &store.ReportDraft{Values: report.Values{"cases_received": "0"}}); err != nil {
		t.Fatal(err)
	}
	c, _ = st.Completeness(ctx, tpl.ID, w, "2025-08-20")
	if c.Total != (report.Counts{Expected: 2, Received: 2, OnTime: 1, Late: 1}) || c.ByLevel["commune"] != c.Total {
		t.Fatalf("after late submission: %+v %+v", c.Total, c.ByLevel)
	}
	if k := c.ByKind["ward"]; k.OnTime != 1 || k.Expected != 1 {
		t.Fatalf("by kind: %+v", c.ByKind)
	}
	if len(c.Late()) != 1 || c.Late()[0].UnitID != ids["10"] {
		t.Fatalf("late list: %+v", c.Late())
	}
}

func TestListReportsVisibility(t *testing.T) {
	st, ids, tpl, a := reportFixture(t)
	w := window(t, 2025, 8)
	r11, _ := st.EnsureReport(ctx, a, tpl.ID, ids["11"], w)
	r10, _ := st.EnsureReport(ctx, a, tpl.ID, ids["10"], w)
	if _, _, err := st.SubmitReport(ctx, a, r10.ID, r10.Version, &store.ReportDraft{Values: report.Values{"cases_received": "1"}}); err != nil {
		t.Fatal(err)
	}
	// The province sees only the submitted one.
	got, n, err := st.ListReports(ctx, store.ReportFilter{Roots: []int64{ids["P38"]}})
	if err != nil || n != 1 || got[0].ID != r10.ID {
		t.Fatalf("province list: %v %d %+v", err, n, got)
	}
	// Ward 11's officer sees its own draft, not commune 10's report.
	got, n, _ = st.ListReports(ctx, store.ReportFilter{Roots: []int64{ids["11"]}, Own: []int64{ids["11"]}})
	if n != 1 || got[0].ID != r11.ID || got[0].UnitName != "Phường Hạc Thành" {
		t.Fatalf("own list: %d %+v", n, got)
	}
	_, n, _ = st.ListReports(ctx, store.ReportFilter{All: true, Status: report.Draft, Year: 2025})
	if n != 1 {
		t.Fatalf("admin drafts = %d", n)
	}
}
