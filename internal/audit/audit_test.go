package audit

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func chain(key []byte, n int) []Entry {
	prev := Genesis
	var out []Entry
	for i := 1; i <= n; i++ {
		e := Entry{ID: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "admin", Action: "unit.update", Entity: "unit", EntityID: "1", Before: `{"name":"a"}`, After: `{"name":"b"}`, PrevHash: prev}
		e.Hash = Hash(key, prev, e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// recompute rebuilds every hash from entry i on with key, as someone who
// changed an entry would.
func recompute(key []byte, e []Entry, i int) []Entry {
	prev := Genesis
	if i > 0 {
		prev = e[i-1].Hash
	}
	for ; i < len(e); i++ {
		e[i].PrevHash = prev
		e[i].Hash = Hash(key, prev, e[i])
		prev = e[i].Hash
	}
	return e
}

func TestVerify(t *testing.T) {
	otherKey := []byte("another key, not the installation's")
	tests := []struct {
		name   string
		mutate func([]Entry) []Entry
		bad    int64
	}{
		{"intact", func(e []Entry) []Entry { return e }, 0},
		{"changed content", func(e []Entry) []Entry { e[2].After = `{"name":"x"}`; return e }, 3},
		{"deleted row", func(e []Entry) []Entry { return append(e[:1], e[2:]...) }, 2},
		{"reordered", func(e []Entry) []Entry { e[1], e[2] = e[2], e[1]; return e }, 2},
		{"rehash one without the rest", func(e []Entry) []Entry {
			e[1].Actor = "mallory"
			e[1].Hash = Hash(testKey, e[1].PrevHash, e[1])
			return e
		}, 3},
		{"change one and recompute the rest without the key", func(e []Entry) []Entry {
			e[1].Actor = "mallory"
			return recompute(otherKey, e, 1)
		}, 2},
		{"whole chain rewritten with another key", func(e []Entry) []Entry { return recompute(otherKey, e, 0) }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := NewVerifier(testKey)
			var err error
			for _, e := range tc.mutate(chain(testKey, 5)) {
				if err = v.Next(e); err != nil {
					break
				}
			}
			var be *BrokenError
			switch {
			case tc.bad == 0 && err != nil:
				t.Fatalf("intact chain reported broken: %v", err)
			case tc.bad == 0 && v.Count != 5:
				t.Fatalf("verified %d entries, want 5", v.Count)
			case tc.bad != 0 && !errors.As(err, &be):
				t.Fatalf("tampering not detected (err=%v)", err)
			case tc.bad != 0 && be.ID != tc.bad:
				t.Fatalf("broken at %d, want %d (%v)", be.ID, tc.bad, err)
			}
		})
	}
}

func TestHashSeparatesFields(t *testing.T) {
	a := Entry{ID: 1, Actor: "ab", Action: "c"}
	b := Entry{ID: 1, Actor: "a", Action: "bc"}
	if Hash(testKey, Genesis, a) == Hash(testKey, Genesis, b) {
		t.Fatal("field boundaries are not part of the hash")
	}
	if Hash(testKey, Genesis, a) == Hash([]byte("another key"), Genesis, a) {
		t.Fatal("the key is not part of the hash")
	}
}

func TestCheckpoint(t *testing.T) {
	es := chain(testKey, 10)
	heads := map[int64]string{}
	for _, e := range es {
		heads[e.ID] = e.Hash
	}
	headAt := func(id int64) (string, bool) { h, ok := heads[id]; return h, ok }
	cp := Checkpoint{Count: 10, Head: es[9].Hash, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cp.Sign(testKey)
	if err := cp.Check(testKey, 10, headAt); err != nil {
		t.Fatalf("intact chain against its checkpoint: %v", err)
	}
	var be *BrokenError
	// The last entries removed.
	if err := cp.Check(testKey, 7, headAt); !errors.As(err, &be) || be.ID != 8 || !strings.Contains(be.Reason, "removed") {
		t.Fatalf("truncation not detected: %v", err)
	}
	// The checkpoint's entry replaced.
	heads[10] = "forged"
	if err := cp.Check(testKey, 10, headAt); !errors.As(err, &be) || be.ID != 10 {
		t.Fatalf("changed head not detected: %v", err)
	}
	// A checkpoint rewritten without the key.
	forged := cp
	forged.Count = 3
	forged.Sign([]byte("another key"))
	if err := forged.Check(testKey, 3, headAt); !errors.As(err, &be) {
		t.Fatalf("forged checkpoint accepted: %v", err)
	}
	if !strings.HasSuffix(string(cp.MarshalLine()), "}\n") {
		t.Fatalf("line %q", cp.MarshalLine())
	}
}
