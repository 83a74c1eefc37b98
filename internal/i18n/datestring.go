package i18n

import "time"

// DateString formats a legal date written "YYYY-MM-DD" (as stored) in the
// locale's date format; text that is not such a date is returned unchanged.
func (l Locale) DateString(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return l.Date(t)
}

// Has reports whether the locale's catalog has key.
func (l Locale) Has(key string) bool {
	b := l.b
	if b == nil {
		b = Default()
	}
	return b.Has(l.Lang(), key)
}
