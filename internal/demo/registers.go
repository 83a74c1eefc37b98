package demo

import (
	"context"
	"fmt"

	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/export"
	"github.com/danvan/danvan/internal/store"
)

// loadRegisters gives the demo's received reports, which are loaded
// without the service, their numbers in their issuing bodies' registers,
// in the order they were submitted — as if each had been numbered when it
// was submitted.
func loadRegisters(ctx context.Context, s *store.Store) error {
	if _, err := export.NumberReceived(ctx, s, audit.System("demo")); err != nil {
		return fmt.Errorf("demo registers: %w", err)
	}
	return nil
}
