package demo

// Demo citizen cases: a year of feedback, recommendations, complaints,
// denunciations and requests for information across the 166 communes and
// wards and some provincial agencies, on every channel, dated back from the
// store clock's today and drawn from a generator seeded by day, so that
// the demo is the same for a given today. Most cases are closed on time,
// some are overdue, some were transferred to the competent agency, a few
// refused or extended; some closed complaints came back as second-time
// complaints to the provincial People's Committee, linked to the first.
// Ratings and public notes make the tracking pages read like real ones.
// The cases go through the cases service (service.Cases.Record: legal
// deadlines, identities encrypted with the installation's case key) in one
// transaction. A few dialogues with commitments and grassroots mediation
// cases complete the citizen-voice picture.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// caseTemplate is one kind of matter people raise; {thon} is a village or
// residential group, {xa} the commune or ward.
type caseTemplate struct {
	category, kind, title, desc string
	// agency is the code of the provincial agency competent for the
	// matter when it goes beyond the commune.
	agency string
}

var caseTemplates = []caseTemplate{
	{"dat-dai", service.CaseComplaint, "Khiếu nại mức bồi thường giải phóng mặt bằng tại {thon}", "Gia đình tôi bị thu hồi 320 m² đất nông nghiệp để làm đường; mức bồi thường thấp hơn giá thị trường và chưa tính hỗ trợ chuyển đổi nghề. Đề nghị {xa} xem xét lại phương án bồi thường.", "S-NNMT"},
	{"dat-dai", service.CaseComplaint, "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất", "Hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất của gia đình tôi tại {thon} nộp từ lâu nhưng chưa được giải quyết, không có văn bản trả lời.", "S-NNMT"},
	{"dat-dai", service.CaseRecommendation, "Kiến nghị đo đạc lại ranh giới thửa đất tại {thon}", "Ranh giới giữa thửa đất của gia đình tôi và hộ liền kề trên bản đồ địa chính không đúng với thực tế sử dụng ổn định nhiều năm; đề nghị đo đạc, chỉnh lý.", ""},
	{"dat-dai", service.CaseDenunciation, "Tố cáo việc lấn chiếm đất công tại {thon}", "Một hộ dân tại {thon} xây tường rào lấn chiếm khoảng 50 m² đất hành lang kênh mương; chính quyền đã được báo nhưng chưa xử lý.", ""},
	{"moi-truong", service.CaseFeedback, "Phản ánh cơ sở chăn nuôi gây ô nhiễm tại {thon}", "Trại lợn gần khu dân cư {thon} xả nước thải ra mương chung, mùi hôi nồng nặc, nhất là buổi tối. Đề nghị kiểm tra, xử lý.", "S-NNMT"},
	{"moi-truong", service.CaseFeedback, "Phản ánh rác thải tồn đọng ven đường tại {thon}", "Điểm tập kết rác ven đường liên thôn không được thu gom đúng lịch, rác tràn ra lòng đường, bốc mùi.", ""},
	{"moi-truong", service.CaseFeedback, "Phản ánh khói bụi từ xưởng sản xuất gạch", "Xưởng sản xuất gạch gần {thon} đốt lò vào ban đêm, khói bụi bay vào nhà dân, ảnh hưởng sức khỏe trẻ nhỏ và người già.", "S-NNMT"},
	{"moi-truong", service.CaseRecommendation, "Kiến nghị nạo vét kênh tiêu nước tại {thon}", "Kênh tiêu nước chính của {thon} bị bồi lấp, mỗi khi mưa lớn nước tràn vào ruộng lúa và nhà dân. Đề nghị nạo vét trước mùa mưa bão.", ""},
	{"giao-thong", service.CaseFeedback, "Phản ánh đường liên thôn xuống cấp tại {thon}", "Đoạn đường bê tông qua {thon} bị nứt vỡ, nhiều ổ gà, xe máy đi lại nguy hiểm, học sinh đi học khó khăn vào mùa mưa.", ""},
	{"giao-thong", service.CaseRecommendation, "Kiến nghị lắp đèn chiếu sáng công cộng tại {thon}", "Tuyến đường trục chính {thon} chưa có đèn chiếu sáng, buổi tối rất tối, đã xảy ra va chạm giao thông. Đề nghị lắp đèn.", ""},
	{"giao-thong", service.CaseFeedback, "Phản ánh cầu tạm qua suối không bảo đảm an toàn", "Cầu tạm bằng gỗ qua suối vào {thon} đã mục, mùa lũ nước dâng cao, người dân và học sinh phải đi qua rất nguy hiểm.", "UBND"},
	{"giao-thong", service.CaseRecommendation, "Kiến nghị lắp biển báo, gờ giảm tốc gần trường học", "Đoạn đường trước trường tiểu học {xa} xe tải đi tốc độ cao vào giờ tan học; đề nghị lắp biển báo và gờ giảm tốc.", ""},
	{"dien-nuoc", service.CaseFeedback, "Phản ánh mất nước sinh hoạt kéo dài tại {thon}", "Nhiều hộ dân {thon} bị mất nước sạch sinh hoạt nhiều ngày liền, không được thông báo trước, phải mua nước bình để dùng.", ""},
	{"dien-nuoc", service.CaseFeedback, "Phản ánh điện chập chờn, điện áp yếu", "Điện sinh hoạt tại {thon} thường xuyên chập chờn, điện áp yếu vào giờ cao điểm, nhiều thiết bị gia đình bị hỏng.", ""},
	{"an-sinh", service.CaseRecommendation, "Kiến nghị xét hộ cận nghèo năm nay", "Gia đình tôi có người ốm đau dài ngày, thu nhập thấp nhưng không có tên trong danh sách hộ cận nghèo của {thon}. Đề nghị rà soát lại.", ""},
	{"an-sinh", service.CaseComplaint, "Khiếu nại việc cắt trợ cấp xã hội hằng tháng", "Mẹ tôi trên 80 tuổi đang hưởng trợ cấp xã hội hằng tháng thì bị dừng chi trả từ tháng trước mà không có thông báo lý do.", "S-NV"},
	{"an-sinh", service.CaseInformation, "Đề nghị cung cấp thông tin về chính sách hỗ trợ nhà ở", "Đề nghị cho biết điều kiện, hồ sơ để được hỗ trợ làm nhà ở cho hộ nghèo và người có công năm nay tại {xa}.", ""},
	{"an-sinh", service.CaseRecommendation, "Kiến nghị chi trả chế độ cho người có công đúng hạn", "Việc chi trả trợ cấp người có công tại {xa} mấy tháng gần đây chậm so với lịch; đề nghị chi trả đúng hạn.", "S-NV"},
	{"y-te", service.CaseFeedback, "Phản ánh trạm y tế thiếu thuốc bảo hiểm y tế", "Trạm y tế {xa} thường xuyên hết một số thuốc thông thường trong danh mục bảo hiểm y tế, người bệnh phải tự mua ngoài.", "S-YT"},
	{"y-te", service.CaseFeedback, "Phản ánh thái độ phục vụ tại trạm y tế", "Khi đưa con đến tiêm chủng tại trạm y tế {xa}, nhân viên trả lời thiếu tôn trọng, không hướng dẫn rõ lịch tiêm.", "S-YT"},
	{"giao-duc", service.CaseFeedback, "Phản ánh các khoản thu đầu năm học", "Đầu năm học, trường ở {xa} thu nhiều khoản ngoài quy định, phụ huynh khó khăn không đủ điều kiện đóng.", "S-GDDT"},
	{"giao-duc", service.CaseRecommendation, "Kiến nghị sửa chữa phòng học xuống cấp", "Hai phòng học của điểm trường {thon} bị thấm dột, tường nứt, mùa mưa học sinh phải học nhờ nhà văn hóa.", "S-GDDT"},
	{"trat-tu-do-thi", service.CaseFeedback, "Phản ánh lấn chiếm vỉa hè, lòng đường tại {thon}", "Nhiều hộ kinh doanh tại {thon} bày hàng hóa, để xe lấn chiếm hết vỉa hè, người đi bộ phải đi xuống lòng đường.", ""},
	{"trat-tu-do-thi", service.CaseFeedback, "Phản ánh xây dựng không phép tại {thon}", "Một công trình nhà ở tại {thon} đang xây dựng vượt số tầng, lấn ra hành lang an toàn đường bộ, không thấy treo biển giấy phép.", ""},
	{"an-ninh-trat-tu", service.CaseFeedback, "Phản ánh tụ tập gây ồn ào vào ban đêm", "Một nhóm thanh niên thường tụ tập, rú ga xe máy gây ồn ào sau 23 giờ tại {thon}, ảnh hưởng giấc ngủ của người dân.", ""},
	{"an-ninh-trat-tu", service.CaseFeedback, "Phản ánh karaoke gây ồn quá giờ quy định", "Hộ gia đình tại {thon} hát karaoke với âm lượng lớn đến khuya nhiều ngày liên tiếp.", ""},
	{"can-bo", service.CaseDenunciation, "Tố cáo cán bộ địa chính gây nhũng nhiễu khi làm thủ tục", "Cán bộ địa chính {xa} yêu cầu gia đình tôi nộp thêm tiền ngoài quy định mới nhận hồ sơ chuyển nhượng quyền sử dụng đất.", "TTT"},
	{"can-bo", service.CaseFeedback, "Phản ánh thái độ của cán bộ bộ phận một cửa", "Cán bộ bộ phận một cửa {xa} trả lời cộc lốc, không hướng dẫn người dân bổ sung hồ sơ, bắt đi lại nhiều lần.", ""},
	{"can-bo", service.CaseDenunciation, "Tố cáo sai phạm trong quản lý quỹ của thôn", "Trưởng {thon} thu tiền đóng góp làm đường nhưng không công khai thu chi, có dấu hiệu sử dụng sai mục đích.", "TTT"},
	{"thu-tuc-hanh-chinh", service.CaseFeedback, "Phản ánh chậm trả kết quả hồ sơ chứng thực", "Hồ sơ chứng thực của tôi tại {xa} đã quá hẹn trả kết quả nhưng không có phiếu xin lỗi, hẹn lại.", ""},
	{"thu-tuc-hanh-chinh", service.CaseRecommendation, "Kiến nghị hướng dẫn nộp hồ sơ trực tuyến", "Nhiều người cao tuổi ở {thon} chưa biết nộp hồ sơ trên Cổng dịch vụ công; đề nghị có cán bộ hướng dẫn tại nhà văn hóa.", ""},
	{"thu-tuc-hanh-chinh", service.CaseInformation, "Đề nghị cung cấp thông tin quy hoạch sử dụng đất", "Đề nghị cung cấp thông tin quy hoạch sử dụng đất tại khu vực {thon} để gia đình làm thủ tục chuyển mục đích sử dụng đất.", "S-NNMT"},
	{"khac", service.CaseRecommendation, "Kiến nghị sửa chữa nhà văn hóa {thon}", "Nhà văn hóa {thon} xuống cấp, mái tôn thủng, không đủ điều kiện tổ chức họp dân và sinh hoạt cộng đồng.", ""},
}

