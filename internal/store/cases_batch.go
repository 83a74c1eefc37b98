package store

// Group commit of case intake, and bulk loading of cases.
//
// A durable commit costs a disk flush; one transaction per case caps the
// public intake near the flush rate and makes every caller wait for the
// flushes queued before its own. QueueCase instead queues the case; one
// goroutine at a time takes up to caseBatchMax queued cases and writes
// them in ONE transaction — each case with its first event and its audit
// entry, under its own SAVEPOINT so that a failing case (a tracking code
// already taken) is rolled back alone and answered its own error — then
// commits, and only then answers every caller. No case is acknowledged
// before the commit that holds it returned.
//
// SeedCases writes many prepared cases (their history, statuses and
// dates) in one transaction, all or nothing: the demo, the import of a
// paper register and the benchmark's synthetic load use it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// Migration 0024 seeds the default categories; a restored backup that
// holds categories replaces them.
func init() { seededTables = append(seededTables, "case_categories") }

// caseBatchMax bounds the cases of one shared commit.
const caseBatchMax = 256

// caseQueue is the store's queue of cases waiting for a commit.
type caseQueue struct {
	mu      sync.Mutex
	pending []*queuedCase
	running bool // a committer goroutine is draining pending
}

type queuedCase struct {
	ctx   context.Context
	a     audit.Actor
	c     *Case
	first CaseEvent
	files []NewCaseFile
	err   error
	done  chan struct{}
}

// QueueCase stores a case like CreateCase — the case, its first event, the
// audit entry and its files, durably committed when it returns nil; a tracking code
// already taken answers ErrConflict — but shares the commit with the cases
// submitted at the same time.
func (s *Store) QueueCase(ctx context.Context, a audit.Actor, c *Case, first CaseEvent, files ...NewCaseFile) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q := &queuedCase{ctx: ctx, a: a, c: c, first: first, files: files, done: make(chan struct{})}
	s.caseQueue.mu.Lock()
	s.caseQueue.pending = append(s.caseQueue.pending, q)
	if !s.caseQueue.running {
		s.caseQueue.running = true
		go s.commitQueuedCases()
	}
	s.caseQueue.mu.Unlock()
	// The caller waits for the commit even if its context ends meanwhile:
	// the answer must say whether the case is stored.
	<-q.done
	return q.err
}

// commitQueuedCases drains the queue, one transaction per batch, and
// exits when it is empty.
func (s *Store) commitQueuedCases() {
	for {
		s.caseQueue.mu.Lock()
		n := min(len(s.caseQueue.pending), caseBatchMax)
		if n == 0 {
			s.caseQueue.running = false
			s.caseQueue.mu.Unlock()
			return
		}
		batch := make([]*queuedCase, n)
		copy(batch, s.caseQueue.pending)
		rest := copy(s.caseQueue.pending, s.caseQueue.pending[n:])
		clear(s.caseQueue.pending[rest:])
		s.caseQueue.pending = s.caseQueue.pending[:rest]
		s.caseQueue.mu.Unlock()
		s.commitCaseBatch(batch)
		for _, q := range batch {
			close(q.done)
		}
	}
}

// commitCaseBatch writes one batch in one transaction and sets each
// queued case's answer.
func (s *Store) commitCaseBatch(batch []*queuedCase) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range batch {
			if err := q.ctx.Err(); err != nil {
				q.err = err
				continue
			}
			if _, err := tx.ExecContext(ctx, "SAVEPOINT queued_case"); err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
			if err := s.insertCase(ctx, tx, q.a, q.c, q.first, q.files...); err != nil {
				q.err = err
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT queued_case"); err != nil {
					return fmt.Errorf("rollback to savepoint: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT queued_case"); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		// Nothing of the batch is stored: every case that had no error of
		// its own gets the transaction's.
		for _, q := range batch {
			if q.err == nil {
				q.err = err
			}
		}
	}
}

// CaseSeed is a case prepared in full (status, deadlines, dates, rating)
// with its history, for SeedCases. ParentCode names the first complaint of
// a second-time complaint: a case of the same seed list or one stored.
// Case.CreatedAt zero means now.
type CaseSeed struct {
	Case       Case
	ParentCode string
	Events     []CaseEvent
}

