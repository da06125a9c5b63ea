package web_test

import (
	"context"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/project"

	"github.com/incidentmap/incidentmap/internal/tiles"
)

// tileLocations decodes a tile answer and returns its incidents by
// location, in lon/lat.
func tileLocations(t *testing.T, r response, tile maptile.Tile) map[string]orb.Point {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	layers, err := mvt.Unmarshal(r.body)
	if err != nil {
		t.Fatalf("not a vector tile: %v", err)
	}
	layers.ProjectToWGS84(tile)
	out := map[string]orb.Point{}
	for _, l := range layers {
		if l.Name != tiles.IncidentLayer {
			t.Fatalf("layer %q, want %q", l.Name, tiles.IncidentLayer)
		}
		for _, f := range l.Features {
			out[f.Properties.MustString("location")] = f.Geometry.(orb.Point)
		}
	}
	return out
}

// TestIncidentTiles: the tile answers with the incidents in it, where
// they are, filtered as /api/incidents filters.
func TestIncidentTiles(t *testing.T) {
	srv, _ := newServer(t)
	seed(t, srv.URL)
	tile := maptile.New(10, 6, 4) // 45..67.5°E, 21.94..40.98°N: Helmand, not Kabul
	url := srv.URL + "/tiles/incidents/4/10/6.mvt"
	r := do(t, "GET", url, "", "")
	if ct := r.header.Get("Content-Type"); ct != "application/vnd.mapbox-vector-tile" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "public, max-age=60" || r.header.Get("ETag") == "" {
		t.Errorf("Cache-Control %q, ETag %q: want a public, short-lived tile with a tag", cc, r.header.Get("ETag"))
	}
	got := tileLocations(t, r, tile)
	want := map[string]orb.Point{"Musa Qala": {64.7449, 32.4456}, "Lashkar Gah": {64.3692, 31.583}}
	if len(got) != len(want) {
		t.Fatalf("tile holds %v, want %v", got, want)
	}
	unit := 22.5 / tiles.Extent // degrees of longitude per tile unit at zoom 4
	for loc, p := range want {
		if q, ok := got[loc]; !ok || math.Abs(q[0]-p[0]) > unit || math.Abs(q[1]-p[1]) > unit {
			t.Errorf("%s at %v, want %v", loc, got[loc], p)
		}
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"start=2019-09-15", []string{"Musa Qala"}},
		{"event_type=Battles&country=AF&min_fatalities=5", []string{"Musa Qala"}},
		{"country=PK", nil},
		{"q=Lashkar", []string{"Lashkar Gah"}},
	} {
		got := tileLocations(t, do(t, "GET", url+"?"+tc.query, "", ""), tile)
		var names []string
		for n := range got {
			names = append(names, n)
		}
		if slices.Sort(names); !slices.Equal(names, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, names, tc.want)
		}
	}

	// Revalidation: the same tile, unchanged, is not sent again.
	if r2 := do(t, "GET", url, "", "", "If-None-Match", r.header.Get("ETag")); r2.status != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", r2.status)
	}
	// The review queue's tiles are the writer's alone.
	if r3 := do(t, "GET", url+"?status=all", testToken, ""); r3.status != http.StatusOK || r3.header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("status=all: %d, Cache-Control %q", r3.status, r3.header.Get("Cache-Control"))
	}
}

// TestIncidentTileBadRequests: a tile that does not exist or a wrong
// filter is a 400 problem naming it.
func TestIncidentTileBadRequests(t *testing.T) {
	srv, _ := newServer(t)
	for _, tc := range []struct{ path, param string }{
		{"/tiles/incidents/25/0/0.mvt", "z"},
		{"/tiles/incidents/-1/0/0.mvt", "z"},
		{"/tiles/incidents/a/0/0.mvt", "z"},
		{"/tiles/incidents/1/2/0.mvt", "x"},
		{"/tiles/incidents/1/0/2.mvt", "y"},
		{"/tiles/incidents/3/1/9999999999999999999999.mvt", "y"},
		{"/tiles/incidents/3/1/1.mvt?bbox=0,0,1,1", "bbox"},
		{"/tiles/incidents/3/1/1.mvt?event_type=Picnics", "event_type"},
		{"/tiles/incidents/3/1/1.mvt?limit=5", "limit"},
		{"/tiles/incidents/3/1/1.mvt?status=all", "status"}, // 403: the queue needs a writer key
	} {
		r := do(t, "GET", srv.URL+tc.path, "", "")
		if r.status/100 != 4 || r.header.Get("Content-Type") != "application/problem+json" || r.json(t)["param"] != tc.param {
			t.Errorf("%s: %d %s %s, want a 4xx problem naming %s", tc.path, r.status, r.header.Get("Content-Type"), r.body, tc.param)
		}
	}
}

