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
// rows are copied in one transaction that reads the source from one
// snapshot, so writes running meanwhile are either wholly in the copy or
// not at all (heldBack says how the copy is made fast). Nothing else of the source reaches it — not the settings
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
	held, err := createSnapshotSchema(ctx, path)
	if err != nil {
		return err
	}
	whole, err := s.copyInto(ctx, path, q, held.indexes)
	if err != nil {
		return err
	}
	return execOn(ctx, path, held.finish(whole))
}

// sqlStep is one statement and its arguments (name: what it creates,
// where that is needed).
type sqlStep struct {
	text string
	args []any
	name string
}

// heldBack is what a snapshot's incidents table goes without while its rows
// are copied in, to be restored after (heldBack.finish).
//
// Its triggers: with an insert trigger, SQLite copies the whole selection
// into a temporary table first, which held the export in memory, and with
// any trigger it inserts row by row. The R*Tree and feature count triggers
// are run once over all rows after the copy (their bulk forms, as a bulk
// Insert does); the audit triggers are not — a copy is not a change, and
// recording it would double the file.
//
// Its indexes, when only some rows are copied: sorting once is far cheaper
// than inserting each row into each index. A copy of every row keeps them:
// SQLite then copies the table and each index record by record in order
// (its transfer optimisation, as VACUUM does), and the R*Tree's tables as
// they are.
type heldBack struct {
	indexes  []sqlStep // CREATE INDEX statements (copyInto drops them)
	rtree    []sqlStep // the R*Tree trigger's bulk form
	bulk     []sqlStep // the other insert triggers' bulk forms
	triggers []sqlStep // CREATE TRIGGER statements, all dropped
}

// finish is what to run once the rows are in: whole says copyInto copied
// every row with the indexes and the R*Tree.
func (h *heldBack) finish(whole bool) []sqlStep {
	if whole {
		return slices.Concat(h.bulk, h.triggers)
	}
	return slices.Concat(h.indexes, h.rtree, h.bulk, h.triggers)
}

// rtreeInsertTrigger is the GeoPackage R*Tree extension's insert trigger
// on incidents (rtree_<table>_<column>_insert).
const rtreeInsertTrigger = "rtree_incidents_geom_insert"

// createSnapshotSchema creates path with the store's schema and no rows but
// those the migrations insert, with the triggers of incidents dropped
// (heldBack). The file is in rollback-journal mode, the mode for a file
// that is handed out (no WAL beside it).
func createSnapshotSchema(ctx context.Context, path string) (held *heldBack, err error) {
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
	held = &heldBack{}
	var drop []string
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the incidents schema: %w", err)
		}
		if typ == "index" {
			held.indexes = append(held.indexes, sqlStep{text: text, name: name})
			continue
		}
		held.triggers = append(held.triggers, sqlStep{text: text})
		drop = append(drop, "DROP TRIGGER "+quoteIdent(name))
		if b, ok := bulkStatement(text); ok && !strings.HasPrefix(name, "incidentmap_audit_") {
			if name == rtreeInsertTrigger {
				held.rtree = append(held.rtree, sqlStep{text: b, args: []any{0}})
			} else {
				held.bulk = append(held.bulk, sqlStep{text: b, args: []any{0}})
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the incidents schema: %w", err)
	}
	for _, d := range drop {
		if _, err := db.ExecContext(ctx, d); err != nil {
			return nil, fmt.Errorf("preparing the snapshot: %w", err)
		}
	}
	return held, nil
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
// sets its layer extent. It reports whether it copied every row, with the
// table's indexes and the R*Tree's tables as they are (heldBack); when
// not, it dropped the snapshot's indexes first. It attaches the snapshot
// to a connection of its own on the source: the read pool is query_only,
// which refuses ATTACH. Its one transaction reads the source from one
// snapshot and writes only the attached file, so the source's writer is
// never held up.
func (s *Store) copyInto(ctx context.Context, path string, q Query, indexes []sqlStep) (whole bool, err error) {
	src, err := sql.Open("sqlite", oneShotDSN(s.path))
	if err != nil {
		return false, err
	}
	defer func() { err = errors.Join(err, src.Close()) }()
	conn, err := src.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS snap", path); err != nil {
		return false, fmt.Errorf("attaching the snapshot: %w", err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.Background(), "DETACH DATABASE snap"); derr != nil {
			err = errors.Join(err, fmt.Errorf("detaching the snapshot: %w", derr))
		}
	}()
	// The snapshot is deleted if anything fails, so it needs no journal.
	for _, p := range []string{"PRAGMA snap.journal_mode = OFF", "PRAGMA snap.synchronous = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return false, fmt.Errorf("preparing the snapshot: %w", err)
		}
	}
	q = q.unpaged()
	q.Desc = false
	// Deferred, not the connection's immediate BEGIN: the source is only
	// read, and its writer must not wait for the copy.
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return false, fmt.Errorf("copying incidents: %w", err)
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if whole, err = s.selectsAll(ctx, conn, q); err != nil {
		return false, err
	}
	if whole {
		err = copyWhole(ctx, conn)
	} else {
		err = s.copySome(ctx, conn, q, indexes)
	}
	if err != nil {
		return false, err
	}
	// One scan of the copied rows for all four bounds.
	if _, err := conn.ExecContext(ctx, `UPDATE snap.gpkg_contents SET
		(min_x, max_x, min_y, max_y) = (SELECT MIN(ST_MinX(geom)), MAX(ST_MaxX(geom)), MIN(ST_MinY(geom)), MAX(ST_MaxY(geom)) FROM snap.incidents),
		last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
		WHERE table_name = 'incidents'`); err != nil {
		return false, fmt.Errorf("updating the extent: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return false, fmt.Errorf("copying incidents: %w", err)
	}
	return whole, nil
}

