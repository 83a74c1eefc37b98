package demo

// Demo data of follow-up work: two inspections/supervisions in 2025–2026
// with findings and recommendations (one recommendation overdue, one closed
// with the unit's response), and formal urges of Phường Hạc Thành with the
// notifications they produce for truongdonvi and canbo; dieuphoi, a team
// member, is told of the unit's response.

import (
	"context"
	"fmt"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/followup"
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
	unit := func(code string) (int64, error) {
		u, err := s.UnitByCode(ctx, code, "2026-01-01")
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
	btgdv, err := unit("TU-BTGDV")
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

	// 1. Inspection by the Propaganda and Mass Mobilization Commission, autumn 2025.
	in1, err := fu.CreateInspection(ctx, dp, service.InspectionInput{
		Kind: followup.Inspection, Topic: "Kiểm tra việc thực hiện Quy chế dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo” năm 2025",
		LeadUnitID: btgdv, UnitIDs: []int64{hacThanh, second}, StartOn: "2025-10-06", EndOn: "2025-10-17",
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
		{hacThanh, "Đã xây dựng kế hoạch thực hiện Quy chế dân chủ năm 2025; niêm yết công khai kế hoạch sử dụng đất và dự toán ngân sách tại trụ sở, nhưng chưa đăng trên cổng thông tin điện tử của phường."},
		{hacThanh, "Đăng ký 3 mô hình “Dân vận khéo”; mô hình “Tổ dân phố văn minh, không rác thải nhựa” có kết quả rõ, được nhân dân đồng tình."},
		{second, "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với nhân dân chưa tổ chức đủ theo kế hoạch (1/2 cuộc)."},
	} {
		if _, err := fu.AddFinding(ctx, dp, id1, service.FindingInput{UnitID: f.unit, Text: f.text}); err != nil {
			return err
		}
	}
	if _, err := fu.AddRecommendation(ctx, dp, id1, service.RecommendationInput{UnitID: second, Owner: "Chủ tịch UBND xã",
		Text: "Tổ chức đủ hội nghị đối thoại với nhân dân theo Luật Thực hiện dân chủ ở cơ sở; báo cáo kết quả về Ban Tuyên giáo và Dân vận Tỉnh ủy.", DueOn: "2026-03-31"}); err != nil {
		return err
	}
	closed, err := fu.AddRecommendation(ctx, dp, id1, service.RecommendationInput{UnitID: hacThanh, Owner: "Văn phòng HĐND và UBND phường",
		Text: "Đăng tải đầy đủ các nội dung công khai trên cổng thông tin điện tử của phường.", DueOn: "2025-12-31"})
	if err != nil {
		return err
	}
	if _, err := fu.Respond(ctx, head, closed.ID, service.ResponseInput{Done: true,
		Response: "Ngày 15/12/2025 đã đăng tải kế hoạch, dự toán và kết quả giải quyết thủ tục hành chính tại mục “Công khai” trên cổng thông tin điện tử phường."}); err != nil {
		return err
	}

	// 2. Supervision by the People's Council, mid-2026.
	in2, err := fu.CreateInspection(ctx, dp, service.InspectionInput{
		Kind: followup.Supervision, Topic: "Giám sát công tác tiếp công dân, giải quyết khiếu nại, tố cáo 6 tháng đầu năm 2026",
		LeadUnitID: hdnd, UnitIDs: []int64{hacThanh, snv}, StartOn: "2026-06-08", EndOn: "2026-06-19",
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
		Text: "Chấn chỉnh việc ghi sổ tiếp công dân; ban hành thông báo kết luận sau mỗi buổi tiếp.", DueOn: "2026-12-31"}); err != nil {
		return err
	}

	// 3. Formal urges of Phường Hạc Thành.
	for _, u := range []service.UrgeInput{
		{UnitID: hacThanh, PeriodType: "quarterly", PeriodYear: 2026, PeriodNumber: 3,
			Message: "Đến nay phường chưa gửi báo cáo công tác dân vận quý III/2026. Đề nghị đồng chí Chủ tịch chỉ đạo hoàn thành, gửi về Ban trước ngày 30/9/2026."},
		{UnitID: hacThanh, PeriodType: "monthly", PeriodYear: 2026, PeriodNumber: 10,
			Message: "Báo cáo tháng 10/2026 bị trả lại chưa được bổ sung số liệu đối thoại, tiếp công dân. Đề nghị phường bổ sung và gửi lại ngay."},
	} {
		if _, err := fu.SendUrge(ctx, dp, u); err != nil {
			return err
		}
	}
	return nil
}
