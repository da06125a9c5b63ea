package tiles_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/incidentmap/incidentmap/internal/cputime"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
	"github.com/incidentmap/incidentmap/internal/tiles"
)

// fill inserts ins into st, in batches.
func fill(t testing.TB, st store.Backend, ins []incident.Incident) {
	t.Helper()
	for len(ins) > 0 {
		n := min(len(ins), 10_000)
		if _, err := st.Insert(context.Background(), ins[:n]); err != nil {
			t.Fatal(err)
		}
		ins = ins[n:]
	}
}

// eachBackend runs fn on every store (storetest.Backends) holding ins:
// tiles are the same whichever database holds the incidents.
func eachBackend(t *testing.T, ins []incident.Incident, fn func(t *testing.T, st store.Backend)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			if b.Skip != "" {
				t.Skip(b.Skip)
			}
			st := b.Open(t)
			fill(t, st, ins)
			fn(t, st)
		})
	}
}

// pointsIn returns n incidents spread over bd, deterministically.
func pointsIn(bd orb.Bound, n int, seed uint64) []incident.Incident {
	r := rand.New(rand.NewPCG(seed, seed))
	types := incident.EventTypes()
	out := make([]incident.Incident, n)
	for i := range out {
		lon := bd.Min[0] + r.Float64()*(bd.Max[0]-bd.Min[0])
		lat := bd.Min[1] + r.Float64()*(bd.Max[1]-bd.Min[1])
		out[i] = incident.Incident{EventDate: fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%28), EventType: types[i%len(types)],
			Geometry: orb.Point{lon, lat}, Country: "AF", Location: "P" + strconv.Itoa(i), Fatalities: incident.Int(i % 5)}
	}
	return out
}

// decode reads a tile back into lon/lat.
func decode(t *testing.T, data []byte, tile maptile.Tile) map[string]*mvt.Layer {
	t.Helper()
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("the tile does not decode: %v", err)
	}
	layers.ProjectToWGS84(tile)
	out := map[string]*mvt.Layer{}
	for _, l := range layers {
		out[l.Name] = l
	}
	return out
}

// tileUnit is the size of one of a tile's 4096 units, in degrees of
// longitude: how far a decoded position may be from the stored one.
func tileUnit(z maptile.Zoom) float64 { return 360 / math.Exp2(float64(z)) / tiles.Extent }

// TestEncodeIncidents: a tile with few incidents carries each, where it
// is, with its properties; the filters of the query apply.
func TestEncodeIncidents(t *testing.T) {
	ins := []incident.Incident{
		{EventDate: "2020-03-01", EventType: incident.Battles, Geometry: orb.Point{64.7449, 32.4456}, Country: "AF", Location: "Musa Qala", Fatalities: incident.Int(7)},
		{EventDate: "2020-03-02", EventType: incident.Protests, Geometry: orb.Point{66.99, 30.18}, Country: "PK", Location: "Quetta"},
		// A road block along a line crossing the tile's edge at 67.5°E.
		{EventDate: "2020-03-03", EventType: incident.StrategicDevelopments, Geometry: orb.LineString{{66, 31}, {69, 31}}, Country: "PK", Location: "Road"},
		// Outside the tile.
		{EventDate: "2020-03-04", EventType: incident.Battles, Geometry: orb.Point{10, 10}, Country: "NE", Location: "Far"},
	}
	eachBackend(t, ins, func(t *testing.T, st store.Backend) { checkIncidentTile(t, st, ins) })
}

func checkIncidentTile(t *testing.T, st store.Backend, ins []incident.Incident) {
	tile := maptile.New(10, 6, 4) // 45..67.5°E, 21.94..40.98°N
	all, err := tiles.Encode(context.Background(), st, store.Query{}, tile)
	if err != nil {
		t.Fatal(err)
	}
	layers := decode(t, all, tile)
	if len(layers) != 1 || layers[tiles.IncidentLayer] == nil {
		t.Fatalf("layers %v, want only %s", layers, tiles.IncidentLayer)
	}
	byLoc := map[string]orb.Geometry{}
	for _, f := range layers[tiles.IncidentLayer].Features {
		byLoc[f.Properties.MustString("location")] = f.Geometry
		if f.Properties.MustString("id") == "" || f.Properties.MustString("event_type") == "" {
			t.Errorf("feature %v lacks its id or event type", f.Properties)
		}
	}
	if len(byLoc) != 3 || byLoc["Far"] != nil {
		t.Fatalf("features %v, want Musa Qala, Quetta and Road", byLoc)
	}
	for _, in := range ins[:2] {
		p, ok := byLoc[in.Location].(orb.Point)
		want := in.Geometry.(orb.Point)
		if !ok || math.Abs(p[0]-want[0]) > tileUnit(tile.Z) || math.Abs(p[1]-want[1]) > tileUnit(tile.Z) {
			t.Errorf("%s at %v, want %v", in.Location, byLoc[in.Location], want)
		}
	}
	// The line is clipped at the tile's buffer, one cluster cell past its edge.
	road, ok := byLoc["Road"].(orb.LineString)
	if !ok || math.Abs(road[0][0]-66) > tileUnit(tile.Z) {
		t.Fatalf("road %v, want a line from 66°E", byLoc["Road"])
	}
	if east := road[len(road)-1][0]; east < 67.5 || east > 67.5+22.5/tiles.ClusterGrid+tileUnit(tile.Z) {
		t.Errorf("road ends at %v°E, want the buffer's edge past 67.5°E", east)
	}

	battles, err := tiles.Encode(context.Background(), st, store.Query{EventTypes: []string{incident.Battles}}, tile)
	if err != nil {
		t.Fatal(err)
	}
	fs := decode(t, battles, tile)[tiles.IncidentLayer].Features
	if len(fs) != 1 || fs[0].Properties.MustString("location") != "Musa Qala" || fs[0].Properties.MustInt("fatalities") != 7 {
		t.Errorf("battles tile %v, want Musa Qala alone with 7 fatalities", fs)
	}

	empty, err := tiles.Encode(context.Background(), st, store.Query{Countries: []string{"FJ"}}, tile)
	if err != nil || len(empty) != 0 {
		t.Errorf("a tile with nothing: %d bytes, %v; want none", len(empty), err)
	}
}

