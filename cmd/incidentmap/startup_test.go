package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkServeStartup starts "incidentmap serve" over an existing
// database again and again and reports the median time from exec until
// /healthz answers 200 (the server listens) and until /readyz does (its
// places are loaded):
//
//	go test ./cmd/incidentmap -run '^$' -bench ServeStartup -benchtime 5x
func BenchmarkServeStartup(b *testing.B) {
	db := filepath.Join(b.TempDir(), "startup.gpkg")
	var health, ready []time.Duration
	for b.Loop() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		base := "http://" + ln.Addr().String()
		ln.Close()
		cmd := exec.Command(os.Args[0], "serve", "--addr", ln.Addr().String(), "--db", db, "--no-samples")
		cmd.Env = append(os.Environ(), "INCIDENTMAP_TEST_MAIN=1", "INCIDENTMAP_TOKEN=startup-token-0123456789")
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		waitOK(ctx, b, base+"/healthz", time.Millisecond)
		health = append(health, time.Since(start))
		// Asking less often: each request takes CPU from the loading.
		waitOK(ctx, b, base+"/readyz", 10*time.Millisecond)
		ready = append(ready, time.Since(start))
		cancel()
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			b.Fatalf("serve after SIGTERM: %v", err)
		}
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(health), "healthz-ms")
	b.ReportMetric(median(ready), "readyz-ms")
}

// waitOK asks for url every interval until it answers 200, failing b when
// ctx ends first.
func waitOK(ctx context.Context, b *testing.B, url string, interval time.Duration) {
	b.Helper()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%s did not answer 200 in time: %v", url, err)
		case <-time.After(interval):
		}
	}
}
