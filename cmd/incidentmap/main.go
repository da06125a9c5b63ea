// Command incidentmap maps incidents from news reports: it serves the map
// and the APIs, ingests articles, imports and exports datasets, and looks up
// places. Run "incidentmap help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the web map and the HTTP APIs", runServe},
		{"ingest", "extract incidents from news articles and store them", runIngest},
		{"feeds", "watch news feeds: add, list, remove, or poll them once", runFeeds},
		{"geoparse", "list every place mention in a text, resolved", runGeoparse},
		{"import", "import ACLED, UCDP, GeoJSON or CSV incidents", runImport},
		{"export", "export incidents as GeoJSON, CSV, GeoPackage or KML", runExport},
		{"gazetteer", "look up places, or import GeoNames dumps", runGazetteer},
		{"eval", "score extraction or geoparsing on hand-labelled articles", runEval},
		{"bench", "load-test the read APIs on generated incidents", runBench},
		{"keys", "add, list or revoke API keys", runKeys},
		{"audit", "show who changed which incident, when and how", runAudit},
		{"backup", "write an online, consistent copy of the database", runBackup},
		{"migrate", "copy a whole database between GeoPackage and PostgreSQL/PostGIS, resumably", runMigrate},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "incidentmap:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return usageError{"no subcommand given"}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return usageError{fmt.Sprintf("unknown subcommand %q", args[0])}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "incidentmap: map incidents from news reports.\n\nUsage: incidentmap <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"incidentmap <command> --help\" for a command's flags.")
}

// newFlags returns a flag set that prints its usage to stderr with a summary
// line, and returns flag.ErrHelp for --help.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: incidentmap %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// envOr returns the environment variable's value, or def when unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// defaultDB is the database every subcommand uses without --db.
func defaultDB() string { return envOr("INCIDENTMAP_DB", "incidentmap.gpkg") }

// dbHelp describes --db for the commands that work on either store.
const dbHelp = "database: a GeoPackage file, created if missing, or a postgres:// URL of a PostgreSQL database with PostGIS (env INCIDENTMAP_DB)"
