package benchapi

// `danvan bench cases`: the real server in-process on a temporary database,
// N synthetic cases bulk-loaded through the store, then, over loopback HTTP
// with the same clients: public intake (the web form with its CSRF token,
// the JSON API and Open311 GeoReport v2 with an API key; every acknowledged
// case must be stored), tracking lookups, and the handlers' text search.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
	"github.com/danvan/danvan/internal/textfold"
)

// CasesOptions size a run of `danvan bench cases`.
type CasesOptions struct {
	// DB is a postgres:// URL (a fresh schema there, dropped afterwards);
	// empty means a temporary SQLite file.
	DB string
	// Clients is the number of concurrent HTTP clients of every phase.
	Clients int
	// Cases is the number of synthetic cases stored before the phases.
	Cases int
	// Duration of each measured phase.
	Duration time.Duration
	// Log receives progress lines and the human-readable figures.
	Log io.Writer
}

// benchCommunes is the number of communes the synthetic cases spread over.
const benchCommunes = 1000

// casesSeedBatch cases go in one transaction of the bulk load.
const casesSeedBatch = 20000

// RunCases performs the cases benchmark and returns the figures of its last line.
func RunCases(ctx context.Context, o CasesOptions) (map[string]any, error) {
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Duration <= 0 || o.Clients < 1 || o.Cases < 1 {
		return nil, errors.New("bench cases: need a duration, clients ≥ 1 and cases ≥ 1")
	}
	started := time.Now()
	say := func(format string, a ...any) {
		fmt.Fprintf(o.Log, "  %6.1fs ", time.Since(started).Seconds())
		fmt.Fprintf(o.Log, format+"\n", a...)
	}
	st, _, cleanup, err := openStore(ctx, o.DB)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := cleanup(); err != nil {
			fmt.Fprintln(o.Log, "bench cases: cleanup:", err)
		}
	}()
	engine := string(st.Dialect())
	fmt.Fprintf(o.Log, "danvan bench cases on %s: %d clients, %d synthetic cases, %s per phase\n", engine, o.Clients, o.Cases, o.Duration)

	fx, err := casesSetup(ctx, st, say)
	if err != nil {
		return nil, fmt.Errorf("bench cases: setup: %w", err)
	}
	loadStart := time.Now()
	codes, err := seedSyntheticCases(ctx, st, fx.communes, o.Cases, say)
	if err != nil {
		return nil, fmt.Errorf("bench cases: load: %w", err)
	}
	loadS := time.Since(loadStart).Seconds()
	say("%d cases stored in %.1f s (%.0f/s)", o.Cases, loadS, float64(o.Cases)/loadS)

	// Public intake is rate-limited per client address; every client of
	// the benchmark comes from 127.0.0.1, so the limiter is lifted.
	var keyErr error
	base, stop, err := startDanvanWith(ctx, st, func(s *service.Services) {
		s.Cases.LimitIntake(nil)
		fx.key, _, keyErr = s.Open311Keys.Create(ctx, service.SystemPrincipal(), "bench")
	})
	if err != nil {
		return nil, err
	}
	if keyErr != nil {
		stop()
		return nil, keyErr
	}
	defer stop()
	hc := &http.Client{Transport: &http.Transport{
		MaxIdleConns: 4 * o.Clients, MaxIdleConnsPerHost: 4 * o.Clients, IdleConnTimeout: time.Minute,
		DisableCompression: true, ForceAttemptHTTP2: false,
	}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()
	out := map[string]any{"db": engine, "clients": o.Clients, "cases": o.Cases, "duration_s": o.Duration.Seconds(),
		"load_s": round1(loadS), "gomaxprocs": gomaxprocs()}
	phase := func(name string, f Figures) Figures {
		fmt.Fprintf(o.Log, "  %-22s %s\n", name, f)
		out[name] = f
		return f
	}

	before, err := countCases(ctx, st)
	if err != nil {
		return nil, err
	}
	intakers, err := fx.intakers(ctx, hc.Transport, base, o.Clients)
	if err != nil {
		return nil, err
	}
	intake := phase("intake", drive(ctx, hc, o.Duration, intakers, nil))
	after, err := countCases(ctx, st)
	if err != nil {
		return nil, err
	}
	// Every acknowledged case is in the database once its answer came.
	out["intake_acked"], out["intake_stored"] = intake.OK, after-before
	if after-before < intake.OK {
		return nil, fmt.Errorf("bench cases: %d cases acknowledged, only %d stored", intake.OK, after-before)
	}
	lookup := phase("lookup", drive(ctx, hc, o.Duration, lookers(base, codes, o.Clients), nil))
	search := phase("search", drive(ctx, hc, o.Duration, fx.searchers(base, o.Clients), nil))

	out["intake_rps"], out["intake_p99_ms"] = intake.ReqPerSec, intake.P99ms
	out["lookup_rps"], out["lookup_p99_ms"] = lookup.ReqPerSec, lookup.P99ms
	out["search_rps"], out["search_p95_ms"] = search.ReqPerSec, search.P95ms
	out["search_is"] = "GET /api/v1/cases?q= (one or two words, with or without diacritics), every case of the province"
	rss, peak := rssMB()
	out["rss_mb"], out["rss_peak_mb"] = rss, peak
	out["errors"] = intake.Errors + lookup.Errors + search.Errors
	out["total_s"] = round1(time.Since(started).Seconds())
	fmt.Fprintf(o.Log, "\nintake  %8.0f cases/s  p99 %6.2f ms  (%d acknowledged, %d stored)\n", intake.ReqPerSec, intake.P99ms, intake.OK, after-before)
	fmt.Fprintf(o.Log, "lookup  %8.0f req/s    p99 %6.2f ms\n", lookup.ReqPerSec, lookup.P99ms)
	fmt.Fprintf(o.Log, "search  %8.0f req/s    p95 %6.2f ms  (words over every case of the province)\n", search.ReqPerSec, search.P95ms)
	fmt.Fprintf(o.Log, "rss     %8.1f MB (peak %.1f MB)\n", rss, peak)
	return out, nil
}

