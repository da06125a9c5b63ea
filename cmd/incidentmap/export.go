package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/interchange"
	"github.com/incidentmap/incidentmap/internal/store"
)

// runExport writes incidents as GeoJSON, CSV, KML or a GeoPackage.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export [--db FILE] --format geojson|csv|gpkg|kml [-o OUT] [filters]", stderr)
	dbPath := fs.String("db", defaultDB(), "GeoPackage database file (env INCIDENTMAP_DB)")
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
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("opening %s: %w", *dbPath, err)
	}
	st, err := store.Open(ctx, *dbPath)
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
func exportFile(ctx context.Context, st *store.Store, q store.Query, format, path string) (int64, error) {
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

// exportQuery builds the store query from the filter flags, with the same
// rules as /api/incidents' parameters.
func exportQuery(bbox, start, end, eventTypes, countries, admin1, actor, text string, minFatalities int) (store.Query, error) {
	var q store.Query
	if bbox != "" {
		b, err := geo.ParseBBox(bbox)
		if err != nil {
			return q, usageError{"--bbox: " + err.Error()}
		}
		q.BBox = &b
	}
	for _, d := range []struct {
		flag, v string
		dst     *string
	}{{"--start", start, &q.Start}, {"--end", end, &q.End}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(incident.DateLayout, d.v); err != nil || len(d.v) != 10 {
			return q, usageError{fmt.Sprintf("%s must be a date YYYY-MM-DD, not %q", d.flag, d.v)}
		}
		*d.dst = d.v
	}
	if eventTypes != "" {
		for _, t := range strings.Split(eventTypes, ",") {
			t = strings.TrimSpace(t)
			if _, ok := incident.SubEventTypes()[t]; !ok {
				return q, usageError{fmt.Sprintf("--event-type: %q is not an ACLED event type (%s)", t, strings.Join(incident.EventTypes(), ", "))}
			}
			q.EventTypes = append(q.EventTypes, t)
		}
	}
	if countries != "" {
		for _, c := range strings.Split(countries, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
				return q, usageError{fmt.Sprintf("--country: %q is not an ISO 3166-1 alpha-2 code such as AF", c)}
			}
			q.Countries = append(q.Countries, c)
		}
	}
	q.Admin1, q.Actor, q.Text = admin1, actor, text
	if minFatalities >= 0 {
		q.MinFatalities = &minFatalities
	}
	return q, nil
}
