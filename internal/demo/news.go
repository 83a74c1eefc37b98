package demo

// Demo news, dated from the demo's today: twenty articles about the
// programme, its "Dân vận khéo" models and dialogues with the people,
// published over the last months by the province and six communes and
// wards, each with a picture drawn in code; and two articles of Phường Hạc
// Thành waiting for the coordinator's approval.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// demoArticle is one demo article; ago is how many days before today it
// was published (negative: it waits for approval).
type demoArticle struct {
	unit, topic, title, summary string
	points                      []string
	ago                         int
}

var demoArticles = []demoArticle{
	{ProvinceCode, service.TopicProgramme, "Tỉnh ủy sơ kết công tác dân vận sáu tháng đầu năm", "Hội nghị đánh giá kết quả thực hiện Quy chế công tác dân vận và đề ra nhiệm vụ trọng tâm sáu tháng cuối năm.",
		[]string{"100% xã, phường xây dựng kế hoạch thực hiện Quy chế dân vận", "Hơn 1.200 mô hình “Dân vận khéo” được công nhận", "Tiếp tục đẩy mạnh đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân"}, 150},
	{HomeUnitCode, service.TopicModels, "Phường Hạc Thành: mô hình “Tuyến phố văn minh, sạch đẹp”", "Người dân các tổ dân phố cùng góp công, góp sức chỉnh trang vỉa hè, trồng cây xanh và giữ gìn vệ sinh chung.",
		[]string{"12 tuyến phố được công nhận đạt chuẩn văn minh", "Hơn 800 hộ ký cam kết không lấn chiếm vỉa hè", "Mô hình được nhân rộng ra các phường lân cận"}, 140},
	{"14758", service.TopicDialogues, "Phường Hàm Rồng đối thoại với Nhân dân về chỉnh trang đô thị", "Bí thư Đảng ủy, Chủ tịch UBND phường trực tiếp trả lời 18 ý kiến của người dân về hạ tầng và trật tự đô thị.",
		[]string{"18 ý kiến được trả lời trực tiếp tại hội nghị", "5 kiến nghị được giao cơ quan chuyên môn giải quyết trong 30 ngày", "Kết quả giải quyết được niêm yết công khai tại nhà văn hóa các khu phố"}, 128},
	{"16264", service.TopicModels, "Xã Yên Thọ: Nhân dân hiến đất mở rộng đường giao thông nông thôn", "Hơn 300 hộ tự nguyện hiến gần 9.000 m² đất, tháo dỡ tường rào để mở rộng các tuyến đường liên thôn.",
		[]string{"Gần 9.000 m² đất được hiến", "6,5 km đường được mở rộng, bê tông hóa", "Không phát sinh khiếu nại trong quá trình thực hiện"}, 120},
	{"14845", service.TopicModels, "Mường Lát: bộ đội biên phòng cùng bản làng xóa nhà tạm", "Cán bộ, chiến sĩ đồn biên phòng phối hợp với chính quyền xã giúp đồng bào dựng nhà mới trước mùa mưa lũ.",
		[]string{"42 ngôi nhà mới được bàn giao", "Hơn 2.000 ngày công của bộ đội, đoàn viên và người dân", "Mỗi gia đình được hướng dẫn trồng rau, nuôi gia cầm để ổn định cuộc sống"}, 112},
	{"15499", service.TopicProgramme, "Thọ Xuân tập huấn kỹ năng dân vận cho cán bộ cơ sở", "Lớp tập huấn giúp cán bộ thôn, khu phố nắm vững phương pháp vận động, tiếp xúc và lắng nghe Nhân dân.",
		[]string{"Hơn 150 trưởng thôn, bí thư chi bộ tham dự", "Thực hành tình huống đối thoại và hòa giải ở cơ sở", "Tài liệu được phát đến từng thôn"}, 104},
	{"16531", service.TopicDialogues, "Sầm Sơn đối thoại với hộ kinh doanh ven biển", "Lãnh đạo phường lắng nghe ý kiến của các hộ kinh doanh về sắp xếp ki-ốt và bảo vệ môi trường bãi biển.",
		[]string{"Thống nhất phương án sắp xếp 120 ki-ốt", "Các hộ cam kết không chèo kéo khách, niêm yết giá công khai", "Phường bố trí thêm điểm thu gom rác dọc bãi biển"}, 96},
	{ProvinceCode, service.TopicCases, "Giải quyết dứt điểm phản ánh của người dân qua cổng tiếp nhận", "Tỷ lệ phản ánh, kiến nghị được giải quyết đúng hạn tiếp tục tăng nhờ theo dõi thời hạn trên hệ thống.",
		[]string{"Hơn 92% phản ánh được giải quyết đúng hạn", "Người dân tra cứu tiến độ bằng mã hồ sơ", "Đơn vị chậm giải quyết được đôn đốc hằng tuần"}, 88},
	{HomeUnitCode, service.TopicDialogues, "Phường Hạc Thành đối thoại với thanh niên về việc làm", "Hơn 200 đoàn viên, thanh niên nêu ý kiến về học nghề, khởi nghiệp và việc làm tại địa phương.",
		[]string{"Giới thiệu 15 doanh nghiệp đang tuyển dụng", "Hỗ trợ vay vốn khởi nghiệp cho 8 dự án của thanh niên", "Duy trì đối thoại định kỳ mỗi năm hai lần"}, 80},
	{"14758", service.TopicModels, "Hàm Rồng: mô hình “Camera an ninh khu phố”", "Nhân dân góp kinh phí lắp đặt camera giám sát, góp phần giữ gìn an ninh trật tự trên địa bàn.",
		[]string{"64 camera được lắp đặt tại các ngõ, ngách", "Kinh phí do Nhân dân tự nguyện đóng góp", "Tình hình trộm cắp tài sản giảm rõ rệt"}, 72},
	{"16264", service.TopicConsultations, "Yên Thọ lấy ý kiến Nhân dân về quy hoạch khu dân cư mới", "Dự thảo quy hoạch được niêm yết tại nhà văn hóa các thôn và trên cổng thông tin để người dân góp ý.",
		[]string{"Niêm yết công khai trong 30 ngày", "Tổ chức 9 hội nghị lấy ý kiến tại các thôn", "Các ý kiến được tổng hợp, giải trình công khai"}, 64},
	{"14845", service.TopicDialogues, "Mường Lát đối thoại với đồng bào về bảo vệ rừng", "Chính quyền xã và kiểm lâm đối thoại với người dân các bản về giao khoán, bảo vệ rừng và sinh kế.",
		[]string{"Giao khoán bảo vệ hơn 1.500 ha rừng cho các hộ", "Người dân được hướng dẫn trồng cây dược liệu dưới tán rừng", "Thành lập tổ tuần tra bảo vệ rừng ở mỗi bản"}, 56},
	{ProvinceCode, service.TopicModels, "Biểu dương 50 mô hình “Dân vận khéo” tiêu biểu năm nay", "Các mô hình được lựa chọn trên nhiều lĩnh vực: kinh tế, văn hóa – xã hội, quốc phòng – an ninh và xây dựng hệ thống chính trị.",
		[]string{"50 tập thể, cá nhân được khen thưởng", "Nhiều mô hình ở vùng đồng bào dân tộc thiểu số", "Các mô hình được giới thiệu để học tập, nhân rộng"}, 48},
	{"15499", service.TopicModels, "Thọ Xuân: “Ngày Chủ nhật xanh” thu hút đông đảo người dân", "Mỗi sáng Chủ nhật, người dân các thôn cùng dọn vệ sinh đường làng, kênh mương và trồng hoa ven đường.",
		[]string{"Duy trì đều đặn hơn 40 tuần liên tục", "Hơn 5 km đường hoa được trồng mới", "Rác thải được phân loại tại nguồn ở 80% hộ gia đình"}, 40},
	{"16531", service.TopicProgramme, "Sầm Sơn triển khai Quy chế dân chủ ở cơ sở", "Phường tổ chức hội nghị quán triệt để cán bộ và Nhân dân nắm rõ những việc dân biết, dân bàn, dân làm, dân kiểm tra.",
		[]string{"Công khai các khoản thu, chi tại tổ dân phố", "Ban thanh tra nhân dân được kiện toàn", "Hòm thư góp ý được đặt tại trụ sở phường"}, 33},
	{HomeUnitCode, service.TopicCases, "Phường Hạc Thành trả lời kiến nghị về đèn chiếu sáng", "Sau phản ánh của người dân, phường đã sửa chữa và lắp bổ sung hệ thống đèn chiếu sáng tại các ngõ.",
		[]string{"Lắp mới 35 bóng đèn chiếu sáng", "Thời gian xử lý 12 ngày làm việc", "Kết quả được thông báo đến người phản ánh"}, 26},
	{"14758", service.TopicProgramme, "Hàm Rồng phát động thi đua “Dân vận khéo” năm nay", "Các chi bộ, đoàn thể đăng ký mô hình, cách làm hay gắn với nhiệm vụ chính trị của từng khu phố.",
		[]string{"28 mô hình được đăng ký", "Mỗi đoàn thể có ít nhất một mô hình", "Sơ kết, đánh giá vào cuối năm"}, 19},
	{ProvinceCode, service.TopicDialogues, "Bí thư Tỉnh ủy đối thoại với nông dân", "Hội nghị đối thoại tập trung vào liên kết sản xuất, tiêu thụ nông sản và chuyển đổi số trong nông nghiệp.",
		[]string{"Hơn 300 hội viên nông dân tham dự", "26 ý kiến được trả lời tại hội nghị", "Giao các sở, ngành giải quyết các kiến nghị còn lại"}, 12},
	{"16264", service.TopicOther, "Yên Thọ khánh thành nhà văn hóa thôn từ nguồn xã hội hóa", "Nhà văn hóa được xây dựng từ đóng góp của Nhân dân và con em xa quê.",
		[]string{"Tổng kinh phí gần 1,5 tỷ đồng", "Hơn 70% kinh phí do Nhân dân đóng góp", "Là nơi sinh hoạt cộng đồng của hơn 400 hộ"}, 6},
	{"14845", service.TopicModels, "Mường Lát: “Bản không có ma túy” nhờ sự vào cuộc của già làng", "Già làng, trưởng bản và người có uy tín cùng vận động con cháu tránh xa ma túy.",
		[]string{"4 bản được công nhận không có ma túy", "Mỗi người có uy tín phụ trách vận động 10 hộ", "Không phát sinh người nghiện mới trong năm"}, 2},
	{HomeUnitCode, service.TopicModels, "Phường Hạc Thành: “Bữa cơm nghĩa tình” cho bệnh nhân nghèo", "Hội Phụ nữ phường duy trì bếp ăn miễn phí cho bệnh nhân nghèo và người nhà tại bệnh viện.",
		[]string{"Hơn 300 suất ăn mỗi tuần", "Nguồn thực phẩm do các hộ kinh doanh ủng hộ", "Hơn 40 tình nguyện viên tham gia"}, -1},
	{HomeUnitCode, service.TopicConsultations, "Phường Hạc Thành lấy ý kiến về nội quy tổ dân phố", "Dự thảo nội quy được gửi đến từng hộ để góp ý trước khi hội nghị tổ dân phố biểu quyết.",
		[]string{"Gửi dự thảo đến hơn 1.000 hộ", "Thời hạn góp ý 15 ngày", "Tổng hợp, giải trình ý kiến trước khi biểu quyết"}, -2},
}

