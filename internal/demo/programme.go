package demo

// Demo data of the programme part: directive 1470-CV/TU of 22 Feb 2024 with
// its ten tasks, its addressees, assignments to provincial bodies and to ten
// communes and wards, and the plans of those units with progress — a
// lived-in mix of done, late, at-risk and on-track activities relative to
// the day the demo is loaded.

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/programme"
	"github.com/danvan/danvan/internal/store"
)

// Language versions. The source in the seed (../shared/seed) is a Japanese
// translation of a Vietnamese provincial news item on 1470-CV/TU. The
// Vietnamese text below is the working text (is_translation = false): it
// was re-edited from that translation, restoring what the Japanese leaves
// out where the Vietnamese wording is known (the titles of the documents in
// task 1), and it ends with one note on its source (SourceNoteVI). The
// Japanese text is kept VERBATIM as a stored source version, and marked as
// a translation, which it is; English is a translation of the Vietnamese.

// DirectiveNumber is the demo directive.
const DirectiveNumber = "1470-CV/TU"

const directiveTitleVI = "Về việc lãnh đạo, chỉ đạo thực hiện Năm 2024 - “Năm tăng cường công tác dân vận của cơ quan nhà nước và chính quyền các cấp”"

const directiveTitleEN = "On leading and directing the implementation of 2024 as the “Year of strengthening mass-mobilisation work of state agencies and government at all levels”"

// directiveTitleJA is a verbatim span of the seed's first sentence.
const directiveTitleJA = "2024年「各レベルの国家機関と政府の大衆動員活動を強化する年」の実施を指導および指揮すること"

const directiveBodyVI = `Thời gian qua, các cấp ủy đảng, chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội trong tỉnh đã quan tâm lãnh đạo, chỉ đạo và thực hiện công tác dân vận của cơ quan nhà nước, chính quyền các cấp, đạt nhiều kết quả tích cực. Ý thức phục vụ Nhân dân của cán bộ, công chức, viên chức, nhất là người đứng đầu cơ quan nhà nước, chính quyền các cấp được nâng lên; nội dung, phương thức lãnh đạo, chỉ đạo tiếp tục được đổi mới; nhiều cơ chế, chính sách được ban hành, triển khai kịp thời, tác động tích cực đến đời sống Nhân dân; dân chủ được phát huy, niềm tin của Nhân dân đối với sự lãnh đạo của cấp ủy và sự quản lý, điều hành của chính quyền được củng cố. Khối đại đoàn kết toàn dân tộc tiếp tục được phát huy, tạo sự đồng thuận trong hệ thống chính trị và xã hội, góp phần thúc đẩy phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh, nâng cao đời sống vật chất, tinh thần của Nhân dân.
Để tiếp tục thực hiện có hiệu quả công tác dân vận của cơ quan nhà nước, chính quyền các cấp, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, chính quyền, Mặt trận Tổ quốc, các tổ chức chính trị - xã hội trong tỉnh thực hiện tốt các nội dung sau.
Ban Dân vận Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan theo dõi, kiểm tra, giám sát, đôn đốc việc thực hiện văn bản này, định kỳ báo cáo Ban Thường vụ Tỉnh ủy.
` + SourceNoteVI

const directiveBodyEN = `In recent years the party committees, government bodies, the Fatherland Front and the socio-political organisations of the province have given attention to leading, directing and carrying out mass-mobilisation work in state agencies and government at all levels, with good results. Officials' sense of serving the people, above all that of the heads of state agencies and of government at all levels, has grown; the content and methods of leadership and direction keep being renewed; many mechanisms and policies have been issued and implemented in time, with a positive effect on people's lives; democracy has been promoted and the people's trust in the party committees' leadership and the government's management has been strengthened. The great unity of the whole nation has been further promoted, building consensus in the political system and in society and helping to advance socio-economic development, ensure defence and security and improve the people's material and spiritual life.
To continue carrying out mass-mobilisation work of state agencies and government at all levels effectively, the Provincial Standing Committee asks the party committees, government bodies, the Fatherland Front and the socio-political organisations of the province to carry out the following well.
The Provincial Mass Mobilisation Commission presides and coordinates with the agencies concerned to monitor, inspect, supervise and urge the implementation of this document, and reports periodically to the Provincial Standing Committee.
` + sourceNoteEN

// SourceNoteVI closes the Vietnamese working text: where it comes from.
const SourceNoteVI = "Nguồn: bản tin về Công văn số 1470-CV/TU ngày 22/02/2024 của Ban Thường vụ Tỉnh ủy Thanh Hóa; văn bản tiếng Việt được biên soạn lại từ bản dịch tiếng Nhật của bản tin, không phải nguyên văn chính thức của công văn."

