package postgis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// where is a query's WHERE conditions and their parameters ($1, $2...).
type where struct {
	conds []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// build turns q's filters into conditions over incidents aliased i, with
// the GeoPackage store's meaning: a bbox selects geometries whose envelope
// intersects the box (across the antimeridian, either part), dates overlap
// [Start, End], text filters match substrings case-insensitively.
func build(q store.Query) (*where, error) {
	w := &where{}
	if q.BBox != nil && !q.BBox.IsWorld() {
		var parts []string
		for _, bd := range q.BBox.Bounds() {
			parts = append(parts, envelopeIntersects(w, bd))
		}
		w.add("(" + strings.Join(parts, " OR ") + ")")
	}
	if q.Start != "" {
		w.add("COALESCE(i.event_end_date, i.event_date) >= " + w.arg(q.Start) + "::date")
	}
	if q.End != "" {
		w.add("i.event_date <= " + w.arg(q.End) + "::date")
	}
	for _, in := range []struct {
		column string
		values []string
	}{{"event_type", q.EventTypes}, {"country", q.Countries}, {"id", q.IDs}, {"status", q.Statuses}, {"source_event_id", q.SourceEventIDs}} {
		if len(in.values) > 0 {
			w.add("i." + in.column + " = ANY(" + w.arg(in.values) + ")")
		}
	}
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, incident.StatusPublished) {
		w.add(store.QueueOnlySQL) // the partial indexes' own condition, for the planner
	}
	if q.Admin1 != "" {
		w.add("lower(i.admin1) = lower(" + w.arg(q.Admin1) + ")")
	}
	if q.Actor != "" {
		w.add(anyLike(w, store.LikePattern(q.Actor), "actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))
	}
	if q.MinFatalities != nil {
		w.add("i.fatalities >= " + w.arg(*q.MinFatalities))
	}
	if q.Text != "" {
		w.add(anyLike(w, store.LikePattern(q.Text), "notes", "location", "admin1", "admin2", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))
	}
	if err := addFilters(w, q.Filters); err != nil {
		return nil, err
	}
	if q.Cursor != "" {
		key, fid, err := store.DecodeCursor(q)
		if err != nil {
			return nil, err
		}
		op := ">"
		if q.Desc {
			op = "<"
		}
		cast := "::date"
		if q.Order == store.ByConfidence {
			cast = "::double precision"
		}
		k := w.arg(key) + cast
		w.add(q.SortKeySQL() + " " + op + "= " + k) // implied by the next, it helps an expression index
		w.add("(" + q.SortKeySQL() + ", i.fid) " + op + " (" + k + ", " + w.arg(fid) + ")")
	}
	return w, nil
}

// envelopeIntersects tests a geometry's exact envelope against bd: the
// && operator lets the GiST index find candidates, but it compares boxes
// rounded outwards to float4, so the exact test follows (results then match
// the GeoPackage store's, and GDAL's -spat).
func envelopeIntersects(w *where, bd orb.Bound) string {
	minx, miny, maxx, maxy := w.arg(bd.Min[0]), w.arg(bd.Min[1]), w.arg(bd.Max[0]), w.arg(bd.Max[1])
	return fmt.Sprintf("(i.geom && ST_MakeEnvelope(%[1]s, %[2]s, %[3]s, %[4]s, 4326) AND ST_XMin(i.geom) <= %[3]s AND ST_XMax(i.geom) >= %[1]s AND ST_YMin(i.geom) <= %[4]s AND ST_YMax(i.geom) >= %[2]s)",
		minx, miny, maxx, maxy)
}

// anyLike matches pattern against any of columns, case-insensitively.
func anyLike(w *where, pattern string, columns ...string) string {
	p := w.arg(pattern)
	parts := make([]string, len(columns))
	for i, c := range columns {
		parts[i] = "i." + c + " ILIKE " + p
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// Query streams the incidents matching q to fn, in q's order, and returns
// the cursor of the next page ("" when this was the last). fn's incident
// is reused between calls: copy what must outlive the call.
func (s *Store) Query(ctx context.Context, q store.Query, fn func(*incident.Incident) error) (string, error) {
	w, err := build(q)
	if err != nil {
		return "", err
	}
	order := "ASC"
	if q.Desc {
		order = "DESC"
	}
	text := "SELECT " + selectColumns + " FROM incidents i" + w.sql() + " ORDER BY " + q.SortKeySQL() + " " + order + ", i.fid " + order
	if q.Limit > 0 {
		text += " LIMIT " + w.arg(q.Limit+1) // one more tells whether a next page exists
	}
	rows, err := s.pool.Query(ctx, text, w.args...)
	if err != nil {
		return "", fmt.Errorf("querying incidents: %w", err)
	}
	defer rows.Close()
	var buf rowBuf
	var in incident.Incident
	n := 0
	var next string
	for rows.Next() {
		if q.Limit > 0 && n == q.Limit {
			return next, nil
		}
		if err := buf.scan(rows, &in); err != nil {
			return "", fmt.Errorf("reading incident: %w", err)
		}
		if q.Limit > 0 && n == q.Limit-1 { // the page's last row: where the next one starts
			next = store.PageCursor(q, buf.eventDate, floatPtr(buf.confidence), buf.fid)
		}
		if err := fn(&in); err != nil {
			return "", err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("reading incidents: %w", err)
	}
	return "", nil
}

func floatPtr(f pgtype.Float8) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

// QueryFeatures is Query for writers of GeoJSON: fn receives each incident
// encoded as a Feature (incident.AppendFeature), valid only during the call.
func (s *Store) QueryFeatures(ctx context.Context, q store.Query, fn func(feature []byte) error) (string, error) {
	var buf []byte
	return s.Query(ctx, q, func(in *incident.Incident) error {
		buf = in.AppendFeature(buf[:0])
		return fn(buf)
	})
}

// Get returns the incident with id, or an error wrapping store.ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (incident.Incident, error) {
	var buf rowBuf
	var in incident.Incident
	err := buf.scan(s.pool.QueryRow(ctx, "SELECT "+selectColumns+" FROM incidents i WHERE i.id = $1", id), &in)
	if errors.Is(err, pgx.ErrNoRows) {
		return incident.Incident{}, fmt.Errorf("incident %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return incident.Incident{}, fmt.Errorf("reading incident %q: %w", id, err)
	}
	return in, nil
}

// Count returns how many incidents match q, ignoring its Limit and Cursor.
// A query with no filter but the review status reads the counts the
// triggers of migration 0004 keep.
func (s *Store) Count(ctx context.Context, q store.Query) (int64, error) {
	q.Cursor, q.Limit = "", 0
	if !withoutStatuses(q).Filtered() {
		return s.countByStatus(ctx, q.Statuses)
	}
	w, err := build(q)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM incidents i"+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting incidents: %w", err)
	}
	return n, nil
}

func withoutStatuses(q store.Query) store.Query {
	q.Statuses = nil
	return q
}

// countByStatus adds up the kept counts of statuses (all for nil).
func (s *Store) countByStatus(ctx context.Context, statuses []string) (int64, error) {
	w := &where{}
	if len(statuses) > 0 {
		w.add("status = ANY(" + w.arg(statuses) + ")")
	}
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(sum(n), 0)::bigint FROM incidentmap_counts"+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting incidents: %w", err)
	}
	return n, nil
}

// Extent returns the bound of the incidents matching q, and false when
// none match. Without filters it reads the layer extent kept with the
// settings (extent.go).
func (s *Store) Extent(ctx context.Context, q store.Query) (orb.Bound, bool, error) {
	q.Cursor, q.Limit = "", 0
	if !q.Filtered() {
		return s.layerExtent(ctx)
	}
	w, err := build(q)
	if err != nil {
		return orb.Bound{}, false, err
	}
	var minx, miny, maxx, maxy *float64
	err = s.pool.QueryRow(ctx, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(i.geom) AS e FROM incidents i"+w.sql()+") x", w.args...).
		Scan(&minx, &miny, &maxx, &maxy)
	if err != nil {
		return orb.Bound{}, false, fmt.Errorf("computing extent: %w", err)
	}
	if minx == nil {
		return orb.Bound{}, false, nil
	}
	return orb.Bound{Min: orb.Point{*minx, *miny}, Max: orb.Point{*maxx, *maxy}}, true, nil
}

// SummarizeAreas counts the incidents matching q per country, or per
// country and admin1 when byAdmin1 is set.
func (s *Store) SummarizeAreas(ctx context.Context, q store.Query, byAdmin1 bool) (store.AreaSummary, error) {
	q.Cursor, q.Limit = "", 0
	w, err := build(q)
	if err != nil {
		return store.AreaSummary{}, err
	}
	keys := "COALESCE(i.country, ''), ''"
	if byAdmin1 {
		keys = "COALESCE(i.country, ''), COALESCE(i.admin1, '')"
	}
	// COLLATE "C": areas tie-break in byte order, as in the GeoPackage store.
	rows, err := s.pool.Query(ctx, "SELECT * FROM (SELECT "+keys+", count(*) AS n, COALESCE(sum(i.fatalities), 0) FROM incidents i"+w.sql()+
		` GROUP BY 1, 2) a (country, admin1, n, fatalities) ORDER BY n DESC, country COLLATE "C", admin1 COLLATE "C"`, w.args...)
	if err != nil {
		return store.AreaSummary{}, fmt.Errorf("summarizing incidents by area: %w", err)
	}
	defer rows.Close()
	var out store.AreaSummary
	for rows.Next() {
		var a store.AreaCount
		if err := rows.Scan(&a.Country, &a.Admin1, &a.Incidents, &a.Fatalities); err != nil {
			return store.AreaSummary{}, fmt.Errorf("reading an area summary: %w", err)
		}
		out.Add(a, byAdmin1)
	}
	if err := rows.Err(); err != nil {
		return store.AreaSummary{}, fmt.Errorf("summarizing incidents by area: %w", err)
	}
	return out, nil
}

// ReviewNote returns the note of the incident id's last review ("" when
// none), e.g. why it was rejected.
func (s *Store) ReviewNote(ctx context.Context, id string) (string, error) {
	var note *string
	err := s.pool.QueryRow(ctx, "SELECT review_note FROM incidents WHERE id = $1", id).Scan(&note)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("incident %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("reading the review note of %q: %w", id, err)
	}
	if note == nil {
		return "", nil
	}
	return *note, nil
}
