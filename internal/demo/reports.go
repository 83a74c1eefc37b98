package demo

// Demo periodic reports: the monthly and quarterly mass-mobilisation report
// templates, who reports (every commune/ward and the provincial bodies, with
// commune and province deadlines), and a lived-in year of reports from
// January 2025 to late 2026 for a sample of units — mostly accepted, some
// submitted awaiting review, some returned, some late, some missing, a few
// drafts. Everything is inserted in one transaction.

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// ReportDefinitionJSON is the indicator table of both demo templates.
const ReportDefinitionJSON = `{
 "sections": [
  {"key": "highlights", "title": {"vi": "Kết quả nổi bật", "en": "Main results", "ja": "主な成果"}},
  {"key": "limitations", "title": {"vi": "Hạn chế, khó khăn", "en": "Shortcomings and difficulties", "ja": "課題と困難"}},
  {"key": "recommendations", "title": {"vi": "Kiến nghị, đề xuất", "en": "Recommendations", "ja": "提言"}}
 ],
 "indicators": [
  {"code": "citizen_receptions", "name": {"vi": "Số buổi tiếp công dân", "en": "Citizen reception sessions held", "ja": "市民応接の実施回数"}, "type": "integer", "unit": "buổi", "required": true, "min": 0},
  {"code": "dialogues", "name": {"vi": "Số cuộc đối thoại với Nhân dân", "en": "Dialogues with the people", "ja": "住民との対話の回数"}, "type": "integer", "unit": "cuộc", "min": 0},
  {"code": "cases_received", "name": {"vi": "Số đơn thư, vụ việc tiếp nhận", "en": "Cases received", "ja": "受け付けた案件数"}, "type": "integer", "unit": "vụ việc", "required": true, "min": 0},
  {"code": "cases_resolved_on_time", "name": {"vi": "Số vụ việc giải quyết đúng hạn", "en": "Cases resolved on time", "ja": "期限内に解決した案件数"}, "type": "integer", "unit": "vụ việc", "min": 0},
  {"code": "dvk_models_registered", "name": {"vi": "Số mô hình “Dân vận khéo” đăng ký", "en": "“Dân vận khéo” models registered", "ja": "「巧みな大衆動員」モデルの登録数"}, "type": "integer", "unit": "mô hình", "min": 0},
  {"code": "trainings", "name": {"vi": "Số lớp tập huấn, bồi dưỡng", "en": "Training courses held", "ja": "研修の開催数"}, "type": "integer", "unit": "lớp", "min": 0},
  {"code": "participants", "name": {"vi": "Số lượt người tham gia tập huấn", "en": "Training participants", "ja": "研修の参加者数"}, "type": "integer", "unit": "lượt người", "min": 0,
   "disaggregation": {"key": "gender", "name": {"vi": "Giới tính", "en": "Gender", "ja": "性別"},
    "categories": [{"key": "male", "name": {"vi": "Nam", "en": "Men", "ja": "男性"}}, {"key": "female", "name": {"vi": "Nữ", "en": "Women", "ja": "女性"}}]}},
  {"code": "articles_published", "name": {"vi": "Số tin, bài tuyên truyền", "en": "News items and articles published", "ja": "広報記事の数"}, "type": "integer", "unit": "tin, bài", "min": 0},
  {"code": "satisfaction_pct", "name": {"vi": "Tỷ lệ người dân hài lòng", "en": "Citizen satisfaction", "ja": "住民満足度"}, "type": "percent", "unit": "%", "aggregation": "avg"}
 ],
 "rules": [{"left": "cases_resolved_on_time", "op": "<=", "right": "cases_received"}]
}`

// Demo template codes.
const (
	MonthlyTemplate   = "BC-DV-THANG"
	QuarterlyTemplate = "BC-DV-QUY"
)

var communeKinds = []string{string(org.KindCommune), string(org.KindWard), string(org.KindTownship), string(org.KindSpecialZone)}
var bodyKinds = []string{string(org.KindPartyCommission), string(org.KindDepartment), string(org.KindFatherlandFront), string(org.KindMassOrg)}