// SeedCases writes the seeds in one transaction, all or nothing, with one
// audit entry (action) for the whole load; it returns the ids in order. A
// tracking code already taken answers ErrConflict and stores nothing.
func (s *Store) SeedCases(ctx context.Context, a audit.Actor, action string, seeds []CaseSeed) ([]int64, error) {
	ids := make([]int64, len(seeds))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, s.q(`INSERT INTO cases (tracking_code, secret_hash, kind, category, channel, unit_id, place_unit_id, lat, lon,
				title, description, status, anonymous, identity_enc, submitter_id, parent_case_id, remote, accept_due, resolve_due, extended_due,
				resolution, rating, rating_comment, received_on, created_at, updated_at, closed_at, version,
				media_url, address_string, search_text, person_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
		if err != nil {
			return fmt.Errorf("seed cases: %w", err)
		}
		defer ins.Close()
		ev, err := tx.PrepareContext(ctx, s.q(`INSERT INTO case_events (case_id, at, actor_id, actor, action, public, public_note, internal_note, from_unit_id, to_unit_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
		if err != nil {
			return fmt.Errorf("seed case events: %w", err)
		}
		defer ev.Close()
		now := s.Now().Truncate(time.Microsecond)
		byCode := make(map[string]int64, len(seeds))
		for i := range seeds {
			c := &seeds[i].Case
			if c.CreatedAt.IsZero() {
				c.CreatedAt = now
			}
			if c.UpdatedAt.IsZero() {
				c.UpdatedAt = c.CreatedAt
			}
			if c.Version == 0 {
				c.Version = 1
			}
			if code := seeds[i].ParentCode; code != "" {
				id, ok := byCode[code]
				if !ok {
					err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM cases WHERE tracking_code = ?`), code).Scan(&id)
					if errors.Is(err, sql.ErrNoRows) {
						return fmt.Errorf("seed case %s: parent %s: %w", c.TrackingCode, code, ErrNotFound)
					}
					if err != nil {
						return fmt.Errorf("seed case parent: %w", err)
					}
				}
				c.ParentCaseID = id
			}
			var lat, lon, ident, rating any
			if c.Lat != nil {
				lat = *c.Lat
			}
			if c.Lon != nil {
				lon = *c.Lon
			}
			if c.IdentityEnc != nil {
				ident = c.IdentityEnc
			}
			if c.Rating > 0 {
				rating = c.Rating
			}
			err := ins.QueryRowContext(ctx, c.TrackingCode, c.SecretHash, c.Kind, c.Category, c.Channel, c.UnitID, nullID(c.PlaceUnitID), lat, lon,
				c.Title, c.Description, c.Status, c.Anonymous, ident, nullID(c.SubmitterID), nullID(c.ParentCaseID), c.Remote,
				c.AcceptDue, c.ResolveDue, c.ExtendedDue, c.Resolution, rating, c.RatingNote, c.ReceivedOn,
				s.ts(c.CreatedAt), s.ts(c.UpdatedAt), s.ts(c.ClosedAt), c.Version,
				c.MediaURL, c.AddressString, CaseSearchText(c), c.PersonHash).Scan(&c.ID)
			if isUnique(err) {
				return fmt.Errorf("seed case %s: %w", c.TrackingCode, ErrConflict)
			}
			if err != nil {
				return fmt.Errorf("seed case %s: %w", c.TrackingCode, err)
			}
			c.HasIdentity = c.IdentityEnc != nil
			ids[i] = c.ID
			byCode[c.TrackingCode] = c.ID
			for j := range seeds[i].Events {
				e := &seeds[i].Events[j]
				e.CaseID = c.ID
				if e.At.IsZero() {
					e.At = c.CreatedAt
				}
				if _, err := ev.ExecContext(ctx, e.CaseID, s.ts(e.At), nullID(e.ActorID), e.Actor, e.Action, e.Public, e.PublicNote, e.InternalNote,
					nullID(e.FromUnitID), nullID(e.ToUnitID)); err != nil {
					return fmt.Errorf("seed case event: %w", err)
				}
			}
		}
		return s.appendAudit(ctx, tx, a, action, "case", "", nil, map[string]any{"cases": len(seeds)})
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