const sourceNoteEN = "Source: a news item on document 1470-CV/TU of 22 February 2024 of the Standing Committee of the Thanh Hóa Provincial Party Committee; the Vietnamese text was re-edited from a Japanese translation of the news item and is not the official wording of the document."

type demoTask struct {
	weight          float64
	titleVI, bodyVI string
	titleEN, bodyEN string
}

// demoTasks are the ten tasks: the Vietnamese working text and its English translation.
var demoTasks = [10]demoTask{
	{1, "Quán triệt, triển khai các quy định của Trung ương và của tỉnh về công tác dân vận",
		"Tăng cường tuyên truyền, phổ biến, quán triệt và tổ chức thực hiện có hiệu quả các chủ trương, nghị quyết, quy chế, quy định của Trung ương và của tỉnh về công tác dân vận, trọng tâm là Quyết định số 23-QĐ/TW ngày 30/7/2021 của Bộ Chính trị về ban hành Quy chế công tác dân vận của hệ thống chính trị; Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư về nâng cao hiệu quả công tác dân vận của cơ quan nhà nước, chính quyền các cấp; Chỉ thị số 33/2021/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tiếp tục tăng cường công tác dân vận của cơ quan nhà nước và chính quyền các cấp trong tình hình mới; Kết luận số 267-KL/TU ngày 25/12/2017 của Ban Thường vụ Tỉnh ủy về đổi mới phương thức, nâng cao chất lượng, hiệu quả công tác dân vận của hệ thống chính trị các cấp trong tình hình mới; Quyết định số 763-QĐ/TU ngày 15/10/2021 của Ban Thường vụ Tỉnh ủy về ban hành Quy chế công tác dân vận của hệ thống chính trị tỉnh. Tập trung tuyên truyền, quán triệt sâu sắc về công tác dân vận của cơ quan nhà nước, chính quyền các cấp, tạo chuyển biến mạnh mẽ trong nhận thức và hành động của cán bộ, công chức, viên chức và Nhân dân, góp phần đổi mới tác phong, lề lối làm việc, nâng cao tinh thần trách nhiệm phục vụ Nhân dân, xây dựng cơ quan nhà nước, chính quyền các cấp “kỷ cương, trách nhiệm, hành động, sáng tạo, phát triển”.",
		"Disseminate and implement the central and provincial rules on mass mobilisation",
		"Step up the dissemination, thorough understanding and effective implementation of the central and provincial guidelines, resolutions, regulations and rules on mass mobilisation, above all Politburo Decision 23-QĐ/TW of 30 July 2021 issuing the Regulation on mass-mobilisation work of the political system; Secretariat Conclusion 114-KL/TW of 14 July 2015 on raising the effectiveness of mass-mobilisation work of state agencies and government at all levels; Prime Minister's Directive 33/2021/CT-TTg of 26 November 2021 on continuing to strengthen mass-mobilisation work of state agencies and government at all levels in the new situation; the Provincial Standing Committee's Conclusion 267-KL/TU of 25 December 2017 on renewing the methods and raising the quality and effectiveness of mass-mobilisation work of the political system at all levels in the new situation; and its Decision 763-QĐ/TU of 15 October 2021 issuing the Regulation on mass-mobilisation work of the political system of the province. Focus on publicising mass-mobilisation work of state agencies and government at all levels, bring about a strong change in the awareness and action of officials, civil servants, public employees and the people, renew working styles and methods, raise the sense of responsibility for serving the people, and build state agencies and government at all levels with “discipline, responsibility, action, creativity, development”."},
	{1, "Cụ thể hóa chủ trương, chính sách về công tác dân vận gắn với nhiệm vụ chính trị",
		"Tiếp tục cụ thể hóa chủ trương, nghị quyết của Đảng, chính sách, pháp luật của Nhà nước về công tác dân vận gắn với nhiệm vụ phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh và xây dựng hệ thống cơ quan hành chính nhà nước, chính quyền các cấp trong sạch, vững mạnh. Thực hiện hiệu quả phương châm “dân biết, dân bàn, dân làm, dân giám sát, dân thụ hưởng”, khơi dậy tiềm năng, sức sáng tạo và vai trò chủ thể của Nhân dân, góp phần hoàn thành thắng lợi mục tiêu, nhiệm vụ chính trị của địa phương, cơ quan, đơn vị và của tỉnh.",
		"Turn party policy on mass mobilisation into plans tied to the political tasks",
		"Keep turning the party's policies and resolutions and the state's policies and laws on mass mobilisation into concrete measures, linked with socio-economic development, defence and security, and with building clean and strong state administrative agencies and government at all levels. Apply effectively the motto “people know, people discuss, people do, people supervise, people benefit”, release the people's potential, creativity and role as masters, and help localities, agencies, units and the province reach their political goals and tasks."},
	{1.5, "Cải cách hành chính; mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”",
		"Thực hiện đồng bộ các giải pháp cải cách hành chính, thủ tục hành chính, cung cấp dịch vụ công; xây dựng nền hành chính nhà nước và chính quyền các cấp chuyên nghiệp, hiệu quả, minh bạch, dân chủ, thân thiện, gần dân. Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong lãnh đạo, quản lý, phục vụ người dân và doanh nghiệp; tập trung rà soát, đơn giản hóa quy trình, thủ tục, rút ngắn thời gian giải quyết thủ tục hành chính, nhất là trong các lĩnh vực liên quan trực tiếp đến tổ chức, doanh nghiệp và người dân. Phát triển, nhân rộng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” ở các xã, phường, thị trấn trong tỉnh; triển khai mô hình tại các sở, ban, ngành cấp tỉnh và cấp huyện.",
		"Administrative reform; the “friendly government serving the people” model",
		"Carry out administrative reform, improve administrative procedures and public services together; build a professional, efficient, transparent, democratic, friendly state administration and government at all levels, close to the people. Make more use of information technology and digital transformation in leadership, management and service to people and businesses; review and simplify processes and procedures and shorten the time taken to settle administrative procedures, above all in fields that directly concern organisations, businesses and citizens. Develop and spread the “friendly government serving the people” model in every commune, ward and town of the province, and apply it in provincial and district departments and agencies."},
	{1.5, "Thực hiện dân chủ ở cơ sở; tiếp công dân, giải quyết khiếu nại, tố cáo; đối thoại, hòa giải",
		"Lãnh đạo, chỉ đạo thực hiện nghiêm túc, hiệu quả Luật Thực hiện dân chủ ở cơ sở trong cơ quan hành chính nhà nước, chính quyền các cấp. Nâng cao chất lượng, hiệu quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo; tăng cường đối thoại, lắng nghe, giải quyết kịp thời, dứt điểm những kiến nghị, đề xuất chính đáng của Nhân dân; làm tốt công tác hòa giải ở cơ sở, giải quyết kịp thời, dứt điểm các vấn đề phát sinh ngay từ cơ sở, không để khiếu kiện kéo dài, vượt cấp. Nắm chắc tình hình Nhân dân, nhất là đồng bào dân tộc thiểu số, đồng bào tôn giáo, công nhân, người lao động trong các doanh nghiệp; thực hiện tốt chính sách an sinh xã hội, dân tộc, tôn giáo, nâng cao đời sống Nhân dân. Phát huy mạnh mẽ dân chủ, đẩy mạnh tuyên truyền, vận động Nhân dân tích cực tham gia thực hiện các nhiệm vụ phát triển kinh tế - xã hội, xây dựng nông thôn mới, đô thị văn minh, giảm nghèo nhanh và bền vững, bảo đảm an toàn vệ sinh thực phẩm, vệ sinh môi trường, xây dựng đời sống văn hóa ở khu dân cư.",
		"Grassroots democracy; citizen reception, complaints and denunciations; dialogue and mediation",
		"Direct the strict and effective implementation of the Law on Grassroots Democracy in state administrative agencies and government at all levels. Improve the quality and effectiveness of citizen reception and of the handling of complaints and denunciations; hold more dialogues, listen to the people and settle their legitimate requests and proposals promptly and for good; mediate well at the grassroots and settle issues where they arise, so that complaints do not drag on or go over the heads of lower levels. Keep a close grasp of the situation of the people, above all ethnic minorities, religious followers and workers in enterprises; carry out social-security, ethnic and religious policies well and raise living standards. Promote democracy strongly, inform the people and mobilise them to take an active part in socio-economic development, new-style rural areas and civilised towns, fast and sustainable poverty reduction, food safety, environmental sanitation and cultural life in residential areas."},
	{1.5, "Phong trào thi đua “Dân vận khéo”; nhân rộng mô hình, điển hình",
		"Tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo” trên các lĩnh vực kinh tế, văn hóa - xã hội, quốc phòng - an ninh, gắn với thực hiện nhiệm vụ chính trị của cơ quan nhà nước, chính quyền các cấp; nhân rộng các mô hình, điển hình “Dân vận khéo” thành công. Cán bộ, công chức, viên chức thực hiện tác phong dân vận theo phương châm “trọng dân, gần dân, hiểu dân, học dân, có trách nhiệm với dân”, “nghe dân nói, nói dân hiểu, làm dân tin”; khắc phục tình trạng quan liêu, xa dân. Tăng cường kỷ luật, kỷ cương hành chính; đề cao trách nhiệm của người đứng đầu trong kiểm tra, giám sát việc thực thi công vụ của cán bộ, công chức; kịp thời phát hiện, ngăn chặn và xử lý nghiêm các hành vi vi phạm.",
		"The “Dân vận khéo” (skilled mass mobilisation) movement; spreading models and examples",
		"Keep promoting the “Dân vận khéo” emulation movement in the economy, culture and society, defence and security, linked with the political tasks of state agencies and government at all levels, and replicate successful “Dân vận khéo” models and examples. Officials, civil servants and public employees practise the mass-mobilisation style — “respect the people, stay close to them, understand them, learn from them, be responsible to them”, “listen to what people say, speak so that they understand, act so that they trust” — and overcome bureaucracy and distance from the people. Tighten administrative discipline; raise heads of agencies' responsibility for supervising how officials perform their duties; detect, prevent and strictly handle violations in time."},
	{1, "Nâng cao phẩm chất, năng lực, đạo đức công vụ của cán bộ, công chức, viên chức",
		"Tiếp tục củng cố, nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức cơ quan nhà nước, chính quyền các cấp; thường xuyên đào tạo, bồi dưỡng nâng cao kỹ năng, chuyên môn, nghiệp vụ, đạo đức công vụ, tinh thần tự giác, trách nhiệm phục vụ Nhân dân. Xây dựng đội ngũ cán bộ vững về chuyên môn, giỏi về nghiệp vụ, hiểu thực tiễn, gần dân, sâu sát cơ sở, đáp ứng yêu cầu, nhiệm vụ công tác dân vận của cơ quan nhà nước, chính quyền các cấp.",
		"Raise the quality, skills and public-service ethics of officials",
		"Keep strengthening the quality of the officials, civil servants and public employees of state agencies and government at all levels; train them regularly to improve their skills, expertise, public-service ethics, self-discipline and responsibility for serving the people. Build a body of officials who are sound in their profession, know the realities, stay close to the people and to the grassroots, and meet the demands of mass-mobilisation work in state agencies and government at all levels."},
	{1, "Tuyên truyền trên báo chí về Năm dân vận chính quyền 2024 và các mô hình “Dân vận khéo”",
		"Ban Tuyên giáo Tỉnh ủy chỉ đạo các cơ quan báo chí trên địa bàn tỉnh tuyên truyền sâu rộng chủ trương của Đảng, chính sách, pháp luật của Nhà nước và của tỉnh về Năm 2024 - “Năm tăng cường công tác dân vận của cơ quan nhà nước và chính quyền các cấp”. Báo Thanh Hóa, Đài Phát thanh và Truyền hình tỉnh và các cơ quan báo chí tăng cường tuyên truyền, nâng cao chất lượng các chuyên trang, chuyên mục, tin bài; phổ biến kinh nghiệm công tác dân vận, việc thực hiện quy chế dân chủ ở cơ sở và các mô hình, điển hình “Dân vận khéo” trong cơ quan nhà nước, chính quyền các cấp.",
		"Press coverage of the 2024 year of mass mobilisation and of “Dân vận khéo” models",
		"The Provincial Propaganda Department directs the press of the province to publicise widely the party's guidelines, the state's policies and laws and the province's policies on 2024 as the “Year of strengthening mass-mobilisation work of state agencies and government at all levels”. Thanh Hóa Newspaper, the provincial radio and television station and other media step up their coverage and raise the quality of special pages, columns and news stories, spreading experience of mass-mobilisation work, of grassroots democracy and of “Dân vận khéo” models and examples in state agencies and government at all levels."},
	{1, "Hội đồng nhân dân giám sát; giám sát và phản biện xã hội",
		"Đảng đoàn Hội đồng nhân dân tỉnh lãnh đạo Thường trực Hội đồng nhân dân tỉnh chỉ đạo các cơ quan chức năng cụ thể hóa chủ trương, nghị quyết của Đảng, chính sách, pháp luật của Nhà nước và chủ trương của Tỉnh ủy về công tác dân vận; phát huy dân chủ, tăng cường hoạt động giám sát đối với việc thực hiện nhiệm vụ của cơ quan hành chính nhà nước, chính quyền các cấp; phối hợp với Mặt trận Tổ quốc, các tổ chức chính trị - xã hội thực hiện giám sát và phản biện xã hội đối với dự thảo văn bản quy phạm pháp luật, chương trình, dự án, cơ chế, chính sách về phát triển kinh tế - xã hội và các vấn đề quan trọng khác của tỉnh.",
		"People's Council supervision; social supervision and criticism",
		"The party group of the Provincial People's Council leads the Council's Standing Committee in directing the competent bodies to turn the party's guidelines and resolutions, the state's policies and laws and the Provincial Party Committee's policies on mass mobilisation into concrete measures; promotes democracy and steps up supervision of how state administrative agencies and government at all levels carry out their tasks; and works with the Fatherland Front and the socio-political organisations on social supervision and criticism of draft legal documents, programmes, projects, mechanisms and policies on socio-economic development and other important matters of the province."},
	{1, "Chương trình phối hợp công tác dân vận 2022 - 2026; góp ý xây dựng chính sách, pháp luật",
		"Ban cán sự đảng Ủy ban nhân dân tỉnh phối hợp với Ban Dân vận Tỉnh ủy tiếp tục cụ thể hóa và thực hiện có hiệu quả nội dung Chương trình phối hợp công tác dân vận giai đoạn 2022 - 2026; chỉ đạo các sở, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố và cấp xã thực hiện tốt kế hoạch phối hợp công tác dân vận. Tăng cường phối hợp, tạo điều kiện để Mặt trận Tổ quốc, các tổ chức chính trị - xã hội và Nhân dân tham gia góp ý xây dựng chủ trương của Đảng, chính sách, pháp luật của Nhà nước và của tỉnh; phát huy dân chủ trực tiếp, thực hiện tốt chức năng giám sát, phản biện xã hội, tham gia xây dựng Đảng, xây dựng chính quyền.",
		"The 2022–2026 mass-mobilisation coordination programme; comments on draft policies and laws",
		"The party committee of the Provincial People's Committee works with the Provincial Mass Mobilisation Commission to keep giving concrete form to, and carrying out effectively, the 2022–2026 mass-mobilisation coordination programme, and directs the departments, the district-level People's Committees and the communes to carry out their coordination plans well. It works more closely with, and makes room for, the Fatherland Front, the socio-political organisations and the people to comment on the party's guidelines and on state and provincial policies and laws; promotes direct democracy; and lets them carry out social supervision and criticism and take part in building the party and the government."},
	{1, "Các cấp ủy, tổ chức đảng lãnh đạo thực hiện và báo cáo định kỳ",
		"Các cấp ủy, tổ chức đảng, ban cán sự đảng, đảng đoàn, các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy lãnh đạo, chỉ đạo thực hiện có hiệu quả Năm 2024 - “Năm tăng cường công tác dân vận của cơ quan nhà nước và chính quyền các cấp”, bảo đảm thiết thực, phù hợp với tình hình thực tế của địa phương, cơ quan, đơn vị; định kỳ báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy (qua Ban Dân vận Tỉnh ủy).",
		"Party committees lead the implementation and report periodically",
		"Party committees and organisations, party groups, the district, town and city party committees and the party committees directly under the Provincial Party Committee lead and direct the effective implementation of 2024 as the “Year of strengthening mass-mobilisation work of state agencies and government at all levels”, in a practical way suited to their locality, agency or unit, and report the results periodically to the Provincial Standing Committee (through the Provincial Mass Mobilisation Commission)."},
}

