package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/eval"
	"github.com/incidentmap/incidentmap/internal/extract"
)

// runEval scores extraction on a labelled corpus.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "eval [--toponyms] [--verbose] FILE.jsonl", stderr)
	toponyms := fs.Bool("toponyms", false, "score place mentions (TR-News format: text, toponyms) instead of incidents")
	verbose := fs.Bool("verbose", false, "print each article's gold and predicted answers")
	fs.String("db", defaultDB(), "unused: eval uses the built-in gazetteer so that scores are reproducible")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"eval needs exactly one corpus file"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("opening corpus: %w", err)
	}
	defer f.Close()
	gaz, err := gazetteer.Builtin()
	if err != nil {
		return fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	ex := extract.New(gaz)
	if *toponyms {
		arts, err := eval.ReadToponymCorpus(f)
		if err != nil {
			return fmt.Errorf("reading %s: %w", fs.Arg(0), err)
		}
		return evalToponyms(ctx, ex, arts, *verbose, stdout)
	}
	arts, err := eval.ReadIncidentCorpus(f)
	if err != nil {
		return fmt.Errorf("reading %s: %w", fs.Arg(0), err)
	}
	return evalIncidents(ctx, ex, arts, *verbose, stdout)
}

func evalIncidents(ctx context.Context, ex *extract.Extractor, arts []eval.IncidentArticle, verbose bool, w io.Writer) error {
	var total eval.IncidentScore
	start := time.Now()
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		art, err := a.Article()
		if err != nil {
			return err
		}
		res, err := ex.Extract(art)
		if err != nil {
			return fmt.Errorf("extracting article %s: %w", a.ID, err)
		}
		s := eval.ScoreArticle(a.Incidents, res.Incidents)
		total.Add(s)
		if verbose {
			eval.WriteIncidents(w, a, res, s)
		}
	}
	if err := total.Report(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "time                  %s\n", time.Since(start).Round(time.Millisecond))
	return err
}

func evalToponyms(ctx context.Context, ex *extract.Extractor, arts []eval.ToponymArticle, verbose bool, w io.Writer) error {
	var total eval.ToponymScore
	start := time.Now()
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		ms := ex.Geoparse(a.Text)
		s := eval.ScoreToponyms(a.Toponyms, eval.PredictedToponyms(ms))
		total.Add(s)
		if verbose {
			eval.WriteToponymErrors(w, a, ms)
		}
	}
	if err := total.Report(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "time               %s\n", time.Since(start).Round(time.Millisecond))
	return err
}
