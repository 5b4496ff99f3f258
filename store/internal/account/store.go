package account

import (
	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
)

// Accounts is the accounts part of a store: its users, sessions, API tokens
// and failed sign-ins.
type Accounts struct {
	run supervision.Runner
	d   supervision.Dialect
}

// New returns the part of a store that runs through r in dialect d.
func New(r supervision.Runner, d supervision.Dialect) *Accounts {
	return &Accounts{run: r, d: d}
}

// scanner is a row or rows being scanned.
type scanner interface{ Scan(dest ...any) error }

// manage checks that the actor may manage organisation orgID: an admin whose
// organisation is orgID or one above it. CodeForbidden for another role,
// CodeNotFound for an organisation the actor cannot see.
func manage(tx supervision.Tx, orgID int64) error {
	if !check.CanManage(tx.Actor().Role) {
		return check.Forbidden()
	}
	var n int
	err := tx.QueryRow(`WITH RECURSIVE up(id, parent_id) AS (
			SELECT id, parent_id FROM orgs WHERE id = $1
			UNION ALL
			SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent_id)
		SELECT count(*) FROM up WHERE CAST($2 AS BIGINT) = 0 OR id = $2`, orgID, tx.Actor().OrgID).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("组织")
	}
	return nil
}

// notFound is the error for a missing row, or one outside the actor's scope.
func notFound(what string) error { return duban.Errorf(duban.CodeNotFound, "%s不存在", what) }
