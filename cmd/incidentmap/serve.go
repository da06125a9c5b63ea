package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/sample"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr HOST:PORT] [--db FILE] [--no-samples] [--no-index] [--private] [--behind-proxy] [--no-feeds] [--cpuprofile FILE]", stderr)
	addr := fs.String("addr", envOr("INCIDENTMAP_ADDR", ":8080"), "listen address (env INCIDENTMAP_ADDR)")
	dbPath := fs.String("db", defaultDB(), dbHelp)
	noSamples := fs.Bool("no-samples", false, "do not offer sample incidents when the database is empty")
	noIndex := fs.Bool("no-index", false, "answer every query in SQL, without the in-memory index (slower; for comparisons)")
	baseURL := fs.String("base-url", envOr("INCIDENTMAP_BASE_URL", ""), "public URL for links, when behind a proxy (env INCIDENTMAP_BASE_URL)")
	tileURL := fs.String("tile-url", envOr("INCIDENTMAP_TILE_URL", ""), "online tile layer the map offers as an option, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (env INCIDENTMAP_TILE_URL)")
	tileAttribution := fs.String("tile-attribution", envOr("INCIDENTMAP_TILE_ATTRIBUTION", ""), "attribution shown with --tile-url (env INCIDENTMAP_TILE_ATTRIBUTION)")
	behindProxy := fs.Bool("behind-proxy", envOr("INCIDENTMAP_BEHIND_PROXY", "") == "true", "a reverse proxy sets X-Forwarded-For: take client addresses from it (env INCIDENTMAP_BEHIND_PROXY=true)")
	noFeeds := fs.Bool("no-feeds", false, "do not poll the watched feeds (incidentmap feeds)")
	private := fs.Bool("private", envOr("INCIDENTMAP_PRIVATE", "") == "true", "every read needs a key too (env INCIDENTMAP_PRIVATE=true)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the process from listening to shutdown to FILE, for go tool pprof")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	st, err := openBackend(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	token, err := writeToken(ctx, st, stdout)
	if err != nil {
		return err
	}
	if !*noSamples {
		n, err := sample.SeedIfEmpty(cliActor(ctx, "samples"), st)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(stdout, "The database was empty: added %d SAMPLE incidents (tagged \"sample\", invented for demonstration).\n", n)
		}
	}
	// The in-memory index is the GeoPackage store's; PostgreSQL answers
	// from its own indexes.
	if gp, ok := st.(*store.Store); ok && !*noIndex {
		if err := buildIndex(ctx, gp, stdout); err != nil {
			return err
		}
	}

	// The server listens at once and gets the gazetteer when it has loaded
	// (most of a second, more on a busy machine); until then /readyz and
	// place requests answer 503.
	feeds := &feedPolling{}
	defer feeds.stop()
	api := web.New(web.Config{Token: token, Private: *private, BehindProxy: *behindProxy, BaseURL: *baseURL,
		Page: web.PageConfig{TileURL: *tileURL, TileAttribution: *tileAttribution}, GazetteerLoading: true,
		FeedAdded: feeds.wake}, st, nil, log)
	srv := &http.Server{
		Addr:              *addr,
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // imports upload large files
		WriteTimeout:      30 * time.Minute, // exports stream large files
		IdleTimeout:       2 * time.Minute,
	}
	srv.RegisterOnShutdown(api.Close) // live streams end, so that Shutdown need not wait for their clients
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	mode := ""
	if *private {
		mode = " (private: every request needs a key)"
	}
	fmt.Fprintf(stdout, "incidentmap serving %s on http://%s/%s\n", displayDB(*dbPath), displayAddr(ln.Addr()), mode)
	loaded := make(chan error, 1)
	go func() {
		err := loadGazetteer(ctx, st, api, stdout)
		if err == nil && !*noFeeds {
			var ing *ingest.Ingester
			if ing, err = api.Ingester(ctx); err == nil {
				err = feeds.start(ctx, st, ing, log)
			}
		}
		loaded <- err
	}()
	return serveUntilDone(ctx, srv, ln, loaded, log)
}

