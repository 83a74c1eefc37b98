package service_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// exportText is the document.xml of report id's DOCX as p exports it.
func exportText(t *testing.T, f *rptFixture, p *service.Principal, id int64) string {
	t.Helper()
	e, err := f.rs.ExportReport(t.Context(), p, id, exportOptions())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.Write(&buf, export.DOCX); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range zr.File {
		if z.Name == "word/document.xml" {
			rc, _ := z.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatal("no document.xml")
	return ""
}

// TestReportNumbers: a report is numbered when it is submitted, in the
// register of its issuing body (a commune's People's Committee here), per
// year; it keeps its number when returned and submitted again; a draft
// shows a blank number; the submitter signs with their position.
func TestReportNumbers(t *testing.T) {
	f := newRptFixture(t)
	ctx := t.Context()
	head := f.head["A1"]

	draft := f.open(t, "A1", 2)
	text := exportText(t, f, head, draft.ID)
	if !strings.Contains(text, "Số:      /BC-UBND") || !strings.Contains(text, "Dự thảo") {
		t.Errorf("a draft's number line is not blank, or the draft is not marked")
	}

	if err := f.svc.Accounts.SetPosition(ctx, head, head.User.ID, "  Phó Chủ tịch "); err != nil {
		t.Fatal(err)
	}
	if pos, err := f.svc.Accounts.Position(ctx, head, head.User.ID); err != nil || pos != "Phó Chủ tịch" {
		t.Fatalf("position %q, %v", pos, err)
	}
	feb, err := f.rs.Submit(ctx, head, draft.ID, service.DraftInput{Version: draft.Version, Values: map[string]string{"cases": "4", "done": "3"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	mar := f.submitted(t, "A1", 3)
	other := f.submitted(t, "B1", 2)
	for _, c := range []struct {
		id   int64
		want int
	}{{feb.ID, 1}, {mar.ID, 2}, {other.ID, 1}} {
		n, ok, err := f.st.ReportNumber(ctx, c.id)
		if err != nil || !ok || n.Number != c.want || n.Year != 2025 || n.Kind != "BC" || n.Organ != export.OrganState {
			t.Errorf("report %d: number %+v %v %v, want %d", c.id, n, ok, err, c.want)
		}
	}
	text = exportText(t, f, head, feb.ID)
	for _, want := range []string{"Số: 1/BC-UBND", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", head.User.FullName, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"} {
		if !strings.Contains(text, want) {
			t.Errorf("the submitted report's document lacks %q", want)
		}
	}
	if strings.Contains(text, "Dự thảo") {
		t.Error("a submitted report is marked as a draft")
	}

	// Returned and submitted again: the same number, the register unmoved.
	v := feb.Version
	back, err := f.rs.Review(ctx, f.onA[authz.RoleUnitHead], feb.ID, service.ReviewInput{Version: &v, Comment: "Bổ sung số liệu"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.rs.Submit(ctx, head, feb.ID, service.DraftInput{Version: back.Version}, false); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := f.st.ReportNumber(ctx, feb.ID); n.Number != 1 {
		t.Errorf("resubmitted report renumbered: %+v", n)
	}
	if last, err := f.st.LastNumber(ctx, store.RegisterKey{BodyID: f.unit["A1"], Organ: export.OrganState, Year: 2025, Kind: "BC"}); err != nil || last != 2 {
		t.Errorf("register's last number %d, %v; want 2", last, err)
	}

	// The position: bounded, and only one's own without user.manage.
	if err := f.svc.Accounts.SetPosition(ctx, head, head.User.ID, strings.Repeat("x", 101)); err == nil {
		t.Error("a 101-character position accepted")
	} else if _, ok := service.AsInvalid(err); !ok {
		t.Errorf("long position: %v, want a field error", err)
	}
	if err := f.svc.Accounts.SetPosition(ctx, f.head["B1"], head.User.ID, "Chủ tịch"); verdict(err) != "forbidden" {
		t.Errorf("setting another's position: %s", verdict(err))
	}
	if err := f.svc.Accounts.SetPosition(ctx, f.sys, head.User.ID, "Chủ tịch"); err != nil {
		t.Errorf("an administrator sets a position: %v", err)
	}
}
