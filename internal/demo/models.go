package demo

// Demo data of the "Dân vận khéo" movement for the 2021–2023 period the
// directive names: the criteria of each year and field (the usual ones of
// DOMAIN §5, weighted), thirty models and examples of communes, wards and
// provincial bodies as they were then, across the four fields, each
// evaluated by two evaluators and recognised at commune or province level
// in 2021, 2022 or 2023 with its figures and an illustration drawn here
// (no picture comes from elsewhere); a few replications; and, for today's
// work, a draft and a model under evaluation of Phường Hạc Thành.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"strconv"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// demoModel is one model of the demo; unit is a unit code valid on at.
type demoModel struct {
	unit, at      string
	kind, field   string
	name, summary string
	description   string
	results       []store.ModelResult
	level         string
	year          int
}

// modelCriteria are the usual criteria (DOMAIN §5), the same each year.
var modelCriteria = []store.ModelCriterion{
	{Code: "1", Name: "Gắn với nhiệm vụ chính trị, sự lãnh đạo, chỉ đạo của cấp ủy, chính quyền địa phương", Weight: 15, Guidance: "Có chủ trương, kế hoạch của cấp ủy, chính quyền; cụ thể hóa nghị quyết ở cơ sở."},
	{Code: "2", Name: "Huy động được nhiều lực lượng, nhiều người dân tham gia", Weight: 20, Guidance: "Số người, số hộ, số tổ chức tham gia; sự phối hợp giữa các đoàn thể."},
	{Code: "3", Name: "Mang lại kết quả thiết thực, đo đếm được", Weight: 25, Guidance: "Chấm theo số liệu kết quả có minh chứng."},
	{Code: "4", Name: "Được nhân dân đồng tình, ủng hộ", Weight: 15, Guidance: "Ý kiến của nhân dân, của Mặt trận và các đoàn thể nơi thực hiện."},
	{Code: "5", Name: "Giải quyết được vấn đề bức xúc, khó khăn ở địa phương", Weight: 15, Guidance: "Vấn đề trước đây kéo dài, nay được giải quyết dứt điểm."},
	{Code: "6", Name: "Bền vững, có khả năng nhân rộng", Weight: 10, Guidance: "Duy trì ít nhất một năm; có đơn vị khác học tập, áp dụng."},
}

const (
	pre = BeforeReform // the communes of 2021–2023
)

