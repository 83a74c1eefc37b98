package service

// Accounts is the accounts capability.
type Accounts struct {
	base
}

func newAccounts(b base) *Accounts { return &Accounts{base: b} }
