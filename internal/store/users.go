package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/account"
	"github.com/danvan/danvan/internal/audit"
	"github.com/danvan/danvan/internal/authz"
)

const userCols = `id, username, full_name, email, password_hash, locale, disabled, failed_logins, locked_until, created_at`

func scanUser(sc interface{ Scan(...any) error }) (account.User, error) {
	var u account.User
	var locked, created Time
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &u.Email, &u.PasswordHash, &u.Locale, &u.Disabled, &u.FailedLogins, &locked, &created)
	u.LockedUntil, u.CreatedAt = locked.Time, created.Time
	return u, err
}

// userView is what the audit log records of a user: never the hash.
type userView struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Email    string `json:"email,omitempty"`
	Disabled bool   `json:"disabled"`
}

func viewOf(u account.User) userView {
	return userView{u.Username, u.FullName, u.Email, u.Disabled}
}

// CreateUser stores a user with an already-hashed password.
func (s *Store) CreateUser(ctx context.Context, a audit.Actor, u *account.User) error {
	if err := account.ValidUsername(u.Username); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.ts(s.Now())
		id, err := s.insertID(ctx, tx, `INSERT INTO users (username, full_name, email, password_hash, locale, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Username, u.FullName, u.Email, u.PasswordHash, u.Locale, u.Disabled, now, now)
		if isUnique(err) {
			return fmt.Errorf("user %s: %w", u.Username, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		u.ID = id
		u.CreatedAt = s.Now()
		return s.appendAudit(ctx, tx, a, "user.create", "user", id, nil, viewOf(*u))
	})
}

// GetUser returns a user by id.
func (s *Store) GetUser(ctx context.Context, id int64) (account.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	return u, err
}

// UserByName returns a user by user name.
func (s *Store) UserByName(ctx context.Context, name string) (account.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE username = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	return u, err
}

// ListUsers returns users ordered by name, with the total.
func (s *Store) ListUsers(ctx context.Context, query string, limit, offset int) ([]account.User, int, error) {
	cond, args := "", []any{}
	if query != "" {
		cond = ` WHERE LOWER(username) LIKE ? ESCAPE '\' OR LOWER(full_name) LIKE ? ESCAPE '\'`
		p := "%" + escapeLike(lower(query)) + "%"
		args = append(args, p, p)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users`+cond), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+userCols+` FROM users`+cond+` ORDER BY username LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(max(offset, 0))), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// SetPassword replaces a user's password hash, clears any lock and ends the
// user's sessions.
func (s *Store) SetPassword(ctx context.Context, a audit.Actor, userID int64, hash string) error {
	return s.SetPasswordKeeping(ctx, a, userID, hash, "")
}

// SetPasswordKeeping is SetPassword that keeps one session (by its token
// hash) signed in: the one that made the change. Everything happens in one
// transaction, so that session is never signed out, not even for a moment.
func (s *Store) SetPasswordKeeping(ctx context.Context, a audit.Actor, userID int64, hash, keepSession string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, s.q(`UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`), hash, s.ts(s.Now()), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", userID, ErrNotFound)
		}
		if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`), userID, keepSession); err != nil {
			return err
		}
		if err := s.revokeUserTokens(ctx, tx, userID); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "user.password", "user", userID, nil, map[string]string{"password": "changed"})
	})
}

// ErrLastAdmin refuses a change that would leave the installation without
// an enabled administrator.
var ErrLastAdmin = fmt.Errorf("the last administrator: %w", ErrConflict)

// lockAdmins locks the administrator grants of enabled users and returns
// them as grant id → user id. In the same transaction as a revocation or a
// disabling, it makes "is this the last administrator?" and the change one
// step: a concurrent transaction waits, then sees the result (PostgreSQL
// skips a locked row that the other transaction deleted; SQLite transactions
// are serial).
func (s *Store) lockAdmins(ctx context.Context, tx *sql.Tx) (map[int64]int64, error) {
	q := `SELECT g.id, g.user_id FROM grants g JOIN users u ON u.id = g.user_id WHERE g.role = ? AND u.disabled = ?`
	if s.dialect == Postgres {
		q += ` FOR UPDATE OF g, u`
	}
	rows, err := tx.QueryContext(ctx, s.q(q), string(authz.RoleAdmin), false)
	if err != nil {
		return nil, fmt.Errorf("admin grants: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, uid int64
		if err := rows.Scan(&id, &uid); err != nil {
			return nil, err
		}
		out[id] = uid
	}
	return out, rows.Err()
}

// SetUserDisabled enables or disables an account. Disabling ends its
// sessions and revokes its API tokens, and is refused with [ErrLastAdmin]
// when no other enabled user would hold the administrator role.
func (s *Store) SetUserDisabled(ctx context.Context, a audit.Actor, userID int64, disabled bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if disabled {
			admins, err := s.lockAdmins(ctx, tx)
			if err != nil {
				return err
			}
			holds, others := false, false
			for _, uid := range admins {
				if uid == userID {
					holds = true
				} else {
					others = true
				}
			}
			if holds && !others {
				return ErrLastAdmin
			}
		}
		res, err := s.txExec(ctx, tx, s.q(`UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?`), disabled, s.ts(s.Now()), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", userID, ErrNotFound)
		}
		if disabled {
			if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
				return err
			}
			if err := s.revokeUserTokens(ctx, tx, userID); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, a, "user.disabled", "user", userID, nil, map[string]bool{"disabled": disabled})
	})
}

// SetLocale remembers a user's language.
func (s *Store) SetLocale(ctx context.Context, userID int64, lang string) error {
	_, err := s.wdb.ExecContext(ctx, s.q(`UPDATE users SET locale = ? WHERE id = ?`), lang, userID)
	return err
}

// SignInAttempt is a sign-in attempt recorded before the password is checked.
type SignInAttempt struct {
	ID int64
	// IPFailures counts failed attempts from the address since the window
	// start, this one included.
	IPFailures int
	// NameFailures counts failed attempts for the user name (whether or not
	// it exists) since the window start and since its last success, this one
	// included.
	NameFailures int
}

// BeginSignIn records an attempt as failed, before any password hashing, and
// counts the failures that throttle it: concurrent attempts see each other.
// [Store.SignInSucceeded] turns it into a success.
func (s *Store) BeginSignIn(ctx context.Context, username, ip string, since time.Time) (SignInAttempt, error) {
	var at SignInAttempt
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			// Attempts on one name are counted one at a time, so that two at
			// once cannot both see "one failure left" (SQLite's single writer
			// already serialises them).
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "signin:"+username); err != nil {
				return fmt.Errorf("lock sign-in attempts: %w", err)
			}
		}
		var err error
		at.ID, err = s.insertID(ctx, tx, `INSERT INTO login_attempts (username, ip, ok, at) VALUES (?, ?, ?, ?)`, username, ip, false, s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("record sign-in: %w", err)
		}
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM login_attempts WHERE ip = ? AND ok = ? AND at >= ?`), ip, false, s.ts(since)).Scan(&at.IPFailures); err != nil {
			return err
		}
		var last Time
		if err := s.txQueryRow(ctx, tx, s.q(`SELECT MAX(at) FROM login_attempts WHERE username = ? AND ok = ?`), username, true).Scan(&last); err != nil {
			return err
		}
		from := since
		if last.After(from) {
			from = last.Time
		}
		return s.txQueryRow(ctx, tx, s.q(`SELECT COUNT(*) FROM login_attempts WHERE username = ? AND ok = ? AND at > ?`), username, false, s.ts(from.Add(-time.Nanosecond))).Scan(&at.NameFailures)
	})
	return at, err
}

