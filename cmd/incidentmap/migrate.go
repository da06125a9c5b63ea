package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/postgis"
	"github.com/incidentmap/incidentmap/internal/store/transfer"
)

// runMigrate copies a whole database into another: a GeoPackage file into
// PostgreSQL/PostGIS or back (or file to file, database to database).
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "migrate --from FILE.gpkg|postgres://… --to postgres://…|FILE.gpkg [--batch N]", stderr)
	from := fs.String("from", "", "the database to copy: a GeoPackage file or a postgres:// URL")
	to := fs.String("to", "", "the database to fill, created if missing: a GeoPackage file or a postgres:// URL; it must hold no incidents, or an interrupted copy of the same source (which resumes)")
	batch := fs.Int("batch", transfer.DefaultBatch, "incidents or audit entries per transaction")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return usageError{"give --from and --to, e.g. migrate --from incidentmap.gpkg --to postgres://user@host/db"}
	}
	if !postgis.IsURL(*from) {
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("opening %s: %w", *from, err)
		}
	}
	src, err := openBackend(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openBackend(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	began := time.Now()
	st, err := transfer.Copy(ctx, src, dst, transfer.Options{Source: sourceName(*from), Batch: *batch, Progress: func(s transfer.Stats) {
		fmt.Fprintf(stderr, "\rcopied %d incidents, %d audit entries (%s)", s.Incidents, s.AuditEntries, time.Since(began).Round(time.Second))
	}})
	fmt.Fprintln(stderr)
	if err != nil {
		return fmt.Errorf("migrate stopped (run it again to resume): %w", err)
	}
	resumed := ""
	if st.Resumed {
		resumed = " (resumed)"
	}
	fmt.Fprintf(stdout, "copied %d incidents, %d audit entries, %d keys, %d settings, %d articles and %d feeds from %s to %s in %s%s\n",
		st.Incidents, st.AuditEntries, st.Keys, st.Settings, st.Articles, st.Feeds, displayDB(*from), displayDB(*to), time.Since(began).Round(time.Millisecond), resumed)
	return nil
}

// openBackend opens the store a --db value names: PostgreSQL for a
// postgres:// URL, otherwise a GeoPackage file (created if missing).
func openBackend(ctx context.Context, db string) (store.Backend, error) {
	if postgis.IsURL(db) {
		return postgis.Open(ctx, db)
	}
	return store.Open(ctx, db)
}

// sourceName identifies a database for a resumed copy: a file by its
// absolute path, a server by its URL without the password.
func sourceName(db string) string {
	if postgis.IsURL(db) {
		return displayDB(db)
	}
	if abs, err := filepath.Abs(db); err == nil {
		return abs
	}
	return db
}

// displayDB is a --db value fit to print: a URL loses its password.
func displayDB(db string) string {
	if !postgis.IsURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "a postgres:// URL"
	}
	return u.Redacted()
}
