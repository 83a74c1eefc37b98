package export

import (
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/store"
)

// BasisNote says in l what a consolidation counts: on the accepted basis,
// how many accepted reports and how many waiting for review were left out;
// on the received basis, how many of the reports counted are accepted and
// how many still wait for review. The page and every export print it.
func BasisNote(l i18n.Locale, c store.Consolidation) string {
	key := "consolidated.basis_note.received"
	if c.Basis == store.BasisAccepted {
		key = "consolidated.basis_note.accepted"
	}
	return l.T(key, c.Accepted, c.Pending, c.Accepted+c.Pending)
}
