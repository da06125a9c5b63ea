// Package tiles makes Mapbox Vector Tiles (MVT 2.1, through
// github.com/paulmach/orb/encoding/mvt) of the incidents matching a
// store.Query, for maps and GIS clients (QGIS's vector tile layer,
// MapLibre) that draw millions of incidents a tile at a time.
//
// A tile's cost is bounded by one rule: a tile whose area (with its buffer)
// holds at most MaxFeatures matching incidents carries them all, each with
// its geometry and main properties, in the layer "incidents"; a fuller tile
// carries instead, in the layer "clusters", one point per non-empty cell of
// a 32×32 grid over the tile (ClusterGrid), at the mean position of its
// incidents, with their count — never more than 34×34 features (the grid
// and its one-cell buffer). The grid is the store's clustering grid
// (store.Clusters at zoom z+3), fixed to the world, so a cell is the same
// in neighbouring tiles and a cluster does not change as the map pans.
//
// The package knows no HTTP and no SQL: it asks a Source (any incident
// store) for counts, incidents and clusters, and a store that encodes
// layers itself (store.TileLayerEncoder: PostGIS's ST_AsMVT) for the
// incidents layer, by the same rule.
package tiles

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// The tile set's limits and layout.
const (
	// MaxZoom is the deepest zoom served: cells of a few metres.
	MaxZoom = 24
	// MaxFeatures is the most incidents a tile carries one by one; a tile
	// with more carries clusters.
	MaxFeatures = 1000
	// ClusterGrid is the cells across a tile, on each axis, that a full
	// tile's incidents are grouped in: cells of 8 pixels on a 256-pixel
	// tile, 128 units of the tile's 4096.
	ClusterGrid = 32
	// Extent is the tile's coordinate range, MVT's default.
	Extent = mvt.DefaultExtent
	// buffer is the margin around the tile whose features a tile carries
	// too, so that symbols on an edge are drawn whole: one cluster cell.
	buffer = Extent / ClusterGrid
	// clusterZoomOffset is how much deeper than the tile the store's
	// clustering grid is, to have ClusterGrid cells across a tile (the
	// store's cells are 64 pixels of a 256-pixel tile at their zoom).
	clusterZoomOffset = 3
)

// Layer names.
const (
	IncidentLayer = "incidents"
	ClusterLayer  = "clusters"
)

// ErrTile means z/x/y that name no tile; the error names the coordinate.
var ErrTile = errors.New("no such tile")

// TileError is an ErrTile naming the coordinate that is wrong: "z", "x"
// or "y".
type TileError struct {
	Coord  string
	Reason string
}

func (e *TileError) Error() string { return e.Coord + ": " + e.Reason }

// Unwrap returns ErrTile.
func (e *TileError) Unwrap() error { return ErrTile }

// Source is what tiles are made from: an incident store (store.Backend
// has these methods).
type Source interface {
	Count(ctx context.Context, q store.Query) (int64, error)
	Query(ctx context.Context, q store.Query, fn func(*incident.Incident) error) (string, error)
	Clusters(ctx context.Context, q store.Query, zoom int) (store.ClusterSet, error)
}

