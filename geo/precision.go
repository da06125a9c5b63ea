package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// DefaultDecimals is the coordinate precision incidentmap writes: 5 decimal
// places is about 1 m at the equator, finer than any incident's location is
// known, and keeps GeoJSON small.
const DefaultDecimals = 5

// Round returns g with every coordinate rounded to the given number of
// decimal places. It modifies g in place where g's type allows and returns it.
func Round(g orb.Geometry, decimals int) orb.Geometry {
	if g == nil {
		return nil
	}
	m := math.Pow10(decimals)
	r := func(p orb.Point) orb.Point {
		return orb.Point{math.Round(p[0]*m) / m, math.Round(p[1]*m) / m}
	}
	switch g := g.(type) {
	case orb.Point:
		return r(g)
	case orb.MultiPoint:
		for i := range g {
			g[i] = r(g[i])
		}
	case orb.LineString:
		for i := range g {
			g[i] = r(g[i])
		}
	case orb.Ring:
		for i := range g {
			g[i] = r(g[i])
		}
	case orb.MultiLineString:
		for i := range g {
			Round(g[i], decimals)
		}
	case orb.Polygon:
		for i := range g {
			Round(g[i], decimals)
		}
	case orb.MultiPolygon:
		for i := range g {
			Round(g[i], decimals)
		}
	case orb.Collection:
		for i := range g {
			g[i] = Round(g[i], decimals)
		}
	}
	return g
}
