package server

import (
	"crypto/subtle"
	"net/http"

	"github.com/danvan/danvan/internal/account"
)

// CSRFCookie carries the double-submit token of visitors who are not signed in.
const CSRFCookie = "danvan_csrf"

// CSRFToken returns the token forms must echo: the session's own token when
// signed in, otherwise a random token in a cookie (double submit). Cookies
// are SameSite=Lax and, separately, cross-origin unsafe requests are refused
// by http.CrossOriginProtection around the whole handler.
func (d *Deps) CSRFToken(w http.ResponseWriter, r *http.Request) string {
	if p := PrincipalFrom(r.Context()); p != nil && p.Session != nil {
		return p.Session.CSRF
	}
	if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok, _, _ := account.NewToken("")
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: tok, Path: "/", HttpOnly: true, Secure: d.secure(r), SameSite: http.SameSiteLaxMode})
	// Later calls in this request must see the same token.
	r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: tok})
	return tok
}

// CheckCSRF verifies the token of a state-changing request: the form field
// "csrf" or the X-CSRF-Token header. Bearer-token API calls carry no cookie
// and need none.
func (d *Deps) CheckCSRF(r *http.Request) bool {
	p := PrincipalFrom(r.Context())
	if p != nil && p.ViaToken {
		return true
	}
	var want string
	if p != nil && p.Session != nil {
		want = p.Session.CSRF
	} else if c, err := r.Cookie(CSRFCookie); err == nil {
		want = c.Value
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
