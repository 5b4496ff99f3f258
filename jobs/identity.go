package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban"
	"duban/identity"
)

// CheckIdentities asks each identity system whether the people who signed
// in through it may still do so, and disables in duban those it has disabled
// or no longer knows: disabling ends their sessions and revokes their API
// tokens, recorded in the audit log as done by the identity system. A person
// the system could not be asked about is left as they are, and the run
// fails so that the operators see it.
type CheckIdentities struct {
	Store    duban.Store
	Checkers []identity.Checker
	// Sealer opens and seals the secrets the sources gave (OIDC refresh
	// tokens); nil means none are kept.
	Sealer *identity.Sealer
	// Checked, Disabled and Failed count the people of the last run.
	Checked, Disabled, Failed int

	// lost are the people whose rotated secret could not be kept: the
	// source has taken back the one stored, so its refusal of that one says
	// nothing about them, and they are not disabled for it. A check that
	// finds them active again (after they signed in anew) forgets them.
	lost map[int64]bool
}

// Name is "identity".
func (j *CheckIdentities) Name() string { return "identity" }

// Run checks every enabled account of every source.
func (j *CheckIdentities) Run(ctx context.Context, _ time.Time) error {
	j.Checked, j.Disabled, j.Failed = 0, 0, 0
	var errs []error
	for _, c := range j.Checkers {
		accounts, err := j.Store.FindExternalAccounts(ctx, c.Source())
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Source(), err))
			continue
		}
		var firstErr error
		for _, a := range accounts {
			if a.Disabled {
				continue
			}
			if err := j.check(ctx, c, a); err != nil {
				j.Failed++
				if firstErr == nil {
					firstErr = fmt.Errorf("%s: %s: %w", c.Source(), a.Username, err)
				}
			}
		}
		if firstErr != nil {
			errs = append(errs, firstErr)
		}
	}
	if j.Failed > 1 {
		errs = append(errs, fmt.Errorf("%d people could not be checked", j.Failed))
	}
	return errors.Join(errs...)
}

func (j *CheckIdentities) check(ctx context.Context, c identity.Checker, a duban.ExternalAccount) error {
	secret := ""
	if j.Sealer != nil && a.Secret != "" {
		var err error
		if secret, err = j.Sealer.Open(a.Secret); err != nil {
			return err
		}
	}
	st, newSecret, err := c.Check(ctx, a.Subject, secret)
	if err != nil {
		return err
	}
	j.Checked++
	if st == identity.Active {
		delete(j.lost, a.UserID)
		if newSecret != "" && newSecret != secret && j.Sealer != nil {
			if err := j.Store.SetExternalSecret(ctx, a.UserID, j.Sealer.Seal(newSecret)); err != nil {
				if j.lost == nil {
					j.lost = map[int64]bool{}
				}
				j.lost[a.UserID] = true
				return fmt.Errorf("keep the rotated secret: %w", err)
			}
		}
		return nil
	}
	if j.lost[a.UserID] {
		return fmt.Errorf("the source refused a secret it had replaced (the new one could not be kept): left enabled until the person signs in again")
	}
	actor := duban.Actor{Username: "统一身份认证(" + c.Source() + ")", Role: duban.RoleAdmin}
	if _, err := j.Store.UpdateUser(ctx, actor, a.UserID, duban.UserUpdate{Disabled: new(true)}); err != nil {
		return fmt.Errorf("disable (%s at the source): %w", st, err)
	}
	j.Disabled++
	return nil
}
