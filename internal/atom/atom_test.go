package atom

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// parsed is the feed as a reader sees it.
type parsed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Summary   string `xml:"summary"`
		Content   struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
		Link struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Category struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

func TestWrite(t *testing.T) {
	at := time.Date(2026, 3, 1, 2, 30, 0, 0, time.UTC)
	f := Feed{ID: "tag:danvan.example,2026:tin-tuc", Title: "Tin tức dân vận — Thanh Hóa & <các xã>", Updated: at,
		Author: "Ban Dân vận Tỉnh ủy", Self: "https://danvan.example/tin-tuc/feed.atom", Alt: "https://danvan.example/tin-tuc", Lang: "vi",
		Entries: []Entry{{ID: "tag:danvan.example,2026:tin-tuc/1", Title: "Mô hình “Dân vận khéo” ở xã Hoằng Hóa", Updated: at, Published: at,
			Summary: "Người dân <biết>, bàn, làm", HTML: `<p>Xây <strong>đường</strong> & "cầu"</p><script>x</script>`,
			Link: "https://danvan.example/tin-tuc/mo-hinh", Category: "models", Label: "Mô hình"}}}
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script>") || strings.Contains(out, "<strong>") {
		t.Fatalf("content not escaped:\n%s", out)
	}
	var p parsed
	if err := xml.Unmarshal(buf.Bytes(), &p); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	if p.ID != f.ID || p.Title != f.Title || p.Author != f.Author || p.Lang != "vi" {
		t.Fatalf("feed: %+v", p)
	}
	rels := map[string]string{}
	for _, l := range p.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != f.Self || rels["alternate"] != f.Alt {
		t.Fatalf("links: %v", rels)
	}
	if p.Updated != "2026-03-01T09:30:00+07:00" {
		t.Fatalf("updated: %q", p.Updated)
	}
	if len(p.Entries) != 1 {
		t.Fatalf("entries: %d", len(p.Entries))
	}
	e := p.Entries[0]
	for _, d := range []string{e.Updated, e.Published} {
		if _, err := time.Parse(time.RFC3339, d); err != nil || !strings.HasSuffix(d, "+07:00") {
			t.Fatalf("date %q: %v", d, err)
		}
	}
	if e.ID != f.Entries[0].ID || e.Title != f.Entries[0].Title || e.Summary != "Người dân <biết>, bàn, làm" ||
		e.Content.Type != "html" || e.Content.Text != f.Entries[0].HTML || e.Link.Rel != "alternate" ||
		e.Link.Href != f.Entries[0].Link || e.Category.Term != "models" {
		t.Fatalf("entry: %+v", e)
	}
}
