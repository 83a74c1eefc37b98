package service

import "context"

// Ping checks that the database answers (readiness).
func (s *Accounts) Ping(ctx context.Context) error {
	return unavailable("ping", s.st.DB().PingContext(ctx))
}

// OpenConnections is the number of open database connections (metrics).
func (s *Accounts) OpenConnections() int {
	return s.st.DB().Stats().OpenConnections
}
