package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/paulmach/orb"

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

// articleOf turns a corpus line into an article the way a user's upload is
// read: a "date YYYY-MM-DD" header in the text wins, else "published".
func articleOf(a eval.IncidentArticle) (extract.Article, error) {
	art := extract.Article{Text: a.Text, Title: a.Title}
	if a.URL != nil {
		art.URL = *a.URL
	}
	opt := extract.ReadOptions{}
	if a.Published != nil {
		opt.Published = *a.Published
	}
	arts, err := extract.ParseArticles([]byte(a.Text), opt)
	if err != nil {
		return extract.Article{}, err
	}
	art.Text, art.Published = arts[0].Text, arts[0].Published
	return art, nil
}

func evalIncidents(ctx context.Context, ex *extract.Extractor, arts []eval.IncidentArticle, verbose bool, w io.Writer) error {
	var total eval.IncidentScore
	start := time.Now()
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		art, err := articleOf(a)
		if err != nil {
			return fmt.Errorf("article %s: %w", a.ID, err)
		}
		res, err := ex.Extract(art)
		if err != nil {
			return fmt.Errorf("article %s: %w", a.ID, err)
		}
		s := eval.ScoreArticle(a.Incidents, res.Incidents)
		total.Add(s)
		if verbose {
			printArticle(w, a, res, s)
		}
	}
	if err := total.Report(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "time                  %s\n", time.Since(start).Round(time.Millisecond))
	return err
}

func printArticle(w io.Writer, a eval.IncidentArticle, res extract.Result, s eval.IncidentScore) {
	fmt.Fprintf(w, "== %s  located %d/%d  predicted %d  %s\n", a.ID, s.Located, s.Gold, s.Predicted, res.Reason)
	for _, g := range a.Incidents {
		d := "-"
		if g.Date != nil {
			d = *g.Date
		}
		f := "-"
		if g.Fatalities != nil {
			f = fmt.Sprint(*g.Fatalities)
		}
		fmt.Fprintf(w, "  gold %-28.28s %s/%s %s %s fat=%s %s\n", g.Place, g.Country, g.Admin1, g.Precision, d, f, eval.EventType(g.EventType))
	}
	for _, p := range res.Incidents {
		fmt.Fprintf(w, "  pred %-28.28s %s/%s prec=%d %s fat=%s %s/%s conf=%.2f\n", p.Location, p.Country, p.Admin1, p.GeoPrecision,
			p.EventDate, intStr(p.Fatalities), p.EventType, p.SubEventType, deref(p.Confidence))
		fmt.Fprintf(w, "       evidence: %.150s\n", p.Sources[0].Evidence)
	}
}

func intStr(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
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
			printToponyms(w, a, ms)
		}
	}
	if err := total.Report(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "time               %s\n", time.Since(start).Round(time.Millisecond))
	return err
}

// printToponyms lists gold mentions missed or badly resolved and predicted
// mentions matching no gold one, for error analysis.
func printToponyms(w io.Writer, a eval.ToponymArticle, ms []extract.Mention) {
	fmt.Fprintf(w, "== %s\n", a.ID)
	used := make([]bool, len(ms))
	for _, g := range a.Toponyms {
		hit := -1
		for i, m := range ms {
			if !used[i] && m.Start < g.End && m.End > g.Start {
				hit = i
				used[i] = true
				break
			}
		}
		if hit < 0 {
			fmt.Fprintf(w, "  MISS %q (%s)\n", g.Name, g.FCode)
			continue
		}
		m := ms[hit]
		if m.Place == nil {
			fmt.Fprintf(w, "  UNRESOLVED %q\n", g.Name)
			continue
		}
		km := eval.DistanceKm(pointOf(g.Lon, g.Lat), pointOf(m.Place.Lon, m.Place.Lat))
		if km > 161 {
			fmt.Fprintf(w, "  FAR %q -> %s %s/%s (%s) %.0f km; gold %s %s\n", g.Name, m.Place.Name, m.Place.Country, m.Place.Admin1, m.Place.Level, km, g.FCode, g.Name)
		}
	}
	for i, m := range ms {
		if !used[i] {
			fmt.Fprintf(w, "  EXTRA %q %s\n", m.Text, m.Kind)
		}
	}
}

func pointOf(lon, lat float64) orb.Point { return orb.Point{lon, lat} }
