package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/demo"
	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

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
// the user name or the password was wrong, and takes the same time; the
// throttles treat known and unknown names alike.
func (w *Web) signin(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	ctx := r.Context()
	l := server.LocaleFrom(ctx)
	in := service.SignInInput{
		Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		IP: server.ClientIP(r), UserAgent: r.UserAgent(),
	}
	if c, err := r.Cookie(server.LangCookie); err == nil {
		in.Lang = c.Value
	}
	next := safeNext(r.PostFormValue("next"))
	data := signinData{Username: strings.ToLower(strings.TrimSpace(in.Username)), Next: next}
	if !service.CleanLine(data.Username) || len(data.Username) > 64 {
		data.Username = ""
	}
	s, err := w.d.Svc.Accounts.SignIn(ctx, in)
	var th *service.ThrottledError
	switch {
	case err == nil:
	case errors.As(err, &th):
		data.Error = l.T("signin.throttled")
		if th.Locked {
			data.Error = l.N("signin.locked", max(1, int((th.RetryAfter+time.Minute-1)/time.Minute)))
		}
		rw.Header().Set("Retry-After", strconv.Itoa(int(th.RetryAfter/time.Second)))
		w.signinPage(rw, r, http.StatusTooManyRequests, data)
		return
	case errors.Is(err, service.ErrSignInFailed):
		data.Error = l.T("signin.failed")
		w.signinPage(rw, r, http.StatusUnauthorized, data)
		return
	default:
		w.fail(rw, r, err)
		return
	}
	w.d.SetSessionCookie(rw, r, s.Token)
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

func (w *Web) signout(rw http.ResponseWriter, r *http.Request) {
	if !w.form(rw, r) {
		return
	}
	if err := w.d.Svc.Accounts.SignOut(r.Context(), server.PrincipalFrom(r.Context())); err != nil {
		w.d.Log.Warn("sign out", "err", err, "request_id", server.RequestID(r.Context()))
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
		if err := w.d.Svc.Accounts.SetLocale(r.Context(), p, lang); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	http.Redirect(rw, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}
