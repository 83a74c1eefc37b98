package service_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
	"github.com/danvan/danvan/internal/store/storetest"
)

// register is a paper register with a header, in the column order of the
// template (received_on dd/mm/yyyy).
const register = "\xef\xbb\xbfreceived_on,channel,kind,category,unit,place,title,description,name,phone,address,parent_code,status,note,closed_on\n" +
	"02/07/2025,reception,khiếu nại,dat-dai,,W1,Khiếu nại về bồi thường,Gia đình tôi không đồng ý mức bồi thường.,Nguyễn Văn An,0912345678,Thôn 3,,closed,Đã trả lời bằng văn bản.,20/07/2025\n" +
	"03/07/2025,post,feedback,,,W2,Đường liên thôn xuống cấp,Đường bị sạt lở sau mưa.,,,,,accepted,,\n" +
	"\n" +
	"04/07/2025,,recommendation,,P38,,Kiến nghị lắp đèn đường,Khu dân cư tối vào ban đêm.,,,,,,,\n"

func TestCaseImportCSV(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	sys := service.SystemPrincipal()
	got, err := cs.ImportCSV(f.ctx, sys, strings.NewReader(register))
	if err != nil || len(got) != 3 {
		t.Fatalf("import: %+v %v", got, err)
	}
	first, err := cs.Get(f.ctx, sys, got[0].ID)
	if err != nil || first.Status != service.CaseClosed || first.Kind != service.CaseComplaint || first.Channel != service.ChannelReception ||
		first.ReceivedOn != "2025-07-02" || first.AcceptDue == "" || first.ResolveDue == "" || first.Resolution != "Đã trả lời bằng văn bản." ||
		first.ClosedAt.IsZero() || !first.HasIdentity || len(first.Events) != 4 {
		t.Fatalf("first: %+v %v", first, err)
	}
	id, err := cs.Identity(f.ctx, sys, got[0].ID)
	if err != nil || id == nil || id.Name != "Nguyễn Văn An" || id.Phone != "0912345678" {
		t.Fatalf("identity: %+v %v", id, err)
	}
	if v, _ := cs.Get(f.ctx, sys, got[1].ID); v.Status != service.CaseAccepted || v.UnitID != f.unit["W2"] || v.Channel != service.ChannelPost || v.Remote != true {
		t.Fatalf("second: %+v", v)
	}
	if v, _ := cs.Get(f.ctx, sys, got[2].ID); v.Status != service.CaseReceived || v.UnitID != f.unit["P38"] {
		t.Fatalf("third: %+v", v)
	}

	// Every error, with line and column; nothing stored.
	bad := "received_on,kind,title,description,place,status,name,address,colour\n" +
		"31/02/2025,feedback,Tiêu đề,Nội dung,W1,,,,\n" +
		"01/07/2025,khiếu nại,Tiêu đề,Nội dung,ZZ,resolved,,,\n"
	_, err = cs.ImportCSV(f.ctx, sys, strings.NewReader(bad))
	wantField(t, err, "1:colour", service.MsgCaseImportUnknownCol)
	bad = strings.Replace(bad, ",colour", "", 1)
	_, err = cs.ImportCSV(f.ctx, sys, strings.NewReader(bad))
	for _, w := range []struct{ field, key string }{
		{"2:received_on", service.MsgCaseImportBadDate},
		{"3:place", service.MsgCaseImportUnit},
		{"3:note", service.MsgCaseImportNote},
		{"3:closed_on", service.MsgCaseImportClosedOn},
		{"3:name", service.MsgCaseNameRequired},
		{"3:address", service.MsgCaseAddressRequired},
	} {
		wantField(t, err, w.field, w.key)
	}
	if n, col := service.CaseImportLine("3:closed_on"); n != 3 || col != "closed_on" {
		t.Fatalf("line split: %d %s", n, col)
	}
	// A line valid alone but wrong when recorded (a future date) stops
	// the whole file.
	future := "received_on,kind,title,description,place\n01/07/2025,feedback,A,B,W1\n01/09/2025,feedback,A,B,W1\n"
	_, err = cs.ImportCSV(f.ctx, sys, strings.NewReader(future))
	wantField(t, err, "3:received_on", service.MsgCaseImportFuture)
	if rows, _ := cs.Export(f.ctx, sys, service.CaseExportFilter{}); len(rows) != 3 {
		t.Fatalf("a failed import stored %d case(s)", len(rows)-3)
	}
	// Missing columns, empty files.
	_, err = cs.ImportCSV(f.ctx, sys, strings.NewReader("received_on;kind;title\n"))
	wantField(t, err, "1:description", service.MsgCaseImportColumn)
	wantField(t, err, "1:place", service.MsgCaseImportColumn)
	_, err = cs.ImportCSV(f.ctx, sys, strings.NewReader(""))
	wantField(t, err, "1:file", service.MsgCaseImportEmpty)
	// Someone who may not handle the unit imports nothing.
	other := f.principal(authz.RoleCaseHandler, "P01")
	if _, err := cs.ImportCSV(f.ctx, other, strings.NewReader(register)); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("foreign import: %v", err)
	}
}

