package postgis

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb/geojson"

	"github.com/incidentmap/incidentmap/internal/store"
)

// Audit returns the audit entries matching q, oldest first. An incident's
// entries outlive the incident.
func (s *Store) Audit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	w := &where{}
	w.add("seq > " + w.arg(q.AfterSeq))
	if q.IncidentID != "" {
		w.add("incident_id = " + w.arg(q.IncidentID))
	}
	if q.Actor != "" {
		w.add("actor = " + w.arg(q.Actor))
	}
	if !q.Since.IsZero() {
		w.add("at >= " + w.arg(q.Since.UTC()))
	}
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	rows, err := s.pool.Query(ctx, "SELECT seq, at, actor, remote, action, request_id, incident_id, change, before, after FROM incidentmap_audit"+
		w.sql()+" ORDER BY seq LIMIT "+w.arg(q.Limit), w.args...)
	if err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var before, after []byte
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Remote, &e.Action, &e.RequestID, &e.IncidentID, &e.Change, &before, &after); err != nil {
			return nil, fmt.Errorf("reading the audit trail: %w", err)
		}
		e.At = e.At.UTC()
		for _, side := range []struct {
			row []byte
			dst **geojson.Feature
		}{{before, &e.Before}, {after, &e.After}} {
			if side.row == nil {
				continue
			}
			if *side.dst, err = auditFeature(side.row); err != nil {
				return nil, fmt.Errorf("audit entry %d: %w", e.Seq, err)
			}
		}
		if e.Before != nil && e.After != nil {
			e.Changed = store.ChangedFields(e.Before, e.After)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	return out, nil
}

// auditFeature turns a row recorded by the audit trigger (migration 0001)
// into a GeoJSON Feature: the columns are its properties, geom (GeoJSON)
// its geometry.
func auditFeature(row []byte) (*geojson.Feature, error) {
	var props map[string]json.RawMessage
	if err := json.Unmarshal(row, &props); err != nil {
		return nil, fmt.Errorf("decoding a recorded row: %w", err)
	}
	f := geojson.NewFeature(nil)
	if g := props["geom"]; len(g) > 0 && string(g) != "null" {
		geom, err := geojson.UnmarshalGeometry(g)
		if err != nil {
			return nil, fmt.Errorf("decoding a recorded geometry: %w", err)
		}
		f.Geometry = geom.Geometry()
	}
	delete(props, "geom")
	for k, raw := range props {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("decoding a recorded row: %w", err)
		}
		if k == "id" {
			f.ID = v
			continue
		}
		f.Properties[k] = v
	}
	return f, nil
}
