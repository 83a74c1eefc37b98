package service

// Units is the units capability.
type Units struct {
	base
}

func newUnits(b base) *Units { return &Units{base: b} }
