// Package audit owns the append-only, hash-chained audit log: the shape of an
// entry, how its hash is computed from the previous one, and how a chain is
// verified. Storage appends entries inside the transaction that makes the
// change, so a change and its record stand or fall together.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Genesis is the prev_hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

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

// Hash computes an entry's hash from its content and the previous hash. The
// id is part of it so that deleting or reordering rows breaks the chain.
func Hash(prev string, e Entry) string {
	h := sha256.New()
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

// Verifier checks entries fed to it in id order.
type Verifier struct {
	prev   string
	lastID int64
	Count  int
}

// NewVerifier starts a verification at the genesis hash.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis} }

// Next checks one entry; it returns a *BrokenError on the first bad one.
func (v *Verifier) Next(e Entry) error {
	if e.ID <= v.lastID {
		return &BrokenError{ID: e.ID, Reason: "ids out of order"}
	}
	if e.PrevHash != v.prev {
		return &BrokenError{ID: e.ID, Reason: "previous hash does not match (an entry was removed or changed before this one)"}
	}
	if got := Hash(v.prev, e); got != e.Hash {
		return &BrokenError{ID: e.ID, Reason: "content does not match its hash (the entry was changed)"}
	}
	v.prev, v.lastID = e.Hash, e.ID
	v.Count++
	return nil
}