var demoModels = []demoModel{
	// Economy.
	{"15448", pre, service.ModelCollective, service.FieldEconomy, "Vận động nhân dân hiến đất mở rộng đường giao thông nông thôn",
		"126 hộ tự nguyện hiến đất, tháo dỡ tường rào để mở rộng 4,5 km đường liên thôn.",
		"Chi bộ các thôn họp bàn trước, đảng viên, cán bộ gương mẫu hiến đất trước; Mặt trận và các đoàn thể đến từng hộ vận động, công khai phương án, nhân dân giám sát thi công.",
		[]store.ModelResult{{Label: "Đất hiến", Value: 3200, Unit: "m²"}, {Label: "Đường mở rộng", Value: 4.5, Unit: "km"}, {Label: "Hộ hiến đất", Value: 126, Unit: "hộ"}},
		service.ModelLevelCommune, 2021},
	{"15673", pre, service.ModelCollective, service.FieldEconomy, "Tổ hợp tác trồng rau an toàn theo chuỗi",
		"Liên kết 48 hộ sản xuất rau an toàn, bao tiêu cho bếp ăn trường học và siêu thị.",
		"Hội Nông dân xã vận động các hộ góp đất, thống nhất quy trình sản xuất, ký hợp đồng tiêu thụ; cán bộ khuyến nông hướng dẫn tại ruộng.",
		[]store.ModelResult{{Label: "Hộ tham gia", Value: 48, Unit: "hộ"}, {Label: "Diện tích", Value: 12, Unit: "ha"}, {Label: "Thu nhập tăng", Value: 30, Unit: "%"}},
		service.ModelLevelCommune, 2022},
	{"15895", pre, service.ModelCollective, service.FieldEconomy, "Dồn điền đổi thửa, tích tụ ruộng đất để cơ giới hóa",
		"Từ 7 thửa bình quân mỗi hộ còn 1,8 thửa; 100% diện tích lúa làm đất bằng máy.",
		"Ban chỉ đạo xã tổ chức 32 cuộc họp thôn, lấy ý kiến từng hộ về phương án; phương án được niêm yết công khai và chỉ thực hiện khi trên 90% số hộ đồng thuận.",
		[]store.ModelResult{{Label: "Diện tích dồn đổi", Value: 285, Unit: "ha"}, {Label: "Thửa bình quân mỗi hộ", Value: 1.8, Unit: "thửa"}, {Label: "Cuộc họp thôn", Value: 32, Unit: "cuộc"}},
		service.ModelLevelProvince, 2021},
	{"16132", pre, service.ModelCollective, service.FieldEconomy, "Chi hội nông dân nghề nghiệp trồng và chế biến cói",
		"Giữ nghề cói truyền thống, tạo việc làm ổn định cho 160 lao động nữ lớn tuổi.",
		"Chi hội liên kết với hợp tác xã thủ công mỹ nghệ, mở lớp dạy nghề tại nhà văn hóa, hỗ trợ hội viên vay vốn mua máy dệt.",
		[]store.ModelResult{{Label: "Lao động có việc làm", Value: 160, Unit: "người"}, {Label: "Thu nhập bình quân", Value: 4.5, Unit: "triệu đồng/tháng"}},
		service.ModelLevelCommune, 2023},
	{"HND", Start, service.ModelCollective, service.FieldEconomy, "Liên kết sản xuất lúa chất lượng cao giữa nông dân và doanh nghiệp",
		"Hội Nông dân tỉnh làm cầu nối cho 3.400 hộ ký hợp đồng bao tiêu lúa chất lượng cao.",
		"Hội các cấp vận động hội viên sản xuất theo một giống, một lịch thời vụ; tổ chức đối thoại giữa nông dân và doanh nghiệp trước mỗi vụ.",
		[]store.ModelResult{{Label: "Hộ tham gia", Value: 3400, Unit: "hộ"}, {Label: "Diện tích liên kết", Value: 2100, Unit: "ha"}, {Label: "Lợi nhuận tăng", Value: 18, Unit: "%"}},
		service.ModelLevelProvince, 2022},
	{"15775", pre, service.ModelIndividual, service.FieldEconomy, "Ông Lê Văn Hùng — nông dân sản xuất, kinh doanh giỏi",
		"Trang trại tổng hợp tạo việc làm cho 25 lao động địa phương, giúp 12 hộ thoát nghèo.",
		"Ông chia sẻ kỹ thuật chăn nuôi, cho hộ nghèo mượn con giống và bao tiêu sản phẩm; tích cực vận động bà con tham gia xây dựng nông thôn mới.",
		[]store.ModelResult{{Label: "Lao động có việc làm", Value: 25, Unit: "người"}, {Label: "Hộ thoát nghèo", Value: 12, Unit: "hộ"}},
		service.ModelLevelCommune, 2023},
	{"HLHPN", Start, service.ModelCollective, service.FieldEconomy, "Phụ nữ khởi nghiệp — hỗ trợ vay vốn phát triển kinh tế hộ",
		"Hội Liên hiệp Phụ nữ tỉnh hỗ trợ 1.250 hội viên vay vốn, thành lập 86 tổ hợp tác do phụ nữ làm chủ.",
		"Hội các cấp tổ chức tập huấn khởi nghiệp, tư vấn lập phương án kinh doanh, giám sát sử dụng vốn vay qua các tổ tiết kiệm và vay vốn.",
		[]store.ModelResult{{Label: "Hội viên được vay vốn", Value: 1250, Unit: "người"}, {Label: "Tổ hợp tác", Value: 86, Unit: "tổ"}, {Label: "Dư nợ", Value: 62, Unit: "tỷ đồng"}},
		service.ModelLevelProvince, 2021},
	{"15556", pre, service.ModelCollective, service.FieldEconomy, "Vận động hộ kinh doanh thanh toán không dùng tiền mặt",
		"92% hộ kinh doanh ở chợ thị trấn nhận thanh toán bằng mã QR.",
		"Đoàn Thanh niên lập tổ công nghệ số, đến từng ki-ốt hướng dẫn mở tài khoản, in mã QR; Hội Phụ nữ vận động hội viên tiểu thương.",
		[]store.ModelResult{{Label: "Hộ kinh doanh dùng mã QR", Value: 92, Unit: "%"}, {Label: "Đoàn viên tham gia", Value: 40, Unit: "người"}},
		service.ModelLevelCommune, 2023},

	// Culture and society.
	{"14842", pre, service.ModelCollective, service.FieldCultureSociety, "Tuyến phố văn minh du lịch",
		"Không còn chèo kéo, ép giá khách du lịch trên tuyến phố ven biển dài 1,2 km.",
		"Tổ dân phố ký cam kết với 74 hộ kinh doanh, niêm yết giá công khai; tổ tự quản thay phiên kiểm tra, nhắc nhở.",
		[]store.ModelResult{{Label: "Hộ kinh doanh cam kết", Value: 74, Unit: "hộ"}, {Label: "Phản ánh của du khách", Value: 0, Unit: "vụ"}},
		service.ModelLevelCommune, 2022},
	{"14926", pre, service.ModelCollective, service.FieldCultureSociety, "Bảo tồn bản sắc văn hóa dân tộc Thái gắn với du lịch cộng đồng",
		"Khôi phục 3 đội văn nghệ truyền thống, 15 hộ làm homestay đón hơn 6.000 lượt khách mỗi năm.",
		"Cấp ủy giao đảng viên phụ trách từng nhóm hộ; người có uy tín trong bản truyền dạy dân ca, dệt thổ cẩm cho thanh thiếu niên.",
		[]store.ModelResult{{Label: "Đội văn nghệ khôi phục", Value: 3, Unit: "đội"}, {Label: "Hộ làm homestay", Value: 15, Unit: "hộ"}, {Label: "Lượt khách mỗi năm", Value: 6000, Unit: "lượt"}},
		service.ModelLevelProvince, 2023},
	{"15118", pre, service.ModelIndividual, service.FieldCultureSociety, "Bà Phạm Thị Lan — chi hội trưởng phụ nữ vận động xóa bỏ tảo hôn",
		"Ba năm liền không có trường hợp tảo hôn trong thôn.",
		"Bà đến từng gia đình có con tuổi vị thành niên, phối hợp với nhà trường và trưởng thôn tổ chức các buổi nói chuyện về pháp luật hôn nhân.",
		[]store.ModelResult{{Label: "Buổi truyền thông", Value: 24, Unit: "buổi"}, {Label: "Trường hợp tảo hôn", Value: 0, Unit: "trường hợp"}},
		service.ModelLevelCommune, 2021},
	{"S-YT", Start, service.ModelCollective, service.FieldCultureSociety, "Cán bộ y tế “ba đến”: đến từng nhà, đến từng người, đến tận nơi",
		"Tỷ lệ tiêm chủng đầy đủ cho trẻ em vùng cao tăng từ 81% lên 97%.",
		"Trạm y tế phối hợp với y tế thôn bản, Hội Phụ nữ lập danh sách từng trẻ; tổ chức điểm tiêm lưu động ở các bản xa.",
		[]store.ModelResult{{Label: "Tiêm chủng đầy đủ", Value: 97, Unit: "%"}, {Label: "Điểm tiêm lưu động", Value: 140, Unit: "điểm"}},
		service.ModelLevelProvince, 2021},
	{"16015", pre, service.ModelCollective, service.FieldCultureSociety, "Thôn “sáng — xanh — sạch — đẹp”",
		"Nhân dân góp công, góp tiền lắp 320 đèn đường và trồng 2 km hàng rào xanh.",
		"Thôn họp dân bàn và quyết định mức đóng góp, công khai thu chi hằng tháng tại nhà văn hóa; mỗi hộ tự quản đoạn đường trước nhà.",
		[]store.ModelResult{{Label: "Đèn đường", Value: 320, Unit: "bóng"}, {Label: "Hàng rào xanh", Value: 2, Unit: "km"}, {Label: "Nhân dân đóng góp", Value: 640, Unit: "triệu đồng"}},
		service.ModelLevelCommune, 2022},
	{"S-GDDT", Start, service.ModelCollective, service.FieldCultureSociety, "“Nuôi em” — vận động học sinh vùng cao đến trường",
		"1.900 học sinh bán trú được bảo đảm bữa trưa; tỷ lệ bỏ học giảm còn dưới 0,5%.",
		"Ngành giáo dục kêu gọi cán bộ, giáo viên và nhà hảo tâm nhận đỡ đầu học sinh; giáo viên đến nhà vận động phụ huynh cho con đi học đều.",
		[]store.ModelResult{{Label: "Học sinh được đỡ đầu", Value: 1900, Unit: "em"}, {Label: "Tỷ lệ bỏ học", Value: 0.4, Unit: "%"}},
		service.ModelLevelProvince, 2022},
	{"15331", pre, service.ModelCollective, service.FieldCultureSociety, "Câu lạc bộ dưỡng sinh người cao tuổi",
		"280 hội viên tập luyện đều đặn, chăm sóc sức khỏe và tham gia hòa giải ở thôn.",
		"Hội Người cao tuổi lập câu lạc bộ ở cả 9 thôn, mời y tế xã khám sức khỏe định kỳ; hội viên gương mẫu vận động con cháu chấp hành pháp luật.",
		[]store.ModelResult{{Label: "Hội viên", Value: 280, Unit: "người"}, {Label: "Câu lạc bộ", Value: 9, Unit: "câu lạc bộ"}},
		service.ModelLevelCommune, 2023},
	{"TD", Start, service.ModelCollective, service.FieldCultureSociety, "Thanh niên tình nguyện “Thắp sáng đường quê”",
		"Đoàn viên các cấp lắp 5.600 bóng đèn năng lượng mặt trời trên đường thôn.",
		"Tỉnh đoàn phát động, đoàn cơ sở vận động nguồn lực xã hội hóa; thanh niên tự lắp đặt và bàn giao cho thôn quản lý.",
		[]store.ModelResult{{Label: "Đèn năng lượng mặt trời", Value: 5600, Unit: "bóng"}, {Label: "Đường được chiếu sáng", Value: 210, Unit: "km"}},
		service.ModelLevelProvince, 2023},

	// Defence and security.
	{"15022", pre, service.ModelCollective, service.FieldDefenceSecurity, "Tổ tự quản an ninh trật tự bản biên giới",
		"Bốn năm không có người vượt biên trái phép, không có ma túy trong bản.",
		"Đồn Biên phòng phối hợp với cấp ủy xã lập tổ tự quản gồm già làng, trưởng bản, dân quân; mỗi đảng viên phụ trách một nhóm hộ.",
		[]store.ModelResult{{Label: "Tổ tự quản", Value: 6, Unit: "tổ"}, {Label: "Tin báo giúp xử lý vụ việc", Value: 17, Unit: "tin"}},
		service.ModelLevelProvince, 2021},
	{"16396", pre, service.ModelCollective, service.FieldDefenceSecurity, "Camera an ninh — cùng dân giữ bình yên khu phố",
		"Nhân dân góp tiền lắp 96 camera; trộm cắp tài sản giảm 70%.",
		"Công an phường và tổ dân phố vận động nhân dân đóng góp, công khai vị trí lắp đặt và cách sử dụng dữ liệu; hình ảnh chỉ dùng để phòng ngừa, xử lý vi phạm.",
		[]store.ModelResult{{Label: "Camera", Value: 96, Unit: "chiếc"}, {Label: "Trộm cắp giảm", Value: 70, Unit: "%"}},
		service.ModelLevelCommune, 2022},
	{"16336", pre, service.ModelCollective, service.FieldDefenceSecurity, "Tổ hòa giải ở cơ sở “ba không”",
		"Không để mâu thuẫn kéo dài, không để vượt cấp, không để phát sinh điểm nóng.",
		"Tổ hòa giải có người có uy tín, cựu chiến binh, cán bộ hưu trí; hòa giải ngay khi có mâu thuẫn, theo dõi sau hòa giải.",
		[]store.ModelResult{{Label: "Vụ việc hòa giải thành", Value: 58, Unit: "vụ"}, {Label: "Tỷ lệ hòa giải thành", Value: 93, Unit: "%"}},
		service.ModelLevelCommune, 2022},
	{"HCCB", Start, service.ModelCollective, service.FieldDefenceSecurity, "Cựu chiến binh tham gia giữ gìn an ninh trật tự, phòng, chống ma túy",
		"420 chi hội cựu chiến binh nhận quản lý, giúp đỡ người sau cai nghiện tái hòa nhập cộng đồng.",
		"Mỗi hội viên nhận giúp đỡ một người; Hội phối hợp với công an và gia đình, tạo việc làm cho người sau cai nghiện.",
		[]store.ModelResult{{Label: "Chi hội tham gia", Value: 420, Unit: "chi hội"}, {Label: "Người được giúp đỡ", Value: 610, Unit: "người"}, {Label: "Không tái nghiện", Value: 82, Unit: "%"}},
		service.ModelLevelProvince, 2022},
	{"16510", pre, service.ModelIndividual, service.FieldDefenceSecurity, "Ông Nguyễn Văn Sơn — trưởng ban công tác Mặt trận thôn",
		"Trực tiếp hòa giải thành 40 vụ việc tranh chấp đất đai, mâu thuẫn gia đình.",
		"Ông kiên trì gặp từng bên, giải thích pháp luật, đề xuất phương án có lý, có tình; được nhân dân tin tưởng.",
		[]store.ModelResult{{Label: "Vụ việc hòa giải thành", Value: 40, Unit: "vụ"}},
		service.ModelLevelCommune, 2023},
	{"16633", pre, service.ModelCollective, service.FieldDefenceSecurity, "Tổ đoàn kết ngư dân bám biển",
		"35 tổ đoàn kết với 210 tàu cá hỗ trợ nhau trên biển, không có tàu vi phạm vùng biển nước ngoài.",
		"Hội Nghề cá và Đồn Biên phòng tổ chức tổ đoàn kết, tuyên truyền pháp luật về biển; tàu cá được lắp thiết bị giám sát hành trình.",
		[]store.ModelResult{{Label: "Tổ đoàn kết", Value: 35, Unit: "tổ"}, {Label: "Tàu cá", Value: 210, Unit: "tàu"}, {Label: "Tàu vi phạm", Value: 0, Unit: "tàu"}},
		service.ModelLevelCommune, 2021},
	{"15223", pre, service.ModelCollective, service.FieldDefenceSecurity, "Dân vận khéo trong phòng, chống cháy rừng",
		"Ba mùa khô liền không xảy ra cháy rừng trên 1.800 ha rừng sản xuất.",
		"Các hộ nhận khoán rừng ký cam kết, lập tổ xung kích ở từng thôn; kiểm lâm và xã tổ chức diễn tập có nhân dân tham gia.",
		[]store.ModelResult{{Label: "Diện tích rừng được bảo vệ", Value: 1800, Unit: "ha"}, {Label: "Vụ cháy rừng", Value: 0, Unit: "vụ"}},
		service.ModelLevelCommune, 2023},

	// Building the political system.
	{"TU-BDV", beforeDepts, service.ModelCollective, service.FieldPoliticalSystem, "“Ngày thứ bảy cùng dân” của cơ quan dân vận",
		"Cán bộ cơ quan dân vận các cấp dành ngày thứ bảy về cơ sở nắm tình hình, cùng làm với dân.",
		"Mỗi tháng một ngày thứ bảy, cán bộ về thôn, khu phố dự sinh hoạt chi bộ, họp dân, tiếp nhận kiến nghị và theo dõi việc giải quyết.",
		[]store.ModelResult{{Label: "Lượt cán bộ xuống cơ sở", Value: 2300, Unit: "lượt"}, {Label: "Kiến nghị được giải quyết", Value: 460, Unit: "kiến nghị"}},
		service.ModelLevelProvince, 2021},
	{"MTTQ", Start, service.ModelCollective, service.FieldPoliticalSystem, "Đối thoại định kỳ giữa người đứng đầu cấp ủy, chính quyền với nhân dân",
		"Mặt trận các cấp tổ chức 1.100 hội nghị đối thoại; 95% kiến nghị được trả lời tại chỗ hoặc bằng văn bản.",
		"Mặt trận tổng hợp kiến nghị trước hội nghị, mời người đứng đầu đối thoại trực tiếp và giám sát việc thực hiện cam kết sau đối thoại.",
		[]store.ModelResult{{Label: "Hội nghị đối thoại", Value: 1100, Unit: "hội nghị"}, {Label: "Kiến nghị được trả lời", Value: 95, Unit: "%"}},
		service.ModelLevelProvince, 2023},
	{"14755", pre, service.ModelCollective, service.FieldPoliticalSystem, "Chi bộ khu phố gắn với tổ dân phố tự quản",
		"Mỗi đảng viên phụ trách 10–15 hộ; mọi việc lớn của khu phố được bàn với dân trước khi làm.",
		"Chi bộ ra nghị quyết chuyên đề, phân công đảng viên theo cụm hộ; kết quả được báo cáo tại sinh hoạt chi bộ hằng tháng.",
		[]store.ModelResult{{Label: "Đảng viên phụ trách hộ", Value: 64, Unit: "đảng viên"}, {Label: "Hộ được phụ trách", Value: 820, Unit: "hộ"}},
		service.ModelLevelCommune, 2022},
	{"LDLD", Start, service.ModelCollective, service.FieldPoliticalSystem, "Đối thoại tại nơi làm việc trong doanh nghiệp",
		"Công đoàn cơ sở ở 230 doanh nghiệp tổ chức đối thoại định kỳ, không có ngừng việc tập thể.",
		"Liên đoàn Lao động hướng dẫn công đoàn cơ sở lấy ý kiến người lao động trước đối thoại, giám sát thực hiện thỏa thuận.",
		[]store.ModelResult{{Label: "Doanh nghiệp đối thoại", Value: 230, Unit: "doanh nghiệp"}, {Label: "Người lao động được hưởng lợi", Value: 98000, Unit: "người"}},
		service.ModelLevelProvince, 2023},
	{"16228", pre, service.ModelIndividual, service.FieldPoliticalSystem, "Bà Lê Thị Hoa — bí thư chi bộ “nói đi đôi với làm”",
		"Khu phố của bà ba năm liền được công nhận khu dân cư văn hóa, không có đơn thư vượt cấp.",
		"Bà gương mẫu thực hiện trước, thường xuyên đến nhà dân lắng nghe, giải quyết kịp thời những kiến nghị ngay tại cơ sở.",
		[]store.ModelResult{{Label: "Kiến nghị giải quyết tại cơ sở", Value: 37, Unit: "kiến nghị"}},
		service.ModelLevelCommune, 2021},
	{"15775", pre, service.ModelCollective, service.FieldPoliticalSystem, "Tiếp nhận và trả lời phản ánh của nhân dân qua nhóm mạng xã hội của thôn",
		"Mọi phản ánh được trả lời trong 3 ngày làm việc; 310 phản ánh đã được xử lý.",
		"Mỗi thôn một nhóm do trưởng thôn và bí thư chi bộ quản lý; cán bộ xã được phân công theo dõi và trả lời công khai trong nhóm.",
		[]store.ModelResult{{Label: "Phản ánh được xử lý", Value: 310, Unit: "phản ánh"}, {Label: "Thời hạn trả lời", Value: 3, Unit: "ngày làm việc"}},
		service.ModelLevelCommune, 2022},
	{"16132", pre, service.ModelCollective, service.FieldPoliticalSystem, "Công khai, minh bạch thu chi các khoản đóng góp của nhân dân",
		"Mọi khoản đóng góp được niêm yết tại nhà văn hóa và thông báo trên loa truyền thanh hằng tháng.",
		"Ban thanh tra nhân dân giám sát thu chi; cuối năm thôn họp dân quyết toán công khai.",
		[]store.ModelResult{{Label: "Khoản đóng góp công khai", Value: 100, Unit: "%"}, {Label: "Ý kiến thắc mắc", Value: 0, Unit: "ý kiến"}},
		service.ModelLevelCommune, 2021},
}