// Public notes of the handling steps.
var (
	acceptNotes   = []string{"Đã thụ lý, giao bộ phận chuyên môn kiểm tra, xác minh.", "Đã tiếp nhận và thụ lý; sẽ trả lời trong thời hạn quy định.", "Đã thụ lý; tổ công tác sẽ kiểm tra thực tế tại địa bàn."}
	resolveNotes  = []string{"Đã kiểm tra thực tế; yêu cầu đơn vị liên quan khắc phục và báo cáo kết quả. Đã trả lời người dân bằng văn bản.", "Nội dung phản ánh đúng một phần; đã chỉ đạo xử lý dứt điểm và công khai kết quả tại nhà văn hóa.", "Đã tổ chức đối thoại với người dân, giải thích chính sách; người dân thống nhất với phương án giải quyết.", "Đã ban hành văn bản giải quyết, gửi người dân và các cơ quan liên quan."}
	refuseNotes   = []string{"Không thuộc thẩm quyền giải quyết; đã hướng dẫn người dân gửi đến cơ quan có thẩm quyền.", "Nội dung đã được giải quyết đúng chính sách, pháp luật, không có tình tiết mới; đã trả lời người dân."}
	transferNotes = "Chuyển đến %s để giải quyết theo thẩm quyền."
	extendNotes   = "Vụ việc phức tạp, cần xác minh thêm tại nhiều nơi; gia hạn thời hạn giải quyết."
	suspendNotes  = "Tạm đình chỉ để chờ kết quả giám định của cơ quan chuyên môn."
	ratingNotes   = []string{"", "", "Cán bộ nhiệt tình, giải quyết nhanh.", "Cảm ơn chính quyền đã quan tâm.", "Giải quyết chậm, phải đi lại nhiều lần.", "Chưa thỏa đáng, sẽ khiếu nại tiếp."}
)

