// Package legal holds the legal deadlines of citizen cases (complaints,
// denunciations, feedback on administrative regulations, grassroots
// mediation): the rules table of today's law, versioned by effective date,
// and the counting of a deadline from a start date on the working-day
// calendar (Civil Code 2015 Art. 147–148). It is pure: the stored versions
// administrators add come from the service, which passes them in.
package legal

import (
	"regexp"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/calendar"
)

// Rule is one version of a deadline rule: Days days (working days when
// WorkingDays) counted from the day after the start, or RemoteDays in remote
// and disadvantaged areas (0: the same as Days). A version applies to cases
// starting on or after EffectiveFrom until a later version of the same Key
// takes over.
type Rule struct {
	Key           string
	Days          int
	WorkingDays   bool
	RemoteDays    int
	EffectiveFrom calendar.Date
	// Basis is the legal basis, in Vietnamese.
	Basis string
	// Name is the rule's name, in Vietnamese.
	Name string
}

// DaysFor returns the number of days of r for a case in a remote area or not.
func (r Rule) DaysFor(remote bool) int {
	if remote && r.RemoteDays > 0 {
		return r.RemoteDays
	}
	return r.Days
}

// Keys of the default rules.
const (
	ComplaintAccept               = "complaint.accept"
	ComplaintResolve              = "complaint.resolve"
	ComplaintResolveComplex       = "complaint.resolve.complex"
	ComplaintResolveSecond        = "complaint.resolve.second"
	ComplaintResolveSecondComplex = "complaint.resolve.second.complex"
	DenunciationAccept            = "denunciation.accept"
	DenunciationAcceptMulti       = "denunciation.accept.multi"
	DenunciationForward           = "denunciation.forward"
	DenunciationNotify            = "denunciation.notify"
	DenunciationResolve           = "denunciation.resolve"
	DenunciationExtend            = "denunciation.extend"
	DenunciationExtendSpecial     = "denunciation.extend.special"
	FeedbackTransfer              = "feedback.transfer"
	MediationStart                = "mediation.start"
)

// Effective dates of the laws behind the default rules.
var (
	complaintsLaw    = calendar.MustParseDate("2012-07-01") // Law 02/2011/QH13
	denunciationsLaw = calendar.MustParseDate("2019-01-01") // Law 25/2018/QH14
	feedbackDecree   = calendar.MustParseDate("2008-02-14") // Decree 20/2008/NĐ-CP (date of issue)
	mediationLaw     = calendar.MustParseDate("2014-01-01") // Law 35/2013/QH13
)

