// Package mail sends danvan's e-mail: RFC 5322 messages whose subjects are
// RFC 2047 encoded words and whose bodies are quoted-printable UTF-8, so
// that Vietnamese arrives intact, delivered over SMTP with net/smtp (STARTTLS
// when the server offers it, PLAIN authentication when a user name is
// configured). Queueing and retries live in the store's outbox and in
// internal/jobs; this package only formats and sends one message.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/danvan/danvan/internal/config"
)

// Message is one e-mail to one recipient.
type Message struct {
	From    string // "Name <addr>" or "addr"
	To      string
	Subject string
	Body    string // plain text, UTF-8
}

// ErrDisabled is returned when no SMTP server is configured.
var ErrDisabled = errors.New("mail: no SMTP server configured")

// encodeHeader encodes a header value as RFC 2047 words when it is not
// plain printable ASCII.
func encodeHeader(s string) string {
	for _, r := range s {
		if r >= 0x80 || r < 0x20 {
			return mime.BEncoding.Encode("utf-8", s)
		}
	}
	return s
}

// formatAddress keeps the address and encodes the display name.
func formatAddress(s string) (string, string, error) {
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return "", "", fmt.Errorf("mail: address %q: %w", s, err)
	}
	// net/mail.Address.String encodes a non-ASCII name as RFC 2047.
	return a.String(), a.Address, nil
}

// Bytes renders the message as RFC 5322 text with CRLF line ends.
func (m Message) Bytes(date time.Time) ([]byte, error) {
	from, fromAddr, err := formatAddress(m.From)
	if err != nil {
		return nil, err
	}
	to, _, err := formatAddress(m.To)
	if err != nil {
		return nil, err
	}
	domain := "localhost"
	if i := strings.LastIndexByte(fromAddr, '@'); i >= 0 {
		domain = fromAddr[i+1:]
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from)
	h("To", to)
	h("Subject", encodeHeader(strings.ReplaceAll(strings.ReplaceAll(m.Subject, "\r", " "), "\n", " ")))
	h("Date", date.Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// Sender delivers messages to one SMTP server.
type Sender struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
	// Timeout bounds one delivery; 0 means 30 seconds.
	Timeout time.Duration
	// TLS overrides the STARTTLS configuration (tests); nil verifies the
	// server's certificate for the host of Addr.
	TLS *tls.Config
}

// NewSender builds a sender from the configuration; it returns nil when
// e-mail is disabled (empty address).
func NewSender(c config.SMTP) *Sender {
	if c.Addr == "" {
		return nil
	}
	return &Sender{Addr: c.Addr, From: c.From, Username: c.Username, Password: c.Password}
}

// Send delivers one message. m.From defaults to the sender's From.
func (s *Sender) Send(ctx context.Context, m Message) (err error) {
	if s == nil || s.Addr == "" {
		return ErrDisabled
	}
	if m.From == "" {
		m.From = s.From
	}
	data, err := m.Bytes(time.Now())
	if err != nil {
		return err
	}
	_, fromAddr, _ := formatAddress(m.From)
	_, toAddr, _ := formatAddress(m.To)
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mail: connect %s: %w", s.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: greeting from %s: %w", s.Addr, err)
	}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		// net/smtp refuses PLAIN over an unencrypted link except to localhost.
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("mail: AUTH: %w", err)
		}
	}
	if err := c.Mail(fromAddr); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(toAddr); err != nil {
		return fmt.Errorf("mail: RCPT TO %s: %w", toAddr, err)
	}
	wc, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := wc.Write(data); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := c.Quit(); err != nil {
		return fmt.Errorf("mail: QUIT: %w", err)
	}
	return nil
}