// Names and places of the demo's people (all fictitious).
var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Lường", "Hà", "Cầm", "Lò", "Mai", "Trịnh"}
	middleNames = []string{"Văn", "Thị", "Đình", "Minh", "Thu", "Ngọc", "Xuân", "Hữu"}
	givenNames  = []string{"An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Long", "Mai", "Minh", "Nam", "Phương", "Quang", "Sơn", "Tâm", "Thảo", "Tuấn", "Vân", "Yến"}
	villages    = []string{"thôn 1", "thôn 2", "thôn 3", "thôn Đông", "thôn Trung", "làng Mới", "bản Lát", "khu phố 4", "khu phố 7", "tổ dân phố Tân Hưng"}
)

// demoCaseAgencies are the provincial agencies that receive cases.
var demoCaseAgencies = []string{"S-NNMT", "S-YT", "S-GDDT", "S-NV", "TTT", "UBND"}

// caseHistoryDays is how far back the demo's cases go.
const caseHistoryDays = 365

func loadCases(ctx context.Context, s *store.Store) error {
	// The installation's case key, as the server reads it.
	cfg := config.Default()
	if err := cfg.FromEnv(); err != nil {
		return err
	}
	svc, err := service.New(ctx, service.Deps{Store: s, Cfg: cfg, Policy: account.DefaultPolicy})
	if err != nil {
		return err
	}
	day := today(s)
	var communes []org.Unit
	for _, u := range svc.Tree.At(day.String()) {
		if rptContains(communeKinds, string(u.Kind)) {
			communes = append(communes, u)
		}
	}
	if len(communes) == 0 {
		return fmt.Errorf("demo cases: no commune valid on %s", day)
	}
	agencies := map[string]org.Unit{}
	for _, code := range demoCaseAgencies {
		u, err := s.UnitByCode(ctx, code, day.String())
		if err != nil {
			return fmt.Errorf("demo cases: agency %s: %w", code, err)
		}
		agencies[code] = u
	}
	home, err := s.UnitByCode(ctx, HomeUnitCode, day.String())
	if err != nil {
		return err
	}
	g := caseGen{day: day, communes: communes, agencies: agencies, home: home, codes: map[string]bool{}}
	var recs []service.CaseRecord
	for back := caseHistoryDays; back >= 0; back-- {
		recs = append(recs, g.casesOf(day.AddDays(-back))...)
	}
	recs = append(recs, g.secondComplaints(recs)...)
	if _, err := svc.Cases.Record(ctx, service.SystemPrincipal(), "case.demo", recs); err != nil {
		return fmt.Errorf("demo cases: %w", err)
	}
	return loadCivic(ctx, svc, g)
}

