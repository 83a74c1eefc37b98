package demo

// Demo data of follow-up work, dated back from the demo's today: an
// inspection about a year ago and a supervision some months ago, with
// findings and recommendations (one recommendation overdue, one closed with
// the unit's response, one open), and formal urges of Phường Hạc Thành
// about its reports of the last periods, with the notifications they
// produce for truongdonvi and canbo; dieuphoi, a team member, is told of the
// unit's response.

import (
	"context"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/followup"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

func loadFollowup(ctx context.Context, s *store.Store) error {
	// No SMTP at load time: notifications stay in the app.
	svc, err := service.New(ctx, service.Deps{Store: s, Cfg: config.Default(), Policy: account.DefaultPolicy})
	if err != nil {
		return err
	}
	fu := svc.FollowUp
	day := today(s)
	on := func(days int) string { return day.AddDays(days).String() }
	// The inspection began about thirteen months ago, on a Monday.
	in1Start := day.AddDays(-395)
	for in1Start.Weekday() != time.Monday {
		in1Start = in1Start.AddDays(1)
	}
	// The supervision began about five months ago, on a Monday, and covered
	// the half-year before it.
	in2Start := day.AddDays(-150)
	for in2Start.Weekday() != time.Monday {
		in2Start = in2Start.AddDays(1)
	}
	half := fmt.Sprintf("6 tháng đầu năm %d", in2Start.Year())
	if in2Start.Month() < time.July {
		half = fmt.Sprintf("6 tháng cuối năm %d", in2Start.Year()-1)
	}
	commission := "TU-BTGDV"
	if in1Start.String() < DepartmentsReform {
		commission = "TU-BDV"
	}
	unit := func(code string) (int64, error) {
		u, err := s.UnitByCode(ctx, code, day.String())
		if err != nil {
			return 0, fmt.Errorf("demo followup: unit %s: %w", code, err)
		}
		return u.ID, nil
	}
	user := func(name string) (*service.Principal, string, error) {
		u, err := s.UserByName(ctx, name)
		if err != nil {
			return nil, "", fmt.Errorf("demo followup: user %s: %w", name, err)
		}
		gs, err := s.AuthzGrants(ctx, u.ID)
		if err != nil {
			return nil, "", err
		}
		return &service.Principal{User: u, Grants: gs}, u.FullName, nil
	}
	hacThanh, err := unit("14797")
	if err != nil {
		return err
	}
	second, err := unit("14812")
	if err != nil {
		return err
	}
	btgdv, err := unit(commission)
	if err != nil {
		return err
	}
	hdnd, err := unit("HDND")
	if err != nil {
		return err
	}
	snv, err := unit("S-NV")
	if err != nil {
		return err
	}
	dp, _, err := user("dieuphoi")
	if err != nil {
		return err
	}
	tt, _, err := user("thanhtra")
	if err != nil {
		return err
	}
	head, _, err := user("truongdonvi")
	if err != nil {
		return err
	}

	// 1. Inspection by the Propaganda and Mass Mobilization Commission, a year ago.
	in1, err := fu.CreateInspection(ctx, dp, service.InspectionInput{
		Kind: followup.Inspection, Topic: fmt.Sprintf("Kiểm tra việc thực hiện Luật Thực hiện dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo” năm %d", in1Start.Year()),
		LeadUnitID: btgdv, UnitIDs: []int64{hacThanh, second}, StartOn: in1Start.String(), EndOn: in1Start.AddDays(11).String(),
		Team:      "Lê Thị Hương — Phó Trưởng ban, trưởng đoàn\nVũ Thị Lan — Ủy ban Kiểm tra Tỉnh ủy\nNguyễn Văn Bình — chuyên viên",
		MemberIDs: []int64{dp.UserID(), tt.UserID()}, Status: followup.StatusFinished,
	})
	if err != nil {
		return err
	}
	id1 := in1.ID
	for _, f := range []struct {
		unit int64
		text string
	}{
		{hacThanh, fmt.Sprintf("Đã xây dựng kế hoạch thực hiện dân chủ ở cơ sở năm %d; niêm", in1Start.Year()) + " yết công khai kế hoạch sử dụng đất và dự toán ngân sách tại trụ sở, nhưng chưa đăng trên cổng thông tin điện tử của phường."},
		{hacThanh, "Đăng ký 3 mô hình “Dân vận khéo”; mô hình “Tổ dân phố văn minh, không rác thải nhựa” có kết quả rõ, được nhân dân đồng tình."},
		{second, "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với nhân dân chưa tổ chức đủ theo kế hoạch (1/2 cuộc)."},
	} {
		if _, err := fu.AddFinding(ctx, dp, id1, service.FindingInput{UnitID: f.unit, Text: f.text}); err != nil {
			return err
		}
	}
	if _, err := fu.AddRecommendation(ctx, dp, id1, service.RecommendationInput{UnitID: second, Owner: "Chủ tịch UBND xã",
		Text: "Tổ chức đủ hội nghị đối thoại với Nhân dân theo Luật Thực hiện dân chủ ở cơ sở; báo cáo kết quả về Ban Tuyên giáo và Dân vận Tỉnh ủy.", DueOn: on(-240)}); err != nil {
		return err
	}
	closed, err := fu.AddRecommendation(ctx, dp, id1, service.RecommendationInput{UnitID: hacThanh, Owner: "Văn phòng HĐND và UBND phường",
		Text: "Đăng tải đầy đủ các nội dung công khai trên cổng thông tin điện tử của phường.", DueOn: on(-300)})
	if err != nil {
		return err
	}
	if _, err := fu.Respond(ctx, head, closed.ID, service.ResponseInput{Done: true,
		Response: "Ngày " + day.AddDays(-315).Time().Format("02/01/2006") + " đã đăng tải kế hoạch, dự toán và kết quả giải quyết thủ tục hành chính tại mục “Công khai” trên cổng thông tin điện tử phường."}); err != nil {
		return err
	}

	// 2. Supervision by the People's Council, some months ago.
	in2, err := fu.CreateInspection(ctx, dp, service.InspectionInput{
		Kind: followup.Supervision, Topic: "Giám sát công tác tiếp công dân, giải quyết khiếu nại, tố cáo " + half,
		LeadUnitID: hdnd, UnitIDs: []int64{hacThanh, snv}, StartOn: in2Start.String(), EndOn: in2Start.AddDays(11).String(),
		Team: "Đỗ Quang Huy — Ủy viên Thường trực HĐND tỉnh, trưởng đoàn\nĐại diện Ủy ban MTTQ Việt Nam tỉnh", Status: followup.StatusFinished,
	})
	if err != nil {
		return err
	}
	id2 := in2.ID
	if _, err := fu.AddFinding(ctx, dp, id2, service.FindingInput{UnitID: hacThanh, Text: "Duy trì tiếp công dân định kỳ hằng tuần; 100% đơn thuộc thẩm quyền được giải quyết đúng hạn."}); err != nil {
		return err
	}
	if _, err := fu.AddFinding(ctx, dp, id2, service.FindingInput{UnitID: snv, Text: "Sổ tiếp công dân ghi chưa đầy đủ nội dung thông báo kết luận."}); err != nil {
		return err
	}
	if _, err := fu.AddRecommendation(ctx, dp, id2, service.RecommendationInput{UnitID: snv, Owner: "Chánh Văn phòng Sở",
		Text: "Chấn chỉnh việc ghi sổ tiếp công dân; ban hành thông báo kết luận sau mỗi buổi tiếp.", DueOn: on(45)}); err != nil {
		return err
	}

	// 3. Formal urges of Phường Hạc Thành: its monthly report returned in
	// the last period past its deadline, and the current quarter's report.
	rule := report.Rule{CutoffDay: 15}
	var urges []service.UrgeInput
	if w, ok := recentPeriod(recentWindows(rule, report.Monthly, day, 3), communeLevel, day); ok {
		urges = append(urges, service.UrgeInput{UnitID: hacThanh, PeriodType: string(report.Monthly), PeriodYear: int64(w.Year), PeriodNumber: int64(w.Number),
			Message: fmt.Sprintf("Báo cáo tháng %d/%d bị trả lại chưa được bổ sung số liệu đối thoại, tiếp công dân. Đề nghị phường bổ sung và gửi lại trước ngày %s.",
				w.Number, w.Year, day.AddDays(3).Time().Format("02/01/2006"))})
	}
	if ws := recentWindows(rule, report.Quarterly, day, 1); len(ws) == 1 {
		w := ws[0]
		urges = append(urges, service.UrgeInput{UnitID: hacThanh, PeriodType: string(report.Quarterly), PeriodYear: int64(w.Year), PeriodNumber: int64(w.Number),
			Message: fmt.Sprintf("Đề nghị đồng chí Chủ tịch chỉ đạo hoàn thành báo cáo công tác dân vận quý %s/%d của phường, gửi về Ban đúng hạn (ngày %s).",
				[]string{"I", "II", "III", "IV"}[w.Number-1], w.Year, report.DueOn(store.Calendar, w, communeLevel).Time().Format("02/01/2006"))})
	}
	for _, u := range urges {
		if _, err := fu.SendUrge(ctx, dp, u); err != nil {
			return err
		}
	}
	return nil
}
