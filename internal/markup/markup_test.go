package markup

import (
	"regexp"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"paragraphs", "Dòng một\ndòng hai\n\nĐoạn hai", "<p>Dòng một dòng hai</p>\n<p>Đoạn hai</p>\n"},
		{"headings", "## Kết quả\n### Chi tiết", "<h2>Kết quả</h2>\n<h3>Chi tiết</h3>\n"},
		{"bullets", "- một\n* hai", "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>\n"},
		{"numbers", "1. một\n2. hai\nsau", "<ol>\n<li>một</li>\n<li>hai</li>\n</ol>\n<p>sau</p>\n"},
		{"bold", "rất **khéo** đó", "<p>rất <strong>khéo</strong> đó</p>\n"},
		{"lone stars", "2 ** 3", "<p>2 ** 3</p>\n"},
		{"link", "xem [cổng](https://danvan.example/tin-tuc?a=1&b=2)", `<p>xem <a href="https://danvan.example/tin-tuc?a=1&amp;b=2" rel="nofollow">cổng</a></p>` + "\n"},
		{"site path", "[tin](/tin-tuc)", `<p><a href="/tin-tuc" rel="nofollow">tin</a></p>` + "\n"},
		// XSS: nothing becomes markup but what the grammar allows.
		{"script", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{"img onerror", `<img src=x onerror="alert(1)">`, "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>\n"},
		{"javascript link", "[bấm](javascript:alert(1))", "<p>[bấm](javascript:alert(1))</p>\n"},
		{"JavaScript link", "[bấm](JavaScript:alert(1))", "<p>[bấm](JavaScript:alert(1))</p>\n"},
		{"data link", "[bấm](data:text/html,<b>x</b>)", "<p>[bấm](data:text/html,&lt;b&gt;x&lt;/b&gt;)</p>\n"},
		{"protocol-relative", "[x](//evil.example)", "<p>[x](//evil.example)</p>\n"},
		{"quote breaks out", `[x](https://a.example/"onmouseover="alert(1))`, "<p>[x](https://a.example/&#34;onmouseover=&#34;alert(1))</p>\n"},
		{"html in link text", "[<b>x</b>](https://a.example)", `<p><a href="https://a.example" rel="nofollow">&lt;b&gt;x&lt;/b&gt;</a></p>` + "\n"},
		{"heading attribute", `## <h2 onclick="x">`, "<h2>&lt;h2 onclick=&#34;x&#34;&gt;</h2>\n"},
	}
	for _, c := range cases {
		if got := string(HTML(c.in)); got != c.want {
			t.Errorf("%s: HTML(%q)\n got %q\nwant %q", c.name, c.in, got, c.want)
		}
	}
}

func TestPlain(t *testing.T) {
	got := Plain("## Tiêu đề\n- **một** và [hai](https://a.example)\n\nhết")
	if got != "Tiêu đề một và hai hết" {
		t.Fatalf("Plain: %q", got)
	}
}

// allowed is every tag the renderer may write, and the one attribute form.
var (
	tagRe     = regexp.MustCompile(`<[^>]*>`)
	allowedRe = regexp.MustCompile(`^</?(p|h2|h3|ul|ol|li|strong)>$|^<a href="[^"<>]*" rel="nofollow">$|^</a>$`)
)

func FuzzHTML(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:x)", "## **[b](https://x.example)**", "1. x\n- y", `"'<>&`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(HTML(s))
		for _, tag := range tagRe.FindAllString(out, -1) {
			if !allowedRe.MatchString(tag) {
				t.Fatalf("HTML(%q) wrote tag %q", s, tag)
			}
		}
		for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(out, -1) {
			if h := strings.ToLower(m[1]); !strings.HasPrefix(h, "http://") && !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "/") {
				t.Fatalf("HTML(%q) links to %q", s, m[1])
			}
		}
	})
}