// caseGen draws the demo's cases.
type caseGen struct {
	day      calendar.Date
	communes []org.Unit
	agencies map[string]org.Unit
	home     org.Unit
	codes    map[string]bool
}

// casesOf draws the cases received on d: about eight a working day, two on
// a weekend day.
func (g *caseGen) casesOf(d calendar.Date) []service.CaseRecord {
	r := newRnd("cases", d.String())
	n := 5 + r.n(7)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		n = r.n(3)
	}
	out := make([]service.CaseRecord, 0, n)
	for i := range n {
		out = append(out, g.oneCase(newRnd("case", d.String(), i), d))
	}
	return out
}

func pick[T any](r *rnd, xs []T) T { return xs[r.n(len(xs))] }

func (g *caseGen) code(r *rnd, year int) string {
	for {
		b := []byte(fmt.Sprintf("TH-%04d-", year))
		for range 6 {
			b = append(b, service.TrackingAlphabet[r.n(len(service.TrackingAlphabet))])
		}
		if c := string(b); !g.codes[c] {
			g.codes[c] = true
			return c
		}
	}
}

func person(r *rnd, place org.Unit) *service.CaseIdentity {
	v := pick(r, villages)
	return &service.CaseIdentity{
		Name:    pick(r, familyNames) + " " + pick(r, middleNames) + " " + pick(r, givenNames),
		Phone:   fmt.Sprintf("09%d%07d", 1+r.n(8), r.n(10_000_000)),
		Address: strings.ToUpper(v[:1]) + v[1:] + ", " + place.Name,
	}
}

