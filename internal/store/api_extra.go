package store

import (
	"context"

	"github.com/danvan/danvan/internal/authz"
)

// CountRoleGrants counts the grants of role across the installation (the
// API refuses to revoke the last administrator grant).
func (s *Store) CountRoleGrants(ctx context.Context, role authz.Role) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM grants g JOIN users u ON u.id = g.user_id WHERE g.role = ? AND u.disabled = ?`), string(role), false).Scan(&n)
	return n, err
}
