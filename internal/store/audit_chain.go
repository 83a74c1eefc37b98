package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/danvan/danvan/internal/audit"
)

// Files of the audit chain in the data directory.
const (
	AuditKeyFile        = "audit.key"
	AuditCheckpointFile = "audit.checkpoints"
)

const (
	// sealBatch is how many pending entries one sealing transaction moves
	// (12 parameters each in one INSERT).
	sealBatch = 200
	// verifyBatch is how many entries one verification query reads: no
	// read transaction stays open for the whole walk.
	verifyBatch = 2000
	// checkpointTail is how much of the end of the checkpoint file a
	// verification reads.
	checkpointTail = 64 << 10
	// checkpointRotate is the size past which the checkpoint file starts
	// afresh (the old one is kept as audit.checkpoints.1).
	checkpointRotate = 4 << 20
	// sealLock is the PostgreSQL advisory lock the sealers of all replicas share.
	sealLock = 7261002
)

// auditState is a store's part of the keyed audit chain.
type auditState struct {
	keyOnce sync.Once
	key     []byte
	keyErr  error

	// txs maps a write transaction that recorded audit entries to what must
	// happen after its commit: a checkpoint to write (SQLite) or nil, a seal
	// (PostgreSQL).
	txs sync.Map

	sealMu  sync.Mutex
	sealErr atomic.Value
	// tailOK: the last entry of the chain verified with this key once, so
	// this process extends the chain with the key it was written with.
	tailOK atomic.Bool

	cpMu   sync.Mutex
	cpFile *os.File
	cpSize int64

	base   context.Context // cancelled by Close
	cancel context.CancelFunc
	kick   chan struct{}
	done   chan struct{}

	verifyMu sync.Mutex
	verify   AuditVerification
}

// startAudit prepares the audit chain when the store opens: the key is read
// (or created) now when its place is known, and on PostgreSQL the background
// sealer starts: woken after every commit that recorded entries, and every
// few seconds for entries other processes left pending.
func (s *Store) startAudit() error {
	a := &auditState{kick: make(chan struct{}, 1), done: make(chan struct{})}
	a.base, a.cancel = context.WithCancel(context.Background())
	s.audit = a
	if s.opts.AuditKey != "" || s.opts.DataDir != "" {
		if _, err := s.auditKey(); err != nil {
			a.cancel()
			return err
		}
	}
	if s.dialect != Postgres {
		close(a.done)
		return nil
	}
	go s.sealLoop()
	return nil
}

func (s *Store) sealLoop() {
	a := s.audit
	defer close(a.done)
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-a.base.Done():
			return
		case <-a.kick:
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(a.base, time.Minute)
		if _, err := s.SealAudit(ctx); err != nil && a.base.Err() == nil {
			a.sealErr.Store(errBox{err})
		}
		cancel()
	}
}

// stopAudit stops the background work, seals what this process left
// pending, and closes the checkpoint file.
func (s *Store) stopAudit() {
	a := s.audit
	if a == nil {
		return
	}
	a.cancel()
	<-a.done
	if s.dialect == Postgres {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _ = s.SealAudit(ctx)
		cancel()
	}
	a.cpMu.Lock()
	if a.cpFile != nil {
		a.cpFile.Close()
		a.cpFile = nil
	}
	a.cpMu.Unlock()
}

// ErrNoAuditKey means the store was given neither an audit key nor a data
// directory to keep one in.
var ErrNoAuditKey = errors.New("audit: no key: set DANVAN_AUDIT_KEY, or give a data directory for " + AuditKeyFile)

// auditKey returns the chain's key, reading or creating it once.
func (s *Store) auditKey() ([]byte, error) {
	a := s.audit
	a.keyOnce.Do(func() { a.key, a.keyErr = loadAuditKey(s.opts) })
	return a.key, a.keyErr
}

func loadAuditKey(o Options) ([]byte, error) {
	if o.AuditKey != "" {
		if len(o.AuditKey) < audit.MinKeyLen {
			return nil, fmt.Errorf("audit: the key must be at least %d characters long", audit.MinKeyLen)
		}
		return []byte(o.AuditKey), nil
	}
	if o.DataDir == "" {
		return nil, ErrNoAuditKey
	}
	k, err := keyFile(o.DataDir, AuditKeyFile, "audit", audit.MinKeyLen)
	if err != nil {
		return nil, err
	}
	return []byte(k), nil
}

// ErrAuditKeyMismatch means the last entry of the audit log was not written
// with this process's key.
var ErrAuditKeyMismatch = errors.New("audit: the key does not match the last entry of the audit log (is DANVAN_AUDIT_KEY or audit.key the one the log was written with?); nothing written")

