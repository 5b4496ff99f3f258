package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"duban"
)

// Refresh derives the progress of every task again: as days pass, a report
// falls due, a deadline passes and 序时进度 moves, and lights change without
// anyone touching the task. It also deletes failed sign-ins older than a day
// (the lockout reads fifteen minutes), so that a flood of user names tried
// once does not stay in the database.
type Refresh struct {
	Store duban.Store
	// Changed counts the tasks whose progress moved in the last run.
	Changed int
}

// loginFailuresKept is how long the refresh keeps a failed sign-in.
const loginFailuresKept = 24 * time.Hour

// Name is "refresh".
func (j *Refresh) Name() string { return "refresh" }

// Run derives every organisation's progress as of the store's clock; now
// names the run.
func (j *Refresh) Run(ctx context.Context, now time.Time) error {
	j.Changed = 0
	orgs, err := j.Store.FindOrgs(ctx)
	if err != nil {
		return fmt.Errorf("find orgs: %w", err)
	}
	var errs []error
	for _, o := range orgs {
		n, err := j.Store.RefreshProgress(ctx, duban.System(o.ID), o.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Name, err))
		}
		j.Changed += n
	}
	if _, err := j.Store.PruneLoginFailures(ctx, now.Add(-loginFailuresKept)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