var highlights = []string{
	"Duy trì nghiêm túc lịch tiếp công dân định kỳ; tổ chức đối thoại với Nhân dân về công tác giải phóng mặt bằng, được Nhân dân đồng tình.",
	"Triển khai mô hình “Dân vận khéo” trong xây dựng nông thôn mới; vận động Nhân dân hiến đất mở rộng đường giao thông nội đồng.",
	"Phối hợp với Mặt trận Tổ quốc và các đoàn thể tuyên truyền Luật Thực hiện dân chủ ở cơ sở; tổ chức hội nghị lấy ý kiến Nhân dân về dự thảo quy hoạch.",
	"Giải quyết dứt điểm các vụ việc tồn đọng, không để phát sinh điểm nóng; cải cách thủ tục hành chính theo hướng “chính quyền thân thiện, vì Nhân dân phục vụ”.",
}
var limitations = []string{
	"Một số vụ việc phức tạp còn kéo dài do cần xác minh ở nhiều nơi.",
	"Cán bộ làm công tác dân vận ở cơ sở còn kiêm nhiệm, kỹ năng chưa đồng đều.",
	"Việc nhân rộng mô hình còn chậm; kinh phí cho hoạt động tuyên truyền còn hạn chế.",
}
var recommendations = []string{
	"Đề nghị Ban Tuyên giáo và Dân vận Tỉnh ủy mở lớp tập huấn kỹ năng dân vận cho cán bộ cơ sở.",
	"Đề nghị cấp trên hỗ trợ kinh phí nhân rộng mô hình “Dân vận khéo”.",
	"Kiến nghị các sở, ngành sớm hướng dẫn giải quyết vướng mắc về đất đai.",
}
var returnComments = []string{
	"Đề nghị bổ sung số liệu phân tổ theo giới tính của người tham gia tập huấn.",
	"Số vụ việc giải quyết đúng hạn chưa khớp với báo cáo của Ban Tiếp công dân; đề nghị rà soát lại.",
	"Phần kết quả nổi bật còn chung chung; đề nghị nêu cụ thể mô hình, địa chỉ.",
}

// rnd is a small deterministic generator per (unit, period) key, so that the
// demo is the same every time.
type rnd struct{ s uint64 }

func newRnd(parts ...any) *rnd {
	h := fnv.New64a()
	fmt.Fprint(h, parts...)
	return &rnd{h.Sum64() | 1}
}

func (r *rnd) n(k int) int {
	r.s ^= r.s << 13
	r.s ^= r.s >> 7
	r.s ^= r.s << 17
	return int(r.s % uint64(k))
}

func demoValues(r *rnd, body bool) report.Values {
	scale := 1
	if body {
		scale = 3
	}
	received := 2 + r.n(12)*scale
	resolved := received - r.n(3)
	if resolved < 0 {
		resolved = 0
	}
	male, female := 10+r.n(40)*scale, 12+r.n(45)*scale
	v := report.Values{
		"citizen_receptions":     fmt.Sprint(2 + r.n(4)),
		"dialogues":              fmt.Sprint(r.n(3)),
		"cases_received":         fmt.Sprint(received),
		"cases_resolved_on_time": fmt.Sprint(resolved),
		"dvk_models_registered":  fmt.Sprint(r.n(3)),
		"trainings":              fmt.Sprint(r.n(3)),
		"participants.male":      fmt.Sprint(male),
		"participants.female":    fmt.Sprint(female),
		"participants":           fmt.Sprint(male + female),
		"articles_published":     fmt.Sprint(1 + r.n(6)*scale),
		"satisfaction_pct":       fmt.Sprint(72 + r.n(26)),
	}
	return v
}

func demoNarrative(r *rnd) map[string]string {
	return map[string]string{
		"highlights":      highlights[r.n(len(highlights))],
		"limitations":     limitations[r.n(len(limitations))],
		"recommendations": recommendations[r.n(len(recommendations))],
	}
}

// at9 is 9:00 in Vietnam on day d, plus extra days.
func at9(d calendar.Date, extra int) time.Time {
	t := d.AddDays(extra).In(calendar.Vietnam)
	return t.Add(9 * time.Hour)
}

