package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxAnswer is how many bytes of an HTTP answer are read; the rest is
// dropped with the connection.
const maxAnswer = 64 << 10

// userAgent is the User-Agent of every HTTP request.
const userAgent = "duban-notify/1"

// newHTTPClient returns the client of the HTTP senders: Options.Transport or a
// transport of its own with dial, TLS and header timeouts and no proxy, a
// total timeout of opts.Timeout, and no redirects (a robot that redirects is
// misconfigured, and a POST must not turn into a GET elsewhere).
func newHTTPClient(opts Options) *http.Client {
	rt := opts.Transport
	if rt == nil {
		dialer := &net.Dialer{Timeout: opts.DialTimeout, KeepAlive: 30 * time.Second}
		t := &http.Transport{
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   opts.DialTimeout,
			ResponseHeaderTimeout: opts.Timeout,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          16,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		}
		if opts.TLSConfig != nil {
			t.TLSClientConfig = opts.TLSConfig.Clone()
		}
		rt = t
	}
	return &http.Client{
		Transport: rt,
		Timeout:   opts.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// answer is what an HTTP remote answered.
type answer struct {
	status int
	header http.Header
	body   []byte // at most maxAnswer bytes
}

// post sends body as JSON to rawURL and reads the answer. A request that gets
// no answer fails with an *Error that shows only the scheme and host of the
// URL; an answer of any status is returned as is.
func post(ctx context.Context, client *http.Client, rawURL string, body []byte, header http.Header) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return nil, errorf("post %s: bad url", hostOf(rawURL))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		// The URL carries the robot's token: keep only its scheme and host.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = &url.Error{Op: ue.Op, URL: hostOf(rawURL), Err: ue.Err}
		}
		return nil, &Error{Err: err, Retryable: transient(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, &Error{Status: resp.StatusCode, Err: err, Retryable: true}
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// statusError returns the error of an answer whose status is not 2xx, or nil.
func statusError(a *answer, now time.Time) error {
	if a.status >= 200 && a.status <= 299 {
		return nil
	}
	e := &Error{Status: a.status, Remote: remoteText(a.body), Retryable: retryableStatus(a.status)}
	if e.Retryable {
		e.RetryAfter = parseRetryAfter(a.header.Get("Retry-After"), now)
	}
	return e
}

// parseRetryAfter reads an HTTP Retry-After value, delay seconds or an HTTP
// date, as a wait from now; 0 when it is absent, malformed or in the past.
// Waits are capped at one day.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const most = 24 * time.Hour
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n >= int64(most/time.Second) {
			return most
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return 0
	case d > most:
		return most
	}
	return d
}