// demoReplications: the model (index in demoModels) replicated by a unit.
var demoReplications = []struct {
	model     int
	unit, at  string
	startedOn string
	status    string
	note      string
}{
	{0, "15673", pre, "2022-03-01", service.ReplicationDone, "Mở rộng 2,1 km đường thôn Tiến Thành."},
	{0, "15331", pre, "2023-02-15", service.ReplicationSpreading, ""},
	{2, "15775", pre, "2022-09-01", service.ReplicationDone, "Dồn đổi 140 ha."},
	{11, "14926", pre, "2022-01-10", service.ReplicationDone, ""},
	{17, "14755", pre, "2023-04-01", service.ReplicationSpreading, "Lắp 40 camera ở 4 khu phố."},
	{24, "HLHPN", Start, "2024-03-08", service.ReplicationStarted, "Hội Phụ nữ các cấp tham gia đối thoại."},
}

// fieldColours are the illustration's colours of each field: sky, land, accent.
var fieldColours = map[string][3]color.RGBA{
	service.FieldEconomy:         {{200, 230, 245, 255}, {70, 140, 60, 255}, {230, 190, 40, 255}},
	service.FieldCultureSociety:  {{250, 225, 200, 255}, {190, 90, 50, 255}, {160, 30, 60, 255}},
	service.FieldDefenceSecurity: {{210, 225, 240, 255}, {40, 90, 140, 255}, {200, 40, 40, 255}},
	service.FieldPoliticalSystem: {{245, 215, 215, 255}, {170, 30, 40, 255}, {250, 210, 50, 255}},
}

