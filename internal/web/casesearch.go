package web

// Similar cases before sending: the "check for similar cases" button of
// the public form (/cases/new) posts the form like the send button, so
// that nothing typed (the identity included) travels in a URL, and the form
// comes back with the open public cases of the same category at the same
// place (service.Cases.Similar), each linked to its tracking page. Nothing
// is stored. It works without JavaScript.

import (
	"net/http"

	"github.com/danvan/danvan/internal/service"
)

func (w *Web) caseSimilar(rw http.ResponseWriter, r *http.Request, f caseForm, in service.CaseInput) {
	place := in.PlaceUnitID
	if place < 0 {
		place = 0
	}
	found, err := w.d.Svc.Cases.Similar(r.Context(), service.SimilarQuery{Category: in.Category, PlaceUnitID: place,
		Text: service.Truncate(in.Title+" "+in.Description, service.MaxCaseDescription)})
	needs := false
	if _, ok := service.AsInvalid(err); ok {
		needs, err = true, nil
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderCaseNew(rw, r, http.StatusOK, f, nil, func(d *caseNewData) {
		d.SimilarChecked, d.SimilarNeeds, d.Similar = true, needs, found
	})
}