// SignInSucceeded marks attempt id as a success.
func (s *Store) SignInSucceeded(ctx context.Context, id, userID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, s.q(`UPDATE login_attempts SET ok = ?, at = ? WHERE id = ?`), true, s.ts(s.Now()), id); err != nil {
			return err
		}
		_, err := s.txExec(ctx, tx, s.q(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`), userID)
		return err
	})
}

// RecordSignIn logs an attempt and updates the account's failure count and
// lock. It returns the lock end when this failure locked the account.
func (s *Store) RecordSignIn(ctx context.Context, p account.Policy, userID int64, username, ip string, ok bool) (time.Time, error) {
	var lockedUntil time.Time
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if _, err := s.txExec(ctx, tx, s.q(`INSERT INTO login_attempts (username, ip, ok, at) VALUES (?, ?, ?, ?)`), username, ip, ok, s.ts(now)); err != nil {
			return err
		}
		if userID == 0 {
			return nil
		}
		if ok {
			_, err := s.txExec(ctx, tx, s.q(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?`), userID)
			return err
		}
		var n int
		if err := s.txQueryRow(ctx, tx, s.q(`UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`), userID).Scan(&n); err != nil {
			return err
		}
		if n >= p.MaxFailures {
			lockedUntil = now.Add(p.LockFor)
			if _, err := s.txExec(ctx, tx, s.q(`UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?`), s.ts(lockedUntil), userID); err != nil {
				return err
			}
			return s.appendAudit(ctx, tx, audit.Actor{Name: "system", IP: ip}, "user.locked", "user", userID, nil, map[string]string{"until": lockedUntil.Format(time.RFC3339)})
		}
		return nil
	})
	return lockedUntil, err
}

