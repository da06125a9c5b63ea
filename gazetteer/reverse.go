package gazetteer

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ErrBadPoint is returned (wrapped) by Reverse for coordinates outside
// WGS 84's range or not finite.
var ErrBadPoint = errors.New("gazetteer: point out of range")

// offshoreKm is how far from the nearest populated place a point outside
// every country shape may be and still get that place's country: Natural
// Earth's 1:50m coastlines miss harbours and small islands.
const offshoreKm = 25

// Hierarchy is what Reverse finds at a point. Zero Places (empty ID) mean
// "none": the open sea has no country.
type Hierarchy struct {
	Country Place
	Admin1  Place
	Admin2  Place
	// Nearest is the nearest populated place, in the point's country when
	// it has one; NearestKm its great-circle distance.
	Nearest   Place
	NearestKm float64
	// CountrySource says how the country was found: "natural-earth" (the
	// point is inside its shape) or "nearest-place" (just offshore).
	CountrySource string
}

// Reverse returns the country whose Natural Earth shape contains the point,
// the nearest populated place in that country within 300 km, and that
// place's admin1 and admin2: the gazetteer has no admin boundaries, so near
// a border the admin areas are the nearest town's.
func (g *Gazetteer) Reverse(lat, lon float64) (Hierarchy, error) {
	if math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return Hierarchy{}, fmt.Errorf("reverse lookup of %g,%g: %w", lat, lon, ErrBadPoint)
	}
	sp, err := g.spatial()
	if err != nil {
		return Hierarchy{}, fmt.Errorf("reverse lookup of %g,%g: %w", lat, lon, err)
	}
	pt := orb.Point{lon, lat}
	var h Hierarchy
	cc := sp.countryAt(pt)
	if cc != "" {
		h.CountrySource = "natural-earth"
	}
	var keep func(i int) bool
	if cc != "" {
		keep = func(i int) bool { return g.places.Country(i) == cc }
	}
	maxKm := 300.0
	if cc == "" {
		maxKm = offshoreKm
	}
	if i, km := sp.grid.nearest(&g.places, pt, maxKm, keep); i >= 0 {
		h.Nearest, h.NearestKm = g.place(i), math.Round(km*100)/100
		if cc == "" {
			cc = h.Nearest.Country
			h.CountrySource = "nearest-place"
		}
		if a, ok := g.admin(cc, h.Nearest.Admin1Code, ""); ok && h.Nearest.Admin1Code != "" {
			h.Admin1 = g.place(a)
		}
		if a, ok := g.admin(cc, h.Nearest.Admin1Code, h.Nearest.Admin2Code); ok && h.Nearest.Admin2Code != "" {
			h.Admin2 = g.place(a)
		}
	}
	if c, ok := g.country(cc); ok && cc != "" {
		h.Country = g.place(c)
	}
	return h, nil
}

// countryAt returns the ISO2 code of the country whose shape contains pt.
func (sp *spatialIndex) countryAt(pt orb.Point) string {
	for i := range sp.shapes {
		s := &sp.shapes[i]
		if !s.bound.Contains(pt) {
			continue
		}
		for k, poly := range s.geom {
			if len(poly) > 0 && s.polyBounds[k].Contains(pt) && planar.PolygonContains(poly, pt) {
				return s.cc
			}
		}
	}
	return ""
}
