package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// GeoPackage header values (GeoPackage 1.3 §1.1.1.1.1): application_id "GPKG"
// and user_version 10300.
const (
	gpkgApplicationID = 0x47504B47
	gpkgUserVersion   = 10300
)

// Named errors of opening a file that is not a database this binary may
// change.
var (
	// ErrNotIncidentmap means an SQLite file with tables but none of
	// incidentmap's: someone else's database, left as it is.
	ErrNotIncidentmap = errors.New("not an incidentmap database")
	// ErrSchemaNewer means a database written by a newer incidentmap, whose
	// schema this binary does not know.
	ErrSchemaNewer = errors.New("database schema is newer than this program")
)

// migrate applies the embedded migrations numbered above the file's current
// schema version, all in one transaction with their version rows, so that a
// failing migration leaves the file exactly as it was. It refuses a file
// that has tables but no schema table (not ours) and one whose schema is
// newer than the migrations it knows.
func migrate(ctx context.Context, db *sql.DB) error {
	return migrateUpTo(ctx, db, math.MaxInt)
}

// migrateUpTo is migrate stopping after version last, so that tests can
// build a file as an older incidentmap left it.
func migrateUpTo(ctx context.Context, db *sql.DB, last int) error {
	pending, err := migrationList()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting migrations: %w", err)
	}
	defer tx.Rollback()
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if latest := pending[len(pending)-1].version; current > latest {
		return fmt.Errorf("%w: the file is at version %d, this program knows up to %d; use a newer incidentmap", ErrSchemaNewer, current, latest)
	}
	for _, m := range pending {
		if m.version <= current || m.version > last {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.body); err != nil {
			return fmt.Errorf("applying migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO incidentmap_schema (version, applied) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))", m.version); err != nil {
			return fmt.Errorf("recording migration %s: %w", m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing migrations: %w", err)
	}
	// The GeoPackage header is set after the tables exist, every time, so a
	// file created by an older version also carries it.
	for _, p := range []string{
		fmt.Sprintf("PRAGMA application_id = %d", gpkgApplicationID),
		fmt.Sprintf("PRAGMA user_version = %d", gpkgUserVersion),
	} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("setting GeoPackage header: %w", err)
		}
	}
	return nil
}

// migration is one embedded schema change.
type migration struct {
	version int
	name    string
	body    string
}

// migrationList returns the embedded migrations in version order.
func migrationList() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	sort.Strings(names)
	var out []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number: %w", name, err)
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", name, err)
		}
		out = append(out, migration{version: n, name: base, body: string(body)})
	}
	return out, nil
}

// schemaVersion returns the file's schema version, creating the schema
// table in an empty file; a file with other tables but no schema table is
// ErrNotIncidentmap.
func schemaVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	var ours, others int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE name = 'incidentmap_schema'),
		COUNT(*) FILTER (WHERE name <> 'incidentmap_schema') FROM sqlite_master WHERE type = 'table'`).Scan(&ours, &others); err != nil {
		return 0, fmt.Errorf("reading the file's tables: %w", err)
	}
	if ours == 0 && others > 0 {
		return 0, fmt.Errorf("%w: the file has %d tables but no incidentmap_schema; open another file (it was left unchanged)", ErrNotIncidentmap, others)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS incidentmap_schema (
		version INTEGER NOT NULL PRIMARY KEY, applied DATETIME NOT NULL)`); err != nil {
		return 0, fmt.Errorf("creating schema table: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM incidentmap_schema").Scan(&current); err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return current, nil
}