// casesFixture is the data the cases phases work on.
type casesFixture struct {
	communes []int64
	codes    []string // the communes' codes (Open311 address_id)
	token    string   // a case handler of the province, for the search
	key      string   // an Open311 API key
}

// casesSetup creates a province with benchCommunes communes and a case
// handler of the province with an API token.
func casesSetup(ctx context.Context, st *store.Store, say func(string, ...any)) (*casesFixture, error) {
	sys := audit.System("bench")
	var csv strings.Builder
	csv.WriteString("code,name,kind,parent_code,valid_from,valid_to,remote\n")
	csv.WriteString("P38,Tỉnh Thanh Hóa,province,,2000-01-01,,\n")
	for c := range benchCommunes {
		fmt.Fprintf(&csv, "C%05d,Xã Số %d,commune,P38,2000-01-01,,\n", c+1, c+1)
	}
	rows, err := org.ParseCSV(strings.NewReader(csv.String()), org.ImportOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := st.ImportUnits(ctx, sys, rows); err != nil {
		return nil, err
	}
	units, _, err := st.AllUnits(ctx)
	if err != nil {
		return nil, err
	}
	fx := &casesFixture{}
	var prov int64
	for _, u := range units {
		switch u.Kind {
		case org.KindCommune:
			fx.communes = append(fx.communes, u.ID)
			fx.codes = append(fx.codes, u.Code)
		case org.KindProvince:
			prov = u.ID
		}
	}
	u := account.User{Username: "xulydon", FullName: "Cán bộ xử lý đơn", PasswordHash: "x"}
	if err := st.CreateUser(ctx, sys, &u); err != nil {
		return nil, err
	}
	if err := st.AddGrant(ctx, sys, u.ID, authz.RoleCaseHandler, prov); err != nil {
		return nil, err
	}
	tok, th, err := account.NewToken("dvt_")
	if err != nil {
		return nil, err
	}
	if _, err := st.CreateToken(ctx, sys, u.ID, "bench", th); err != nil {
		return nil, err
	}
	fx.token = tok
	say("%d communes and a case handler with an API token", len(fx.communes))
	return fx, nil
}

// syntheticCode is the tracking code of the i-th synthetic case (year 2020,
// which no live intake of the run draws).
func syntheticCode(i int) string {
	b := []byte("TH-2020-")
	var tail [6]byte
	for k := 5; k >= 0; k-- {
		tail[k] = service.TrackingAlphabet[i%len(service.TrackingAlphabet)]
		i /= len(service.TrackingAlphabet)
	}
	return string(append(b, tail[:]...))
}

// seedSyntheticCases stores n cases spread over the communes, statuses and
// kinds, each with its first event, casesSeedBatch per transaction, and
// returns a sample of their tracking codes for the lookups.
func seedSyntheticCases(ctx context.Context, st *store.Store, communes []int64, n int, say func(string, ...any)) ([]string, error) {
	sys := audit.System("bench")
	kinds := service.CaseKinds
	statuses := []string{service.CaseClosed, service.CaseClosed, service.CaseClosed, service.CaseResolved, service.CaseAccepted, service.CaseReceived, service.CaseInProgress}
	day0 := time.Date(2020, 1, 1, 2, 0, 0, 0, time.UTC)
	sample := make([]string, 0, 100000)
	step := max(1, n/cap(sample))
	for lo := 0; lo < n; lo += casesSeedBatch {
		hi := min(n, lo+casesSeedBatch)
		seeds := make([]store.CaseSeed, 0, hi-lo)
		for i := lo; i < hi; i++ {
			at := day0.Add(time.Duration(i%(365*24*60)) * time.Minute)
			kind := kinds[i%len(kinds)]
			if kind == service.CaseComplaint2 {
				kind = service.CaseComplaint
			}
			c := store.Case{TrackingCode: syntheticCode(i), SecretHash: "bench", Kind: kind, Category: "khac", Channel: service.CaseChannels[i%len(service.CaseChannels)],
				UnitID: communes[i%len(communes)], PlaceUnitID: communes[i%len(communes)], Title: syntheticText(i, 4),
				Description: syntheticText(i*7+3, 12), Status: statuses[i%len(statuses)],
				ReceivedOn: at.Format("2006-01-02"), AcceptDue: at.AddDate(0, 0, 14).Format("2006-01-02"), CreatedAt: at}
			if c.Status == service.CaseClosed {
				c.ClosedAt = at.AddDate(0, 0, 20)
			}
			seeds = append(seeds, store.CaseSeed{Case: c, Events: []store.CaseEvent{{At: at, Action: "receive", Public: true, ToUnitID: c.UnitID}}})
			if i%step == 0 && len(sample) < cap(sample) {
				sample = append(sample, c.TrackingCode)
			}
		}
		if _, err := st.SeedCases(ctx, sys, "case.seed", seeds); err != nil {
			return nil, err
		}
		if hi%200000 == 0 || hi == n {
			say("%d cases stored", hi)
		}
	}
	return sample, nil
}

func countCases(ctx context.Context, st *store.Store) (int, error) {
	var n int
	err := st.ReadDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&n)
	return n, err
}

