package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"duban"
	"duban/notify"
)

// Deliver sends the notifications waiting for a channel: each delivery is
// tried, its attempt logged, and on failure tried again later with
// exponential backoff, up to notify.MaxAttempts.
type Deliver struct {
	Store  duban.Store
	Sender notify.Sender
	// Rand draws the jitter of backoffs; nil means math/rand/v2.
	Rand func() float64
	// Batch bounds the deliveries of one run; 0 means 200.
	Batch int
	// Sent and Failed count the last run's outcomes.
	Sent, Failed int
	// Observe, when set, is told of every attempt: the channel's kind and
	// the attempt's error, nil when sent. cmd/duban counts them in the
	// metrics.
	Observe func(kind duban.ChannelKind, err error)
}

// observe tells Observe of an attempt.
func (j *Deliver) observe(kind duban.ChannelKind, err error) {
	if j.Observe != nil {
		j.Observe(kind, err)
	}
}

// errNoRecipient is the failure of an e-mail nobody can be sent.
var errNoRecipient = errors.New("no recipient has an e-mail address")

// Name is "deliver".
func (j *Deliver) Name() string { return "deliver" }

// Run sends what is due at now.
func (j *Deliver) Run(ctx context.Context, now time.Time) error {
	j.Sent, j.Failed = 0, 0
	batch := j.Batch
	if batch <= 0 {
		batch = 200
	}
	sys := duban.System(0)
	due, err := j.Store.FindDueDeliveries(ctx, sys, now, batch)
	if err != nil {
		return fmt.Errorf("find due deliveries: %w", err)
	}
	for _, d := range due {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		m := notify.NewMessage(&d.Notification)
		m.Emails, m.Mobiles = d.Emails, d.Mobiles
		if to := d.Channel.Config["to"]; to != "" && d.Channel.Kind == duban.ChannelEmail {
			// A channel's own addresses (the office's mailbox) get every
			// message too.
			m.Emails = append(m.Emails, strings.FieldsFunc(to, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })...)
		}
		if d.Channel.Kind == duban.ChannelEmail && len(m.Emails) == 0 {
			// Nobody to write to: done, and said so in the log.
			if err := j.Store.RecordDeliveryAttempt(ctx, sys, d.Delivery.ID, "收件人没有电子邮箱", duban.DeliveryFailed, nil); err != nil {
				return fmt.Errorf("record delivery %d: %w", d.Delivery.ID, err)
			}
			j.Failed++
			j.observe(d.Channel.Kind, errNoRecipient)
			continue
		}
		sendErr := j.Sender.Send(ctx, d.Channel, m)
		status, next := notify.NextAttempt(d.Delivery, sendErr, now, j.Rand)
		msg := ""
		if sendErr != nil {
			msg = sendErr.Error()
			j.Failed++
		} else {
			j.Sent++
		}
		j.observe(d.Channel.Kind, sendErr)
		if err := j.Store.RecordDeliveryAttempt(ctx, sys, d.Delivery.ID, msg, status, next); err != nil {
			return fmt.Errorf("record delivery %d: %w", d.Delivery.ID, err)
		}
	}
	return nil
}
