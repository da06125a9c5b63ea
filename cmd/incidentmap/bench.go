package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/loadtest"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/postgis"
	"github.com/incidentmap/incidentmap/internal/store/transfer"
)

// runBench generates incidents from real event locations, serves them from
// a child process and load-tests the read APIs (internal/loadtest).
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "bench [--n N] [--db FILE] [--seeds FILE] [--duration 10s] [--rounds 3] [--concurrency 16] [--limit 100] [--box 0.5] [--boxes 500] [--postgres URL] [--no-index] [--gzip] [--cpuprofile FILE]", stderr)
	n := fs.Int("n", atoiOr(envOr("INCIDENTMAP_BENCH_N", ""), 100_000), "incidents to generate (env INCIDENTMAP_BENCH_N)")
	dbPath := fs.String("db", "", "database to test; generated with --n incidents when missing (default: a temporary file, removed after)")
	seeds := fs.String("seeds", filepath.Join(envOr("INCIDENTMAP_SHARED", "../shared"), "data", "ucdp_ged231_sample1000.csv"), "UCDP GED CSV whose events seed the incidents and the boxes")
	duration := fs.Duration("duration", 10*time.Second, "length of each run")
	rounds := fs.Int("rounds", 3, "rounds, each running every endpoint once, interleaved")
	conc := fs.Int("concurrency", 16, "concurrent keep-alive clients")
	limit := fs.Int("limit", 100, "page size of the incidents and items requests")
	side := fs.Float64("box", 0.5, "side of the boxes, in degrees, centred on seed events")
	nBoxes := fs.Int("boxes", 500, "distinct boxes, asked in turn: with few, the server's caches of counts and features answer most requests")
	noIndex := fs.Bool("no-index", false, "serve from SQL alone (serve --no-index), to compare")
	gzip := fs.Bool("gzip", false, "ask for gzip-compressed responses, as browsers and GDAL do (the issue's recipe, wrk, does not)")
	cpuProfile := fs.String("cpuprofile", "", "write the server's CPU profile over all rounds to FILE (serve --cpuprofile), for go tool pprof")
	pgURL := fs.String("postgres", "", "also serve the incidents from this PostgreSQL/PostGIS database (copied there from --db when it holds none) and from plain SQL over it (pg_featureserv-like), side by side")
	plainSQL := fs.String("serve-plain-sql", "", "internal: serve the plain-SQL baseline over this database on --addr")
	addr := fs.String("addr", "127.0.0.1:0", "internal: the plain-SQL baseline's address")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *plainSQL != "" {
		return servePlainSQL(ctx, *plainSQL, *addr, stdout)
	}
	if *n < 1 || *rounds < 1 || *conc < 1 || *limit < 1 || *side <= 0 || *duration <= 0 || *nBoxes < 1 {
		return usageError{"--n, --rounds, --concurrency, --limit, --box, --boxes and --duration must be positive"}
	}
	f, err := os.Open(*seeds)
	if err != nil {
		return fmt.Errorf("opening the seeds: %w", err)
	}
	seedEvents, err := loadtest.ReadSeeds(f)
	f.Close()
	if err != nil {
		return err
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "incidentmap-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "bench.gpkg")
	}
	if err := generate(ctx, *dbPath, seedEvents, *n, stdout); err != nil {
		return err
	}
	boxes := loadtest.Boxes(mrand.New(mrand.NewPCG(2, 2)), seedEvents, *nBoxes, *side)
	if err := describeBoxes(ctx, *dbPath, boxes, stdout); err != nil {
		return err
	}
	srv, err := startChildServer(ctx, *dbPath, *noIndex, *cpuProfile, stdout)
	if err != nil {
		return err
	}
	defer srv.stop()
	servers := []*childServer{srv}
	if *pgURL != "" {
		more, err := startPostgresServers(ctx, *dbPath, *pgURL, stdout)
		for _, m := range more {
			defer m.stop()
		}
		if err != nil {
			return err
		}
		servers = append(servers, more...)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc, DisableCompression: !*gzip}}
	encoding := "identity"
	if *gzip {
		encoding = "gzip"
	}
	fmt.Fprintf(stdout, "%d clients, responses %s; load average before: %s\n", *conc, encoding, loadtest.LoadAverage())
	const row = "%5v  %-15s %-10s %9v %7v %8v %8v %8v %18v\n"
	fmt.Fprintf(stdout, row, "round", "endpoint", "server", "requests", "errors", "req/s", "p50 ms", "p99 ms", "server CPU ms/req")
	for r := 1; r <= *rounds; r++ {
		for _, t := range loadtest.Targets(*limit) {
			// The servers take turns on each endpoint, so that a change in
			// the machine's load falls on all of them.
			for _, sv := range servers {
				cfg := loadtest.Config{BaseURL: sv.url, Boxes: boxes, Concurrency: *conc, Duration: *duration,
					CPU: func() (time.Duration, error) { return loadtest.ProcessCPU(sv.cmd.Process.Pid) }}
				res, err := loadtest.Run(ctx, client, cfg, t)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, row, r, res.Target, sv.name, res.Requests, res.Errors, fmt.Sprintf("%.0f", res.PerSecond()),
					loadtest.Millis(res.P50), loadtest.Millis(res.P99), loadtest.Millis(res.CPUPerReq))
				if res.FirstError != "" {
					fmt.Fprintf(stderr, "first error: %s\n", res.FirstError)
				}
			}
		}
	}
	fmt.Fprintf(stdout, "load average after: %s\n", loadtest.LoadAverage())
	return nil
}

