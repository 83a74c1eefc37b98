package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/org"
	"github.com/danvan/danvan/internal/server"
)

type homeData struct {
	Communes, Bodies, OldCommunes int64
}

func (w *Web) home(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := today()
	var d homeData
	for _, c := range []struct {
		dst   *int64
		at    string
		kinds []org.Kind
	}{
		{&d.Communes, t, []org.Kind{org.KindCommune, org.KindWard, org.KindSpecialZone}},
		{&d.Bodies, t, []org.Kind{org.KindPartyCommittee, org.KindPartyCommission, org.KindPartyOrgan, org.KindPeoplesCouncil,
			org.KindPeoplesCommittee, org.KindDepartment, org.KindStateAgency, org.KindFatherlandFront, org.KindMassOrg}},
		{&d.OldCommunes, "2025-03-01", []org.Kind{org.KindCommune, org.KindWard, org.KindTownship}},
	} {
		n, err := w.d.Store.CountUnitsAt(ctx, c.at, c.kinds...)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		*c.dst = int64(n)
	}
	w.render(rw, r, http.StatusOK, "home", w.page(rw, r, "home.title", d))
}

type signinData struct {
	Username, Next, Error string
	DemoPassword          string
	DemoAccounts          []demo.Account
}

// safeNext keeps redirects on this site.
func safeNext(s string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	if u, err := url.Parse(s); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return s
}

func (w *Web) signinPage(rw http.ResponseWriter, r *http.Request, status int, d signinData) {
	if w.d.Cfg.Demo {
		d.DemoPassword, d.DemoAccounts = demo.Password, demo.Accounts
	}
	w.render(rw, r, status, "signin", w.page(rw, r, "signin.title", d))
}

func (w *Web) signinForm(rw http.ResponseWriter, r *http.Request) {
	if server.PrincipalFrom(r.Context()) != nil {
		http.Redirect(rw, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	w.signinPage(rw, r, http.StatusOK, signinData{Next: safeNext(r.URL.Query().Get("next"))})
}

// signin checks credentials. Every failure shows the same message, whether
// the user name or the password was wrong, and takes the same time.
func (w *Web) signin(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	l := server.LocaleFrom(ctx)
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := server.ClientIP(r)
	data := signinData{Username: name, Next: next}
	if len(name) > 64 || len(pw) > 256 {
		data.Error = l.T("signin.failed")
		w.signinPage(rw, r, http.StatusUnauthorized, data)
		return
	}
	p := w.d.Policy
	if n, err := w.d.Store.RecentFailures(ctx, ip, w.d.Store.Now().Add(-p.IPWindow)); err == nil && n >= p.IPMaxFailures {
		data.Error = l.T("signin.throttled")
		rw.Header().Set("Retry-After", "900")
		w.signinPage(rw, r, http.StatusTooManyRequests, data)
		return
	}
	u, err := w.d.Store.UserByName(ctx, name)
	if err != nil {
		account.CheckNoUser(pw)
		_, _ = w.d.Store.RecordSignIn(ctx, p, 0, name, ip, false)
		data.Error = l.T("signin.failed")
		w.signinPage(rw, r, http.StatusUnauthorized, data)
		return
	}
	now := w.d.Store.Now()
	if u.LockedUntil.After(now) {
		account.CheckNoUser(pw)
		mins := int(u.LockedUntil.Sub(now).Minutes()) + 1
		data.Error = l.T("signin.locked", mins)
		w.signinPage(rw, r, http.StatusTooManyRequests, data)
		return
	}
	if !account.CheckPassword(u.PasswordHash, pw) || u.Disabled {
		lockedUntil, _ := w.d.Store.RecordSignIn(ctx, p, u.ID, name, ip, false)
		data.Error = l.T("signin.failed")
		status := http.StatusUnauthorized
		if !lockedUntil.IsZero() {
			data.Error = l.T("signin.locked", int(p.LockFor/time.Minute))
			status = http.StatusTooManyRequests
		}
		w.signinPage(rw, r, status, data)
		return
	}
	if _, err := w.d.Store.RecordSignIn(ctx, p, u.ID, name, ip, true); err != nil {
		w.fail(rw, r, err)
		return
	}
	if err := w.d.StartSession(rw, r, u); err != nil {
		w.fail(rw, r, err)
		return
	}
	// An anonymous language choice carries over into the account.
	if c, err := r.Cookie(server.LangCookie); err == nil && u.Locale == "" && i18n.IsSupported(c.Value) {
		_ = w.d.Store.SetLocale(ctx, u.ID, c.Value)
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

func (w *Web) signout(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	if p := server.PrincipalFrom(r.Context()); p != nil && p.Session != nil {
		_ = w.d.Store.DeleteSession(r.Context(), p.Session.TokenHash)
	}
	w.d.ClearSessionCookie(rw, r)
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}

// setLang remembers the language: in a cookie, and in the account when signed in.
func (w *Web) setLang(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	lang := r.PostFormValue("lang")
	if !i18n.IsSupported(lang) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: server.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: w.d.Secure(r), SameSite: http.SameSiteLaxMode})
	if p := server.PrincipalFrom(r.Context()); p != nil {
		if err := w.d.Store.SetLocale(r.Context(), p.User.ID, lang); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	http.Redirect(rw, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// actor names the principal for the audit log.
func actor(r *http.Request) audit.Actor {
	a := audit.Actor{IP: server.ClientIP(r)}
	if p := server.PrincipalFrom(r.Context()); p != nil {
		a.UserID, a.Name = p.User.ID, p.User.Username
	}
	return a
}
