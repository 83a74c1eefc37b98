package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

func TestProgrammeRoundTrip(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	d := programme.Directive{
		Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: ids["P38"], Signer: "Lại Thế Nguyên",
		Texts: []programme.Text{
			{Lang: "ja", Title: "大衆動員", Body: "本文"},
			{Lang: "vi", Title: "Về việc dân vận", Body: "Nội dung", IsTranslation: true},
		},
		Attachments: []programme.Attachment{{Name: "Văn bản gốc", URL: "https://example.org/1470.pdf"}},
	}
	if err := st.CreateDirective(ctx, sys, &d); err != nil {
		t.Fatal(err)
	}
	dup := d
	dup.ID = 0
	if err := st.CreateDirective(ctx, sys, &dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate number: %v", err)
	}
	bad := programme.Directive{Number: "x", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: ids["P38"], Texts: d.Texts}
	var ve programme.Errors
	if err := st.CreateDirective(ctx, sys, &bad); !errors.As(err, &ve) || ve["number"] == "" {
		t.Fatalf("bad number: %v", err)
	}
	task := programme.Task{DirectiveID: d.ID, Number: 3, Weight: 2, Texts: []programme.Text{{Lang: "vi", Title: "Cải cách hành chính"}}}
	if err := st.AddTask(ctx, sys, &task); err != nil {
		t.Fatal(err)
	}
	if err := st.AddTask(ctx, sys, &programme.Task{DirectiveID: d.ID, Number: 3, Weight: 1, Texts: task.Texts}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate task number: %v", err)
	}
	if err := st.AddAddressee(ctx, sys, d.ID, &programme.Addressee{UnitKind: "commune"}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddAddressee(ctx, sys, d.ID, &programme.Addressee{UnitID: ids["11"]}); err != nil {
		t.Fatal(err)
	}
	as := programme.Assignment{TaskID: task.ID, UnitID: ids["11"], Role: programme.RoleLead, DueOn: "2026-06-30"}
	if err := st.AssignTask(ctx, sys, &as); err != nil {
		t.Fatal(err)
	}
	as2 := programme.Assignment{TaskID: task.ID, UnitID: ids["11"], Role: programme.RoleCooperate, DueOn: "2026-12-31"}
	if err := st.AssignTask(ctx, sys, &as2); err != nil || as2.ID != as.ID {
		t.Fatalf("reassign: %v (%d vs %d)", err, as2.ID, as.ID)
	}
	got, err := st.GetDirective(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Texts) != 2 || programme.Original(got.Texts).Lang != "ja" || !programme.TextIn(got.Texts, "vi").IsTranslation {
		t.Fatalf("texts: %+v", got.Texts)
	}
	if len(got.Tasks) != 1 || len(got.Tasks[0].Assignments) != 1 || got.Tasks[0].Assignments[0].Role != programme.RoleCooperate || got.Tasks[0].Weight != 2 {
		t.Fatalf("tasks: %+v", got.Tasks)
	}
	if len(got.Addressees) != 2 || got.Addressees[0].UnitKind != "commune" || got.Addressees[1].UnitName != "Phường Hạc Thành" {
		t.Fatalf("addressees: %+v", got.Addressees)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].URL == "" {
		t.Fatalf("attachments: %+v", got.Attachments)
	}
	list, err := st.ListDirectives(ctx)
	if err != nil || len(list) != 1 || list[0].TaskCount != 1 || len(list[0].Texts) != 2 {
		t.Fatalf("list: %+v %v", list, err)
	}
	asg, err := st.UnitAssignments(ctx, ids["11"])
	if err != nil || len(asg) != 1 || asg[0].DirectiveNumber != "1470-CV/TU" || asg[0].TaskNumber != 3 || len(asg[0].TaskTexts) != 1 {
		t.Fatalf("unit assignments: %+v %v", asg, err)
	}

	act := programme.Activity{UnitID: ids["11"], TaskID: task.ID, Title: "Mô hình chính quyền thân thiện", Owner: "Văn phòng",
		StartOn: "2025-08-01", DueOn: "2026-06-30", Indicator: "Số thủ tục rút ngắn", Target: "20", Weight: 1}
	if err := st.CreateActivity(ctx, sys, &act); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateActivity(ctx, sys, &programme.Activity{UnitID: ids["11"], TaskID: task.ID, StartOn: "2025-08-01", DueOn: "2025-07-01"}); !errors.As(err, &ve) || ve["title"] == "" || ve["due_on"] == "" {
		t.Fatalf("invalid activity: %v", err)
	}
	up := programme.Update{ActivityID: act.ID, Percent: 40, Note: "Đã rà soát 8 thủ tục", EvidenceURL: "https://example.org/bao-cao"}
	file := &programme.Evidence{Name: "bien-ban.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 …")}
	now, err := st.PostProgress(ctx, sys, &up, act.Version, file)
	if err != nil {
		t.Fatal(err)
	}
	if now.Progress != 40 || now.Version != 2 || up.FileID == 0 {
		t.Fatalf("after update: %+v %+v", now, up)
	}
	// A second writer who saw version 1 is refused and nothing is stored.
	stale := programme.Update{ActivityID: act.ID, Percent: 90, Note: "cũ"}
	if _, err := st.PostProgress(ctx, sys, &stale, 1, nil); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale write: %v", err)
	}
	if _, err := st.PostProgress(ctx, sys, &programme.Update{ActivityID: act.ID, Percent: 101}, 2, nil); !errors.As(err, &ve) || ve["percent"] == "" {
		t.Fatalf("bad percent: %v", err)
	}
	if _, err := st.PostProgress(ctx, sys, &programme.Update{ActivityID: act.ID + 999, Percent: 1}, 0, nil); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing activity: %v", err)
	}
	a2, err := st.GetActivity(ctx, act.ID)
	if err != nil || a2.Progress != 40 || a2.Version != 2 || a2.DirectiveNumber != "1470-CV/TU" || a2.TaskNumber != 3 {
		t.Fatalf("activity: %+v %v", a2, err)
	}
	ups, err := st.UnitUpdates(ctx, ids["11"], 10)
	if err != nil || len(ups) != 1 || ups[0].FileName != "bien-ban.pdf" || ups[0].Actor != "test" || ups[0].At.IsZero() {
		t.Fatalf("updates: %+v %v", ups, err)
	}
	ev, unitID, err := st.GetEvidence(ctx, up.FileID)
	if err != nil || unitID != ids["11"] || !bytes.Equal(ev.Data, file.Data) || ev.ContentType != "application/pdf" {
		t.Fatalf("evidence: %+v %d %v", ev, unitID, err)
	}
	under, parent, err := st.ActivitiesUnder(ctx, ids["P38"])
	if err != nil || len(under) != 1 || parent[ids["11"]] != ids["P38"] {
		t.Fatalf("under: %+v %v %v", under, parent, err)
	}
	acts, err := st.DirectiveActivities(ctx, d.ID)
	if err != nil || len(acts) != 1 || acts[0].UnitName != "Phường Hạc Thành" {
		t.Fatalf("directive activities: %+v %v", acts, err)
	}
	// Every change is audited.
	entries, _, err := st.ListAudit(ctx, store.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Action]++
	}
	for _, a := range []string{"directive.create", "directive.task", "directive.addressee", "task.assign", "activity.create", "activity.progress"} {
		if seen[a] == 0 {
			t.Errorf("no audit entry %s: %v", a, seen)
		}
	}
	if seen["task.assign"] != 2 || seen["activity.progress"] != 1 {
		t.Errorf("audit counts: %v", seen)
	}

	// Backups carry the programme tables, blobs and booleans included.
	var buf bytes.Buffer
	if _, err := st.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	dst := storetest.Open(t)
	if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	ev2, _, err := dst.GetEvidence(ctx, up.FileID)
	if err != nil || !bytes.Equal(ev2.Data, file.Data) {
		t.Fatalf("restored evidence: %v", err)
	}
	d2, err := dst.GetDirective(ctx, d.ID)
	if err != nil || !programme.TextIn(d2.Texts, "vi").IsTranslation || programme.TextIn(d2.Texts, "ja").IsTranslation || len(d2.Tasks) != 1 {
		t.Fatalf("restored directive: %+v %v", d2, err)
	}
}