// RecentFailures counts failed sign-ins from an address since t.
func (s *Store) RecentFailures(ctx context.Context, ip string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM login_attempts WHERE ip = ? AND ok = ? AND at >= ?`), ip, false, s.ts(since)).Scan(&n)
	return n, err
}

// --- grants ---

// Grant is a stored role grant with names for display.
type Grant struct {
	ID       int64      `json:"id"`
	UserID   int64      `json:"user_id"`
	Username string     `json:"username"`
	Role     authz.Role `json:"role"`
	UnitID   int64      `json:"unit_id"`
	UnitName string     `json:"unit_name"`
	Created  time.Time  `json:"created_at"`
}

func (s *Store) grants(ctx context.Context, cond string, args ...any) ([]Grant, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT g.id, g.user_id, us.username, g.role, g.unit_id, un.name, g.created_at
		FROM grants g JOIN users us ON us.id = g.user_id JOIN units un ON un.id = g.unit_id WHERE `+cond+` ORDER BY us.username, g.role, un.name`), args...)
	if err != nil {
		return nil, fmt.Errorf("grants: %w", err)
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		var role string
		var at Time
		if err := rows.Scan(&g.ID, &g.UserID, &g.Username, &role, &g.UnitID, &g.UnitName, &at); err != nil {
			return nil, err
		}
		g.Role, g.Created = authz.Role(role), at.Time
		out = append(out, g)
	}
	return out, rows.Err()
}

// UserGrants lists a user's grants.
func (s *Store) UserGrants(ctx context.Context, userID int64) ([]Grant, error) {
	return s.grants(ctx, `g.user_id = ?`, userID)
}

// UnitGrants lists grants held on a unit.
func (s *Store) UnitGrants(ctx context.Context, unitID int64) ([]Grant, error) {
	return s.grants(ctx, `g.unit_id = ?`, unitID)
}

// AuthzGrants returns a user's grants in the form permission checks take.
func (s *Store) AuthzGrants(ctx context.Context, userID int64) ([]authz.Grant, error) {
	gs, err := s.UserGrants(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]authz.Grant, len(gs))
	for i, g := range gs {
		out[i] = authz.Grant{Role: g.Role, UnitID: g.UnitID}
	}
	return out, nil
}

// AddGrant gives a user a role on a unit (idempotent), audited.
func (s *Store) AddGrant(ctx context.Context, a audit.Actor, userID int64, role authz.Role, unitID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var by any
		if a.UserID != 0 {
			by = a.UserID
		}
		res, err := s.txExec(ctx, tx, s.q(`INSERT INTO grants (user_id, role, unit_id, granted_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, role, unit_id) DO NOTHING`),
			userID, string(role), unitID, by, s.ts(s.Now()))
		if err != nil {
			return fmt.Errorf("grant: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.appendAudit(ctx, tx, a, "grant.add", "user", userID, nil, map[string]any{"role": role, "unit_id": unitID})
	})
}

// RevokeGrant removes a grant by id, audited. Revoking the last
// administrator grant of an enabled user fails with [ErrLastAdmin]; the
// count and the removal are one transaction.
func (s *Store) RevokeGrant(ctx context.Context, a audit.Actor, grantID int64) (Grant, error) {
	var g Grant
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		admins, err := s.lockAdmins(ctx, tx)
		if err != nil {
			return err
		}
		var role string
		err = s.txQueryRow(ctx, tx, s.q(`SELECT user_id, role, unit_id FROM grants WHERE id = ?`), grantID).Scan(&g.UserID, &role, &g.UnitID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("grant %d: %w", grantID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		g.ID, g.Role = grantID, authz.Role(role)
		if _, held := admins[grantID]; held && len(admins) <= 1 {
			return ErrLastAdmin
		}
		if _, err := s.txExec(ctx, tx, s.q(`DELETE FROM grants WHERE id = ?`), grantID); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, a, "grant.revoke", "user", g.UserID, map[string]any{"role": g.Role, "unit_id": g.UnitID}, nil)
	})
	return g, err
}

