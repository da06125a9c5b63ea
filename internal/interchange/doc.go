// Package interchange moves incidents in and out of incidentmap in the
// formats analysts and GIS tools already use.
//
// Readers turn ACLED CSV exports, UCDP GED CSV, GeoJSON FeatureCollections and
// plain CSV files (with coordinates or a place-name column) into incidents,
// one record at a time, so a file of any size streams through constant
// memory. An Importer writes them to the store in batches, each batch one
// transaction, matching earlier imports by the source's own event id so that
// importing the same file twice updates rather than duplicates.
//
// Writers stream incidents from a store query as GeoJSON, CSV with ACLED's
// column names, or KML for Google Earth; a GeoPackage export is a consistent
// snapshot of the database file.
//
// Bad input is reported per record (a *RowError naming the row, the column
// and the reason) and never stops the good records from being imported; only
// a problem with the whole input (no header, a required column missing) ends
// an import.
package interchange