// intakers are n clients submitting cases: every third one an Open311
// application, the others alternately through the public web form (each
// with its own cookie jar and CSRF token) and the JSON API.
func (fx *casesFixture) intakers(ctx context.Context, tr http.RoundTripper, base string, n int) ([]worker, error) {
	ws := make([]worker, 0, n)
	for i := range n {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		if w, ok := fx.open311Intake(base, i, r); ok {
			ws = append(ws, w)
			continue
		}
		if i%2 == 1 {
			ws = append(ws, worker{next: func() (call, bool) {
				body, _ := json.Marshal(map[string]any{"kind": service.CaseFeedback, "category": "moi-truong", "channel": service.ChannelWeb,
					"place_unit_id": fx.communes[r.IntN(len(fx.communes))], "title": "Phản ánh rác thải ven đường",
					"description": "Điểm tập kết rác không được thu gom đúng lịch.",
					"identity":    map[string]string{"name": "Nguyễn Văn An", "phone": "0912345678"}})
				return request("POST", base+"/api/v1/cases", "", body), true
			}})
			continue
		}
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		token, err := formToken(ctx, client, base+"/cases/new")
		if err != nil {
			return nil, err
		}
		ws = append(ws, worker{next: func() (call, bool) {
			form := url.Values{"csrf": {token}, "kind": {service.CaseRecommendation}, "category": {"giao-thong"},
				"place_unit_id": {strconv.FormatInt(fx.communes[r.IntN(len(fx.communes))], 10)},
				"title":         {"Kiến nghị lắp đèn chiếu sáng"}, "description": {"Tuyến đường trục chính chưa có đèn chiếu sáng."},
				"name": {"Trần Thị Bình"}, "phone": {"0987654321"}}
			return webForm(client, base+"/cases/new", form), true
		}})
	}
	return ws, nil
}

// open311Intake makes every third client an Open311 application posting
// service requests (GeoReport v2, form-encoded, with the API key).
func (fx *casesFixture) open311Intake(base string, i int, r *rand.Rand) (worker, bool) {
	if i%3 != 2 {
		return worker{}, false
	}
	return worker{next: func() (call, bool) {
		form := url.Values{"api_key": {fx.key}, "service_code": {"giao-thong"}, "attribute[kind]": {service.CaseFeedback},
			"address_id": {fx.codes[r.IntN(len(fx.codes))]}, "description": {"Mặt đường bong tróc, nhiều ổ gà trước trường học."},
			"first_name": {"Văn Cường"}, "last_name": {"Lê"}, "phone": {"0934567890"}}
		return formPost(base+"/open311/v2/requests.json", form), true
	}}, true
}

