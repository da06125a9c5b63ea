package main

import (
	"context"
	"fmt"
	"io"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// runGeoparse prints every place mention of a text with its resolved place.
func runGeoparse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("geoparse", "geoparse [--db FILE] FILE | -", stderr)
	dbPath := fs.String("db", defaultDB(), "GeoPackage database file, for an imported gazetteer (env INCIDENTMAP_DB)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"geoparse needs one file, or - for standard input"}
	}
	arts, err := readArticleFile(fs.Arg(0), "")
	if err != nil {
		return err
	}
	st, ex, err := openExtractor(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	type doc struct {
		Mentions []extract.Mention `json:"mentions"`
		Count    int               `json:"count"`
	}
	enc := newEncoder(stdout)
	for _, a := range arts {
		ms := ex.Geoparse(a.Text)
		if ms == nil {
			ms = []extract.Mention{}
		}
		if err := enc.Encode(doc{Mentions: ms, Count: len(ms)}); err != nil {
			return fmt.Errorf("writing mentions: %w", err)
		}
	}
	return nil
}