// oneCase draws a case received on d and its fate until today.
func (g *caseGen) oneCase(r *rnd, d calendar.Date) service.CaseRecord {
	place := pick(r, g.communes)
	if r.n(8) == 0 {
		place = g.home // the demo accounts' ward has more to handle
	}
	t := pick(r, caseTemplates)
	village := pick(r, villages)
	fill := strings.NewReplacer("{thon}", village, "{xa}", place.Name)
	rec := service.CaseRecord{ReceivedOn: d.String(), TrackingCode: g.code(r, d.Year())}
	rec.Kind, rec.Category, rec.PlaceUnitID = t.kind, t.category, place.ID
	rec.Title, rec.Description = fill.Replace(t.title), fill.Replace(t.desc)
	rec.Channel = pick(r, []string{service.ChannelWeb, service.ChannelWeb, service.ChannelWeb, service.ChannelOpen311, service.ChannelOpen311,
		service.ChannelReception, service.ChannelReception, service.ChannelPhone, service.ChannelPost, service.ChannelTransfer})
	named := t.kind == service.CaseComplaint || t.kind == service.CaseDenunciation
	if named || r.n(10) < 7 {
		rec.Identity = person(r, place)
	} else if r.n(2) == 0 {
		rec.Anonymous = true
	}
	// Matters beyond the commune go straight to the agency now and then.
	direct := t.agency != "" && r.n(6) == 0
	if direct {
		rec.UnitID = g.agencies[t.agency].ID
	}
	age := g.day.Sub(d)
	add := func(step string, on calendar.Date, note string) bool {
		if on.After(g.day) {
			return false
		}
		rec.Steps = append(rec.Steps, service.RecordedStep{Step: step, On: on.String(), PublicNote: note})
		return true
	}
	at := d
	next := func(lo, hi int) calendar.Date {
		at = at.AddDays(lo + r.n(hi-lo+1))
		return at
	}
	fate := r.n(100)
	// Escalation: the commune finds the matter beyond it and transfers it.
	if t.agency != "" && !direct && fate < 12 {
		ag := g.agencies[t.agency]
		st := service.RecordedStep{Step: service.StepTransfer, On: next(1, 4).String(), PublicNote: fmt.Sprintf(transferNotes, ag.Name), ToUnitID: ag.ID}
		if at.After(g.day) {
			return rec
		}
		rec.Steps = append(rec.Steps, st)
		fate = 20 + r.n(80)
	}
	switch {
	case fate < 3: // refused
		add(service.StepRefuse, next(1, 5), pick(r, refuseNotes))
		if age > 30 {
			add(service.StepClose, next(1, 3), "")
		}
		return rec
	case fate < 10 && age > 50: // overdue: accepted long ago, still open
		if add(service.StepAccept, next(2, 8), pick(r, acceptNotes)) && t.kind == service.CaseDenunciation && r.n(2) == 0 {
			add(service.StepSuspend, next(5, 10), suspendNotes)
		}
		return rec
	case fate < 12 && age > 20: // never accepted: late at the first step
		return rec
	}
	if !add(service.StepAccept, next(1, 6), pick(r, acceptNotes)) {
		return rec
	}
	accepted := at
	late := fate >= 12 && fate < 17
	if (t.kind == service.CaseComplaint || t.kind == service.CaseDenunciation) && fate >= 17 && fate < 22 {
		// Complex: extended past the legal period, resolved within it.
		add(service.StepExtend, next(20, 25), extendNotes)
		rec.Steps[len(rec.Steps)-1].Until = accepted.AddDays(75).String()
		next(10, 30)
	} else if late {
		next(35, 60)
	} else {
		next(3, 24)
	}
	if !add(service.StepResolve, at, pick(r, resolveNotes)) {
		return rec
	}
	if !add(service.StepClose, next(1, 4), "") {
		return rec
	}
	if r.n(10) < 6 {
		rec.Rating = 3 + r.n(3)
		if late || r.n(8) == 0 {
			rec.Rating = 1 + r.n(2)
		}
		rec.RatingComment = pick(r, ratingNotes)
	}
	return rec
}

