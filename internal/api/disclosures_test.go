package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/service"
)

// Disclosures through the API: the commune's officer records, publishes,
// puts the document and withdraws; another commune's officer and a user
// without a role are refused; reads, the download and the portal are
// public and name no person.
func TestDisclosuresAPI(t *testing.T) {
	e := newEnv(t)
	base := api.Prefix + "/disclosures"
	in := map[string]any{"unit_id": e.unit["W2"], "category": "land", "title": "Quyết định thu hồi đất mở rộng đường tỉnh 517", "decided_on": "2025-07-21"}
	problem(t, e.do("POST", base, in, e.as("canbo")), 403, "forbidden")
	problem(t, e.do("POST", base, in, e.as("khach")), 403, "forbidden")
	in["unit_id"] = e.unit["W1"]
	problem(t, e.do("POST", base, map[string]any{"unit_id": e.unit["W1"], "category": "gossip", "decided_on": "2025-13-01"}, e.as("canbo")), 422, "validation")
	d := decode[service.Disclosure](t, e.do("POST", base, in, e.as("canbo")), http.StatusCreated)
	if d.DueOn != "2025-07-28" || !d.Overdue || d.Status != service.DisclosurePending {
		t.Fatalf("created: %+v", d)
	}
	path := base + "/" + strconv.FormatInt(d.ID, 10)

	in["published_on"], in["form"], in["version"] = "2025-07-25", "meeting", 7
	problem(t, e.do("PUT", path, in, e.as("canbo")), 409, "conflict")
	in["version"] = d.Version
	d = decode[service.Disclosure](t, e.do("PUT", path, in, e.as("canbo")), 200)
	if d.Status != service.DisclosurePublished || d.Overdue {
		t.Fatalf("published: %+v", d)
	}

	body, ct := multipartBody(t, part{"file", "quyet-dinh.html", []byte("<html><script>x</script></html>")})
	problem(t, e.do("PUT", path+"/file", body, header("Content-Type", ct), e.as("canbo")), 422, "validation")
	problem(t, e.do("GET", path+"/file", nil), 404, "not-found")
	body, ct = multipartBody(t, part{"file", "quyet-dinh.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")})
	d = decode[service.Disclosure](t, e.do("PUT", path+"/file", body, header("Content-Type", ct), e.as("canbo")), 200)
	if d.FileType != "application/pdf" || d.FileName != "quyet-dinh.pdf" {
		t.Fatalf("file: %+v", d)
	}
	res := e.do("GET", path+"/file", nil)
	if res.Code != 200 || !strings.HasPrefix(res.Header().Get("Content-Disposition"), "attachment") || !strings.HasPrefix(res.Body.String(), "%PDF") {
		t.Fatalf("download: %d %v", res.Code, res.Header())
	}

	list := decode[api.DisclosureList](t, e.do("GET", base+"?unit="+strconv.FormatInt(e.unit["W1"], 10), nil), 200)
	if len(list.Items) != 1 || list.Items[0].ID != d.ID {
		t.Fatalf("list: %+v", list)
	}
	problem(t, e.do("GET", base+"?unit=x", nil), 400, "invalid-parameter")
	problem(t, e.do("GET", base+"?category=gossip", nil), 422, "validation")

	problem(t, e.do("POST", path+"/withdraw", map[string]any{"reason": "", "version": d.Version}, e.as("canbo")), 422, "validation")
	d = decode[service.Disclosure](t, e.do("POST", path+"/withdraw", map[string]any{"reason": "Quyết định đã bị thay thế", "version": d.Version}, e.as("canbo")), 200)
	if d.Status != service.DisclosureWithdrawn {
		t.Fatalf("withdrawn: %+v", d)
	}
	problem(t, e.do("GET", path+"/file", nil), 404, "not-found")

	// The portal.
	h := decode[service.PortalHome](t, e.do("GET", api.Prefix+"/portal", nil), 200)
	if len(h.Districts) != 2 || h.Districts[0].Name != "Huyện Đông Sơn" || h.Districts[1].Name != "Thành phố Thanh Hóa" {
		t.Fatalf("districts: %+v", h.Districts)
	}
	c := decode[service.PortalCommune](t, e.do("GET", api.Prefix+"/portal/communes/W1", nil), 200)
	if c.District != "Thành phố Thanh Hóa" || len(c.Former) != 2 || len(c.Disclosures) != 1 {
		t.Fatalf("commune: %+v", c)
	}
	res = e.do("GET", api.Prefix+"/portal/communes/W1", nil)
	if strings.Contains(res.Body.String(), "canbo") {
		t.Fatal("the commune page names the officer")
	}
	problem(t, e.do("GET", api.Prefix+"/portal/communes/D380", nil), 404, "not-found")
}
