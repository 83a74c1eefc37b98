package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/danvan/danvan/internal/store"
)

// ErrNotDemo means the database holds data that is not the demo's: the
// demo neither adds to it nor wipes it.
var ErrNotDemo = errors.New("the database holds data that is not the demo's (units or accounts other than the demo's)")

// State of a database before the demo is loaded into it.
type State int

const (
	Empty   State = iota // no unit, no account: load the demo
	Demo                 // the demo and no account but the demo's: reuse it, or wipe it on request
	Foreign              // anything else: leave it alone
)

// Inspect says what the database holds. A database is the demo's when the
// demo's province is there and every account is a demo account, so that a
// wipe loses nothing anyone else entered in an account of their own.
func Inspect(ctx context.Context, s *store.Store) (State, error) {
	empty, err := s.IsEmpty(ctx)
	if err != nil {
		return Foreign, err
	}
	if empty {
		return Empty, nil
	}
	if !Loaded(ctx, s) {
		return Foreign, nil
	}
	demo := map[string]bool{}
	for _, a := range Accounts {
		demo[a.Username] = true
	}
	users, n, err := s.ListUsers(ctx, "", len(Accounts)+1, 0)
	if err != nil {
		return Foreign, fmt.Errorf("demo: list accounts: %w", err)
	}
	if n > len(Accounts) {
		return Foreign, nil
	}
	for _, u := range users {
		if !demo[u.Username] {
			return Foreign, nil
		}
	}
	return Demo, nil
}

// Wipe empties a database that holds the demo (or nothing), and refuses
// any other with ErrNotDemo. Close the store afterwards.
func Wipe(ctx context.Context, s *store.Store) error {
	st, err := Inspect(ctx, s)
	if err != nil {
		return err
	}
	switch st {
	case Empty:
		return nil
	case Demo:
		return s.Wipe(ctx)
	}
	return ErrNotDemo
}
