package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
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

// migrate applies the embedded migrations numbered above the file's current
// schema version, each in its own transaction with its version bump, so a
// failed migration leaves the file at the previous version.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS incidentmap_schema (
		version INTEGER NOT NULL PRIMARY KEY, applied DATETIME NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema table: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM incidentmap_schema").Scan(&current); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("listing migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number: %w", name, err)
		}
		if n <= current {
			continue
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return fmt.Errorf("reading migration %s: %w", name, err)
		}
		if err := applyMigration(ctx, db, n, string(body)); err != nil {
			return fmt.Errorf("applying migration %s: %w", base, err)
		}
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

func applyMigration(ctx context.Context, db *sql.DB, version int, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO incidentmap_schema (version, applied) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))", version); err != nil {
		return err
	}
	return tx.Commit()
}
