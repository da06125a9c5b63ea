package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
)

// runFeeds manages the watched feeds, and polls them once for cron users.
func runFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("feeds", "feeds add URL [--every 15m] [--country XX] | feeds list | feeds remove URL | feeds poll --once  [--db FILE]", stderr)
	dbPath := fs.String("db", defaultDB(), dbHelp)
	every := fs.Duration("every", feed.DefaultEvery, fmt.Sprintf("how often to poll the feed (%s to %s)", feed.MinEvery, feed.MaxEvery))
	country := fs.String("country", "", "ISO alpha-2 code of the country the feed reports on; place names several countries share are read there")
	once := fs.Bool("once", false, "poll: every feed once, due or not, then exit")
	if len(args) == 0 {
		fs.Usage()
		return usageError{"feeds needs add, list, remove or poll"}
	}
	verb := args[0]
	var urls []string // flags may come before or after the URL
	for rest := args[1:]; ; rest = fs.Args()[1:] {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		urls = append(urls, fs.Arg(0))
	}
	want := map[string]int{"add": 1, "list": 0, "remove": 1, "poll": 0}
	if n, ok := want[verb]; !ok || len(urls) != n || (verb == "poll" && !*once) {
		fs.Usage()
		return usageError{fmt.Sprintf("feeds %s: wrong arguments", verb)}
	}
	st, err := openBackend(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	reg := feed.NewRegistry(st)
	enc := newEncoder(stdout)
	switch verb {
	case "add":
		f, err := reg.Add(ctx, feed.Feed{URL: urls[0], Every: *every, Country: *country}, time.Now())
		if err != nil {
			return usageError{err.Error()}
		}
		return enc.Encode(f)
	case "remove":
		return reg.Remove(ctx, urls[0])
	case "list":
		feeds, err := reg.List(ctx)
		if err != nil {
			return err
		}
		return enc.Encode(append([]feed.Feed{}, feeds...))
	}
	return pollOnce(cliActor(ctx, "feed"), st, reg, stdout, stderr)
}

// pollOnce polls every feed once and prints what each poll did; a feed
// that failed is reported on stderr and makes the exit status 1.
func pollOnce(ctx context.Context, st store.Backend, reg *feed.Registry, stdout, stderr io.Writer) error {
	gaz, err := openGazetteer(ctx, st)
	if err != nil {
		return err
	}
	ing := ingest.New(st, extract.New(gaz))
	p := feed.NewPoller(reg, feed.NewFetcher(nil), ing, slog.New(slog.NewTextHandler(stderr, nil)))
	results, err := p.PollAll(ctx)
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: error: %v\n", r.URL, r.Err)
			continue
		}
		if r.NotModified {
			fmt.Fprintf(stdout, "%s: not modified\n", r.URL)
			continue
		}
		fmt.Fprintf(stdout, "%s: %d items, %d new, %d incidents waiting for review\n", r.URL, r.Items, r.New, r.Incidents)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d feeds failed", failed, len(results))
	}
	return nil
}
