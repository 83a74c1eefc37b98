package service

import (
	"errors"
	"fmt"
	"strings"

	"github.com/danvan/danvan/internal/i18n"
	"github.com/danvan/danvan/internal/store"
)

// Typed errors every service returns. Doors map them to their own answer
// (HTTP status and page, problem details, exit code) in one table each.
var (
	// ErrUnauthenticated: the use case needs a signed-in principal.
	ErrUnauthenticated = errors.New("not signed in")
	// ErrForbidden: the principal may not do this here.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the thing does not exist (or is not visible to the principal).
	ErrNotFound = store.ErrNotFound
	// ErrConflict: the thing changed since it was read, or already exists.
	ErrConflict = store.ErrConflict
	// ErrUnavailable: storage or another dependency failed; try again later.
	ErrUnavailable = errors.New("service unavailable")
	// ErrTooMany: too many attempts; try again later.
	ErrTooMany = errors.New("too many requests")
)

// FieldError is one invalid input field. Key is a catalog message key;
// Args fill its verbs.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

// Text is the message in l's language. When the first argument is a count,
// it chooses the plural form of the key (i18n.Locale.N), so that
// "validation.too_long" reads "At most 1 character." and "At most 5
// characters."; other keys read as with Locale.T.
func (f FieldError) Text(l i18n.Locale) string {
	if len(f.Args) > 0 {
		if n, ok := f.Args[0].(int); ok {
			return l.N(f.Key, n, f.Args...)
		}
	}
	return l.T(f.Key, f.Args...)
}

// InvalidError lists what is wrong with an input, field by field.
type InvalidError struct {
	// Key is an optional catalog key for the whole input (e.g. a rule that
	// spans fields); empty means the generic validation message.
	Key    string
	Fields []FieldError
}

func (e *InvalidError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Key)
	}
	if e.Key != "" {
		parts = append([]string{e.Key}, parts...)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Invalid returns an error naming one invalid field.
func Invalid(field, key string, args ...any) error {
	return &InvalidError{Fields: []FieldError{{Field: field, Key: key, Args: args}}}
}

// AsInvalid returns the field errors of err, if it is an [*InvalidError].
func AsInvalid(err error) (*InvalidError, bool) {
	var inv *InvalidError
	ok := errors.As(err, &inv)
	return inv, ok
}

// unavailable wraps a storage failure so that doors answer 503/500 instead of
// a misleading 403 or 404; the cause stays in the chain for the logs.
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
		return err
	}
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}