// illustration draws a simple landscape in the field's colours: a sky, a
// sun, hills and a row of houses, varied by n. It stands for the photos a
// unit would upload.
func illustration(field string, n int) []byte {
	const w, h = 960, 640
	c := fieldColours[field]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sunX, sunY := float64(160+(n*97)%640), float64(110+(n*37)%80)
	for y := range h {
		for x := range w {
			t := float64(y) / h
			px := color.RGBA{uint8(float64(c[0].R) * (1 - t*0.3)), uint8(float64(c[0].G) * (1 - t*0.3)), uint8(float64(c[0].B) * (1 - t*0.2)), 255}
			if math.Hypot(float64(x)-sunX, float64(y)-sunY) < 55 {
				px = c[2]
			}
			hill := 400 + 60*math.Sin(float64(x)/(90+float64(n%5)*15)+float64(n))
			if float64(y) > hill {
				shade := 1 - (float64(y)-hill)/900
				px = color.RGBA{uint8(float64(c[1].R) * shade), uint8(float64(c[1].G) * shade), uint8(float64(c[1].B) * shade), 255}
			}
			// Houses: walls and roofs along the bottom.
			if y > 470 && y < 580 {
				i := (x + n*23) / 120
				xx := (x + n*23) % 120
				if xx > 20 && xx < 100 && y > 510 {
					px = color.RGBA{245, 240, 230, 255}
					if xx > 50 && xx < 70 && y > 540 {
						px = color.RGBA{120, 80, 50, 255}
					}
				} else if xx > 10 && xx < 110 && y <= 510 && float64(510-y) < 40-math.Abs(float64(xx-60))*0.8 && i%2 == n%2 {
					px = c[2]
				}
			}
			img.SetRGBA(x, y, px)
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88})
	return buf.Bytes()
}

