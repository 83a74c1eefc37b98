package export

import (
	"context"
	"fmt"
	"time"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/calendar"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/report"
	"github.com/danvan/danvan/internal/store"
)

// RegisterFor is the register that numbers the reports the issuer issues
// in year: the issuer's register of reports (BC).
func RegisterFor(is Issuer, year int) store.RegisterKey {
	return store.RegisterKey{BodyID: is.UnitID, Organ: is.Organ, Year: year, Kind: KindReport}
}

// NumberReceived numbers the received reports that have no number (those
// submitted before the registers existed, or loaded without the service),
// in the order they were submitted, each in its issuer's register for the
// year of its submission (in Vietnam). The caller checks that a is allowed
// to. It returns how many it numbered.
func NumberReceived(ctx context.Context, st *store.Store, a audit.Actor) (int, error) {
	at := st.Now().In(calendar.Vietnam).Format(time.DateOnly)
	lookup := func(id int64) []org.Unit {
		kids, err := st.Children(ctx, id, at)
		if err != nil {
			return nil
		}
		return kids
	}
	sides := map[int64]Side{}
	n := 0
	for {
		batch, err := st.UnnumberedReports(ctx, 500)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		for _, r := range batch {
			side, ok := sides[r.TemplateID]
			if !ok {
				tpl, err := st.GetTemplate(ctx, r.TemplateID)
				if err != nil {
					return n, fmt.Errorf("number report %d: %w", r.ID, err)
				}
				side, err = templateSide(ctx, st, tpl)
				if err != nil {
					return n, fmt.Errorf("number report %d: %w", r.ID, err)
				}
				sides[r.TemplateID] = side
			}
			u, err := st.GetUnit(ctx, r.UnitID)
			if err != nil {
				return n, fmt.Errorf("number report %d: %w", r.ID, err)
			}
			anc, err := st.Ancestors(ctx, r.UnitID)
			if err != nil {
				return n, fmt.Errorf("number report %d: %w", r.ID, err)
			}
			k := RegisterFor(IssuerFor(u, anc, side, lookup), r.SubmittedAt.In(calendar.Vietnam).Year())
			if k.BodyID == 0 {
				return n, fmt.Errorf("number report %d: no issuing body", r.ID)
			}
			if err := st.NumberReport(ctx, a, r.ID, k); err != nil {
				return n, err
			}
			n++
		}
	}
}

// templateSide is the side of a template from its owner (State without one).
func templateSide(ctx context.Context, st *store.Store, tpl report.Template) (Side, error) {
	if tpl.OwnerUnitID == 0 {
		return SideState, nil
	}
	owner, err := st.GetUnit(ctx, tpl.OwnerUnitID)
	if err != nil {
		return SideState, err
	}
	return SideOf(owner), nil
}
