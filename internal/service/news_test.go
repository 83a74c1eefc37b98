package service_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/service"
)

func newsPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNewsSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Dân vận khéo ở xã Mường Lát":   "dan-van-kheo-o-xa-muong-lat",
		"  Đường   điện — “sáng” 2026 ": "duong-dien-sang-2026",
		"!!!": "tin",
	} {
		if got := service.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewsApprovalFlow(t *testing.T) {
	f := newCivicFix(t)
	n := f.svc.News
	officer := f.principal(authz.RoleUnitOfficer, "W1")
	other := f.principal(authz.RoleUnitOfficer, "W2")
	coord := f.principal(authz.RoleCoordinator, "P38")
	leader := f.principal(authz.RoleLeader, "P38")

	in := service.ArticleInput{UnitID: f.unit["W1"], Topic: "models", Title: "Dân vận khéo ở phường Hạc Thành",
		Summary: "Người dân hiến đất mở đường.", Body: "## Kết quả\n- 2 km đường", Picture: newsPNG(t, 1600, 900), PictureAlt: "Con đường mới"}

	// Validation, then permission.
	bad := in
	bad.Topic, bad.Title, bad.Picture = "gossip", "", []byte("not a picture")
	if _, err := n.Create(f.ctx, officer, bad); civicFields(err) != "topic=validation.bad_choice,title=validation.required,picture=news.err.picture" {
		t.Fatalf("invalid: %v", err)
	}
	noAlt := in
	noAlt.PictureAlt = ""
	if _, err := n.Create(f.ctx, officer, noAlt); civicFields(err) != "picture_alt=news.err.alt_required" {
		t.Fatalf("alt: %v", err)
	}
	if _, err := n.Create(f.ctx, other, in); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other unit: %v", err)
	}
	if _, err := n.Create(f.ctx, nil, in); !errors.Is(err, service.ErrUnauthenticated) {
		t.Fatalf("anonymous: %v", err)
	}
	a, err := n.Create(f.ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != service.NewsDraft || a.Slug != "dan-van-kheo-o-phuong-hac-thanh" || a.PictureWidth != 1120 || a.PictureHeight != 630 ||
		a.ThumbWidth != 480 || a.Picture == a.Thumb || len(a.Picture) != 32 {
		t.Fatalf("created: %+v", a)
	}
	pic, err := n.Picture(f.ctx, a.Picture)
	if err != nil || pic.Width != 1120 {
		t.Fatalf("picture: %+v %v", pic.Width, err)
	}
	if _, err := n.Picture(f.ctx, "../etc/passwd"); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("bad hash: %v", err)
	}

	// Not public before approval; the coordinator cannot approve a draft.
	if _, err := n.BySlug(f.ctx, a.Slug); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("draft public: %v", err)
	}
	if _, err := n.Approve(f.ctx, coord, a.ID, service.NewsStepInput{Version: a.Version}); civicFields(err) != "status=news.err.state" {
		t.Fatalf("approve draft: %v", err)
	}
	a, err = n.Submit(f.ctx, officer, a.ID, service.NewsStepInput{Version: a.Version})
	if err != nil || a.Status != service.NewsSubmitted {
		t.Fatalf("submit: %+v %v", a, err)
	}
	// The author may not approve; a leader may not either; a return needs a comment.
	if _, err := n.Approve(f.ctx, officer, a.ID, service.NewsStepInput{Version: a.Version}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer approves: %v", err)
	}
	if _, err := n.Approve(f.ctx, leader, a.ID, service.NewsStepInput{Version: a.Version}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("leader approves: %v", err)
	}
	if _, err := n.Return(f.ctx, coord, a.ID, service.NewsStepInput{Version: a.Version}); civicFields(err) != "comment=news.err.comment_required" {
		t.Fatalf("return without comment: %v", err)
	}
	a, err = n.Return(f.ctx, coord, a.ID, service.NewsStepInput{Comment: "Thêm số hộ tham gia.", Version: a.Version})
	if err != nil || a.Status != service.NewsReturned || a.Comment != "Thêm số hộ tham gia." {
		t.Fatalf("return: %+v %v", a, err)
	}
	// The author mends it (a stale version is refused) and submits again.
	upd := in
	upd.Picture, upd.Body, upd.Version = nil, "## Kết quả\n- 2 km đường, 120 hộ tham gia", 1
	var stale *service.StaleVersionError
	if _, err := n.Update(f.ctx, officer, a.ID, upd); !errors.As(err, &stale) {
		t.Fatalf("stale: %v", err)
	}
	upd.Version = a.Version
	if a, err = n.Update(f.ctx, officer, a.ID, upd); err != nil || a.Picture == "" {
		t.Fatalf("update: %+v %v", a, err)
	}
	a, _ = n.Submit(f.ctx, officer, a.ID, service.NewsStepInput{Version: a.Version})
	a, err = n.Approve(f.ctx, coord, a.ID, service.NewsStepInput{Version: a.Version})
	if err != nil || a.Status != service.NewsApproved || a.PublishedAt.IsZero() || a.ApprovedBy != coord.UserID() {
		t.Fatalf("approve: %+v %v", a, err)
	}
	if _, err := n.Update(f.ctx, officer, a.ID, upd); civicFields(err) != "status=news.err.state" {
		t.Fatalf("edit published: %v", err)
	}

	// The author was told of the return and of the approval.
	notes, err := f.svc.FollowUp.Notifications(f.ctx, officer, false, 10, 0)
	if err != nil || notes.Total != 2 || notes.Items[0].Kind != service.KindNewsReviewed {
		t.Fatalf("notices: %+v %v", notes, err)
	}

	// Public now, in the lists and feeds by topic and unit.
	if got, err := n.BySlug(f.ctx, a.Slug); err != nil || got.ID != a.ID {
		t.Fatalf("public: %v", err)
	}
	for _, flt := range []service.PublicFilter{{}, {Topic: "models"}, {UnitCode: "W1"}, {UnitCode: "P38"}} {
		if list, total, err := n.Published(f.ctx, flt); err != nil || total != 1 || list[0].ID != a.ID {
			t.Fatalf("published %+v: %d %v", flt, total, err)
		}
	}
	if _, total, _ := n.Published(f.ctx, service.PublicFilter{UnitCode: "W2"}); total != 0 {
		t.Fatalf("other unit: %d", total)
	}
	if _, _, err := n.Published(f.ctx, service.PublicFilter{Topic: "gossip"}); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("unknown topic: %v", err)
	}

	// The manage lists: the officer's unit, the coordinator's subtree, not W2's officer.
	if _, total, _ := n.ManageList(f.ctx, coord, "", 0, 0); total != 1 {
		t.Fatalf("coordinator list: %d", total)
	}
	if _, total, _ := n.ManageList(f.ctx, other, "", 0, 0); total != 0 {
		t.Fatalf("other list: %d", total)
	}
	if _, err := n.Get(f.ctx, other, a.ID); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("other get: %v", err)
	}

	// Withdrawn with a reason (by the coordinator, not the writer): off the portal.
	if _, err := n.Withdraw(f.ctx, officer, a.ID, service.NewsStepInput{Comment: "Sai số liệu", Version: a.Version}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("officer withdraws: %v", err)
	}
	if _, err := n.Withdraw(f.ctx, coord, a.ID, service.NewsStepInput{Version: a.Version}); civicFields(err) != "comment=news.err.reason_required" {
		t.Fatalf("withdraw without reason: %v", err)
	}
	if a, err = n.Withdraw(f.ctx, coord, a.ID, service.NewsStepInput{Comment: "Sai số liệu", Version: a.Version}); err != nil || a.Status != service.NewsWithdrawn {
		t.Fatalf("withdraw: %v", err)
	}
	if _, err := n.BySlug(f.ctx, a.Slug); !errors.Is(err, service.ErrNotFound) {
		t.Fatalf("withdrawn public: %v", err)
	}
}
