package gazetteer

import (
	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
)

// Level is a place's rank in the administrative hierarchy.
type Level int

// Levels, coarsest first. LevelAny in Hints means "no preference".
const (
	LevelAny Level = iota
	LevelCountry
	LevelAdmin1
	LevelAdmin2
	LevelPlace // a populated place (GeoNames feature class P)
	// LevelRegion is a continent or large region ("Africa", "Middle East").
	// It is coarser than a country but numbered last so the other values
	// stay stable.
	LevelRegion
)

// String returns the level's public name: country, admin1, admin2, place or
// region.
func (l Level) String() string {
	switch l {
	case LevelCountry:
		return "country"
	case LevelAdmin1:
		return "admin1"
	case LevelAdmin2:
		return "admin2"
	case LevelPlace:
		return "place"
	case LevelRegion:
		return "region"
	}
	return "any"
}

// ParseLevel reads a level's public name ("" is LevelAny).
func ParseLevel(s string) (Level, bool) {
	for l := LevelAny; l <= LevelRegion; l++ {
		if l.String() == s {
			return l, true
		}
	}
	if s == "" {
		return LevelAny, true
	}
	return LevelAny, false
}

// Place is one gazetteer entry with its hierarchy.
type Place struct {
	ID          string // "geonames:1132604", "geonames-admin1:AF.10", "iso:AF": stable across loads
	GeoNameID   int64  // GeoNames id where the place has one, else 0
	Name        string // the preferred name, e.g. "Mūsá Qal‘ah"
	ASCIIName   string
	Level       Level
	FeatureCode string // GeoNames feature code: PPL, PPLA, PPLC, ADM1, ADM2, PCLI...
	Country     string // ISO 3166-1 alpha-2
	CountryName string
	Admin1Code  string // GeoNames admin1 code, e.g. "10"
	Admin1      string // admin1 name, e.g. "Helmand"
	Admin2Code  string
	Admin2      string
	Point       orb.Point // lon, lat: where an incident "in" this place is mapped
	// Centre estimates the geographic centre: for admin areas the centre
	// of the bounding box of their member places (the seat in Point can be
	// hundreds of km off-centre: Brisbane for Queensland); for countries,
	// regions and places the same as Point. Geoparsing corpora such as
	// TR-News score against GeoNames' centres, so compare with Centre
	// there; ACLED codes a region-level event at its capital, Point.
	Centre orb.Point
	// Bound is the box around countries and admin areas where known, zero
	// otherwise. It crosses the antimeridian (MinLon > MaxLon) for Fiji,
	// Russia and others with land on both sides of 180°.
	Bound geo.BBox
	// Population is GeoNames' figure for a populated place; for countries,
	// admin areas and regions it is the sum over member places in the data,
	// a lower bound used for ranking.
	Population int64
	// CoordSource says where Point comes from: "geonames" (the place's own
	// point; for a sovereign country GeoNames' reference point), "seat"
	// (the PPLA/PPLA2 seat of an admin area), "population-weighted"
	// (centre of member places), "natural-earth" (a territory's point from
	// its shape), "country" (an admin1 with no member places, put at its
	// country's point), "curated" (regions), "imported" (GeoNames' own
	// point from an imported dump) or "learned" (a place the extractor
	// learned from coded event notes, at the median of their points).
	CoordSource string
}

// Hints narrow and rank a lookup. Zero values mean "no hint".
type Hints struct {
	Country string     // ISO alpha-2
	Admin1  string     // admin1 name or code
	Near    *orb.Point // prefer places near this point
	Level   Level
}

// Candidate is one ranked answer of Lookup.
type Candidate struct {
	Place  Place
	Score  float64 // higher is better; comparable within one lookup
	Reason string  // why it ranked here, for people: "exact name; admin1 Helmand matches hint"
	// Match says how the query matched: the place's name, an alternate
	// name, a demonym or adjective ("Afghan"), a code ("AF", "U.S."), or a
	// phonetic near-match. Callers spotting names in text use it to tell
	// "Syrian" (a demonym) from "Syria".
	Match NameKind
}
