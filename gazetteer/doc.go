// Package gazetteer resolves place names as news reports write them to
// places with coordinates and their administrative hierarchy.
//
// Builtin loads a world gazetteer embedded in the binary: every country
// (Natural Earth shapes, ISO codes, common alternates and demonyms), the
// GeoNames first- and second-level divisions, every GeoNames populated place
// of 500 or more people with its alternate names, and continents and large
// regions. Open uses a full GeoNames dump imported into the database (see
// Import) when there is one.
//
// Names are compared by key (see Normalize), so "Mūsá Qal‘ah", "Musa
// Qal'ah" and "musa qalah" are one name; a phonetic key catches
// transliteration variants that GeoNames does not list ("Musa Kala").
//
// Data: GeoNames (https://www.geonames.org/, CC BY 4.0) and Natural Earth
// (https://www.naturalearthdata.com/, public domain); see Attribution.
package gazetteer

//go:generate go run ./internal/gen -out data
