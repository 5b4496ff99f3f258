package notify_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is an SMTP server on 127.0.0.1 that speaks enough of the
// protocol for go-mail (EHLO, STARTTLS, AUTH PLAIN and LOGIN, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT) and records the messages it accepts.
type smtpServer struct {
	t    *testing.T
	ln   net.Listener
	port string

	// Set before the first connection.
	tlsConfig   *tls.Config       // offers STARTTLS when set, unless implicitTLS
	implicitTLS bool              // speaks TLS from the first byte (SMTPS)
	users       map[string]string // offers AUTH when set: user → password
	mechs       string            // the AUTH mechanisms offered; "PLAIN LOGIN" if empty
	stall       bool              // accepts connections and never answers

	mu       sync.Mutex
	replies  map[string]string // reply to give instead of the usual one, by step
	messages []smtpMessage
	wg       sync.WaitGroup
}

// smtpMessage is a message the server accepted.
type smtpMessage struct {
	From string
	To   []string
	Data string
	User string // the authenticated user, if any
	TLS  bool   // whether the session was encrypted
}

// The steps whose reply a test can replace: "greeting", "EHLO", "AUTH",
// "MAIL", "RCPT", "DATA" (the 354 before the text) and "DATAEND" (the reply
// to the text).

func newSMTPServer(t *testing.T, setup func(*smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{t: t, ln: ln, replies: map[string]string{}}
	_, s.port, _ = net.SplitHostPort(ln.Addr().String())
	if setup != nil {
		setup(s)
	}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// setReply makes the server answer step with reply, "" to restore the usual.
func (s *smtpServer) setReply(step, reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if reply == "" {
		delete(s.replies, step)
		return
	}
	s.replies[step] = reply
}

func (s *smtpServer) reply(step, usual string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.replies[step]; ok {
		return r
	}
	return usual
}

// received returns the messages accepted so far.
func (s *smtpServer) received() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.messages...)
}

func (s *smtpServer) accept() {
	defer s.wg.Done()
	var conns sync.WaitGroup
	defer conns.Wait()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		conns.Add(1)
		go func() {
			defer conns.Done()
			defer conn.Close()
			if err := s.serve(conn); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.t.Logf("smtp server: %v", err)
			}
		}()
	}
}

// failed reports whether a reply ends the session.
func failed(reply string) bool { return reply[0] == '4' || reply[0] == '5' }