// taskTitleJA is the opening of the verbatim paragraph, up to its first
// full stop; a very long sentence is cut at a comma and marked with "…".
func taskTitleJA(body string) string {
	t := body
	if i := strings.Index(t, "。"); i >= 0 {
		t = t[:i+len("。")]
	}
	if utf8.RuneCountInString(t) <= 90 {
		return t
	}
	r := []rune(t)[:90]
	cut := string(r)
	if i := strings.LastIndex(cut, "、"); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}

// communeCodes are the communes and wards (since 1 Jul 2025) whose plans the demo fills.
var communeCodes = []string{"14797", "14758", "14812", "14818", "14845", "14869", "14923", "15016", "14953", "15043"}

type demoAssign struct {
	task  int
	lead  []string
	coop  []string
	dueOn string
}

var demoAssignments = []demoAssign{
	{1, []string{"TU-BDV"}, []string{"MTTQ", "UBND"}, "2024-06-30"},
	{2, []string{"UBND"}, []string{"TU-BDV", "S-NV-OLD"}, "2024-06-30"},
	{3, []string{"UBND"}, []string{"S-NV-OLD", "S-TP", "S-TC-OLD", "UBND-VP"}, "2024-12-31"},
	{4, []string{"UBND", "TTT"}, []string{"S-TP", "MTTQ", "BDT"}, "2024-12-31"},
	{5, []string{"TU-BDV"}, []string{"MTTQ", "HLHPN", "TD", "HND", "HCCB", "LDLD"}, "2024-11-30"},
	{6, []string{"S-NV-OLD"}, []string{"TU-BTC"}, "2024-12-31"},
	{7, []string{"TU-BTG", "BAO", "DAI"}, nil, "2024-12-31"},
	{8, []string{"HDND"}, []string{"MTTQ"}, "2024-12-31"},
	{9, []string{"UBND", "TU-BTGDV"}, []string{"MTTQ"}, "2026-12-31"},
	{10, []string{"UBND", "MTTQ", "HDND"}, []string{"TU-BDV"}, "2024-12-31"},
}

