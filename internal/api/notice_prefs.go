package api

// Notice preferences: which kinds of notice reach the signed-in person by
// e-mail (service.Notices holds the rule). Every notice is shown in the app
// whatever the choice.

import (
	"net/http"

	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// NoticePrefs is a person's e-mail choice for every kind of notice.
type NoticePrefs struct {
	UserID      int64                `json:"user_id"`
	Preferences []service.NoticePref `json:"preferences"`
}

// NoticePrefsUpdate sets the kinds listed; kinds left out keep their setting.
type NoticePrefsUpdate struct {
	Preferences []service.NoticePref `json:"preferences"`
}

func noticesFeature() feature {
	pref := object([]string{"kind", "email"}, obj{
		"kind":  obj{"type": "string", "enum": service.NoticeKinds},
		"email": obj{"type": "boolean", "description": "Also sent by e-mail (default true)."},
	})
	return newFeature("notices", "Which notices each person receives by e-mail.",
		[]route{
			{"GET", Prefix + "/me/notice-preferences", true, (*api).myNoticePrefs},
			{"PUT", Prefix + "/me/notice-preferences", true, (*api).setMyNoticePrefs},
		},
		map[string]op{
			"GET " + Prefix + "/me/notice-preferences": {
				tag: "notices", summary: "Which kinds of notice reach me by e-mail",
				desc: "Every kind, in order, with whether it is e-mailed; a kind never set is e-mailed. Notices always appear in the app. " +
					"An administrator may read another person's choice with `user`.",
				params: []obj{param("user", "query", "Another person (administrators only).", obj{"type": "integer", "format": "int64", "minimum": 1}, false)},
				status: 200, schema: ref("NoticePrefs"), errs: []int{400, 401, 403, 404},
			},
			"PUT " + Prefix + "/me/notice-preferences": {
				tag: "notices", summary: "Choose which kinds of notice reach me by e-mail",
				desc:   "Sets the kinds listed; the others keep their setting. An unknown kind answers 422 and nothing is changed. Answers the whole choice.",
				params: []obj{paramRef("csrf")}, body: "NoticePrefsUpdate",
				status: 200, schema: ref("NoticePrefs"), errs: []int{400, 401, 403, 413, 415, 422},
			},
		},
		obj{
			"NoticePref": pref,
			"NoticePrefs": object([]string{"user_id", "preferences"}, obj{
				"user_id": obj{"type": "integer", "format": "int64"}, "preferences": arrayOf(ref("NoticePref"))}),
			"NoticePrefsUpdate": object([]string{"preferences"}, obj{"preferences": arrayOf(ref("NoticePref"))}),
		})
}

func (a *api) myNoticePrefs(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	userID, err := dashIDParam(r, "user")
	if err != nil {
		return err
	}
	if userID == 0 {
		userID = p.UserID()
	}
	prefs, err := a.d.Svc.Notices.EmailPrefs(r.Context(), p, userID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, NoticePrefs{UserID: userID, Preferences: prefs})
}

func (a *api) setMyNoticePrefs(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	var body NoticePrefsUpdate
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	set := make(map[string]bool, len(body.Preferences))
	for _, x := range body.Preferences {
		set[x.Kind] = x.Email
	}
	prefs, err := a.d.Svc.Notices.SetEmailPrefs(r.Context(), p, set)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, NoticePrefs{UserID: p.UserID(), Preferences: prefs})
}
