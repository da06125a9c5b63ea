package interchange

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Output formats, besides FormatGeoJSON and FormatCSV.
const (
	FormatGPKG = "gpkg"
	FormatKML  = "kml"
)

// OutputFormats lists the formats Export writes.
func OutputFormats() []string { return []string{FormatGeoJSON, FormatCSV, FormatGPKG, FormatKML} }

// ContentType returns the media type of an output format, and false for an
// unknown one.
func ContentType(format string) (string, bool) {
	switch format {
	case FormatGeoJSON:
		return "application/geo+json", true
	case FormatCSV:
		return "text/csv; charset=utf-8", true
	case FormatGPKG:
		return "application/geopackage+sqlite3", true
	case FormatKML:
		return "application/vnd.google-earth.kml+xml", true
	}
	return "", false
}

// Extension returns the file name extension of an output format.
func Extension(format string) string {
	if format == FormatGeoJSON {
		return ".geojson"
	}
	return "." + format
}

// ErrFormat is returned by Export for an unknown format.
var ErrFormat = errors.New("unknown format")

// Export writes the incidents of st matching q to w in format and returns
// how many it wrote. GeoJSON, CSV and KML stream in query order through a
// fixed-size buffer, so memory stays flat however many incidents match;
// q.Limit 0 exports all of them. A GeoPackage is a snapshot of the database
// (see store.Snapshot) written to a temporary file in tmpDir ("" for the
// system's) and then copied to w.
func Export(ctx context.Context, st store.Backend, q store.Query, format string, w io.Writer, tmpDir string) (int64, error) {
	var enc encoder
	switch format {
	case FormatGeoJSON:
		enc = &geojsonEncoder{}
	case FormatCSV:
		enc = &csvEncoder{}
	case FormatKML:
		enc = &kmlEncoder{}
	case FormatGPKG:
		return exportGPKG(ctx, st, q, w, tmpDir)
	default:
		return 0, fmt.Errorf("%w %q (want geojson, csv, gpkg or kml)", ErrFormat, format)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := enc.begin(bw); err != nil {
		return 0, fmt.Errorf("writing %s: %w", format, err)
	}
	var n int64
	cursor := q.Cursor
	for {
		q.Cursor = cursor
		next, err := st.Query(ctx, q, func(in *incident.Incident) error {
			n++
			return enc.write(bw, in)
		})
		if err != nil {
			return n, fmt.Errorf("exporting %s: %w", format, err)
		}
		// A query with a limit pages; an export with Limit 0 has one page.
		if next == "" || q.Limit > 0 {
			break
		}
		cursor = next
	}
	if err := enc.end(bw); err != nil {
		return n, fmt.Errorf("writing %s: %w", format, err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("writing %s: %w", format, err)
	}
	return n, nil
}

// encoder writes one streamed output format.
type encoder interface {
	begin(w *bufio.Writer) error
	write(w *bufio.Writer, in *incident.Incident) error
	end(w *bufio.Writer) error
}

// exportGPKG snapshots the matching incidents to a temporary file and
// copies it to w.
func exportGPKG(ctx context.Context, st store.Backend, q store.Query, w io.Writer, tmpDir string) (int64, error) {
	dir, err := os.MkdirTemp(tmpDir, "incidentmap-export-")
	if err != nil {
		return 0, fmt.Errorf("exporting gpkg: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "incidents.gpkg")
	if err := st.Snapshot(ctx, path, q); err != nil {
		return 0, fmt.Errorf("exporting gpkg: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("exporting gpkg: %w", err)
	}
	defer f.Close()
	// The copy goes on from the open file alone: the name is gone from the
	// temporary directory at once, and the space with the last close, so a
	// slow reader leaves nothing behind.
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("exporting gpkg: %w", err)
	}
	if _, err := io.Copy(w, f); err != nil {
		return 0, fmt.Errorf("exporting gpkg: %w", err)
	}
	q.Cursor, q.Limit = "", 0
	n, err := st.Count(ctx, q)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ExportGPKGFile writes a GeoPackage snapshot straight to path (which must
// not exist), without a temporary copy, and returns how many incidents it
// holds.
func ExportGPKGFile(ctx context.Context, st store.Backend, q store.Query, path string) (int64, error) {
	if err := st.Snapshot(ctx, path, q); err != nil {
		return 0, fmt.Errorf("exporting gpkg: %w", err)
	}
	q.Cursor, q.Limit = "", 0
	return st.Count(ctx, q)
}
