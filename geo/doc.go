// Package geo holds incidentmap's small geometry helpers on top of orb:
// bounding boxes as RFC 7946 writes them (including ones that cross the
// antimeridian), the GeoPackage geometry binary format, and coordinate
// precision. It is a leaf: it imports nothing of incidentmap.
package geo
