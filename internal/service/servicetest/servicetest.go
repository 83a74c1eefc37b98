// Package servicetest builds the services over a test store.
package servicetest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/config"
	"github.com/danvan/danvan/internal/service"
	"github.com/danvan/danvan/internal/store"
)

// New wires the services over st with the default configuration.
func New(t testing.TB, st *store.Store) *service.Services {
	t.Helper()
	svc, err := service.New(context.Background(), service.Deps{Store: st, Cfg: config.Default(), Policy: account.DefaultPolicy, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
