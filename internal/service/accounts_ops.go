package service

import (
	"context"
	"errors"
)

// Ping checks that the database answers on both the writer and the read
// pool, and that the audit chain is being sealed (readiness).
func (s *Accounts) Ping(ctx context.Context) error {
	err := errors.Join(s.st.DB().PingContext(ctx), s.st.ReadDB().PingContext(ctx), s.st.LastSealError())
	return unavailable("ping", err)
}

// OpenConnections is the number of open database connections, writer and
// readers (metrics).
func (s *Accounts) OpenConnections() int {
	n := s.st.DB().Stats().OpenConnections
	if r := s.st.ReadDB(); r != s.st.DB() {
		n += r.Stats().OpenConnections
	}
	return n
}
