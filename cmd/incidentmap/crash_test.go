package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
)

// startServer runs "incidentmap serve" in a child process on a free port,
// and returns once the server says its places are loaded: it waits on that
// line (or the process's exit), not on a number of polls, so a loaded
// machine only makes it slower.
func startServer(t *testing.T, db, token string) (*exec.Cmd, string) {
	t.Helper()
	return startServerUntil(t, db, token, placesLoadedLine)
}

// Lines serve prints when it listens and when its places are loaded.
const (
	servingLine      = "incidentmap serving"
	placesLoadedLine = "Places loaded:"
)

// startServerUntil is startServer returning once the server prints a line
// starting with until.
func startServerUntil(t *testing.T, db, token, until string) (*exec.Cmd, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "serve", "--addr", addr, "--db", db, "--no-samples")
	cmd.Env = append(os.Environ(), "INCIDENTMAP_TEST_MAIN=1", "INCIDENTMAP_TOKEN="+token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		found := false
		for sc.Scan() {
			if !found && strings.HasPrefix(sc.Text(), until) {
				found = true
				ready <- true
			}
		}
		if !found {
			ready <- false // the process ended without printing it
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Wait()
			t.Fatalf("server exited before printing %q: %s", until, stderr.String())
		}
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatalf("server did not print %q within 2 minutes", until)
	}
	return cmd, "http://" + addr
}

func batch(worker, seq, n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":"w%d-%d-%d","geometry":{"type":"Point","coordinates":[%g,%g]},"properties":{"event_date":"2020-01-01","notes":"crash test"}}`,
			worker, seq, i, 60+float64(seq%100)/10, 30+float64(i)/10)
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestCrashKeepsAcknowledgedWrites kills the server with SIGKILL in the
// middle of a stream of writes, on each store, then checks that every write
// the server acknowledged is in the database and, for a GeoPackage, that
// SQLite finds the file sound. Readers run throughout and must never see a
// 5xx.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	for _, s := range serveStores() {
		t.Run(s.name, func(t *testing.T) { crashKeepsAcknowledgedWrites(t, s.db(t)) })
	}
}

