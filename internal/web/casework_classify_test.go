package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/service"
)

func TestCaseworkClassify(t *testing.T) {
	e := newCaseworkEnv(t)
	id := strconv.FormatInt(e.feedback.ID, 10)
	path := "/cases/" + id
	code, body := e.page(path, e.handlerW)
	if code != http.StatusOK {
		t.Fatalf("detail: %d", code)
	}
	// The form, prefilled with the case's kind.
	for _, want := range []string{`action="/cases/` + id + `/classify"`, `id="classify-kind"`, `<option value="feedback" selected>Phản ánh</option>`,
		`id="classify-category"`, `id="classify-parent_code"`, "Lưu phân loại"} {
		if !strings.Contains(body, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	step := func(form url.Values) (int, string, string) {
		t.Helper()
		c, b, loc := e.post(path+"/classify", "vi", e.handlerW, form)
		return c, html.UnescapeString(b), loc
	}
	// A second-time complaint without the first one's code: the error beside the field, the values kept.
	code, body, _ = step(url.Values{"version": {"1"}, "kind": {"complaint2"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="classify-parent_code-err"`) ||
		!strings.Contains(body, `<option value="complaint2" selected>`) || !strings.Contains(body, `<details class="step" id="classify" open>`) {
		t.Errorf("complaint2 without parent: %d", code)
	}
	code, _, loc := step(url.Values{"version": {"1"}, "kind": {"complaint"}, "internal_note": {"Người gửi yêu cầu xem xét lại"}})
	if code != http.StatusSeeOther || loc != path+"?flash=casework.done.classify" {
		t.Fatalf("classify: %d %q", code, loc)
	}
	if _, body = e.page(loc, e.handlerW); !strings.Contains(body, "Đã lưu phân loại vụ việc.") || !strings.Contains(body, "Phân loại: Phản ánh → Khiếu nại") ||
		!strings.Contains(body, `<option value="complaint" selected>`) {
		t.Errorf("after classify: banner, event or kind missing")
	}
	// A stale version: 409 and the page as it now is.
	code, body, _ = step(url.Values{"version": {"1"}, "kind": {"denunciation"}})
	if code != http.StatusConflict || !strings.Contains(body, "vừa được người khác cập nhật") {
		t.Errorf("stale version: %d", code)
	}
	// The public tracking page shows the new kind.
	if code, body := e.page("/cases/track/"+e.feedback.TrackingCode, ""); code != http.StatusOK || !strings.Contains(body, "<dd>Khiếu nại</dd>") {
		t.Errorf("tracking page lacks the new kind: %d", code)
	}
	if c, err := e.st.GetCase(context.Background(), e.feedback.ID); err != nil || c.Kind != service.CaseComplaint {
		t.Fatalf("stored: %+v %v", c, err)
	}
}
