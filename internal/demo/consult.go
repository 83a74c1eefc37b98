package demo

// Demo consultations on drafts: a ward People's Committee's plan open for
// comment now, a provincial draft resolution closed and synthesised with
// the Fatherland Front's and the Women's Union's social criticism, and an
// upcoming land-use plan of another ward. Dates are relative to today.

import (
	"context"
	"fmt"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

const demoPlanText = `Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;
Căn cứ Nghị quyết của Đảng ủy phường về phát triển kinh tế - xã hội năm 2027;
Ủy ban nhân dân phường Hạc Thành xây dựng Kế hoạch chỉnh trang đô thị, xây dựng tuyến phố văn minh năm 2027 như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Chỉnh trang vỉa hè, hệ thống chiếu sáng và cây xanh trên các tuyến phố chính, bảo đảm mỹ quan và an toàn giao thông.
2. Phát huy vai trò chủ thể của Nhân dân; các hộ gia đình được bàn bạc, góp ý và giám sát việc thực hiện.
II. NỘI DUNG THỰC HIỆN
1. Lát lại vỉa hè tuyến đường Hạc Thành (đoạn từ Đại lộ Lê Lợi đến đường Lê Hoàn), chiều dài 1,2 km.
2. Thay thế 120 bộ đèn chiếu sáng bằng đèn LED tiết kiệm điện.
3. Trồng bổ sung 300 cây xanh bóng mát; mỗi tổ dân phố nhận chăm sóc ít nhất 20 cây.
4. Bố trí điểm để xe và điểm tập kết rác thải đúng giờ tại các khu dân cư.
III. KINH PHÍ
Tổng kinh phí dự kiến 8,5 tỷ đồng, trong đó ngân sách phường 6 tỷ đồng, Nhân dân và doanh nghiệp tự nguyện đóng góp 2,5 tỷ đồng.
IV. TỔ CHỨC THỰC HIỆN
1. Văn phòng HĐND và UBND phường chủ trì, phối hợp Ủy ban Mặt trận Tổ quốc phường tổ chức lấy ý kiến Nhân dân.
2. Các tổ dân phố tổ chức họp dân, thành lập Ban giám sát cộng đồng.`

const demoResolutionText = `Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025;
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị quyết này quy định chính sách hỗ trợ hộ nghèo, hộ cận nghèo cải thiện nhà ở trên địa bàn tỉnh Thanh Hóa giai đoạn 2026 - 2030.
Điều 2. Đối tượng áp dụng
1. Hộ nghèo, hộ cận nghèo theo chuẩn nghèo đa chiều có nhà ở hư hỏng, dột nát.
2. Hộ gia đình người có công với cách mạng có khó khăn về nhà ở.
3. Cơ quan, tổ chức, cá nhân có liên quan.
Chương II
CHÍNH SÁCH HỖ TRỢ
Điều 3. Mức hỗ trợ
1. Xây mới nhà ở: hỗ trợ 60 triệu đồng/hộ.
2. Sửa chữa nhà ở: hỗ trợ 30 triệu đồng/hộ.
3. Hộ thuộc xã đặc biệt khó khăn được hỗ trợ thêm 10 triệu đồng/hộ.
Điều 4. Nguồn kinh phí
Ngân sách tỉnh bảo đảm 70%, ngân sách cấp xã 10%, huy động Quỹ Vì người nghèo và xã hội hóa 20%.
Chương III
TỔ CHỨC THỰC HIỆN
Điều 5. Trách nhiệm thi hành
1. Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.
2. Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội giám sát việc thực hiện.`

const demoLandText = `Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;
Điều 1. Điều chỉnh quy hoạch sử dụng đất
1. Chuyển 2,4 ha đất trồng lúa kém hiệu quả tại khu phố Đông Sơn sang đất xây dựng trường mầm non và nhà văn hóa.
2. Bố trí 0,8 ha đất cây xanh, sân chơi cộng đồng.
Điều 2. Bồi thường, hỗ trợ
Việc bồi thường, hỗ trợ, tái định cư thực hiện theo quy định của pháp luật; công khai phương án tại khu dân cư.`

type demoComment struct {
	passage      int // index in the passages; -1: the whole draft
	name         string
	organisation bool
	text         string
	status       string
	reason       string
}

func loadConsultations(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	day := today(s)
	unit := func(code string) (int64, error) {
		u, err := s.UnitByCode(ctx, code, day.String())
		if err != nil {
			return 0, fmt.Errorf("demo consultations: unit %s: %w", code, err)
		}
		return u.ID, nil
	}
	create := func(code, kind, title, summary, text string, opens, closes int) (store.Consultation, []store.Passage, error) {
		id, err := unit(code)
		if err != nil {
			return store.Consultation{}, nil, err
		}
		c := store.Consultation{UnitID: id, Kind: kind, Title: title, Summary: summary, Status: service.ConsultDraft,
			OpensOn: day.AddDays(opens).String(), ClosesOn: day.AddDays(closes).String()}
		if err := s.CreateConsultation(ctx, a, &c, service.SplitDraft(text)); err != nil {
			return c, nil, err
		}
		if err := s.SetConsultationStatus(ctx, a, c.ID, c.Version, service.ConsultDraft, service.ConsultPublished, "", ""); err != nil {
			return c, nil, err
		}
		c.Version++
		_, ps, err := s.GetConsultation(ctx, c.ID)
		return c, ps, err
	}
	comment := func(c store.Consultation, ps []store.Passage, x demoComment) (int64, error) {
		cm := store.ConsultComment{ConsultationID: c.ID, AuthorName: x.name, Organisation: x.organisation, Text: x.text, Status: service.CommentPending}
		if x.passage >= 0 {
			cm.PassageID = ps[x.passage].ID
		}
		if err := s.AddConsultComment(ctx, audit.Actor{Name: "anonymous"}, &cm); err != nil {
			return 0, err
		}
		if x.status != service.CommentPending {
			if err := s.ModerateConsultComment(ctx, a, cm.ID, x.status, x.reason); err != nil {
				return 0, err
			}
		}
		return cm.ID, nil
	}

	// 1. A ward's plan, open now.
	plan, ps, err := create("14797", "plan", "Kế hoạch chỉnh trang đô thị, xây dựng tuyến phố văn minh phường Hạc Thành năm 2027",
		"Lát lại vỉa hè, thay đèn chiếu sáng, trồng cây xanh trên các tuyến phố chính; kinh phí dự kiến 8,5 tỷ đồng, trong đó Nhân dân tự nguyện đóng góp 2,5 tỷ đồng.",
		demoPlanText, -5, 20)
	if err != nil {
		return err
	}
	for _, x := range []demoComment{
		{5, "Nguyễn Văn Hải (tổ dân phố 5)", false, "Đề nghị lát vỉa hè bằng gạch chống trơn và chừa lối cho người khuyết tật, xe lăn.", service.CommentPublished, ""},
		{7, "Trần Thị Hoa", false, "Nên chọn cây bản địa như sấu, lim xẹt; tránh trồng cây dễ gãy đổ khi mưa bão.", service.CommentPublished, ""},
		{9, "Hội Cựu chiến binh phường", true, "Đề nghị công khai danh sách hộ đóng góp và các khoản chi hằng quý tại nhà văn hóa tổ dân phố.", service.CommentPublished, ""},
		{-1, "Lê Minh Quân", false, "Kế hoạch thiết thực; đề nghị thi công ngoài giờ cao điểm để không ảnh hưởng việc buôn bán của các hộ kinh doanh.", service.CommentPending, ""},
		{6, "Phạm Văn Long", false, "Mua bán đèn LED giá rẻ, liên hệ…", service.CommentRejected, "Nội dung quảng cáo, không liên quan đến dự thảo."},
	} {
		if _, err := comment(plan, ps, x); err != nil {
			return err
		}
	}

	// 2. A provincial draft resolution, closed and synthesised.
	res, ps, err := create("UBND", "resolution", "Dự thảo Nghị quyết quy định chính sách hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo giai đoạn 2026 - 2030",
		"Hỗ trợ xây mới 60 triệu đồng/hộ, sửa chữa 30 triệu đồng/hộ; hộ ở xã đặc biệt khó khăn được hỗ trợ thêm 10 triệu đồng/hộ.",
		demoResolutionText, -60, -30)
	if err != nil {
		return err
	}
	var ids []int64
	for _, x := range []demoComment{
		{3, "Hà Văn Thào (xã Mường Lát)", false, "Đề nghị bổ sung hộ có nhà bị thiệt hại do thiên tai vào đối tượng được hỗ trợ.", service.CommentPublished, ""},
		{9, "Lò Thị Xuân", false, "Mức 60 triệu đồng chưa đủ xây nhà ở vùng cao do chi phí vận chuyển vật liệu lớn; đề nghị nâng lên 80 triệu đồng.", service.CommentPublished, ""},
		{12, "Hội Nông dân xã Quan Sơn", true, "Đề nghị giảm phần đóng góp của ngân sách cấp xã đối với các xã khó khăn.", service.CommentPublished, ""},
	} {
		id, err := comment(res, ps, x)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	var crit []int64
	for _, k := range []struct{ code, number, summary string }{
		{"MTTQ", "45/BC-MTTQ-BTT", "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh đồng tình với sự cần thiết ban hành Nghị quyết; đề nghị mở rộng đối tượng sang hộ bị thiệt hại do thiên tai và quy định rõ trách nhiệm giám sát cộng đồng."},
		{"HLHPN", "112/BC-HPN", "Hội Liên hiệp Phụ nữ tỉnh đề nghị ưu tiên hộ do phụ nữ làm chủ hộ, hộ có người khuyết tật."},
	} {
		id, err := unit(k.code)
		if err != nil {
			return err
		}
		c := store.Criticism{ConsultationID: res.ID, UnitID: id, Number: k.number, IssuedOn: day.AddDays(-35).String(), Summary: k.summary,
			FileName: "phan-bien-" + k.code + ".txt", ContentType: "text/plain; charset=utf-8", Data: []byte(k.summary + "\n")}
		c.Size = int64(len(c.Data))
		if err := s.AddCriticism(ctx, a, &c); err != nil {
			return err
		}
		crit = append(crit, c.ID)
	}
	for _, an := range []store.ConsultAnswer{
		{Verdict: service.VerdictTaken, Explanation: "Tiếp thu, bổ sung vào Điều 2: hộ có nhà ở bị sập đổ, hư hỏng nặng do thiên tai.", CommentIDs: []int64{ids[0]}, CriticismIDs: []int64{crit[0]}},
		{Verdict: service.VerdictPartly, Explanation: "Tiếp thu một phần: hộ ở xã đặc biệt khó khăn được hỗ trợ thêm 10 triệu đồng/hộ (khoản 3 Điều 3); chưa nâng mức chung do cân đối ngân sách.", CommentIDs: []int64{ids[1]}},
		{Verdict: service.VerdictNotTaken, Explanation: "Giữ tỷ lệ 10% ngân sách cấp xã để gắn trách nhiệm của chính quyền cơ sở; xã khó khăn được Quỹ Vì người nghèo hỗ trợ phần này.", CommentIDs: []int64{ids[2]}},
		{Verdict: service.VerdictTaken, Explanation: "Tiếp thu, quy định thứ tự ưu tiên tại Điều 2.", CriticismIDs: []int64{crit[1]}},
	} {
		an.ConsultationID = res.ID
		if err := s.AddConsultAnswer(ctx, a, &an); err != nil {
			return err
		}
	}
	if err := s.SetConsultationStatus(ctx, a, res.ID, res.Version, service.ConsultPublished, service.ConsultSynthesised,
		"Sau 30 ngày lấy ý kiến, đã nhận 3 ý kiến của Nhân dân và tổ chức, 2 văn bản phản biện xã hội. Ủy ban nhân dân tỉnh đã tiếp thu, chỉnh lý dự thảo và trình Hội đồng nhân dân tỉnh xem xét.",
		day.AddDays(-25).String()); err != nil {
		return err
	}

	// 3. An upcoming land-use plan.
	_, _, err = create("14758", "land_use", "Dự thảo điều chỉnh quy hoạch sử dụng đất khu phố Đông Sơn, phường Hàm Rồng",
		"Chuyển 2,4 ha đất lúa kém hiệu quả sang xây dựng trường mầm non và nhà văn hóa; bố trí 0,8 ha cây xanh, sân chơi.", demoLandText, 7, 37)
	return err
}