// selectsAll reports whether q selects every incident of the source as
// conn's transaction sees it: q has no filter, or only the published
// status (what a reader may export) while no incident waits for review or
// was rejected.
func (s *Store) selectsAll(ctx context.Context, conn *sql.Conn, q Query) (bool, error) {
	statusOnly := q.PublishedOnly()
	if statusOnly {
		q.Statuses = nil
	}
	b, err := s.build(ctx, q, false)
	if err != nil {
		return false, err
	}
	if len(b.where) > 0 || b.rtree {
		return false, nil
	}
	if !statusOnly {
		return true, nil
	}
	var queued bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM main.incidents i WHERE "+QueueOnlySQL+")").Scan(&queued); err != nil {
		return false, fmt.Errorf("looking for unpublished incidents: %w", err)
	}
	return !queued, nil
}

// rtreeTables are the tables the R*Tree module keeps the spatial index of
// incidents in.
var rtreeTables = []string{"rtree_incidents_geom_node", "rtree_incidents_geom_rowid", "rtree_incidents_geom_parent"}

// copyWhole copies every incident, with the table's indexes, and the
// R*Tree's tables as they are: the same rows get the same index. The
// statements have the form of SQLite's transfer optimisation (INSERT INTO
// a SELECT * FROM b, the destination without triggers and empty).
func copyWhole(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "INSERT INTO snap.incidents SELECT * FROM main.incidents"); err != nil {
		return fmt.Errorf("copying incidents: %w", err)
	}
	for _, t := range rtreeTables {
		if _, err := conn.ExecContext(ctx, "DELETE FROM snap."+t); err != nil {
			return fmt.Errorf("copying the spatial index: %w", err)
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO snap."+t+" SELECT * FROM main."+t); err != nil {
			return fmt.Errorf("copying the spatial index: %w", err)
		}
	}
	return nil
}

// copySome drops the snapshot's indexes of incidents and copies the rows
// matching q.
func (s *Store) copySome(ctx context.Context, conn *sql.Conn, q Query, indexes []sqlStep) error {
	for _, ix := range indexes {
		if _, err := conn.ExecContext(ctx, "DROP INDEX snap."+quoteIdent(ix.name)); err != nil {
			return fmt.Errorf("preparing the snapshot: %w", err)
		}
	}
	b, err := s.build(ctx, q, false)
	if err != nil {
		return err
	}
	// Unqualified names resolve to the source (main) before snap.
	if _, err := conn.ExecContext(ctx, "INSERT INTO snap.incidents SELECT i.* FROM "+b.from+b.whereSQL()+" ORDER BY i.fid", b.args...); err != nil {
		return fmt.Errorf("copying incidents: %w", err)
	}
	return nil
}

// oneShotMemory is a snapshot's or backup's connections': a snapshot reads
// and writes each page once, so a large cache or mapping the files would
// only swell the server's resident memory by the database's size, and the
// sorts that build a snapshot's indexes go to temporary files.
func oneShotMemory() connMemory { return connMemory{cacheKiB: 4096, mmapBytes: 0, tempStore: "FILE"} }

// oneShotDSN is the connection string of a snapshot's or backup's
// connections.
func oneShotDSN(path string) string { return dsnWith(path, false, oneShotMemory()) }
