package notify_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/notify"
)

func TestCeiling(t *testing.T) {
	want := []time.Duration{
		time.Minute, // attempt 0 counts as 1
		time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour, time.Hour,
	}
	var got []time.Duration
	for attempt := range want {
		got = append(got, notify.Ceiling(attempt))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Ceiling mismatch (-want +got):\n%s", diff)
	}
	if got := notify.Ceiling(1 << 30); got != time.Hour {
		t.Errorf("Ceiling(1<<30) = %v, want 1h", got)
	}
}

// constant returns a random source that always returns f.
func constant(f float64) func() float64 { return func() float64 { return f } }

func TestBackoffBounds(t *testing.T) {
	tests := []struct {
		name    string
		attempt int
		rnd     func() float64
		want    time.Duration
	}{
		{"zero draw", 3, constant(0), 0},
		{"half draw", 3, constant(0.5), 2 * time.Minute},
		{"half of the cap", 20, constant(0.5), 30 * time.Minute},
		{"negative draw clamped", 2, constant(-3), 0},
		{"draw of one clamped below the ceiling", 1, constant(1), time.Duration(0.999999 * float64(time.Minute))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := notify.Backoff(tt.attempt, tt.rnd); got != tt.want {
				t.Errorf("Backoff(%d) = %v, want %v", tt.attempt, got, tt.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for attempt := 1; attempt <= 12; attempt++ {
		for range 200 {
			d := notify.Backoff(attempt, r.Float64)
			if d < 0 || d >= notify.Ceiling(attempt) {
				t.Fatalf("Backoff(%d) = %v, outside [0, %v)", attempt, d, notify.Ceiling(attempt))
			}
		}
	}
	for range 100 {
		if d := notify.Backoff(1, nil); d < 0 || d >= time.Minute {
			t.Fatalf("Backoff(1, nil) = %v, outside [0, 1m)", d)
		}
	}
}

func TestBackoffDeterministic(t *testing.T) {
	draw := func() []time.Duration {
		r := rand.New(rand.NewPCG(42, 7))
		var out []time.Duration
		for attempt := 1; attempt <= notify.MaxAttempts; attempt++ {
			out = append(out, notify.Backoff(attempt, r.Float64))
		}
		return out
	}
	a, b := draw(), draw()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different waits (-first +second):\n%s", diff)
	}
	// Jitter: the waits are not simply the ceilings.
	same := 0
	for i, d := range a {
		if d == notify.Ceiling(i+1) {
			same++
		}
	}
	if same == len(a) {
		t.Errorf("waits %v are the ceilings: no jitter", a)
	}
}

var (
	temporary = &notify.Error{Kind: duban.ChannelWebhook, Status: 503, Retryable: true}
	permanent = &notify.Error{Kind: duban.ChannelWebhook, Status: 400}
)

func TestNextAttempt(t *testing.T) {
	at := func(d time.Duration) *time.Time { t := testNow.Add(d); return &t }
	tests := []struct {
		name       string
		attempts   int // before this attempt
		err        error
		wantStatus duban.DeliveryStatus
		wantNext   *time.Time
	}{
		{"sent", 0, nil, duban.DeliverySent, nil},
		{"sent on the last attempt", notify.MaxAttempts - 1, nil, duban.DeliverySent, nil},
		{"permanent", 0, permanent, duban.DeliveryFailed, nil},
		{"bad config", 0, duban.Errorf(duban.CodeInvalid, "Webhook地址（url）不能为空"), duban.DeliveryFailed, nil},
		{"first failure", 0, temporary, duban.DeliveryPending, at(30 * time.Second)},
		{"third failure", 2, temporary, duban.DeliveryPending, at(2 * time.Minute)},
		{"seventh failure", 6, temporary, duban.DeliveryPending, at(30 * time.Minute)},
		{"last attempt", notify.MaxAttempts - 1, temporary, duban.DeliveryFailed, nil},
		{"beyond the last", notify.MaxAttempts + 3, temporary, duban.DeliveryFailed, nil},
		{"timeout", 0, context.DeadlineExceeded, duban.DeliveryPending, at(30 * time.Second)},
		{
			"retry-after longer than the backoff", 0,
			&notify.Error{Status: 429, Retryable: true, RetryAfter: 10 * time.Minute},
			duban.DeliveryPending, at(10 * time.Minute),
		},
		{
			"retry-after shorter than the backoff", 4,
			&notify.Error{Status: 429, Retryable: true, RetryAfter: time.Second},
			duban.DeliveryPending, at(8 * time.Minute),
		},
		{
			"retry-after capped at an hour", 0,
			&notify.Error{Status: 503, Retryable: true, RetryAfter: 24 * time.Hour},
			duban.DeliveryPending, at(time.Hour),
		},
		{"wrapped", 1, errors.Join(errors.New("outbox"), temporary), duban.DeliveryPending, at(time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := duban.Delivery{ID: 1, Status: duban.DeliveryPending, Attempts: tt.attempts}
			status, next := notify.NextAttempt(d, tt.err, testNow, constant(0.5))
			if status != tt.wantStatus {
				t.Errorf("status = %s, want %s", status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantNext, next); diff != "" {
				t.Errorf("next mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextAttemptUntilFailed plays a delivery that always fails temporarily
// through to the end.
func TestNextAttemptUntilFailed(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	d := duban.Delivery{ID: 1, Status: duban.DeliveryPending}
	now := testNow
	for d.Status == duban.DeliveryPending {
		status, next := notify.NextAttempt(d, temporary, now, r.Float64)
		d.Attempts++
		d.Status = status
		if status == duban.DeliveryPending {
			if next == nil || next.Before(now) || next.Sub(now) >= notify.Ceiling(d.Attempts) {
				t.Fatalf("attempt %d: next = %v, want within [now, now+%v)", d.Attempts, next, notify.Ceiling(d.Attempts))
			}
			now = *next
		} else if next != nil {
			t.Fatalf("attempt %d: status %s with a next attempt", d.Attempts, status)
		}
		if d.Attempts > 100 {
			t.Fatal("never failed")
		}
	}
	if d.Status != duban.DeliveryFailed || d.Attempts != notify.MaxAttempts {
		t.Errorf("ended %s after %d attempts, want failed after %d", d.Status, d.Attempts, notify.MaxAttempts)
	}
}
