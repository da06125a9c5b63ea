package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store/storetest"
)

// TestBench runs the load test end to end on a small generated store: the
// server runs as a child process (this test binary, see TestMain) and
// every endpoint answers without errors, compressed when asked, and the
// server writes its CPU profile when it stops.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	seeds := filepath.Join(envOr("INCIDENTMAP_SHARED", filepath.Join("..", "..", "..", "shared")), "data", "ucdp_ged231_sample1000.csv")
	if _, err := os.Stat(seeds); err != nil {
		t.Skipf("seed events not available (%v); set INCIDENTMAP_SHARED", err)
	}
	dir := t.TempDir()
	db, prof := filepath.Join(dir, "bench.gpkg"), filepath.Join(dir, "cpu.pprof")
	args := []string{"bench", "--n", "2000", "--db", db, "--seeds", seeds,
		"--duration", "300ms", "--rounds", "1", "--concurrency", "2", "--gzip", "--cpuprofile", prof}
	servers := []string{"gpkg"}
	if bs := storetest.Backends(); bs[len(bs)-1].Skip == "" {
		// Side by side with the PostGIS store and plain SQL over it.
		args = append(args, "--postgres", storetest.NewSchema(t))
		servers = append(servers, "postgis", "plain-sql")
	}
	var out, errs bytes.Buffer
	err := run(context.Background(), args, &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errs.String())
	}
	for _, want := range []string{"Generated 2000 incidents", "server: Indexed 2000 incidents", "2 clients, responses gzip", "load average after"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	// One row per endpoint and server: round, endpoint, server, requests > 0, 0 errors.
	row := regexp.MustCompile(`(?m)^\s+1\s+(\S+)\s+(\S+)\s+[1-9]\d*\s+0\s`)
	got := row.FindAllStringSubmatch(out.String(), -1)
	if len(got) != 3*len(servers) {
		t.Errorf("want 3 endpoints measured without errors on %q, got %v in:\n%s%s", servers, got, out.String(), errs.String())
	}
	// A profile is gzip-compressed protocol buffers.
	if b, err := os.ReadFile(prof); err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Errorf("no CPU profile written: %v, %d bytes", err, len(b))
	}
}
