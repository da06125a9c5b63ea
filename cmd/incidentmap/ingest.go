package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
)

// runIngest extracts the incidents of articles and stores them.
func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ingest", "ingest [--db FILE] [--published YYYY-MM-DD] FILE... | -", stderr)
	dbPath := fs.String("db", defaultDB(), dbHelp)
	published := fs.String("published", "", "publication date for articles that carry none (YYYY-MM-DD)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"ingest needs at least one file, or - for standard input"}
	}
	var arts []extract.Article
	for _, name := range fs.Args() {
		as, err := readArticleFile(name, *published)
		if err != nil {
			return err
		}
		arts = append(arts, as...)
	}
	ctx = cliActor(ctx, "ingest")
	st, ex, err := openExtractor(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	ing := ingest.New(st, ex)
	type feature struct {
		incident.Feature
		Status ingest.Status `json:"status"`
	}
	out := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for i, a := range arts {
		res, err := ing.Ingest(ctx, a)
		if err != nil {
			return fmt.Errorf("article %d: %w", i+1, err)
		}
		news := 0
		for _, it := range res.Items {
			if it.Status == ingest.StatusNew {
				news++
			}
			out.Features = append(out.Features, feature{Feature: it.Incident.ToFeature(), Status: it.Status})
		}
		switch {
		case res.Duplicate:
			fmt.Fprintf(stderr, "article %d: ingested before; %d incidents\n", i+1, len(res.Items))
		case len(res.Items) == 0:
			fmt.Fprintf(stderr, "article %d: no incident: %s\n", i+1, res.Reason)
		default:
			fmt.Fprintf(stderr, "article %d: %d incidents (%d new)\n", i+1, len(res.Items), news)
		}
	}
	if err := newEncoder(stdout).Encode(out); err != nil {
		return fmt.Errorf("writing incidents: %w", err)
	}
	return nil
}

// openExtractor opens the database at dbPath and an extractor over its
// gazetteer, as the commands that read articles need; the caller closes
// the store.
func openExtractor(ctx context.Context, dbPath string) (store.Backend, *extract.Extractor, error) {
	st, err := openBackend(ctx, dbPath)
	if err != nil {
		return nil, nil, err
	}
	gaz, err := openGazetteer(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, extract.New(gaz), nil
}

// newEncoder writes indented JSON for people to read, leaving <, > and &
// as they are in article text.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc
}

// readArticleFile reads the articles of one file ("-" is standard input).
func readArticleFile(name, published string) ([]extract.Article, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("opening article: %w", err)
		}
		defer f.Close()
		r = f
	}
	arts, err := extract.ReadArticles(r, extract.ReadOptions{Published: published})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return arts, nil
}