// checkTail makes sure, once per store, that the chain's last entry was
// written with this key (or is an entry of an earlier, unkeyed version), so
// that a process started with another key cannot extend the chain with it.
func (s *Store) checkTail(ctx context.Context, q querier, key []byte) error {
	if s.audit.tailOK.Load() {
		return nil
	}
	row := q.QueryRowContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash
		FROM audit_log ORDER BY id DESC LIMIT 1`)
	var e audit.Entry
	var at Time
	err := row.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash)
	e.At = at.Time
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return fmt.Errorf("audit tail: %w", err)
	case e.Hash != audit.Hash(key, e.PrevHash, e) && e.Hash != audit.LegacyHash(e.PrevHash, e):
		return ErrAuditKeyMismatch
	}
	s.audit.tailOK.Store(true)
	return nil
}

// auditCommitted runs after a write transaction committed.
func (s *Store) auditCommitted(ctx context.Context, tx *sql.Tx) {
	v, ok := s.audit.txs.LoadAndDelete(tx)
	if !ok {
		return
	}
	if cp := v.(*audit.Checkpoint); cp != nil {
		s.writeCheckpoint(*cp)
		return
	}
	// The sealer chains it at once, in the background: the write does not
	// wait, and entries committed together are sealed in one transaction.
	// Readers of the log (ListAudit, VerifyAudit, Backup) seal first.
	s.kickSealer()
}

// kickSealer wakes the background sealer.
func (s *Store) kickSealer() {
	select {
	case s.audit.kick <- struct{}{}:
	default: // already woken
	}
}

// auditRolledBack forgets a transaction that did not commit.
func (s *Store) auditRolledBack(tx *sql.Tx) { s.audit.txs.Delete(tx) }

// SealAudit chains every pending audit entry into audit_log and writes a
// checkpoint. It returns how many entries it sealed.
func (s *Store) SealAudit(ctx context.Context) (int, error) {
	var pending int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM audit_pending LIMIT 1) p`).Scan(&pending); err != nil {
		return 0, fmt.Errorf("audit seal: %w", err)
	}
	if pending == 0 {
		return 0, nil
	}
	s.audit.sealMu.Lock()
	defer s.audit.sealMu.Unlock()
	return s.sealLocked(ctx)
}

