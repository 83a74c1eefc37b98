package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/service"
)

// checkDecode decodes and validates body into v and requires a client
// error (4xx problem) or a value that really is valid.
func checkDecode(t *testing.T, body []byte, v any, validate func() error) error {
	r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	err := decodeJSON(httptest.NewRecorder(), r, v)
	if err == nil && validate != nil {
		err = validate()
	}
	if err != nil {
		var p *problem
		if _, invalid := service.AsInvalid(err); invalid {
			return err
		}
		if !errors.As(err, &p) || p.status < 400 || p.status > 499 {
			t.Fatalf("body %q: %v, want a 4xx problem", body, err)
		}
		if err == nil && !json.Valid(body) {
			t.Fatalf("body %q is not JSON yet accepted", body)
		}
	}
	return err
}

var bodySeeds = []string{
	`{"username": "lan.vu", "full_name": "Vũ Thị Lan", "email": "lan@example.vn", "password": "một mật khẩu dài"}`,
	`{"role": "unit_officer", "unit_id": 7}`,
	`{}`, `null`, `[]`, `""`, `0`, `{"username": 1}`, `{"unit_id": 1e999}`, `{"unit_id": -1}`, `{"x": 1}`,
	`{"full_name": "\u0000"}`, `{"password": "\ud800\udc00aaaaaaaaaa"}`, `{"role": "admin", "unit_id": 1} {}`, `{"a"`, "\xff\xfe", ``,
}

func FuzzDecodeUserCreate(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var u UserCreate
		var in service.NewUser
		validate := func() error {
			in = service.NewUser{Username: u.Username, FullName: u.FullName, Email: u.Email, Password: u.Password, Locale: u.Locale}
			return in.Validate()
		}
		if err := checkDecode(t, body, &u, validate); err == nil {
			if !json.Valid(body) || account.ValidUsername(in.Username) != nil || account.CheckPasswordStrength(in.Password) != nil ||
				in.FullName == "" || !cleanText(in.FullName) || !utf8.ValidString(in.Email) {
				t.Fatalf("accepted an invalid user: %q → %+v", body, in)
			}
		}
	})
}

func FuzzDecodeGrantCreate(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		// The role and unit are checked by the service against the tree
		// (see the service tests); here the body decodes or is a 4xx.
		var g GrantCreate
		if err := checkDecode(t, body, &g, nil); err == nil {
			if !json.Valid(body) || (g.Role != "" && !utf8.ValidString(g.Role)) {
				t.Fatalf("accepted an invalid grant body: %q → %+v", body, g)
			}
		}
	})
}

// FuzzQueryParams: query parameters give a 400 problem or a sane value.
func FuzzQueryParams(f *testing.F) {
	for _, s := range []string{"limit=all&offset=3", "page=2&limit=10", "at=2025-07-01", "at=2025-02-30", "from=2025-08-01T10:00:00%2B07:00",
		"to=9999-12-31", "q=%00", "limit=99999999999999999999", "page=999999999", "tree=yes", "offset=-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		check := func(err error) {
			var p *problem
			if err != nil && (!errors.As(err, &p) || p.status != 400 || len(p.fields) != 1) {
				t.Fatalf("%q: %v", raw, err)
			}
		}
		pg, err := pageParams(q, true)
		check(err)
		if err == nil && (pg.Limit < 1 || pg.Limit > MaxLimit || pg.Offset < 0) {
			t.Fatalf("%q: page %+v", raw, pg)
		}
		_, err = dateParam(q, "at", "")
		check(err)
		_, err = timeParam(q, "from", false)
		check(err)
		_, err = timeParam(q, "to", true)
		check(err)
		s, err := textParam(q, "q", 200)
		check(err)
		if err == nil && (!cleanText(s) || len(s) > 200) {
			t.Fatalf("%q: text %q", raw, s)
		}
		_, err = boolParam(q, "tree")
		check(err)
	})
}
