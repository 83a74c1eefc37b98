package open311

import (
	"math"
	"net/url"
	"strings"
	"testing"
)

var formSeeds = []string{
	"api_key=o311_x&service_code=road&lat=19.8&long=105.7&attribute[kind]=feedback&description=%E1%BB%94+g%C3%A0",
	"attribute[kind][]=a&attribute[kind][]=b&attribute[]=x&attribute[=y&attribute[[x]]]=z",
	"lat=NaN&long=Inf", "lat=1e999&long=-1e999", "lat=19.8", "long=0x1p-2&lat=0", "address_id=%00", "media_url=javascript:1",
	"attribute[]]=x", "", "&&&", "%zz", "a=%ff%fe", strings.Repeat("attribute[k]=v&", 200),
}

// FuzzParseRequestForm: any body parses without panicking; what is
// accepted has both coordinates or none, and finite ones.
func FuzzParseRequestForm(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, bad := ParseRequestForm(v)
		if len(bad) > 0 {
			return
		}
		if (in.Lat == nil) != (in.Long == nil) {
			t.Fatalf("%q: one coordinate accepted", body)
		}
		if in.Lat != nil && (math.IsNaN(*in.Lat) || math.IsNaN(*in.Long)) {
			t.Fatalf("%q: NaN accepted", body)
		}
		if len(in.Attributes) > maxListItems {
			t.Fatalf("%q: %d attributes", body, len(in.Attributes))
		}
		for code := range in.Attributes {
			if code == "" || strings.ContainsAny(code, "[]") {
				t.Fatalf("%q: attribute code %q", body, code)
			}
		}
	})
}

// FuzzParseQuery: any search parses without panicking; lists are bounded
// and dates, when read, are real instants.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"service_request_id=TH-2026-ABCDEF,TH-2026-2345XY&status=open,closed",
		"start_date=2026-11-01T00:00:00+07:00&end_date=2026-11-30", "start_date=2026-11-01T00:00:00 07:00",
		"end_date=2026-13-45", "start_date=-0001-01-01T00:00:00Z", "service_code=" + strings.Repeat(",a", 500), "status=%00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, bad := parseQuery(v)
		if len(q.IDs) > maxListItems || len(q.ServiceCodes) > maxListItems || len(q.Statuses) > maxListItems {
			t.Fatalf("%q: unbounded lists", raw)
		}
		for _, s := range append(append(q.IDs, q.ServiceCodes...), q.Statuses...) {
			if s == "" || strings.TrimSpace(s) != s {
				t.Fatalf("%q: list item %q", raw, s)
			}
		}
		if len(bad) == 0 && v.Get("start_date") != "" && q.Start.IsZero() {
			t.Fatalf("%q: start_date lost", raw)
		}
	})
}
