package service_test

import (
	"testing"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/service"
)

// TestFieldErrorText: a field message whose first argument is a count takes
// the plural form of its key; other messages read as with Locale.T.
func TestFieldErrorText(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en, vi := b.For("en"), b.For("vi")
	for _, tt := range []struct {
		l    i18n.Locale
		f    service.FieldError
		want string
	}{
		{en, service.FieldError{Key: service.MsgTooLong, Args: []any{1}}, "At most 1 character."},
		{en, service.FieldError{Key: service.MsgTooLong, Args: []any{200}}, "At most 200 characters."},
		{en, service.FieldError{Key: service.MsgTooShort, Args: []any{1}}, "At least 1 character."},
		{vi, service.FieldError{Key: service.MsgTooLong, Args: []any{1}}, "Tối đa 1 ký tự."},
		{en, service.FieldError{Key: "validation.range", Args: []any{1, 12}}, "Must be between 1 and 12."},
	} {
		if got := tt.f.Text(tt.l); got != tt.want {
			t.Errorf("%s %s %v = %q, want %q", tt.l.Lang(), tt.f.Key, tt.f.Args, got, tt.want)
		}
	}
	// From the validator: a bound in characters is an int count.
	var v service.Validator
	v.Line("name", "ạạ", 0, 1)
	inv, ok := service.AsInvalid(v.Err())
	if !ok || len(inv.Fields) != 1 {
		t.Fatalf("two characters over a bound of one: %v", v.Err())
	}
	if got := inv.Fields[0].Text(en); got != "At most 1 character." {
		t.Errorf("validator message = %q", got)
	}
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("missing keys: %q", m)
	}
}
