package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
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

// DayCount is how many incidents start on one day.
type DayCount struct {
	Date  string // YYYY-MM-DD
	Count int64
}

// ClusterSet is the answer of Clusters.
type ClusterSet struct {
	// Clusters hold the incidents matching the query, largest first.
	Clusters []Cluster
	// Days counts, per event_date and oldest first, the incidents matching
	// the query without its Start and End: a time histogram then shows the
	// dates around the chosen range too.
	Days []DayCount
}

// Clusters groups the incidents matching q into cells of about
// ClusterCellPixels pixels at zoom on a Web Mercator map, so that a map of
// 100,000 incidents draws a few hundred symbols, and counts them per day.
// The grid is fixed to the world, so a cluster does not change as the view
// pans. Limit and Cursor are ignored. A geometry counts at the
// centre of its envelope.
//
// The index answers when it can, from its items in memory; otherwise one
// pass over the rows serves both answers: aggregating in Go proved faster
// than SQL GROUP BY here, since SQLite sorts the rows to group them.
func (s *Store) Clusters(ctx context.Context, q Query, zoom int) (ClusterSet, error) {
	zoom = max(0, min(zoom, MaxClusterZoom))
	q = q.unpaged()
	g := newGrid(zoom)
	var days []DayCount
	ok, err := s.withIndex(ctx, q, func(x *index, f *filter) {
		days = g.addIndexed(x, f)
	})
	if err != nil {
		return ClusterSet{}, err
	}
	if !ok {
		byDay, err := s.clusterRows(ctx, q, g)
		if err != nil {
			return ClusterSet{}, err
		}
		days = make([]DayCount, 0, len(byDay))
		for d, n := range byDay {
			days = append(days, DayCount{Date: d, Count: n})
		}
		slices.SortFunc(days, func(a, b DayCount) int { return strings.Compare(a.Date, b.Date) })
	}
	set := ClusterSet{Clusters: make([]Cluster, 0, len(g.byCell)), Days: days}
	var lone []int64 // row ids of the clusters of one, in the order of set.Clusters
	for _, a := range g.byCell {
		g.finish(a)
		if a.Count == 1 {
			lone = append(lone, a.fid)
		}
		set.Clusters = append(set.Clusters, a.Cluster)
	}
	ids, err := s.idsOf(ctx, lone)
	if err != nil {
		return ClusterSet{}, err
	}
	for i, j := 0, 0; i < len(set.Clusters); i++ {
		if set.Clusters[i].Count == 1 {
			set.Clusters[i].ID = ids[lone[j]]
			j++
		}
	}
	SortClusters(set.Clusters)
	return set, nil
}

// SortClusters puts clusters in the order Clusters answers them: largest
// first, so a client drawing in order puts small clusters on top; ties by
// position, so the answer is the same every time.
func SortClusters(cs []Cluster) {
	slices.SortFunc(cs, func(a, b Cluster) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Center[0], b.Center[0]); c != 0 {
			return c
		}
		return cmp.Compare(a.Center[1], b.Center[1])
	})
}

// grid accumulates clusters: cells across the world at a zoom, on each
// axis; y comes from the Mercator projection so that cells are square on
// screen. Event types are counted by code (names[code]), which the index
// already holds and the SQL path makes with typeCode.
type grid struct {
	cells  float64
	byCell map[int64]*clusterAcc
	names  []string
	codes  map[string]uint16
	// The last cell: neighbours in the index share it more often than not.
	lastKey int64
	last    *clusterAcc
}

type clusterAcc struct {
	Cluster
	sumX, sumY float64
	fid        int64
	types      []int64 // by event type code
}

func newGrid(zoom int) *grid {
	return &grid{cells: math.Exp2(float64(zoom)) * 256 / ClusterCellPixels, byCell: map[int64]*clusterAcc{}}
}

// typeCode gives an event type name a code of the grid's own.
func (g *grid) typeCode(name string) uint16 {
	c, ok := g.codes[name]
	if !ok {
		if g.codes == nil {
			g.codes = map[string]uint16{}
		}
		c = uint16(len(g.names))
		g.codes[name] = c
		g.names = append(g.names, name)
	}
	return c
}

// add counts one incident at (x, y).
func (g *grid) add(x, y float64, eventType uint16, fatalities, sample, fid int64) {
	gx := int64(math.Floor((x + 180) / 360 * g.cells))
	gy := int64(math.Floor(mercatorY(y) * g.cells))
	key := gx<<32 | (gy & 0xffffffff)
	a := g.last
	if a == nil || key != g.lastKey {
		if a = g.byCell[key]; a == nil {
			a = &clusterAcc{Cluster: Cluster{Bound: orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x, y}}}}
			g.byCell[key] = a
		}
		g.last, g.lastKey = a, key
	}
	a.Count++
	a.Fatalities += fatalities
	a.Samples += sample
	if int(eventType) >= len(a.types) {
		a.types = append(a.types, make([]int64, int(eventType)+1-len(a.types))...)
	}
	a.types[eventType]++
	a.sumX += x
	a.sumY += y
	a.Bound = a.Bound.Extend(orb.Point{x, y})
	a.fid = fid
}

// finish fills a cluster's centre and event type counts.
func (g *grid) finish(a *clusterAcc) {
	a.Center = orb.Point{a.sumX / float64(a.Count), a.sumY / float64(a.Count)}
	a.EventTypes = map[string]int64{}
	for code, n := range a.types {
		if n > 0 {
			a.EventTypes[g.names[code]] += n
		}
	}
}