// serveUntilDone serves on ln until ctx ends or the gazetteer fails to
// load (an error on loaded), then finishes the requests in flight.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, loaded chan error, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var loadErr error
	for stop := false; !stop; {
		select {
		case err := <-errc:
			return fmt.Errorf("serving: %w", err)
		case loadErr = <-loaded:
			loaded = nil // loaded once: from now on wait for the others
			stop = loadErr != nil
		case <-ctx.Done():
			stop = true
		}
	}
	if loadErr != nil {
		log.Error("stopping: the gazetteer did not load", "err", loadErr)
	}
	log.Info("shutting down: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if loaded != nil {
		<-loaded // stopped while loading: let the loader finish before the store closes
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return loadErr
}

// minTokenLen is the shortest INCIDENTMAP_TOKEN accepted: the token is an
// admin key, and a short one can be guessed despite the throttling.
const minTokenLen = 16

// writeToken returns the token that authorises writes: INCIDENTMAP_TOKEN
// when set, otherwise one stored in the database, generated and printed
// once on first start.
func writeToken(ctx context.Context, st store.Backend, stdout io.Writer) (string, error) {
	if t := envOr("INCIDENTMAP_TOKEN", ""); t != "" {
		if len(t) < minTokenLen {
			return "", fmt.Errorf("INCIDENTMAP_TOKEN is %d characters: it must have at least %d (it is an admin key; for example: openssl rand -hex 24)", len(t), minTokenLen)
		}
		return t, nil
	}
	if t, err := st.Setting(ctx, "write_token"); err == nil {
		fmt.Fprintln(stdout, "Writes use the token stored in the database (printed when it was created; set INCIDENTMAP_TOKEN to choose one).")
		return t, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating token: %w", err)
	}
	t, err := st.SetSettingIfAbsent(ctx, "write_token", hex.EncodeToString(b))
	if err != nil {
		return "", err
	}
	fmt.Fprintf(stdout, "Generated a write token (shown only now; it is stored in the database):\n  %s\nUse it as: Authorization: Bearer %s\n", t, t)
	return t, nil
}

// startCPUProfile profiles the process into a new file at path until the
// returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// loadGazetteer loads the gazetteer while api serves, hands it over and
// says so on stdout: the line tells scripts and tests that places are
// served (as GET /readyz does).
func loadGazetteer(ctx context.Context, st store.Backend, api *web.Server, stdout io.Writer) error {
	start := time.Now()
	g, err := openGazetteer(ctx, st)
	if err != nil {
		return err
	}
	api.SetGazetteer(g)
	fmt.Fprintf(stdout, "Places loaded: %d in %v; ready.\n", g.Len(), time.Since(start).Round(time.Millisecond))
	return nil
}

// openGazetteer loads the gazetteer places are resolved with: the built-in
// data, plus a GeoNames dump imported into the database when there is one.
// Lookups in imported data read through the store's read-only pool, so they
// never wait behind writes.
//
// A GeoNames dump is imported into a GeoPackage file (incidentmap
// gazetteer import); a PostgreSQL store serves the built-in data.
func openGazetteer(ctx context.Context, st store.Backend) (*gazetteer.Gazetteer, error) {
	start := time.Now()
	var db *sql.DB
	if gp, ok := st.(*store.Store); ok {
		db = gp.ReadDB()
	}
	g, err := gazetteer.Open(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("loading the gazetteer: %w", err)
	}
	slog.Debug("gazetteer loaded", "places", g.Len(), "took", time.Since(start))
	return g, nil
}

// buildIndex builds the store's in-memory index before serving and says
// what it took. A store the index cannot hold (dates other programs wrote
// in another form, say) is served from SQL alone.
func buildIndex(ctx context.Context, st *store.Store, stdout io.Writer) error {
	start := time.Now()
	err := st.BuildIndex(ctx)
	if errors.Is(err, store.ErrUnindexable) {
		fmt.Fprintf(stdout, "Queries run in SQL alone: %v\n", err)
		return nil
	}
	if err != nil {
		return err
	}
	if is, ok := st.IndexStats(); ok {
		fmt.Fprintf(stdout, "Indexed %d incidents in %v (%d bytes each).\n", is.Incidents, time.Since(start).Round(time.Millisecond), is.Bytes/int64(max(1, is.Incidents)))
	}
	return nil
}
