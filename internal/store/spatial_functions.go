package store

import (
	"database/sql/driver"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"modernc.org/sqlite"

	"github.com/incidentmap/incidentmap/geo"
)

// registerSpatialFunctions registers im_intersects(a, b): 1 when two
// GeoPackage geometry blobs share at least one point, 0 otherwise (and for
// NULL or empty geometries). It is the exact test behind CQL2 S_INTERSECTS;
// callers put an envelope test (im_envelope_intersects) before it so that
// most rows are rejected without decoding. Geometry is planar in lon/lat,
// as OGC API - Features filters in CRS84 are. It is called once, from
// registerFunctions.
func registerSpatialFunctions() {
	sqlite.MustRegisterDeterministicScalarFunction("im_intersects", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		var gs [2]orb.Geometry
		for i := range gs {
			blob, ok := args[i].([]byte)
			if !ok {
				return int64(0), nil
			}
			g, _, err := geo.DecodeGPKG(blob)
			if err != nil {
				return nil, fmt.Errorf("im_intersects: argument %d: %w", i+1, err)
			}
			gs[i] = g
		}
		if intersects(gs[0], gs[1]) {
			return int64(1), nil
		}
		return int64(0), nil
	})
}

// shape is a geometry taken apart into what the intersection test needs:
// isolated points, line segments (including polygon edges) and polygons.
type shape struct {
	points []orb.Point
	segs   [][2]orb.Point
	polys  []orb.Polygon
}

func (s *shape) add(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		s.points = append(s.points, g)
	case orb.MultiPoint:
		s.points = append(s.points, g...)
	case orb.LineString:
		s.addLine(g)
	case orb.MultiLineString:
		for _, l := range g {
			s.addLine(l)
		}
	case orb.Ring:
		s.add(orb.Polygon{g})
	case orb.Polygon:
		if len(g) == 0 || len(g[0]) == 0 {
			return
		}
		s.polys = append(s.polys, g)
		for _, r := range g {
			s.addLine(orb.LineString(r))
		}
	case orb.MultiPolygon:
		for _, p := range g {
			s.add(p)
		}
	case orb.Collection:
		for _, x := range g {
			s.add(x)
		}
	case orb.Bound:
		s.add(g.ToPolygon())
	}
}

func (s *shape) addLine(l orb.LineString) {
	if len(l) == 1 {
		s.points = append(s.points, l[0])
	}
	for i := 0; i+1 < len(l); i++ {
		s.segs = append(s.segs, [2]orb.Point{l[i], l[i+1]})
	}
}

// vertices lists every point of the shape: isolated points and segment ends.
func (s *shape) vertices() []orb.Point {
	out := append([]orb.Point(nil), s.points...)
	for _, sg := range s.segs {
		out = append(out, sg[0])
	}
	return out
}

// intersects reports whether a and b share at least one point. Two shapes
// intersect when a point of one lies on the other, when edges cross, or
// when one lies wholly inside a polygon of the other, which its vertices
// then show.
func intersects(a, b orb.Geometry) bool {
	if a == nil || b == nil || !a.Bound().Intersects(b.Bound()) {
		return false
	}
	var sa, sb shape
	sa.add(a)
	sb.add(b)
	for _, pair := range [2][2]*shape{{&sa, &sb}, {&sb, &sa}} {
		x, y := pair[0], pair[1]
		for _, p := range x.points {
			for _, q := range y.points {
				if p == q {
					return true
				}
			}
			for _, sg := range y.segs {
				if onSegment(p, sg[0], sg[1]) {
					return true
				}
			}
		}
		for _, poly := range y.polys {
			for _, v := range x.vertices() {
				if planar.PolygonContains(poly, v) {
					return true
				}
			}
		}
	}
	for _, s := range sa.segs {
		for _, t := range sb.segs {
			if segmentsIntersect(s[0], s[1], t[0], t[1]) {
				return true
			}
		}
	}
	return false
}

// orientation is the sign of the cross product (q-p)×(r-p): >0 for a left
// turn, <0 for a right turn, 0 when collinear.
func orientation(p, q, r orb.Point) float64 {
	return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0])
}

// onSegment reports whether p lies on the segment ab.
func onSegment(p, a, b orb.Point) bool {
	return orientation(a, b, p) == 0 &&
		min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// segmentsIntersect reports whether segments ab and cd share a point,
// touching and collinear overlap included.
func segmentsIntersect(a, b, c, d orb.Point) bool {
	o1, o2 := orientation(a, b, c), orientation(a, b, d)
	o3, o4 := orientation(c, d, a), orientation(c, d, b)
	if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) {
		return true
	}
	return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d)
}
