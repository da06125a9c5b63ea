package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// Query selects incidents. Zero fields do not filter.
type Query struct {
	BBox          *geo.BBox // incidents whose geometry's envelope intersects the box
	Start, End    string    // YYYY-MM-DD; incidents whose [event_date, end date] overlaps
	EventTypes    []string  // any of these ACLED event types
	Countries     []string  // any of these ISO alpha-2 codes
	Admin1        string    // exact admin1 name, case-insensitive
	Actor         string    // substring of any actor field, case-insensitive
	MinFatalities *int
	Text          string   // substring of notes, location, admin names or actors
	IDs           []string // any of these incident ids
	// Statuses selects by review status (incident.StatusPublished...); nil
	// selects every status.
	Statuses []string
	// SourceEventIDs selects imported incidents by their dataset ids.
	SourceEventIDs []string
	// Filters are CQL2 conditions over the Queryables, ANDed with the rest
	// (CheckFilter and PropertyFilter make them); each store translates
	// them into its own SQL.
	Filters []cql2.Expr
	// Order is what incidents are sorted by (event date when zero).
	Order Order
	// Desc sorts newest (or most confident) first; otherwise oldest (or
	// least confident) first. Ties break on insertion order, in the same
	// direction.
	Desc bool
	// Limit caps the rows returned; 0 means no limit (exports).
	Limit int
	// Cursor continues a previous query from where it stopped (its next value).
	Cursor string
}

// Order is what Query sorts incidents by.
type Order int

const (
	// ByEventDate sorts by event date: the map's and the exports' order.
	ByEventDate Order = iota
	// ByConfidence sorts by confidence, incidents without one below every
	// other (as -1): the review queue's order, most confident first.
	ByConfidence
)

// ConfidenceKeySQL is the SQL over the incidents table (aliased i) of the
// ByConfidence sort key, in both stores' dialects; both index it.
const ConfidenceKeySQL = "COALESCE(i.confidence, -1)"

// QueueOnlySQL is the WHERE clause of the indexes of the review queue
// (incidents not published), over the incidents table aliased i. A query
// for queued statuses adds it as it stands: SQLite uses a partial index
// only for a query whose conditions include the index's own.
const QueueOnlySQL = "i.status <> 'published'"

// SortKeySQL returns the SQL over the incidents table (aliased i) of q's
// sort key; the insertion key (fid) breaks its ties.
func (q Query) SortKeySQL() string {
	if q.Order == ByConfidence {
		return ConfidenceKeySQL
	}
	return "i.event_date"
}

// rtreeDriveMax is how many index entries a bbox may hold for the R*Tree to
// drive the query. Below it, reading the box's entries and sorting them by
// date is cheapest; above it, walking the date index and testing each row's
// envelope finds a page sooner, since matches are then dense.
const rtreeDriveMax = 5000

// Query streams the incidents matching q to fn, in date order, and returns
// the cursor of the next page ("" when this was the last). fn's incident is
// reused between calls: copy what must outlive the call.
func (s *Store) Query(ctx context.Context, q Query, fn func(*incident.Incident) error) (string, error) {
	if q.Limit > 0 {
		fids, ok, err := s.indexedPage(ctx, q)
		if err != nil {
			return "", err
		}
		if ok {
			return s.stream(ctx, q, fn, pageSQL, fids)
		}
	}
	sqlText, args, err := s.selectSQL(ctx, q)
	if err != nil {
		return "", err
	}
	return s.stream(ctx, q, fn, sqlText, args...)
}

// selectSQL is the SQL of Query for q, and its arguments, when the
// in-memory index does not answer it.
func (s *Store) selectSQL(ctx context.Context, q Query) (string, []any, error) {
	b, err := s.build(ctx, q, true)
	if err != nil {
		return "", nil, err
	}
	order := "ASC"
	if q.Desc {
		order = "DESC"
	}
	orderBy := " ORDER BY " + q.SortKeySQL() + " " + order + ", i.fid " + order
	sqlText := "SELECT " + selectColumns + " FROM " + b.from + b.whereSQL() + orderBy
	args := b.args
	if q.Limit > 0 {
		args = append(args, q.Limit+1) // one more tells whether a next page exists
		if b.rtree {
			// The box's rows are sorted before the page is cut: sort just
			// their keys, then read whole rows for the page alone.
			sqlText = "SELECT " + selectColumns + " FROM (SELECT i.fid FROM " + b.from + b.whereSQL() + orderBy +
				" LIMIT ?) page CROSS JOIN incidents i ON i.fid = page.fid" + orderBy
		} else {
			sqlText += " LIMIT ?"
		}
	}
	return sqlText, args, nil
}