// TestEncodeCapsFeatures: past MaxFeatures incidents a tile carries their
// clusters instead, at most a grid's worth, counting every incident once.
func TestEncodeCapsFeatures(t *testing.T) {
	tile := maptile.New(43, 26, 6) // 61.875..67.5°E, 31.95..36.60°N
	inner := tile.Bound()
	// Keep clear of the buffer, so that every incident counts in this tile alone.
	pad := (inner.Max[0] - inner.Min[0]) / tiles.ClusterGrid
	inner = orb.Bound{Min: orb.Point{inner.Min[0] + pad, inner.Min[1] + pad}, Max: orb.Point{inner.Max[0] - pad, inner.Max[1] - pad}}
	for _, tc := range []struct {
		n     int
		layer string
	}{
		{tiles.MaxFeatures, tiles.IncidentLayer},
		{tiles.MaxFeatures + 1, tiles.ClusterLayer},
		{20_000, tiles.ClusterLayer},
	} {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			eachBackend(t, pointsIn(inner, tc.n, uint64(tc.n)), func(t *testing.T, st store.Backend) {
				data, err := tiles.Encode(context.Background(), st, store.Query{}, tile)
				if err != nil {
					t.Fatal(err)
				}
				layers := decode(t, data, tile)
				l := layers[tc.layer]
				if len(layers) != 1 || l == nil {
					t.Fatalf("layers %v, want %s", layers, tc.layer)
				}
				if tc.layer == tiles.IncidentLayer {
					if len(l.Features) != tc.n {
						t.Errorf("%d features, want %d", len(l.Features), tc.n)
					}
					return
				}
				if max := (tiles.ClusterGrid + 2) * (tiles.ClusterGrid + 2); len(l.Features) > max {
					t.Errorf("%d clusters, want at most %d", len(l.Features), max)
				}
				var total int
				for _, f := range l.Features {
					total += f.Properties.MustInt("count")
					if !inner.Pad(tileUnit(tile.Z)).Contains(f.Geometry.(orb.Point)) {
						t.Errorf("cluster at %v, outside the incidents' area %v", f.Geometry, inner)
					}
				}
				if total != tc.n {
					t.Errorf("clusters count %d incidents, want %d", total, tc.n)
				}
			})
		})
	}
}

func TestTile(t *testing.T) {
	for _, tc := range []struct {
		z, x, y int
		coord   string // "" when valid
	}{
		{0, 0, 0, ""},
		{24, 1<<24 - 1, 0, ""},
		{25, 0, 0, "z"},
		{-1, 0, 0, "z"},
		{1, 2, 0, "x"},
		{1, 0, 2, "y"},
		{3, -1, 0, "x"},
	} {
		_, err := tiles.Tile(tc.z, tc.x, tc.y)
		var te *tiles.TileError
		if tc.coord == "" && err != nil || tc.coord != "" && (!errors.As(err, &te) || te.Coord != tc.coord || !errors.Is(err, tiles.ErrTile)) {
			t.Errorf("Tile(%d, %d, %d) = %v, want an error naming %q", tc.z, tc.x, tc.y, err, tc.coord)
		}
	}
}

