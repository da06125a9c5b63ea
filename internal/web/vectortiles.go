package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb/maptile"

	"github.com/incidentmap/incidentmap/internal/tiles"
)

// mvtType is the media type of Mapbox Vector Tiles.
const mvtType = "application/vnd.mapbox-vector-tile"

// tileMaxAge is how long a client or cache may reuse a public tile before
// asking again (with its ETag): long enough that panning a map back and
// forth costs no requests, short enough that new incidents show soon.
const tileMaxAge = "60"

// tileParams are the query parameters of the vector tiles: the filters of
// /api/incidents but the box, which the tile implies, and the order,
// which a tile does not have.
func tileParams() []string {
	var out []string
	for _, p := range incidentFilterParams() {
		if p != "bbox" && p != "sort" {
			out = append(out, p)
		}
	}
	return out
}

// handleIncidentTile answers GET /tiles/incidents/{z}/{x}/{y}.mvt: the
// incidents matching the filters of /api/incidents in that tile, or their
// clusters where there are more than tiles.MaxFeatures (internal/tiles).
func (s *Server) handleIncidentTile(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Has("bbox") {
		return badParam("bbox", "a tile's box is the tile itself; leave bbox out")
	}
	if err := checkParams(r, tileParams()...); err != nil {
		return err
	}
	t, err := tileOf(mux.Vars(r))
	if err != nil {
		return err
	}
	q, err := parseIncidentFilters(r)
	if err != nil {
		return err
	}
	if fresh, err := s.checkETag(w, r); err != nil || fresh {
		return err
	}
	data, err := tiles.Encode(r.Context(), s.store, q, t)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", mvtType)
	// What readers see may be cached anywhere for a while; the review
	// queue and a private server's tiles are the asker's alone.
	if q.PublishedOnly() && !s.cfg.Private {
		h.Set("Cache-Control", "public, max-age="+tileMaxAge)
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	return writeBody(w, r, data)
}

// tileOf reads the tile of the path's z, x and y, or a 400 naming the one
// that is wrong.
func tileOf(vars map[string]string) (t maptile.Tile, err error) {
	var zxy [3]int
	for i, name := range []string{"z", "x", "y"} {
		n, err := strconv.Atoi(vars[name])
		if err != nil {
			return t, badPath(name, "must be a whole number, not %q", vars[name])
		}
		zxy[i] = n
	}
	t, err = tiles.Tile(zxy[0], zxy[1], zxy[2])
	var te *tiles.TileError
	if errors.As(err, &te) {
		return t, badPath(te.Coord, "%s", te.Reason)
	}
	return t, err
}

// handleIncidentTileJSON answers GET /tiles/incidents.json: the tile set
// described as TileJSON 3.0.0, so that map libraries and GIS clients find
// the URL template, the zooms and the layers with their fields.
func (s *Server) handleIncidentTileJSON(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, tileParams()...); err != nil {
		return err
	}
	if _, err := parseIncidentFilters(r); err != nil {
		return err
	}
	tmpl := s.absURL(r, "/tiles/incidents/", nil) + "{z}/{x}/{y}.mvt"
	if raw := r.URL.RawQuery; raw != "" {
		tmpl += "?" + raw // the same filters on every tile
	}
	fields := func(names []string) map[string]string {
		m := map[string]string{}
		for _, n := range names {
			m[n] = fieldType(n)
		}
		return m
	}
	return writeJSON(w, r, http.StatusOK, jsonType, map[string]any{
		"tilejson": "3.0.0",
		"name":     "incidents",
		"description": "Incidents as Mapbox Vector Tiles: the layer incidents where a tile holds at most " +
			strconv.Itoa(tiles.MaxFeatures) + " of them, otherwise the layer clusters (one point per 8-pixel cell, with its count).",
		"scheme":  "xyz",
		"tiles":   []string{tmpl},
		"minzoom": 0,
		"maxzoom": tiles.MaxZoom,
		"bounds":  []float64{-180, -85.0511, 180, 85.0511},
		"vector_layers": []map[string]any{
			{"id": tiles.IncidentLayer, "description": "each incident, with its main properties", "minzoom": 0, "maxzoom": tiles.MaxZoom,
				"fields": fields(tiles.IncidentProperties())},
			{"id": tiles.ClusterLayer, "description": "incidents grouped where a tile holds too many to draw one by one", "minzoom": 0, "maxzoom": tiles.MaxZoom,
				"fields": fields(tiles.ClusterProperties())},
		},
	})
}

// fieldType is a tile property's type, as TileJSON names them.
func fieldType(name string) string {
	if slices.Contains([]string{"fatalities", "geo_precision", "count"}, name) {
		return "Number"
	}
	return "String"
}
