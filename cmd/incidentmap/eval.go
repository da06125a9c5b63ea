package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/eval"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/extract/learn"
)

// evalOptions are the eval command's flags.
type evalOptions struct {
	toponyms, eventLocation, verbose bool
	by                               string // gold fields to slice by
	subset                           string // gold field whose non-empty values make the reported subset
	dump                             string // per-article JSON lines file
	baseline                         string // committed figures to check against
	writeBaseline                    bool
	crossValidate                    int    // folds of the held-out pipeline score, 0 for none
	eventSentences                   string // event-location sentences for the ranker's training
}

// runEval scores extraction on a labelled corpus.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "eval [--toponyms | --event-location] [--by FIELDS] [--dump FILE] [--baseline FILE [--write-baseline]] FILE.jsonl", stderr)
	var o evalOptions
	fs.BoolVar(&o.toponyms, "toponyms", false, "score place mentions (TR-News format: text, toponyms) instead of incidents")
	fs.BoolVar(&o.eventLocation, "event-location", false, "score the event's place of single sentences (event_location format: text, event_locations)")
	fs.BoolVar(&o.verbose, "verbose", false, "print each article's gold and predicted answers")
	fs.StringVar(&o.by, "by", "", "also report the scores sliced by these gold fields, comma-separated (country,event_type,geo_precision,...)")
	fs.StringVar(&o.subset, "subset", "place_in_text", "also report the scores over gold incidents whose `FIELD` is not empty, when the corpus has it")
	fs.StringVar(&o.dump, "dump", "", "write one JSON line per article or sentence to `FILE`: gold, outcome, predictions with the rules that decided them, mentions, reason (with --toponyms, each gold toponym's outcome and the extra mentions); with --cross-validate, as each held-out fold read it")
	fs.StringVar(&o.baseline, "baseline", "", "fail when a figure falls more than 2 points below the committed figures in `FILE`")
	fs.BoolVar(&o.writeBaseline, "write-baseline", false, "write today's figures to the --baseline file instead of checking them")
	fs.IntVar(&o.crossValidate, "cross-validate", 0, "score the whole pipeline on held-out folds: train every learned part on the other `K`-1 folds of the corpus")
	fs.StringVar(&o.eventSentences, "event-sentences", "", "event-location sentences for the ranker when cross-validating (default: event_location_dev.jsonl beside the corpus)")
	fs.String("db", defaultDB(), "unused: eval uses the built-in gazetteer so that scores are reproducible")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"eval needs exactly one corpus file"}
	}
	if o.writeBaseline && o.baseline == "" {
		return usageError{"--write-baseline needs --baseline FILE"}
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
	ex := extract.New(gaz).WithClock(eval.ExtractionDay)
	var got eval.Baseline
	switch {
	case o.toponyms:
		arts, err := eval.ReadToponymCorpus(f)
		if err != nil {
			return fmt.Errorf("reading %s: %w", fs.Arg(0), err)
		}
		if got, err = evalToponyms(ctx, ex, arts, o, stdout); err != nil {
			return err
		}
	case o.eventLocation:
		sents, err := eval.ReadEventLocationCorpus(f)
		if err != nil {
			return fmt.Errorf("reading %s: %w", fs.Arg(0), err)
		}
		if o.crossValidate > 1 {
			got, err = crossValidateEventPlaces(ctx, gaz, sents, fs.Arg(0), o, stdout)
		} else {
			got, err = evalEventLocations(ctx, ex, sents, o.dump, stdout)
		}
		if err != nil {
			return err
		}
	case o.crossValidate > 1:
		arts, err := eval.ReadIncidentCorpus(f)
		if err != nil {
			return fmt.Errorf("reading %s: %w", fs.Arg(0), err)
		}
		if got, err = crossValidate(ctx, gaz, arts, fs.Arg(0), o, stdout); err != nil {
			return err
		}
	default:
		arts, err := eval.ReadIncidentCorpus(f)
		if err != nil {
			return fmt.Errorf("reading %s: %w", fs.Arg(0), err)
		}
		if got, err = evalIncidents(ctx, ex, arts, o, stdout); err != nil {
			return err
		}
	}
	return checkBaseline(o, fs.Arg(0), args, got, stdout)
}

// checkBaseline writes or checks the committed figures.
func checkBaseline(o evalOptions, corpus string, args []string, got eval.Baseline, w io.Writer) error {
	if o.baseline == "" {
		return nil
	}
	got.Corpus = corpus[strings.LastIndex(corpus, "/")+1:]
	// The command that checks these figures, as make eval runs it.
	var words []string
	for _, a := range args {
		switch {
		case a == "--write-baseline" || a == "-write-baseline":
		case a == corpus:
			words = append(words, "../shared/corpus/"+got.Corpus)
		default:
			words = append(words, a)
		}
	}
	got.Command = "incidentmap eval " + strings.Join(words, " ")
	if o.writeBaseline {
		return eval.WriteBaseline(o.baseline, got)
	}
	base, err := eval.ReadBaseline(o.baseline)
	if err != nil {
		return err
	}
	return eval.CheckBaseline(w, base, got)
}

