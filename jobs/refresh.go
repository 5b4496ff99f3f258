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
// anyone touching the task.
type Refresh struct {
	Store duban.Store
	// Changed counts the tasks whose progress moved in the last run.
	Changed int
}

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
	return errors.Join(errs...)
}