// TestIncidentTileJSON: the TileJSON document gives the URL template, with
// the filters it was asked with, and the layers' fields.
func TestIncidentTileJSON(t *testing.T) {
	srv, _ := newServer(t)
	r := do(t, "GET", srv.URL+"/tiles/incidents.json?event_type=Battles", "", "")
	doc := r.json(t)
	tmpl, _ := doc["tiles"].([]any)
	if r.status != http.StatusOK || len(tmpl) != 1 || tmpl[0] != srv.URL+"/tiles/incidents/{z}/{x}/{y}.mvt?event_type=Battles" {
		t.Fatalf("%d: tiles %v", r.status, doc["tiles"])
	}
	layers, _ := doc["vector_layers"].([]any)
	if len(layers) != 2 || doc["maxzoom"] != float64(tiles.MaxZoom) {
		t.Fatalf("vector_layers %v, maxzoom %v", layers, doc["maxzoom"])
	}
	fields := layers[0].(map[string]any)["fields"].(map[string]any)
	if fields["event_type"] != "String" || fields["fatalities"] != "Number" {
		t.Errorf("incident fields %v", fields)
	}
}

// TestGDALReadsIncidentTile: GDAL's MVT driver (what QGIS's vector tile
// layer is built on) reads a served tile and puts each incident where it
// is, in Web Mercator.
func TestGDALReadsIncidentTile(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo is not installed (apt-get install gdal-bin): GDAL's MVT driver cannot be tested")
	}
	srv, _ := newServer(t)
	seed(t, srv.URL)
	r := do(t, "GET", srv.URL+"/tiles/incidents/4/10/6.mvt", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	// GDAL reads z/x/y from the file's path.
	path := filepath.Join(t.TempDir(), "4", "10", "6.pbf")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, r.body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(context.Background(), "ogrinfo", "-ro", "-al", "MVT:"+path).CombinedOutput()
	if err != nil || strings.Contains(string(out), "ERROR") {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	text := string(out)
	if !strings.Contains(text, "Layer name: incidents") || !strings.Contains(text, "Feature Count: 2") {
		t.Fatalf("ogrinfo does not list the incidents layer with 2 features:\n%s", text)
	}
	// Each feature's location is followed by its POINT in EPSG:3857.
	re := regexp.MustCompile(`location \(String\) = ([^\n]+)\n(?:[^\n]*\n)*?\s*POINT \(([-0-9.e]+) ([-0-9.e]+)\)`)
	want := map[string]orb.Point{"Musa Qala": {64.7449, 32.4456}, "Lashkar Gah": {64.3692, 31.583}}
	found := 0
	tol := 2 * 40075016.686 / 16 / tiles.Extent // two tile units at zoom 4, in metres
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		p, ok := want[m[1]]
		if !ok {
			continue
		}
		x, _ := strconv.ParseFloat(m[2], 64)
		y, _ := strconv.ParseFloat(m[3], 64)
		merc := project.WGS84.ToMercator(p)
		if math.Abs(x-merc[0]) > tol || math.Abs(y-merc[1]) > tol {
			t.Errorf("GDAL puts %s at (%.0f %.0f), want (%.0f %.0f)", m[1], x, y, merc[0], merc[1])
		}
		found++
	}
	if found != len(want) {
		t.Errorf("GDAL listed %d of the %d incidents with a position:\n%s", found, len(want), text)
	}
	t.Logf("ogrinfo -ro -al MVT:%s\n%s", path, text)
}
