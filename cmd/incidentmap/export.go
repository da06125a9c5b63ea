package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/interchange"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/postgis"
)

// runExport writes incidents as GeoJSON, CSV, KML or a GeoPackage.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export [--db FILE] --format geojson|csv|gpkg|kml [-o OUT] [filters]", stderr)
	dbPath := fs.String("db", defaultDB(), dbHelp)
	format := fs.String("format", "", "output format: geojson, csv (ACLED-like columns), gpkg or kml")
	out := fs.String("o", "-", "output file; - is standard output")
	bbox := fs.String("bbox", "", "only incidents in minLon,minLat,maxLon,maxLat")
	start := fs.String("start", "", "only incidents on or after this day (YYYY-MM-DD)")
	end := fs.String("end", "", "only incidents on or before this day (YYYY-MM-DD)")
	eventType := fs.String("event-type", "", "only these ACLED event types (comma-separated)")
	country := fs.String("country", "", "only these countries (ISO alpha-2, comma-separated)")
	admin1 := fs.String("admin1", "", "only this admin1 (exact, case-insensitive)")
	actor := fs.String("actor", "", "only incidents with an actor containing this text")
	minFatalities := fs.Int("min-fatalities", -1, "only incidents with at least this many fatalities")
	text := fs.String("q", "", "only incidents whose notes, place or actors contain this text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (filters are flags, e.g. --country AF)", fs.Arg(0))}
	}
	if _, ok := interchange.ContentType(*format); !ok {
		return usageError{fmt.Sprintf("--format must be one of %s", strings.Join(interchange.OutputFormats(), ", "))}
	}
	q, err := exportQuery(*bbox, *start, *end, *eventType, *country, *admin1, *actor, *text, *minFatalities)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*dbPath); err != nil && !postgis.IsURL(*dbPath) {
		return fmt.Errorf("opening %s: %w", *dbPath, err)
	}
	st, err := openBackend(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()

	began := time.Now()
	var n int64
	if *out == "-" {
		if *format == interchange.FormatGPKG && isTerminal(stdout) {
			return usageError{"a GeoPackage is binary: give -o FILE.gpkg"}
		}
		if n, err = interchange.Export(ctx, st, q, *format, stdout, ""); err != nil {
			return err
		}
	} else if n, err = exportFile(ctx, st, q, *format, *out); err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(stderr, "wrote %d incidents to %s in %s\n", n, *out, time.Since(began).Round(time.Millisecond))
	}
	return nil
}

// exportFile writes to a temporary file beside path and renames it into
// place, so that a failed export never leaves a truncated file behind.
func exportFile(ctx context.Context, st store.Backend, q store.Query, format, path string) (int64, error) {
	dir := filepath.Dir(path)
	tmp, err := os.MkdirTemp(dir, ".incidentmap-export-")
	if err != nil {
		return 0, fmt.Errorf("exporting to %s: %w", path, err)
	}
	defer os.RemoveAll(tmp)
	part := filepath.Join(tmp, filepath.Base(path))
	var n int64
	if format == interchange.FormatGPKG {
		if n, err = interchange.ExportGPKGFile(ctx, st, q, part); err != nil {
			return 0, err
		}
	} else {
		f, err := os.Create(part)
		if err != nil {
			return 0, fmt.Errorf("exporting to %s: %w", path, err)
		}
		n, err = interchange.Export(ctx, st, q, format, f, tmp)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("exporting to %s: %w", path, cerr)
		}
		if err != nil {
			return 0, err
		}
	}
	if err := os.Rename(part, path); err != nil {
		return 0, fmt.Errorf("exporting to %s: %w", path, err)
	}
	return n, nil
}

// exportQuery builds the store query from the filter flags, by the rules
// of /api/incidents' parameters (store.ParseFilters), oldest first.
func exportQuery(bbox, start, end, eventTypes, countries, admin1, actor, text string, minFatalities int) (store.Query, error) {
	values := map[string]string{"bbox": bbox, "start": start, "end": end, "event_type": eventTypes,
		"country": countries, "admin1": admin1, "actor": actor, "q": text, "sort": "event_date"}
	if minFatalities >= 0 {
		values["min_fatalities"] = strconv.Itoa(minFatalities)
	}
	q, err := store.ParseFilters(func(name string) string { return values[name] })
	var fe *store.FilterError
	if errors.As(err, &fe) {
		return q, usageError{"--" + strings.ReplaceAll(fe.Filter, "_", "-") + ": " + fe.Reason}
	}
	return q, err
}
