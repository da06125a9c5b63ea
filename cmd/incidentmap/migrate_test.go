package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/sample"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
)

// TestMigrateCommand copies a GeoPackage into a second store and back with
// the command, then runs it again (a finished copy resumes to nothing).
func TestMigrateCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, c := filepath.Join(dir, "a.gpkg"), filepath.Join(dir, "c.gpkg")
	st, err := store.Open(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	n, err := sample.SeedIfEmpty(ctx, st)
	if err != nil || n == 0 {
		t.Fatalf("seeding: %d, %v", n, err)
	}
	st.Close()
	middle := filepath.Join(dir, "b.gpkg")
	bs := storetest.Backends()
	if bs[len(bs)-1].Skip == "" {
		middle = storetest.NewSchema(t) // through PostgreSQL when there is one
	} else {
		t.Log(bs[len(bs)-1].Skip + "; migrating between GeoPackage files only")
	}
	migrate := func(from, to string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := runMigrate(ctx, []string{"--from", from, "--to", to, "--batch", "5"}, &out, &errOut); err != nil {
			t.Fatalf("migrate --from %s --to %s: %v\n%s", from, to, err, errOut.String())
		}
		return out.String()
	}
	want := "copied 14 incidents"
	for _, hop := range [][2]string{{a, middle}, {middle, c}} {
		if out := migrate(hop[0], hop[1]); !strings.HasPrefix(out, want) || strings.Contains(out, "resumed") {
			t.Errorf("migrate %s → %s: %q, want %q…", hop[0], hop[1], out, want)
		}
	}
	if out := migrate(middle, c); !strings.HasPrefix(out, "copied 0 incidents, 0 audit entries") || !strings.Contains(out, "(resumed)") {
		t.Errorf("migrate again: %q", out)
	}
	back, err := store.Open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if n, err := back.Count(ctx, store.Query{}); err != nil || n != 14 {
		t.Errorf("the copy of the copy holds %d incidents (%v), want 14", n, err)
	}
	var errOut bytes.Buffer
	if err := runMigrate(ctx, []string{"--from", a, "--to", c}, &bytes.Buffer{}, &errOut); err == nil || !strings.Contains(err.Error(), "another source") {
		t.Errorf("migrating a second source into a copy: %v", err)
	}
}
