package store

import "context"

// TileLayer asks for one Mapbox Vector Tile layer of incidents: tile Z/X/Y
// of the Web Mercator grid, Extent units across, features clipped Buffer
// units beyond its edges, at most Limit of them, each with Properties
// (public property names; empty and null values left out).
type TileLayer struct {
	Name       string
	Z, X, Y    int
	Extent     int
	Buffer     int
	Limit      int
	Properties []string
}

// TileLayerEncoder is a store that encodes an incidents layer in its
// database, rather than handing the rows over for encoding: the PostGIS
// store, with ST_AsMVT. The answer is a whole tile holding that one layer
// (empty when nothing matches), for the incidents matching q, whose BBox
// the caller sets to the tile's area.
type TileLayerEncoder interface {
	EncodeTileLayer(ctx context.Context, q Query, l TileLayer) ([]byte, error)
}
