package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store/storetest"
)

// BenchmarkReportsList100k measures the reports list at 100,000 reports
// (1,000 communes × 100 months): the first page and a deep page by key, for
// an administrator, a provincial coordinator and a commune officer, and the
// deep page by offset for comparison. Run with
//
//	go test ./internal/service -run '^$' -bench ReportsList100k -benchtime 20x
//
// (DANVAN_TEST_POSTGRES set: on PostgreSQL). ns/op is the time of one page.
func BenchmarkReportsList100k(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	st.SetClock(func() time.Time { return time.Date(2026, 1, 20, 3, 0, 0, 0, time.UTC) })
	const districts, communes, months = 10, 100, 100
	var csv strings.Builder
	csv.WriteString("code,name,kind,parent_code,valid_from,valid_to,remote\nP,Tỉnh,province,,2000-01-01,,\n")
	for d := range districts {
		fmt.Fprintf(&csv, "D%d,Huyện %d,district,P,2000-01-01,,\n", d, d)
		for c := range communes {
			fmt.Fprintf(&csv, "C%d_%d,Xã %d-%d,commune,D%d,2000-01-01,,\n", d, c, d, c, d)
		}
	}
	importUnits(b, st, csv.String())
	svc := servicetest.New(b, st)
	cut := 15
	tpl, err := svc.Reports.CreateTemplate(ctx, service.SystemPrincipal(), service.TemplateInput{Code: "BC-B", Name: "Báo cáo tháng", PeriodType: "monthly", CutoffDay: &cut, Definition: []byte(rptDef)})
	if err != nil {
		b.Fatal(err)
	}
	unit := func(code string) int64 {
		u, err := st.UnitByCode(ctx, code, "2020-01-01")
		if err != nil {
			b.Fatal(code, err)
		}
		return u.ID
	}
	var ids []int64
	for d := range districts {
		for c := range communes {
			ids = append(ids, unit(fmt.Sprintf("C%d_%d", d, c)))
		}
	}
	// 100 monthly windows ending in 2017-09 … 2025-12.
	var ws []report.Window
	for y := 2017; y <= 2025 && len(ws) < months; y++ {
		ws = append(ws, report.Windows(report.Rule{}, report.Monthly, y)...)
	}
	ws = ws[len(ws)-months:]
	now := time.Now().UTC().Format(time.RFC3339)
	db := st.DB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	var rows []string
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reports (template_id, unit_id, period_type, period_year, period_number, period_from, period_to, due_on, status, version, narrative, created_at, updated_at) VALUES `+strings.Join(rows, ",")); err != nil {
			b.Fatal(err)
		}
		rows = rows[:0]
	}
	for i, w := range ws {
		due := w.To.AddDays(5).String()
		for j, id := range ids {
			status := "submitted"
			if (i+j)%10 == 0 {
				status = "draft"
			}
			rows = append(rows, fmt.Sprintf("(%d,%d,'monthly',%d,%d,'%s','%s','%s','%s',1,'{}','%s','%s')", tpl.ID, id, w.Year, w.Number, w.From, w.To, due, status, now, now))
			if len(rows) == 500 {
				flush()
			}
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	var deepTo string
	var deepID int64
	if err := db.QueryRowContext(ctx, `SELECT period_to, id FROM reports ORDER BY period_to DESC, id DESC LIMIT 1 OFFSET 90000`).Scan(&deepTo, &deepID); err != nil {
		b.Fatal(err)
	}
	deep := &service.ReportCursor{PeriodTo: deepTo, ID: deepID}
	admin := &service.Principal{User: account.User{ID: 1, Username: "admin"}, Grants: []authz.Grant{{Role: authz.RoleAdmin, UnitID: unit("P")}}}
	coord := &service.Principal{User: account.User{ID: 2, Username: "coord"}, Grants: []authz.Grant{{Role: authz.RoleCoordinator, UnitID: unit("P")}}}
	officer := &service.Principal{User: account.User{ID: 3, Username: "officer"}, Grants: []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: ids[17]}}}
	for _, c := range []struct {
		name string
		p    *service.Principal
		q    service.ReportQuery
	}{
		{"admin/first", admin, service.ReportQuery{Limit: 25}},
		{"admin/deep-key", admin, service.ReportQuery{Limit: 25, After: deep}},
		{"admin/deep-offset", admin, service.ReportQuery{Limit: 25, Offset: 90000}},
		{"admin/status-first", admin, service.ReportQuery{Limit: 25, Status: "submitted"}},
		{"coordinator/first", coord, service.ReportQuery{Limit: 25}},
		{"coordinator/deep-key", coord, service.ReportQuery{Limit: 25, After: deep}},
		{"officer/first", officer, service.ReportQuery{Limit: 25}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				pg, err := svc.Reports.List(ctx, c.p, c.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(pg.Items) == 0 {
					b.Fatal("empty page")
				}
			}
		})
	}
	// Completeness of one month over the 1,000 communes.
	if _, err := svc.Reports.CreateSchedule(ctx, service.SystemPrincipal(), tpl.ID, service.ScheduleInput{UnitID: unit("P"), Kinds: []string{string(org.KindCommune)},
		Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5, WorkingDays: true}}}); err != nil {
		b.Fatal(err)
	}
	last := ws[len(ws)-1]
	b.Run("completeness", func(b *testing.B) {
		for b.Loop() {
			c, err := svc.Reports.Completeness(ctx, coord, service.CompletenessQuery{TemplateID: tpl.ID, Year: last.Year, Number: last.Number, Today: calendar.DateOf(st.Now()).String()})
			if err != nil {
				b.Fatal(err)
			}
			if c.Total.Expected != districts*communes {
				b.Fatalf("expected %d", c.Total.Expected)
			}
		}
	})
}

// BenchmarkReportsSaveDraft measures one draft save through the service
// (permission on the in-memory tree, validation, one transaction that
// writes only the changed values): each save changes one of 20 values.
func BenchmarkReportsSaveDraft(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b)
	st.SetClock(func() time.Time { return time.Date(2025, 9, 1, 3, 0, 0, 0, time.UTC) })
	importUnits(b, st, "code,name,kind,parent_code,valid_from,valid_to,remote\nP,Tỉnh,province,,2000-01-01,,\nC,Xã,commune,P,2000-01-01,,\n")
	svc := servicetest.New(b, st)
	var ind []string
	for i := range 20 {
		ind = append(ind, fmt.Sprintf(`{"code":"i%d","name":{"vi":"Chỉ tiêu %d"},"type":"integer","min":0}`, i, i))
	}
	def := `{"sections":[{"key":"s","title":{"vi":"Phần"}}],"indicators":[` + strings.Join(ind, ",") + `]}`
	cut := 15
	sys := service.SystemPrincipal()
	tpl, err := svc.Reports.CreateTemplate(ctx, sys, service.TemplateInput{Code: "BC-S", Name: "Báo cáo", PeriodType: "monthly", CutoffDay: &cut, Definition: []byte(def)})
	if err != nil {
		b.Fatal(err)
	}
	c, err := st.UnitByCode(ctx, "C", "2020-01-01")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Reports.CreateSchedule(ctx, sys, tpl.ID, service.ScheduleInput{UnitID: c.ID, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 5}}}); err != nil {
		b.Fatal(err)
	}
	u := account.User{Username: "officer", FullName: "Cán bộ", Email: "officer@example.vn", PasswordHash: "x"}
	if err := st.CreateUser(ctx, audit.System("bench"), &u); err != nil {
		b.Fatal(err)
	}
	officer := &service.Principal{User: u, Grants: []authz.Grant{{Role: authz.RoleUnitOfficer, UnitID: c.ID}}}
	rep, err := svc.Reports.Open(ctx, officer, service.OpenInput{TemplateID: tpl.ID, UnitID: c.ID, Year: 2025, Number: 8})
	if err != nil {
		b.Fatal(err)
	}
	vals := map[string]string{}
	for i := range 20 {
		vals[fmt.Sprintf("i%d", i)] = "1"
	}
	version, n := rep.Version, 0
	for b.Loop() {
		n++
		vals[fmt.Sprintf("i%d", n%20)] = fmt.Sprint(n)
		out, _, err := svc.Reports.SaveDraft(ctx, officer, rep.ID, service.DraftInput{Version: version, Narrative: map[string]string{"s": "Nội dung"}, Values: vals})
		if err != nil {
			b.Fatal(err)
		}
		version = out.Version
	}
}