func atoiOr(s string, def int) int {
	if v, err := strconv.Atoi(s); err == nil {
		return v
	}
	return def
}

// generate fills the database at path with n incidents made from seeds,
// unless it already holds some.
func generate(ctx context.Context, path string, seeds []incident.Incident, n int, stdout io.Writer) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	have, err := st.Count(ctx, store.Query{})
	if err != nil {
		return err
	}
	if have > 0 {
		fmt.Fprintf(stdout, "Using the %d incidents of %s.\n", have, path)
		return nil
	}
	rng := mrand.New(mrand.NewPCG(1, 1))
	start := time.Now()
	const batch = 10_000
	for done := 0; done < n; done += batch {
		if _, err := st.Insert(ctx, loadtest.Synthesize(rng, seeds, min(batch, n-done))); err != nil {
			return err
		}
	}
	el := time.Since(start)
	fmt.Fprintf(stdout, "Generated %d incidents from %d seed events in %v (%.0f/s).\n", n, len(seeds), el.Round(time.Millisecond), float64(n)/el.Seconds())
	return nil
}

// describeBoxes says how many incidents the boxes hold.
func describeBoxes(ctx context.Context, path string, boxes []geo.BBox, stdout io.Writer) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.BuildIndex(ctx); err != nil && !errors.Is(err, store.ErrUnindexable) {
		return err
	}
	held := make([]int64, len(boxes))
	for i := range boxes {
		if held[i], err = st.Count(ctx, store.Query{BBox: &boxes[i]}); err != nil {
			return err
		}
	}
	slices.Sort(held)
	fmt.Fprintf(stdout, "The %d boxes hold %d to %d incidents (median %d, 90th percentile %d).\n",
		len(held), held[0], held[len(held)-1], held[len(held)/2], held[len(held)*9/10])
	return nil
}

