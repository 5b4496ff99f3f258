package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// Backup writes a consistent copy of the database to dest, a file that must
// not exist yet, while the store keeps serving: VACUUM INTO reads one
// snapshot and does not block writers.
func (s *Store) Backup(ctx context.Context, dest string) error {
	// The read pool is query_only, which VACUUM INTO refuses: use a
	// connection of its own.
	db, err := sql.Open("sqlite", s.path+"?_busy_timeout="+busyTimeout)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
