package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/web"
)

// gdalServer starts the real router over a temporary database holding n
// generated incidents and over gaz (nil for none), and records the request
// URIs it serves.
func gdalServer(t *testing.T, n int, gaz *gazetteer.Gazetteer) (*httptest.Server, []incident.Incident, func() []string) {
	t.Helper()
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install gdal-bin): GDAL's OAPIF client cannot be tested", tool)
		}
	}
	st := openTestStore(t) // a GeoPackage, or PostGIS (see startAPI)
	types := incident.EventTypes()
	ins := make([]incident.Incident, n)
	for i := range ins {
		// A deterministic spread over Afghanistan and Pakistan, 2020.
		lon := 61 + math.Mod(float64(i)*1.37, 10)
		lat := 29 + math.Mod(float64(i)*0.73, 8)
		country := "AF"
		if lon > 69 {
			country = "PK"
		}
		fatalities := incident.Int(i % 9)
		if i%7 == 3 {
			fatalities = nil // unknown
		}
		ins[i] = incident.Incident{
			EventDate: fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%28), EventType: types[i%len(types)],
			Geometry: orb.Point{math.Round(lon*1e4) / 1e4, math.Round(lat*1e4) / 1e4}, Country: country,
			Location: fmt.Sprintf("Place %d", i), Fatalities: fatalities, SourceEventID: fmt.Sprintf("T%03d", i),
			Actor1: "Actor " + strconv.Itoa(i%5),
			// Whole confidences and no injured counts: only the schema can
			// tell GDAL that these are real and integer fields.
			Confidence: incident.Float(float64(i % 2)),
		}
	}
	if _, err := st.Insert(context.Background(), ins); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var reqs []string
	h := web.New(web.Config{}, st, gaz, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, r.URL.RequestURI())
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	return srv, ins, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(reqs)
	}
}

func gdal(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	// No proxy for the local server, and no GDAL HTTP cache between runs.
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "GDAL_HTTP_TIMEOUT=30")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestGDALOgrinfoCountAndExtent(t *testing.T) {
	srv, ins, _ := gdalServer(t, 57, nil)
	out := gdal(t, "ogrinfo", "-ro", "-so", "OAPIF:"+srv.URL+"/ogc", "incidents")
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(out)
	if m == nil || m[1] != strconv.Itoa(len(ins)) {
		t.Errorf("ogrinfo feature count %v, want %d\n%s", m, len(ins), out)
	}
	for _, field := range []string{"event_date: Date", "fatalities: Integer", "injured: Integer", "confidence: Real",
		"tags: StringList", "created: DateTime"} {
		if !strings.Contains(out, field) {
			t.Errorf("ogrinfo lacks the field %q: the layer's schema was not taken from /schema", field)
		}
	}
	var want orb.Bound
	for i, in := range ins {
		if i == 0 {
			want = in.Geometry.Bound()
		}
		want = want.Union(in.Geometry.Bound())
	}
	e := regexp.MustCompile(`Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)`).FindStringSubmatch(out)
	if e == nil {
		t.Fatalf("no extent in\n%s", out)
	}
	for i, w := range []float64{want.Min[0], want.Min[1], want.Max[0], want.Max[1]} {
		got, _ := strconv.ParseFloat(e[i+1], 64)
		if math.Abs(got-w) > 1e-6 {
			t.Errorf("extent value %d = %v, want %v\n%s", i, got, w, out)
		}
	}
}

// ogr2ogrProperties copies a layer of the service to GeoJSON with extra
// ogr2ogr arguments and returns the features' properties.
func ogr2ogrProperties(t *testing.T, srvURL, layer string, args ...string) []map[string]any {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "out.geojson")
	gdal(t, "ogr2ogr", append([]string{"-f", "GeoJSON", dst, "OAPIF:" + srvURL + "/ogc", layer, "-oo", "PAGE_SIZE=4"}, args...)...)
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatalf("ogr2ogr output: %v", err)
	}
	var out []map[string]any
	for _, f := range fc.Features {
		out = append(out, f.Properties)
	}
	return out
}

// ogr2ogrIDs copies the incidents layer to GeoJSON with extra ogr2ogr
// arguments and returns the source_event_ids copied, sorted.
func ogr2ogrIDs(t *testing.T, srvURL string, args ...string) []string {
	t.Helper()
	var ids []string
	for _, p := range ogr2ogrProperties(t, srvURL, "incidents", args...) {
		ids = append(ids, p["source_event_id"].(string))
	}
	slices.Sort(ids)
	return ids
}

