package benchapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// pageRuns is how often each page is read; its figure is the median.
const pageRuns = 5

// measurePages reads the report lists (first and last page, as the
// administrator who sees everything and as the leader of the province) and
// the dashboards, through the JSON API with bearer tokens and as HTML pages
// of a signed-in browser, and returns each page's median time in ms.
//
// A page that does not answer 200 (say, a paging parameter the server no
// longer takes) is left out of the figures and listed in failed.
func measurePages(ctx context.Context, hc *http.Client, base string, fx *fixture, say func(string, ...any)) (map[string]float64, map[string]string, error) {
	out := map[string]float64{}
	failed := map[string]string{}
	timeIt := func(name string, do func() (int, []byte, error)) error {
		var ds []time.Duration
		for i := 0; i < pageRuns; i++ {
			t := time.Now()
			status, body, err := do()
			dt := time.Since(t)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if status != http.StatusOK {
				failed[name] = fmt.Sprintf("%d %.160s", status, body)
				say("page %s failed: %s", name, failed[name])
				return nil
			}
			ds = append(ds, dt)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		out[name] = round2(float64(ds[len(ds)/2].Microseconds()) / 1000)
		return nil
	}
	api := func(token, path string) func() (int, []byte, error) {
		c := request("GET", base+path, token, nil)
		return func() (int, []byte, error) { return c(ctx, hc) }
	}
	total := func(token string) (int, error) {
		status, body, err := api(token, "/api/v1/reports?limit=1")()
		if err != nil || status != http.StatusOK {
			return 0, fmt.Errorf("reports total: %d %v %.200s", status, err, body)
		}
		var p struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return 0, err
		}
		return p.Total, nil
	}
	for _, who := range []struct{ name, token string }{{"admin", fx.adminToken}, {"leader", fx.leaderToken}} {
		n, err := total(who.token)
		if err != nil {
			return nil, nil, err
		}
		if err := timeIt("api_reports_first_"+who.name, api(who.token, "/api/v1/reports?limit=50")); err != nil {
			return nil, nil, err
		}
		if err := timeIt("api_reports_last_"+who.name, api(who.token, fmt.Sprintf("/api/v1/reports?limit=50&offset=%d", max(0, n-50)))); err != nil {
			return nil, nil, err
		}
		if err := timeIt("api_reports_submitted_"+who.name, api(who.token, "/api/v1/reports?limit=50&status=submitted")); err != nil {
			return nil, nil, err
		}
		if err := timeIt("api_dashboard_"+who.name, api(who.token, fmt.Sprintf("/api/v1/dashboard?unit=%d", fx.provinceID))); err != nil {
			return nil, nil, err
		}
	}
	// The HTML pages, signed in as the administrator.
	browser, err := signIn(ctx, base, fx.adminUser, fx.password)
	if err != nil {
		return nil, nil, err
	}
	html := func(path string) func() (int, []byte, error) {
		return func() (int, []byte, error) {
			req, err := http.NewRequestWithContext(ctx, "GET", base+path, nil)
			if err != nil {
				return 0, nil, err
			}
			resp, err := browser.Do(req)
			if err != nil {
				return 0, nil, err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			return resp.StatusCode, b, err
		}
	}
	for _, p := range []struct{ name, path string }{
		{"html_reports_first", "/reports"},
		{"html_reports_last", "/reports?page=1000000"},
		{"html_reports_submitted", "/reports?status=submitted"},
		{"html_dashboard", fmt.Sprintf("/dashboard?unit=%d", fx.provinceID)},
	} {
		if err := timeIt(p.name, html(p.path)); err != nil {
			return nil, nil, err
		}
	}
	names := make([]string, 0, len(out))
	for k := range out {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, " %s %.1f", k, out[k])
	}
	say("pages (median of %d, ms):%s", pageRuns, b.String())
	return out, failed, nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs in through the sign-in form and returns a browser-like client.
func signIn(ctx context.Context, base, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/signin", nil)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("sign in: no csrf field on /signin (status %d)", resp.StatusCode)
	}
	form := url.Values{"username": {user}, "password": {password}, "csrf": {string(m[1])}}
	req, _ = http.NewRequestWithContext(ctx, "POST", base+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = c.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("sign in: status %d", resp.StatusCode)
	}
	return c, nil
}