// childServer is "incidentmap serve" running in a process of its own, so
// that its CPU time is its own.
type childServer struct {
	name string // which store, for the table
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startChildServer runs this executable's serve on a free loopback port
// and waits for the line saying where it serves.
func startChildServer(ctx context.Context, dbPath string, noIndex bool, cpuProfile string, stdout io.Writer) (*childServer, error) {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--no-samples", "--no-feeds", "--no-index=" + strconv.FormatBool(noIndex)}
	if cpuProfile != "" {
		args = append(args, "--cpuprofile", cpuProfile)
	}
	name := "gpkg"
	if postgis.IsURL(dbPath) {
		name = "postgis"
	}
	return startChild(ctx, name, args, "Places loaded:", stdout)
}

// startChild runs this executable with args, and waits for the line
// saying where it serves and then for a line starting with ready.
func startChild(ctx context.Context, name string, args []string, ready string, stdout io.Writer) (*childServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	// The token only keeps serve from minting and storing one;
	// INCIDENTMAP_TEST_MAIN lets a test binary stand in for the command.
	token := make([]byte, 24)
	if _, err := rand.Read(token); err != nil {
		return nil, err
	}
	cmd.Env = append(os.Environ(), "INCIDENTMAP_TOKEN="+hex.EncodeToString(token), "INCIDENTMAP_TEST_MAIN=1")
	dieWithParent(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	errs := &headBuffer{max: 4 << 10} // why it stopped, not its request log
	cmd.Stderr = errs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the server: %w", err)
	}
	s := &childServer{name: name, cmd: cmd, done: make(chan error, 1)}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := lines.Text()
		if strings.HasPrefix(line, "Indexed ") || strings.HasPrefix(line, "Queries run in SQL") {
			fmt.Fprintln(stdout, "server:", line)
		}
		if _, u, ok := strings.Cut(line, " on http://"); ok && strings.HasPrefix(line, "incidentmap serving") {
			s.url = "http://" + strings.TrimSuffix(u, "/")
		}
		// Measure once the gazetteer has loaded: loading it takes the CPU
		// for the first second or so.
		if s.url != "" && strings.HasPrefix(line, ready) {
			break
		}
	}
	go func() {
		io.Copy(io.Discard, out)
		s.done <- cmd.Wait()
	}()
	if s.url == "" {
		s.stop()
		return nil, fmt.Errorf("the server stopped before serving: %s", strings.TrimSpace(errs.String()))
	}
	return s, nil
}

func (s *childServer) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// headBuffer keeps the first max bytes written to it and drops the rest.
type headBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (h *headBuffer) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf.Write(p[:min(len(p), max(0, h.max-h.buf.Len()))])
	return len(p), nil
}

func (h *headBuffer) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buf.String()
}

// startPostgresServers fills the database at pgURL from the GeoPackage at
// dbPath unless it holds incidents already, then serves it twice: with
// incidentmap serve (the PostGIS store) and with the plain-SQL baseline.
func startPostgresServers(ctx context.Context, dbPath, pgURL string, stdout io.Writer) ([]*childServer, error) {
	if err := fillPostgres(ctx, dbPath, pgURL, stdout); err != nil {
		return nil, err
	}
	pg, err := startChildServer(ctx, pgURL, false, "", stdout)
	if err != nil {
		return nil, err
	}
	plain, err := startChild(ctx, "plain-sql", []string{"bench", "--serve-plain-sql", pgURL}, "incidentmap serving", stdout)
	if err != nil {
		return []*childServer{pg}, err
	}
	return []*childServer{pg, plain}, nil
}

func fillPostgres(ctx context.Context, dbPath, pgURL string, stdout io.Writer) error {
	pg, err := postgis.Open(ctx, pgURL)
	if err != nil {
		return err
	}
	defer pg.Close()
	have, err := pg.Count(ctx, store.Query{})
	if err != nil || have > 0 {
		fmt.Fprintf(stdout, "Using the %d incidents of %s.\n", have, displayDB(pgURL))
		return err
	}
	src, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer src.Close()
	start := time.Now()
	st, err := transfer.Copy(ctx, src, pg, transfer.Options{Source: sourceName(dbPath)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Copied %d incidents to %s in %v.\n", st.Incidents, displayDB(pgURL), time.Since(start).Round(time.Millisecond))
	return nil
}

// servePlainSQL serves loadtest.PlainSQL over the database at pgURL until
// ctx ends, saying where on stdout as serve does.
func servePlainSQL(ctx context.Context, pgURL, addr string, stdout io.Writer) error {
	pool, err := pgxpool.New(ctx, pgURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: loadtest.PlainSQL(pool), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "incidentmap serving plain SQL on http://%s/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
