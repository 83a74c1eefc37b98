package store_test

import (
	"errors"
	"testing"

	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/store/storetest"
)

// Edits check the version; a withdrawal is a status that hides the item
// from roll-ups and due lists, refuses progress and keeps who, when, why.
func TestProgrammeEditWithdraw(t *testing.T) {
	st := storetest.Open(t)
	ids := smallTree(t, st)
	d := programme.Directive{Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: ids["P38"],
		Texts: []programme.Text{{Lang: "vi", Title: "Về việc dân vận", Body: "Nội dung"}, {Lang: "en", Title: "Mass mobilisation", IsTranslation: true}}}
	if err := st.CreateDirective(ctx, sys, &d); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateDirective(ctx, sys, &programme.Directive{Number: "1-KH/TU", DocType: "kh", IssuedOn: "2024-03-01", IssuerUnitID: ids["P38"], Texts: d.Texts[:1]}); err != nil {
		t.Fatal(err)
	}
	// Edit the directive: the original text changes, the translation stays.
	ed := programme.Directive{ID: d.ID, Number: "1471-CV/TU", DocType: "ct", IssuedOn: "2024-02-23", IssuerUnitID: ids["P38"], Signer: "Lại Thế Nguyên",
		Texts: []programme.Text{{Lang: "vi", Title: "Về việc dân vận khéo", Body: "Nội dung mới"}}}
	if err := st.UpdateDirective(ctx, sys, &ed, 1); err != nil || ed.Version != 2 {
		t.Fatalf("update: %v %d", err, ed.Version)
	}
	if err := st.UpdateDirective(ctx, sys, &ed, 1); !errors.Is(err, store.ErrStale) || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	ed.Number = "1-KH/TU"
	if err := st.UpdateDirective(ctx, sys, &ed, 2); !errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrStale) {
		t.Fatalf("duplicate number: %v", err)
	}
	got, err := st.GetDirective(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "1471-CV/TU" || got.Version != 2 || programme.TextIn(got.Texts, "vi").Title != "Về việc dân vận khéo" || programme.TextIn(got.Texts, "en").Title != "Mass mobilisation" {
		t.Fatalf("after edit: %+v", got)
	}

	task := programme.Task{DirectiveID: d.ID, Number: 1, Weight: 1, Texts: []programme.Text{{Lang: "vi", Title: "Cải cách hành chính"}}}
	if err := st.AddTask(ctx, sys, &task); err != nil {
		t.Fatal(err)
	}
	et := programme.Task{ID: task.ID, Number: 2, Weight: 3, Texts: []programme.Text{{Lang: "vi", Title: "Chuyển đổi số"}}}
	if err := st.UpdateTask(ctx, sys, &et, 1); err != nil {
		t.Fatal(err)
	}
	if gt, _ := st.GetTask(ctx, task.ID); gt.Number != 2 || gt.Weight != 3 || gt.Version != 2 || gt.Texts[0].Title != "Chuyển đổi số" {
		t.Fatalf("task: %+v", gt)
	}

	// Bulk: one new, one already there (skipped), in one transaction.
	as := programme.Assignment{TaskID: task.ID, UnitID: ids["11"], Role: programme.RoleLead, DueOn: "2025-12-31"}
	if err := st.AssignTask(ctx, sys, &as); err != nil {
		t.Fatal(err)
	}
	done, err := st.BulkAssign(ctx, sys, []programme.Assignment{
		{TaskID: task.ID, UnitID: ids["10"], Role: programme.RoleCooperate, DueOn: "2025-11-30", Note: "Vùng cao"},
		{TaskID: task.ID, UnitID: ids["11"], Role: programme.RoleCooperate, DueOn: "2025-11-30"},
	})
	if err != nil || len(done) != 1 || done[0].UnitID != ids["10"] || done[0].ID == 0 {
		t.Fatalf("bulk: %+v %v", done, err)
	}
	if _, err := st.BulkAssign(ctx, sys, []programme.Assignment{{TaskID: task.ID, UnitID: ids["1"], Role: "lead", DueOn: "2025-11-30"}, {TaskID: task.ID + 99, UnitID: ids["2"], Role: "lead", DueOn: "2025-11-30"}}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("bulk with an unknown task: %v", err)
	}
	if g, _ := st.GetDirective(ctx, d.ID); len(g.Tasks[0].Assignments) != 2 {
		t.Fatalf("the failed bulk left %d assignments", len(g.Tasks[0].Assignments))
	}
	ga, err := st.GetAssignment(ctx, as.ID)
	if err != nil || ga.Role != programme.RoleLead || ga.DirectiveID != d.ID {
		t.Fatalf("skipped assignment changed: %+v %v", ga, err)
	}
	ua := programme.Assignment{ID: as.ID, UnitID: ids["10"], Role: programme.RoleLead, DueOn: "2025-10-31"}
	if err := st.UpdateAssignment(ctx, sys, &ua, ga.Version); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("move onto an assigned unit: %v", err)
	}

	// Withdraw the assignment of 11: its activity leaves the roll-ups and due lists.
	act := programme.Activity{UnitID: ids["11"], TaskID: task.ID, Title: "Rút gọn thủ tục", StartOn: "2025-07-01", DueOn: "2025-08-01", Weight: 1}
	if err := st.CreateActivity(ctx, sys, &act); err != nil {
		t.Fatal(err)
	}
	if over, _ := st.OverdueActivities(ctx, []int64{ids["11"]}, "2025-09-01", 10); len(over) != 1 {
		t.Fatalf("overdue before: %d", len(over))
	}
	if _, err := st.Withdraw(ctx, sys, store.WithdrawAssignment, as.ID, ga.Version+7, "", "x"); !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale withdraw: %v", err)
	}
	w, err := st.Withdraw(ctx, sys, store.WithdrawAssignment, as.ID, ga.Version, "Nguyễn Điều Phối", "Giao nhầm")
	if err != nil || w.By != "Nguyễn Điều Phối" || w.Reason != "Giao nhầm" {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	if _, err := st.Withdraw(ctx, sys, store.WithdrawAssignment, as.ID, ga.Version+1, "", "x"); !errors.Is(err, store.ErrWithdrawn) {
		t.Fatalf("withdrawn twice: %v", err)
	}
	ga, _ = st.GetAssignment(ctx, as.ID)
	if ga.Withdrawn == nil || ga.Withdrawn.Reason != "Giao nhầm" || ga.Withdrawn.By != "Nguyễn Điều Phối" || !ga.Withdrawn.At.Equal(w.At) {
		t.Fatalf("stored withdrawal: %+v", ga.Withdrawn)
	}
	if over, _ := st.OverdueActivities(ctx, []int64{ids["11"]}, "2025-09-01", 10); len(over) != 0 {
		t.Errorf("overdue after: %d", len(over))
	}
	if acts, _ := st.DirectiveActivities(ctx, d.ID); len(acts) != 0 {
		t.Errorf("directive activities: %+v", acts)
	}
	if acts, _ := st.UnitActivities(ctx, ids["11"]); len(acts) != 1 || !acts[0].Withdrawn {
		t.Errorf("unit activities: %+v", acts)
	}
	if _, err := st.PostProgress(ctx, sys, &programme.Update{ActivityID: act.ID, Percent: 50}, 0, nil); !errors.Is(err, store.ErrWithdrawn) {
		t.Errorf("progress: %v", err)
	}
	if uas, _ := st.UnitAssignments(ctx, ids["11"]); len(uas) != 1 || uas[0].Withdrawn == nil {
		t.Errorf("unit assignments: %+v", uas)
	}
	// Assigning again gives it back.
	again := programme.Assignment{TaskID: task.ID, UnitID: ids["11"], Role: programme.RoleLead, DueOn: "2025-12-31"}
	if err := st.AssignTask(ctx, sys, &again); err != nil || again.ID != as.ID {
		t.Fatal(err)
	}
	if ga, _ := st.GetAssignment(ctx, as.ID); ga.Withdrawn != nil {
		t.Errorf("not given back: %+v", ga.Withdrawn)
	}
	// The directive's withdrawal covers every assignment under it.
	if _, err := st.Withdraw(ctx, sys, store.WithdrawDirective, d.ID, 2, "", "Hết hiệu lực"); err != nil {
		t.Fatal(err)
	}
	if uas, _ := st.UnitAssignments(ctx, ids["10"]); len(uas) != 1 || uas[0].Withdrawn == nil || uas[0].Withdrawn.Reason != "Hết hiệu lực" {
		t.Errorf("assignments under a withdrawn directive: %+v", uas)
	}
	if err := st.UpdateDirective(ctx, sys, &ed, 3); !errors.Is(err, store.ErrWithdrawn) {
		t.Errorf("edit a withdrawn directive: %v", err)
	}
	if ds, _ := st.ListDirectives(ctx); ds[len(ds)-1].Withdrawn == nil && ds[0].Withdrawn == nil {
		t.Errorf("list: no withdrawal")
	}
}
