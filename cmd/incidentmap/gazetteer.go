package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/store"
)

// runGazetteer is "incidentmap gazetteer lookup|import".
func runGazetteer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, `Usage: incidentmap gazetteer <lookup|import> [flags]

  lookup NAME   rank the places NAME may refer to
  import FILE…  load GeoNames dumps (allCountries.txt/.zip, XX.txt/.zip, citiesNNN.txt,
                admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt) into the database

Run "incidentmap gazetteer <lookup|import> --help" for flags.`)
	}
	if len(args) == 0 {
		usage(stderr)
		return usageError{"gazetteer needs a subcommand: lookup or import"}
	}
	switch args[0] {
	case "lookup":
		return runGazetteerLookup(ctx, args[1:], stdout, stderr)
	case "import":
		return runGazetteerImport(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return usageError{fmt.Sprintf("unknown gazetteer subcommand %q", args[0])}
}

func runGazetteerLookup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gazetteer lookup", `gazetteer lookup [--country CC] [--admin1 NAME] [--level LEVEL] [--near LON,LAT] [--limit N] [--json] [--db FILE] NAME`, stderr)
	country := fs.String("country", "", "prefer places in this country (ISO 3166-1 alpha-2, e.g. AF)")
	admin1 := fs.String("admin1", "", "prefer places in this first-level division (name or GeoNames code)")
	level := fs.String("level", "", "prefer this level: country, admin1, admin2, place or region")
	near := fs.String("near", "", "prefer places near this point, \"lon,lat\"")
	limit := fs.Int("limit", 5, "how many candidates to show")
	asJSON := fs.Bool("json", false, "print candidates as JSON lines")
	dbPath := fs.String("db", defaultDB(), "database whose imported GeoNames dump to use, when the file exists (env INCIDENTMAP_DB); built-in data otherwise")
	if err := parseFlags(fs, interleaved(args)); err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if name == "" {
		fs.Usage()
		return usageError{"lookup needs a place name"}
	}
	var h gazetteer.Hints
	if *country != "" {
		if len(*country) != 2 {
			return usageError{fmt.Sprintf("--country: want a two-letter ISO code such as AF, not %q", *country)}
		}
		h.Country = strings.ToUpper(*country)
	}
	h.Admin1 = *admin1
	lvl, ok := gazetteer.ParseLevel(*level)
	if !ok {
		return usageError{fmt.Sprintf("--level: want country, admin1, admin2, place or region, not %q", *level)}
	}
	h.Level = lvl
	if *near != "" {
		var lon, lat float64
		if _, err := fmt.Sscanf(*near, "%g,%g", &lon, &lat); err != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return usageError{fmt.Sprintf("--near: want \"lon,lat\" in degrees, not %q", *near)}
		}
		h.Near = &orb.Point{lon, lat}
	}
	if *limit < 1 {
		return usageError{"--limit: want 1 or more"}
	}
	gaz, closeDB, err := openGazetteerFile(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeDB()
	cands, err := gaz.Lookup(name, h)
	if errors.Is(err, gazetteer.ErrEmptyName) {
		return usageError{fmt.Sprintf("%q has no letters or digits to look up", name)}
	}
	if err != nil {
		return err
	}
	if len(cands) > *limit {
		cands = cands[:*limit]
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for i, c := range cands {
			p := c.Place
			if err := enc.Encode(map[string]any{
				"rank": i + 1, "id": p.ID, "name": p.Name, "level": p.Level.String(), "feature_code": p.FeatureCode,
				"country": p.Country, "admin1": p.Admin1, "admin2": p.Admin2, "lon": p.Point[0], "lat": p.Point[1],
				"population": p.Population, "coord_source": p.CoordSource, "score": c.Score, "match": c.Match.String(),
				"reason": c.Reason,
			}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(cands) == 0 {
		fmt.Fprintf(stdout, "no place called %q\n", name)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tID\tNAME\tLEVEL\tIN\tLAT\tLON\tSCORE\tWHY")
	for i, c := range cands {
		p := c.Place
		in := strings.Join(nonEmpty(p.Admin2, p.Admin1, p.Country), ", ")
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%.5f\t%.5f\t%.2f\t%s\n", i+1, p.ID, p.Name, p.Level, in, p.Point[1], p.Point[0], c.Score, c.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\n"+gazetteer.Attribution)
	return nil
}

func runGazetteerImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gazetteer import", "gazetteer import [--db FILE] [--keep-valid] FILE...", stderr)
	dbPath := fs.String("db", defaultDB(), "GeoPackage database file, created if missing (env INCIDENTMAP_DB)")
	keepValid := fs.Bool("keep-valid", false, "skip malformed lines (reporting the first ones) instead of failing")
	if err := parseFlags(fs, interleaved(args)); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"import needs at least one GeoNames file"}
	}
	st, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := gazetteer.ImportOptions{KeepValid: *keepValid}
	var bar *progressBar
	if isTerminal(stderr) {
		opts.Progress = func(file string, read, size, rows int64) {
			if bar == nil || bar.name != file {
				if bar != nil {
					bar.done()
				}
				bar = newProgressBar(stderr, file, size)
			}
			bar.update(int(rows), read)
		}
	}
	stats, err := gazetteer.Import(ctx, st.DB(), fs.Args(), opts)
	if bar != nil {
		bar.done()
	}
	if err != nil {
		return err
	}
	for _, e := range stats.Errors {
		fmt.Fprintln(stderr, "skipped:", e)
	}
	rate := float64(stats.Rows) / max(stats.Duration.Seconds(), 1e-9)
	fmt.Fprintf(stdout, "imported %d places and admin areas (%d name keys, %d admin codes, %d countries) from %d rows in %s (%.0f rows/s) into %s",
		stats.Places, stats.Names, stats.Admin, stats.Country, stats.Rows, stats.Duration.Round(time.Millisecond), rate, *dbPath)
	if stats.Skipped > 0 {
		fmt.Fprintf(stdout, "; %d other features skipped", stats.Skipped)
	}
	if stats.Invalid > 0 {
		fmt.Fprintf(stdout, "; %d malformed lines skipped", stats.Invalid)
	}
	fmt.Fprintln(stdout)
	return nil
}

// openGazetteerFile loads the built-in gazetteer, with the GeoNames data
// imported into dbPath when that file exists (a lookup never creates a
// database).
func openGazetteerFile(ctx context.Context, dbPath string) (*gazetteer.Gazetteer, func(), error) {
	if _, err := os.Stat(dbPath); dbPath == "" || err != nil {
		g, err := gazetteer.Builtin()
		return g, func() {}, err
	}
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return nil, nil, err
	}
	g, err := openGazetteer(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return g, func() { st.Close() }, nil
}

// interleaved moves flags after positional arguments to the front, so
// `lookup "Musa Qala" --country AF` works as well as the flag-first order
// Go's flag package expects.
func interleaved(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && !isBoolFlag(a) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func isBoolFlag(a string) bool {
	switch strings.TrimLeft(a, "-") {
	case "json", "keep-valid", "help", "h":
		return true
	}
	return false
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
