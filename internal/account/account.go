// Package account owns users' credentials: argon2id password hashes, random
// session and API tokens (stored only as hashes), session lifetimes and the
// sign-in throttling policy. Storage lives in internal/store.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// User is an account.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	FullName     string    `json:"full_name"`
	Email        string    `json:"email,omitempty"`
	PasswordHash string    `json:"-"`
	Locale       string    `json:"locale,omitempty"`
	Disabled     bool      `json:"disabled"`
	FailedLogins int       `json:"-"`
	LockedUntil  time.Time `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Session is a signed-in browser.
type Session struct {
	TokenHash  string
	UserID     int64
	CSRF       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Policy holds the timeouts and throttling limits.
type Policy struct {
	IdleTimeout     time.Duration // a session unused this long ends
	AbsoluteTimeout time.Duration // a session ends this long after sign-in regardless
	MaxFailures     int           // failed sign-ins before the account locks
	LockFor         time.Duration // how long a lock lasts
	IPWindow        time.Duration // window for per-address throttling
	IPMaxFailures   int           // failures from one address in the window before it is refused
}

// DefaultPolicy is what an installation starts with.
var DefaultPolicy = Policy{
	IdleTimeout:     30 * time.Minute,
	AbsoluteTimeout: 12 * time.Hour,
	MaxFailures:     5,
	LockFor:         15 * time.Minute,
	IPWindow:        15 * time.Minute,
	IPMaxFailures:   20,
}

// argon2id parameters (RFC 9106 second recommended option, memory-bounded).
const (
	argonTime    = 2
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// Validation errors carry message keys.
var (
	ErrPasswordShort   = errors.New("account.password_short")
	ErrPasswordLong    = errors.New("account.password_long")
	ErrUsernameInvalid = errors.New("account.username_invalid")
	ErrBadCredentials  = errors.New("signin.failed")
	ErrLocked          = errors.New("signin.locked")
	ErrThrottled       = errors.New("signin.throttled")
)

// CheckPasswordStrength enforces a minimum length (NIST SP 800-63B style).
func CheckPasswordStrength(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < 10 {
		return ErrPasswordShort
	}
	if len(pw) > 256 {
		return ErrPasswordLong
	}
	return nil
}

// ValidUsername allows lower-case letters, digits, dot, dash and underscore.
func ValidUsername(u string) error {
	if len(u) < 2 || len(u) > 64 {
		return ErrUsernameInvalid
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return ErrUsernameInvalid
		}
	}
	return nil
}

// HashPassword returns a PHC-format argon2id hash.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares pw with a stored hash in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the user does not exist, so that a
// wrong user name takes as long as a wrong password. It is computed the
// first time it is needed, not at start: commands that never check a
// password do not pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not-a-real-password-0")
	return h
})

// CheckNoUser burns the same time as a real check.
func CheckNoUser(pw string) { CheckPassword(dummyHash(), pw) }

// NewToken returns a random URL-safe token and its SHA-256 hash (hex), which
// is what the database keeps. prefix marks the token's purpose ("dvt_").
func NewToken(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the at-rest form of a token. Tokens carry 256 random bits, so
// a fast hash is enough: there is nothing to brute-force.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
