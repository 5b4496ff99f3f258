package storetest

import (
	"errors"
	"testing"

	"duban"
)

// testReady checks that a migrated store is ready, and that one whose newest
// migration is not recorded is not, with duban.ErrSchemaOutdated.
func testReady(t *testing.T, e *env) {
	if err := e.s.Ready(e.ctx); err != nil {
		t.Fatalf("Ready() of a migrated store = %v, want nil", err)
	}
	raw, ok := e.s.(RawDB)
	if !ok {
		t.Skipf("store %T gives no raw database to undo a migration with", e.s)
	}
	_, err := raw.DB().ExecContext(e.ctx, `DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)`)
	must(t, "forget the newest migration", err)
	if err := e.s.Ready(e.ctx); !errors.Is(err, duban.ErrSchemaOutdated) {
		t.Errorf("Ready() with a migration missing = %v, want an error wrapping duban.ErrSchemaOutdated", err)
	}
}
