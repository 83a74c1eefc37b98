package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Entry {
	prev := Genesis
	var out []Entry
	for i := 1; i <= n; i++ {
		e := Entry{ID: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "admin", Action: "unit.update", Entity: "unit", EntityID: "1", Before: `{"name":"a"}`, After: `{"name":"b"}`, PrevHash: prev}
		e.Hash = Hash(prev, e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		mutate func([]Entry) []Entry
		bad    int64
	}{
		{"intact", func(e []Entry) []Entry { return e }, 0},
		{"changed content", func(e []Entry) []Entry { e[2].After = `{"name":"x"}`; return e }, 3},
		{"deleted row", func(e []Entry) []Entry { return append(e[:1], e[2:]...) }, 3},
		{"reordered", func(e []Entry) []Entry { e[1], e[2] = e[2], e[1]; return e }, 3},
		{"rehash one without the rest", func(e []Entry) []Entry {
			e[1].Actor = "mallory"
			e[1].Hash = Hash(e[1].PrevHash, e[1])
			return e
		}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := NewVerifier()
			var err error
			for _, e := range tc.mutate(chain(5)) {
				if err = v.Next(e); err != nil {
					break
				}
			}
			var be *BrokenError
			switch {
			case tc.bad == 0 && err != nil:
				t.Fatalf("intact chain reported broken: %v", err)
			case tc.bad != 0 && !errors.As(err, &be):
				t.Fatalf("tampering not detected (err=%v)", err)
			case tc.bad != 0 && be.ID != tc.bad:
				t.Fatalf("broken at %d, want %d", be.ID, tc.bad)
			}
		})
	}
}

func TestHashSeparatesFields(t *testing.T) {
	a := Entry{ID: 1, Actor: "ab", Action: "c"}
	b := Entry{ID: 1, Actor: "a", Action: "bc"}
	if Hash(Genesis, a) == Hash(Genesis, b) {
		t.Fatal("field boundaries are not part of the hash")
	}
}