// demoPicture draws a landscape in the palette of picture i: a sky, hills
// and a road, 1200×630 — the size of og:image.
func demoPicture(i int) ([]byte, error) {
	palettes := [][3]color.RGBA{
		{{110, 170, 220, 255}, {70, 140, 70, 255}, {200, 180, 140, 255}},
		{{240, 180, 120, 255}, {90, 120, 60, 255}, {160, 160, 160, 255}},
		{{150, 200, 230, 255}, {40, 110, 80, 255}, {190, 60, 50, 255}},
		{{200, 220, 240, 255}, {120, 160, 60, 255}, {230, 200, 80, 255}},
		{{90, 130, 190, 255}, {50, 90, 60, 255}, {220, 220, 210, 255}},
	}
	p := palettes[i%len(palettes)]
	const w, h = 1200, 630
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			hill := 330 + int(60*float64((x*(i+3))%400)/400) - (x/7)%40
			c := p[0]
			switch {
			case y > hill && absInt(x-w/2) < (y-hill)*2/3+10:
				c = p[2]
			case y > hill:
				c = p[1]
			default:
				f := float64(y) / float64(hill)
				c = color.RGBA{uint8(float64(c.R) * (1 - f/4)), uint8(float64(c.G) * (1 - f/5)), c.B, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func loadNews(ctx context.Context, s *store.Store) error {
	day := today(s)
	writer, err := s.UserByName(ctx, "canbo")
	if err != nil {
		return fmt.Errorf("demo news: %w", err)
	}
	coord, err := s.UserByName(ctx, "dieuphoi")
	if err != nil {
		return fmt.Errorf("demo news: %w", err)
	}
	pics := map[int][]service.NewsPicture{}
	for i, d := range demoArticles {
		u, err := s.UnitByCode(ctx, d.unit, day.String())
		if err != nil {
			return fmt.Errorf("demo news: unit %s: %w", d.unit, err)
		}
		k := i % 5
		if pics[k] == nil {
			raw, err := demoPicture(k)
			if err != nil {
				return err
			}
			if pics[k], err = service.NewsPictures(raw); err != nil {
				return fmt.Errorf("demo news picture: %w", err)
			}
		}
		pp := pics[k]
		var body strings.Builder
		body.WriteString("## Kết quả nổi bật\n\n")
		for _, p := range d.points {
			body.WriteString("- " + p + "\n")
		}
		body.WriteString("\nTheo dõi tin tức về các mô hình khác trong [chuyên mục Dân vận khéo](/tin-tuc?topic=models).\n")
		a := store.NewsArticle{UnitID: u.ID, Topic: d.topic, Title: d.title, Slug: service.Slug(d.title), Summary: d.summary, Body: body.String(),
			Picture: pp[0].Hash, Thumb: pp[1].Hash, PictureAlt: "Hình minh họa cho tin: " + d.title, Status: service.NewsDraft}
		author := audit.System("demo")
		if d.unit == HomeUnitCode {
			author = audit.Actor{UserID: writer.ID, Name: writer.Username}
		}
		if err := s.CreateNewsArticle(ctx, author, &a, pp); err != nil {
			return fmt.Errorf("demo news %q: %w", d.title, err)
		}
		at := day.AddDays(-max(d.ago, 0)).Time().Add(8*time.Hour + time.Duration(i*7)*time.Minute).Add(-7 * time.Hour)
		a.Status, a.SubmittedAt = service.NewsSubmitted, at.Add(-26*time.Hour)
		if d.ago >= 0 {
			a.Status, a.PublishedAt, a.ApprovedBy = service.NewsApproved, at, coord.ID
		}
		action := "news.approve"
		if d.ago < 0 {
			action = "news.submit"
		}
		if err := s.UpdateNewsArticle(ctx, audit.Actor{UserID: coord.ID, Name: coord.Username}, &a, a.Version, action, nil, nil); err != nil {
			return fmt.Errorf("demo news %q: %w", d.title, err)
		}
	}
	return nil
}
