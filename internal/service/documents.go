package service

import (
	"context"

	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/store"
)

// reportIssuer is the body that issues a report of unitID on templateID
// as a document (see export.IssuerFor): the unit, or for a place its organ
// on the side of the template's owner.
func (r *Reports) reportIssuer(ctx context.Context, unitID, templateID int64) (export.Issuer, error) {
	u, ok := r.tree.Unit(unitID)
	if !ok {
		return export.Issuer{}, ErrNotFound
	}
	side := export.SideState
	if tpl, err := r.st.GetTemplate(ctx, templateID); err != nil {
		return export.Issuer{}, unavailable("report issuer", err)
	} else if owner, ok := r.tree.Unit(tpl.OwnerUnitID); ok {
		side = export.SideOf(owner)
	}
	at := r.Today()
	kids := func(id int64) []org.Unit { return r.tree.ChildrenAt(id, at) }
	return export.IssuerFor(u, r.tree.Ancestors(unitID), side, kids), nil
}

// withRegister names, in ctx, the register that numbers rep when it is
// submitted now (see store.WithRegister).
func (r *Reports) withRegister(ctx context.Context, rep Report) (context.Context, error) {
	is, err := r.reportIssuer(ctx, rep.UnitID, rep.TemplateID)
	if err != nil {
		return ctx, err
	}
	return store.WithRegister(ctx, export.RegisterFor(is, r.Now().In(Vietnam).Year())), nil
}

// NumberReceived numbers the received reports that have no number (those
// submitted before the registers existed, or loaded without the service),
// in the order they were submitted, each in its issuer's register for the
// year of its submission (see export.NumberReceived). Administrators only.
// It returns how many it numbered.
func (r *Reports) NumberReceived(ctx context.Context, p *Principal) (int, error) {
	if err := signedIn(p); err != nil {
		return 0, err
	}
	if !p.System && !p.IsAdmin() {
		return 0, ErrForbidden
	}
	n, err := export.NumberReceived(ctx, r.st, p.Actor())
	return n, unavailable("number reports", err)
}
