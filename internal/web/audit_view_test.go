package web

import "testing"

func TestAuditFields(t *testing.T) {
	got := auditFields(`{"status":"draft","version":3,"name":"A"}`, `{"status":"submitted","version":4,"name":"A"}`)
	want := []auditField{{"status", "draft", "submitted"}, {"version", "3", "4"}}
	if len(got) != len(want) {
		t.Fatalf("fields %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := auditFields("", `{"disabled":true}`); len(got) != 1 || got[0].After != "✓" {
		t.Errorf("created: %+v", got)
	}
	if got := auditFields("", "not json"); len(got) != 1 || got[0].Key != "value" {
		t.Errorf("not JSON: %+v", got)
	}
}