func loadModels(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	day := today(s)
	thisYear := day.Year()
	users := map[string]int64{}
	for _, name := range []string{"dieuphoi", "lanhdao", "canbo"} {
		u, err := s.UserByName(ctx, name)
		if err != nil {
			return fmt.Errorf("demo models: %w", err)
		}
		users[name] = u.ID
	}
	// The criteria of 2021–2023 and of this year, for every field.
	criteria := map[string][]store.ModelCriterion{}
	for _, y := range []int{2021, 2022, 2023, thisYear} {
		for _, f := range service.ModelFields {
			cs := append([]store.ModelCriterion(nil), modelCriteria...)
			if err := s.ReplaceModelCriteria(ctx, a, y, f, cs); err != nil {
				return fmt.Errorf("demo criteria %d %s: %w", y, f, err)
			}
			criteria[strconv.Itoa(y)+f] = cs
		}
	}
	evaluate := func(m store.Model, year, n int) error {
		cs := criteria[strconv.Itoa(year)+m.Field]
		for k, ev := range []string{"dieuphoi", "lanhdao"} {
			if err := s.AssignModelEvaluator(ctx, a, m.ID, users[ev]); err != nil {
				return err
			}
			e := store.ModelEvaluation{ModelID: m.ID, EvaluatorID: users[ev]}
			points := map[int64]int{}
			for i, c := range cs {
				p := 7 + (n+i+k)%4 // 7–10
				points[c.ID] = p
				e.Scores = append(e.Scores, store.ModelScore{CriterionID: c.ID, Score: p})
			}
			e.Total = service.WeightedTotal(cs, points)
			if k == 0 {
				e.Comment = "Cách làm sáng tạo, có số liệu minh chứng rõ ràng; đề nghị công nhận."
			}
			if err := s.SaveModelEvaluation(ctx, audit.Actor{UserID: users[ev], Name: ev}, &e); err != nil {
				return err
			}
		}
		return nil
	}
	ids := make([]int64, len(demoModels))
	for i, d := range demoModels {
		u, err := s.UnitByCode(ctx, d.unit, d.at)
		if err != nil {
			return fmt.Errorf("demo model %d unit %s: %w", i, d.unit, err)
		}
		commune := int64(0)
		if u.Kind == "commune" || u.Kind == "ward" || u.Kind == "township" {
			commune = u.ID
		}
		m := store.Model{Kind: d.kind, Name: d.name, Field: d.field, UnitID: u.ID, CommuneID: commune,
			PeriodFrom: fmt.Sprintf("%d-01-01", d.year-1), PeriodTo: fmt.Sprintf("%d-10-31", d.year), Summary: d.summary, Description: d.description,
			Results: d.results, Links: []string{}, Status: service.ModelSubmitted}
		if err := s.CreateModel(ctx, a, &m); err != nil {
			return fmt.Errorf("demo model %d: %w", i, err)
		}
		ids[i] = m.ID
		for k := range 1 + i%2 {
			f, err := service.PrepareModelFile(service.UploadFile{Name: fmt.Sprintf("minh-hoa-%d-%d.jpg", i+1, k+1), Data: illustration(d.field, i*3+k)})
			if err != nil {
				return fmt.Errorf("demo model %d picture: %w", i, err)
			}
			f.ModelID, f.Caption = m.ID, "Hình minh họa của bản trình diễn"
			if err := s.AddModelFile(ctx, a, &f); err != nil {
				return err
			}
		}
		if err := evaluate(m, d.year, i); err != nil {
			return fmt.Errorf("demo model %d evaluation: %w", i, err)
		}
		rec := store.ModelRecognition{ModelID: m.ID, Level: d.level, Year: d.year, DecidedOn: fmt.Sprintf("%d-12-%02d", d.year, 10+i%15)}
		if d.level == service.ModelLevelProvince {
			rec.DecisionNo = fmt.Sprintf("%d-QĐ/TU", 1800+i*7)
			rec.Commendation = "Bằng khen của Ban Thường vụ Tỉnh ủy"
		} else {
			rec.DecisionNo = fmt.Sprintf("%d/QĐ-UBND", 120+i*3)
			rec.Commendation = "Giấy khen của Chủ tịch Ủy ban nhân dân xã"
		}
		if err := s.RecognizeModel(ctx, a, rec, m.Version); err != nil {
			return fmt.Errorf("demo model %d recognition: %w", i, err)
		}
	}
	for _, r := range demoReplications {
		u, err := s.UnitByCode(ctx, r.unit, r.at)
		if err != nil {
			return fmt.Errorf("demo replication %s: %w", r.unit, err)
		}
		rep := store.ModelReplication{ModelID: ids[r.model], UnitID: u.ID, StartedOn: r.startedOn, Status: r.status, Note: r.note}
		if err := s.SaveModelReplication(ctx, a, &rep); err != nil {
			return err
		}
	}
	// Today's work in Phường Hạc Thành: a model under evaluation and a draft.
	hac, err := s.UnitByCode(ctx, "14797", ReformDay)
	if err != nil {
		return err
	}
	officer := audit.Actor{UserID: users["canbo"], Name: "canbo"}
	from := day.AddDays(-300).String()
	sub := store.Model{Kind: service.ModelCollective, Name: "Tổ công nghệ số cộng đồng hỗ trợ dịch vụ công trực tuyến", Field: service.FieldPoliticalSystem,
		UnitID: hac.ID, CommuneID: hac.ID, PeriodFrom: from, Summary: "Đoàn viên thanh niên hướng dẫn người dân nộp hồ sơ trực tuyến tại nhà văn hóa khu phố.",
		Description: "Mỗi khu phố một tổ công nghệ số; trực vào tối thứ năm và sáng chủ nhật; hướng dẫn cài ứng dụng định danh điện tử và nộp hồ sơ dịch vụ công.",
		Results:     []store.ModelResult{{Label: "Lượt người dân được hướng dẫn", Value: 2350, Unit: "lượt"}, {Label: "Hồ sơ nộp trực tuyến", Value: 1120, Unit: "hồ sơ"}},
		Links:       []string{}, Status: service.ModelSubmitted}
	if err := s.CreateModel(ctx, officer, &sub); err != nil {
		return err
	}
	if err := s.AssignModelEvaluator(ctx, a, sub.ID, users["lanhdao"]); err != nil {
		return err
	}
	if err := s.AssignModelEvaluator(ctx, a, sub.ID, users["dieuphoi"]); err != nil {
		return err
	}
	draft := store.Model{Kind: service.ModelCollective, Name: "Vận động nhân dân chỉnh trang đô thị sau sắp xếp đơn vị hành chính", Field: service.FieldCultureSociety,
		UnitID: hac.ID, CommuneID: hac.ID, PeriodFrom: ReformDay, Summary: "Khu phố tự quản vỉa hè, cây xanh sau khi hợp nhất phường.",
		Results: []store.ModelResult{}, Links: []string{}, Status: service.ModelDraft}
	return s.CreateModel(ctx, officer, &draft)
}
