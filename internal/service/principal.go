package service

import (
	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
)

// Principal is the signed-in user of a request or command: the user and the
// roles granted on subtrees of the organisation.
type Principal struct {
	User     account.User
	Grants   []authz.Grant
	Session  *account.Session // nil for bearer-token requests and the command line
	ViaToken bool
	TokenID  int64 // the API token used, when ViaToken
	// System marks the command line and background jobs acting for the
	// installation: every permission check passes.
	System bool
	// IP is the client address, for the audit log.
	IP string
	// Client names the client application that authenticated with a key
	// (Open311): public intake is then counted per application, not per
	// address.
	Client string
}

// Actor is how the principal appears in the audit log.
func (p *Principal) Actor() audit.Actor {
	switch {
	case p == nil:
		return audit.Actor{Name: "anonymous"}
	case p.System:
		return audit.System(p.User.Username)
	case p.User.ID == 0:
		return audit.Actor{Name: "anonymous", IP: p.IP}
	}
	return audit.Actor{UserID: p.User.ID, Name: p.User.Username, IP: p.IP}
}

// SystemPrincipal is the principal of the command line and background jobs.
func SystemPrincipal() *Principal {
	return &Principal{System: true, User: account.User{Username: "system"}}
}

// IsAdmin reports whether the principal holds the admin role anywhere.
func (p *Principal) IsAdmin() bool {
	if p == nil {
		return false
	}
	return p.System || authz.IsAdmin(p.Grants)
}

// HasRole reports whether the principal holds role r on any unit.
func (p *Principal) HasRole(r authz.Role) bool {
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// OnlyCitizen reports whether the principal holds no role but citizen: such
// users see the public parts only.
func (p *Principal) OnlyCitizen() bool {
	if p == nil {
		return true
	}
	if p.System {
		return false
	}
	for _, g := range p.Grants {
		if g.Role != authz.RoleCitizen {
			return false
		}
	}
	return true
}

// UserID is the principal's user id, 0 when anonymous or system.
func (p *Principal) UserID() int64 {
	if p == nil {
		return 0
	}
	return p.User.ID
}
