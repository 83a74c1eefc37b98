package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/service/servicetest"
)

func TestCaseSimilarBeforeSending(t *testing.T) {
	e := newUenv(t)
	svc := servicetest.New(t, e.st)
	ctx := context.Background()
	if err := svc.Cases.PutCategory(ctx, service.SystemPrincipal(), service.CaseCategory{Code: "chieu-sang", NameVi: "Chiếu sáng"}); err != nil {
		t.Fatal(err)
	}
	place := strconv.FormatInt(e.unit["W"], 10)
	sub, err := svc.Cases.Submit(ctx, &service.Principal{IP: "192.0.2.7"}, service.CaseInput{Kind: service.CaseFeedback, Category: "chieu-sang",
		PlaceUnitID: e.unit["W"], Title: "Đèn đường hỏng ở thôn 2", Description: "Tối om.", Identity: &service.CaseIdentity{Name: "Hoàng Văn Em"}})
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := e.st.DB().QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	code, body := e.get("/cases/new", "192.0.2.50", "vi", "")
	if code != http.StatusOK || !strings.Contains(body, `name="check_similar"`) || !strings.Contains(body, "Kiểm tra phản ánh tương tự") {
		t.Fatalf("form: %d", code)
	}
	form := url.Values{"kind": {"feedback"}, "category": {"chieu-sang"}, "place_unit_id": {place}, "title": {"den duong hong"},
		"description": {""}, "name": {"Phạm Thị Dung"}, "phone": {"0909123456"}, "check_similar": {"1"}}
	w := e.postAnon("/cases/new", form)
	body = w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `href="/cases/track/`+sub.TrackingCode+`"`) || !strings.Contains(body, "Đèn đường hỏng ở thôn 2") {
		t.Fatalf("similar: %d %s", w.Code, body)
	}
	// The typed values come back; nothing is stored; no one's identity is shown.
	if !strings.Contains(body, `value="Phạm Thị Dung"`) || count() != 1 || strings.Contains(body, "Hoàng Văn Em") || strings.Contains(body, "Tối om") {
		t.Fatalf("form kept / stored / leaked: %d", count())
	}
	// Without a place: asked to choose one, no error.
	form.Set("place_unit_id", "")
	w = e.postAnon("/cases/new", form)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Chọn xã, phường rồi bấm kiểm tra") {
		t.Fatalf("needs: %d %s", w.Code, w.Body.String())
	}
	// Other words: none similar.
	form.Set("place_unit_id", place)
	form.Set("title", "Rác thải")
	w = e.postAnon("/cases/new", form)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Chưa có phản ánh tương tự") {
		t.Fatalf("none: %d", w.Code)
	}
}