func loadReports(ctx context.Context, s *store.Store) error {
	a := audit.System("demo")
	def, err := report.ParseDefinition([]byte(ReportDefinitionJSON))
	if err != nil {
		return fmt.Errorf("demo report definition: %w", err)
	}
	prov, err := s.UnitByCode(ctx, ProvinceCode, ReformDay)
	if err != nil {
		return err
	}
	tpls := []*report.Template{
		{Code: MonthlyTemplate, Name: "Báo cáo tháng công tác dân vận", Description: "Báo cáo định kỳ hằng tháng về kết quả thực hiện Năm dân vận chính quyền (1470-CV/TU).", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true},
		{Code: QuarterlyTemplate, Name: "Báo cáo quý công tác dân vận", Description: "Báo cáo định kỳ hằng quý về công tác dân vận.", PeriodType: report.Quarterly, CutoffDay: 15, Definition: def, Active: true},
	}
	for _, t := range tpls {
		if err := s.CreateTemplate(ctx, a, t); err != nil {
			return fmt.Errorf("demo template %s: %w", t.Code, err)
		}
		for _, sc := range []report.Assignment{
			{TemplateID: t.ID, UnitID: prov.ID, Kinds: communeKinds, Deadlines: []report.LevelDeadline{{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}}},
			{TemplateID: t.ID, UnitID: prov.ID, Kinds: bodyKinds, Deadlines: []report.LevelDeadline{{Level: "province", DaysAfterEnd: 5, WorkingDays: true}}},
		} {
			if err := s.CreateSchedule(ctx, a, &sc); err != nil {
				return fmt.Errorf("demo schedule %s: %w", t.Code, err)
			}
		}
	}
	// Sample units: Hạc Thành (where the demo officers work) and the old
	// wards it was formed from, then more communes to make about 15 each side.
	hac, err := s.UnitByCode(ctx, "14797", ReformDay)
	if err != nil {
		return err
	}
	newSample := []int64{hac.ID}
	var oldSample []int64
	preds, err := s.Predecessors(ctx, hac.ID)
	if err != nil {
		return err
	}
	for _, p := range preds {
		oldSample = append(oldSample, p.PredecessorID)
	}
	before, err := s.UnitsAt(ctx, "2025-03-01")
	if err != nil {
		return err
	}
	after, err := s.UnitsAt(ctx, ReformDay)
	if err != nil {
		return err
	}
	pick := func(us []org.Unit, have []int64, n int) []int64 {
		seen := map[int64]bool{}
		for _, id := range have {
			seen[id] = true
		}
		sort.SliceStable(us, func(i, j int) bool { return us[i].Code < us[j].Code })
		for i, u := range us {
			if len(have) >= n {
				break
			}
			if !seen[u.ID] && rptContains(communeKinds, string(u.Kind)) && i%7 == 0 {
				have = append(have, u.ID)
				seen[u.ID] = true
			}
		}
		return have
	}
	oldSample = pick(before, oldSample, 15)
	newSample = pick(after, newSample, 15)
	var bodies []int64
	for _, code := range []string{"MTTQ", "HLHPN", "TD", "S-NV"} {
		if u, err := s.UnitByCode(ctx, code, ReformDay); err == nil {
			bodies = append(bodies, u.ID)
		}
	}
	var canbo, dieuphoi int64
	if u, err := s.UserByName(ctx, "canbo"); err == nil {
		canbo = u.ID
	}
	if u, err := s.UserByName(ctx, "dieuphoi"); err == nil {
		dieuphoi = u.ID
	}

	// "Today" of the demo: the periods up to October 2026 are history; the
	// last two months are the live cycle.
	var seeds []store.ReportSeed
	now := s.Now()
	valid := map[int64]org.Unit{}
	for _, us := range [][]org.Unit{before, after} {
		for _, u := range us {
			valid[u.ID] = u
		}
	}
	communeLevel := report.LevelDeadline{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}
	bodyLevel := report.LevelDeadline{Level: "province", DaysAfterEnd: 5, WorkingDays: true}
	addWindows := func(t *report.Template, ws []report.Window, liveFrom report.Window) error {
		for _, w := range ws {
			// The schedules' deadlines, computed directly (same rule as
			// store.ExpectedReports) for the sample units valid at the end.
			communeDue := report.DueOn(store.Calendar, w, communeLevel).String()
			bodyDue := report.DueOn(store.Calendar, w, bodyLevel).String()
			units := append([]int64(nil), bodies...)
			if w.To.String() < ReformDay {
				units = append(units, oldSample...)
			} else {
				units = append(units, newSample...)
			}
			live := !w.To.Before(liveFrom.To)
			for _, uid := range units {
				u, ok := valid[uid]
				if !ok || !u.ValidOn(w.To.String()) {
					continue
				}
				isBody := rptContains64(bodies, uid)
				d := communeDue
				if isBody {
					d = bodyDue
				}
				seed, ok := demoSeed(t, w, uid, d, live, uid == hac.ID, canbo, dieuphoi, isBody)
				if ok {
					seed = notAfter(seed, now)
					seeds = append(seeds, seed)
				}
			}
		}
		return nil
	}
	var months []report.Window
	months = append(months, report.Windows(tpls[0].Rule(), report.Monthly, 2025)...)
	months = append(months, report.Windows(tpls[0].Rule(), report.Monthly, 2026)...) // to December 2026: the current cycle
	liveMonth := months[len(months)-3]                                               // October 2026
	if err := addWindows(tpls[0], months, liveMonth); err != nil {
		return err
	}
	var quarters []report.Window
	quarters = append(quarters, report.Windows(tpls[1].Rule(), report.Quarterly, 2025)...)
	quarters = append(quarters, report.Windows(tpls[1].Rule(), report.Quarterly, 2026)[:3]...)
	if err := addWindows(tpls[1], quarters, quarters[len(quarters)-1]); err != nil {
		return err
	}
	if _, err := s.SeedReports(ctx, a, seeds); err != nil {
		return fmt.Errorf("demo reports: %w", err)
	}
	return nil
}

