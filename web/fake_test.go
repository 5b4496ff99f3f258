package web

import (
	"context"
	"time"

	"duban"
)

// fakeStore is a duban.Store made of function fields, for tests of the web
// layer alone. A method whose field is nil panics (through the nil embedded
// interface): a test must say what it expects to be called.
type fakeStore struct {
	duban.Store
	findSession  func(ctx context.Context, tokenHash string) (*duban.Session, error)
	findUserByID func(ctx context.Context, id int64) (*duban.User, error)
	findTasks    func(ctx context.Context, a duban.Actor, f duban.TaskFilter) ([]*duban.Task, int, error)
	// ledgerVersion is nil for a store whose ledger has no version: every
	// page of tasks is asked of findTasks.
	ledgerVersion func(ctx context.Context, a duban.Actor, f duban.TaskFilter) (string, error)
	// ready is nil for a store that is always ready.
	ready func(ctx context.Context) error
}

func (f fakeStore) Ready(ctx context.Context) error {
	if f.ready == nil {
		return nil
	}
	return f.ready(ctx)
}

func (f fakeStore) FindSession(ctx context.Context, tokenHash string) (*duban.Session, error) {
	return f.findSession(ctx, tokenHash)
}

func (f fakeStore) FindUserByID(ctx context.Context, id int64) (*duban.User, error) {
	return f.findUserByID(ctx, id)
}

func (f fakeStore) FindTasks(ctx context.Context, a duban.Actor, fl duban.TaskFilter) ([]*duban.Task, int, error) {
	return f.findTasks(ctx, a, fl)
}

func (f fakeStore) LedgerVersion(ctx context.Context, a duban.Actor, fl duban.TaskFilter) (string, error) {
	if f.ledgerVersion == nil {
		return "", nil
	}
	return f.ledgerVersion(ctx, a, fl)
}

// signedIn is a fake store whose every session belongs to an admin of org 1,
// last seen at now.
func signedIn(now time.Time) fakeStore {
	return fakeStore{
		findSession: func(context.Context, string) (*duban.Session, error) {
			return &duban.Session{UserID: 7, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}, nil
		},
		findUserByID: func(context.Context, int64) (*duban.User, error) {
			return &duban.User{ID: 7, OrgID: 1, Username: "admin", Role: duban.RoleAdmin}, nil
		},
	}
}
