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
