// Package markup turns the limited plain-text markup of news articles into
// safe HTML: paragraphs (blocks separated by a blank line), headings ("## "
// and "### "), bulleted ("- ", "* ") and numbered ("1. ") lists, **bold**
// and links [text](https://…) that carry rel="nofollow". Everything else is
// text: no raw HTML passes through, every character is escaped, and a link
// goes only to http, https or a path of the site.
package markup

import (
	"html"
	"html/template"
	"net/url"
	"strings"
)

// HTML renders src as safe HTML.
func HTML(src string) template.HTML {
	var b strings.Builder
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	var para []string
	list := "" // "ul", "ol" or "" when no list is open
	flushPara := func() {
		if len(para) > 0 {
			b.WriteString("<p>")
			b.WriteString(inline(strings.Join(para, " ")))
			b.WriteString("</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	openList := func(kind string) {
		if list != kind {
			closeList()
			b.WriteString("<" + kind + ">\n")
			list = kind
		}
	}
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flushPara()
			closeList()
		case strings.HasPrefix(t, "### "):
			flushPara()
			closeList()
			b.WriteString("<h3>" + inline(strings.TrimSpace(t[4:])) + "</h3>\n")
		case strings.HasPrefix(t, "## "), strings.HasPrefix(t, "# "):
			flushPara()
			closeList()
			b.WriteString("<h2>" + inline(strings.TrimSpace(strings.TrimLeft(t, "#"))) + "</h2>\n")
		case strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "):
			flushPara()
			openList("ul")
			b.WriteString("<li>" + inline(strings.TrimSpace(t[2:])) + "</li>\n")
		case numbered(t) > 0:
			flushPara()
			openList("ol")
			b.WriteString("<li>" + inline(strings.TrimSpace(t[numbered(t):])) + "</li>\n")
		default:
			if list != "" {
				closeList()
			}
			para = append(para, t)
		}
	}
	flushPara()
	closeList()
	return template.HTML(b.String())
}

// numbered returns the length of a "12. " prefix, or 0.
func numbered(t string) int {
	i := 0
	for i < len(t) && i < 4 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || i+1 >= len(t) || t[i] != '.' || t[i+1] != ' ' {
		return 0
	}
	return i + 2
}

// inline escapes s and renders its **bold** spans and [links](url).
func inline(s string) string {
	var b strings.Builder
	bold := false
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "**"):
			if bold {
				b.WriteString("</strong>")
			} else if strings.Contains(s[2:], "**") {
				b.WriteString("<strong>")
			} else {
				b.WriteString("**")
				s = s[2:]
				continue
			}
			bold = !bold
			s = s[2:]
		case s[0] == '[':
			if text, href, rest, ok := link(s); ok {
				b.WriteString(`<a href="` + html.EscapeString(href) + `" rel="nofollow">` + html.EscapeString(text) + `</a>`)
				s = rest
				continue
			}
			b.WriteString("[")
			s = s[1:]
		default:
			i := strings.IndexAny(s[1:], "*[")
			if i < 0 {
				i = len(s) - 1
			}
			b.WriteString(html.EscapeString(s[:i+1]))
			s = s[i+1:]
		}
	}
	if bold {
		b.WriteString("</strong>")
	}
	return b.String()
}

// link parses "[text](url)" at the start of s, accepting only safe URLs.
func link(s string) (text, href, rest string, ok bool) {
	end := strings.Index(s, "](")
	if end < 2 || strings.ContainsAny(s[1:end], "[]") {
		return "", "", "", false
	}
	close := strings.IndexByte(s[end+2:], ')')
	if close < 0 {
		return "", "", "", false
	}
	text, href = s[1:end], strings.TrimSpace(s[end+2:end+2+close])
	if !SafeURL(href) {
		return "", "", "", false
	}
	return text, href, s[end+3+close:], true
}

// SafeURL reports whether href is an absolute http(s) URL or a path of the
// site ("/…", not "//…"), without spaces or control characters.
func SafeURL(href string) bool {
	if href == "" || strings.ContainsAny(href, " \t\n\"'<>\\`") {
		return false
	}
	for _, r := range href {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	if strings.HasPrefix(href, "/") {
		return !strings.HasPrefix(href, "//")
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Plain is src without its markup: headings, list marks, bold marks and
// link targets dropped, blocks joined by spaces (for descriptions).
func Plain(src string) string {
	var words []string
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		t = strings.TrimLeft(t, "#")
		if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
			t = t[2:]
		} else if n := numbered(t); n > 0 {
			t = t[n:]
		}
		t = strings.ReplaceAll(t, "**", "")
		for {
			i := strings.IndexByte(t, '[')
			if i < 0 {
				break
			}
			text, _, rest, ok := link(t[i:])
			if !ok {
				break
			}
			t = t[:i] + text + rest
		}
		if t = strings.TrimSpace(t); t != "" {
			words = append(words, t)
		}
	}
	return strings.Join(words, " ")
}