func crashKeepsAcknowledgedWrites(t *testing.T, db string) {
	const token = "crash-token-0123456789"
	cmd, base := startServer(t, db, token)

	var mu sync.Mutex
	acked := map[string]bool{}
	var reads, serverErrors atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for seq := 0; ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				size := 1 + seq%50 // single incidents and batches
				req, _ := http.NewRequest("POST", base+"/api/incidents", strings.NewReader(batch(w, seq, size)))
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusCreated {
					mu.Lock()
					for i := 0; i < size; i++ {
						acked[fmt.Sprintf("w%d-%d-%d", w, seq, i)] = true
					}
					mu.Unlock()
				} else if res.StatusCode >= 500 {
					serverErrors.Add(1)
				}
			}
		}(w)
	}
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Get(base + "/api/incidents?bbox=60,30,70,36&limit=500")
				if err != nil {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				reads.Add(1)
				if res.StatusCode >= 500 {
					serverErrors.Add(1)
				}
			}
		}()
	}
	// Kill once enough traffic went through, however long a loaded machine
	// takes to get there (the deadline only stops a hung test).
	enough, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 && reads.Load() >= 30 {
			break
		}
		select {
		case <-enough.Done():
			t.Fatalf("too little traffic in 2 minutes: %d acknowledged incidents, %d reads", n, reads.Load())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(stop)
	wg.Wait()
	if n := serverErrors.Load(); n > 0 {
		t.Errorf("%d responses were 5xx during concurrent reads and writes", n)
	}
	if len(acked) < 100 || reads.Load() < 10 {
		t.Fatalf("too little traffic before the kill: %d acknowledged incidents, %d reads", len(acked), reads.Load())
	}

	ctx := context.Background()
	st, err := openBackend(ctx, db)
	if err != nil {
		t.Fatalf("reopening after SIGKILL: %v", err)
	}
	defer st.Close()
	if gpkg, ok := st.(*store.Store); ok {
		checkFileSound(t, gpkg)
	}
	var missing []string
	for id := range acked {
		if _, err := st.Get(ctx, id); err != nil {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d acknowledged incidents lost, e.g. %v", len(missing), len(acked), missing[:min(5, len(missing))])
	}
	t.Logf("%d acknowledged incidents all present after SIGKILL; %d reads, none 5xx", len(acked), reads.Load())

	// The restarted server serves them.
	cmd2, base2 := startServer(t, db, token)
	defer func() { cmd2.Process.Signal(syscall.SIGTERM); cmd2.Wait() }()
	res, err := http.Get(base2 + "/api/incidents?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	json.NewDecoder(res.Body).Decode(&fc)
	res.Body.Close()
	if res.StatusCode != 200 || len(fc["features"].([]any)) != 1 {
		t.Fatalf("restarted server: %d", res.StatusCode)
	}
}

// checkFileSound fails t unless SQLite finds the GeoPackage sound and its
// spatial index agrees with the table (after a crash's recovery).
func checkFileSound(t *testing.T, st *store.Store) {
	t.Helper()
	if res, err := st.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
	var rtree, rows int64
	st.ReadDB().QueryRow("SELECT COUNT(*) FROM rtree_incidents_geom").Scan(&rtree)
	st.ReadDB().QueryRow("SELECT COUNT(*) FROM incidents").Scan(&rows)
	if rtree != rows {
		t.Fatalf("R*Tree has %d entries for %d incidents", rtree, rows)
	}
}

// serveStores lists the stores the serve tests run on, each with a new
// database for t: a GeoPackage file, and a schema of its own on the PostGIS
// test server (skipping t, with the reason, when none is configured).
func serveStores() []struct {
	name string
	db   func(t *testing.T) string
} {
	return []struct {
		name string
		db   func(t *testing.T) string
	}{
		{"gpkg", func(t *testing.T) string { return filepath.Join(t.TempDir(), "serve.gpkg") }},
		{"postgis", func(t *testing.T) string { return storetest.NewSchema(t) }},
	}
}

// TestServeGracefulShutdown checks, on each store, that SIGTERM stops the
// server cleanly (exit status 0) and that the writes it acknowledged are
// in the database.
func TestServeGracefulShutdown(t *testing.T) {
	for _, s := range serveStores() {
		t.Run(s.name, func(t *testing.T) {
			db := s.db(t)
			const token = "shutdown-token-0123456789"
			cmd, base := startServer(t, db, token)
			req, _ := http.NewRequest("POST", base+"/api/incidents", bytes.NewReader([]byte(batch(0, 0, 3))))
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 201 {
				t.Fatalf("write: %v %v", err, res)
			}
			res.Body.Close()
			cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit after SIGTERM: %v", err)
			}
			st, err := openBackend(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n, err := st.Count(context.Background(), store.Query{}); err != nil || n != 3 {
				t.Fatalf("count = %d, %v; want the 3 acknowledged", n, err)
			}
		})
	}
}

// TestServeAnswersWhilePlacesLoad: on each store, serve answers /healthz as
// soon as it says it is serving, before its places are loaded, and stops
// cleanly on SIGTERM even while they load; started again over the same
// database, once it says they are loaded, /readyz and place look-ups answer
// 200.
func TestServeAnswersWhilePlacesLoad(t *testing.T) {
	for _, s := range serveStores() {
		t.Run(s.name, func(t *testing.T) {
			db := s.db(t)
			const token = "startup-token-0123456789"
			cmd, base := startServerUntil(t, db, token, servingLine)
			if code := getStatus(t, base+"/healthz"); code != http.StatusOK {
				t.Errorf("healthz on start: %d", code)
			}
			cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit after SIGTERM while loading: %v", err)
			}

			cmd, base = startServer(t, db, token)
			defer func() {
				cmd.Process.Kill()
				cmd.Wait()
			}()
			for _, path := range []string{"/readyz", "/api/places?q=Kabul", "/healthz"} {
				if code := getStatus(t, base+path); code != http.StatusOK {
					t.Errorf("GET %s once places are loaded: %d", path, code)
				}
			}
		})
	}
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}
