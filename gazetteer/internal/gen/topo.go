package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"

	"github.com/incidentmap/incidentmap/geo"
)

// topology is the subset of TopoJSON that world-atlas uses: quantised,
// delta-encoded arcs and one GeometryCollection of countries.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

type shape struct {
	numeric string // ISO 3166-1 numeric, "" for Natural Earth's unrecognised areas
	name    string
	geom    orb.MultiPolygon
}

// readCountryShapes decodes world-atlas's countries TopoJSON into one
// MultiPolygon per country.
func readCountryShapes(path string) ([]shape, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading country shapes: %w", err)
	}
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	arcs := make([][]orb.Point, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([]orb.Point, len(a))
		for j, d := range a {
			x += d[0]
			y += d[1]
			pts[j] = orb.Point{
				round5(x*t.Transform.Scale[0] + t.Transform.Translate[0]),
				round5(y*t.Transform.Scale[1] + t.Transform.Translate[1]),
			}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) orb.Ring {
		var r orb.Ring
		for k, ai := range idx {
			var pts []orb.Point
			if ai >= 0 {
				pts = arcs[ai]
			} else {
				src := arcs[^ai]
				pts = make([]orb.Point, len(src))
				for i := range src {
					pts[i] = src[len(src)-1-i]
				}
			}
			if k > 0 && len(pts) > 0 {
				pts = pts[1:] // shared with the previous arc's last point
			}
			r = append(r, pts...)
		}
		return r
	}
	var out []shape
	for _, g := range t.Objects.Countries.Geometries {
		var mp orb.MultiPolygon
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("decoding arcs of %s: %w", g.Properties.Name, err)
			}
			var p orb.Polygon
			for _, r := range rings {
				p = append(p, ring(r))
			}
			mp = orb.MultiPolygon{p}
		case "MultiPolygon":
			var polys [][][]int
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("decoding arcs of %s: %w", g.Properties.Name, err)
			}
			for _, rings := range polys {
				var p orb.Polygon
				for _, r := range rings {
					p = append(p, ring(r))
				}
				mp = append(mp, p)
			}
		default:
			continue
		}
		out = append(out, shape{numeric: g.ID, name: g.Properties.Name, geom: splitAntimeridian(mp)})
	}
	return out, nil
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// equalAreaCentroid is the centroid of p computed on a cylindrical
// equal-area projection (x = lon, y = sin lat), so high latitudes do not
// weigh more than their area as they do in plain lon/lat degrees.
func equalAreaCentroid(p orb.Polygon) orb.Point {
	proj := make(orb.Polygon, len(p))
	for i, r := range p {
		pr := make(orb.Ring, len(r))
		for j, q := range r {
			pr[j] = orb.Point{q[0], math.Sin(q[1] * math.Pi / 180)}
		}
		proj[i] = pr
	}
	c, _ := planar.CentroidArea(proj)
	return orb.Point{c[0], math.Asin(math.Max(-1, math.Min(1, c[1]))) * 180 / math.Pi}
}

// representativePoint returns a point inside the largest polygon of mp, as
// near its equal-area centroid as a horizontal scan line through the
// centroid allows:
// centroids of concave shapes (Croatia, Chile's neighbours, archipelagos)
// can fall outside the country, and geoparsing corpora score countries
// against a point inside them.
func representativePoint(mp orb.MultiPolygon) orb.Point {
	var best orb.Polygon
	bestArea := -1.0
	for _, p := range mp {
		if a := math.Abs(planar.Area(p)); a > bestArea {
			best, bestArea = p, a
		}
	}
	if best == nil {
		return orb.Point{}
	}
	c := equalAreaCentroid(best)
	if planar.PolygonContains(best, c) {
		return orb.Point{round5(c[0]), round5(c[1])}
	}
	// Scan line at the centroid's latitude: the widest inside segment's middle.
	y := c[1]
	var xs []float64
	for _, r := range best {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	bestW := -1.0
	var pt orb.Point
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bestW {
			bestW = w
			pt = orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	if bestW < 0 {
		return best[0][0]
	}
	return orb.Point{round5(pt[0]), round5(pt[1])}
}

// countryBound is the smallest box around the shape's parts, across the
// antimeridian for countries whose islands lie on both sides of it (Fiji,
// Russia's Chukotka): west > east, as RFC 7946 writes such a box, rather
// than a box cut at 180° that leaves those islands out.
func countryBound(mp orb.MultiPolygon) geo.BBox {
	bds := make([]orb.Bound, len(mp))
	for i, p := range mp {
		bds[i] = p.Bound()
	}
	return geo.Cover(bds)
}

// splitAntimeridian cuts polygons whose rings jump across ±180° (Russia's
// mainland with Chukotka, one of Fiji's islands) into a part on each side:
// as drawn, the jump is an edge across the whole map, which breaks
// point-in-polygon tests and centroids. Rings around the South Pole
// (Antarctica) follow the map's edge and are left as they are.
func splitAntimeridian(mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, p := range mp {
		if !jumps(p) || p.Bound().Min[1] < -85 {
			out = append(out, p)
			continue
		}
		// Unwrap: shift each point by 360° to stay near its predecessor,
		// so the ring is continuous east of 180°.
		var u orb.Polygon
		for _, r := range p {
			nr := make(orb.Ring, len(r))
			for i, pt := range r {
				if i > 0 {
					for pt[0]-nr[i-1][0] > 180 {
						pt[0] -= 360
					}
					for pt[0]-nr[i-1][0] < -180 {
						pt[0] += 360
					}
				}
				nr[i] = pt
			}
			u = append(u, nr)
		}
		west := clip.Polygon(orb.Bound{Min: orb.Point{-540, -90}, Max: orb.Point{-180, 90}}, u.Clone())
		mid := clip.Polygon(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, u.Clone())
		east := clip.Polygon(orb.Bound{Min: orb.Point{180, -90}, Max: orb.Point{540, 90}}, u.Clone())
		for _, part := range []struct {
			p     orb.Polygon
			shift float64
		}{{west, 360}, {mid, 0}, {east, -360}} {
			if len(part.p) == 0 || len(part.p[0]) < 4 {
				continue
			}
			for _, r := range part.p {
				for i := range r {
					r[i][0] = round5(r[i][0] + part.shift)
				}
			}
			out = append(out, part.p)
		}
	}
	return out
}

func jumps(p orb.Polygon) bool {
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			if d := r[i][0] - r[i-1][0]; d > 180 || d < -180 {
				return true
			}
		}
	}
	return false
}