// demoActivity is a plan line; dates are fixed ("2024-03-01") or relative to
// the load day ("T-120", "T+30") so that the mix of statuses holds whenever
// the demo is loaded. steps are the successive progress updates.
type demoActivity struct {
	unit, start, due  string
	task              int
	title, owner      string
	indicator, target string
	steps             []int
	notes             []string
}

var provincialActivities = []demoActivity{
	{"TU-BDV", "2024-03-01", "2024-03-31", 1, "Hội nghị quán triệt Công văn 1470-CV/TU tới các cấp ủy, cơ quan", "Phòng Dân vận", "Số hội nghị", "1 hội nghị toàn tỉnh", []int{100}, []string{"Đã tổ chức hội nghị trực tuyến tới 27 điểm cầu"}},
	{"TU-BDV", "2024-04-01", "2024-11-30", 5, "Hội thi “Dân vận khéo” năm 2024", "Phòng Dân vận", "Số mô hình dự thi", "≥ 60 mô hình", []int{40, 100}, []string{"Đã phát động, 48 mô hình đăng ký", "Đã tổng kết, trao 12 giải"}},
	{"TU-BTGDV", "T-200", "T+35", 9, "Sơ kết Chương trình phối hợp công tác dân vận 2022 - 2026", "Phòng Dân vận", "Báo cáo sơ kết", "1 báo cáo", []int{30, 75}, []string{"Đã gửi đề cương tới các sở, ngành", "Đã nhận 24/31 báo cáo"}},
	{"UBND", "2024-03-01", "2024-12-31", 3, "Rà soát, cắt giảm 20% thời gian giải quyết thủ tục hành chính", "Văn phòng UBND tỉnh", "Tỷ lệ thời gian cắt giảm", "20%", []int{50, 85}, []string{"Đã rà soát 1.120 thủ tục", "Đã cắt giảm 17%; còn chờ văn bản của Bộ"}},
	{"UBND", "T-60", "T+5", 9, "Tổng kết Chương trình phối hợp công tác dân vận năm {Y}", "Văn phòng UBND tỉnh", "Báo cáo tổng kết", "1 báo cáo", []int{20, 40}, []string{"Đã ban hành kế hoạch tổng kết", "Đang tổng hợp báo cáo của các sở"}},
	{"UBND", "T-330", "T+36", 2, "Kế hoạch thực hiện quy chế dân chủ trong hoạt động của cơ quan hành chính", "Sở Nội vụ", "Số cơ quan ban hành quy chế", "31/31", []int{40, 90}, []string{"18/31 cơ quan đã ban hành", "28/31 cơ quan đã ban hành"}},
	{"TTT", "T-330", "T+36", 4, "Tiếp công dân định kỳ và đột xuất của lãnh đạo UBND tỉnh", "Ban Tiếp công dân tỉnh", "Số buổi tiếp", "12 buổi/năm", []int{50, 88}, []string{"6 buổi, 214 lượt công dân", "11 buổi, 402 lượt công dân"}},
	{"BAO", "2024-03-01", "2024-12-31", 7, "Chuyên trang “Dân vận khéo” hằng tháng", "Ban Xây dựng Đảng", "Số kỳ", "10 kỳ", []int{50, 100}, []string{"5 kỳ đã đăng", "10 kỳ đã đăng"}},
	{"BAO", "T-90", "T+60", 7, "Loạt bài về mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ”", "Ban Thời sự", "Số bài", "12 bài", []int{25, 50}, []string{"3 bài đã đăng", "6 bài đã đăng"}},
	{"DAI", "2024-04-01", "2024-12-20", 7, "Phóng sự truyền hình về điển hình “Dân vận khéo”", "Phòng Thời sự", "Số phóng sự", "24 phóng sự", []int{100}, []string{"Đã phát sóng 26 phóng sự"}},
	{"DAI", "T-200", "T+30", 7, "Chuyên mục phát thanh “Dân vận chính quyền” năm {Y}", "Phòng Chuyên đề", "Số chuyên mục", "40 chuyên mục", []int{20, 45}, []string{"8 chuyên mục", "18 chuyên mục; thiếu phóng viên"}},
	{"HDND", "2024-05-01", "2024-10-31", 8, "Giám sát chuyên đề việc giải quyết kiến nghị cử tri", "Ban Pháp chế", "Báo cáo giám sát", "1 báo cáo", []int{60, 100}, []string{"Đã giám sát 8 sở, ngành", "Đã ban hành báo cáo giám sát"}},
	{"HDND", "T-100", "T-10", 8, "Giám sát việc tiếp công dân tại cấp xã sau sắp xếp", "Ban Pháp chế", "Số xã được giám sát", "20 xã", []int{30, 60}, []string{"6 xã", "12 xã; hoãn đợt 3 do mưa lũ"}},
	{"MTTQ", "2024-03-01", "2024-09-30", 8, "Phản biện xã hội dự thảo nghị quyết HĐND tỉnh về chính sách hỗ trợ", "Ban Dân chủ - Pháp luật", "Số hội nghị phản biện", "3 hội nghị", []int{100}, []string{"Đã tổ chức 3 hội nghị phản biện"}},
	{"MTTQ", "T-150", "T+45", 5, "Nhân rộng mô hình “Dân vận khéo” trong khu dân cư", "Ban Phong trào", "Số mô hình nhân rộng", "50 mô hình", []int{25, 55}, []string{"14 mô hình", "27 mô hình"}},
	{"S-NV-OLD", "2024-04-01", "2024-12-15", 6, "Bồi dưỡng kỹ năng dân vận cho cán bộ, công chức cấp tỉnh", "Phòng Công chức", "Số lượt học viên", "1.200 lượt", []int{50, 100}, []string{"620 lượt", "1.260 lượt"}},
	{"S-NV", "T-30", "T+90", 6, "Bồi dưỡng kỹ năng dân vận cho công chức cấp xã sau sắp xếp", "Phòng Công chức", "Số lượt học viên", "2.000 lượt", []int{10}, []string{"Khai giảng lớp đầu tiên"}},
}