// addIndexed clusters the index's items matching f, and returns the day
// counts, which ignore f's start and end, in date order.
func (g *grid) addIndexed(x *index, f *filter) []DayCount {
	g.names = x.types.names
	start, end := f.start, f.end
	f.start, f.end = 0, 0
	// Days count in an array over the index's span of dates, by an ordinal
	// (y*416 + m*32 + d) that keeps their order: cheaper than a map per item.
	lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
	for _, t := range x.trees {
		if len(t.nodes) > 0 {
			lo, hi = min(lo, dayOrdinal(int32(t.nodes[0].minKey>>32))), max(hi, dayOrdinal(int32(t.nodes[0].maxKey>>32)))
		}
	}
	byDay := make([]int64, max(0, hi-lo+1))
	for _, t := range x.trees {
		t.each(f, func(it *item) {
			if it.empty() {
				return
			}
			day := it.day()
			byDay[dayOrdinal(day)-lo]++
			// The same overlap rule as Query's Start and End.
			if (start != 0 && it.end < start) || (end != 0 && day > end) {
				return
			}
			g.add(it.cx(), it.cy(), it.etype, int64(max(it.fat, 0)), b2i(it.sample()), it.fid())
		})
	}
	days := []DayCount{}
	for i, n := range byDay {
		if n > 0 {
			days = append(days, DayCount{Date: formatOrdinal(lo + int32(i)), Count: n})
		}
	}
	return days
}

// dayOrdinal maps a day number YYYYMMDD (month 1-12, day 1-31, as
// parseDay checks) to y*416 + m*32 + d, and formatOrdinal maps that back
// to YYYY-MM-DD.
func dayOrdinal(d int32) int32 { return d/10000*416 + d/100%100*32 + d%100 }

func formatOrdinal(o int32) string {
	y, r := o/416, o%416
	return formatDay(y*10000 + r/32*100 + r%32)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// clusterRows clusters the rows matching q in one pass over them, and
// returns the day counts, which ignore q's Start and End.
func (s *Store) clusterRows(ctx context.Context, q Query, g *grid) (map[string]int64, error) {
	start, end, bbox := q.Start, q.End, q.BBox
	q.Start, q.End, q.BBox = "", "", nil
	b, err := s.build(ctx, q, false)
	if err != nil {
		return nil, err
	}
	from, args := "incidents i", b.args
	var bounds []orb.Bound
	if bbox != nil && !bbox.IsWorld() {
		// A small box's index entries drive the query, as in Query. Either
		// way the exact envelope test runs here in Go on each row's
		// geometry, which costs far less than a SQL function call per row.
		bounds = bbox.Bounds()
		n, err := s.rtreeCount(ctx, bounds, rtreeDriveMax+1)
		if err != nil {
			return nil, err
		}
		if n <= rtreeDriveMax {
			var boxArgs []any
			from, boxArgs = rtreeFrom(bounds)
			args = append(boxArgs, b.args...)
		}
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT i.geom, COALESCE(i.event_type, ''), COALESCE(i.fatalities, 0), "+
		`i.tags IS NOT NULL AND i.tags LIKE '%"sample"%', i.fid, `+
		// substr: a plain DATE column would be parsed into a time per row.
		"substr(i.event_date, 1, 10), substr(COALESCE(i.event_end_date, i.event_date), 1, 10) "+
		"FROM "+from+b.whereSQL(), args...)
	if err != nil {
		return nil, fmt.Errorf("clustering incidents: %w", err)
	}
	defer rows.Close()
	days := map[string]int64{}
	var (
		geom, eventType    sql.RawBytes
		fatalities, sample int64
		fid                int64
		firstDay, lastDay  string
	)
	for rows.Next() {
		if err := rows.Scan(&geom, &eventType, &fatalities, &sample, &fid, &firstDay, &lastDay); err != nil {
			return nil, fmt.Errorf("reading clusters: %w", err)
		}
		env, empty, err := geo.Envelope(geom)
		if err != nil {
			return nil, fmt.Errorf("reading clusters: incident row %d: %w", fid, err)
		}
		if empty || (bounds != nil && !intersectsAny(env, bounds)) {
			continue
		}
		days[firstDay]++
		// The same overlap rule as Query's Start and End.
		if (start != "" && lastDay < start) || (end != "" && firstDay > end) {
			continue
		}
		g.add((env.Min[0]+env.Max[0])/2, (env.Min[1]+env.Max[1])/2, g.typeCode(string(eventType)), fatalities, sample, fid)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading clusters: %w", err)
	}
	return days, nil
}

// mercatorY is latitude's position on a Web Mercator map, 0 at the top
// (85.05113°N) and 1 at the bottom.
func mercatorY(lat float64) float64 {
	lat = max(-85.05113, min(85.05113, lat)) * math.Pi / 180
	return (1 - math.Log(math.Tan(math.Pi/4+lat/2))/math.Pi) / 2
}

// intersectsAny is the bbox test of Query (im_envelope_intersects): the
// envelope touches one of the box's parts.
func intersectsAny(env orb.Bound, bounds []orb.Bound) bool {
	for _, bd := range bounds {
		if env.Intersects(bd) {
			return true
		}
	}
	return false
}

// idsOf maps row ids (fid) to incident ids.
func (s *Store) idsOf(ctx context.Context, fids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(fids))
	const chunk = 500
	for len(fids) > 0 {
		n := min(chunk, len(fids))
		args := make([]any, n)
		for i, f := range fids[:n] {
			args[i] = f
		}
		rows, err := s.reader.QueryContext(ctx, "SELECT fid, id FROM incidents WHERE fid IN (?"+strings.Repeat(",?", n-1)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("reading ids of lone incidents: %w", err)
		}
		for rows.Next() {
			var fid int64
			var id string
			if err := rows.Scan(&fid, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reading ids of lone incidents: %w", err)
			}
			out[fid] = id
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("reading ids of lone incidents: %w", err)
		}
		fids = fids[n:]
	}
	return out, nil
}
