package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// prop is one unfolded content line: name, parameters, value.
type prop struct {
	name   string
	params map[string]string
	value  string
}

// parse unfolds and splits a calendar, checking the line rules on the way:
// CRLF endings and at most 75 octets per physical line.
func parse(t testing.TB, data []byte) []prop {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Fatalf("no final CRLF")
	}
	phys := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
	var lines []string
	for _, l := range phys {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("bare CR or LF in %q", l)
		}
		if len(l) > 75 {
			t.Fatalf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line splits a character: %q", l)
		}
		if strings.HasPrefix(l, " ") {
			if len(lines) == 0 {
				t.Fatal("continuation first")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var out []prop
	for _, l := range lines {
		head, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("no colon: %q", l)
		}
		parts := strings.Split(head, ";")
		p := prop{name: parts[0], params: map[string]string{}, value: value}
		for _, kv := range parts[1:] {
			k, v, _ := strings.Cut(kv, "=")
			p.params[k] = v
		}
		out = append(out, p)
	}
	return out
}

// unescape reverses Escape.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// events groups the VEVENT properties by name.
func events(t testing.TB, ps []prop) []map[string]prop {
	var out []map[string]prop
	var cur map[string]prop
	for _, p := range ps {
		switch {
		case p.name == "BEGIN" && p.value == "VEVENT":
			cur = map[string]prop{}
		case p.name == "END" && p.value == "VEVENT":
			out = append(out, cur)
			cur = nil
		case cur != nil:
			cur[p.name] = p
		}
	}
	return out
}

func TestCalendar(t *testing.T) {
	loc := time.FixedZone("", 7*3600)
	long := strings.Repeat("Tiếp công dân định kỳ của Chủ tịch UBND xã, ", 5)
	c := Calendar{ProdID: "-//danvan//reception//VI", Name: "Lịch tiếp công dân", Zone: Vietnam,
		Stamp: time.Date(2026, 11, 10, 3, 0, 0, 0, time.UTC),
		Events: []Event{
			{UID: "reception-1@danvan", Start: time.Date(2026, 11, 16, 7, 30, 0, 0, loc), End: time.Date(2026, 11, 16, 11, 30, 0, 0, loc),
				Summary: "Tiếp công dân: Chủ tịch, UBND; xã \\ Yên Thọ", Location: "Trụ sở\nphòng 1", Description: long},
			{UID: "reception-2@danvan", Start: time.Date(2026, 11, 17, 14, 0, 0, 0, loc), End: time.Date(2026, 11, 17, 17, 0, 0, 0, loc),
				Summary: "Hủy", Cancelled: true, Sequence: 2},
		}}
	ps := parse(t, c.Bytes())
	if ps[0].name != "BEGIN" || ps[0].value != "VCALENDAR" || ps[len(ps)-1].value != "VCALENDAR" {
		t.Fatal("not a VCALENDAR")
	}
	var tz bool
	for _, p := range ps {
		tz = tz || (p.name == "TZID" && p.value == "Asia/Ho_Chi_Minh")
		if p.name == "TZOFFSETTO" && p.value != "+0700" {
			t.Fatalf("offset %s", p.value)
		}
	}
	if !tz {
		t.Fatal("no VTIMEZONE")
	}
	evs := events(t, ps)
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	for _, e := range evs {
		for _, req := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} {
			if _, ok := e[req]; !ok {
				t.Fatalf("%s missing in %v", req, e)
			}
		}
	}
	e := evs[0]
	if got := unescape(e["SUMMARY"].value); got != c.Events[0].Summary {
		t.Fatalf("summary %q", got)
	}
	if e["SUMMARY"].value != `Tiếp công dân: Chủ tịch\, UBND\; xã \\ Yên Thọ` {
		t.Fatalf("escaped %q", e["SUMMARY"].value)
	}
	if unescape(e["LOCATION"].value) != "Trụ sở\nphòng 1" || unescape(e["DESCRIPTION"].value) != long {
		t.Fatalf("location/description: %q", e["DESCRIPTION"].value)
	}
	if e["DTSTART"].params["TZID"] != "Asia/Ho_Chi_Minh" || e["DTSTART"].value != "20261116T073000" || e["DTEND"].value != "20261116T113000" {
		t.Fatalf("start %+v", e["DTSTART"])
	}
	if e["DTSTAMP"].value != "20261110T030000Z" || e["STATUS"].value != "CONFIRMED" {
		t.Fatalf("stamp/status %v", e)
	}
	if evs[1]["STATUS"].value != "CANCELLED" || evs[1]["SEQUENCE"].value != "2" {
		t.Fatalf("cancelled %v", evs[1])
	}
}

// Any text survives escaping and folding.
func FuzzEscapeFold(f *testing.F) {
	for _, s := range []string{"", "a,b;c\\d\ne", strings.Repeat("ệ", 80), "\x00\r\n\t", "Tiếp công dân: Chủ tịch"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Calendar{ProdID: "-//t//t", Zone: Vietnam, Events: []Event{{UID: "u", Summary: s, Start: time.Unix(0, 0), End: time.Unix(60, 0)}}}
		evs := events(t, parse(t, c.Bytes()))
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		want := strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "")
		var clean strings.Builder
		for _, r := range want {
			switch {
			case r == '\r':
				clean.WriteByte('\n')
			case r < 0x20 && r != '\t' && r != '\n', r == 0x7f, r == utf8.RuneError:
			default:
				clean.WriteRune(r)
			}
		}
		if got := unescape(evs[0]["SUMMARY"].value); got != clean.String() {
			t.Fatalf("round trip %q → %q, want %q", s, got, clean.String())
		}
	})
}
