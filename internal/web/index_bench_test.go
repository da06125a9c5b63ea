package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// BenchmarkIndexedPages measures the read endpoints of the map and of GIS
// clients over HTTP on an indexed store of INCIDENTMAP_BENCH_N incidents
// (100,000 by default), with 0.5° boxes: ns/op is a request's latency on
// an idle server, and with -cpuprofile it shows where a request's CPU goes.
func BenchmarkIndexedPages(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("INCIDENTMAP_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.gpkg"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rng := rand.New(rand.NewPCG(5, 5))
	types := incident.EventTypes()
	for done := 0; done < n; done += 10_000 {
		ins := make([]incident.Incident, min(10_000, n-done))
		for i := range ins {
			ins[i] = incident.Incident{
				EventDate: fmt.Sprintf("20%02d-%02d-%02d", 10+rng.IntN(12), 1+rng.IntN(12), 1+rng.IntN(28)), EventType: types[rng.IntN(len(types))],
				Geometry: orb.Point{60 + rng.NormFloat64()*2, 33 + rng.NormFloat64()*2},
				Country:  "AF", Location: "Place " + strconv.Itoa(i), Fatalities: incident.Int(rng.IntN(13)),
				Actor1: "Military Forces of Afghanistan", Actor2: "Taliban", Notes: "A clash was reported near the town; several fighters were killed.",
			}
		}
		if _, err := st.Insert(ctx, ins); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.BuildIndex(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, st, nil, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, path := range []string{
		"/api/incidents?limit=100&bbox=",
		"/ogc/collections/incidents/items?f=json&limit=100&bbox=",
		"/api/clusters?zoom=8&bbox=",
	} {
		b.Run(path[:min(len(path), 20)], func(b *testing.B) {
			for b.Loop() {
				x, y := 60+rng.NormFloat64()*2, 33+rng.NormFloat64()*2
				res, err := client.Get(srv.URL + path + fmt.Sprintf("%.3f,%.3f,%.3f,%.3f", x-0.25, y-0.25, x+0.25, y+0.25))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}
