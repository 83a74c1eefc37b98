package service

// Reports is the reports capability.
type Reports struct {
	base
}

func newReports(b base) *Reports { return &Reports{base: b} }