func evalIncidents(ctx context.Context, ex *extract.Extractor, arts []eval.IncidentArticle, o evalOptions, w io.Writer) (eval.Baseline, error) {
	var total eval.IncidentScore
	var slices *eval.Slices
	if o.by != "" {
		slices = eval.NewSlices(strings.Split(o.by, ","))
	}
	subset := eval.NewSlices([]string{o.subset})
	dump, err := createDump(o.dump)
	if err != nil {
		return eval.Baseline{}, err
	}
	defer dump.close()
	start := time.Now()
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return eval.Baseline{}, err
		}
		art, err := a.Article()
		if err != nil {
			return eval.Baseline{}, err
		}
		res, err := ex.Extract(art)
		if err != nil {
			return eval.Baseline{}, fmt.Errorf("extracting article %s: %w", a.ID, err)
		}
		outcomes := eval.Pair(a.Incidents, res.Incidents)
		s := eval.ScoreArticle(a.Incidents, res.Incidents)
		total.Add(s)
		subset.Add(a.Incidents, res.Incidents, outcomes)
		if slices != nil {
			slices.Add(a.Incidents, res.Incidents, outcomes)
		}
		if o.verbose {
			eval.WriteIncidents(w, a, res, s)
		}
		if err := dump.write(eval.NewDumpRecord(a, art, res, outcomes)); err != nil {
			return eval.Baseline{}, err
		}
	}
	if err := dump.close(); err != nil {
		return eval.Baseline{}, err
	}
	if err := total.Report(w); err != nil {
		return eval.Baseline{}, err
	}
	fmt.Fprintf(w, "time                  %s\n", time.Since(start).Round(time.Millisecond))
	got := eval.Baseline{Metrics: total.Metrics()}
	if named, ok := subsetScore(subset); ok {
		fmt.Fprintf(w, "\nwhere %s is not empty:\n", o.subset)
		if err := named.Report(w); err != nil {
			return got, err
		}
		got.Slices = map[string]map[string]float64{o.subset + " not empty": named.Metrics()}
	}
	if slices != nil {
		fmt.Fprintln(w)
		if err := slices.Report(w); err != nil {
			return got, err
		}
	}
	return got, nil
}

// subsetScore adds up the subset slices whose value is not empty; false when
// no gold incident has a value.
func subsetScore(sl *eval.Slices) (eval.IncidentScore, bool) {
	var out eval.IncidentScore
	ok := false
	for k, s := range sl.Scores {
		if k != "-" {
			out.Add(*s)
			ok = true
		}
	}
	return out, ok
}

func evalToponyms(ctx context.Context, ex *extract.Extractor, arts []eval.ToponymArticle, o evalOptions, w io.Writer) (eval.Baseline, error) {
	var total eval.ToponymScore
	dump, err := createDump(o.dump)
	if err != nil {
		return eval.Baseline{}, err
	}
	defer dump.close()
	start := time.Now()
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return eval.Baseline{}, err
		}
		ms := ex.Geoparse(a.Text)
		s := eval.ScoreToponyms(a.Toponyms, eval.PredictedToponyms(ms))
		total.Add(s)
		if o.verbose {
			eval.WriteToponymErrors(w, a, ms)
		}
		if err := dump.write(eval.NewToponymDumpRecord(a, ms)); err != nil {
			return eval.Baseline{}, err
		}
	}
	if err := dump.close(); err != nil {
		return eval.Baseline{}, err
	}
	if err := total.Report(w); err != nil {
		return eval.Baseline{}, err
	}
	_, err = fmt.Fprintf(w, "time               %s\n", time.Since(start).Round(time.Millisecond))
	return eval.Baseline{Metrics: total.Metrics()}, err
}

// evalEventLocations extracts each sentence alone and scores whether its
// incident is placed at the event's labelled place.
func evalEventLocations(ctx context.Context, ex *extract.Extractor, sents []eval.EventSentence, dumpPath string, w io.Writer) (eval.Baseline, error) {
	var s eval.EventLocationScore
	dump, err := createDump(dumpPath)
	if err != nil {
		return eval.Baseline{}, err
	}
	defer dump.close()
	start := time.Now()
	for _, e := range sents {
		if err := ctx.Err(); err != nil {
			return eval.Baseline{}, err
		}
		res, err := ex.Extract(extract.Article{Text: e.Text})
		if err != nil {
			return eval.Baseline{}, fmt.Errorf("extracting sentence %s: %w", e.ID, err)
		}
		if err := dump.write(eval.NewEventDumpRecord(e, res, s.ScoreEventSentence(e, res))); err != nil {
			return eval.Baseline{}, err
		}
	}
	if err := dump.close(); err != nil {
		return eval.Baseline{}, err
	}
	if err := s.Report(w); err != nil {
		return eval.Baseline{}, err
	}
	_, err = fmt.Fprintf(w, "time                            %s\n", time.Since(start).Round(time.Millisecond))
	return eval.Baseline{Metrics: s.Metrics()}, err
}

