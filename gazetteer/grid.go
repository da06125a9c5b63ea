package gazetteer

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer/internal/table"
)

// placeGrid buckets populated places into 1° cells for nearest-place
// queries.
type placeGrid struct {
	cells map[int32][]int32
}

func cellOf(p orb.Point) (int32, int32) {
	x := int32(math.Floor(p[0])) + 180
	y := int32(math.Floor(p[1])) + 90
	return min(max(x, 0), 359), min(max(y, 0), 179)
}

func newPlaceGrid(places *table.Places) placeGrid {
	g := placeGrid{cells: map[int32][]int32{}}
	for i := range places.Len() {
		if Level(places.Level(i)) != LevelPlace {
			continue
		}
		lon, lat := places.LonLat(i)
		x, y := cellOf(orb.Point{lon, lat})
		c := y*360 + x
		g.cells[c] = append(g.cells[c], int32(i))
	}
	return g
}

// nearest returns the index of the populated place nearest p for which
// keep returns true, and its distance in km; -1 when none is within
// maxKm.
func (g *placeGrid) nearest(places *table.Places, p orb.Point, maxKm float64, keep func(i int) bool) (int32, float64) {
	cx, cy := cellOf(p)
	best, bestKm := int32(-1), math.Inf(1)
	// A ring r cells out is at least (r-1)*111 km * cos(lat) away in
	// longitude, (r-1)*111 km in latitude; stop when it cannot beat best.
	for r := int32(0); r <= 180; r++ {
		minKm := float64(r-1) * 111 * math.Max(0.05, math.Cos(math.Abs(p[1])*math.Pi/180+float64(r)*math.Pi/180))
		if r > 0 && (minKm > bestKm || minKm > maxKm) {
			break
		}
		for dy := -r; dy <= r; dy++ {
			y := cy + dy
			if y < 0 || y > 179 {
				continue
			}
			for dx := -r; dx <= r; dx++ {
				if dy != -r && dy != r && dx != -r && dx != r {
					continue // only the ring's edge
				}
				x := ((cx+dx)%360 + 360) % 360
				for _, i := range g.cells[y*360+x] {
					if keep != nil && !keep(int(i)) {
						continue
					}
					lon, lat := places.LonLat(int(i))
					// A great circle is at least as long as the meridian
					// arc between the latitudes: skip the haversine for
					// places that cannot be nearer (with a margin for
					// rounding, so the answer is the haversine's).
					if meridianKm(p[1], lat) > bestKm*(1+1e-9) {
						continue
					}
					if d := distanceKm(p, orb.Point{lon, lat}); d < bestKm {
						best, bestKm = i, d
					}
				}
				if r == 0 {
					break
				}
			}
		}
	}
	if bestKm > maxKm {
		return -1, 0
	}
	return best, bestKm
}

// meridianKm is the distance along a meridian between two latitudes, on
// the sphere distanceKm uses.
func meridianKm(lat1, lat2 float64) float64 {
	return math.Abs(lat1-lat2) * math.Pi / 180 * orb.EarthRadius / 1000
}
