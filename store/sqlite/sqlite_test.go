package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/store/storetest"
)

// mustOpen opens a fresh, migrated store in a temporary file.
func mustOpen(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(tb.Context(), filepath.Join(tb.TempDir(), "duban.db"), Options{Migrate: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) duban.Store { return mustOpen(t) })
}

func TestStoreWithoutCache(t *testing.T) {
	storetest.Run(t, func(t *testing.T) duban.Store {
		s, err := Open(t.Context(), filepath.Join(t.TempDir(), "duban.db"), Options{Migrate: true, CachedTasks: -1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestStoreOneReader runs the suite with a read pool of one connection: a
// read transaction that needed a second connection (to prepare a statement on
// the pool, say) would wait for itself forever.
func TestStoreOneReader(t *testing.T) {
	storetest.Run(t, func(t *testing.T) duban.Store {
		s, err := Open(t.Context(), filepath.Join(t.TempDir(), "duban.db"), Options{Migrate: true, ReadConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestMigrate(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "duban.db")
	_, err := Open(ctx, path, Options{})
	if !errors.Is(err, ErrSchemaOutdated) {
		t.Fatalf("Open of an empty database without Migrate: %v, want ErrSchemaOutdated", err)
	}
	s, err := Open(ctx, path, Options{NoSchemaCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"0001_init", "0002_task_counts", "0004_reporting", "0005_lineage", "0006_contacts", "0007_search_terms", "0008_api_token_expiry", "0009_identity"}, applied); diff != "" {
		t.Errorf("Migrate applied (-want +got):\n%s", diff)
	}
	applied, err = s.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Errorf("second Migrate = %v, %v; want nothing applied", applied, err)
	}
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open of a current schema: %v", err)
	}
	defer s.Close()
	// A schema from a newer program is refused.
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', '2030-01-01T00:00:00.000000Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, Options{}); err == nil || errors.Is(err, ErrSchemaOutdated) {
		t.Errorf("Open of a newer schema: %v, want an error", err)
	}
}

func TestOpenRefusesMemory(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file::memory:?cache=shared", "a?b"} {
		if s, err := Open(t.Context(), path, Options{Migrate: true}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

func TestPragmas(t *testing.T) {
	s := mustOpen(t)
	tests := []struct {
		db     string
		pragma string
		want   string
	}{
		{"write", "journal_mode", "wal"},
		{"write", "foreign_keys", "1"},
		{"write", "synchronous", "2"}, // FULL: on disk before the store returns
		{"write", "busy_timeout", busyTimeout},
		{"read", "foreign_keys", "1"},
		{"read", "busy_timeout", busyTimeout},
		{"read", "query_only", "1"},
	}
	for _, tt := range tests {
		db := s.write
		if tt.db == "read" {
			db = s.read
		}
		var got string
		if err := db.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s connection: PRAGMA %s = %s, want %s", tt.db, tt.pragma, got, tt.want)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t)
	o := &duban.Org{Name: "渝中区"}
	if err := s.CreateOrg(ctx, duban.System(0), o); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dest); err == nil {
		t.Error("Backup over an existing file succeeded")
	}
	b, err := Open(ctx, dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := b.FindOrgByID(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, got); diff != "" {
		t.Errorf("org in backup mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorCodes(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	_, err := s.write.ExecContext(ctx, `INSERT INTO orgs (id, name, created_at) VALUES (1, 'a', 'x'), (1, 'b', 'x')`)
	if got := duban.ErrorCode(dbErr(err, "")); got != duban.CodeConflict {
		t.Errorf("primary key violation: code %q (%v)", got, err)
	}
	_, err = s.write.ExecContext(ctx, `INSERT INTO units (org_id, name, kind, created_at) VALUES (42, 'a', 'unit', 'x')`)
	if got := duban.ErrorCode(dbErr(err, "")); got != duban.CodeInvalid {
		t.Errorf("foreign key violation: code %q (%v)", got, err)
	}
}

func BenchmarkFindTasks(b *testing.B)    { storetest.BenchmarkFindTasks(b, mustOpen(b)) }
func BenchmarkFindTaskByID(b *testing.B) { storetest.BenchmarkFindTaskByID(b, mustOpen(b)) }
func BenchmarkRollUp(b *testing.B)       { storetest.BenchmarkRollUp(b, mustOpen(b)) }
func BenchmarkApplyImport(b *testing.B)  { storetest.BenchmarkApplyImport(b, mustOpen(b)) }
