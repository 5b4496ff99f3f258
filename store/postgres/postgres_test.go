package postgres

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/store/storetest"
)

// testURL returns the server the tests use, or skips the test.
func testURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("DUBAN_TEST_POSTGRES_URL")
	if u == "" {
		tb.Skip("DUBAN_TEST_POSTGRES_URL is not set; skipping the PostgreSQL store tests " +
			"(e.g. DUBAN_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable')")
	}
	return u
}

// freshSchema creates a schema of its own for one test, dropped when the test
// ends, and returns the URL with search_path set to it: tests run in parallel
// against one database without seeing each other.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	base := testURL(tb)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "duban_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(tb.Context(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create test schema: %v", err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		// The test's context has ended by now.
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop test schema: %v", err)
		}
	})
	return withSearchPath(tb, base, schema)
}

// withSearchPath adds search_path to a URL or a key=value connection string.
func withSearchPath(tb testing.TB, base, schema string) string {
	if !strings.Contains(base, "://") {
		return base + " search_path=" + schema
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// mustOpen opens a store on a fresh, migrated schema.
func mustOpen(tb testing.TB, opts Options) *Store {
	tb.Helper()
	u := freshSchema(tb)
	opts.Migrate = true
	s, err := Open(tb.Context(), u, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) duban.Store { return mustOpen(t, Options{}) })
}

func TestStoreWithoutCache(t *testing.T) {
	storetest.Run(t, func(t *testing.T) duban.Store { return mustOpen(t, Options{CachedTasks: -1}) })
}

func TestStoreOpenGaussDialect(t *testing.T) {
	storetest.Run(t, func(t *testing.T) duban.Store { return mustOpen(t, Options{Dialect: "opengauss"}) })
}

func TestMigrate(t *testing.T) {
	ctx := t.Context()
	u := freshSchema(t)
	_, err := Open(ctx, u, Options{})
	if !errors.Is(err, ErrSchemaOutdated) {
		t.Fatalf("Open of an empty schema without Migrate: %v, want ErrSchemaOutdated", err)
	}
	// Several instances starting together apply each migration once.
	const instances = 4
	results := make(chan []string, instances)
	errs := make(chan error, instances)
	for range instances {
		go func() {
			s, err := Open(ctx, u, Options{NoSchemaCheck: true})
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			applied, err := s.Migrate(ctx)
			errs <- err
			results <- applied
		}()
	}
	var all []string
	for range instances {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		all = append(all, <-results...)
	}
	// Each is applied once, by whichever instance got to it first.
	slices.Sort(all)
	if diff := cmp.Diff([]string{"0001_init", "0002_task_counts", "0003_ledger_seq_once", "0004_reporting", "0005_lineage", "0006_contacts", "0008_api_token_expiry", "0009_identity"}, all); diff != "" {
		t.Errorf("migrations applied across instances (-want +got):\n%s", diff)
	}
	s, err := Open(ctx, u, Options{})
	if err != nil {
		t.Fatalf("Open of a current schema: %v", err)
	}
	defer s.Close()
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, u, Options{}); err == nil || errors.Is(err, ErrSchemaOutdated) {
		t.Errorf("Open of a newer schema: %v, want an error", err)
	}
}

func TestAuditLogRefusesTruncate(t *testing.T) {
	s := mustOpen(t, Options{})
	if err := s.CreateOrg(t.Context(), duban.System(0), &duban.Org{Name: "渝中区"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(t.Context(), `TRUNCATE audit_log CASCADE`); err == nil {
		t.Error("TRUNCATE audit_log succeeded")
	}
}

func TestErrorCodes(t *testing.T) {
	ctx := t.Context()
	s := mustOpen(t, Options{})
	_, err := s.DB().ExecContext(ctx, `INSERT INTO orgs (id, name, created_at) VALUES (1, 'a', now()), (1, 'b', now())`)
	if got := duban.ErrorCode(dbErr(err, "")); got != duban.CodeConflict {
		t.Errorf("primary key violation: code %q (%v)", got, err)
	}
	_, err = s.DB().ExecContext(ctx, `INSERT INTO units (org_id, name, kind, created_at) VALUES (42, 'a', 'unit', now())`)
	if got := duban.ErrorCode(dbErr(err, "")); got != duban.CodeInvalid {
		t.Errorf("foreign key violation: code %q (%v)", got, err)
	}
}

func TestTSQuery(t *testing.T) {
	tests := []struct {
		dialect, in, want string
	}{
		{"postgres", "金融", `('金融')`},
		{"postgres", "金融业 GDP", `('金融' <-> '融业') & ('gdp')`},
		{"opengauss", "金融业", `('金融' & '融业')`},
		{"postgres", "，", ``},
	}
	for _, tt := range tests {
		d, err := dialectOf(tt.dialect)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.tsQuery(tt.in); got != tt.want {
			t.Errorf("%s tsQuery(%q) = %q, want %q", tt.dialect, tt.in, got, tt.want)
		}
	}
}

func BenchmarkFindTasks(b *testing.B) { storetest.BenchmarkFindTasks(b, mustOpen(b, Options{})) }
func BenchmarkFindTaskByID(b *testing.B) {
	storetest.BenchmarkFindTaskByID(b, mustOpen(b, Options{}))
}
func BenchmarkRollUp(b *testing.B)      { storetest.BenchmarkRollUp(b, mustOpen(b, Options{})) }
func BenchmarkApplyImport(b *testing.B) { storetest.BenchmarkApplyImport(b, mustOpen(b, Options{})) }

// TestTryLock: of two servers on one database, one holds a job's lock; the
// other gets it once the first lets go.
func TestTryLock(t *testing.T) {
	a := mustOpen(t, Options{})
	b := mustOpen(t, Options{})
	ctx := t.Context()
	name := "duban.job.test." + t.Name()
	release, ok, err := a.TryLock(ctx, name)
	if err != nil || !ok {
		t.Fatalf("first TryLock: %v %v", ok, err)
	}
	if _, ok, err := b.TryLock(ctx, name); err != nil || ok {
		t.Fatalf("second TryLock while held: %v %v", ok, err)
	}
	release()
	release2, ok, err := b.TryLock(ctx, name)
	if err != nil || !ok {
		t.Fatalf("TryLock after release: %v %v", ok, err)
	}
	release2()
}