// crossValidate prints the held-out score of the whole pipeline, fold by
// fold and pooled, and returns the pooled figures.
func crossValidate(ctx context.Context, gaz *gazetteer.Gazetteer, arts []eval.IncidentArticle, corpus string, o evalOptions, w io.Writer) (eval.Baseline, error) {
	path := o.eventSentences
	if path == "" {
		path = filepath.Join(filepath.Dir(corpus), "event_location_dev.jsonl")
	}
	sents, err := readCorpusFile(path, eval.ReadEventLocationCorpus)
	if err != nil {
		return eval.Baseline{}, err
	}
	if err := ctx.Err(); err != nil {
		return eval.Baseline{}, err
	}
	dump, err := createDump(o.dump)
	if err != nil {
		return eval.Baseline{}, err
	}
	defer dump.close()
	folds, err := learn.CrossValidatePipeline(arts, sents, gaz, o.crossValidate,
		func(a eval.IncidentArticle, art extract.Article, res extract.Result) error {
			return dump.write(eval.NewDumpRecord(a, art, res, eval.Pair(a.Incidents, res.Incidents)))
		})
	if err != nil {
		return eval.Baseline{}, err
	}
	if err := dump.close(); err != nil {
		return eval.Baseline{}, err
	}
	var total, subset eval.IncidentScore
	for i, fs := range folds {
		total.Add(fs.Total)
		subset.Add(fs.Subset)
		m := fs.Subset.Metrics()
		fmt.Fprintf(w, "fold %d (%s not empty): located %.1f%%  date %.1f%%  fatalities %.1f%%  type %.1f%%  recall %.1f%%\n",
			i+1, o.subset, m["located"], m["date_exact"], m["fatalities_exact"], m["event_type"], m["recall"])
	}
	fmt.Fprintf(w, "\nheld out, all %d folds pooled:\n", len(folds))
	if err := total.Report(w); err != nil {
		return eval.Baseline{}, err
	}
	fmt.Fprintf(w, "\nheld out, where %s is not empty:\n", o.subset)
	got := eval.Baseline{Metrics: total.Metrics(), Slices: map[string]map[string]float64{o.subset + " not empty": subset.Metrics()}}
	return got, subset.Report(w)
}

// crossValidateEventPlaces prints the held-out event-place score: each
// fold of the sentences ranked by a ranker that never saw it, trained
// beside the ACLED notes next to the sentences.
func crossValidateEventPlaces(ctx context.Context, gaz *gazetteer.Gazetteer, sents []eval.EventSentence, corpus string, o evalOptions, w io.Writer) (eval.Baseline, error) {
	notes, err := readCorpusFile(filepath.Join(filepath.Dir(corpus), "acled_dev.jsonl"), eval.ReadIncidentCorpus)
	if err != nil {
		return eval.Baseline{}, err
	}
	if err := ctx.Err(); err != nil {
		return eval.Baseline{}, err
	}
	dump, err := createDump(o.dump)
	if err != nil {
		return eval.Baseline{}, err
	}
	defer dump.close()
	s, err := learn.CrossValidateEventPlaces(notes, sents, gaz, o.crossValidate,
		func(e eval.EventSentence, res extract.Result, outcome eval.EventOutcome) error {
			return dump.write(eval.NewEventDumpRecord(e, res, outcome))
		})
	if err != nil {
		return eval.Baseline{}, err
	}
	if err := dump.close(); err != nil {
		return eval.Baseline{}, err
	}
	fmt.Fprintf(w, "held out, %d folds of the sentences pooled:\n", o.crossValidate)
	return eval.Baseline{Metrics: s.Metrics()}, s.Report(w)
}

// readCorpusFile reads the corpus at path with read: the training corpus
// a cross-validation needs beside the one it scores.
func readCorpusFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("reading %s: %w", path, err)
	}
	return v, nil
}

// dumpFile writes the per-article dump, one JSON line per record. One
// made for no path (no --dump) writes nothing.
type dumpFile struct {
	f   *os.File
	bw  *bufio.Writer
	enc *json.Encoder
}

func createDump(path string) (*dumpFile, error) {
	if path == "" {
		return &dumpFile{}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating dump: %w", err)
	}
	bw := bufio.NewWriter(f)
	return &dumpFile{f: f, bw: bw, enc: json.NewEncoder(bw)}, nil
}

func (d *dumpFile) write(v any) error {
	if d.enc == nil {
		return nil
	}
	if err := d.enc.Encode(v); err != nil {
		return fmt.Errorf("writing dump: %w", err)
	}
	return nil
}

// close flushes and closes the file; later calls do nothing.
func (d *dumpFile) close() error {
	if d.f == nil {
		return nil
	}
	err := d.bw.Flush()
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	d.f = nil
	if err != nil {
		return fmt.Errorf("writing dump: %w", err)
	}
	return nil
}
