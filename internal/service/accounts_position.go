package service

import (
	"context"

	"github.com/danvan/danvan/internal/authz"
)

// maxPosition bounds a position (chức vụ).
const maxPosition = 100

// Position returns the position (chức vụ) of user userID, which signature
// blocks print ("Phó Giám đốc"). A user reads their own; user.manage reads
// anyone's.
func (s *Accounts) Position(ctx context.Context, p *Principal, userID int64) (string, error) {
	if err := s.mayEditProfile(p, userID); err != nil {
		return "", err
	}
	si, err := s.st.Signer(ctx, userID)
	return si.Position, unavailable("position", err)
}

// SetPosition sets the position of user userID (empty: none), audited. A
// user sets their own; user.manage sets anyone's.
func (s *Accounts) SetPosition(ctx context.Context, p *Principal, userID int64, position string) error {
	if err := s.mayEditProfile(p, userID); err != nil {
		return err
	}
	var v Validator
	position = v.Line("position", position, 0, maxPosition)
	if err := v.Err(); err != nil {
		return err
	}
	return unavailable("set position", s.st.SetPosition(ctx, p.Actor(), userID, position))
}

func (s *Accounts) mayEditProfile(p *Principal, userID int64) error {
	if p == nil || (p.User.ID == 0 && !p.System) {
		return ErrUnauthenticated
	}
	if p.User.ID == userID && userID != 0 {
		return nil
	}
	return s.authorize(p, authz.ActionUserManage, 0)
}
