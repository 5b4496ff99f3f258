package web

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sign-in throttling has four layers, checked in this order before a password
// is hashed (docs/OPERATIONS.md, "Sign-in limits, tokens and passwords"):
//
//  1. per client address, every attempt (a token bucket whose token is given
//     back when the password was right): one address cannot make the server
//     hash more than its share of wrong passwords, a flood from one address
//     never uses up anything another address needs, and an office behind one
//     address that signs in rightly is never held back;
//  2. over all clients (a token bucket far above one address's share): a
//     ceiling on the work a crowd of addresses can cause;
//  3. per user name and address, failures only, kept in the store so that
//     every server process sees them (loginMaxFailures in loginWindow);
//  4. per user name over all addresses, failures only (a token bucket whose
//     token is given back when the password was right): it slows guessing
//     one account's password from many addresses. It refills faster than
//     layer 3 lets one address fail, so an attack on an account from one
//     address never keeps the owner, elsewhere, out; an attack from many
//     addresses slows the owner for as long as it lasts, by at most one
//     refill interval per attempt, and not for longer.
//
// Layers 1, 2 and 4 live in the process's memory: with several server
// processes each holds its own.

// The defaults of the sign-in limits (Config).
const (
	defaultLoginRate          = 50 // attempts a second over all clients
	defaultLoginBurst         = 100
	defaultLoginAddressRate   = 1 // attempts a second from one address
	defaultLoginAddressBurst  = 30
	defaultLoginAccountRate   = 1.0 / 60 // failures a second for one user name
	defaultLoginAccountBurst  = 10
	defaultLoginLimiterKeys   = 100_000
	loginLimiterSweepInterval = time.Minute
)

// buckets holds a token bucket per key. A bucket that has filled up again
// says nothing a new one would not, so it is dropped: memory grows only with
// the keys that were refused or failed recently, and a sweep at most once a
// minute finds them. When max keys are held even so, a new key replaces an
// arbitrary one. It is safe for concurrent use.
type buckets struct {
	rate  float64 // tokens a second
	burst float64
	max   int

	mu        sync.Mutex
	m         map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was computed
}

func newBuckets(rate float64, burst, max int) *buckets {
	return &buckets{rate: rate, burst: float64(burst), max: max, m: make(map[string]*bucket)}
}

// refill brings b's tokens up to now.
func (bs *buckets) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(bs.burst, b.tokens+d.Seconds()*bs.rate)
		b.at = now
	}
}

// take removes a token from key's bucket at now and reports whether there
// was one; when there was none, wait is how long until there is.
func (bs *buckets) take(key string, now time.Time) (ok bool, wait time.Duration) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b := bs.m[key]
	if b == nil {
		bs.makeRoom(now)
		b = &bucket{tokens: bs.burst, at: now}
		bs.m[key] = b
	}
	bs.refill(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / bs.rate * float64(time.Second))
}

// give puts back a token taken from key's bucket: the attempt it paid for
// does not count.
func (bs *buckets) give(key string, now time.Time) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if b := bs.m[key]; b != nil {
		bs.refill(b, now)
		b.tokens = math.Min(bs.burst, b.tokens+1)
	}
}

// makeRoom drops the full buckets once a minute, or whenever max keys are
// held, and an arbitrary bucket when that leaves no room.
func (bs *buckets) makeRoom(now time.Time) {
	if len(bs.m) < bs.max && now.Sub(bs.lastSweep) < loginLimiterSweepInterval {
		return
	}
	bs.lastSweep = now
	for k, b := range bs.m {
		bs.refill(b, now)
		if b.tokens >= bs.burst {
			delete(bs.m, k)
		}
	}
	for k := range bs.m {
		if len(bs.m) < bs.max {
			break
		}
		delete(bs.m, k)
	}
}

// len returns the number of keys held.
func (bs *buckets) len() int {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return len(bs.m)
}

// addressKey is the key of a client address for throttling: the address
// itself, or for IPv6 its /64, which one client commonly holds whole.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String()
		}
	}
	return a.String()
}

// accountKey is the key of a user name for throttling: trimmed and in lower
// case, so that "Zhang " and "zhang" share one limit.
func accountKey(username string) string {
	return strings.ToLower(strings.TrimSpace(username))
}

// retryAfter is a Retry-After value in whole seconds, at least one.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