func rptContains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func rptContains64(xs []int64, x int64) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// demoSeed decides one report's fate: history is mostly accepted (some
// late, some returned once, a few never sent); the live cycle has
// submissions awaiting review, returned reports, drafts and gaps.
func demoSeed(t *report.Template, w report.Window, unitID int64, dueOn string, live, home bool, canbo, reviewer int64, body bool) (store.ReportSeed, bool) {
	r := newRnd(t.Code, w.Label, unitID)
	due, _ := calendar.ParseDate(dueOn)
	rep := report.Report{TemplateID: t.ID, UnitID: unitID, PeriodType: w.Type, PeriodYear: w.Year, PeriodNumber: w.Number,
		PeriodFrom: w.From.String(), PeriodTo: w.To.String(), DueOn: dueOn, Narrative: demoNarrative(r), Values: demoValues(r, body),
		CreatedAt: at9(w.To, -3)}
	submitter := int64(0)
	if home {
		submitter = canbo
	}
	submitOn := func(offset int) store.ReportStep {
		return store.ReportStep{Status: report.Submitted, At: at9(due, offset), ActorID: submitter}
	}
	accept := func(after time.Time) store.ReportStep {
		return store.ReportStep{Status: report.Accepted, At: after.Add(50 * time.Hour), ActorID: reviewer}
	}
	ret := func(after time.Time) store.ReportStep {
		return store.ReportStep{Status: report.Returned, At: after.Add(26 * time.Hour), ActorID: reviewer, Comment: returnComments[r.n(len(returnComments))]}
	}
	roll := r.n(100)
	var h []store.ReportStep
	if !live {
		switch {
		case roll < 6 && !home:
			return store.ReportSeed{}, false // never sent: missing
		case roll < 16: // late
			s := submitOn(1 + r.n(6))
			h = []store.ReportStep{s, accept(s.At)}
		case roll < 24: // returned once, then accepted
			s := submitOn(-r.n(2))
			rt := ret(s.At)
			s2 := store.ReportStep{Status: report.Submitted, At: rt.At.Add(30 * time.Hour), ActorID: submitter}
			h = []store.ReportStep{s, rt, s2, accept(s2.At)}
		default:
			s := submitOn(-r.n(2))
			h = []store.ReportStep{s, accept(s.At)}
		}
		return store.ReportSeed{Report: rep, History: h}, true
	}
	// The live cycle (the last periods).
	if home && w.Type == report.Monthly && w.Number == 12 {
		rep.Values = report.Values{"citizen_receptions": "2", "cases_received": "4"}
		return store.ReportSeed{Report: rep}, true // the officers' current draft
	}
	switch {
	case home && w.Number == 11:
		s := submitOn(-1)
		return store.ReportSeed{Report: rep, History: []store.ReportStep{s, ret(s.At)}}, true
	case home:
		return store.ReportSeed{Report: rep, History: []store.ReportStep{submitOn(-1)}}, true // awaiting review
	case roll < 15:
		return store.ReportSeed{}, false
	case roll < 30:
		return store.ReportSeed{Report: rep}, true // draft, not sent
	case roll < 45:
		s := submitOn(-r.n(2))
		return store.ReportSeed{Report: rep, History: []store.ReportStep{s, ret(s.At)}}, true
	case roll < 60:
		s := submitOn(2 + r.n(3))
		return store.ReportSeed{Report: rep, History: []store.ReportStep{s}}, true // late, awaiting review
	default:
		s := submitOn(-r.n(2))
		if r.n(2) == 0 {
			return store.ReportSeed{Report: rep, History: []store.ReportStep{s, accept(s.At)}}, true
		}
		return store.ReportSeed{Report: rep, History: []store.ReportStep{s}}, true // awaiting review
	}
}

// notAfter drops the steps of a seeded history that lie in the future (the
// current cycle), so that the demo never shows a submission not yet made.
func notAfter(sd store.ReportSeed, now time.Time) store.ReportSeed {
	if sd.Report.CreatedAt.After(now) {
		sd.Report.CreatedAt = now
	}
	var h []store.ReportStep
	for _, st := range sd.History {
		if st.At.After(now) {
			break
		}
		h = append(h, st)
	}
	sd.History = h
	return sd
}
