// Package storetest opens every incident store for tests: the GeoPackage
// store (with and without its in-memory index) and, when a PostgreSQL
// server with PostGIS is configured, the PostGIS store. The behaviour suite
// in this package runs table-driven against all of them, so that the two
// databases give the same answers; other packages' tests can range over
// Backends in the same way.
//
// The PostGIS half needs INCIDENTMAP_TEST_POSTGRES, the URL of a database
// whose role may create schemas (.ci/postgres start DIR prints one for a
// throwaway cluster). Each store gets a schema of its own, dropped when its
// test ends. Without the variable the PostGIS half is skipped with a
// message saying so.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/postgis"
)

// PostgresEnv names the environment variable holding the test server's URL.
const PostgresEnv = "INCIDENTMAP_TEST_POSTGRES"

// Backend is one store to test: its name and how to open an empty one.
type Backend struct {
	Name string
	// Skip, when set, says why this backend cannot run here.
	Skip string
	// Open returns a new, empty store that is closed (and dropped) when
	// the test ends. A backend that cannot run here skips the test.
	Open func(t testing.TB) store.Backend
	// OpenTwice returns two handles on one new, empty database, each with
	// its connections of its own (as two programs sharing a store have),
	// closed when the test ends.
	OpenTwice func(t testing.TB) (store.Backend, store.Backend)
}

// Backends lists the stores: gpkg (SQL only), gpkg-indexed (the in-memory
// index answering too, as under serve) and postgis.
func Backends() []Backend {
	return []Backend{
		{Name: "gpkg", Open: func(t testing.TB) store.Backend { return openGPKG(t, "", false) }, OpenTwice: func(t testing.TB) (store.Backend, store.Backend) {
			path := filepath.Join(t.TempDir(), "shared.gpkg")
			return openGPKG(t, path, false), openGPKG(t, path, false)
		}},
		{Name: "gpkg-indexed", Open: func(t testing.TB) store.Backend { return openGPKG(t, "", true) }, OpenTwice: func(t testing.TB) (store.Backend, store.Backend) {
			path := filepath.Join(t.TempDir(), "shared.gpkg")
			return openGPKG(t, path, true), openGPKG(t, path, true)
		}},
		{Name: "postgis", Skip: postgresMissing(), Open: func(t testing.TB) store.Backend { return OpenPostGIS(t) }, OpenTwice: func(t testing.TB) (store.Backend, store.Backend) {
			u := NewSchema(t)
			return openPostGISAt(t, u), openPostGISAt(t, u)
		}},
	}
}

// openGPKG opens the GeoPackage store at path (a new file when ""), with
// its in-memory index built when indexed.
func openGPKG(t testing.TB, path string, indexed bool) store.Backend {
	t.Helper()
	ctx := context.Background()
	if path == "" {
		path = filepath.Join(t.TempDir(), "test.gpkg")
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if indexed {
		if err := s.BuildIndex(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// postgresMissing says why the PostGIS store cannot be tested here, or "".
func postgresMissing() string {
	if os.Getenv(PostgresEnv) != "" {
		return ""
	}
	return "PostGIS store not tested: " + PostgresEnv + " is not set (.ci/postgres start DIR starts a throwaway server and prints its URL)"
}

// PostgresURL returns the test server's URL, or skips t when none is set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	if why := postgresMissing(); why != "" {
		t.Skip(why)
	}
	return os.Getenv(PostgresEnv)
}

// OpenPostGIS returns a PostGIS store in a new schema of the test server,
// dropped when t ends; it skips t when no server is configured.
func OpenPostGIS(t testing.TB) *postgis.Store {
	t.Helper()
	return openPostGISAt(t, NewSchema(t))
}

// openPostGISAt opens the PostGIS store at the URL u, closed when t ends.
func openPostGISAt(t testing.TB, u string) *postgis.Store {
	t.Helper()
	s, err := postgis.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// NewSchema creates a schema of its own for t on the test server (skipping
// t when none is configured), dropped when t ends, and returns the server's
// URL with that schema first on the search path (the PostGIS extension
// stays in public, shared by every schema).
func NewSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to the test server (%s): %v", PostgresEnv, err)
	}
	defer admin.Close(ctx)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public"); err != nil {
		t.Fatalf("creating the postgis extension: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	pu, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	v := pu.Query()
	v.Set("search_path", schema+",public")
	pu.RawQuery = v.Encode()
	return pu.String()
}
