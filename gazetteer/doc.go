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
// Loading: Builtin inflates and parses places.tsv.gz and names.tsv.gz
// (40 MB of text) in parallel, places.tsv in parts; the phonetic index and
// the country shapes are loaded on first use (the first phonetic lookup,
// the first Reverse). On the shared two-core development machine that is
// 0.28 s at best against 0.47 s for the earlier whole-file parse
// (BenchmarkBuiltin side by side, best of six); inflating takes about 45%
// of it, parsing the places about 30%, and the loaded gazetteer holds
// ~120 MB. serve does not wait for it: it listens at once and answers
// place requests 503 until it is loaded.
//
// The data format is a trade-off not yet made. The files are gzip-
// compressed TSV: 15 MB in the repository and in the binary, but each
// regeneration adds its whole 15 MB to every clone's history, since a
// compressed file shares nothing with its previous version. Plain TSV
// would cost the binary 32 MB more and save the inflating (0.13 s of CPU),
// and git, which compresses and delta-encodes what it stores, would keep
// later regenerations at about the size of their diff. Loading in tens of
// milliseconds needs more: records read in place (fixed-width rows with
// offsets into one string table, Place values made on access) instead of
// parsed into a slice, which changes every internal user of that slice.
// A format change is itself one more 15 MB regeneration, so it should be
// made once, with the next change of the data's content.
//
// Data: GeoNames (https://www.geonames.org/, CC BY 4.0) and Natural Earth
// (https://www.naturalearthdata.com/, public domain); see Attribution.
package gazetteer

//go:generate go run ./internal/gen -out data