// formPost posts a form-encoded body with the benchmark's shared client.
func formPost(target string, form url.Values) call {
	body := form.Encode()
	return func(ctx context.Context, hc *http.Client) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", target, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b, err
	}
}

// benchWords are the words synthetic cases are written with (about 200,
// so that a word matches a few percent of the cases, as in real text).
var benchWords = strings.Fields(`đường ngập nước mưa cống rãnh rác thải ô nhiễm khói bụi tiếng ồn karaoke đêm
	đất đai lấn chiếm ranh giới sổ đỏ thu hồi đền bù tái định cư xây dựng trái phép giấy phép
	điện nước sinh hoạt mất điện áp thấp đèn chiếu sáng cầu cống sạt lở đê kè kênh mương
	trường học lớp học giáo viên học phí bảo hiểm y tế trạm bệnh viện thuốc khám chữa
	hộ nghèo cận nghèo trợ cấp người cao tuổi khuyết tật chính sách thương binh liệt sĩ
	thủ tục chậm trễ hồ sơ chứng thực hộ tịch khai sinh cán bộ thái độ nhũng nhiễu
	chợ vỉa hè lòng đường đỗ xe tai nạn giao thông biển báo ổ gà xe tải quá tải
	cây xanh công viên nhà văn hóa sân thể thao nghĩa trang chăn nuôi lợn gà mùi hôi
	thuốc trừ sâu ruộng lúa mùa vụ thủy lợi tưới tiêu hạn hán lũ lụt bão cứu trợ
	doanh nghiệp công nhân lương thưởng bảo hiểm xã hội đình công hợp đồng lao động
	thôn bản khu phố tổ dân phố trưởng thôn họp dân đóng góp quỹ minh bạch công khai
	rừng phá rừng khai thác cát sỏi khoáng sản trái phép bến bãi tàu thuyền ngư dân`)

// syntheticText draws n words for the seed-th synthetic case.
func syntheticText(seed, n int) string {
	r := rand.New(rand.NewPCG(uint64(seed), 17))
	ws := make([]string, n)
	for k := range ws {
		ws[k] = benchWords[r.IntN(len(benchWords))]
	}
	return strings.Join(ws, " ")
}

// formToken reads the CSRF token of a form page (and keeps its cookie).
func formToken(ctx context.Context, c *http.Client, page string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", page, nil)
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("no csrf field on %s (status %d)", page, resp.StatusCode)
	}
	return string(m[1]), nil
}

// webForm posts a form with the client's cookies; the redirect to the
// tracking page (303) is the acknowledgement and counts as success.
func webForm(c *http.Client, target string, form url.Values) call {
	return func(ctx context.Context, _ *http.Client) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", target, strings.NewReader(form.Encode()))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.Do(req)
		if err != nil {
			return 0, nil, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "/cases/track/") {
			return http.StatusOK, b, nil
		}
		return resp.StatusCode, b, nil
	}
}

// lookers are n clients looking up random tracking codes.
func lookers(base string, codes []string, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		r := rand.New(rand.NewPCG(uint64(i), 11))
		ws[i] = worker{next: func() (call, bool) {
			return request("GET", base+"/api/v1/tracking/"+codes[r.IntN(len(codes))], "", nil), true
		}}
	}
	return ws
}

// searchers are n handlers searching every case of the province for one
// or two words, half of the queries typed without diacritics.
func (fx *casesFixture) searchers(base string, n int) []worker {
	ws := make([]worker, n)
	for i := range ws {
		r := rand.New(rand.NewPCG(uint64(i), 13))
		ws[i] = worker{next: func() (call, bool) {
			q := benchWords[r.IntN(len(benchWords))]
			if r.IntN(2) == 0 {
				q += " " + benchWords[r.IntN(len(benchWords))]
			}
			if r.IntN(2) == 0 {
				q = textfold.Fold(q)
			}
			return request("GET", base+"/api/v1/cases?q="+url.QueryEscape(q), fx.token, nil), true
		}}
	}
	return ws
}

// rssMB is the process's resident memory now and at its peak, in MB
// (Linux; 0 elsewhere).
func rssMB() (now, peak float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			now = round1(kb / 1024)
		case "VmHWM:":
			peak = round1(kb / 1024)
		}
	}
	return now, peak
}