// sealLocked moves pending entries into the chain in batches, each in its
// own short transaction (on PostgreSQL under an advisory lock that only
// sealers take), then writes the checkpoint. The caller holds sealMu.
func (s *Store) sealLocked(ctx context.Context) (int, error) {
	key, err := s.auditKey()
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		var cp *audit.Checkpoint
		n := 0
		tx, err := s.wdb.BeginTx(ctx, nil)
		if err != nil {
			return total, fmt.Errorf("audit seal: %w", err)
		}
		err = func() error {
			if s.dialect == Postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(sealLock)+`)`); err != nil {
					return err
				}
			}
			rows, err := tx.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before_json, after_json, ip
				FROM audit_pending ORDER BY id LIMIT `+strconv.Itoa(sealBatch))
			if err != nil {
				return err
			}
			var es []audit.Entry
			var ids []any
			for rows.Next() {
				var e audit.Entry
				var at Time
				var pid int64
				if err := rows.Scan(&pid, &at, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.IP); err != nil {
					rows.Close()
					return err
				}
				e.At = at.Time
				es = append(es, e)
				ids = append(ids, pid)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(es) == 0 {
				return nil
			}
			if err := s.checkTail(ctx, tx, key); err != nil {
				return err
			}
			var last int64
			prev := audit.Genesis
			if err := tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&last, &prev); err != nil && err != sql.ErrNoRows {
				return err
			}
			// One multi-row INSERT per batch: a round trip, not one per entry.
			const cols = 12
			args := make([]any, 0, len(es)*cols)
			var vals strings.Builder
			for i, e := range es {
				e.ID, e.PrevHash = last+1, prev
				e.Hash = audit.Hash(key, prev, e)
				var actorID any
				if e.ActorID != 0 {
					actorID = e.ActorID
				}
				if i > 0 {
					vals.WriteByte(',')
				}
				vals.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?)")
				args = append(args, e.ID, s.ts(e.At), actorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP, e.PrevHash, e.Hash)
				last, prev = e.ID, e.Hash
			}
			if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash) VALUES `+vals.String()), args...); err != nil {
				return err
			}
			// By id, not by range: on PostgreSQL an entry with a lower id may
			// commit after this transaction read the pending ones.
			if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM audit_pending WHERE id IN (`+placeholders(len(ids))+`)`), ids...); err != nil {
				return err
			}
			n = len(es)
			cp = &audit.Checkpoint{Count: last, Head: prev}
			return nil
		}()
		if err != nil {
			_ = tx.Rollback()
			return total, fmt.Errorf("audit seal: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return total, fmt.Errorf("audit seal: commit: %w", err)
		}
		if cp != nil {
			s.writeCheckpoint(*cp)
		}
		total += n
		if n < sealBatch {
			return total, nil
		}
	}
}

// writeCheckpoint appends a signed checkpoint to the checkpoint file. It is
// called only after the entries it counts are committed, so the file is
// never ahead of the database; it is not synced, so after a crash it may be
// behind, which only weakens it.
func (s *Store) writeCheckpoint(cp audit.Checkpoint) {
	key, err := s.auditKey()
	if err != nil || s.opts.DataDir == "" {
		return
	}
	cp.At = time.Now().UTC().Truncate(time.Microsecond)
	cp.Sign(key)
	line := cp.MarshalLine()
	a := s.audit
	a.cpMu.Lock()
	defer a.cpMu.Unlock()
	path := filepath.Join(s.opts.DataDir, AuditCheckpointFile)
	if a.cpFile != nil && a.cpSize+int64(len(line)) > checkpointRotate {
		a.cpFile.Close()
		a.cpFile = nil
		_ = os.Rename(path, path+".1")
	}
	if a.cpFile == nil {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			a.sealErr.Store(errBox{fmt.Errorf("audit checkpoint: %w", err)})
			return
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return
		}
		a.cpFile, a.cpSize = f, st.Size()
	}
	// One write of a short line with O_APPEND: lines of two processes
	// writing at once do not interleave.
	n, err := a.cpFile.Write(line)
	a.cpSize += int64(n)
	if err != nil {
		a.sealErr.Store(errBox{fmt.Errorf("audit checkpoint: %w", err)})
	}
}

// readCheckpoints returns the checkpoints at the end of the checkpoint file.
// A line that is not a checkpoint is reported as broken; a last line
// without its newline (a write cut short) is skipped.
func (s *Store) readCheckpoints() ([]audit.Checkpoint, error) {
	if s.opts.DataDir == "" {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(s.opts.DataDir, AuditCheckpointFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := max(st.Size()-checkpointTail, 0)
	b, err := io.ReadAll(io.NewSectionReader(f, off, st.Size()-off))
	if err != nil {
		return nil, err
	}
	if off > 0 { // started inside a line
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	} else {
		b = nil
	}
	var out []audit.Checkpoint
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var cp audit.Checkpoint
		if err := json.Unmarshal(line, &cp); err != nil {
			return nil, &audit.BrokenError{Reason: "the checkpoint file holds a line that is not a checkpoint (it was altered)"}
		}
		out = append(out, cp)
	}
	return out, nil
}

// lastCheckpoint is the checkpoint with the highest count, or nil.
func lastCheckpoint(cps []audit.Checkpoint) *audit.Checkpoint {
	var best *audit.Checkpoint
	for i := range cps {
		if best == nil || cps[i].Count > best.Count {
			best = &cps[i]
		}
	}
	return best
}

// restartCheckpoints keeps the checkpoints that no longer apply (the
// database was restored, or its chain re-keyed) under another name and
// starts the file afresh at cp.
func (s *Store) restartCheckpoints(cp audit.Checkpoint) {
	if s.opts.DataDir == "" {
		return
	}
	a := s.audit
	a.cpMu.Lock()
	if a.cpFile != nil {
		a.cpFile.Close()
		a.cpFile = nil
	}
	path := filepath.Join(s.opts.DataDir, AuditCheckpointFile)
	if _, err := os.Stat(path); err == nil {
		_ = os.Rename(path, path+".replaced-"+time.Now().UTC().Format("20060102T150405.000"))
	}
	a.cpMu.Unlock()
	s.writeCheckpoint(cp)
}

// VerifyAudit walks the whole chain in id order, a batch of entries per
// query, and compares it with the signed checkpoints kept outside the
// database. It returns the number of entries checked and an
// *audit.BrokenError when the chain was changed, cut short, or written with
// another key. Pending entries are sealed first.
func (s *Store) VerifyAudit(ctx context.Context) (int, error) {
	if _, err := s.SealAudit(ctx); err != nil {
		return 0, err
	}
	key, err := s.auditKey()
	if err != nil {
		return 0, err
	}
	cps, err := s.readCheckpoints()
	if err != nil {
		return 0, err
	}
	heads := map[int64]string{}
	for _, cp := range cps {
		heads[cp.Count] = ""
	}
	v := audit.NewVerifier(key)
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return v.Count, err
		}
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash
			FROM audit_log WHERE id > ? ORDER BY id LIMIT `+strconv.Itoa(verifyBatch)), after)
		if err != nil {
			return v.Count, fmt.Errorf("audit verify: %w", err)
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return v.Count, err
			}
			if err := v.Next(e); err != nil {
				rows.Close()
				return v.Count, err
			}
			if _, ok := heads[e.ID]; ok {
				heads[e.ID] = e.Hash
			}
			after = e.ID
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v.Count, err
		}
		if n < verifyBatch {
			break
		}
	}
	headAt := func(id int64) (string, bool) { h, ok := heads[id]; return h, ok && h != "" }
	for _, cp := range cps {
		if err := cp.Check(key, int64(v.Count), headAt); err != nil {
			return v.Count, err
		}
	}
	return v.Count, nil
}

