package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// ClusterCellPixels is the side of a clustering cell in screen pixels at the
// requested zoom: incidents closer than about this on a Web Mercator map
// (256-pixel tiles) share a cluster.
const ClusterCellPixels = 64

// MaxClusterZoom is the deepest zoom Clusters grids at; deeper asks use it.
const MaxClusterZoom = 22

// Cluster is a group of incidents that fall in one grid cell at a zoom level.
type Cluster struct {
	Center     orb.Point        // mean position of the members
	Bound      orb.Bound        // bound of the members' positions
	Count      int64            // incidents in the cluster
	Fatalities int64            // sum of the members' known fatalities
	EventTypes map[string]int64 // members per event type ("" when untyped)
	Samples    int64            // members tagged "sample"
	ID         string           // the incident's id when Count is 1
}

// Clusters groups the incidents matching q into cells of about
// ClusterCellPixels pixels at zoom on a Web Mercator map, so that a map of
// 100,000 incidents draws a few hundred symbols. The grid is fixed to the
// world, so a cluster does not change as the view pans. Limit and Cursor are
// ignored. Positions are those of the spatial index (the centre of each
// geometry's envelope, rounded outwards to 32-bit floats: well under a metre).
func (s *Store) Clusters(ctx context.Context, q Query, zoom int) ([]Cluster, error) {
	q.Cursor, q.Limit = "", 0
	zoom = max(0, min(zoom, MaxClusterZoom))
	b, err := s.build(ctx, q, false)
	if err != nil {
		return nil, err
	}
	// Cells across the world at this zoom, on each axis.
	cells := math.Exp2(float64(zoom)) * 256 / ClusterCellPixels
	// The y cell comes from the Mercator projection, so cells are square on
	// screen; latitudes are clamped to Web Mercator's ±85.05113°.
	inner := "SELECT (rr.minx + rr.maxx) / 2 AS x, (rr.miny + rr.maxy) / 2 AS y, " +
		"COALESCE(i.event_type, '') AS event_type, COALESCE(i.fatalities, 0) AS fatalities, " +
		`(COALESCE(i.tags, '') LIKE '%"sample"%') AS sample, i.id AS id ` +
		"FROM " + b.from + " JOIN rtree_incidents_geom rr ON rr.id = i.fid" + b.whereSQL()
	sqlText := "SELECT CAST((x + 180) / 360 * ? AS INTEGER) AS gx, " +
		"CAST((1 - ln(tan(pi() / 4 + radians(max(-85.05113, min(85.05113, y))) / 2)) / pi()) / 2 * ? AS INTEGER) AS gy, " +
		"event_type, COUNT(*), SUM(x), SUM(y), MIN(x), MIN(y), MAX(x), MAX(y), SUM(fatalities), SUM(sample), MIN(id) " +
		"FROM (" + inner + ") GROUP BY gx, gy, event_type"
	args := append([]any{cells, cells}, b.args...)
	rows, err := s.reader.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("clustering incidents: %w", err)
	}
	defer rows.Close()

	type cell struct{ x, y int64 }
	type acc struct {
		Cluster
		sumX, sumY float64
	}
	byCell := map[cell]*acc{}
	var order []cell
	for rows.Next() {
		var (
			c                      cell
			eventType, id          string
			n, fatalities, samples int64
			sumX, sumY             float64
			minX, minY, maxX, maxY float64
		)
		if err := rows.Scan(&c.x, &c.y, &eventType, &n, &sumX, &sumY, &minX, &minY, &maxX, &maxY, &fatalities, &samples, &id); err != nil {
			return nil, fmt.Errorf("reading clusters: %w", err)
		}
		a := byCell[c]
		if a == nil {
			a = &acc{Cluster: Cluster{EventTypes: map[string]int64{},
				Bound: orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}}}
			byCell[c] = a
			order = append(order, c)
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
		return nil, fmt.Errorf("reading clusters: %w", err)
	}
	out := make([]Cluster, 0, len(order))
	for _, c := range order {
		a := byCell[c]
		a.Center = orb.Point{a.sumX / float64(a.Count), a.sumY / float64(a.Count)}
		if a.Count != 1 {
			a.ID = ""
		}
		out = append(out, a.Cluster)
	}
	// Largest first, so a client drawing in order puts small clusters on top.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out, nil
}

// DayCount is how many incidents start on one day.
type DayCount struct {
	Date  string // YYYY-MM-DD
	Count int64
}

// Timeline counts the incidents matching q per event_date, oldest first, for
// the page's time histogram. Callers usually clear q.Start and q.End so the
// histogram shows the dates outside the chosen range too.
func (s *Store) Timeline(ctx context.Context, q Query) ([]DayCount, error) {
	q.Cursor, q.Limit = "", 0
	b, err := s.build(ctx, q, false)
	if err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx,
		"SELECT substr(i.event_date, 1, 10) AS day, COUNT(*) FROM "+b.from+b.whereSQL()+" GROUP BY day ORDER BY day", b.args...)
	if err != nil {
		return nil, fmt.Errorf("counting incidents per day: %w", err)
	}
	defer rows.Close()
	var out []DayCount
	for rows.Next() {
		var d DayCount
		var date sql.NullString
		if err := rows.Scan(&date, &d.Count); err != nil {
			return nil, fmt.Errorf("reading incidents per day: %w", err)
		}
		d.Date = date.String
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading incidents per day: %w", err)
	}
	return out, nil
}
