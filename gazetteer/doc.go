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
// Points: a populated place is at GeoNames' point; a sovereign country at
// GeoNames' reference point for it (what geoparsing corpora and the tools
// compared with them use: Canada's is 870 km from the representative
// point of its shape), a territory at a point inside its Natural Earth
// shape; an admin area at its seat, its centre (Centre) the middle of its
// places' box. CoordSource says which.
//
// Names are compared by key (see Normalize), so "Mūsá Qal‘ah", "Musa
// Qal'ah" and "musa qalah" are one name; a phonetic key catches
// transliteration variants that GeoNames does not list ("Musa Kala").
//
// Loading: the places and the name index are tables read in place
// (internal/table): fixed-width records and offsets into string areas,
// embedded uncompressed and never parsed or copied; a Place value is made
// when a lookup returns it. Builtin only checks the tables' headers,
// offsets and postings: about 10 ms and no heap to speak of on the shared
// two-core machine under heavy load, where the earlier gzip-compressed
// text took 1.5-1.8 s and 122 MB (BenchmarkBuiltin, run alternately). The
// index of countries and admin areas by code (for Parents, Reverse), the
// phonetic index (gzip-compressed text) and the country shapes are built
// on first use.
//
// The data format's cost. The tables are 20.6 MB (places) and 18.7 MB
// (names) uncompressed, which is what the binary carries (the gzip text
// they replace was 12.2 MB). They are not compressed in the repository
// because git compresses and delta-encodes what it stores: the first
// commit of them costs about their zlib size (~15 MB, once), later
// regenerations about the size of what changed, where a regenerated
// compressed file shared nothing with its predecessor and cost its whole
// size every time. What changes with the data: a place added or removed
// shifts the record numbers after it, so the postings that name them
// change too; append new places at the end where that matters. Strings
// are stored in order of first use, so a change that makes a coded value
// (a coord_source, a feature code) first appear earlier moves the offsets
// of the strings after it: giving sovereign countries GeoNames' points
// cost a 2.15 MB delta where the records' own change was a few KB. Reading in
// place rather than decompressing also keeps the heap small: nothing of
// the tables is copied into it. Regenerate only when the inputs change
// (go generate; the generator checks that every coordinate reads back
// exactly, and TestAnswersUnchanged that the answers did not change unless
// meant to).
//
// Data: GeoNames (https://www.geonames.org/, CC BY 4.0) and Natural Earth
// (https://www.naturalearthdata.com/, public domain); see Attribution.
package gazetteer

//go:generate go run ./internal/gen -out data
