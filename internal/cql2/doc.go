// Package cql2 parses filters written in CQL2 text (OGC 21-065, the Common
// Query Language used by OGC API - Features Part 3) and translates them into
// SQL over a whitelist of queryable properties.
//
// It implements the Basic CQL2 conformance class (comparisons, AND/OR/NOT,
// LIKE, IN, BETWEEN, IS NULL) plus S_INTERSECTS with a BBOX, POINT,
// LINESTRING or POLYGON literal (and their MULTI forms) and T_INTERSECTS with
// a DATE, TIMESTAMP or INTERVAL literal. Anything else is refused with an
// error naming the construct, never silently ignored: a client that asked
// for a filter must get either exactly that filter or a clear refusal.
//
// Parsing and translation are separate steps: Parse checks syntax only and
// returns an Expr tree; ToSQL resolves property names against the caller's
// queryables, checks types and writes a parameterised SQL condition. The
// package knows nothing of HTTP or of the incidents table: the caller says
// which SQL expression stands for each property.
package cql2
