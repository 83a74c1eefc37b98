package demo

// Demo periodic reports: the monthly and quarterly mass-mobilisation report
// templates, who reports (every commune/ward, the provincial Party, State,
// Front and mass-organisation bodies, and the demo ward's Party committee,
// with commune and province deadlines), and a year of reports dated back
// from the store clock's today for every unit expected — mostly accepted on
// time, a few late or returned once, very few never sent; the last period
// past its deadline with submissions awaiting review, returned reports and
// a few overdue; the current period open with drafts. The fate of each
// report is drawn from a generator seeded by template, period and unit, so
// the demo is the same for a given today. Everything is inserted in one
// transaction.

import (
	"context"
	"fmt"
	"hash/fnv"
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

// today is the demo's day: the store clock's date in Vietnam.
func today(s *store.Store) calendar.Date {
	return calendar.DateOf(s.Now().In(calendar.Vietnam))
}

// recentWindows are the last n windows of type t that have begun by day,
// oldest first: the current period and its n-1 predecessors.
func recentWindows(rule report.Rule, t report.Type, day calendar.Date, n int) []report.Window {
	var out []report.Window
	for y := day.Year() + 1; y >= day.Year()-3 && len(out) < n; y-- {
		ws := report.Windows(rule, t, y)
		for i := len(ws) - 1; i >= 0 && len(out) < n; i-- {
			if !ws[i].From.After(day) {
				out = append(out, ws[i])
			}
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Demo report history: a year of monthly reports and four quarters, for
// every unit the schedules expect.
const (
	historyMonths   = 12
	historyQuarters = 4
)

// Report levels of the demo schedules.
var (
	communeLevel = report.LevelDeadline{Level: "commune", DaysAfterEnd: 2, WorkingDays: true}
	bodyLevel    = report.LevelDeadline{Level: "province", DaysAfterEnd: 5, WorkingDays: true}
)

// HomeUnitCode is Phường Hạc Thành, where the demo unit accounts work.
const HomeUnitCode = "14797"

// WardPartyCode is the demo's commune-level Party committee (Phường Hàm Rồng's).
const WardPartyCode = "14758-DU"

// recentPeriod is, for a template and a level, the last window whose
// deadline has passed by day: the period whose stragglers are being urged.
func recentPeriod(ws []report.Window, l report.LevelDeadline, day calendar.Date) (report.Window, bool) {
	for i := len(ws) - 1; i >= 0; i-- {
		if report.DueOn(store.Calendar, ws[i], l).Before(day) {
			return ws[i], true
		}
	}
	return report.Window{}, false
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
	hac, err := s.UnitByCode(ctx, HomeUnitCode, ReformDay)
	if err != nil {
		return err
	}
	wardParty, err := s.UnitByCode(ctx, WardPartyCode, ReformDay)
	if err != nil {
		return err
	}
	// The coordinating commission designs the reports and owns them: the
	// reports are Party-side, so a commune's is issued by its Party committee
	// (a State body still issues its own in the State form).
	commission, err := s.UnitByCode(ctx, "TU-BTGDV", ReformDay)
	if err != nil {
		return err
	}
	tpls := []*report.Template{
		{Code: MonthlyTemplate, Name: "Báo cáo tháng công tác dân vận", Description: "Báo cáo định kỳ hằng tháng về kết quả thực hiện công tác dân vận của cơ quan nhà nước, chính quyền các cấp.", PeriodType: report.Monthly, CutoffDay: 15, Definition: def, Active: true, OwnerUnitID: commission.ID},
		{Code: QuarterlyTemplate, Name: "Báo cáo quý công tác dân vận", Description: "Báo cáo định kỳ hằng quý về công tác dân vận.", PeriodType: report.Quarterly, CutoffDay: 15, Definition: def, Active: true, OwnerUnitID: commission.ID},
	}
	for _, t := range tpls {
		if err := s.CreateTemplate(ctx, a, t); err != nil {
			return fmt.Errorf("demo template %s: %w", t.Code, err)
		}
		for _, sc := range []report.Assignment{
			{TemplateID: t.ID, UnitID: prov.ID, Kinds: communeKinds, Deadlines: []report.LevelDeadline{communeLevel}},
			{TemplateID: t.ID, UnitID: prov.ID, Kinds: bodyKinds, Deadlines: []report.LevelDeadline{bodyLevel}},
			// The ward's Party committee reports with the communes.
			{TemplateID: t.ID, UnitID: wardParty.ID, Kinds: []string{string(org.KindPartyCommittee)}, Deadlines: []report.LevelDeadline{communeLevel}},
		} {
			if err := s.CreateSchedule(ctx, a, &sc); err != nil {
				return fmt.Errorf("demo schedule %s: %w", t.Code, err)
			}
		}
	}
	var canbo, dieuphoi int64
	if u, err := s.UserByName(ctx, "canbo"); err == nil {
		canbo = u.ID
	}
	if u, err := s.UserByName(ctx, "dieuphoi"); err == nil {
		dieuphoi = u.ID
	}
	day := today(s)
	now := s.Now()
	var seeds []store.ReportSeed
	for _, t := range tpls {
		n := historyMonths
		if t.PeriodType == report.Quarterly {
			n = historyQuarters
		}
		ws := recentWindows(t.Rule(), t.PeriodType, day, n)
		recent := map[string]report.Window{}
		for _, l := range []report.LevelDeadline{communeLevel, bodyLevel} {
			if w, ok := recentPeriod(ws, l, day); ok {
				recent[l.Level] = w
			}
		}
		for _, w := range ws {
			exp, err := s.ExpectedReports(ctx, t.ID, w)
			if err != nil {
				return fmt.Errorf("demo reports %s %s: %w", t.Code, w.Label, err)
			}
			for _, e := range exp {
				ph := phaseHistory
				due, err := calendar.ParseDate(e.DueOn)
				if err != nil {
					return fmt.Errorf("demo reports: due %q: %w", e.DueOn, err)
				}
				switch {
				case !due.Before(day):
					ph = phaseOpen
				case recent[e.Level].Label == w.Label && day.Sub(due) <= settleDays:
					ph = phaseRecent
				case recent[e.Level].Label == w.Label:
					ph = phaseSettling
				}
				body := rptContains(bodyKinds, e.UnitKind)
				if ph == phaseRecent && e.UnitID == wardParty.ID {
					ph = phaseRecentAwaiting
				}
				if seed, ok := demoSeed(t, w, e, ph, day, e.UnitID == hac.ID, canbo, dieuphoi, body); ok {
					seeds = append(seeds, notAfter(seed, now))
				}
			}
		}
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

// phase of a report relative to the demo's today.
type phase int

const (
	phaseHistory        phase = iota // long past: settled
	phaseRecent                      // the last period past its deadline: reviews, returns, stragglers
	phaseOpen                        // deadline not passed yet: drafts and early submissions
	phaseRecentAwaiting              // like phaseRecent, submitted on time and awaiting review
	phaseSettling                    // the last period past its deadline, weeks ago: reviewed but for a few stragglers
)

// settleDays after its deadline, the last period is mostly reviewed.
const settleDays = 20

// demoSeed decides one report's fate from a seeded roll: history is mostly
// accepted on time (some late, some returned once, a very few never sent);
// the last period past its deadline has submissions awaiting review,
// returned reports and a few overdue; the open period has drafts and early
// submissions. Phường Hạc Thành, the demo officers' ward, always has a
// returned report and a draft to work on.
func demoSeed(t *report.Template, w report.Window, e report.Expected, ph phase, day calendar.Date, home bool, canbo, reviewer int64, body bool) (store.ReportSeed, bool) {
	r := newRnd(t.Code, w.Label, e.UnitID)
	due, _ := calendar.ParseDate(e.DueOn)
	rep := report.Report{TemplateID: t.ID, UnitID: e.UnitID, PeriodType: w.Type, PeriodYear: w.Year, PeriodNumber: w.Number,
		PeriodFrom: w.From.String(), PeriodTo: w.To.String(), DueOn: e.DueOn, Narrative: demoNarrative(r), Values: demoValues(r, body),
		CreatedAt: at9(w.To, -3)}
	submitter := int64(0)
	if home {
		submitter = canbo
	}
	// submitOn is a submission offset days from the deadline, never before
	// the period's last day.
	submitOn := func(offset int) store.ReportStep {
		d := due.AddDays(offset)
		if d.Before(w.To) {
			d = w.To
		}
		return store.ReportStep{Status: report.Submitted, At: at9(d, 0).Add(time.Duration(r.n(480)) * time.Minute), ActorID: submitter}
	}
	accept := func(after time.Time) store.ReportStep {
		return store.ReportStep{Status: report.Accepted, At: after.Add(time.Duration(20+r.n(60)) * time.Hour), ActorID: reviewer}
	}
	ret := func(after time.Time) store.ReportStep {
		return store.ReportStep{Status: report.Returned, At: after.Add(26 * time.Hour), ActorID: reviewer, Comment: returnComments[r.n(len(returnComments))]}
	}
	seed := func(h ...store.ReportStep) (store.ReportSeed, bool) {
		return store.ReportSeed{Report: rep, History: h}, true
	}
	roll := r.n(100)
	switch ph {
	case phaseHistory:
		switch {
		case roll < 2 && !home:
			return store.ReportSeed{}, false // never sent
		case roll < 9: // late
			s := submitOn(1 + r.n(5))
			return seed(s, accept(s.At))
		case roll < 15: // returned once, corrected in time
			s := submitOn(-4 - r.n(3))
			rt := ret(s.At)
			s2 := store.ReportStep{Status: report.Submitted, At: rt.At.Add(30 * time.Hour), ActorID: submitter}
			return seed(s, rt, s2, accept(s2.At))
		default:
			s := submitOn(-r.n(4))
			return seed(s, accept(s.At))
		}
	case phaseRecentAwaiting:
		return seed(submitOn(-1))
	case phaseSettling:
		if !home && roll < 3 {
			s := submitOn(-1 - r.n(2))
			return seed(s, ret(s.At)) // returned, still not corrected
		}
		return demoSeed(t, w, e, phaseHistory, day, home, canbo, reviewer, body)
	case phaseRecent:
		if home {
			if w.Type == report.Monthly {
				s := submitOn(-1)
				return seed(s, ret(s.At)) // returned, to be corrected
			}
			return seed(submitOn(-1)) // awaiting review
		}
		switch {
		case roll < 2:
			return store.ReportSeed{}, false // overdue, not started
		case roll < 4:
			return seed() // overdue draft
		case roll < 10:
			s := submitOn(-1 - r.n(2))
			return seed(s, ret(s.At)) // returned, to be corrected
		case roll < 22:
			return seed(submitOn(-r.n(3))) // on time, awaiting review
		case roll < 27:
			return seed(submitOn(1 + r.n(2))) // late, awaiting review
		case roll < 31:
			s := submitOn(1 + r.n(3))
			return seed(s, accept(s.At))
		default:
			s := submitOn(-r.n(3))
			return seed(s, accept(s.At))
		}
	default: // open
		ended := !day.Before(w.To.AddDays(1))
		if home {
			rep.Values = report.Values{"citizen_receptions": "2", "cases_received": "4"}
			return seed() // the officers' current draft
		}
		if !ended {
			if roll < 10 {
				return seed() // started early
			}
			return store.ReportSeed{}, false
		}
		// Between the period's end and its deadline: submissions made
		// so far (the ones dated after today are dropped by notAfter).
		switch {
		case roll < 30:
			return store.ReportSeed{}, false
		case roll < 55:
			return seed()
		case roll < 85:
			return seed(submitOn(-r.n(3)))
		default:
			s := submitOn(-r.n(3))
			return seed(s, accept(s.At))
		}
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
