package service

// FollowUp is the follow-up capability: notifications, urges, inspections,
// reminders and the dashboard.
type FollowUp struct {
	base
	reports *Reports
}

func newFollowUp(b base, r *Reports) *FollowUp { return &FollowUp{base: b, reports: r} }