// AuditVerification is the state of the background verification.
type AuditVerification struct {
	Running  bool
	Started  time.Time // zero: never started
	Finished time.Time // zero while the first run is under way
	Count    int       // entries verified by the last finished run
	Err      error     // its result: nil, an *audit.BrokenError, or another error
}

// AuditVerificationTimeout bounds one background verification.
const AuditVerificationTimeout = 30 * time.Minute

// AuditVerifyJob reports the background verification of the audit chain and,
// when start is true and none is running, starts one. At most one runs per
// store; it reads in batches on the read pool, so pages never wait for it.
// The returned state is the one after starting: Running, with the previous
// run's result, if any.
func (s *Store) AuditVerifyJob(start bool) AuditVerification {
	a := s.audit
	a.verifyMu.Lock()
	defer a.verifyMu.Unlock()
	if start && !a.verify.Running && a.base.Err() == nil {
		a.verify.Running = true
		a.verify.Started = s.Now()
		go func() {
			ctx, cancel := context.WithTimeout(a.base, AuditVerificationTimeout)
			defer cancel()
			n, err := s.VerifyAudit(ctx)
			a.verifyMu.Lock()
			a.verify.Running, a.verify.Finished, a.verify.Count, a.verify.Err = false, s.Now(), n, err
			a.verifyMu.Unlock()
		}()
	}
	return a.verify
}

// LastSealError is the last error of sealing or checkpointing, if any (for
// health checks).
func (s *Store) LastSealError() error {
	b, _ := s.audit.sealErr.Load().(errBox)
	return b.err
}

// errBox lets errors of any type share one atomic.Value.
type errBox struct{ err error }

// ErrNotLegacy means RekeyAudit found a chain that is not the unkeyed chain
// of earlier versions.
var ErrNotLegacy = errors.New("audit: the log is not an intact unkeyed chain of an earlier version; nothing changed")

// RekeyAudit converts the unkeyed hash chain written by earlier versions into
// the keyed chain, once, after an upgrade: it checks the whole old chain
// first and changes nothing unless every entry verifies. Entries written
// after the upgrade (chained onto the old ones) are re-keyed with the rest.
// It returns how many entries it re-keyed.
func (s *Store) RekeyAudit(ctx context.Context) (int, error) {
	key, err := s.auditKey()
	if err != nil {
		return 0, err
	}
	s.audit.sealMu.Lock()
	defer s.audit.sealMu.Unlock()
	n := 0
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(sealLock)+`)`); err != nil {
			return 0, err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, err
	}
	var es []audit.Entry
	legacyPrev, keyedPrev := audit.Genesis, audit.Genesis
	keyed := false // entries appended after the upgrade: keyed, chained onto a legacy hash
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		if e.ID != int64(len(es))+1 || e.PrevHash != legacyPrev {
			rows.Close()
			return 0, ErrNotLegacy
		}
		switch {
		case !keyed && e.Hash == audit.LegacyHash(legacyPrev, e):
		case e.Hash == audit.Hash(key, legacyPrev, e):
			keyed = true
		default:
			rows.Close()
			return 0, ErrNotLegacy
		}
		legacyPrev = e.Hash
		es = append(es, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(es) == 0 || !legacy(es, key) {
		return 0, ErrNotLegacy
	}
	up, err := tx.PrepareContext(ctx, s.q(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`))
	if err != nil {
		return 0, err
	}
	defer up.Close()
	// Through a temporary value first: hash is UNIQUE, and a new hash must
	// not collide with an old one not yet rewritten.
	if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET hash = 'rekey-' || CAST(id AS TEXT)`); err != nil {
		return 0, err
	}
	for _, e := range es {
		e.PrevHash = keyedPrev
		e.Hash = audit.Hash(key, keyedPrev, e)
		if _, err := up.ExecContext(ctx, e.PrevHash, e.Hash, e.ID); err != nil {
			return 0, err
		}
		keyedPrev = e.Hash
		n++
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	// Checkpoints of entries appended since the upgrade name their old hashes.
	s.restartCheckpoints(audit.Checkpoint{Count: int64(n), Head: keyedPrev})
	return n, nil
}

// legacy reports whether the first entry is an unkeyed one.
func legacy(es []audit.Entry, key []byte) bool {
	return es[0].Hash == audit.LegacyHash(audit.Genesis, es[0]) && es[0].Hash != audit.Hash(key, audit.Genesis, es[0])
}
