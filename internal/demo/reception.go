package demo

// Demo data of citizen reception, dated from the demo's today: a year back
// and eight weeks ahead of reception sessions of the provincial Party
// secretary and People's Committee chairman (monthly), the Party secretary
// of the Hàm Rồng ward Party committee (twice a month) and the chairmen of
// six communes and wards (weekly). Some leaders miss periods, so that the
// frequency warnings have something to say (the provincial chairman four
// months ago, Yên Thọ two weeks ago, Mường Lát every third week and with
// nothing planned beyond the next fortnight, the Hàm Rồng secretary this
// month); a few sessions are cancelled with their reason. Past sessions
// are held, with visits in the book and a conclusion notice; a session of
// Phường Hạc Thành today (its weekly one on a Monday, an extra one
// otherwise) opens two cases through intake.

import (
	"context"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// receptionLeader is one leader's schedule in the demo.
type receptionLeader struct {
	unit, name, position, place string
	// days returns the planned days from first to last.
	days func(first, last calendar.Date) []calendar.Date
	// skip drops a planned day (a missed period).
	skip func(d calendar.Date) bool
	// until: no session planned after today plus this many days (0: all).
	until int
}

func weekly(wd time.Weekday) func(first, last calendar.Date) []calendar.Date {
	return func(first, last calendar.Date) []calendar.Date {
		var out []calendar.Date
		d := first
		for d.Weekday() != wd {
			d = d.AddDays(1)
		}
		for ; !d.After(last); d = d.AddDays(7) {
			out = append(out, d)
		}
		return out
	}
}

// monthly returns the nth (1-based) weekday wd of each month.
func monthly(wd time.Weekday, nth ...int) func(first, last calendar.Date) []calendar.Date {
	return func(first, last calendar.Date) []calendar.Date {
		var out []calendar.Date
		for m := calendar.NewDate(first.Year(), first.Month(), 1); !m.After(last); m = calendar.NewDate(m.Year(), m.Month()+1, 1) {
			d := m
			for d.Weekday() != wd {
				d = d.AddDays(1)
			}
			for _, n := range nth {
				x := d.AddDays(7 * (n - 1))
				if !x.Before(first) && !x.After(last) {
					out = append(out, x)
				}
			}
		}
		return out
	}
}

var receptionSubjects = []struct{ subject, kind, outcome, note string }{
	{"Hỏi thủ tục cấp giấy chứng nhận quyền sử dụng đất", service.VisitOther, service.OutcomeGuided, "Hướng dẫn nộp hồ sơ tại Trung tâm phục vụ hành chính công."},
	{"Phản ánh đường liên thôn xuống cấp", service.VisitFeedback, service.OutcomeAnswered, "Đã có kế hoạch sửa chữa trong quý tới."},
	{"Kiến nghị bố trí điểm thu gom rác", service.VisitRecommendation, service.OutcomeAnswered, "Giao tổ dân phố thống nhất vị trí."},
	{"Khiếu nại mức bồi thường khi thu hồi đất", service.VisitComplaint, service.OutcomeGuided, "Hướng dẫn gửi đơn khiếu nại đến người có thẩm quyền."},
	{"Đề nghị xem xét lại vụ việc đã có kết luận giải quyết cuối cùng", service.VisitComplaint, service.OutcomeRefused, "Vụ việc đã được giải quyết đúng chính sách, pháp luật và đã được rà soát, thông báo chấm dứt thụ lý."},
	{"Phản ánh tiếng ồn của cơ sở sản xuất", service.VisitFeedback, service.OutcomeAnswered, "Giao công an phường kiểm tra, xử lý."},
	{"Kiến nghị về chế độ chính sách người có công", service.VisitRecommendation, service.OutcomeGuided, "Hướng dẫn liên hệ công chức văn hóa - xã hội."},
}

var receptionConclusions = []string{
	"Tại buổi tiếp, lãnh đạo đã nghe công dân trình bày, giải thích chính sách, pháp luật liên quan và giao các bộ phận chuyên môn kiểm tra, trả lời công dân theo quy định.",
	"Các ý kiến phản ánh, kiến nghị được tiếp nhận đầy đủ; giao bộ phận chuyên môn rà soát, báo cáo kết quả trước buổi tiếp định kỳ kỳ sau.",
	"Lãnh đạo đã trả lời trực tiếp các nội dung thuộc thẩm quyền; nội dung không thuộc thẩm quyền đã được hướng dẫn công dân gửi đến cơ quan có thẩm quyền giải quyết.",
}

func loadReception(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	day := today(s)
	first, last := day.AddDays(-365), day.AddDays(56)
	cal := s.WorkingCalendar(ctx)
	_, thisMonth, _ := day.Time().Date()
	isoWeek := func(d calendar.Date) int { _, w := d.Time().ISOWeek(); return w }
	leaders := []receptionLeader{
		{"TU", "Lê Quang Vinh", service.PositionSecretary, "Trụ sở Tiếp công dân tỉnh, số 2 đường Hạc Thành", monthly(time.Tuesday, 3), nil, 0},
		{"UBND", "Đỗ Minh Tuấn", service.PositionChairman, "Trụ sở Tiếp công dân tỉnh, số 2 đường Hạc Thành", monthly(time.Thursday, 1),
			func(d calendar.Date) bool {
				m := day.AddDays(-120)
				return d.Year() == m.Year() && d.Month() == m.Month()
			}, 0},
		{WardPartyCode, "Đinh Văn Quang", service.PositionSecretary, "Trụ sở Đảng ủy phường Hàm Rồng", monthly(time.Thursday, 1, 3),
			func(d calendar.Date) bool {
				return d.Year() == day.Year() && d.Month() == thisMonth && d.Day() > 7
			}, 0},
		{"14797", "Trần Minh Đức", service.PositionChairman, "Phòng tiếp công dân, UBND phường Hạc Thành", weekly(time.Monday), nil, 0},
		{"14758", "Nguyễn Thị Thu Hà", service.PositionChairman, "Phòng tiếp công dân, UBND phường Hàm Rồng", weekly(time.Tuesday), nil, 0},
		{"16264", "Lê Văn Hùng", service.PositionChairman, "Hội trường UBND xã Yên Thọ", weekly(time.Wednesday),
			func(d calendar.Date) bool { return isoWeek(d) == isoWeek(day.AddDays(-14)) && d.Before(day) }, 0},
		{"14845", "Vi Văn Sáng", service.PositionChairman, "Phòng tiếp công dân, UBND xã Mường Lát", weekly(time.Thursday),
			func(d calendar.Date) bool { return isoWeek(d)%3 == 0 }, 14},
		{"15499", "Phạm Đức Long", service.PositionChairman, "Phòng tiếp công dân, UBND xã Thọ Xuân", weekly(time.Friday), nil, 0},
		{"16531", "Hoàng Thị Mai", service.PositionChairman, "Phòng tiếp công dân, UBND phường Sầm Sơn", weekly(time.Monday), nil, 0},
	}
	n := 0
	for li, l := range leaders {
		u, err := s.UnitByCode(ctx, l.unit, day.String())
		if err != nil {
			return fmt.Errorf("demo reception: unit %s: %w", l.unit, err)
		}
		notice := 0
		for i, d := range l.days(first, last) {
			if l.skip != nil && l.skip(d) {
				continue
			}
			if l.until > 0 && d.After(day.AddDays(l.until)) {
				continue
			}
			if l.unit == "14797" && d == day {
				continue // receptionToday keeps today's session
			}
			// A day off moves the session to the next working day.
			for !cal.IsWorkingDay(d) {
				d = d.AddDays(1)
			}
			n++
			r := store.ReceptionSession{UnitID: u.ID, LeaderName: l.name, LeaderPosition: l.position, HeldOn: d.String(),
				StartTime: "07:30", EndTime: "11:30", Place: l.place, Status: service.SessionPlanned}
			if l.position == service.PositionSecretary && l.unit == "TU" {
				r.StartTime, r.EndTime = "08:00", "11:00"
			}
			switch {
			case (li+i)%23 == 7 && d.After(day.AddDays(-200)):
				// Cancelled, with its reason; Hạc Thành receives the next day instead.
				r.Status, r.CancelReason = service.SessionCancelled, "Lãnh đạo dự họp đột xuất của cấp trên; buổi tiếp được bố trí lại."
				if err := s.CreateReceptionSession(ctx, a, &r); err != nil {
					return err
				}
				if l.unit != "14797" {
					continue
				}
				r = store.ReceptionSession{UnitID: u.ID, LeaderName: l.name, LeaderPosition: l.position, HeldOn: cal.NextWorkingDay(d).String(),
					StartTime: "13:30", EndTime: "17:00", Place: l.place, Note: "Buổi tiếp bố trí lại", Status: service.SessionPlanned}
			}
			held := r.HeldOn < day.String()
			if held {
				r.Status = service.SessionHeld
				on := cal.AddWorkingDays(calendar.MustParseDate(r.HeldOn), 2)
				if on.Before(day) {
					notice++
					r.ConclusionNo = fmt.Sprintf("%d/TB-%s", notice, map[bool]string{true: "TU", false: "UBND"}[l.position == service.PositionSecretary])
					r.ConclusionOn = on.String()
					r.ConclusionText = receptionConclusions[(li+i)%len(receptionConclusions)]
				}
			}
			if err := s.CreateReceptionSession(ctx, a, &r); err != nil {
				return err
			}
			if !held {
				continue
			}
			for k := range (li + i) % 4 {
				sub := receptionSubjects[(li*3+i+k)%len(receptionSubjects)]
				v := store.ReceptionVisit{SessionID: r.ID, At: fmt.Sprintf("%02d:%02d", 8+k, (i*7)%60), People: 1, Subject: sub.subject,
					Kind: sub.kind, Outcome: sub.outcome, OutcomeNote: sub.note}
				if (li+i+k)%9 == 0 {
					v.People, v.Delegation = 6, true
				}
				if err := s.AddReceptionVisit(ctx, a, &v); err != nil {
					return err
				}
			}
		}
	}
	return receptionToday(ctx, s, day)
}

// receptionToday is a session of Phường Hạc Thành today, kept by the
// case handler through the service: a visit guided, and two that open
// cases on the reception channel.
func receptionToday(ctx context.Context, s *store.Store, day calendar.Date) error {
	svc, err := service.New(ctx, service.Deps{Store: s, Cfg: config.Default(), Policy: account.DefaultPolicy})
	if err != nil {
		return err
	}
	u, err := s.UserByName(ctx, "xulydon")
	if err != nil {
		return fmt.Errorf("demo reception: %w", err)
	}
	gs, err := s.AuthzGrants(ctx, u.ID)
	if err != nil {
		return err
	}
	p := &service.Principal{User: u, Grants: gs}
	unit, err := s.UnitByCode(ctx, "14797", day.String())
	if err != nil {
		return err
	}
	note := ""
	if day.Weekday() != time.Monday {
		note = "Buổi tiếp bổ sung"
	}
	r, err := svc.Reception.Create(ctx, p, service.SessionInput{UnitID: unit.ID, LeaderName: "Trần Minh Đức", LeaderPosition: service.PositionChairman,
		HeldOn: day.String(), StartTime: "07:30", EndTime: "11:30", Place: "Phòng tiếp công dân, UBND phường Hạc Thành", Note: note})
	if err != nil {
		return fmt.Errorf("demo reception today: %w", err)
	}
	for _, in := range []service.VisitInput{
		{At: "07:45", People: 1, Subject: "Hỏi thủ tục đăng ký hộ kinh doanh", Kind: service.VisitOther, Outcome: service.OutcomeGuided,
			OutcomeNote: "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công."},
		{At: "08:20", People: 1, Subject: "Phản ánh nước thải sinh hoạt chảy tràn ra đường tổ dân phố 5", Kind: service.VisitFeedback, Outcome: service.OutcomeCaseOpened,
			Case: &service.CaseInput{Description: "Công dân phản ánh cống thoát nước tổ dân phố 5 bị tắc, nước thải chảy tràn ra đường nhiều ngày, gây mùi hôi."}},
		{At: "09:10", People: 7, Delegation: true, Subject: "Kiến nghị lắp đèn chiếu sáng ngõ 12 đường Hạc Thành", Kind: service.VisitRecommendation, Outcome: service.OutcomeCaseOpened,
			Case: &service.CaseInput{Description: "Đại diện các hộ dân ngõ 12 kiến nghị lắp đèn chiếu sáng công cộng để bảo đảm an toàn đi lại ban đêm."}},
	} {
		if _, err := svc.Reception.AddVisit(ctx, p, r.ID, in); err != nil {
			return fmt.Errorf("demo reception visit: %w", err)
		}
	}
	return nil
}
