package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/danvan/danvan/internal/authz"
	"github.com/danvan/danvan/internal/server"
	"github.com/danvan/danvan/internal/service"
)

// AuditEntry is one audit record; before and after are the recorded JSON.
type AuditEntry struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	ActorID  *int64          `json:"actor_id"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	IP       string          `json:"ip"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// AuditVerify is the state of the background verification of the chain:
// the last finished run's result and whether one is running now.
type AuditVerify struct {
	OK       bool       `json:"ok"`
	Count    int        `json:"count"`
	BrokenAt *int64     `json:"broken_at"`
	Reason   *string    `json:"reason"`
	Running  bool       `json:"running"`
	Started  *time.Time `json:"started_at"`
	Finished *time.Time `json:"finished_at"`
}

func rawJSON(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

func auditOf(e service.AuditEntry) AuditEntry {
	out := AuditEntry{ID: e.ID, At: e.At, Actor: e.Actor, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		Before: rawJSON(e.Before), After: rawJSON(e.After), IP: e.IP, PrevHash: e.PrevHash, Hash: e.Hash}
	if e.ActorID != 0 {
		id := e.ActorID
		out.ActorID = &id
	}
	return out
}

// listAudit: GET /audit (audit.read), newest first.
func (a *api) listAudit(w http.ResponseWriter, r *http.Request) error {
	p := server.PrincipalFrom(r.Context())
	if !a.d.Can(r.Context(), authz.ActionAuditRead, 0) {
		// Refused before any parameter is looked at.
		return errForbidden()
	}
	q := r.URL.Query()
	var f service.AuditFilter
	for _, p := range []struct {
		name string
		dst  *string
	}{{"actor", &f.Actor}, {"action", &f.Action}, {"entity", &f.Entity}, {"entity_id", &f.EntityID}} {
		v, err := textParam(q, p.name, 100)
		if err != nil {
			return err
		}
		*p.dst = v
	}
	var err error
	if f.From, err = timeParam(q, "from", false); err != nil {
		return err
	}
	if f.To, err = timeParam(q, "to", true); err != nil {
		return err
	}
	pg, err := pageParams(q, false)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	es, total, err := a.d.Svc.Accounts.AuditLog(r.Context(), p, f)
	if err != nil {
		return err
	}
	items := make([]AuditEntry, len(es))
	for i, e := range es {
		items[i] = auditOf(e)
	}
	return writeJSON(w, http.StatusOK, newPage(a, r, items, total, pg))
}

// verifyAudit: GET /audit/verify (audit.read) starts a background
// verification when none is running and reports the last result.
func (a *api) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	v, err := a.d.Svc.Accounts.CheckAudit(r.Context(), server.PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	out := AuditVerify{Count: v.Count, Running: v.Running}
	if !v.Started.IsZero() {
		t := v.Started
		out.Started = &t
	}
	if !v.Finished.IsZero() {
		t := v.Finished
		out.Finished = &t
	}
	var broken *service.BrokenChainError
	switch {
	case v.Finished.IsZero():
	case v.Err == nil:
		out.OK = true
	case errors.As(v.Err, &broken):
		out.BrokenAt, out.Reason = &broken.ID, &broken.Reason
	default:
		return v.Err
	}
	return writeJSON(w, http.StatusOK, out)
}
