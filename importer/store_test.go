package importer_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"duban"
	"duban/store/postgres"
	"duban/store/sqlite"
)

// openBenchStore opens a fresh store of the named kind: SQLite in a temporary
// file, or PostgreSQL in a schema of its own at DUBAN_TEST_POSTGRES_URL
// (skipped when it is not set).
func openBenchStore(b *testing.B, kind string) duban.Store {
	b.Helper()
	ctx := context.Background()
	if kind == "sqlite" {
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "duban.db"), sqlite.Options{Migrate: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	base := os.Getenv("DUBAN_TEST_POSTGRES_URL")
	if base == "" {
		b.Skip("DUBAN_TEST_POSTGRES_URL is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "duban_bench_" + hex.EncodeToString(buf)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := postgres.Open(ctx, u.String(), postgres.Options{Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}
