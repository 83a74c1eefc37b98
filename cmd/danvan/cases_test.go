package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan/internal/store/storetest"
)

func TestCasesImportExportCommands(t *testing.T) {
	t.Setenv("DANVAN_AUDIT_KEY", storetest.AuditKey)
	dir := t.TempDir()
	var data []string
	if dsn := storetest.DSN(t); strings.HasPrefix(dsn, "postgres") {
		data = []string{"--db", dsn, "--data", dir}
	} else {
		data = []string{"--data", filepath.Dir(dsn)}
	}
	units := filepath.Join(dir, "units.csv")
	os.WriteFile(units, []byte("code,name,kind,parent_code,valid_from,valid_to,remote\nP1,Tỉnh Thử,province,,2020-01-01,,\nC1,Xã Đông Sơn,commune,P1,2020-01-01,,true\n"), 0o600)
	if code, _, stderr := runCLI(t, "", append([]string{"import", "units", units}, data...)...); code != 0 {
		t.Fatalf("import units: %d %s", code, stderr)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("received_on,kind,title,description,place\n32/01/2025,feedback,A,B,C1\n01/02/2025,tố cáo,A,B,C9\n"), 0o600)
	code, _, stderr := runCLI(t, "", append([]string{"cases", "import", bad}, data...)...)
	for _, want := range []string{"Dòng 2, cột received_on: Ngày không hợp lệ", "Dòng 3, cột place: Không có đơn vị nào mang mã này.", "Dòng 3, cột name:", "Không nhập vụ việc nào"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != 2 {
		t.Fatalf("bad import: exit %d", code)
	}
	if _, _, stderr := runCLI(t, "", append([]string{"cases", "import", bad, "--lang", "en"}, data...)...); !strings.Contains(stderr, "Line 3, column place: No unit has this code.") {
		t.Errorf("English errors:\n%s", stderr)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("received_on;kind;title;description;place;status;note;closed_on\n01/02/2025;phản ánh;Đèn đường hỏng;Thôn 2 mất điện chiếu sáng.;C1;closed;Đã sửa xong.;20/02/2025\n03/02/2025;kiến nghị;Nạo vét kênh;Kênh tưới bị bồi lấp.;C1;;;\n"), 0o600)
	code, out, stderr := runCLI(t, "", append([]string{"cases", "import", good}, data...)...)
	if code != 0 || len(strings.Fields(out)) != 2 || !strings.HasPrefix(out, "TH-2025-") || !strings.Contains(stderr, "Đã nhập 2 vụ việc.") {
		t.Fatalf("import: %d %q %s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "", append([]string{"cases", "export", "--from", "01/01/2025", "--unit", "P1"}, data...)...)
	if code != 0 || !strings.HasPrefix(out, "\xef\xbb\xbfMã tra cứu,Ngày tiếp nhận") || !strings.Contains(out, "Đèn đường hỏng") ||
		!strings.Contains(out, "01/02/2025") || strings.Count(out, "\n") != 3 {
		t.Fatalf("export csv: %d %s %s", code, out, stderr)
	}
	xlsx := filepath.Join(dir, "cases.xlsx")
	if code, _, stderr := runCLI(t, "", append([]string{"cases", "export", "--format", "xlsx", "-o", xlsx, "--lang", "en"}, data...)...); code != 0 {
		t.Fatalf("export xlsx: %d %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil || len(rows) != 3 || rows[0][0] != "Tracking code" || rows[1][8] != "Đèn đường hỏng" {
		t.Fatalf("xlsx rows: %q %v", rows, err)
	}
	for _, args := range [][]string{{"cases"}, {"cases", "export", "--format", "pdf"}, {"cases", "export", "--unit", "NOPE"}, {"cases", "export", "--from", "2025-13-01"}} {
		if code, _, _ := runCLI(t, "", append(args, data...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
