package postgis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Clusters groups the incidents matching q into the grid cells of
// store.Clusters at zoom, and counts them per day (without q's Start and
// End), with the GeoPackage store's answer. A geometry counts at the
// centre of its envelope.
//
// The server groups, in one pass over the rows with two grouping sets:
// cells and event types (of the rows within Start and End), and days (of
// all of them). One row per cell and event type comes back, not one per
// incident, so a map view of a million incidents costs a few thousand rows
// on the wire.
func (s *Store) Clusters(ctx context.Context, q store.Query, zoom int) (store.ClusterSet, error) {
	q.Cursor, q.Limit = "", 0
	start, end := q.Start, q.End
	q.Start, q.End = "", ""
	w, err := build(q)
	if err != nil {
		return store.ClusterSet{}, err
	}
	w.add("i.geom IS NOT NULL AND NOT ST_IsEmpty(i.geom)")
	// Query's overlap rule for Start and End, as a column.
	inRange := "true"
	if start != "" {
		inRange += " AND COALESCE(i.event_end_date, i.event_date) >= " + w.arg(start) + "::date"
	}
	if end != "" {
		inRange += " AND i.event_date <= " + w.arg(end) + "::date"
	}
	cells := w.arg(store.ClusterCells(zoom))
	// The cell of a point as store.ClusterCells says, the Mercator y
	// clamped at ±85.05113° as store.MercatorY does.
	rows, err := s.pool.Query(ctx, `SELECT GROUPING(day), COALESCE(day::text, ''), COALESCE(gx, 0), COALESCE(gy, 0), COALESCE(event_type, ''),
		count(*), count(*) FILTER (WHERE r), COALESCE(sum(COALESCE(fatalities, 0)) FILTER (WHERE r), 0), count(*) FILTER (WHERE r AND sample),
		COALESCE(sum(x) FILTER (WHERE r), 0), COALESCE(sum(y) FILTER (WHERE r), 0), COALESCE(min(x) FILTER (WHERE r), 0), COALESCE(min(y) FILTER (WHERE r), 0),
		COALESCE(max(x) FILTER (WHERE r), 0), COALESCE(max(y) FILTER (WHERE r), 0), COALESCE(min(id) FILTER (WHERE r), '')
		FROM (SELECT x, y, floor((x + 180) / 360 * `+cells+`)::bigint AS gx,
			floor((1 - ln(tan(pi() / 4 + greatest(-85.05113, least(85.05113, y)) * pi() / 180 / 2)) / pi()) / 2 * `+cells+`)::bigint AS gy,
			COALESCE(event_type, '') AS event_type, fatalities, sample, id, day, r
			FROM (SELECT (ST_XMin(i.geom) + ST_XMax(i.geom)) / 2 AS x, (ST_YMin(i.geom) + ST_YMax(i.geom)) / 2 AS y,
				i.event_type, i.fatalities, COALESCE(i.tags ? `+w.arg(incident.SampleTag)+`, false) AS sample, i.id, i.event_date AS day, `+inRange+` AS r
				FROM incidents i`+w.sql()+`) p) m
		GROUP BY GROUPING SETS ((gx, gy, event_type), (day))`, w.args...)
	if err != nil {
		return store.ClusterSet{}, fmt.Errorf("clustering incidents: %w", err)
	}
	defer rows.Close()
	type acc struct {
		store.Cluster
		sumX, sumY float64
	}
	byCell := map[[2]int64]*acc{}
	days := []store.DayCount{}
	for rows.Next() {
		var byDay int
		var day, eventType, id string
		var cell [2]int64
		var all, n, fatalities, samples int64
		var sumX, sumY, minX, minY, maxX, maxY float64
		if err := rows.Scan(&byDay, &day, &cell[0], &cell[1], &eventType, &all, &n, &fatalities, &samples,
			&sumX, &sumY, &minX, &minY, &maxX, &maxY, &id); err != nil {
			return store.ClusterSet{}, fmt.Errorf("reading clusters: %w", err)
		}
		// GROUPING(day) is 0 on the rows grouped by day.
		if byDay == 0 {
			days = append(days, store.DayCount{Date: day, Count: all})
			continue
		}
		if n == 0 {
			continue // a cell with no incident within Start and End
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
	slices.SortFunc(days, func(a, b store.DayCount) int { return strings.Compare(a.Date, b.Date) })
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