func TestGDALOgr2ogrSpatialAndWhere(t *testing.T) {
	srv, ins, requests := gdalServer(t, 120, nil)
	box := orb.Bound{Min: orb.Point{62, 30}, Max: orb.Point{68, 35}}
	tests := []struct {
		name  string
		args  []string
		match func(in *incident.Incident) bool
		// pushed is what the server must have received, proving the filter
		// ran there rather than in GDAL.
		pushed string
	}{
		{"spat and where on type and fatalities",
			[]string{"-spat", "62", "30", "68", "35", "-where", "event_type = 'Battles' AND fatalities > 2"},
			func(in *incident.Incident) bool {
				return box.Contains(in.Geometry.(orb.Point)) && in.EventType == incident.Battles && in.Fatalities != nil && *in.Fatalities > 2
			}, "filter="},
		{"where on dates and country",
			[]string{"-where", "event_date >= '2020-06-01' AND event_date < '2020-09-01' AND country = 'AF'"},
			func(in *incident.Incident) bool {
				return in.EventDate >= "2020-06-01" && in.EventDate < "2020-09-01" && in.Country == "AF"
			}, "filter="},
		{"where with OR, NOT and LIKE",
			[]string{"-where", "(actor1 LIKE 'Actor 1%' OR fatalities = 0) AND NOT (country = 'PK')"},
			func(in *incident.Incident) bool {
				return (strings.HasPrefix(in.Actor1, "Actor 1") || (in.Fatalities != nil && *in.Fatalities == 0)) && in.Country != "PK"
			}, "filter="},
		// GDAL reads a comparison with an unknown value as false, and its
		// negation as true: the server must agree.
		{"NOT over unknown fatalities",
			[]string{"-where", "NOT (fatalities > 4) AND country = 'AF'"},
			func(in *incident.Incident) bool {
				return (in.Fatalities == nil || *in.Fatalities <= 4) && in.Country == "AF"
			}, "filter="},
		{"spat alone", []string{"-spat", "62", "30", "68", "35"},
			func(in *incident.Incident) bool { return box.Contains(in.Geometry.(orb.Point)) }, "bbox="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(requests())
			got := ogr2ogrIDs(t, srv.URL, tt.args...)
			var want []string
			for i := range ins {
				if tt.match(&ins[i]) {
					want = append(want, ins[i].SourceEventID)
				}
			}
			slices.Sort(want)
			if len(want) < 5 {
				t.Fatalf("fixture too small: only %d expected matches", len(want))
			}
			if !slices.Equal(got, want) {
				t.Errorf("ogr2ogr copied %d incidents %v\nwant %d %v", len(got), got, len(want), want)
			}
			pages, pushed := 0, false
			for _, u := range requests()[before:] {
				t.Logf("GDAL asked for %s", u)
				if strings.Contains(u, "/items?") && strings.Contains(u, "limit=4") {
					pages++
					pushed = pushed || strings.Contains(u, tt.pushed)
				}
			}
			if pages < 2 {
				t.Errorf("GDAL fetched %d pages of 4; want several", pages)
			}
			if !pushed {
				t.Errorf("no items request carried %q: the filter was not sent to the server\n%v", tt.pushed, requests()[before:])
			}
		})
	}
}

// TestGDALOpensEveryCollection opens the whole service as GDAL and QGIS do
// and reads the places layer: no errors, every place counted, and a
// spatial filter sent to the server and answered there.
func TestGDALOpensEveryCollection(t *testing.T) {
	gaz := builtinGazetteer(t)
	srv, _, requests := gdalServer(t, 12, gaz)
	out := gdal(t, "ogrinfo", "-ro", "OAPIF:"+srv.URL+"/ogc")
	t.Logf("ogrinfo -ro OAPIF:…/ogc\n%s", out)
	if strings.Contains(out, "ERROR") || !strings.Contains(out, "incidents") || !strings.Contains(out, "places") {
		t.Errorf("opening the service:\n%s", out)
	}
	out = gdal(t, "ogrinfo", "-ro", "-so", "OAPIF:"+srv.URL+"/ogc", "places")
	t.Logf("ogrinfo -ro -so OAPIF:…/ogc places\n%s", out)
	if strings.Contains(out, "ERROR") || !strings.Contains(out, "Feature Count: "+strconv.Itoa(gaz.Len())+"\n") {
		t.Errorf("the places layer: want %d features and no error\n%s", gaz.Len(), out)
	}
	for _, field := range []string{"name: String", "level: String", "country: String", "admin1: String", "population: Integer"} {
		if !strings.Contains(out, field) {
			t.Errorf("the places layer lacks the field %q", field)
		}
	}

	box := orb.Bound{Min: orb.Point{64.3, 32.0}, Max: orb.Point{65.2, 32.9}}
	var want []string
	gaz.Each(func(p gazetteer.Place) bool {
		if box.Contains(p.Point) {
			want = append(want, p.ID)
		}
		return true
	})
	slices.Sort(want)
	before := len(requests())
	got := 0
	for _, p := range ogr2ogrProperties(t, srv.URL, "places", "-spat", "64.3", "32.0", "65.2", "32.9", "-select", "name") {
		if p["name"] != nil {
			got++
		}
	}
	pushed := false
	for _, u := range requests()[before:] {
		pushed = pushed || strings.Contains(u, "/places/items?") && strings.Contains(u, "bbox=")
	}
	if got != len(want) || len(want) < 5 || !pushed {
		t.Errorf("ogr2ogr -spat copied %d places, want %d %v; bbox sent to the server: %v", got, len(want), want, pushed)
	}
}