// stream runs a query of selectColumns in q's order, passes up to q.Limit
// rows (all when 0) to fn, and returns the cursor after the last when a
// further row exists.
func (s *Store) stream(ctx context.Context, q Query, fn func(*incident.Incident) error, sqlText string, args ...any) (string, error) {
	rows, err := s.queryRows(ctx, sqlText, args...)
	if err != nil {
		return "", fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	buf := newRowBuf(ctx, s.reader)
	var in incident.Incident
	n := 0
	var last cursor
	for rows.Next() {
		if q.Limit > 0 && n == q.Limit {
			return last.encode(), nil
		}
		if err := buf.scan(rows, &in); err != nil {
			return "", fmt.Errorf("reading incident: %w", err)
		}
		if err := fn(&in); err != nil {
			return "", err
		}
		last = cursorAfter(q, buf.eventDate, floatPtr(buf.confidence), buf.fid)
		n++
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("reading incidents: %w", err)
	}
	return "", nil
}

// Get returns the incident with id, or an error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (incident.Incident, error) {
	buf := newRowBuf(ctx, s.reader)
	var in incident.Incident
	row := s.reader.QueryRowContext(ctx, "SELECT "+selectColumns+" FROM incidents i WHERE i.id = ?", id)
	if err := buf.scan(row, &in); err != nil {
		if err == sql.ErrNoRows {
			return incident.Incident{}, fmt.Errorf("incident %q: %w", id, ErrNotFound)
		}
		return incident.Incident{}, fmt.Errorf("reading incident %q: %w", id, err)
	}
	return in, nil
}

// Count returns how many incidents match q, ignoring its Limit and Cursor.
func (s *Store) Count(ctx context.Context, q Query) (int64, error) {
	q = q.unpaged()
	if n, ok, err := s.indexedCount(ctx, q); ok || err != nil {
		return n, err
	}
	b, err := s.build(ctx, q, false)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+b.from+b.whereSQL(), b.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting incidents: %w", err)
	}
	return n, nil
}

// Extent returns the bound of the incidents matching q, and false when none
// match. Without filters it reads the layer extent kept in gpkg_contents
// (what GIS clients show), which costs nothing; with filters it reads every
// matching geometry.
func (s *Store) Extent(ctx context.Context, q Query) (orb.Bound, bool, error) {
	q = q.unpaged()
	if !q.filtered() {
		return s.layerExtent(ctx)
	}
	b, err := s.build(ctx, q, false)
	if err != nil {
		return orb.Bound{}, false, err
	}
	var minx, maxx, miny, maxy sql.NullFloat64
	err = s.reader.QueryRowContext(ctx, "SELECT MIN(ST_MinX(i.geom)), MAX(ST_MaxX(i.geom)), MIN(ST_MinY(i.geom)), MAX(ST_MaxY(i.geom)) FROM "+b.from+b.whereSQL(), b.args...).
		Scan(&minx, &maxx, &miny, &maxy)
	if err != nil {
		return orb.Bound{}, false, fmt.Errorf("computing extent: %w", err)
	}
	if !minx.Valid {
		return orb.Bound{}, false, nil
	}
	return orb.Bound{Min: orb.Point{minx.Float64, miny.Float64}, Max: orb.Point{maxx.Float64, maxy.Float64}}, true, nil
}

// unpaged is q without what only a page of it needs (cursor, limit,
// order): what counts, extents, clusters and summaries read, so that the
// in-memory index answers them whatever order a page was asked in.
func (q Query) unpaged() Query {
	q.Cursor, q.Limit, q.Order = "", 0, ByEventDate
	return q
}

// filtered reports whether q selects fewer than all incidents.
func (q Query) filtered() bool {
	return q.BBox != nil || q.Start != "" || q.End != "" || len(q.EventTypes) > 0 || len(q.Countries) > 0 ||
		q.Admin1 != "" || q.Actor != "" || q.MinFatalities != nil || q.Text != "" || len(q.IDs) > 0 ||
		len(q.SourceEventIDs) > 0 || len(q.Filters) > 0 || len(q.Statuses) > 0
}

func (s *Store) layerExtent(ctx context.Context) (orb.Bound, bool, error) {
	var minx, miny, maxx, maxy sql.NullFloat64
	err := s.reader.QueryRowContext(ctx, "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'incidents'").
		Scan(&minx, &miny, &maxx, &maxy)
	if err != nil {
		return orb.Bound{}, false, fmt.Errorf("reading the layer extent: %w", err)
	}
	if !minx.Valid || !miny.Valid || !maxx.Valid || !maxy.Valid {
		return orb.Bound{}, false, nil
	}
	return orb.Bound{Min: orb.Point{minx.Float64, miny.Float64}, Max: orb.Point{maxx.Float64, maxy.Float64}}, true, nil
}

