// Package atom writes Atom 1.0 feeds (RFC 4287) for newspapers, radio and
// television: the feed's id, title, updated time, author and self and
// alternate links; each entry's stable id, title, updated and published
// times, summary, HTML content (escaped), alternate link and category.
// Times are written in RFC 3339 in Vietnam time (+07:00).
package atom

import (
	"encoding/xml"
	"io"
	"time"
)

// NS is the Atom namespace.
const NS = "http://www.w3.org/2005/Atom"

// Feed is a feed to write.
type Feed struct {
	ID       string
	Title    string
	Subtitle string
	Updated  time.Time
	Author   string
	Self     string // absolute URL of the feed
	Alt      string // absolute URL of the HTML page
	Lang     string // xml:lang, e.g. "vi"
	Entries  []Entry
}

// Entry is one item of a feed.
type Entry struct {
	ID        string // stable: tag: or urn:uuid:
	Title     string
	Updated   time.Time
	Published time.Time
	Summary   string
	HTML      string // the content, as HTML (written escaped, type="html")
	Link      string // absolute URL of the article page
	Category  string // term
	Label     string // the category's readable name
	Author    string
}

// Zone is the time zone dates are written in.
var Zone = time.FixedZone("ICT", 7*3600)

type (
	xfeed struct {
		XMLName  xml.Name `xml:"feed"`
		NS       string   `xml:"xmlns,attr"`
		Lang     string   `xml:"xml:lang,attr,omitempty"`
		ID       string   `xml:"id"`
		Title    xtext    `xml:"title"`
		Subtitle *xtext   `xml:"subtitle,omitempty"`
		Updated  string   `xml:"updated"`
		Author   xperson  `xml:"author"`
		Links    []xlink  `xml:"link"`
		Entries  []xentry `xml:"entry"`
	}
	xentry struct {
		ID        string   `xml:"id"`
		Title     xtext    `xml:"title"`
		Updated   string   `xml:"updated"`
		Published string   `xml:"published"`
		Author    *xperson `xml:"author,omitempty"`
		Summary   xtext    `xml:"summary"`
		Content   xtext    `xml:"content"`
		Link      xlink    `xml:"link"`
		Category  *xcat    `xml:"category,omitempty"`
	}
	xtext struct {
		Type string `xml:"type,attr"`
		Text string `xml:",chardata"`
	}
	xperson struct {
		Name string `xml:"name"`
	}
	xlink struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	xcat struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr,omitempty"`
	}
)

// Time formats t as RFC 3339 in Vietnam time.
func Time(t time.Time) string { return t.In(Zone).Format(time.RFC3339) }

// Write writes f as an XML document.
func Write(w io.Writer, f Feed) error {
	x := xfeed{NS: NS, Lang: f.Lang, ID: f.ID, Title: xtext{"text", f.Title}, Updated: Time(f.Updated),
		Author: xperson{f.Author},
		Links:  []xlink{{Rel: "self", Type: "application/atom+xml", Href: f.Self}, {Rel: "alternate", Type: "text/html", Href: f.Alt}}}
	if f.Subtitle != "" {
		x.Subtitle = &xtext{"text", f.Subtitle}
	}
	for _, e := range f.Entries {
		xe := xentry{ID: e.ID, Title: xtext{"text", e.Title}, Updated: Time(e.Updated), Published: Time(e.Published),
			Summary: xtext{"text", e.Summary}, Content: xtext{"html", e.HTML},
			Link: xlink{Rel: "alternate", Type: "text/html", Href: e.Link}}
		if e.Author != "" {
			xe.Author = &xperson{e.Author}
		}
		if e.Category != "" {
			xe.Category = &xcat{e.Category, e.Label}
		}
		x.Entries = append(x.Entries, xe)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
