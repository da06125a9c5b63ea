package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Snapshot writes a consistent copy of the database to path as a standalone
// GeoPackage, with SQLite's VACUUM INTO: one read transaction, so writes
// running meanwhile are either wholly in the copy or not at all. The copy
// keeps only the incidents matching q (all of them for a zero Query; Limit,
// Cursor and Desc are ignored) and none of the settings, so the write
// token never leaves the server. path must not exist yet.
func (s *Store) Snapshot(ctx context.Context, path string, q Query) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("snapshot to %s: %w", path, os.ErrExist)
	}
	// The read pool is query_only, which VACUUM INTO refuses even though
	// it only reads this database: use a connection of its own, which in
	// WAL mode holds up no writer.
	src, err := sql.Open("sqlite", oneShotDSN(s.path))
	if err != nil {
		return fmt.Errorf("snapshot to %s: %w", path, err)
	}
	_, err = src.ExecContext(ctx, "VACUUM INTO ?", path)
	src.Close()
	if err != nil {
		return fmt.Errorf("snapshot to %s: %w", path, err)
	}
	if err := prune(ctx, path, q); err != nil {
		os.Remove(path)
		return fmt.Errorf("snapshot to %s: %w", path, err)
	}
	return nil
}

// prune removes from the snapshot at path the settings and the incidents
// not matching q, updates the layer extent and compacts the file.
func prune(ctx context.Context, path string, q Query) (err error) {
	registerFunctions()
	db, err := sql.Open("sqlite", oneShotDSN(path))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	defer func() { err = errors.Join(err, db.Close()) }()
	q.Cursor, q.Limit, q.Desc = "", 0, false
	snap := &Store{path: path, writer: db, reader: db}
	b, err := snap.build(ctx, q, false)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting prune: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM incidentmap_settings"); err != nil {
		return fmt.Errorf("removing settings: %w", err)
	}
	if len(b.where) > 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM incidents WHERE fid NOT IN (SELECT i.fid FROM "+b.from+b.whereSQL()+")", b.args...); err != nil {
			return fmt.Errorf("removing unselected incidents: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE gpkg_contents SET
		min_x = (SELECT MIN(ST_MinX(geom)) FROM incidents), max_x = (SELECT MAX(ST_MaxX(geom)) FROM incidents),
		min_y = (SELECT MIN(ST_MinY(geom)) FROM incidents), max_y = (SELECT MAX(ST_MaxY(geom)) FROM incidents),
		last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
		WHERE table_name = 'incidents'`); err != nil {
		return fmt.Errorf("updating the extent: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing prune: %w", err)
	}
	// A file for handing out: no WAL beside it, and no free pages left by
	// the deletes.
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return fmt.Errorf("leaving WAL mode: %w", err)
	}
	if len(b.where) > 0 {
		if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
			return fmt.Errorf("compacting: %w", err)
		}
	}
	return nil
}

// oneShotDSN is the store's connection string with a small page cache and
// no memory-mapped I/O: a snapshot reads and writes each page once, so a
// large cache or mapping the files would only swell the server's resident
// memory by the database's size. (Pragmas run in order: these win.)
func oneShotDSN(path string) string {
	return dsn(path, false) + "&_pragma=mmap_size%280%29&_pragma=cache_size%28-4096%29"
}
