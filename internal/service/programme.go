package service

// Programme is the programme capability.
type Programme struct {
	base
}

func newProgramme(b base) *Programme { return &Programme{base: b} }
