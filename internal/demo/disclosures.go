package demo

// Demo data of grassroots-democracy disclosures, dated from the demo's
// today: every third commune or ward of today publishes a few items over
// the last four months — budgets, land decisions, contributions,
// beneficiary lists, fees, procedures. Most are published within the five
// working days; some are published late, some recent decisions still wait
// (not yet due), two are past due and unpublished, and one is withdrawn
// with its reason, so that the portal's overdue marks have something to
// show.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

var demoDisclosures = []struct{ category, title, summary string }{
	{"budget", "Dự toán thu, chi ngân sách năm %d", "Tổng thu, tổng chi và các khoản chi chủ yếu theo Nghị quyết của Hội đồng nhân dân."},
	{"land", "Quyết định thu hồi đất thực hiện dự án mở rộng đường liên xã", "Danh sách thửa đất, diện tích thu hồi và phương án bồi thường, hỗ trợ."},
	{"contribution", "Kế hoạch huy động đóng góp xây dựng nhà văn hóa thôn", "Mức đóng góp tự nguyện, cách thu và người chịu trách nhiệm quản lý."},
	{"beneficiaries", "Danh sách hộ nghèo, hộ cận nghèo được hỗ trợ năm %d", "Danh sách đã được họp thôn bình xét công khai."},
	{"fees", "Mức thu phí vệ sinh môi trường", "Mức thu theo Nghị quyết của Hội đồng nhân dân tỉnh."},
	{"procedures", "Thủ tục chứng thực, đăng ký hộ tịch tại Bộ phận một cửa", "Thành phần hồ sơ, thời hạn giải quyết và lệ phí."},
	{"plan", "Kế hoạch phát triển kinh tế - xã hội 6 tháng cuối năm %d", "Các chỉ tiêu chủ yếu và giải pháp thực hiện."},
	{"project", "Dự án nâng cấp trường mầm non trung tâm", "Tổng mức đầu tư, nguồn vốn, thời gian thực hiện và đơn vị thi công."},
	{"relief", "Phân bổ tiền, hàng cứu trợ sau mưa lũ", "Danh sách hộ được hỗ trợ và mức hỗ trợ."},
	{"inspection", "Kết luận kiểm tra việc quản lý quỹ đóng góp", "Kết quả kiểm tra và kiến nghị khắc phục."},
}

var demoForms = service.DisclosureForms

// loadDisclosures records the demo's disclosures.
func loadDisclosures(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	day := today(s)
	cal := s.WorkingCalendar(ctx)
	units, _, err := s.AllUnits(ctx)
	if err != nil {
		return err
	}
	var communes []org.Unit
	for _, u := range units {
		if u.ValidOn(day.String()) && (u.Kind == org.KindCommune || u.Kind == org.KindWard || u.Kind == org.KindSpecialZone) {
			communes = append(communes, u)
		}
	}
	slices.SortFunc(communes, func(x, y org.Unit) int { return strings.Compare(x.Code, y.Code) })
	n := 0
	for ci, u := range communes {
		if ci%3 != 0 {
			continue
		}
		for k := 0; k < 4; k++ {
			n++
			item := demoDisclosures[(ci+k*3)%len(demoDisclosures)]
			decided := cal.PreviousWorkingDay(day.AddDays(-(k*29 + ci%17 + 3)))
			title := item.title
			if strings.Contains(title, "%d") {
				title = fmt.Sprintf(title, decided.Year())
			}
			d := &store.Disclosure{UnitID: u.ID, Category: item.category, Title: title, Summary: item.summary,
				DecisionNo: fmt.Sprintf("%d/QĐ-UBND", 10+n%190), DecidedOn: decided.String(),
				DueOn: cal.AddWorkingDays(decided, service.DisclosureWorkingDays).String(), Status: service.DisclosurePublished}
			after := 1 + n%5 // working days to publication
			switch {
			case n%9 == 0:
				after = 7 + n%4 // late
			case n%23 == 0 && k > 0:
				after = -1 // past due, never published
			}
			if k == 0 && ci%2 == 0 {
				// A decision of the last days: still waiting, not yet due.
				d.DecidedOn = cal.PreviousWorkingDay(day.AddDays(-1)).String()
				d.DueOn = cal.AddWorkingDays(calendar.MustParseDate(d.DecidedOn), service.DisclosureWorkingDays).String()
				after = -1
			}
			if after >= 0 {
				pub := cal.AddWorkingDays(calendar.MustParseDate(d.DecidedOn), after)
				if pub.After(day) {
					pub = day
				}
				d.PublishedOn, d.Form = pub.String(), demoForms[n%len(demoForms)]
			} else {
				d.Status = service.DisclosurePending
			}
			var f *store.DisclosureFile
			if n%4 == 0 {
				f = &store.DisclosureFile{Name: "noi-dung-cong-khai.txt", ContentType: "text/plain; charset=utf-8",
					Data: []byte(u.Name + "\n" + title + "\n" + item.summary + "\n")}
			}
			if err := s.CreateDisclosure(ctx, a, d, f); err != nil {
				return fmt.Errorf("demo disclosure: %w", err)
			}
			if n == 30 {
				d.Status, d.WithdrawnReason = service.DisclosureWithdrawn, "Niêm yết nhầm bản dự thảo; sẽ công khai lại bản chính thức."
				if err := s.UpdateDisclosure(ctx, a, d, nil, d.Version, "disclosure.withdraw"); err != nil {
					return fmt.Errorf("demo disclosure: %w", err)
				}
			}
		}
	}
	return nil
}
