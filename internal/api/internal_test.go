package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
)

// An unexpected error is a 500 problem that shows nothing of the cause.
func TestInternalErrorsHideTheCause(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := &api{d: &server.Deps{I18n: b}}
	w := httptest.NewRecorder()
	a.fail(w, httptest.NewRequest("GET", "/api/v1/units", nil), errors.New("pq: secret table exploded"))
	if w.Code != 500 || w.Header().Get("Content-Type") != "application/problem+json" || strings.Contains(w.Body.String(), "secret") ||
		!strings.Contains(w.Body.String(), ProblemType+kindInternal) {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	// A panicking handler answers the same way.
	w = httptest.NewRecorder()
	a.endpoint(route{"GET", "/x", false, func(*api, http.ResponseWriter, *http.Request) error { panic("boom") }}).ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if w.Code != 500 || strings.Contains(w.Body.String(), "boom") {
		t.Fatalf("panic: %d %s", w.Code, w.Body.String())
	}
	if m := b.Missing(); len(m) > 0 {
		t.Fatalf("missing keys %q", m)
	}
}

// Every message key the package uses exists in every catalog.
func TestMessageKeysExist(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{detailMalformed, detailNotObject, detailEmptyBody, detailTrailing, detailUnknownField, detailWrongType,
		detailTooLarge, detailMediaType, detailBadParam, detailUnauth, detailBadToken, detailCSRF, detailForbidden,
		detailNotFound, detailNoRoute, detailMethod, detailConflict, detailUserExists, detailLastAdmin, detailValidation, detailInternal,
		msgFieldUnknown, msgFieldWrongType, msgFieldRequired, msgFieldTooLong, msgFieldBadChars, msgFieldBadDate, msgFieldBadTime,
		msgFieldBadInt, msgFieldBadLimit, msgFieldBadKind, msgFieldBadRole, msgFieldBadBool, msgFieldBadEmail, msgFieldBadLocale,
		msgFieldNoUnit, msgFieldCombine, msgFieldLimitAll, msgFieldUsername, msgFieldPwShort, msgFieldPwLong}
	for _, k := range titleKeys {
		keys = append(keys, k)
	}
	for _, lang := range i18n.Supported() {
		for _, k := range keys {
			if !b.Has(lang, k) {
				t.Errorf("%s: %q is missing", lang, k)
			}
		}
	}
}
