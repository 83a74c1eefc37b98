// Package audit owns the append-only audit log: the shape of an entry, how
// entries are chained with a keyed MAC (HMAC-SHA256 with a secret kept out of
// the database), the signed checkpoints (count and head) kept outside the
// database, and how a chain is verified. Storage records an entry inside the
// transaction that makes the change, so a change and its record stand or
// fall together.
//
// Without the key nobody can recompute the chain after changing an entry;
// with the checkpoints, removing the newest entries is found too.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Genesis is the prev_hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// MinKeyLen is the shortest key accepted, in bytes.
const MinKeyLen = 32

// Actor is who made a change. A zero UserID is the system (CLI, jobs).
type Actor struct {
	UserID int64
	Name   string
	IP     string
}

// System is the actor for command-line and scheduled changes.
func System(name string) Actor { return Actor{Name: name} }

// Entry is one audit record.
type Entry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	ActorID  int64     `json:"actor_id,omitempty"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Before   string    `json:"before,omitempty"`
	After    string    `json:"after,omitempty"`
	IP       string    `json:"ip,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// Hash computes an entry's MAC from its content and the previous hash,
// keyed with key. The id is part of it so that deleting or reordering rows
// breaks the chain.
func Hash(key []byte, prev string, e Entry) string {
	h := hmac.New(sha256.New, key)
	for _, f := range []string{
		prev,
		strconv.FormatInt(e.ID, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP,
	} {
		// Length-prefix every field so that no two different entries hash alike.
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LegacyHash is the unkeyed SHA-256 chain of earlier versions. It is used
// only to check an old chain once before it is re-keyed.
func LegacyHash(prev string, e Entry) string {
	h := sha256.New()
	for _, f := range []string{
		prev,
		strconv.FormatInt(e.ID, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP,
	} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Checkpoint records, outside the database, how long the chain was and what
// its last hash was at some moment. Count entries existed then; the entry
// with id Count had hash Head.
type Checkpoint struct {
	Count int64     `json:"n"`
	Head  string    `json:"head"`
	At    time.Time `json:"at"`
	MAC   string    `json:"mac"`
}

func (c Checkpoint) mac(key []byte) string {
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "danvan-audit-checkpoint|%d|%s|%s", c.Count, c.Head, c.At.UTC().Format(time.RFC3339Nano))
	return hex.EncodeToString(h.Sum(nil))
}

// Sign sets the checkpoint's MAC.
func (c *Checkpoint) Sign(key []byte) { c.MAC = c.mac(key) }

// Valid reports whether the checkpoint was signed with key.
func (c Checkpoint) Valid(key []byte) bool {
	return hmac.Equal([]byte(c.MAC), []byte(c.mac(key)))
}

// JSON renders a value for the before/after columns; nil gives "".
func JSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// BrokenError says where a chain stops verifying.
type BrokenError struct {
	ID     int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", e.ID, e.Reason)
}

// Verifier checks entries fed to it in id order. Ids run 1, 2, 3, … with
// no gap.
type Verifier struct {
	key    []byte
	legacy bool
	prev   string
	lastID int64
	Count  int
}

// NewVerifier starts a verification at the genesis hash.
func NewVerifier(key []byte) *Verifier { return &Verifier{key: key, prev: Genesis} }

// NewLegacyVerifier checks the unkeyed chain of earlier versions, to accept
// such a chain once before it is re-keyed.
func NewLegacyVerifier() *Verifier { return &Verifier{legacy: true, prev: Genesis} }

// Head is the hash of the last entry checked (Genesis before the first).
func (v *Verifier) Head() string { return v.prev }

// Next checks one entry; it returns a *BrokenError on the first bad one.
func (v *Verifier) Next(e Entry) error {
	if e.ID != v.lastID+1 {
		if e.ID <= v.lastID {
			return &BrokenError{ID: e.ID, Reason: "ids out of order"}
		}
		return &BrokenError{ID: v.lastID + 1, Reason: fmt.Sprintf("entries %d to %d are missing", v.lastID+1, e.ID-1)}
	}
	if e.PrevHash != v.prev {
		return &BrokenError{ID: e.ID, Reason: "previous hash does not match (an entry was removed or changed before this one)"}
	}
	got := ""
	if v.legacy {
		got = LegacyHash(v.prev, e)
	} else {
		got = Hash(v.key, v.prev, e)
	}
	if !hmac.Equal([]byte(got), []byte(e.Hash)) {
		return &BrokenError{ID: e.ID, Reason: "content does not match its hash (the entry was changed, or the chain was written with another key)"}
	}
	v.prev, v.lastID = e.Hash, e.ID
	v.Count++
	return nil
}

// Check compares a finished chain (n entries, heads[id] = hash of entry id)
// with a checkpoint. It returns a *BrokenError when the checkpoint is not
// signed with key, when entries it counted are gone, or when the entry it
// ends at has another hash.
func (c Checkpoint) Check(key []byte, n int64, headAt func(id int64) (string, bool)) error {
	if !c.Valid(key) {
		return &BrokenError{ID: c.Count, Reason: "a checkpoint outside the database is not signed with this key (the checkpoint file was altered, or the key changed)"}
	}
	if c.Count > n {
		return &BrokenError{ID: n + 1, Reason: fmt.Sprintf("entries %d to %d were removed (a checkpoint of %s counted %d)", n+1, c.Count, c.At.UTC().Format(time.RFC3339), c.Count)}
	}
	if c.Count == 0 {
		return nil
	}
	if h, ok := headAt(c.Count); ok && !hmac.Equal([]byte(h), []byte(c.Head)) {
		return &BrokenError{ID: c.Count, Reason: fmt.Sprintf("entry %d differs from the checkpoint of %s", c.Count, c.At.UTC().Format(time.RFC3339))}
	}
	return nil
}

// MarshalLine renders a checkpoint as one line of the checkpoint file.
func (c Checkpoint) MarshalLine() []byte {
	b, _ := json.Marshal(c)
	return append(b, '\n')
}
