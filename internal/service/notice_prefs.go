package service

// Notices: each person chooses which kinds of notice also reach them by
// e-mail. The in-app notice is always written; the store skips the e-mail,
// in the transaction of the step that notifies, for a kind its reader
// turned off. Everyone manages their own choice; an administrator may read
// another person's.

import (
	"context"
	"slices"
	"strings"

	"github.com/danvan/danvan/internal/followup"
)

// NoticeKinds are the kinds of notice a person may choose to receive by
// e-mail, in the order they are offered.
var NoticeKinds = []string{
	KindReportSubmitted, KindReportReturned, KindReportAccepted,
	KindTaskAssigned, KindInspectionOpened, KindInspectionFinding,
	followup.KindUrge, followup.KindRecommendation, followup.KindResponse,
	followup.KindReminderDue, followup.KindReminderLate,
	KindCaseAssigned, KindCaseDue, KindCaseEscalated,
}

// NoticePref is whether one kind of notice is e-mailed.
type NoticePref struct {
	Kind  string `json:"kind"`
	Email bool   `json:"email"`
}

// Notices holds the notice preference use cases.
type Notices struct{ base }

func newNotices(b base) *Notices { return &Notices{base: b} }

// EmailPrefs returns userID's choice for every kind (on unless turned off).
// userID 0 means p; only an administrator may read someone else's.
func (n *Notices) EmailPrefs(ctx context.Context, p *Principal, userID int64) ([]NoticePref, error) {
	if p == nil || p.UserID() == 0 {
		return nil, ErrForbidden
	}
	if userID == 0 {
		userID = p.UserID()
	}
	if userID != p.UserID() && !p.IsAdmin() {
		return nil, ErrForbidden
	}
	if userID != p.UserID() {
		if _, err := n.st.GetUser(ctx, userID); err != nil {
			return nil, unavailable("notice prefs", err)
		}
	}
	set, err := n.st.NoticeEmailPrefs(ctx, userID)
	if err != nil {
		return nil, unavailable("notice prefs", err)
	}
	out := make([]NoticePref, 0, len(NoticeKinds))
	for _, k := range NoticeKinds {
		on, ok := set[k]
		out = append(out, NoticePref{Kind: k, Email: on || !ok})
	}
	return out, nil
}

// SetEmailPrefs records p's own choice for the kinds in prefs (kinds left
// out keep their setting) and returns the whole choice.
func (n *Notices) SetEmailPrefs(ctx context.Context, p *Principal, prefs map[string]bool) ([]NoticePref, error) {
	if p == nil || p.UserID() == 0 {
		return nil, ErrForbidden
	}
	inv := &InvalidError{}
	for k := range prefs {
		if !slices.Contains(NoticeKinds, k) {
			inv.Fields = append(inv.Fields, FieldError{Field: k, Key: "notices.unknown_kind", Args: []any{k}})
		}
	}
	if len(inv.Fields) > 0 {
		slices.SortFunc(inv.Fields, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
		return nil, inv
	}
	if len(prefs) > 0 {
		if err := n.st.SetNoticeEmailPrefs(ctx, p.Actor(), p.UserID(), prefs); err != nil {
			return nil, unavailable("set notice prefs", err)
		}
	}
	return n.EmailPrefs(ctx, p, 0)
}