// built is a query's FROM clause, WHERE conditions and arguments.
type built struct {
	from  string
	where []string
	args  []any
	rtree bool // the R*Tree drives the query (aliased r)
}

func (b *built) whereSQL() string {
	if len(b.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.where, " AND ")
}

func (b *built) add(cond string, args ...any) {
	b.where = append(b.where, cond)
	b.args = append(b.args, args...)
}

func (s *Store) build(ctx context.Context, q Query, ordered bool) (*built, error) {
	q = q.withFilterBox()
	b := &built{from: "incidents i"}
	if q.BBox != nil && !q.BBox.IsWorld() {
		bounds := q.BBox.Bounds()
		drive := !ordered
		if ordered {
			n, err := s.rtreeCount(ctx, bounds, rtreeDriveMax+1)
			if err != nil {
				return nil, err
			}
			drive = n <= rtreeDriveMax
		}
		if drive {
			from, args := rtreeFrom(bounds)
			b.from = from
			b.args = append(args, b.args...)
			b.rtree = true
		}
		// The R*Tree stores 32-bit floats rounded outwards, so test the exact
		// envelope too: results then match GDAL's -spat exactly.
		var parts []string
		for _, bd := range bounds {
			parts = append(parts, "im_envelope_intersects(i.geom, ?, ?, ?, ?)")
			b.args = append(b.args, bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1])
		}
		b.where = append(b.where, "("+strings.Join(parts, " OR ")+")")
	}
	if q.Start != "" {
		b.add("COALESCE(i.event_end_date, i.event_date) >= ?", q.Start)
	}
	if q.End != "" {
		b.add("i.event_date <= ?", q.End)
	}
	if len(q.EventTypes) > 0 {
		b.add("i.event_type IN ("+placeholders(len(q.EventTypes))+")", anys(q.EventTypes)...)
	}
	if len(q.Countries) > 0 {
		b.add("i.country IN ("+placeholders(len(q.Countries))+")", anys(q.Countries)...)
	}
	if q.Admin1 != "" {
		b.add("i.admin1 = ? COLLATE NOCASE", q.Admin1)
	}
	if q.Actor != "" {
		p := likePattern(q.Actor)
		b.add(`(i.actor1 LIKE ? ESCAPE '\' OR i.actor2 LIKE ? ESCAPE '\' OR i.assoc_actor_1 LIKE ? ESCAPE '\' OR i.assoc_actor_2 LIKE ? ESCAPE '\')`, p, p, p, p)
	}
	if q.MinFatalities != nil {
		b.add("i.fatalities >= ?", *q.MinFatalities)
	}
	if q.Text != "" {
		p := likePattern(q.Text)
		b.add(`(i.notes LIKE ? ESCAPE '\' OR i.location LIKE ? ESCAPE '\' OR i.admin1 LIKE ? ESCAPE '\' OR i.admin2 LIKE ? ESCAPE '\' OR i.actor1 LIKE ? ESCAPE '\' OR i.actor2 LIKE ? ESCAPE '\' OR i.assoc_actor_1 LIKE ? ESCAPE '\' OR i.assoc_actor_2 LIKE ? ESCAPE '\')`,
			p, p, p, p, p, p, p, p)
	}
	if len(q.IDs) > 0 {
		b.add("i.id IN ("+placeholders(len(q.IDs))+")", anys(q.IDs)...)
	}
	if len(q.Statuses) > 0 {
		b.add("i.status IN ("+placeholders(len(q.Statuses))+")", anys(q.Statuses)...)
		if !slices.Contains(q.Statuses, incident.StatusPublished) {
			// Spelled as the review indexes' WHERE clause, for SQLite to
			// see that they hold every row asked for.
			b.add(QueueOnlySQL)
		}
	}
	if len(q.SourceEventIDs) > 0 {
		b.add("i.source_event_id IN ("+placeholders(len(q.SourceEventIDs))+")", anys(q.SourceEventIDs)...)
	}
	conds, args, err := filterSQL(q.Filters)
	if err != nil {
		return nil, err
	}
	b.where = append(b.where, conds...)
	b.args = append(b.args, args...)
	if q.Cursor != "" {
		c, err := decodeCursorFor(q)
		if err != nil {
			return nil, err
		}
		op := ">"
		if q.Desc {
			op = "<"
		}
		// A row value lets SQLite seek the (key, fid) index to the cursor;
		// the equivalent OR form scans it from the start each page. The
		// bound on the key alone, implied by it, lets SQLite seek an index
		// on an expression too (ConfidenceKeySQL).
		b.add(q.SortKeySQL()+" "+op+"= ?", c.keyArg())
		b.add("("+q.SortKeySQL()+", i.fid) "+op+" (?, ?)", c.keyArg(), c.fid)
	}
	return b, nil
}

