package service

import (
	"context"
	"strconv"
)

// OpenConsultations gives the portal's "Dân bàn" block: the drafts open
// for comment today, soonest closing first, at most limit of them. Meta is
// the last day of comments (YYYY-MM-DD).
func (s *Consult) OpenConsultations(ctx context.Context, limit int) ([]PortalItem, error) {
	all, err := s.Public(ctx)
	if err != nil {
		return nil, err
	}
	var open []Consultation
	for _, c := range all {
		if c.Phase == PhaseOpen {
			open = append(open, c)
		}
	}
	// Soonest closing first; the list is short.
	for i := 1; i < len(open); i++ {
		for j := i; j > 0 && open[j].ClosesOn < open[j-1].ClosesOn; j-- {
			open[j], open[j-1] = open[j-1], open[j]
		}
	}
	out := []PortalItem{}
	for _, c := range open {
		if len(out) == limit {
			break
		}
		out = append(out, PortalItem{Title: c.Title, URL: "/gop-y/" + strconv.FormatInt(c.ID, 10), Meta: c.ClosesOn})
	}
	return out, nil
}
