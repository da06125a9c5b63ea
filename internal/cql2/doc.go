// Package cql2 parses filters written in CQL2 text (OGC 21-065, the Common
// Query Language used by OGC API - Features Part 3) and translates them into
// SQL over a whitelist of queryable properties, in the SQL dialect of the
// store that runs them.
//
// It implements the Basic CQL2 conformance class (comparisons, AND/OR/NOT,
// LIKE, IN, BETWEEN, IS NULL) plus S_INTERSECTS with a BBOX, POINT,
// LINESTRING or POLYGON literal (their MULTI forms, GEOMETRYCOLLECTION and
// the draft's ENVELOPE too) and T_INTERSECTS with a DATE, TIMESTAMP or
// INTERVAL literal. ILIKE, a case-insensitive LIKE that GDAL sends, is
// accepted as an extension. Anything else is refused with an error naming
// the construct, never silently ignored: a client that asked for a filter
// must get either exactly that filter or a clear refusal.
//
// Parsing and translation are separate steps: Parse checks syntax only and
// returns an Expr tree; ToSQL resolves property names against the caller's
// columns, checks types and writes a parameterised SQL condition through a
// Dialect (no text of the filter ever reaches the SQL itself). Logic is two-valued, as
// in GDAL: a predicate on a null value is false and its negation true.
// The package knows nothing of HTTP or of the incidents table: the store
// says which SQL expression stands for each property and supplies the
// dialect; the HTTP layer only parses filters and reads the Queryables.
package cql2