// rtreeFrom returns a FROM clause in which the R*Tree entries whose boxes
// intersect bounds drive a join to the incidents (aliased r and i), and its
// arguments. CROSS JOIN keeps SQLite from reordering the two.
func rtreeFrom(bounds []orb.Bound) (string, []any) {
	const match = "minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"
	var args []any
	for _, bd := range bounds {
		args = append(args, bd.Max[0], bd.Min[0], bd.Max[1], bd.Min[1])
	}
	if len(bounds) == 1 {
		return "rtree_incidents_geom r CROSS JOIN incidents i ON i.fid = r.id AND r." +
			strings.ReplaceAll(match, " AND ", " AND r."), args
	}
	parts := make([]string, len(bounds))
	for i := range parts {
		parts[i] = "SELECT id FROM rtree_incidents_geom WHERE " + match
	}
	// UNION, not UNION ALL: a shape spanning the antimeridian sits in both halves.
	return "(" + strings.Join(parts, " UNION ") + ") r CROSS JOIN incidents i ON i.fid = r.id", args
}

// rtreeCount counts index entries intersecting bounds, stopping at limit.
func (s *Store) rtreeCount(ctx context.Context, bounds []orb.Bound, limit int) (int, error) {
	total := 0
	for _, bd := range bounds {
		var n int
		rows, err := s.queryRows(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM rtree_incidents_geom WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ? LIMIT ?)",
			bd.Max[0], bd.Min[0], bd.Max[1], bd.Min[1], limit)
		if err == nil {
			if rows.Next() {
				err = rows.Scan(&n)
			}
			rows.Close()
		}
		if err != nil {
			return 0, fmt.Errorf("estimating bbox size: %w", err)
		}
		total += n
	}
	return total, nil
}

// cursor is where a page stopped: the order, and the sort key and
// insertion key of the page's last row.
type cursor struct {
	order      Order
	desc       bool
	date       string  // ByEventDate: the event date
	confidence float64 // ByConfidence: the confidence, -1 for none
	fid        int64
}

// cursorAfter is the cursor of q's order after a row with these keys.
func cursorAfter(q Query, date string, confidence *float64, fid int64) cursor {
	c := cursor{order: q.Order, desc: q.Desc, date: date, confidence: -1, fid: fid}
	if confidence != nil {
		c.confidence = *confidence
	}
	return c
}

// keyArg is the cursor's sort key as a query argument.
func (c cursor) keyArg() any {
	if c.order == ByConfidence {
		return c.confidence
	}
	return c.date
}

// encode writes the cursor as text: the direction ("a" or "d", with a "c"
// before it for confidence), the key and the fid, base64url-encoded.
// Confidence is written in the shortest form that reads back as the same
// float64, so that the next page starts exactly after the row.
func (c cursor) encode() string {
	dir, key := "a", c.date
	if c.desc {
		dir = "d"
	}
	if c.order == ByConfidence {
		dir, key = "c"+dir, strconv.FormatFloat(c.confidence, 'g', -1, 64)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(dir + "|" + key + "|" + strconv.FormatInt(c.fid, 10)))
}

func encodeCursor(date string, fid int64, desc bool) string {
	return cursor{desc: desc, date: date, fid: fid}.encode()
}

func decodeCursor(text string) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return cursor{}, fmt.Errorf("%w: not base64url", ErrCursor)
	}
	malformed := fmt.Errorf("%w: malformed", ErrCursor)
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 {
		return cursor{}, malformed
	}
	var c cursor
	dir := parts[0]
	if rest, ok := strings.CutPrefix(dir, "c"); ok {
		c.order, dir = ByConfidence, rest
	}
	if dir != "a" && dir != "d" {
		return cursor{}, malformed
	}
	c.desc = dir == "d"
	if c.order == ByConfidence {
		c.confidence, err = strconv.ParseFloat(parts[1], 64)
		if err != nil || !(c.confidence >= -1 && c.confidence <= 1) { // NaN too
			return cursor{}, malformed
		}
	} else {
		if len(parts[1]) != 10 {
			return cursor{}, malformed
		}
		c.date = parts[1]
	}
	c.fid, err = strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return cursor{}, malformed
	}
	return c, nil
}

// decodeCursorFor reads q's cursor, checking that it belongs to q's order.
func decodeCursorFor(q Query) (cursor, error) {
	c, err := decodeCursor(q.Cursor)
	if err != nil {
		return cursor{}, err
	}
	if c.order != q.Order || c.desc != q.Desc {
		return cursor{}, fmt.Errorf("%w: it belongs to another sort order", ErrCursor)
	}
	return c, nil
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
