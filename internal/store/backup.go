package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Backup writes a complete, consistent copy of the database to path while
// it stays in use: SQLite's VACUUM INTO reads it in one transaction, so
// writes running meanwhile are either wholly in the copy or not at all,
// and no writer waits. Unlike Snapshot the copy keeps everything — keys,
// settings, audit trail, articles — as a backup must: keep it as safe as
// the database. path must not exist yet.
func (s *Store) Backup(ctx context.Context, path string) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup to %s: %w", path, os.ErrExist)
	}
	// The read pool is query_only, which VACUUM INTO refuses.
	db, err := sql.Open("sqlite", oneShotDSN(s.path))
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
