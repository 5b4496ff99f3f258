package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBuckets(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC)
	bs := newBuckets(0.5, 2, 3) // a token every two seconds, bursts of two, three keys
	for i := range 2 {
		if ok, _ := bs.take("a", t0); !ok {
			t.Fatalf("take %d of a burst of 2 refused", i+1)
		}
	}
	ok, wait := bs.take("a", t0)
	if ok || wait != 2*time.Second {
		t.Errorf("third take = %v, wait %v; want refused, wait 2s", ok, wait)
	}
	if ok, _ := bs.take("b", t0); !ok {
		t.Error("another key refused")
	}
	if ok, _ := bs.take("a", t0.Add(2*time.Second)); !ok {
		t.Error("take after the refill interval refused")
	}
	bs.give("a", t0.Add(2*time.Second))
	if ok, _ := bs.take("a", t0.Add(2*time.Second)); !ok {
		t.Error("take after give refused")
	}

	// Full buckets are dropped at the next sweep; when the keys that are
	// left fill the map, a new key takes an old one's place.
	if ok, _ := bs.take("c", t0.Add(2*time.Minute)); !ok {
		t.Error("take c refused")
	}
	if got := bs.len(); got != 1 {
		t.Errorf("after the sweep %d keys, want 1 (c; a and b had filled up)", got)
	}
	for _, k := range []string{"d", "e", "f", "g"} {
		bs.take(k, t0.Add(2*time.Minute))
	}
	if got := bs.len(); got > 3 {
		t.Errorf("%d keys held, want at most 3", got)
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.0.0.1", "10.0.0.1"},
		{"::ffff:10.0.0.1", "10.0.0.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::ff", "2001:db8:1:2::/64"},
		{"not an address", "not an address"},
	}
	for _, tt := range tests {
		if got := addressKey(tt.in); got != tt.want {
			t.Errorf("addressKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// signInFrom posts a JSON sign-in with the client address in X-Real-IP and
// returns the status and Retry-After.
func signInFrom(t *testing.T, client *http.Client, base, ip, user, password string) (int, string) {
	body, _ := json.Marshal(sessionRequest{Username: user, Password: password})
	req, err := http.NewRequest("POST", base+"/api/v1/session", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Real-IP", ip)
	resp, err := client.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// TestLoginFloodFromOneAddress: sixteen clients flooding sign-in with random
// user names from one address (as `xargs -P16 curl` would) are refused with
// 429 and Retry-After once the address has used its share, while every
// correct sign-in from another address, sent during the flood, succeeds.
func TestLoginFloodFromOneAddress(t *testing.T) {
	h := newHarness(t, Config{ClientIPHeader: "X-Real-IP"})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	defer client.CloseIdleConnections()

	var sent, refused atomic.Int64
	stop := make(chan struct{})
	var flood sync.WaitGroup
	for w := range 16 {
		flood.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, retry := signInFrom(t, client, h.srv.URL, "10.9.9.9", fmt.Sprintf("nobody-%d-%d", w, i), "wrong-password")
				sent.Add(1)
				switch status {
				case 401:
				case 429:
					refused.Add(1)
					if retry == "" {
						t.Error("429 without Retry-After")
					}
				default:
					t.Errorf("flood attempt: status %d", status)
				}
			}
		})
	}
	// The flood is under way before the first real sign-in.
	for sent.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	users := []string{"admin", "supervisor", "leader", "reporter", "viewer"}
	var ok sync.WaitGroup
	var failed atomic.Int64
	for i := range 10 {
		ok.Go(func() {
			status, _ := signInFrom(t, client, h.srv.URL, "10.1.1.1", users[i%len(users)], testPassword)
			if status != http.StatusCreated {
				failed.Add(1)
				t.Errorf("correct sign-in %d from another address during the flood: status %d, want 201", i, status)
			}
		})
	}
	ok.Wait()
	close(stop)
	flood.Wait()
	if failed.Load() != 0 {
		t.Errorf("%d of 10 correct sign-ins failed", failed.Load())
	}
	if refused.Load() == 0 || sent.Load()-refused.Load() > defaultLoginAddressBurst {
		t.Errorf("flood: %d sent, %d refused; want all but at most %d refused", sent.Load(), refused.Load(), defaultLoginAddressBurst)
	}
	t.Logf("flood: %d sent, %d refused", sent.Load(), refused.Load())
}

// TestLoginAccountLimit: a burst of wrong passwords for one account from many
// addresses is stopped after the account's burst, the right password
// included, with Retry-After; a minute later the owner signs in. Guessing
// from one address alone is stopped by the per-address lockout before the
// account's limit, so it never keeps the owner out.
func TestLoginAccountLimit(t *testing.T) {
	h := newHarness(t, Config{ClientIPHeader: "X-Real-IP"})
	client := &http.Client{}
	for i := range defaultLoginAccountBurst {
		ip := fmt.Sprintf("10.0.1.%d", i+1)
		if status, _ := signInFrom(t, client, h.srv.URL, ip, "Supervisor", "wrong"); status != 401 {
			t.Fatalf("failure %d: status %d, want 401", i+1, status)
		}
	}
	status, retry := signInFrom(t, client, h.srv.URL, "10.0.2.1", "supervisor", "wrong")
	if status != 429 || retry != "60" {
		t.Fatalf("after %d failures from many addresses: %d (Retry-After %q), want 429 and 60", defaultLoginAccountBurst, status, retry)
	}
	if status, _ := signInFrom(t, client, h.srv.URL, "10.0.2.2", "supervisor", testPassword); status != 429 {
		t.Errorf("right password while the account is throttled: %d, want 429", status)
	}
	if status, _ := signInFrom(t, client, h.srv.URL, "10.0.2.2", "viewer", testPassword); status != 201 {
		t.Errorf("another account: %d, want 201", status)
	}
	h.clock.Advance(time.Minute)
	if status, _ := signInFrom(t, client, h.srv.URL, "10.0.2.2", "supervisor", testPassword); status != 201 {
		t.Errorf("a minute later: %d, want 201", status)
	}
	// Successes cost nothing: the owner signs in again and again.
	for i := range defaultLoginAccountBurst + 2 {
		if status, _ := signInFrom(t, client, h.srv.URL, "10.0.2.2", "supervisor", testPassword); status != 201 {
			t.Fatalf("success %d: %d, want 201", i+1, status)
		}
	}

	// One address guessing the leader's password: locked out after
	// loginMaxFailures, for as long as it keeps trying; the owner elsewhere
	// is not.
	for range 3 * loginMaxFailures {
		signInFrom(t, client, h.srv.URL, "10.0.3.1", "leader", "wrong")
		h.clock.Advance(time.Second)
	}
	if status, _ := signInFrom(t, client, h.srv.URL, "10.0.3.1", "leader", testPassword); status != 429 {
		t.Errorf("the guessing address with the right password: %d, want 429", status)
	}
	if status, _ := signInFrom(t, client, h.srv.URL, "10.0.3.2", "leader", testPassword); status != 201 {
		t.Errorf("the owner from another address: %d, want 201", status)
	}
}

// TestLoginPageLimit: the sign-in form is limited like the API, with
// Retry-After on its 429 page.
func TestLoginPageLimit(t *testing.T) {
	h := newHarness(t, Config{ClientIPHeader: "X-Real-IP", LoginAddressRate: 0.001, LoginAddressBurst: 2})
	form := url.Values{"username": {"viewer"}, "password": {"wrong"}}.Encode()
	var got response
	for range 3 {
		got = h.do(t, request{method: "POST", path: "/login", body: []byte(form),
			contentType: "application/x-www-form-urlencoded", header: http.Header{"X-Real-IP": {"10.0.4.1"}}})
	}
	if got.status != 429 || got.header.Get("Retry-After") == "" || !strings.Contains(string(got.body), "登录请求过多") {
		t.Errorf("third form sign-in with a burst of 2: %s (Retry-After %q), want 429 with Retry-After", got, got.header.Get("Retry-After"))
	}
	got = h.do(t, request{method: "POST", path: "/login", body: []byte(url.Values{"username": {"viewer"}, "password": {testPassword}}.Encode()),
		contentType: "application/x-www-form-urlencoded", header: http.Header{"X-Real-IP": {"10.0.4.2"}}})
	if got.status != 303 {
		t.Errorf("from another address: %s, want 303", got)
	}
}

// TestLoginOfficeBehindOneAddress: a whole office behind one address (a NAT,
// or a proxy whose header is not configured) signs in rightly, many more
// times than the address's burst, without one refusal: only wrong passwords
// count against an address.
func TestLoginOfficeBehindOneAddress(t *testing.T) {
	h := newHarness(t, Config{ClientIPHeader: "X-Real-IP"})
	client := &http.Client{}
	users := []string{"admin", "supervisor", "leader", "reporter", "viewer"}
	for i := range 3 * defaultLoginAddressBurst {
		if status, retry := signInFrom(t, client, h.srv.URL, "10.7.7.7", users[i%len(users)], testPassword); status != http.StatusCreated {
			t.Fatalf("sign-in %d from the office's one address: %d (Retry-After %q), want 201", i+1, status, retry)
		}
	}
	// Wrong passwords from that address still use up its share.
	refused := false
	for i := range 2 * defaultLoginAddressBurst {
		if status, _ := signInFrom(t, client, h.srv.URL, "10.7.7.7", fmt.Sprintf("nobody-%d", i), "wrong"); status == http.StatusTooManyRequests {
			refused = true
			break
		}
	}
	if !refused {
		t.Errorf("%d wrong sign-ins from one address: none refused", 2*defaultLoginAddressBurst)
	}
}