func TestCaseRecordAndExport(t *testing.T) {
	f := newCaseFix(t)
	cs := f.svc.Cases
	sys := service.SystemPrincipal()
	id := &service.CaseIdentity{Name: "Lê Thị Hoa", Address: "Thôn 1"}
	recs := []service.CaseRecord{
		{CaseInput: service.CaseInput{Kind: service.CaseComplaint, PlaceUnitID: f.unit["W1"], Title: "Khiếu nại lần đầu", Description: "Nội dung", Identity: id},
			ReceivedOn: "2025-05-05", TrackingCode: "TH-2025-AAAA22",
			Steps:  []service.RecordedStep{{Step: "accept", On: "2025-05-08"}, {Step: "resolve", On: "2025-07-10", PublicNote: "Giữ nguyên"}, {Step: "close", On: "2025-07-11"}},
			Rating: 2},
		{CaseInput: service.CaseInput{Kind: service.CaseComplaint2, UnitID: f.unit["P38"], PlaceUnitID: f.unit["W1"], Title: "Khiếu nại lần hai", Description: "Nội dung", Identity: id, ParentCode: "TH-2025-AAAA22"},
			ReceivedOn: "2025-07-20"},
		{CaseInput: service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W2"], Title: "Rác thải", Description: "Nội dung"},
			ReceivedOn: "2025-06-02", Steps: []service.RecordedStep{{Step: "transfer", On: "2025-06-03", PublicNote: "Chuyển tỉnh", ToUnitID: f.unit["P38"]}, {Step: "accept", On: "2025-06-04"}}},
	}
	got, err := cs.Record(f.ctx, sys, "case.demo", recs)
	if err != nil || len(got) != 3 || got[0].TrackingCode != "TH-2025-AAAA22" {
		t.Fatalf("record: %+v %v", got, err)
	}
	second, _ := cs.Get(f.ctx, sys, got[1].ID)
	if second.ParentCaseID != got[0].ID {
		t.Fatalf("second complaint not linked: %+v", second)
	}
	third, _ := cs.Get(f.ctx, sys, got[2].ID)
	if third.UnitID != f.unit["P38"] || third.Status != service.CaseAccepted || len(third.Events) != 3 || third.Events[1].FromUnitID != f.unit["W2"] {
		t.Fatalf("transferred: %+v", third)
	}
	// A step out of order refuses the whole load.
	badRecs := []service.CaseRecord{{CaseInput: service.CaseInput{Kind: service.CaseFeedback, PlaceUnitID: f.unit["W1"], Title: "A", Description: "B"},
		ReceivedOn: "2025-06-02", Steps: []service.RecordedStep{{Step: "close", On: "2025-06-03"}}}}
	_, err = cs.Record(f.ctx, sys, "case.demo", badRecs)
	wantField(t, err, "1:steps.0.step", service.MsgCaseImportStep)

	rows, err := cs.Export(f.ctx, sys, service.CaseExportFilter{From: "2025-05-01", To: "2025-06-30"})
	if err != nil || len(rows) != 2 || rows[0].TrackingCode != "TH-2025-AAAA22" || rows[1].Status != service.CaseAccepted {
		t.Fatalf("export: %+v %v", rows, err)
	}
	// The complaint was resolved past its deadline (30 days from 8 May).
	if rows[0].DaysLate <= 0 || rows[0].Rating != 2 || rows[0].ClosedOn != "2025-07-11" {
		t.Fatalf("lateness: %+v", rows[0])
	}
	if rows, _ := cs.Export(f.ctx, sys, service.CaseExportFilter{Unit: f.unit["W2"]}); len(rows) != 0 {
		t.Fatalf("W2 export holds the transferred case: %+v", rows)
	}
	if _, err := cs.Export(f.ctx, f.principal(authz.RoleCaseHandler, "P01"), service.CaseExportFilter{Unit: f.unit["P38"]}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("foreign export: %v", err)
	}
	_, err = cs.Export(f.ctx, sys, service.CaseExportFilter{From: "31/12/2025"})
	wantField(t, err, "from", service.MsgBadDate)
}

// FuzzCaseImportCSV: no register, however broken, panics the parser; an
// accepted one has a line number for every record.
func FuzzCaseImportCSV(f *testing.F) {
	f.Add([]byte(register))
	f.Add([]byte("received_on;kind;title;description;place\n01/07/2025;feedback;A;B;W1\n"))
	f.Add([]byte("received_on,kind\n\"unterminated\n"))
	f.Add([]byte{})
	st := storetest.Open(f)
	w1 := org.Unit{Code: "W1", Name: "Phường 1", Kind: org.KindWard, ValidFrom: "2000-01-01"}
	if err := st.CreateUnit(context.Background(), audit.System("test"), &w1); err != nil {
		f.Fatal(err)
	}
	svc := servicetest.New(f, st)
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := svc.Cases.ParseCaseCSV(bytes.NewReader(data))
		if err != nil {
			if _, ok := service.AsInvalid(err); !ok {
				t.Fatalf("not a field error: %v", err)
			}
			return
		}
		for _, r := range recs {
			if r.Line < 2 || r.ReceivedOn == "" {
				t.Fatalf("record without line or date: %+v", r)
			}
		}
	})
}
