// Package ical writes iCalendar (RFC 5545) calendars of timed events in
// one time zone: CRLF line endings, lines folded at 75 octets without
// splitting a UTF-8 character, TEXT values escaped, DTSTART and DTEND with
// TZID and the zone's VTIMEZONE. It writes only; danvan reads no calendar.
package ical

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Zone is a fixed-offset time zone (no daylight saving), as Vietnam's.
type Zone struct {
	ID     string // Asia/Ho_Chi_Minh
	Name   string // ICT
	Offset int    // seconds east of UTC
}

// Vietnam is UTC+7 all year.
var Vietnam = Zone{ID: "Asia/Ho_Chi_Minh", Name: "ICT", Offset: 7 * 3600}

// Event is one VEVENT. Start and End are wall-clock times in the
// calendar's zone (their own location is ignored).
type Event struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	URL         string
	Cancelled   bool
	Sequence    int
}

// Calendar is a VCALENDAR.
type Calendar struct {
	ProdID string
	Name   string // X-WR-CALNAME
	Zone   Zone
	Stamp  time.Time // DTSTAMP of every event
	Events []Event
}

// Bytes renders the calendar.
func (c Calendar) Bytes() []byte {
	var b bytes.Buffer
	w := func(name, value string) { fold(&b, name+":"+value) }
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", c.ProdID)
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	if c.Name != "" {
		w("X-WR-CALNAME", Escape(c.Name))
	}
	w("X-WR-TIMEZONE", c.Zone.ID)
	w("BEGIN", "VTIMEZONE")
	w("TZID", c.Zone.ID)
	w("BEGIN", "STANDARD")
	w("DTSTART", "19700101T000000")
	w("TZOFFSETFROM", offset(c.Zone.Offset))
	w("TZOFFSETTO", offset(c.Zone.Offset))
	w("TZNAME", c.Zone.Name)
	w("END", "STANDARD")
	w("END", "VTIMEZONE")
	stamp := c.Stamp.UTC().Format("20060102T150405Z")
	for _, e := range c.Events {
		w("BEGIN", "VEVENT")
		w("UID", e.UID)
		w("DTSTAMP", stamp)
		w("DTSTART;TZID="+c.Zone.ID, e.Start.Format("20060102T150405"))
		w("DTEND;TZID="+c.Zone.ID, e.End.Format("20060102T150405"))
		w("SUMMARY", Escape(e.Summary))
		if e.Location != "" {
			w("LOCATION", Escape(e.Location))
		}
		if e.Description != "" {
			w("DESCRIPTION", Escape(e.Description))
		}
		if e.URL != "" {
			w("URL", e.URL)
		}
		if e.Sequence > 0 {
			w("SEQUENCE", strconv.Itoa(e.Sequence))
		}
		if e.Cancelled {
			w("STATUS", "CANCELLED")
		} else {
			w("STATUS", "CONFIRMED")
		}
		w("END", "VEVENT")
	}
	w("END", "VCALENDAR")
	return b.Bytes()
}

// Escape escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and newlines; other control characters are dropped.
func Escape(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 && r != '\t', r == 0x7f, r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fold writes one content line, folded so that no line exceeds 75 octets
// (continuations start with a space), never inside a UTF-8 character.
func fold(b *bytes.Buffer, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return sign + two(sec/3600) + two(sec%3600/60)
}

func two(n int) string { return fmt.Sprintf("%02d", n) }