// secondComplaints: some complainants unhappy with a closed first
// complaint take it to the provincial People's Committee, linked to it.
func (g *caseGen) secondComplaints(recs []service.CaseRecord) []service.CaseRecord {
	var out []service.CaseRecord
	ubnd := g.agencies["UBND"]
	for _, c := range recs {
		if c.Kind != service.CaseComplaint || len(c.Steps) == 0 || c.Steps[len(c.Steps)-1].Step != service.StepClose || c.Rating > 2 {
			continue
		}
		r := newRnd("complaint2", c.TrackingCode)
		closed, err := calendar.ParseDate(c.Steps[len(c.Steps)-1].On)
		if err != nil || r.n(3) == 0 {
			continue
		}
		on := closed.AddDays(3 + r.n(20))
		if on.After(g.day) {
			continue
		}
		sc := service.CaseRecord{ReceivedOn: on.String(), TrackingCode: g.code(r, on.Year())}
		sc.Kind, sc.Category, sc.Channel = service.CaseComplaint2, c.Category, service.ChannelReception
		sc.UnitID, sc.PlaceUnitID, sc.ParentCode, sc.Identity = ubnd.ID, c.PlaceUnitID, c.TrackingCode, c.Identity
		sc.Title = "Khiếu nại lần hai: " + strings.TrimPrefix(c.Title, "Khiếu nại ")
		sc.Description = "Tôi không đồng ý với quyết định giải quyết khiếu nại lần đầu (mã " + c.TrackingCode + ") và đề nghị Chủ tịch UBND tỉnh xem xét, giải quyết lần hai. " + c.Description
		if acc := on.AddDays(5 + r.n(4)); !acc.After(g.day) {
			sc.Steps = append(sc.Steps, service.RecordedStep{Step: service.StepAccept, On: acc.String(), PublicNote: pick(r, acceptNotes)})
			if res := acc.AddDays(20 + r.n(30)); !res.After(g.day) && r.n(2) == 0 {
				sc.Steps = append(sc.Steps, service.RecordedStep{Step: service.StepResolve, On: res.String(), PublicNote: "Đã ban hành quyết định giải quyết khiếu nại lần hai, công nhận một phần nội dung khiếu nại."})
			}
		}
		out = append(out, sc)
	}
	return out
}

// Dialogues and mediation of the demo.
var (
	dialogueTopics = []string{"Giải phóng mặt bằng dự án mở rộng quốc lộ", "Xây dựng nông thôn mới nâng cao", "Thu gom, xử lý rác thải sinh hoạt", "Chính sách hỗ trợ chuyển đổi nghề cho người dân bị thu hồi đất", "Cải cách thủ tục hành chính ở cấp xã"}
	dialogueIssues = []struct{ who, issue, commitment string }{
		{"Ông Lê Văn Hùng, thôn 2", "Đề nghị công khai phương án bồi thường, hỗ trợ trước khi kiểm đếm.", "Niêm yết công khai phương án bồi thường tại nhà văn hóa các thôn."},
		{"Bà Nguyễn Thị Hoa, khu phố 4", "Điểm tập kết rác gần trường học gây mùi hôi.", "Di chuyển điểm tập kết rác ra xa trường học."},
		{"Ông Phạm Đình Nam, thôn Đông", "Đường nội đồng xuống cấp, máy gặt không vào được.", "Đưa tuyến đường nội đồng thôn Đông vào kế hoạch cứng hóa năm sau."},
		{"Bà Hà Thị Lan, bản Lát", "Người cao tuổi khó khăn khi nộp hồ sơ trực tuyến.", "Bố trí đoàn viên thanh niên hướng dẫn dịch vụ công trực tuyến tại thôn mỗi tuần."},
	}
	disputes = []struct{ kind, summary string }{
		{"land", "Tranh chấp ranh giới thửa đất vườn giữa hai hộ liền kề."},
		{"neighbour", "Mâu thuẫn do nước thải sinh hoạt chảy sang nhà hàng xóm."},
		{"family", "Mâu thuẫn giữa anh em trong gia đình về việc chăm sóc cha mẹ già."},
		{"civil", "Tranh chấp khoản vay tiền giữa hai hộ trong thôn."},
	}
)

