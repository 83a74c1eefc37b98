package benchapi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// indicatorCodes are the bench template's indicators (all integers, summed).
var indicatorCodes = []string{"citizen_receptions", "dialogues", "cases_received", "cases_resolved_on_time", "trainings", "articles_published"}

// periodsPerUnit monthly reports per commune are stored in bulk, from
// January 2016: 1,000 communes × 100 months = 100,000 reports.
const (
	periodsPerUnit = 100
	firstYear      = 2016
	districts      = 10
)

// writer is one client that writes: a user with an API token who is the
// unit officer of its own commune, with its own draft and activity.
type writer struct {
	user            string
	token           string
	unitID          int64
	draftID         int64
	draftVersion    int
	activityID      int64
	activityVersion int
	toSubmit        []int64
}

// fixture is the data the run works on.
type fixture struct {
	provinceID   int64
	communes     []int64
	writers      []writer
	adminToken   string
	leaderToken  string
	adminUser    string
	password     string
	templateID   int64
	submitTplID  int64
	reports      int
	submitPeriod int // next free month index of the submission template
}

// setup creates the organisation (a province, 10 districts and enough
// communes), an administrator, a leader of the province and one unit officer
// per client (each with an API token), a monthly template with its schedule,
// a directive with an activity per writer's commune, and reports reports
// stored in bulk, submitted or accepted, with their values.
func setup(ctx context.Context, st *store.Store, clients, reports int, say func(string, ...any)) (*fixture, error) {
	sys := audit.System("bench")
	fx := &fixture{password: "mật khẩu đo tải 2026"}
	communes := max(clients, (reports+periodsPerUnit-1)/periodsPerUnit)

	var csv strings.Builder
	csv.WriteString("code,name,kind,parent_code,valid_from,valid_to,remote\n")
	csv.WriteString("P38,Tỉnh Thanh Hóa,province,,2000-01-01,,\n")
	for d := 0; d < districts; d++ {
		fmt.Fprintf(&csv, "D%02d,Huyện Số %d,district,P38,2000-01-01,,\n", d+1, d+1)
	}
	for c := 0; c < communes; c++ {
		fmt.Fprintf(&csv, "C%05d,Xã Đông Số %d,commune,D%02d,2000-01-01,,\n", c+1, c+1, c%districts+1)
	}
	rows, err := org.ParseCSV(strings.NewReader(csv.String()), org.ImportOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := st.ImportUnits(ctx, sys, rows); err != nil {
		return nil, err
	}
	prov, err := st.UnitByCode(ctx, "P38", "2026-01-01")
	if err != nil {
		return nil, err
	}
	fx.provinceID = prov.ID
	for c := 0; c < communes; c++ {
		u, err := st.UnitByCode(ctx, fmt.Sprintf("C%05d", c+1), "2026-01-01")
		if err != nil {
			return nil, err
		}
		fx.communes = append(fx.communes, u.ID)
	}
	say("%d units stored", 1+districts+communes)

	// Accounts. One password hash serves every account (hashing is slow on purpose).
	hash, err := account.HashPassword(fx.password)
	if err != nil {
		return nil, err
	}
	user := func(name, full string, role authz.Role, unit int64) (string, error) {
		u := account.User{Username: name, FullName: full, PasswordHash: hash}
		if err := st.CreateUser(ctx, sys, &u); err != nil {
			return "", err
		}
		if err := st.AddGrant(ctx, sys, u.ID, role, unit); err != nil {
			return "", err
		}
		tok, th, err := account.NewToken("dvt_")
		if err != nil {
			return "", err
		}
		if _, err := st.CreateToken(ctx, sys, u.ID, "bench", th); err != nil {
			return "", err
		}
		return tok, nil
	}
	fx.adminUser = "admin"
	if fx.adminToken, err = user("admin", "Quản trị hệ thống", authz.RoleAdmin, prov.ID); err != nil {
		return nil, err
	}
	if fx.leaderToken, err = user("lanhdao", "Lãnh đạo Ban Dân vận", authz.RoleLeader, prov.ID); err != nil {
		return nil, err
	}
	for i := 0; i < clients; i++ {
		name := fmt.Sprintf("canbo%02d", i+1)
		tok, err := user(name, fmt.Sprintf("Cán bộ xã số %d", i+1), authz.RoleUnitOfficer, fx.communes[i])
		if err != nil {
			return nil, err
		}
		fx.writers = append(fx.writers, writer{user: name, token: tok, unitID: fx.communes[i]})
	}
	say("%d accounts with API tokens", 2+clients)

	// Templates: one for the stored reports and the draft saves, one for
	// the submissions; both scheduled for every commune of the province.
	var def report.Definition
	names := []string{"Số cuộc tiếp công dân", "Số cuộc đối thoại", "Số đơn thư tiếp nhận", "Số đơn thư giải quyết đúng hạn", "Số lớp tập huấn", "Số tin bài tuyên truyền"}
	for i, code := range indicatorCodes {
		def.Indicators = append(def.Indicators, report.Indicator{Code: code, Name: report.Text{"vi": names[i]}, Type: report.TypeInteger, Aggregation: "sum"})
	}
	for _, t := range []struct {
		code, name string
		id         *int64
	}{{"bench-thang", "Báo cáo tháng công tác dân vận", &fx.templateID}, {"bench-nop", "Báo cáo nhanh công tác dân vận", &fx.submitTplID}} {
		tpl := report.Template{Code: t.code, Name: t.name, PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true}
		if err := st.CreateTemplate(ctx, sys, &tpl); err != nil {
			return nil, err
		}
		*t.id = tpl.ID
		sc := report.Assignment{TemplateID: tpl.ID, UnitID: prov.ID, Kinds: []string{"commune"},
			Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}
		if err := st.CreateSchedule(ctx, sys, &sc); err != nil {
			return nil, err
		}
	}

	// A directive with one task, assigned to every writer's commune, each
	// with one activity (progress updates; the dashboard's progress section).
	dir := programme.Directive{Number: "1470-CV/TU", DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: prov.ID, Signer: "Nguyễn Văn A", SignerTitle: "Phó Bí thư",
		Texts: []programme.Text{{Lang: "vi", Title: "Về thực hiện Năm dân vận chính quyền", Body: "Nội dung chỉ thị."}}}
	if err := st.CreateDirective(ctx, sys, &dir); err != nil {
		return nil, err
	}
	task := programme.Task{DirectiveID: dir.ID, Number: 1, Weight: 1, Texts: []programme.Text{{Lang: "vi", Title: "Tiếp xúc, đối thoại với Nhân dân", Body: "Tổ chức đối thoại định kỳ."}}}
	if err := st.AddTask(ctx, sys, &task); err != nil {
		return nil, err
	}
	for i := range fx.writers {
		w := &fx.writers[i]
		if err := st.AssignTask(ctx, sys, &programme.Assignment{TaskID: task.ID, UnitID: w.unitID, Role: programme.RoleLead, DueOn: "2026-12-31"}); err != nil {
			return nil, err
		}
		act := programme.Activity{UnitID: w.unitID, TaskID: task.ID, Title: "Đối thoại với Nhân dân về giải phóng mặt bằng", Owner: "Ủy ban nhân dân xã",
			StartOn: "2026-01-01", DueOn: "2026-12-31", Weight: 1}
		if err := st.CreateActivity(ctx, sys, &act); err != nil {
			return nil, err
		}
		w.activityID, w.activityVersion = act.ID, act.Version
	}

	// The stored reports, in batches (each batch is one transaction and
	// one rebuild of the consolidated figures).
	t0 := time.Now()
	windows := map[int][]report.Window{}
	window := func(month int) report.Window {
		y := firstYear + month/12
		if windows[y] == nil {
			windows[y] = report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, y)
		}
		return windows[y][month%12]
	}
	const batch = 20000
	var seeds []store.ReportSeed
	flush := func() error {
		if len(seeds) == 0 {
			return nil
		}
		n, err := st.SeedReports(ctx, sys, seeds)
		fx.reports += n
		seeds = seeds[:0]
		if err == nil {
			say("%d reports stored", fx.reports)
		}
		return err
	}
	for k := 0; k < reports; k++ {
		month, c := k/communes, k%communes
		if month >= periodsPerUnit {
			break
		}
		w := window(month)
		due := w.To.AddDays(5)
		// Submitted the day before the deadline; two in three accepted two days after it.
		hist := []store.ReportStep{{Status: report.Submitted, At: due.In(time.UTC).Add(-24 * time.Hour)}}
		if k%3 != 0 {
			hist = append(hist, store.ReportStep{Status: report.Accepted, At: due.In(time.UTC).Add(48 * time.Hour), Comment: "Đồng ý."})
		}
		seeds = append(seeds, store.ReportSeed{
			Report: report.Report{TemplateID: fx.templateID, UnitID: fx.communes[c], PeriodType: report.Monthly, PeriodYear: w.Year, PeriodNumber: w.Number,
				PeriodFrom: w.From.String(), PeriodTo: w.To.String(), DueOn: due.String(), Values: report.Values(draftValues(k)),
				Narrative: map[string]string{"highlights": "Duy trì tiếp công dân định kỳ."}},
			History: hist,
		})
		if len(seeds) == batch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if reports > 0 {
		say("%d reports stored in %.1fs", fx.reports, time.Since(t0).Seconds())
	}

	// Each writer's draft for the save phases: the month after the stored ones.
	w := window(periodsPerUnit)
	for i := range fx.writers {
		r, err := st.EnsureReport(ctx, sys, fx.templateID, fx.writers[i].unitID, w)
		if err != nil {
			return nil, fmt.Errorf("draft: %w", err)
		}
		fx.writers[i].draftID, fx.writers[i].draftVersion = r.ID, r.Version
	}
	return fx, nil
}

// seedSubmitDrafts stores per drafts of the submission template for each of
// the first n writers (those that submit), months from January 2000 on.
func (fx *fixture) seedSubmitDrafts(ctx context.Context, st *store.Store, per, n int) error {
	n = min(n, len(fx.writers))
	sys := audit.System("bench")
	var seeds []store.ReportSeed
	cache := map[int][]report.Window{}
	for m := 0; m < per; m++ {
		y := 2000 + m/12
		if cache[y] == nil {
			cache[y] = report.Windows(report.Rule{CutoffDay: 15}, report.Monthly, y)
		}
		w := cache[y][m%12]
		for _, wr := range fx.writers[:n] {
			seeds = append(seeds, store.ReportSeed{Report: report.Report{TemplateID: fx.submitTplID, UnitID: wr.unitID, PeriodType: report.Monthly,
				PeriodYear: w.Year, PeriodNumber: w.Number, PeriodFrom: w.From.String(), PeriodTo: w.To.String(), DueOn: w.To.AddDays(5).String(),
				Narrative: map[string]string{}, Values: report.Values{}}})
		}
	}
	if _, err := st.SeedReports(ctx, sys, seeds); err != nil {
		return err
	}
	for i := range fx.writers[:n] {
		ids, err := draftIDs(ctx, st, fx.submitTplID, fx.writers[i].unitID, per)
		if err != nil {
			return err
		}
		fx.writers[i].toSubmit = ids
	}
	return nil
}

// draftIDs lists a unit's draft reports of a template.
func draftIDs(ctx context.Context, st *store.Store, templateID, unitID int64, n int) ([]int64, error) {
	list, _, err := st.ListReports(ctx, store.ReportFilter{All: true, UnitID: unitID, TemplateID: templateID, Status: report.Draft, Limit: n + 10})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	return ids, nil
}
