package supervision

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"duban"
)

// readyTimeout bounds the query of Ready: a probe wants a quick answer, and
// a database slower than this is not ready to serve.
const readyTimeout = 2 * time.Second

// Ready is a store's readiness: nil when db answers within two seconds and
// the newest migration it records is want (the newest the program embeds);
// otherwise an error, wrapping duban.ErrSchemaOutdated when the schema
// differs.
func Ready(ctx context.Context, db *sql.DB, want string) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var have sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT max(name) FROM schema_migrations`).Scan(&have); err != nil {
		return err
	}
	if have.String != want {
		return fmt.Errorf("%w: newest migration applied is %q, this program's is %q", duban.ErrSchemaOutdated, have.String, want)
	}
	return nil
}
