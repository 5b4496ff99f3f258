package notify

import (
	"errors"
	"math"
	"math/rand/v2"
	"time"

	"duban"
)

// MaxAttempts is how many times a delivery is tried before it is marked
// failed.
const MaxAttempts = 8

// The bounds of the wait between attempts.
const (
	backoffBase = time.Minute
	backoffCap  = time.Hour
)

// Ceiling returns the longest wait after the given failed attempt (1 for the
// first): one minute, doubling with each attempt (2, 4, 8, 16, 32 minutes) up
// to one hour. Attempts below 1 count as 1.
func Ceiling(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := backoffBase
	for i := 1; i < attempt; i++ {
		d *= 2
		if d >= backoffCap {
			return backoffCap
		}
	}
	return d
}

// Backoff returns how long to wait after the given failed attempt (1 for the
// first): a "full jitter" draw, uniform in [0, Ceiling(attempt)), so that
// many deliveries failing together do not retry together. rnd returns a number
// in [0, 1), as math/rand/v2.Float64 does; values outside are clamped. A nil
// rnd uses math/rand/v2; tests pass a fixed sequence.
func Backoff(attempt int, rnd func() float64) time.Duration {
	if rnd == nil {
		rnd = rand.Float64
	}
	f := rnd()
	switch {
	case f < 0 || math.IsNaN(f):
		f = 0
	case f >= 1:
		f = 0.999999
	}
	return time.Duration(f * float64(Ceiling(attempt)))
}

// NextAttempt decides what becomes of delivery d after an attempt that ended
// with err, made at now. d is the delivery as stored before the attempt, so
// the attempt was number d.Attempts+1; the caller stores that count, err's
// text as LastError and, for DeliverySent, now as SentAt.
//
// It returns DeliverySent and nil when err is nil; DeliveryFailed and nil when
// err is permanent (see IsRetryable) or the attempt was the MaxAttempts-th;
// otherwise DeliveryPending and the time of the next attempt: now plus
// Backoff, or later if the remote asked for a longer wait (Retry-After, at
// most one hour). rnd is as for Backoff.
func NextAttempt(d duban.Delivery, err error, now time.Time, rnd func() float64) (status duban.DeliveryStatus, next *time.Time) {
	if err == nil {
		return duban.DeliverySent, nil
	}
	attempt := d.Attempts + 1
	if !IsRetryable(err) || attempt >= MaxAttempts {
		return duban.DeliveryFailed, nil
	}
	wait := Backoff(attempt, rnd)
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > wait {
		wait = min(e.RetryAfter, backoffCap)
	}
	t := now.Add(wait)
	return duban.DeliveryPending, &t
}
