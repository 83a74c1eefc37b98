// Package config owns danvan's typed configuration: defaults, DANVAN_*
// environment variables and command-line flags, in that order of strength.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything a danvan process is told from outside.
type Config struct {
	Addr         string        // listen address
	DataDir      string        // data directory (SQLite file, uploads)
	DB           string        // postgres://… URL; empty means SQLite under DataDir
	BaseURL      string        // public URL, used in links and e-mails
	Demo         bool          // demo mode: shows demo accounts on the sign-in page
	SecureCookie string        // "auto" (Secure when the request came over TLS or BaseURL is https), "always", "never"
	LogLevel     string        // debug, info, warn, error
	LogFormat    string        // text or json
	IdleTimeout  time.Duration // session idle timeout
	MaxSession   time.Duration // session absolute timeout
	SMTP         SMTP
	// AuditKey keys the audit chain (DANVAN_AUDIT_KEY, at least 32
	// characters; environment only, never a flag). Empty: the key file
	// audit.key in DataDir, created on first use.
	AuditKey string
	// CaseKey encrypts the identity of the people who submit citizen cases
	// (DANVAN_CASE_KEY, at least 32 characters; environment only, never a
	// flag, never logged). Empty: the key file case.key in DataDir, created
	// on first use.
	CaseKey string
	// SQLiteSynchronous is the SQLite writer's synchronous setting
	// (DANVAN_SQLITE_SYNCHRONOUS): FULL (default; an acknowledged write
	// survives power loss) or NORMAL (faster; the last writes before a power
	// loss may be lost, never corrupted).
	SQLiteSynchronous string
	// TimeZone is the IANA zone times are shown in (DANVAN_TIMEZONE,
	// --timezone). Times are stored in UTC; legal dates (deadlines, report
	// periods) are always Vietnamese calendar days whatever is shown.
	TimeZone string
}

// SMTP is the outgoing mail server.
type SMTP struct {
	Addr     string // host:port; empty disables e-mail
	From     string
	Username string
	Password string
}

// Default returns the built-in defaults.
func Default() Config {
	return Config{
		Addr:         "127.0.0.1:8080",
		DataDir:      "./data",
		SecureCookie: "auto",
		LogLevel:     "info",
		LogFormat:    "text",
		IdleTimeout:  30 * time.Minute,
		MaxSession:   12 * time.Hour,
		SMTP:         SMTP{From: "danvan <no-reply@localhost>"},
		TimeZone:     "Asia/Ho_Chi_Minh",
	}
}

// env reads DANVAN_<NAME>.
func env(name string) (string, bool) { return os.LookupEnv("DANVAN_" + name) }

// FromEnv overlays DANVAN_* variables on c.
func (c *Config) FromEnv() error {
	str := func(name string, dst *string) {
		if v, ok := env(name); ok {
			*dst = v
		}
	}
	str("ADDR", &c.Addr)
	str("DATA", &c.DataDir)
	str("DB", &c.DB)
	str("BASE_URL", &c.BaseURL)
	str("SECURE_COOKIE", &c.SecureCookie)
	str("LOG_LEVEL", &c.LogLevel)
	str("LOG_FORMAT", &c.LogFormat)
	str("SMTP_ADDR", &c.SMTP.Addr)
	str("SMTP_FROM", &c.SMTP.From)
	str("SMTP_USERNAME", &c.SMTP.Username)
	str("SMTP_PASSWORD", &c.SMTP.Password)
	str("AUDIT_KEY", &c.AuditKey)
	str("CASE_KEY", &c.CaseKey)
	str("SQLITE_SYNCHRONOUS", &c.SQLiteSynchronous)
	str("TIMEZONE", &c.TimeZone)
	for name, dst := range map[string]*time.Duration{"SESSION_IDLE": &c.IdleTimeout, "SESSION_MAX": &c.MaxSession} {
		if v, ok := env(name); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("DANVAN_%s: %w", name, err)
			}
			*dst = d
		}
	}
	return nil
}

// DataFlags registers --data and --db on fs.
func (c *Config) DataFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory; holds the embedded SQLite database (env DANVAN_DATA)")
	fs.StringVar(&c.DB, "db", c.DB, "PostgreSQL URL postgres://…; empty uses SQLite in the data directory (env DANVAN_DB)")
}

// ServeFlags registers the server's flags on fs.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.DataFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address host:port (env DANVAN_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL, e.g. https://danvan.thanhhoa.gov.vn (env DANVAN_BASE_URL)")
	fs.StringVar(&c.SecureCookie, "secure-cookie", c.SecureCookie, "auto, always or never (env DANVAN_SECURE_COOKIE)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (env DANVAN_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "text or json (env DANVAN_LOG_FORMAT)")
	fs.StringVar(&c.TimeZone, "timezone", c.TimeZone, "IANA time zone times are shown in (env DANVAN_TIMEZONE)")
	fs.StringVar(&c.SMTP.Addr, "smtp", c.SMTP.Addr, "SMTP server host:port for e-mail; empty disables (env DANVAN_SMTP_ADDR)")
}

// DSN is what store.Open takes.
func (c Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "danvan.db")
}

// Validate checks the combination of values.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("address %q: %w", c.Addr, err))
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		errs = append(errs, fmt.Errorf("--db must be a postgres:// URL (got %q); leave it empty for SQLite", c.DB))
	}
	if c.AuditKey != "" && len(c.AuditKey) < 32 {
		errs = append(errs, errors.New("DANVAN_AUDIT_KEY must be at least 32 characters long"))
	}
	if c.CaseKey != "" && len(c.CaseKey) < 32 {
		errs = append(errs, errors.New("DANVAN_CASE_KEY must be at least 32 characters long"))
	}
	switch strings.ToUpper(c.SQLiteSynchronous) {
	case "", "FULL", "NORMAL":
	default:
		errs = append(errs, fmt.Errorf("DANVAN_SQLITE_SYNCHRONOUS must be FULL or NORMAL (got %q)", c.SQLiteSynchronous))
	}
	if _, err := c.Location(); err != nil {
		errs = append(errs, err)
	}
	if c.DB == "" && c.DataDir == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	switch c.SecureCookie {
	case "auto", "always", "never":
	default:
		errs = append(errs, fmt.Errorf("--secure-cookie must be auto, always or never"))
	}
	if c.IdleTimeout <= 0 || c.MaxSession < c.IdleTimeout {
		errs = append(errs, errors.New("session timeouts: idle must be positive and not longer than the maximum"))
	}
	return errors.Join(errs...)
}

// Location is the zone times are shown in; the empty name means Vietnam.
func (c Config) Location() (*time.Location, error) {
	if c.TimeZone == "" || c.TimeZone == "Asia/Ho_Chi_Minh" {
		// Fixed UTC+7 (no daylight saving since 1975): needs no zoneinfo
		// database on the machine.
		return time.FixedZone("ICT", 7*3600), nil
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("--timezone %q: not a known IANA time zone", c.TimeZone)
	}
	return loc, nil
}
