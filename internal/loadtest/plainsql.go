package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/store"
)

// PlainSQL is the baseline the PostGIS store is measured against: access
// as pg_featureserv gives it, one SQL statement per request over the
// incidents table of a PostGIS store, in which PostgreSQL writes the
// GeoJSON itself (ST_AsGeoJSON, json_agg). It answers the paths of Targets
// with a bbox — incidents and items as pages of published incidents,
// newest first; clusters as the store's grid cells — and nothing else: no
// other filters, no numberMatched, no paging links, no validation beyond
// the numbers. It is a yardstick, not a server to deploy.
func PlainSQL(pool *pgxpool.Pool) http.Handler {
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, r *http.Request) {
		box, limit, err := boxAndLimit(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		serveSQL(r.Context(), w, pool, `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(f), '[]'::json))::text
			FROM (SELECT json_build_object('type', 'Feature', 'id', i.id, 'geometry', ST_AsGeoJSON(i.geom)::json,
				'properties', to_jsonb(i) - 'geom' - 'fid' - 'id') AS f
			FROM incidents i WHERE i.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND i.status = 'published'
			ORDER BY i.event_date DESC, i.fid DESC LIMIT $5) t`,
			box.MinLon, box.MinLat, box.MaxLon, box.MaxLat, limit)
	}
	mux.HandleFunc("GET /api/incidents", page)
	mux.HandleFunc("GET /ogc/collections/incidents/items", page)
	mux.HandleFunc("GET /api/clusters", func(w http.ResponseWriter, r *http.Request) {
		box, _, err := boxAndLimit(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		zoom, _ := strconv.Atoi(r.URL.Query().Get("zoom"))
		serveSQL(r.Context(), w, pool, `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(c), '[]'::json))::text
			FROM (SELECT json_build_object('type', 'Feature', 'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(avg(x), avg(y))),
				'properties', json_build_object('count', count(*), 'fatalities', sum(COALESCE(fatalities, 0)))) AS c
			FROM (SELECT ST_X(i.geom) AS x, ST_Y(i.geom) AS y, i.fatalities FROM incidents i
				WHERE i.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND i.status = 'published') m
			GROUP BY floor((x + 180) / 360 * $5), floor((1 - ln(tan(pi() / 4 + greatest(-85.05113, least(85.05113, y)) * pi() / 360)) / pi()) / 2 * $5)) t`,
			box.MinLon, box.MinLat, box.MaxLon, box.MaxLat, store.ClusterCells(zoom))
	})
	return mux
}

func boxAndLimit(r *http.Request) (geo.BBox, int, error) {
	box, err := geo.ParseBBox(r.URL.Query().Get("bbox"))
	if err != nil {
		return geo.BBox{}, 0, fmt.Errorf("bbox: %w", err)
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit < 1 {
		limit = 10
	}
	return box, min(limit, 10000), nil
}

func serveSQL(ctx context.Context, w http.ResponseWriter, pool *pgxpool.Pool, sql string, args ...any) {
	var body string
	if err := pool.QueryRow(ctx, sql, args...).Scan(&body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Write([]byte(body))
}