// Defaults returns the rules of today's law (DOMAIN: "Deadlines of citizen
// cases"), by key. The caller owns the slice.
func Defaults() []Rule {
	return []Rule{
		{Key: ComplaintAccept, Days: 10, WorkingDays: true, EffectiveFrom: complaintsLaw, Name: "Thụ lý khiếu nại",
			Basis: "Luật Khiếu nại số 02/2011/QH13, Điều 27; Thông tư 07/2013/TT-TTCP (10 ngày làm việc). Cần kiểm tra Nghị định 155/2026/NĐ-CP có thể rút xuống 7 ngày làm việc; đang áp dụng 10 ngày làm việc."},
		{Key: ComplaintResolve, Days: 30, RemoteDays: 45, EffectiveFrom: complaintsLaw, Name: "Giải quyết khiếu nại lần đầu",
			Basis: "Luật Khiếu nại số 02/2011/QH13, Điều 28: 30 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 45 ngày."},
		{Key: ComplaintResolveComplex, Days: 45, RemoteDays: 60, EffectiveFrom: complaintsLaw, Name: "Giải quyết khiếu nại lần đầu, vụ việc phức tạp",
			Basis: "Luật Khiếu nại số 02/2011/QH13, Điều 28: vụ việc phức tạp 45 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 60 ngày."},
		{Key: ComplaintResolveSecond, Days: 45, RemoteDays: 60, EffectiveFrom: complaintsLaw, Name: "Giải quyết khiếu nại lần hai",
			Basis: "Luật Khiếu nại số 02/2011/QH13, Điều 37: 45 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 60 ngày."},
		{Key: ComplaintResolveSecondComplex, Days: 60, RemoteDays: 70, EffectiveFrom: complaintsLaw, Name: "Giải quyết khiếu nại lần hai, vụ việc phức tạp",
			Basis: "Luật Khiếu nại số 02/2011/QH13, Điều 37: vụ việc phức tạp 60 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 70 ngày."},
		{Key: DenunciationAccept, Days: 7, WorkingDays: true, EffectiveFrom: denunciationsLaw, Name: "Xử lý ban đầu thông tin tố cáo",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 24: 7 ngày làm việc kể từ ngày nhận được tố cáo."},
		{Key: DenunciationAcceptMulti, Days: 10, WorkingDays: true, EffectiveFrom: denunciationsLaw, Name: "Xử lý ban đầu thông tin tố cáo, cần xác minh ở nhiều địa điểm",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 24: 10 ngày làm việc khi phải kiểm tra, xác minh ở nhiều địa điểm."},
		{Key: DenunciationForward, Days: 5, WorkingDays: true, EffectiveFrom: denunciationsLaw, Name: "Chuyển tố cáo không thuộc thẩm quyền",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 24: chuyển đến người có thẩm quyền trong 5 ngày làm việc kể từ ngày nhận được tố cáo."},
		{Key: DenunciationNotify, Days: 5, WorkingDays: true, EffectiveFrom: denunciationsLaw, Name: "Thông báo thụ lý tố cáo",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 29: thông báo cho người tố cáo trong 5 ngày làm việc kể từ ngày ra quyết định thụ lý."},
		{Key: DenunciationResolve, Days: 30, EffectiveFrom: denunciationsLaw, Name: "Giải quyết tố cáo",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 30: 30 ngày kể từ ngày thụ lý tố cáo."},
		{Key: DenunciationExtend, Days: 30, EffectiveFrom: denunciationsLaw, Name: "Gia hạn giải quyết tố cáo, vụ việc phức tạp",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 30: vụ việc phức tạp được gia hạn một lần, không quá 30 ngày."},
		{Key: DenunciationExtendSpecial, Days: 60, EffectiveFrom: denunciationsLaw, Name: "Gia hạn giải quyết tố cáo, vụ việc đặc biệt phức tạp",
			Basis: "Luật Tố cáo số 25/2018/QH14, Điều 30: vụ việc đặc biệt phức tạp được gia hạn hai lần, mỗi lần không quá 30 ngày (tổng 60 ngày)."},
		{Key: FeedbackTransfer, Days: 5, WorkingDays: true, EffectiveFrom: feedbackDecree, Name: "Chuyển phản ánh, kiến nghị không thuộc thẩm quyền",
			Basis: "Nghị định 20/2008/NĐ-CP về tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính: chuyển trong 5 ngày làm việc nếu không thuộc thẩm quyền."},
		{Key: MediationStart, Days: 3, EffectiveFrom: mediationLaw, Name: "Bắt đầu hòa giải ở cơ sở",
			Basis: "Luật Hòa giải ở cơ sở số 35/2013/QH13: bắt đầu hòa giải trong 3 ngày kể từ ngày được phân công. Luật không nói rõ ngày làm việc; tính theo ngày lịch — cần kiểm tra."},
	}
}

// DefaultKeys returns the keys of the default rules, sorted.
func DefaultKeys() []string {
	var ks []string
	for _, r := range Defaults() {
		ks = append(ks, r.Key)
	}
	slices.Sort(ks)
	return ks
}

var keyPattern = regexp.MustCompile(`^[a-z]+(\.[a-z]+)*$`)

// ValidKey reports whether k is a well-formed rule key: lower-case words
// separated by dots, such as "complaint.resolve.second".
func ValidKey(k string) bool { return len(k) <= 100 && keyPattern.MatchString(k) }

// Due returns the last day of the period of r that starts after start: the
// first day is not counted (Civil Code Art. 147). A working-day rule counts
// working days after start; a calendar-day rule ends on start + days, moved
// to the next working day when that day is a weekly rest day or a holiday
// (Art. 148). remote selects the longer period of remote and disadvantaged
// areas when r has one.
func Due(cal calendar.Calendar, r Rule, start calendar.Date, remote bool) calendar.Date {
	n := r.DaysFor(remote)
	if r.WorkingDays {
		return cal.AddWorkingDays(start, n)
	}
	return cal.AddCalendarDays(start, n)
}

// Pick returns the version of key in force on day on: the one with the
// latest EffectiveFrom not after on. It reports false if key has no version
// in force then.
func Pick(rules []Rule, key string, on calendar.Date) (Rule, bool) {
	var best Rule
	found := false
	for _, r := range rules {
		if r.Key != key || r.EffectiveFrom.After(on) {
			continue
		}
		if !found || !r.EffectiveFrom.Before(best.EffectiveFrom) {
			best, found = r, true
		}
	}
	return best, found
}

// InForce returns, for each key of rules, the version in force on day on,
// sorted by key. Keys with no version in force yet are left out.
func InForce(rules []Rule, on calendar.Date) []Rule {
	seen := map[string]bool{}
	var out []Rule
	for _, r := range rules {
		if seen[r.Key] {
			continue
		}
		seen[r.Key] = true
		if p, ok := Pick(rules, r.Key, on); ok {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Known reports whether key has any version in rules.
func Known(rules []Rule, key string) bool {
	return slices.ContainsFunc(rules, func(r Rule) bool { return r.Key == key })
}
