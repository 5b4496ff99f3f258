package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"duban"
)

// Error is a send that failed. Its text names the channel and says what the
// remote answered; it never holds the channel's secrets (password, signing
// secret, the token in a robot's URL), so it may be logged and stored as the
// delivery's last error.
type Error struct {
	ChannelID int64
	Kind      duban.ChannelKind
	Name      string
	// Status is the HTTP status or the SMTP reply code, 0 when the remote
	// did not answer.
	Status int
	// Code is the errcode of a robot's answer, 0 otherwise.
	Code int
	// Remote is what the remote said, shortened to one line: a robot's
	// errmsg, the start of an HTTP answer.
	Remote string
	// Retryable says whether sending the same message later may succeed.
	Retryable bool
	// RetryAfter is how long the remote asked to wait (HTTP Retry-After),
	// 0 when it did not say.
	RetryAfter time.Duration
	// Err is the cause: a network error, an SMTP error, a *duban.Error of
	// CodeInvalid for a channel that is not configured correctly.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	b.WriteString(" channel ")
	b.WriteString(strconv.FormatInt(e.ChannelID, 10))
	if e.Name != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Name))
	}
	if e.Status != 0 {
		if e.Kind == duban.ChannelEmail {
			b.WriteString(": smtp ")
		} else {
			b.WriteString(": http ")
		}
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Code != 0 {
		b.WriteString(": errcode ")
		b.WriteString(strconv.Itoa(e.Code))
	}
	if e.Remote != "" {
		b.WriteString(": ")
		b.WriteString(e.Remote)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsRetryable reports whether a send that failed with err may succeed later:
// network errors and timeouts, HTTP 408, 429 and 5xx, SMTP 4xx replies and
// the robots' answers for "busy" and "too fast". Bad configuration (a
// *duban.Error), other HTTP 4xx, SMTP 5xx, certificate errors and robot
// errcodes such as a wrong keyword or signature are permanent. IsRetryable(nil)
// is false.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Retryable
	}
	var de *duban.Error
	if errors.As(err, &de) {
		return false
	}
	return transient(err)
}

// transient reports whether err, from the network below a protocol, is one
// that time may cure.
func transient(err error) bool {
	// A certificate that does not verify, or TLS spoken to a port that does
	// not speak it, stays wrong until someone fixes the configuration.
	var (
		unknownAuthority *x509.UnknownAuthorityError
		hostname         x509.HostnameError
		hostnamePtr      *x509.HostnameError
		invalid          x509.CertificateInvalidError
		invalidPtr       *x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		record           tls.RecordHeaderError
		recordPtr        *tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &hostnamePtr),
		errors.As(err, &invalid), errors.As(err, &invalidPtr), errors.As(err, &verification),
		errors.As(err, &record), errors.As(err, &recordPtr):
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsNotFound
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// retryableStatus reports whether an HTTP status is worth another try.
func retryableStatus(status int) bool {
	return status == 408 || status == 425 || status == 429 || status >= 500
}

// maxRemote is how many bytes of a remote's answer an error keeps.
const maxRemote = 300

// remoteText turns what a remote said into one short line of text: invalid
// UTF-8 and control characters become spaces, runs of spaces one space, and
// the result is cut to maxRemote bytes.
func remoteText(b []byte) string {
	var out strings.Builder
	space := false
	for len(b) > 0 && out.Len() < maxRemote+utf8.UTFMax {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size <= 1 || unicode.IsControl(r) || unicode.IsSpace(r) ||
			unicode.Is(unicode.Cf, r) {
			space = true
			continue
		}
		if space && out.Len() > 0 {
			out.WriteByte(' ')
		}
		space = false
		out.WriteRune(r)
	}
	return truncate(out.String(), maxRemote)
}

// scrub replaces every secret in s with the mask.
func scrub(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, Masked)
		}
	}
	return s
}

// scrubbedError is an error whose text had a secret in it; it keeps only the
// text, with the secrets masked.
type scrubbedError struct{ msg string }

func (e *scrubbedError) Error() string { return e.msg }

// finish makes err, from a sender of ch, an *Error of ch whose text holds
// none of ch's secrets.
func finish(ch duban.Channel, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Err: err, Retryable: IsRetryable(err)}
	}
	e.ChannelID, e.Kind, e.Name = ch.ID, ch.Kind, ch.Name
	secrets := secretsOf(ch)
	e.Remote = scrub(e.Remote, secrets)
	if e.Err != nil {
		if msg := e.Err.Error(); scrub(msg, secrets) != msg {
			e.Err = &scrubbedError{scrub(msg, secrets)}
		}
	}
	return e
}

// errorf returns a permanent error of a sender, before the channel is known.
func errorf(format string, args ...any) *Error {
	return &Error{Err: fmt.Errorf(format, args...)}
}
