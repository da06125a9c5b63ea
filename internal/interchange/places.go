package interchange

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// countryMargin is how far (degrees) a point may lie outside its country's
// bounding box before it is rejected: coastal and border events are coded
// just offshore or across a line often enough.
const countryMargin = 0.5

// places wraps the gazetteer for what imports need from it: geocoding a
// place name, and checking that a point lies in the country a row names.
// A nil *gazetteer.Gazetteer disables both; the latitude range check still
// catches the plainest swaps.
type places struct {
	gaz *gazetteer.Gazetteer
}

// checkPoint reports a point that cannot belong to the named country: a
// latitude beyond ±90 (with a longitude that would fit: swapped columns), or
// a point outside the country's bounding box, saying when swapping latitude
// and longitude would put it inside and, from the gazetteer's country
// shapes, which country the point is in.
//
// historical is for datasets that name countries by their borders at the
// time (UCDP: "Sudan" for places now in South Sudan): a point outside the
// named country then keeps its row and gets the country it lies in today,
// which checkPoint returns; only a swap is rejected.
func (p places) checkPoint(country string, pt orb.Point, historical bool) (string, string, error) {
	lon, lat := pt[0], pt[1]
	if math.Abs(lat) > 90 && math.Abs(lon) <= 90 {
		return country, "latitude", fmt.Errorf("%g is outside -90..90 while the longitude %g would fit: are the latitude and longitude columns swapped?", lat, lon)
	}
	if p.gaz == nil || country == "" {
		return country, "", nil
	}
	c, err := p.gaz.Get("iso:" + country)
	if err != nil || c.Bound == (geo.BBox{}) {
		return country, "", nil // a country the gazetteer has no shape for: nothing to check against
	}
	b := c.Bound.Pad(countryMargin)
	if b.Contains(pt) {
		return country, "", nil
	}
	if b.Contains(orb.Point{lat, lon}) {
		return country, "latitude", fmt.Errorf("point (lat %g, lon %g) lies outside %s, but swapped it lies inside: are the latitude and longitude columns swapped?", lat, lon, c.Name)
	}
	in := ""
	if h, err := p.gaz.Reverse(lat, lon); err == nil && h.Country.ID != "" {
		if historical {
			return h.Country.Country, "", nil
		}
		in = " but in " + h.Country.Name
	}
	return country, "longitude", fmt.Errorf("point (lat %g, lon %g) lies outside %s (%s)%s", lat, lon, c.Name, country, in)
}

// placeName is one name a row gives for where it happened, with the
// geo_precision a match on it deserves at best.
type placeName struct {
	name    string
	atLeast int // the coarsest of this and the matched place's level is kept
}

// geocode fills in's point from the gazetteer's best match for the first
// of names that matches a place in the row's country, with its country and
// admin names where the row left them empty, and a geo_precision no finer
// than the match deserves (a row's own coarser geo_precision is kept).
// exact refuses phonetic near-matches. A row naming its country but no
// place found there gets the country's point at country precision when
// countryLast is set.
func (p places) geocode(in *incident.Incident, names []placeName, exact, countryLast bool) error {
	if p.gaz == nil {
		return fmt.Errorf("no gazetteer to geocode %q: give latitude and longitude columns", names[0].name)
	}
	var tried []string
	for _, n := range names {
		if n.name == "" {
			continue
		}
		tried = append(tried, fmt.Sprintf("%q", n.name))
		cands, err := p.gaz.Lookup(n.name, gazetteer.Hints{Country: in.Country, Admin1: in.Admin1})
		if err != nil {
			return fmt.Errorf("looking up %q: %w", n.name, err)
		}
		for _, c := range cands {
			if in.Country != "" && !strings.EqualFold(c.Place.Country, in.Country) {
				continue // the row names the country: never move it abroad
			}
			if exact && c.Match == gazetteer.KindPhonetic {
				continue
			}
			p.place(in, c.Place, max(n.atLeast, geoPrecisionOf(c.Place.Level)))
			return nil
		}
	}
	if countryLast && in.Country != "" {
		if c, err := p.gaz.Get("iso:" + in.Country); err == nil {
			p.place(in, c, incident.GeoCountry)
			return nil
		}
	}
	if in.Country != "" {
		return fmt.Errorf("no place named %s in %s in the gazetteer", strings.Join(tried, " or "), in.Country)
	}
	return fmt.Errorf("no place named %s in the gazetteer", strings.Join(tried, " or "))
}

// place puts in at pl with precision gp (or the row's own, when coarser).
func (p places) place(in *incident.Incident, pl gazetteer.Place, gp int) {
	in.Geometry = pl.Point
	in.PlaceID = pl.ID
	if in.Country == "" {
		in.Country = pl.Country
	}
	admin1, admin2 := pl.Admin1, pl.Admin2
	switch pl.Level {
	case gazetteer.LevelAdmin1:
		admin1, admin2 = pl.Name, ""
	case gazetteer.LevelAdmin2:
		admin2 = pl.Name
	case gazetteer.LevelCountry, gazetteer.LevelRegion:
		admin1, admin2 = "", ""
	}
	if in.Admin1 == "" {
		in.Admin1 = admin1
	}
	if in.Admin2 == "" {
		in.Admin2 = admin2
	}
	in.GeoPrecision = max(in.GeoPrecision, gp)
}

// geoPrecisionOf maps a gazetteer level to an incident's geo_precision.
func geoPrecisionOf(l gazetteer.Level) int {
	switch l {
	case gazetteer.LevelPlace:
		return incident.GeoTown
	case gazetteer.LevelAdmin2:
		return incident.GeoDistrict
	case gazetteer.LevelAdmin1:
		return incident.GeoRegion
	case gazetteer.LevelCountry:
		return incident.GeoCountry
	}
	return 0
}
