package postgis

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Clusters groups the incidents matching q into the grid cells of
// store.Clusters at zoom, and counts them per day (without q's Start and
// End), with the GeoPackage store's answer. A geometry counts at the
// centre of its envelope.
//
// The server groups: one row per cell and event type comes back, not one
// per incident, so a map view of a million incidents costs a few thousand
// rows on the wire.
func (s *Store) Clusters(ctx context.Context, q store.Query, zoom int) (store.ClusterSet, error) {
	q.Cursor, q.Limit = "", 0
	start, end := q.Start, q.End
	q.Start, q.End = "", ""
	w, err := build(q)
	if err != nil {
		return store.ClusterSet{}, err
	}
	w.add("i.geom IS NOT NULL AND NOT ST_IsEmpty(i.geom)")
	days, err := s.clusterDays(ctx, w)
	if err != nil {
		return store.ClusterSet{}, err
	}
	q.Start, q.End = start, end
	if w, err = build(q); err != nil {
		return store.ClusterSet{}, err
	}
	w.add("i.geom IS NOT NULL AND NOT ST_IsEmpty(i.geom)")
	cells := w.arg(store.ClusterCells(zoom))
	// The cell of a point as store.ClusterCells says, the Mercator y
	// clamped at ±85.05113° as store.MercatorY does.
	rows, err := s.pool.Query(ctx, `SELECT floor((x + 180) / 360 * `+cells+`)::bigint AS gx,
		floor((1 - ln(tan(pi() / 4 + greatest(-85.05113, least(85.05113, y)) * pi() / 180 / 2)) / pi()) / 2 * `+cells+`)::bigint AS gy,
		COALESCE(event_type, ''), count(*), sum(COALESCE(fatalities, 0)), count(*) FILTER (WHERE sample),
		sum(x), sum(y), min(x), min(y), max(x), max(y), min(id)
		FROM (SELECT (ST_XMin(i.geom) + ST_XMax(i.geom)) / 2 AS x, (ST_YMin(i.geom) + ST_YMax(i.geom)) / 2 AS y,
			i.event_type, i.fatalities, COALESCE(i.tags ? `+w.arg(incident.SampleTag)+`, false) AS sample, i.id
			FROM incidents i`+w.sql()+`) m
		GROUP BY 1, 2, 3`, w.args...)
	if err != nil {
		return store.ClusterSet{}, fmt.Errorf("clustering incidents: %w", err)
	}
	defer rows.Close()
	type acc struct {
		store.Cluster
		sumX, sumY float64
	}
	byCell := map[[2]int64]*acc{}
	for rows.Next() {
		var cell [2]int64
		var eventType, id string
		var n, fatalities, samples int64
		var sumX, sumY, minX, minY, maxX, maxY float64
		if err := rows.Scan(&cell[0], &cell[1], &eventType, &n, &fatalities, &samples, &sumX, &sumY, &minX, &minY, &maxX, &maxY, &id); err != nil {
			return store.ClusterSet{}, fmt.Errorf("reading clusters: %w", err)
		}
		a := byCell[cell]
		if a == nil {
			a = &acc{Cluster: store.Cluster{EventTypes: map[string]int64{}, Bound: orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}}}
			byCell[cell] = a
		}
		a.Count += n
		a.Fatalities += fatalities
		a.Samples += samples
		a.EventTypes[eventType] += n
		a.sumX += sumX
		a.sumY += sumY
		a.Bound = a.Bound.Union(orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}})
		a.ID = id
	}
	if err := rows.Err(); err != nil {
		return store.ClusterSet{}, fmt.Errorf("reading clusters: %w", err)
	}
	set := store.ClusterSet{Clusters: make([]store.Cluster, 0, len(byCell)), Days: days}
	for _, a := range byCell {
		a.Center = orb.Point{a.sumX / float64(a.Count), a.sumY / float64(a.Count)}
		if a.Count != 1 {
			a.ID = ""
		}
		set.Clusters = append(set.Clusters, a.Cluster)
	}
	store.SortClusters(set.Clusters)
	return set, nil
}

// clusterDays counts the incidents matching w per event_date, oldest first.
func (s *Store) clusterDays(ctx context.Context, w *where) ([]store.DayCount, error) {
	rows, err := s.pool.Query(ctx, "SELECT i.event_date::text, count(*) FROM incidents i"+w.sql()+" GROUP BY i.event_date ORDER BY i.event_date", w.args...)
	if err != nil {
		return nil, fmt.Errorf("counting incidents per day: %w", err)
	}
	defer rows.Close()
	out := []store.DayCount{}
	for rows.Next() {
		var d store.DayCount
		if err := rows.Scan(&d.Date, &d.Count); err != nil {
			return nil, fmt.Errorf("counting incidents per day: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting incidents per day: %w", err)
	}
	return out, nil
}