func (s *smtpServer) serve(conn net.Conn) error {
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if s.stall {
		// Say nothing until the client gives up.
		_, err := io.Copy(io.Discard, conn)
		return err
	}
	encrypted := false
	if s.implicitTLS {
		tc := tls.Server(conn, s.tlsConfig)
		if err := tc.Handshake(); err != nil {
			return nil // the client did not trust the certificate
		}
		conn, encrypted = tc, true
	}
	tp := textproto.NewConn(conn)
	r := s.reply("greeting", "220 duban-test ESMTP")
	if err := tp.PrintfLine("%s", r); err != nil || failed(r) {
		return err
	}
	var (
		msg  smtpMessage
		user string
	)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return err
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			if r := s.reply("EHLO", ""); r != "" {
				tp.PrintfLine("%s", r)
				continue
			}
			lines := []string{"duban-test", "8BITMIME", "SIZE 10485760"}
			if s.tlsConfig != nil && !encrypted {
				lines = append(lines, "STARTTLS")
			}
			if s.users != nil {
				mechs := s.mechs
				if mechs == "" {
					mechs = "PLAIN LOGIN"
				}
				lines = append(lines, "AUTH "+mechs)
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				tp.PrintfLine("250%s%s", sep, l)
			}
		case "STARTTLS":
			if s.tlsConfig == nil || encrypted {
				tp.PrintfLine("502 5.5.1 no STARTTLS here")
				continue
			}
			tp.PrintfLine("220 2.0.0 ready to start TLS")
			tc := tls.Server(conn, s.tlsConfig)
			if err := tc.Handshake(); err != nil {
				return nil // the client did not trust the certificate
			}
			conn, encrypted = tc, true
			tp = textproto.NewConn(conn)
			msg, user = smtpMessage{}, ""
		case "AUTH":
			u, p, err := readAuth(tp, arg)
			if err != nil {
				tp.PrintfLine("501 5.5.2 %v", err)
				continue
			}
			r := s.reply("AUTH", "")
			switch {
			case r != "":
			case s.users == nil:
				r = "502 5.5.1 no AUTH here"
			case s.users[u] != p || p == "":
				r = "535 5.7.8 authentication credentials invalid"
			default:
				r = "235 2.7.0 authentication successful"
				user = u
			}
			tp.PrintfLine("%s", r)
		case "MAIL":
			r := s.reply("MAIL", "250 2.1.0 ok")
			if !failed(r) {
				msg = smtpMessage{From: address(arg), User: user, TLS: encrypted}
			}
			tp.PrintfLine("%s", r)
		case "RCPT":
			r := s.reply("RCPT", "250 2.1.5 ok")
			if !failed(r) {
				msg.To = append(msg.To, address(arg))
			}
			tp.PrintfLine("%s", r)
		case "DATA":
			r := s.reply("DATA", "354 end data with <CR><LF>.<CR><LF>")
			tp.PrintfLine("%s", r)
			if failed(r) {
				continue
			}
			data, err := tp.ReadDotBytes()
			if err != nil {
				return err
			}
			r = s.reply("DATAEND", "250 2.0.0 queued")
			if !failed(r) {
				msg.Data = string(data)
				s.mu.Lock()
				s.messages = append(s.messages, msg)
				s.mu.Unlock()
			}
			msg = smtpMessage{User: user, TLS: encrypted}
			tp.PrintfLine("%s", r)
		case "RSET":
			msg = smtpMessage{User: user, TLS: encrypted}
			tp.PrintfLine("250 2.0.0 ok")
		case "NOOP":
			tp.PrintfLine("250 2.0.0 ok")
		case "QUIT":
			tp.PrintfLine("221 2.0.0 bye")
			return nil
		default:
			tp.PrintfLine("502 5.5.2 command not recognized")
		}
	}
}

// readAuth reads the credentials of an AUTH command: PLAIN with or without an
// initial response, or LOGIN.
func readAuth(tp *textproto.Conn, arg string) (user, pass string, err error) {
	mech, initial, _ := strings.Cut(arg, " ")
	read := func(prompt string) (string, error) {
		tp.PrintfLine("334 %s", prompt)
		line, err := tp.ReadLine()
		if err != nil {
			return "", err
		}
		b, err := base64.StdEncoding.DecodeString(line)
		return string(b), err
	}
	switch strings.ToUpper(mech) {
	case "PLAIN":
		var b []byte
		if initial != "" {
			b, err = base64.StdEncoding.DecodeString(initial)
		} else {
			var s string
			s, err = read("")
			b = []byte(s)
		}
		if err != nil {
			return "", "", err
		}
		parts := strings.Split(string(b), "\x00")
		if len(parts) != 3 {
			return "", "", fmt.Errorf("bad PLAIN response")
		}
		return parts[1], parts[2], nil
	case "LOGIN":
		if user, err = read(base64.StdEncoding.EncodeToString([]byte("Username:"))); err != nil {
			return "", "", err
		}
		pass, err = read(base64.StdEncoding.EncodeToString([]byte("Password:")))
		return user, pass, err
	}
	return "", "", fmt.Errorf("mechanism %q not supported", mech)
}

// address returns the address in "FROM:<a@b> SIZE=…" or "TO:<a@b>".
func address(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	a, _, _ := strings.Cut(rest, ">")
	return a
}

// testCertificate returns a server TLS config with a certificate for
// 127.0.0.1 and the pool that trusts it, borrowed from an httptest server.
func testCertificate(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return &tls.Config{Certificates: srv.TLS.Certificates}, pool
}