// BenchmarkEncode makes tiles side by side over INCIDENTMAP_BENCH_N
// (default 100,000) incidents spread over Afghanistan, on each store
// (gpkg-indexed as under serve; postgis when INCIDENTMAP_TEST_POSTGRES is
// set, with ST_AsMVT and, as postgis-rows, from its rows in Go): the world
// (every incident clustered), a country-sized tile (clusters), a
// city-sized one (incidents one by one). cpu-µs/op is this process's CPU,
// steadier than ns/op on a shared machine (PostgreSQL's is not in it).
//
//	go test -run '^$' -bench Encode ./internal/tiles/
func BenchmarkEncode(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("INCIDENTMAP_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	ins := pointsIn(orb.Bound{Min: orb.Point{61, 29.5}, Max: orb.Point{71, 38.5}}, n, 1)
	for _, be := range storetest.Backends() {
		if be.Name == "gpkg" {
			continue // serve builds the index before it listens
		}
		b.Run(be.Name, func(b *testing.B) {
			if be.Skip != "" {
				b.Skip(be.Skip)
			}
			st := be.Open(b)
			fill(b, st, ins)
			srcs := map[string]tiles.Source{"": st}
			if _, ok := st.(store.TileLayerEncoder); ok {
				srcs["rows_"] = rowsOnly{st}
			}
			for prefix, src := range srcs {
				benchmarkTiles(b, prefix, src)
			}
		})
	}
}

func benchmarkTiles(b *testing.B, prefix string, src tiles.Source) {
	for _, tc := range []struct {
		name string
		tile maptile.Tile
	}{
		{"z0_world", maptile.New(0, 0, 0)},
		{"z6_country", maptile.At(orb.Point{65, 33}, 6)},
		{"z11_city", maptile.At(orb.Point{65, 33}, 11)},
	} {
		b.Run(prefix+tc.name, func(b *testing.B) {
			var size int
			cpu := cputime.Process()
			for b.Loop() {
				data, err := tiles.Encode(context.Background(), src, store.Query{}, tc.tile)
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e3, "cpu-µs/op")
			b.ReportMetric(float64(size), "bytes/tile")
		})
	}
}

// rowsOnly hides a store's own layer encoder, so that the tile is encoded
// from its rows in Go.
type rowsOnly struct{ tiles.Source }

// TestLayerEncodersAgree: a store that encodes the incidents layer itself
// (PostGIS's ST_AsMVT) gives the tile the rows give in Go: the same
// features, properties and positions (within a unit: each rounds its own
// way).
func TestLayerEncodersAgree(t *testing.T) {
	tile := maptile.New(43, 26, 6)
	ins := pointsIn(tile.Bound(0.05), 300, 7)
	ins[0].Geometry = orb.LineString{{60, 34}, {64, 35}}                              // crosses the west edge
	ins[1].Geometry = orb.Polygon{{{63, 33}, {64, 33}, {64, 34}, {63, 34}, {63, 33}}} // inside
	ins[2].Admin1, ins[2].EventEndDate, ins[2].Fatalities = "Helmand", "2020-12-31", nil
	eachBackend(t, ins, func(t *testing.T, st store.Backend) {
		if _, ok := st.(store.TileLayerEncoder); !ok {
			t.Skip("this store has no layer encoder of its own")
		}
		own, err := tiles.Encode(context.Background(), st, store.Query{}, tile)
		if err != nil {
			t.Fatal(err)
		}
		fromRows, err := tiles.Encode(context.Background(), rowsOnly{st}, store.Query{}, tile)
		if err != nil {
			t.Fatal(err)
		}
		a, b := featuresByID(t, own), featuresByID(t, fromRows)
		if len(a) != len(b) || len(a) < 250 {
			t.Fatalf("%d features from the store's encoder, %d from the rows", len(a), len(b))
		}
		for id, fa := range a {
			fb, ok := b[id]
			if !ok {
				t.Errorf("%s: only in the store's tile", id)
				continue
			}
			if fmt.Sprint(fa.Properties) != fmt.Sprint(fb.Properties) {
				t.Errorf("%s: properties\n%v\n%v", id, fa.Properties, fb.Properties)
			}
			if fa.Geometry.GeoJSONType() != fb.Geometry.GeoJSONType() || !nearBounds(fa.Geometry.Bound(), fb.Geometry.Bound(), 1) {
				t.Errorf("%s: geometry %v, from the rows %v", id, fa.Geometry, fb.Geometry)
			}
		}
	})
}

// featuresByID decodes a tile's incidents layer, in tile units.
func featuresByID(t *testing.T, data []byte) map[string]*mvtFeature {
	t.Helper()
	layers, err := mvt.Unmarshal(data)
	if err != nil || len(layers) != 1 || layers[0].Name != tiles.IncidentLayer || layers[0].Extent != tiles.Extent {
		t.Fatalf("tile: %v, %v", layers, err)
	}
	out := map[string]*mvtFeature{}
	for _, f := range layers[0].Features {
		props := map[string]any{}
		for k, v := range f.Properties {
			if n, ok := v.(float64); ok {
				v = int(n) // an integer arrives as float64 or int64, as each encoder wrote it
			} else if n, ok := v.(int64); ok {
				v = int(n)
			}
			props[k] = v
		}
		out[f.Properties.MustString("id")] = &mvtFeature{Properties: props, Geometry: f.Geometry}
	}
	return out
}

type mvtFeature struct {
	Properties map[string]any
	Geometry   orb.Geometry
}

func nearBounds(a, b orb.Bound, tol float64) bool {
	for i := range 2 {
		if math.Abs(a.Min[i]-b.Min[i]) > tol || math.Abs(a.Max[i]-b.Max[i]) > tol {
			return false
		}
	}
	return true
}