// TestProgrammeAssignTasks: several assignments are stored together with one
// audit entry each, or not at all; an addressee on an unknown unit or
// directive is not found.
func TestProgrammeAssignTasks(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	d := programme.Directive{Number: "15-KH/TU", DocType: "kh", IssuedOn: "2025-07-15", IssuerUnitID: ids["P38"], Texts: []programme.Text{{Lang: "vi", Title: "Kế hoạch"}}}
	if err := st.CreateDirective(ctx, sys, &d); err != nil {
		t.Fatal(err)
	}
	task := programme.Task{DirectiveID: d.ID, Number: 1, Weight: 1, Texts: []programme.Text{{Lang: "vi", Title: "Đối thoại"}}}
	if err := st.AddTask(ctx, sys, &task); err != nil {
		t.Fatal(err)
	}
	as := func(units ...int64) []programme.Assignment {
		var out []programme.Assignment
		for _, u := range units {
			out = append(out, programme.Assignment{TaskID: task.ID, UnitID: u, Role: programme.RoleLead, DueOn: "2025-12-31"})
		}
		return out
	}
	if err := st.AssignTasks(ctx, sys, as(ids["10"], ids["11"], 999999)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown unit: %v", err)
	}
	if got, _ := st.GetDirective(ctx, d.ID); len(got.Tasks[0].Assignments) != 0 {
		t.Fatalf("a failed call stored %+v", got.Tasks[0].Assignments)
	}
	two := as(ids["10"], ids["11"])
	if err := st.AssignTasks(ctx, sys, two); err != nil || two[0].ID == 0 || two[1].ID == 0 {
		t.Fatalf("assign: %v %+v", err, two)
	}
	entries, _, err := st.ListAudit(ctx, store.AuditFilter{Action: "task.assign", Limit: 10})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	if got, _ := st.GetDirective(ctx, d.ID); len(got.Tasks[0].Assignments) != 2 {
		t.Fatalf("stored %+v", got.Tasks[0].Assignments)
	}
	if err := st.AddAddressee(ctx, sys, d.ID, &programme.Addressee{UnitID: 999999}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}
	if err := st.AddAddressee(ctx, sys, d.ID+100, &programme.Addressee{UnitKind: "ward"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown directive: %v", err)
	}
}