// Tile returns the tile z/x/y, or a *TileError when z is outside 0 to
// MaxZoom or x or y outside 0 to 2^z-1.
func Tile(z, x, y int) (maptile.Tile, error) {
	if z < 0 || z > MaxZoom {
		return maptile.Tile{}, &TileError{"z", fmt.Sprintf("zoom %d is outside 0 to %d", z, MaxZoom)}
	}
	n := 1 << z
	for _, c := range []struct {
		name string
		v    int
	}{{"x", x}, {"y", y}} {
		if c.v < 0 || c.v >= n {
			return maptile.Tile{}, &TileError{c.name, fmt.Sprintf("%d is outside 0 to %d at zoom %d", c.v, n-1, z)}
		}
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

// Encode returns tile t of the incidents matching q (its BBox, Limit,
// Cursor and sort order are the tile's to set) as an uncompressed MVT:
// the incidents themselves when at most MaxFeatures match in the tile and
// its buffer, their clusters otherwise. A tile with nothing is empty (no
// layer), which is a valid MVT.
func Encode(ctx context.Context, src Source, q store.Query, t maptile.Tile) ([]byte, error) {
	q.BBox = boxOf(t)
	q.Cursor, q.Limit, q.Desc = "", 0, false
	n, err := src.Count(ctx, q)
	if err != nil {
		return nil, err
	}
	var layer *mvt.Layer
	switch {
	case n == 0:
		return mvt.Marshal(nil)
	case n <= MaxFeatures:
		if enc, ok := src.(store.TileLayerEncoder); ok {
			return enc.EncodeTileLayer(ctx, q, store.TileLayer{Name: IncidentLayer, Z: int(t.Z), X: int(t.X), Y: int(t.Y),
				Extent: Extent, Buffer: buffer, Limit: MaxFeatures, Properties: IncidentProperties()})
		}
		layer, err = incidentLayer(ctx, src, q)
	default:
		layer, err = clusterLayer(ctx, src, q, t)
	}
	if err != nil {
		return nil, err
	}
	layer.ProjectToTile(t)
	layer.Clip(orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{Extent + buffer, Extent + buffer}})
	if len(layer.Features) == 0 {
		return mvt.Marshal(nil)
	}
	return mvt.Marshal(mvt.Layers{layer})
}

// boxOf is the tile's area with its buffer, in lon/lat, cut at the
// antimeridian and at the poles of the Mercator projection.
func boxOf(t maptile.Tile) *geo.BBox {
	bd := t.Bound(float64(buffer) / Extent)
	b := geo.BBox{MinLon: math.Max(bd.Min[0], -180), MinLat: bd.Min[1], MaxLon: math.Min(bd.Max[0], 180), MaxLat: bd.Max[1]}
	return &b
}

// incidentLayer holds the incidents matching q (at most MaxFeatures: q's
// count was checked, and the limit holds even if more arrived since).
func incidentLayer(ctx context.Context, src Source, q store.Query) (*mvt.Layer, error) {
	q.Limit = MaxFeatures
	fc := geojson.NewFeatureCollection()
	_, err := src.Query(ctx, q, func(in *incident.Incident) error {
		f := geojson.NewFeature(orb.Clone(in.Geometry))
		f.Properties = incidentProperties(in)
		fc.Append(f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return mvt.NewLayer(IncidentLayer, fc), nil
}

// IncidentProperties lists the properties of a feature of the incidents
// layer, in the order TileJSON documents declare them. MVT has no null: a
// property without a value is left out of its feature.
func IncidentProperties() []string {
	return []string{"id", "event_date", "event_end_date", "event_type", "sub_event_type", "actor1", "actor2",
		"fatalities", "country", "admin1", "admin2", "location", "geo_precision", "date_precision", "status"}
}

// incidentProperties are in's values of IncidentProperties.
func incidentProperties(in *incident.Incident) geojson.Properties {
	p := geojson.Properties{}
	for k, v := range map[string]string{
		"id": in.ID, "event_date": in.EventDate, "event_end_date": in.EventEndDate, "event_type": in.EventType,
		"sub_event_type": in.SubEventType, "actor1": in.Actor1, "actor2": in.Actor2, "country": in.Country,
		"admin1": in.Admin1, "admin2": in.Admin2, "location": in.Location, "date_precision": in.DatePrecision,
		"status": in.Status,
	} {
		if v != "" {
			p[k] = v
		}
	}
	if in.Fatalities != nil {
		p["fatalities"] = int64(*in.Fatalities)
	}
	if in.GeoPrecision != 0 {
		p["geo_precision"] = int64(in.GeoPrecision)
	}
	return p
}

// ClusterProperties lists the properties of a feature of the clusters
// layer: how many incidents, their known fatalities, the most frequent
// event type, and the incident's id when there is one.
func ClusterProperties() []string {
	return []string{"count", "fatalities", "event_type", "id"}
}

// clusterLayer holds the clusters of the incidents matching q on the
// tile's grid.
func clusterLayer(ctx context.Context, src Source, q store.Query, t maptile.Tile) (*mvt.Layer, error) {
	set, err := src.Clusters(ctx, q, int(t.Z)+clusterZoomOffset)
	if err != nil {
		return nil, err
	}
	fc := geojson.NewFeatureCollection()
	for _, c := range set.Clusters {
		f := geojson.NewFeature(c.Center)
		f.Properties = geojson.Properties{"count": c.Count, "fatalities": c.Fatalities}
		if et := dominant(c.EventTypes); et != "" {
			f.Properties["event_type"] = et
		}
		if c.ID != "" {
			f.Properties["id"] = c.ID
		}
		fc.Append(f)
	}
	return mvt.NewLayer(ClusterLayer, fc), nil
}

// dominant is the most frequent event type, the first by name on a tie.
func dominant(types map[string]int64) string {
	names := make([]string, 0, len(types))
	for name := range types {
		names = append(names, name)
	}
	sort.Strings(names)
	best := ""
	for _, name := range names {
		if name != "" && (best == "" || types[name] > types[best]) {
			best = name
		}
	}
	return best
}
