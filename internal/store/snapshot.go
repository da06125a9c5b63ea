package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Snapshot writes the incidents matching q (all of them for a zero Query;
// Limit, Cursor and Desc are ignored) to path as a standalone GeoPackage.
// The file is built fresh: the schema is created in it, then the selected
// rows are copied in one INSERT … SELECT, which reads the source in one
// transaction, so writes running meanwhile are either wholly in the copy or
// not at all. Nothing else of the source reaches it — not the settings
// (where the write token lives), not the API keys or the audit trail, not
// the ingested articles or an imported gazetteer, and not the free pages
// such rows once occupied, as a page-level copy (VACUUM INTO) would carry.
// path must not exist yet; on failure it is removed.
func (s *Store) Snapshot(ctx context.Context, path string, q Query) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("snapshot to %s: %w", path, os.ErrExist)
	}
	defer func() {
		if err != nil {
			os.Remove(path)
			err = fmt.Errorf("snapshot to %s: %w", path, err)
		}
	}()
	finish, err := createSnapshotSchema(ctx, path)
	if err != nil {
		return err
	}
	if err := s.copyInto(ctx, path, q); err != nil {
		return err
	}
	return execOn(ctx, path, finish)
}

// sqlStep is one statement and its arguments.
type sqlStep struct {
	text string
	args []any
}

// createSnapshotSchema creates path with the store's schema and no rows but
// those the migrations insert, and returns what to run once the incidents
// are copied in. The file is in rollback-journal mode, the mode for a file
// that is handed out (no WAL beside it).
//
// The incidents table is bare while the rows are copied: its indexes are
// dropped and built again after (sorting once is far cheaper than
// inserting each row into each index), and so are its insert triggers.
// With an insert trigger, SQLite copies the whole selection into a
// temporary table first, which held the export in memory. The R*Tree and
// feature count triggers are run once over all rows after the copy (their
// bulk forms, as a bulk Insert does); the audit triggers are not — a copy
// is not a change, and recording it would double the file. All are created
// again as they were.
func createSnapshotSchema(ctx context.Context, path string) (finish []sqlStep, err error) {
	registerFunctions()
	db, err := sql.Open("sqlite", oneShotDSN(path))
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db); err != nil {
		return nil, fmt.Errorf("creating the schema: %w", err)
	}
	rows, err := db.QueryContext(ctx, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'incidents' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, rowid")
	if err != nil {
		return nil, fmt.Errorf("reading the incidents schema: %w", err)
	}
	var drop, indexes, bulk, triggers []sqlStep
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the incidents schema: %w", err)
		}
		switch {
		case typ == "index":
			indexes = append(indexes, sqlStep{text: text})
		case strings.HasPrefix(name, "incidentmap_audit_"):
			triggers = append(triggers, sqlStep{text: text})
		default:
			b, ok := bulkStatement(text)
			if !ok {
				continue // not an insert trigger, or one without a bulk form: it stays
			}
			bulk = append(bulk, sqlStep{text: b, args: []any{0}})
			triggers = append(triggers, sqlStep{text: text})
		}
		drop = append(drop, sqlStep{text: "DROP " + strings.ToUpper(typ) + " " + quoteIdent(name)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the incidents schema: %w", err)
	}
	for _, d := range drop {
		if _, err := db.ExecContext(ctx, d.text); err != nil {
			return nil, fmt.Errorf("preparing the snapshot: %w", err)
		}
	}
	return slices.Concat(indexes, bulk, triggers), nil
}

// execOn runs statements on the database at path in one transaction, on
// a connection of its own.
func execOn(ctx context.Context, path string, statements []sqlStep) (err error) {
	db, err := sql.Open("sqlite", oneShotDSN(path))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("finishing the snapshot: %w", err)
	}
	defer tx.Rollback()
	for _, st := range statements {
		if _, err := tx.ExecContext(ctx, st.text, st.args...); err != nil {
			return fmt.Errorf("finishing the snapshot: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("finishing the snapshot: %w", err)
	}
	return nil
}

// copyInto copies the incidents matching q into the snapshot at path and
// sets its layer extent. It attaches the snapshot to a connection of its
// own on the source: the read pool is query_only, which refuses ATTACH.
// Each statement runs on its own (no BEGIN), so the source is only read and
// its writer is never held up.
func (s *Store) copyInto(ctx context.Context, path string, q Query) (err error) {
	src, err := sql.Open("sqlite", oneShotDSN(s.path))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, src.Close()) }()
	conn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS snap", path); err != nil {
		return fmt.Errorf("attaching the snapshot: %w", err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.Background(), "DETACH DATABASE snap"); derr != nil {
			err = errors.Join(err, fmt.Errorf("detaching the snapshot: %w", derr))
		}
	}()
	// The snapshot is deleted if anything fails, so it needs no journal.
	for _, p := range []string{"PRAGMA snap.journal_mode = OFF", "PRAGMA snap.synchronous = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("preparing the snapshot: %w", err)
		}
	}
	q = q.unpaged()
	q.Desc = false
	b, err := s.build(ctx, q, false)
	if err != nil {
		return err
	}
	// Unqualified names resolve to the source (main) before snap.
	if _, err := conn.ExecContext(ctx, "INSERT INTO snap.incidents SELECT i.* FROM "+b.from+b.whereSQL()+" ORDER BY i.fid", b.args...); err != nil {
		return fmt.Errorf("copying incidents: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE snap.gpkg_contents SET
		min_x = (SELECT MIN(ST_MinX(geom)) FROM snap.incidents), max_x = (SELECT MAX(ST_MaxX(geom)) FROM snap.incidents),
		min_y = (SELECT MIN(ST_MinY(geom)) FROM snap.incidents), max_y = (SELECT MAX(ST_MaxY(geom)) FROM snap.incidents),
		last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
		WHERE table_name = 'incidents'`); err != nil {
		return fmt.Errorf("updating the extent: %w", err)
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