// communeActivities are applied to each commune with a varying final
// progress (pattern by commune index) for a lived-in mix.
func communeActivities(i int, code string) []demoActivity {
	doneOr := func(p int) []int {
		if p >= 100 {
			return []int{60, 100}
		}
		return []int{p / 2, p}
	}
	a := []int{100, 80, 100, 90, 60, 100, 100, 70, 100, 95}[i]
	b := []int{70, 40, 85, 20, 10, 55, 75, 30, 0, 65}[i]
	c := []int{60, 50, 90, 30, 40, 100, 20, 45, 55, 35}[i]
	return []demoActivity{
		{code, "2025-08-01", "2026-06-30", 3, "Mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” tại Trung tâm phục vụ hành chính công", "Văn phòng HĐND và UBND", "Tỷ lệ hồ sơ đúng hạn", "≥ 98%", doneOr(a), []string{"Đã bố trí lại bộ phận một cửa", "Đã đánh giá mức độ hài lòng"}},
		{code, "{Y}-01-15", "T+20", 4, "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân năm {Y}", "Chủ tịch UBND", "Số cuộc đối thoại", "2 cuộc", doneOr(b), []string{"Đã tổng hợp kiến nghị", "Đã tổ chức đối thoại"}},
		{code, "{Y-1}-09-01", "{Y}-12-15", 5, "Xây dựng, đăng ký mô hình “Dân vận khéo” năm {Y}", "Ban Xây dựng Đảng", "Số mô hình", "3 mô hình", doneOr(c), []string{"Đã đăng ký mô hình", "Đang triển khai"}},
		{code, "{H}-05-15", "{H}-06-10", 10, "Báo cáo 6 tháng đầu năm {H} về thực hiện công tác dân vận chính quyền", "Văn phòng Đảng ủy", "Báo cáo", "1 báo cáo", []int{100}, []string{"Đã gửi báo cáo qua hệ thống"}},
	}
}

