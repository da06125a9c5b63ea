package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/interchange"
	"github.com/incidentmap/incidentmap/internal/store"
)

// runImport imports ACLED, UCDP GED, GeoJSON or plain CSV files.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "import [--db FILE] --format acled|ucdp|geojson|csv [--sync] [--dataset NAME] [--report FILE] FILE...", stderr)
	dbPath := fs.String("db", defaultDB(), dbHelp)
	format := fs.String("format", "", "input format: acled, ucdp, geojson or csv (plain CSV with lat/lon or a place-name column)")
	sync := fs.Bool("sync", false, "also delete incidents an earlier import of this dataset brought in that the file no longer has (one file only)")
	dataset := fs.String("dataset", "", `id prefix for plain CSV rows (default "csv"): name each CSV dataset so --sync removes only its rows`)
	batch := fs.Int("batch", interchange.BulkBatchSize, "incidents per transaction (an interrupted import loses at most the one in progress)")
	reportPath := fs.String("report", "", "write the report, with every rejected row however many, as JSON to this file")
	noGaz := fs.Bool("no-gazetteer", false, "skip the gazetteer: no place-name geocoding and no check that points lie in their country")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !slices.Contains(interchange.InputFormats(), *format) {
		return usageError{fmt.Sprintf("--format must be one of %s", strings.Join(interchange.InputFormats(), ", "))}
	}
	files := fs.Args()
	if len(files) == 0 {
		return usageError{"give the file(s) to import, or - for standard input"}
	}
	if *sync && len(files) > 1 {
		return usageError{"--sync takes one file holding the whole dataset: with several, each would delete the others' rows"}
	}
	if *batch < 1 {
		return usageError{"--batch must be at least 1"}
	}

	ctx = cliActor(ctx, "import")
	st, err := openBackend(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	var gaz *gazetteer.Gazetteer
	if !*noGaz {
		if gaz, err = openGazetteer(ctx, st); err != nil {
			return err
		}
	}
	var report *reportFile
	if *reportPath != "" {
		if report, err = createReport(*reportPath); err != nil {
			return err
		}
	}
	for _, name := range files {
		if err := importFile(ctx, st, gaz, name, *format, *dataset, *batch, *sync, report, stdout, stderr); err != nil {
			if report != nil {
				report.close() // what was imported before the error is reported
			}
			return fmt.Errorf("importing %s: %w", name, err)
		}
	}
	if report != nil {
		return report.close()
	}
	return nil
}

// importFile imports one file, prints its summary, its rejections per reason
// and the first ones, and writes all of them to the report when there is one.
func importFile(ctx context.Context, st store.Backend, gaz *gazetteer.Gazetteer, name, format, dataset string, batch int, sync bool, report *reportFile, stdout, stderr io.Writer) error {
	var r io.Reader = os.Stdin
	var size int64
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		r = f
	}
	counter := &countingReader{r: r}
	src, err := interchange.NewReader(format, counter, interchange.ReaderOptions{Gazetteer: gaz, Dataset: dataset})
	if err != nil {
		return err
	}
	im := interchange.NewImporter(st)
	im.BatchSize = batch
	im.Sync = sync
	if report != nil {
		if err := report.begin(name); err != nil {
			return err
		}
		im.OnReject = report.reject
	}
	start := time.Now()
	var bar *progressBar
	if isTerminal(stderr) {
		bar = newProgressBar(stderr, name, size)
		im.Progress = func(records int) { bar.update(records, counter.n.Load()) }
	}
	rep, err := im.Import(ctx, src)
	if bar != nil {
		bar.done()
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "%s: read %d records in %s (%.0f/s): %d inserted, %d updated, %d merged into the incident of an earlier row (more actors), %d exact duplicates skipped, %d rejected",
		name, rep.Read, took.Round(time.Millisecond), float64(rep.Read)/max(took.Seconds(), 1e-9), rep.Inserted, rep.Updated, rep.Merged, rep.Duplicates, rep.Rejected)
	if sync {
		fmt.Fprintf(stdout, ", %d deleted (gone upstream)", rep.Deleted)
	}
	fmt.Fprintln(stdout)
	printReasons(stdout, rep)
	const show = 20
	for i, e := range rep.Rejections {
		if i == show {
			more := "--report FILE lists them all"
			if report != nil {
				more = "the report lists them all"
			}
			fmt.Fprintf(stderr, "... and %d more rejected rows (%s)\n", rep.Rejected-show, more)
			break
		}
		fmt.Fprintf(stderr, "%s:%s\n", name, e.Error())
	}
	if report != nil {
		if rerr := report.end(rep); rerr != nil && err == nil {
			err = rerr
		}
	}
	return err
}
