package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/api"
	"github.com/danvan/danvan/internal/audit"
)

// TestConsolidatedAPIBasis: W1's report for 2025-08 is accepted, W2's waits
// for review. The received basis (the default) counts both, the accepted
// basis W1's only; both say how many of each there are, and so does the
// export.
func TestConsolidatedAPIBasis(t *testing.T) {
	e := newEnv(t)
	tpl := consolidationFixture(t, e)
	var id int64
	var version int
	if err := e.st.DB().QueryRowContext(context.Background(), `SELECT id, version FROM reports WHERE unit_id = $1 AND period_number = 8`, e.unit["W1"]).Scan(&id, &version); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.AcceptReport(context.Background(), audit.System("test"), id, version, ""); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/consolidated?template=%d&unit=%d&type=monthly&year=2025&number=8", tpl, e.unit["P38"])
	for _, c := range []struct {
		extra    string
		basis    string
		cases    float64
		n        int
		noteLike string
	}{
		{"", "received", 11, 2, "2 received — 1 accepted and 1 waiting"},
		{"&basis=received", "received", 11, 2, "2 received"},
		{"&basis=accepted", "accepted", 10, 1, "Accepted reports consolidated: 1; reports waiting for review, not counted: 1."},
	} {
		got := decode[api.Consolidation](t, e.do(http.MethodGet, path+c.extra, nil, e.as("dieuphoi"), func(r *http.Request) { r.Header.Set("Accept-Language", "en") }), 200)
		total := -1.0
		for _, cell := range got.Cells {
			if cell.Code == "cases" && cell.Category == "" && cell.Value != nil {
				total = *cell.Value
			}
		}
		if string(got.Basis) != c.basis || total != c.cases || got.NReports != c.n || got.Accepted != 1 || got.Pending != 1 || !strings.Contains(got.Note, c.noteLike) {
			t.Errorf("%q: basis %s cases %v n %d accepted %d pending %d note %q", c.extra, got.Basis, total, got.NReports, got.Accepted, got.Pending, got.Note)
		}
	}
	problem(t, e.do(http.MethodGet, path+"&basis=draft", nil, e.as("dieuphoi")), 400, "invalid-parameter")

	exp := fmt.Sprintf("/api/v1/consolidated/export?format=csv&template=%d&unit=%d&year=2025&number=8&basis=accepted", tpl, e.unit["P38"])
	w := e.do(http.MethodGet, exp, nil, e.as("dieuphoi"))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Tổng hợp 1 báo cáo đã chấp nhận; 1 báo cáo đang chờ duyệt không được tính.") {
		t.Errorf("export on the accepted basis: %d\n%s", w.Code, w.Body)
	}
	if w := e.do(http.MethodGet, strings.Replace(exp, "accepted", "nonsense", 1), nil, e.as("dieuphoi")); w.Code != 422 && w.Code != 400 {
		t.Errorf("export with a bad basis: %d", w.Code)
	}
}
