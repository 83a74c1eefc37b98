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
	"github.com/danvan/danvan/internal/authz"
)

// checkDecode decodes and validates body into v and requires a client
// error (4xx problem) or a value that really is valid.
func checkDecode(t *testing.T, body []byte, v interface{ validate() error }) error {
	r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	err := decodeJSON(httptest.NewRecorder(), r, v)
	if err == nil {
		err = v.validate()
	}
	if err != nil {
		var p *problem
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
		if err := checkDecode(t, body, &u); err == nil {
			if !json.Valid(body) || account.ValidUsername(u.Username) != nil || account.CheckPasswordStrength(u.Password) != nil ||
				u.FullName == "" || !cleanText(u.FullName) || !utf8.ValidString(u.Email) {
				t.Fatalf("accepted an invalid user: %q → %+v", body, u)
			}
		}
	})
}

func FuzzDecodeGrantCreate(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var g GrantCreate
		if err := checkDecode(t, body, &g); err == nil {
			if !json.Valid(body) || !authz.Role(g.Role).Valid() || g.UnitID <= 0 {
				t.Fatalf("accepted an invalid grant: %q → %+v", body, g)
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