// GetGrant returns one grant.
func (s *Store) GetGrant(ctx context.Context, id int64) (Grant, error) {
	gs, err := s.grants(ctx, `g.id = ?`, id)
	if err != nil {
		return Grant{}, err
	}
	if len(gs) == 0 {
		return Grant{}, fmt.Errorf("grant %d: %w", id, ErrNotFound)
	}
	return gs[0], nil
}

// --- sessions ---

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess account.Session, ip, ua string) error {
	if len(ua) > 300 {
		ua = ua[:300]
	}
	_, err := s.wdb.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		sess.TokenHash, sess.UserID, sess.CSRF, s.ts(sess.CreatedAt), s.ts(sess.LastSeenAt), s.ts(sess.ExpiresAt), ip, ua)
	return err
}

// GetSession returns a session by token hash.
func (s *Store) GetSession(ctx context.Context, tokenHash string) (account.Session, error) {
	var sess account.Session
	var c, l, e Time
	err := s.db.QueryRowContext(ctx, s.q(`SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?`), tokenHash).
		Scan(&sess.TokenHash, &sess.UserID, &sess.CSRF, &c, &l, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, ErrNotFound
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = c.Time, l.Time, e.Time
	return sess, err
}

// TouchSession records activity.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := s.wdb.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), s.ts(at), tokenHash)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.wdb.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// PurgeExpired removes ended sessions and old sign-in attempts.
func (s *Store) PurgeExpired(ctx context.Context, p account.Policy) error {
	now := s.Now()
	if _, err := s.wdb.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`), s.ts(now), s.ts(now.Add(-p.IdleTimeout))); err != nil {
		return err
	}
	_, err := s.wdb.ExecContext(ctx, s.q(`DELETE FROM login_attempts WHERE at < ?`), s.ts(now.Add(-24*time.Hour)))
	return err
}

// --- API tokens ---

// Token is an API token as its owner sees it: never the token or its hash.
type Token struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	RevokedAt  time.Time `json:"revoked_at"`
}

// Active reports whether the token still authenticates at now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

const tokenCols = `id, user_id, name, created_at, expires_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var c, e, l, r Time
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &c, &e, &l, &r)
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = c.Time, e.Time, l.Time, r.Time
	return t, err
}

// CreateToken stores a token hash for a user that never expires, audited.
func (s *Store) CreateToken(ctx context.Context, a audit.Actor, userID int64, name, hash string) (int64, error) {
	return s.CreateTokenUntil(ctx, a, userID, name, hash, time.Time{})
}

// CreateTokenUntil stores a token hash for a user, valid until expires (zero:
// no end), audited.
func (s *Store) CreateTokenUntil(ctx context.Context, a audit.Actor, userID int64, name, hash string, expires time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertID(ctx, tx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`, userID, name, hash, s.ts(s.Now()), s.ts(expires))
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		after := map[string]any{"token_id": id, "name": name}
		if !expires.IsZero() {
			after["expires_at"] = expires.UTC().Format(time.RFC3339)
		}
		return s.appendAudit(ctx, tx, a, "token.create", "user", userID, nil, after)
	})
	return id, err
}

// ListTokens lists a user's tokens, newest first, revoked and expired ones
// included.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// GetToken returns one token.
func (s *Store) GetToken(ctx context.Context, id int64) (Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	return t, err
}

// RevokeToken revokes one token, audited; revoking a revoked token changes
// nothing.
func (s *Store) RevokeToken(ctx context.Context, a audit.Actor, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var uid int64
		err := s.txQueryRow(ctx, tx, s.q(`SELECT user_id FROM api_tokens WHERE id = ?`), id).Scan(&uid)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("token %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), s.ts(s.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.appendAudit(ctx, tx, a, "token.revoke", "user", uid, nil, map[string]any{"token_id": id})
	})
}

// revokeUserTokens revokes every token of a user (password change, disabled account).
func (s *Store) revokeUserTokens(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := s.txExec(ctx, tx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`), s.ts(s.Now()), userID)
	return err
}

