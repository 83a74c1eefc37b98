// Package smtptest is a small real SMTP server for tests: it listens on
// TCP, speaks EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT (optionally
// AUTH PLAIN), and keeps every message it accepts.
package smtptest

import (
	"bufio"
	"encoding/base64"
	"net"
	"strings"
	"sync"
)

// Message is one accepted message.
type Message struct {
	From string
	To   []string
	Data []byte // as received, dot-unstuffed, CRLF line ends
	Auth string // the user name of AUTH PLAIN, if any
}

// Server is a running test server.
type Server struct {
	Addr string
	ln   net.Listener
	mu   sync.Mutex
	msgs []Message
	wg   sync.WaitGroup
	// Users enables AUTH PLAIN (StartAuth sets it before serving).
	Users map[string]string
}

// Start listens on 127.0.0.1 with a free port.
func Start() (*Server, error) { return StartAt("127.0.0.1:0") }

// StartAt listens on addr (tests use it to bring a server "back up" on an
// address that refused connections before).
func StartAt(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Close stops listening and waits for open sessions to end.
func (s *Server) Close() {
	s.ln.Close()
	s.wg.Wait()
}

// Messages returns a copy of what was accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.session(c)
		}()
	}
}

func (s *Server) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	say := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !say("220 smtptest ready") {
		return
	}
	var cur Message
	var user string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			if s.Users != nil {
				say("250-smtptest")
				say("250-8BITMIME")
				say("250 AUTH PLAIN")
			} else {
				say("250-smtptest")
				say("250 8BITMIME")
			}
		case "HELO":
			say("250 smtptest")
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if !strings.EqualFold(mech, "PLAIN") || s.Users == nil {
				say("504 unsupported")
				continue
			}
			b, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(b), "\x00")
			if err != nil || len(parts) != 3 || s.Users[parts[1]] != parts[2] || parts[2] == "" {
				say("535 authentication failed")
				continue
			}
			user = parts[1]
			say("235 ok")
		case "MAIL":
			if s.Users != nil && user == "" {
				say("530 authentication required")
				continue
			}
			cur = Message{From: addrArg(arg), Auth: user}
			say("250 ok")
		case "RCPT":
			cur.To = append(cur.To, addrArg(arg))
			say("250 ok")
		case "DATA":
			if cur.From == "" || len(cur.To) == 0 {
				say("503 bad sequence")
				continue
			}
			say("354 end with .")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				l = strings.TrimPrefix(l, ".")
				data.WriteString(strings.TrimRight(l, "\r\n") + "\r\n")
			}
			cur.Data = []byte(data.String())
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			cur = Message{}
			say("250 queued")
		case "RSET":
			cur = Message{}
			say("250 ok")
		case "NOOP":
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// addrArg takes "FROM:<a@b>" or "TO:<a@b> SIZE=…" and returns a@b.
func addrArg(arg string) string {
	_, v, _ := strings.Cut(arg, ":")
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '>'); i >= 0 {
		v = v[:i]
	}
	return strings.TrimPrefix(v, "<")
}

// StartAuth is Start with AUTH PLAIN required for the given users.
func StartAuth(users map[string]string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln, Users: users}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}
