package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
)

// TestOpenRefusesForeignFiles is finding 7 of issue 12: a database newer
// than the binary, another program's SQLite file and a file with a
// conflicting incidents table are refused, and left byte for byte as they
// were.
func TestOpenRefusesForeignFiles(t *testing.T) {
	tests := []struct {
		name  string
		setup []string
		want  error
	}{
		{"someone else's database", []string{"CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO customers VALUES (1, 'Ada')"}, store.ErrNotIncidentmap},
		{"conflicting incidents table", []string{"CREATE TABLE incidents (id TEXT)", "INSERT INTO incidents VALUES ('x')"}, store.ErrNotIncidentmap},
		{"newer schema", []string{"CREATE TABLE incidentmap_schema (version INTEGER NOT NULL PRIMARY KEY, applied DATETIME NOT NULL)",
			"INSERT INTO incidentmap_schema VALUES (9999, '2030-01-01')"}, store.ErrSchemaNewer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.setup {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(context.Background(), path)
			if err == nil {
				st.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open: %v, want %v", err, tt.want)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(before) != string(after) {
				t.Error("the refused file was changed")
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Error("the refused file was switched to WAL")
			}
		})
	}
}