// yearWords fills {Y} (this year), {Y-1} and {H} (the year of the last
// six-month report due: this year from July, else last year).
func yearWords(s string, today time.Time) string {
	y, h := today.Year(), today.Year()
	if today.Month() < time.July {
		h--
	}
	return strings.NewReplacer("{Y-1}", fmt.Sprint(y-1), "{Y}", fmt.Sprint(y), "{H}", fmt.Sprint(h)).Replace(s)
}

func relDate(s string, today time.Time) string {
	s = yearWords(s, today)
	if strings.HasPrefix(s, "T") {
		var n int
		fmt.Sscanf(s[1:], "%d", &n)
		return today.AddDate(0, 0, n).Format(org.DateLayout)
	}
	return s
}

func loadProgramme(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	today := s.Now().In(calendar.Vietnam)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	// unit finds a body as it was named on day (the Ban Dân vận until
	// 2025, the Ban Tuyên giáo và Dân vận since).
	unit := func(code, day string) (org.Unit, error) {
		u, err := s.UnitByCode(ctx, code, day)
		if err != nil {
			return u, fmt.Errorf("demo programme: unit %s on %s: %w", code, day, err)
		}
		return u, nil
	}
	issuer, err := unit("TU-BTV", "2024-02-22")
	if err != nil {
		return err
	}
	jaBody := strings.TrimPrefix(seedBodyJA[0], "官報全文は以下の通り。") + "\n" + seedBodyJA[1] + "\n" + seedClosingJA
	d := programme.Directive{
		Number: DirectiveNumber, DocType: "cv", IssuedOn: "2024-02-22", IssuerUnitID: issuer.ID,
		Signer: "Lại Thế Nguyên", SignerTitle: "Phó Bí thư Thường trực Tỉnh ủy",
		Texts: []programme.Text{
			{Lang: "vi", Title: directiveTitleVI, Body: directiveBodyVI},
			{Lang: "ja", Title: directiveTitleJA, Body: jaBody, IsTranslation: true},
			{Lang: "en", Title: directiveTitleEN, Body: directiveBodyEN, IsTranslation: true},
		},
	}
	if err := s.CreateDirective(ctx, a, &d); err != nil {
		return fmt.Errorf("demo directive: %w", err)
	}
	taskIDs := map[int]int64{}
	for i, dt := range demoTasks {
		t := programme.Task{DirectiveID: d.ID, Number: i + 1, Weight: dt.weight, Texts: []programme.Text{
			{Lang: "vi", Title: dt.titleVI, Body: dt.bodyVI},
			{Lang: "ja", Title: taskTitleJA(seedTasksJA[i]), Body: seedTasksJA[i], IsTranslation: true},
			{Lang: "en", Title: dt.titleEN, Body: dt.bodyEN, IsTranslation: true},
		}}
		if err := s.AddTask(ctx, a, &t); err != nil {
			return fmt.Errorf("demo task %d: %w", i+1, err)
		}
		taskIDs[i+1] = t.ID
	}
	for _, k := range []org.Kind{org.KindPartyCommittee, org.KindPeoplesCouncil, org.KindPeoplesCommittee, org.KindDepartment, org.KindStateAgency,
		org.KindFatherlandFront, org.KindMassOrg, org.KindDistrict, org.KindTown, org.KindCity, org.KindCommune, org.KindWard} {
		if err := s.AddAddressee(ctx, a, d.ID, &programme.Addressee{UnitKind: string(k)}); err != nil {
			return fmt.Errorf("demo addressee: %w", err)
		}
	}
	assign := func(task int, code, role, due string) error {
		u, err := unit(code, due)
		if err != nil {
			return err
		}
		return s.AssignTask(ctx, a, &programme.Assignment{TaskID: taskIDs[task], UnitID: u.ID, Role: role, DueOn: due})
	}
	for _, as := range demoAssignments {
		for _, c := range as.lead {
			if err := assign(as.task, c, programme.RoleLead, as.dueOn); err != nil {
				return err
			}
		}
		for _, c := range as.coop {
			if err := assign(as.task, c, programme.RoleCooperate, as.dueOn); err != nil {
				return err
			}
		}
	}
	acts := append([]demoActivity(nil), provincialActivities...)
	for i, code := range communeCodes {
		for _, t := range []int{3, 4, 5, 10} {
			if err := assign(t, code, programme.RoleLead, "2026-12-31"); err != nil {
				return err
			}
		}
		acts = append(acts, communeActivities(i, code)...)
	}
	// The demo officer of Phường Hạc Thành reports its progress in person.
	officer := a
	if u, err := s.UserByName(ctx, "canbo"); err == nil {
		officer = audit.Actor{UserID: u.ID, Name: u.Username}
	}
	hacThanh := communeCodes[0]
	for _, da := range acts {
		u, err := unit(da.unit, relDate(da.start, today))
		if err != nil {
			return err
		}
		act := programme.Activity{UnitID: u.ID, TaskID: taskIDs[da.task], Title: yearWords(da.title, today), Owner: da.owner, StartOn: relDate(da.start, today),
			DueOn: relDate(da.due, today), Indicator: da.indicator, Target: da.target, Weight: 1}
		if act.DueOn < act.StartOn {
			act.StartOn = act.DueOn
		}
		if err := s.CreateActivity(ctx, a, &act); err != nil {
			return fmt.Errorf("demo activity %q: %w", da.title, err)
		}
		who := a
		if da.unit == hacThanh {
			who = officer
		}
		v := act.Version
		for j, p := range da.steps {
			if p == 0 {
				continue
			}
			note := ""
			if j < len(da.notes) {
				note = da.notes[j]
			}
			got, err := s.PostProgress(ctx, who, &programme.Update{ActivityID: act.ID, Percent: p, Note: note}, v, nil)
			if err != nil {
				return fmt.Errorf("demo progress %q: %w", da.title, err)
			}
			v = got.Version
		}
	}
	return nil
}
