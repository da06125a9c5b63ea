package store

import (
	"context"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// Backend is what incidentmap asks of an incident store, whichever database
// holds it: *Store (a GeoPackage file) and the PostGIS store
// (internal/store/postgis) both implement it, and one behaviour test suite
// (internal/store/storetest) holds them to the same answers. Every method
// means what it means on *Store.
type Backend interface {
	Get(ctx context.Context, id string) (incident.Incident, error)
	Insert(ctx context.Context, ins []incident.Incident) ([]incident.Incident, error)
	Update(ctx context.Context, in incident.Incident) (incident.Incident, error)
	Delete(ctx context.Context, id string) error
	Upsert(ctx context.Context, ins []incident.Incident) (UpsertResult, error)
	DeleteSourceEventsExcept(ctx context.Context, prefix string, keep map[string]bool) (int, error)
	Review(ctx context.Context, id, status, note string) (incident.Incident, error)
	ReviewNote(ctx context.Context, id string) (string, error)
	Merge(ctx context.Context, from, into string) (incident.Incident, error)

	Query(ctx context.Context, q Query, fn func(*incident.Incident) error) (string, error)
	QueryFeatures(ctx context.Context, q Query, fn func(feature []byte) error) (string, error)
	Count(ctx context.Context, q Query) (int64, error)
	Extent(ctx context.Context, q Query) (orb.Bound, bool, error)
	Clusters(ctx context.Context, q Query, zoom int) (ClusterSet, error)
	SummarizeAreas(ctx context.Context, q Query, byAdmin1 bool) (AreaSummary, error)

	Revision(ctx context.Context) (int64, error)
	Changed() <-chan struct{}
	LastChange(ctx context.Context) (int64, error)
	Changes(ctx context.Context, after, through int64, limit int) ([]Change, error)
	Snapshot(ctx context.Context, path string, q Query) error
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	Setting(ctx context.Context, key string) (string, error)
	SetSettingIfAbsent(ctx context.Context, key, value string) (string, error)

	AddKey(ctx context.Context, k KeyRecord) error
	Keys(ctx context.Context) ([]KeyRecord, error)
	RevokeKey(ctx context.Context, name string, at time.Time) error
	KeyByHash(ctx context.Context, hash string) (KeyRecord, error)

	ArticleSeen(ctx context.Context, url string) (bool, error)
	FindArticle(ctx context.Context, key, url string) (Article, bool, error)
	RememberArticle(ctx context.Context, a Article) error
	IngestArticle(ctx context.Context, a Article, fresh, merged []incident.Incident) (stored, updated []incident.Incident, err error)
	Articles(ctx context.Context, after string, limit int) ([]Article, error)
	ArticlesOf(ctx context.Context, incidentID string) ([]Article, error)

	AddFeed(ctx context.Context, f FeedRecord) error
	RemoveFeed(ctx context.Context, url string) error
	Feeds(ctx context.Context, dueBy time.Time) ([]FeedRecord, error)
	SaveFeedState(ctx context.Context, url string, nextPoll time.Time, state string) error

	// What a copy to another store needs (incidentmap migrate).
	Dump(ctx context.Context, after int64, limit int, fn func(in *StoredIncident) error) (int64, error)
	Load(ctx context.Context, ins []StoredIncident, progress Setting) error
	LoadAudit(ctx context.Context, entries []AuditEntry, progress Setting) error
	Settings(ctx context.Context) ([]Setting, error)

	Close() error
}

var _ Backend = (*Store)(nil)

// The rules below are the store's, whatever the database: other backends
// call them so that both stores assign ids, page and review alike.

// PrepareWrite validates in and fills what a store owns: a new id (UUIDv7)
// when it has none, created (when zero) and updated set to now, and
// coordinates rounded to geo.DefaultDecimals.
func PrepareWrite(in *incident.Incident, now time.Time) error { return prepare(in, now) }

// PageCursor returns the paging cursor of q's order that continues after
// the row with event date date, confidence (nil for none) and insertion
// key seq.
func PageCursor(q Query, date string, confidence *float64, seq int64) string {
	return cursorAfter(q, date, confidence, seq).encode()
}

// DecodeCursor reads q's cursor (of PageCursor), checking that it belongs
// to q's order, and returns the sort key of the row it continues after
// (the event date as YYYY-MM-DD, or the confidence as a float64, -1 for
// none) and its insertion key; a wrong one wraps ErrCursor.
func DecodeCursor(q Query) (key any, seq int64, err error) {
	c, err := decodeCursorFor(q)
	if err != nil {
		return nil, 0, err
	}
	return c.keyArg(), c.fid, nil
}

// WriterOf returns the actor ctx carries (WithActor), "unknown" when none,
// as the audit trail records it.
func WriterOf(ctx context.Context) Actor { return actorOf(ctx) }

// ReviewFrom returns the statuses from which an incident may be reviewed
// to status, or ErrReview when status is no review outcome.
func ReviewFrom(status string) ([]string, error) {
	from, ok := reviewMoves[status]
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a review outcome", ErrReview, status)
	}
	return from, nil
}

// ChangedFields lists, sorted, the properties whose values differ between
// an audited row before and after an update, and "geometry" when it moved.
func ChangedFields(before, after *geojson.Feature) []string { return changedFields(before, after) }

// ClusterCells is the number of grid cells across the world, on each axis,
// that Clusters groups incidents in at zoom (clamped to [0, MaxClusterZoom]):
// cells of about ClusterCellPixels on a Web Mercator map, fixed to the
// world. A point's cell is floor((lon+180)/360·n) across and
// floor(MercatorY(lat)·n) down.
func ClusterCells(zoom int) float64 { return newGrid(max(0, min(zoom, MaxClusterZoom))).cells }

// MercatorY is a latitude's position down a Web Mercator map, 0 at the top
// and 1 at the bottom, clamped at the projection's ±85.05113°.
func MercatorY(lat float64) float64 { return mercatorY(lat) }

// LikePattern is the SQL LIKE pattern (escape character \) that matches s
// as a substring, as the text filters of Query do.
func LikePattern(s string) string { return likePattern(s) }

// FilterColumns lists the queryables with the SQL over the incidents table
// (aliased i) behind each, for a store translating Query.Filters into its
// own dialect: every store names its columns as the public properties.
func FilterColumns() []cql2.Column { return incidentColumns() }

// LikeEscaped rewrites a CQL2 LIKE pattern (% any run, _ one character,
// backslash escaping the next) for SQL's LIKE with escape character \:
// the same wildcards, every escape explicit, a trailing backslash literal.
func LikeEscaped(pattern string) string { return likeToLike(pattern) }

// Filtered reports whether q selects fewer than all incidents.
func (q Query) Filtered() bool { return q.filtered() }
