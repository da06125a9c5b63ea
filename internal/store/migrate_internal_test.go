package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestMigrationCountsExistingIncidents opens a file an incidentmap before
// migration 5 wrote, with incidents in it, and checks that GDAL's feature
// count starts at the rows already there and follows the writes after.
func TestMigrationCountsExistingIncidents(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.gpkg")
	registerFunctions()
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateUpTo(ctx, db, 4); err != nil {
		t.Fatal(err)
	}
	const old = 5
	for i := range old {
		if _, err := db.ExecContext(ctx, `INSERT INTO incidents (id, event_date, created, updated)
			VALUES (?, '2020-01-01', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')`, string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	count := func() int {
		t.Helper()
		var n int
		if err := s.writer.QueryRowContext(ctx, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'incidents'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count(); got != old {
		t.Fatalf("after the migration gpkg_ogr_contents counts %d incidents, want %d", got, old)
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != old-1 {
		t.Errorf("after a delete gpkg_ogr_contents counts %d incidents, want %d", got, old-1)
	}
}