// loadCivic adds dialogues with commitments (some done, some overdue) and
// grassroots mediation cases, through the civic service.
func loadCivic(ctx context.Context, svc *service.Services, g caseGen) error {
	sys := service.SystemPrincipal()
	units := []org.Unit{g.home, g.communes[0], g.communes[len(g.communes)/2], g.communes[len(g.communes)-1]}
	for i, u := range units {
		r := newRnd("dialogue", u.Code)
		held := g.day.AddDays(-(20 + 60*i + r.n(20)))
		d, err := svc.Civic.CreateDialogue(ctx, sys, service.DialogueInput{UnitID: u.ID, HeldOn: held.String(), Topic: dialogueTopics[i%len(dialogueTopics)],
			Chair: "Chủ tịch UBND " + u.Name, Participants: "Đại diện Mặt trận Tổ quốc, các đoàn thể và khoảng 80 người dân",
			Public: true, Status: service.DialogueHeld, Minutes: "Hội nghị đối thoại diễn ra dân chủ, cởi mở; các ý kiến của người dân được ghi nhận và trả lời trực tiếp hoặc giao cơ quan chuyên môn trả lời bằng văn bản."})
		if err != nil {
			return fmt.Errorf("demo dialogue: %w", err)
		}
		for j := range 2 {
			x := dialogueIssues[(i+j)%len(dialogueIssues)]
			is, err := svc.Civic.AddIssue(ctx, sys, d.ID, service.IssueInput{RaisedBy: x.who, Text: x.issue})
			if err != nil {
				return fmt.Errorf("demo dialogue issue: %w", err)
			}
			due := held.AddDays(30 + 15*j)
			c, err := svc.Civic.AddCommitment(ctx, sys, d.ID, service.CommitmentInput{IssueID: is.ID, OwnerUnitID: u.ID, Text: x.commitment, DueOn: due.String()})
			if err != nil {
				return fmt.Errorf("demo commitment: %w", err)
			}
			// The first is kept on time; the second, past due, is still open
			// in every other unit.
			if done := held.AddDays(20); j == 0 && !done.After(g.day) {
				if _, err := svc.Civic.CompleteCommitment(ctx, sys, c.ID, service.DoneInput{DoneOn: done.String(), Evidence: "Biên bản kiểm tra ngày " + done.String()}); err != nil {
					return fmt.Errorf("demo commitment done: %w", err)
				}
			}
		}
	}
	for i, u := range units {
		for j, x := range disputes {
			r := newRnd("mediation", u.Code, j)
			assigned := g.day.AddDays(-(10 + 25*j + 7*i + r.n(5)))
			m, err := svc.Civic.OpenMediation(ctx, sys, service.MediationInput{UnitID: u.ID, Village: pick(r, villages), DisputeKind: x.kind, Summary: x.summary,
				Mediators: "Tổ hòa giải " + pick(r, villages), AssignedOn: assigned.String(),
				Parties: []service.Party{{Name: pick(r, familyNames) + " Văn " + pick(r, givenNames), Role: "Bên yêu cầu"}, {Name: pick(r, familyNames) + " Thị " + pick(r, givenNames), Role: "Bên kia"}}})
			if err != nil {
				return fmt.Errorf("demo mediation: %w", err)
			}
			if j == len(disputes)-1 {
				continue // just assigned
			}
			started := assigned.AddDays(1 + r.n(2))
			if m, err = svc.Civic.StartMediation(ctx, sys, m.ID, service.StepInput{Version: m.Version, On: started.String()}); err != nil {
				return fmt.Errorf("demo mediation start: %w", err)
			}
			if j == 0 && i%2 == 1 {
				continue // under way
			}
			ended := started.AddDays(5 + r.n(5))
			if ended.After(g.day) {
				ended = g.day
			}
			out := service.StepInput{Version: m.Version, On: ended.String(), Outcome: service.MediationSuccess,
				Agreement: "Hai bên thống nhất: giữ nguyên hiện trạng, cùng nhau xây tường rào chung theo mốc giới đã đo đạc; chi phí mỗi bên chịu một nửa."}
			if j == 2 {
				out.Outcome, out.Agreement = service.MediationFailure, ""
			}
			if _, err := svc.Civic.RecordOutcome(ctx, sys, m.ID, out); err != nil {
				return fmt.Errorf("demo mediation outcome: %w", err)
			}
		}
	}
	return nil
}
