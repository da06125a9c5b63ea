package store

import (
	"context"
	"fmt"
)

// Change is one recorded write of one incident, as the live map needs it:
// which incident, at which point of the audit trail, and whether readers
// could see it before (so that they learn when it leaves their view).
type Change struct {
	Seq          int64
	IncidentID   string
	WasPublished bool // the incident existed and was published before this write
}

// Changed returns a channel that is closed when the next write of
// incidents through this Store has committed. Take it before reading what
// changed, so that a write during the read is not missed. Writes by other
// programs do not close it: poll Changes for those.
func (s *Store) Changed() <-chan struct{} {
	return s.commits.Next()
}

// LastChange returns the position of the newest entry of the audit trail
// (0 when there is none): Changes after it are writes still to come.
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.reader.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM incidentmap_audit").Scan(&seq); err != nil {
		return 0, fmt.Errorf("reading the last change: %w", err)
	}
	return seq, nil
}

// Changes returns at most limit writes recorded after seq after and up to
// seq through, oldest first.
func (s *Store) Changes(ctx context.Context, after, through int64, limit int) ([]Change, error) {
	rows, err := s.queryRows(ctx, `SELECT seq, incident_id,
			before IS NOT NULL AND COALESCE(json_extract(before, '$.status'), 'published') = 'published'
		FROM incidentmap_audit WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`, after, through, limit)
	if err != nil {
		return nil, fmt.Errorf("reading changes: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Seq, &c.IncidentID, &c.WasPublished); err != nil {
			return nil, fmt.Errorf("reading changes: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading changes: %w", err)
	}
	return out, nil
}
