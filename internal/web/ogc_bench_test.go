package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// BenchmarkOGCItems measures an items page of 1000 incidents over HTTP from
// a store of 20,000, as GDAL fetches them: ns/op is the page's latency.
func BenchmarkOGCItems(b *testing.B) {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.gpkg"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	types := incident.EventTypes()
	ins := make([]incident.Incident, 20_000)
	for i := range ins {
		ins[i] = incident.Incident{
			EventDate: fmt.Sprintf("20%02d-%02d-%02d", 10+i%12, 1+i%12, 1+i%28), EventType: types[i%len(types)],
			Geometry: orb.Point{60 + math.Mod(float64(i)*0.137, 15), 25 + math.Mod(float64(i)*0.073, 12)},
			Country:  "AF", Location: fmt.Sprintf("Place %d", i), Fatalities: incident.Int(i % 13),
			Actor1: "Military Forces of Afghanistan", Actor2: "Taliban", Notes: "A clash was reported near the town; several fighters were killed.",
		}
	}
	if _, err := st.Insert(context.Background(), ins); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, st, nil, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	defer srv.Close()
	b.Run("collections", func(b *testing.B) {
		for b.Loop() {
			res, err := http.Get(srv.URL + "/ogc/collections")
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	for _, bc := range []struct{ name, query string }{
		{"page1", "limit=1"}, // mostly the exact numberMatched count
		{"page1000", "limit=1000"},
		{"page1000_bbox", "limit=1000&bbox=62,27,70,33"},
		{"page1000_cql2", "limit=1000&filter=" + url.QueryEscape("event_type IN ('Battles','Riots') AND fatalities > 3 AND S_INTERSECTS(geometry, POLYGON((60 25, 75 25, 75 37, 60 25)))")},
		{"page1000_cql2_small_area", "limit=1000&filter=" + url.QueryEscape("S_INTERSECTS(geometry, POLYGON((64 31, 65 31, 65 32, 64 31)))")},
	} {
		for _, gz := range []bool{false, true} {
			name := bc.name
			if gz {
				name += "_gzip"
			}
			client := &http.Client{Transport: &http.Transport{DisableCompression: !gz}}
			b.Run(name, func(b *testing.B) {
				var bytes int64
				for b.Loop() {
					res, err := client.Get(srv.URL + "/ogc/collections/incidents/items?" + bc.query)
					if err != nil {
						b.Fatal(err)
					}
					n, _ := io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						b.Fatalf("status %d", res.StatusCode)
					}
					bytes = n
				}
				b.ReportMetric(float64(bytes), "body-bytes")
			})
		}
	}
}

// BenchmarkOGCPlaces measures places items pages over HTTP from the
// built-in gazetteer: a plain listing and a bbox each read every place once
// (for numberMatched), so ns/op is the bound on a listing's cost; the name
// search is the reference it compares with. The listing's order is built
// by a first request before the timings.
func BenchmarkOGCPlaces(b *testing.B) {
	srv, _ := startServer(b, web.Config{}, builtinGazetteer(b))
	get := func(b *testing.B, query string) int64 {
		res, err := http.Get(srv.URL + "/ogc/collections/places/items?" + query)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("%s: status %d", query, res.StatusCode)
		}
		return n
	}
	get(b, "limit=1")
	for _, bc := range []struct{ name, query string }{
		{"name_search", "name=Kabul"},
		{"list_page10", ""},
		{"list_page1000", "limit=1000"},
		{"list_deep_cursor", "cursor=200000"},
		{"bbox_helmand", "bbox=64,31,65.5,33"},
		{"bbox_fiji_antimeridian", "bbox=177,-19,-178,-16"},
		{"country_level", "country=AF&level=admin2"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var bytes int64
			for b.Loop() {
				bytes = get(b, bc.query)
			}
			b.ReportMetric(float64(bytes), "body-bytes")
		})
	}
}