// TouchToken records a token's use, unless it was recorded after since.
func (s *Store) TouchToken(ctx context.Context, id int64, at, since time.Time) error {
	_, err := s.wdb.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`), s.ts(at), id, s.ts(since))
	return err
}

// UserByToken resolves a bearer token to its user (active tokens only).
func (s *Store) UserByToken(ctx context.Context, hash string) (account.User, error) {
	c, err := s.TokenCredential(ctx, hash)
	return c.User, err
}

// Credential is what a request's bearer token or session cookie resolves
// to, read in one query: the user, their grants, and the token or session.
type Credential struct {
	User    account.User
	Grants  []authz.Grant
	Token   Token           // bearer tokens
	Session account.Session // session cookies
}

// TokenCredential resolves a bearer token's hash: an unknown, revoked or
// expired token, or a disabled user, is [ErrNotFound].
func (s *Store) TokenCredential(ctx context.Context, hash string) (Credential, error) {
	now := s.Now()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT t.id, t.user_id, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at,
		u.`+strings.ReplaceAll(userCols, ", ", ", u.")+`, g.role, g.unit_id
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN grants g ON g.user_id = u.id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = ?
		ORDER BY g.id`), hash, s.ts(now), false)
	if err != nil {
		return Credential{}, fmt.Errorf("token: %w", err)
	}
	defer rows.Close()
	var c Credential
	found := false
	for rows.Next() {
		var tc, te, tl, tr, locked, created Time
		var role sql.NullString
		var unit sql.NullInt64
		u := &c.User
		if err := rows.Scan(&c.Token.ID, &c.Token.UserID, &c.Token.Name, &tc, &te, &tl, &tr,
			&u.ID, &u.Username, &u.FullName, &u.Email, &u.PasswordHash, &u.Locale, &u.Disabled, &u.FailedLogins, &locked, &created, &role, &unit); err != nil {
			return Credential{}, err
		}
		c.Token.CreatedAt, c.Token.ExpiresAt, c.Token.LastUsedAt, c.Token.RevokedAt = tc.Time, te.Time, tl.Time, tr.Time
		u.LockedUntil, u.CreatedAt = locked.Time, created.Time
		found = true
		if role.Valid {
			c.Grants = append(c.Grants, authz.Grant{Role: authz.Role(role.String), UnitID: unit.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return Credential{}, err
	}
	if !found {
		return Credential{}, ErrNotFound
	}
	return c, nil
}

// SessionCredential resolves a session cookie's hash, whatever the session's
// age (the caller applies the timeouts); a disabled user is [ErrNotFound].
func (s *Store) SessionCredential(ctx context.Context, hash string) (Credential, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
		u.`+strings.ReplaceAll(userCols, ", ", ", u.")+`, g.role, g.unit_id
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN grants g ON g.user_id = u.id
		WHERE s.token_hash = ? AND u.disabled = ?
		ORDER BY g.id`), hash, false)
	if err != nil {
		return Credential{}, fmt.Errorf("session: %w", err)
	}
	defer rows.Close()
	var c Credential
	found := false
	for rows.Next() {
		var sc, sl, se, locked, created Time
		var role sql.NullString
		var unit sql.NullInt64
		u, ss := &c.User, &c.Session
		if err := rows.Scan(&ss.TokenHash, &ss.UserID, &ss.CSRF, &sc, &sl, &se,
			&u.ID, &u.Username, &u.FullName, &u.Email, &u.PasswordHash, &u.Locale, &u.Disabled, &u.FailedLogins, &locked, &created, &role, &unit); err != nil {
			return Credential{}, err
		}
		ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = sc.Time, sl.Time, se.Time
		u.LockedUntil, u.CreatedAt = locked.Time, created.Time
		found = true
		if role.Valid {
			c.Grants = append(c.Grants, authz.Grant{Role: authz.Role(role.String), UnitID: unit.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return Credential{}, err
	}
	if !found {
		return Credential{}, ErrNotFound
	}
	return c, nil
}

func lower(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r >= 'A' && r <= 'Z' {
			b[i] = r + 32
		}
	}
	return string(b)
}
