package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/incidentmap/incidentmap/geo"
)

// Actor is who makes a write, for the audit trail: the API key's name (or
// "cli" for the command line), the client's address, the action
// ("create", "patch", "delete", "import", "ingest"...) and the request id.
type Actor struct {
	Name      string
	Remote    string
	Action    string
	RequestID string
}

type actorKey struct{}

// WithActor returns ctx carrying a, which the writes made with it record
// in the audit trail.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// actorOf returns the actor ctx carries; writes without one are recorded
// as "unknown", so that none goes unrecorded.
func actorOf(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	if a.Name == "" {
		a.Name = "unknown"
	}
	if a.Action == "" {
		a.Action = "write"
	}
	return a
}

// setAuditContext names the writer of tx for the audit triggers
// (migration 0004); resetAuditContext hands the name back to "external
// tool" before the commit, for writes made without incidentmap.
func setAuditContext(ctx context.Context, tx *sql.Tx, a Actor) error {
	if _, err := tx.ExecContext(ctx, "UPDATE incidentmap_audit_context SET actor = ?, remote = ?, action = ?, request_id = ? WHERE one = 1",
		a.Name, a.Remote, a.Action, a.RequestID); err != nil {
		return fmt.Errorf("recording the writer for the audit trail: %w", err)
	}
	return nil
}

func resetAuditContext(ctx context.Context, tx *sql.Tx) error {
	return setAuditContext(ctx, tx, Actor{Name: "external tool", Action: "write"})
}

// AuditEntry is one recorded change of one incident.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Remote     string    `json:"remote,omitempty"`
	Action     string    `json:"action"`
	RequestID  string    `json:"request_id,omitempty"`
	IncidentID string    `json:"incident_id"`
	Change     string    `json:"change"` // insert, update or delete
	// Before and After are the incident as GeoJSON Features (nil before an
	// insert and after a delete).
	Before *geojson.Feature `json:"before"`
	After  *geojson.Feature `json:"after"`
	// Changed names what an update changed: properties, and "geometry".
	Changed []string `json:"changed,omitempty"`
}

// AuditQuery selects audit entries; zero fields do not filter.
type AuditQuery struct {
	IncidentID string
	Actor      string
	Since      time.Time
	AfterSeq   int64 // entries after this one (paging)
	Limit      int   // 0: 1000
}

// Audit returns the audit entries matching q, oldest first. An incident's
// entries outlive the incident.
func (s *Store) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	sqlText := `SELECT seq, CAST(at AS TEXT), actor, remote, action, request_id, incident_id, change, before, after
		FROM incidentmap_audit WHERE seq > ?`
	args := []any{q.AfterSeq}
	if q.IncidentID != "" {
		sqlText += " AND incident_id = ?"
		args = append(args, q.IncidentID)
	}
	if q.Actor != "" {
		sqlText += " AND actor = ?"
		args = append(args, q.Actor)
	}
	if !q.Since.IsZero() {
		sqlText += " AND at >= ?"
		args = append(args, q.Since.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	sqlText += " ORDER BY seq LIMIT ?"
	args = append(args, q.Limit)
	rows, err := s.reader.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		var before, after sql.NullString
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Remote, &e.Action, &e.RequestID, &e.IncidentID, &e.Change, &before, &after); err != nil {
			return nil, fmt.Errorf("reading the audit trail: %w", err)
		}
		e.At = parseTimestamp(at)
		for _, side := range []struct {
			row sql.NullString
			dst **geojson.Feature
		}{{before, &e.Before}, {after, &e.After}} {
			if !side.row.Valid {
				continue
			}
			if *side.dst, err = auditFeature(side.row.String); err != nil {
				return nil, fmt.Errorf("audit entry %d: %w", e.Seq, err)
			}
		}
		if e.Before != nil && e.After != nil {
			e.Changed = changedFields(e.Before, e.After)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	return out, nil
}

// auditFeature turns a row recorded by the audit triggers into a GeoJSON
// Feature: the columns are its properties, geom (hex) its geometry.
func auditFeature(row string) (*geojson.Feature, error) {
	var props map[string]any
	if err := json.Unmarshal([]byte(row), &props); err != nil {
		return nil, fmt.Errorf("decoding a recorded row: %w", err)
	}
	f := geojson.NewFeature(nil)
	if h, _ := props["geom"].(string); h != "" {
		blob, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("decoding a recorded geometry: %w", err)
		}
		g, _, err := geo.DecodeGPKG(blob)
		if err != nil {
			return nil, fmt.Errorf("decoding a recorded geometry: %w", err)
		}
		f.Geometry = g
	}
	delete(props, "geom")
	f.ID = props["id"]
	delete(props, "id")
	for k, v := range props {
		if v != nil {
			f.Properties[k] = v
		}
	}
	return f, nil
}

// changedFields lists, sorted, the properties whose values differ between
// two recorded rows, and "geometry" when it moved; "updated" always
// changes and is left out.
func changedFields(before, after *geojson.Feature) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(union(before.Properties, after.Properties))) {
		if k != "updated" && !reflect.DeepEqual(before.Properties[k], after.Properties[k]) {
			out = append(out, k)
		}
	}
	if !orb.Equal(before.Geometry, after.Geometry) {
		out = append(out, "geometry")
	}
	return out
}

func union(a, b map[string]any) map[string]bool {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
