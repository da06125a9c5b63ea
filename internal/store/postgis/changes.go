package postgis

import (
	"context"
	"fmt"
	"os"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Changed returns a channel that is closed when the next write of
// incidents through this Store has committed. Writes by other processes
// do not close it: poll Changes for those.
func (s *Store) Changed() <-chan struct{} {
	return s.commits.Next()
}

// LastChange returns the position of the newest entry of the audit trail
// (0 when there is none).
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM incidentmap_audit").Scan(&seq); err != nil {
		return 0, fmt.Errorf("reading the last change: %w", err)
	}
	return seq, nil
}

// Changes returns at most limit writes recorded after seq after and up to
// seq through, oldest first.
func (s *Store) Changes(ctx context.Context, after, through int64, limit int) ([]store.Change, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, incident_id, before IS NOT NULL AND COALESCE(before->>'status', 'published') = 'published'
		FROM incidentmap_audit WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, after, through, limit)
	if err != nil {
		return nil, fmt.Errorf("reading changes: %w", err)
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var c store.Change
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

// Snapshot writes the incidents matching q (all of them for a zero Query;
// Limit, Cursor and Desc are ignored) to path as a standalone GeoPackage,
// as the GeoPackage store's Snapshot does: the rows are read in one
// statement, so writes running meanwhile are wholly in the copy or not at
// all, and nothing but the incidents reaches it. path must not exist yet;
// on failure it is removed.
func (s *Store) Snapshot(ctx context.Context, path string, q store.Query) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("snapshot: %s exists", path)
	}
	dst, err := store.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer func() {
		if cerr := dst.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("snapshot: %w", cerr)
		}
		if err != nil {
			os.Remove(path)
			os.Remove(path + "-wal")
			os.Remove(path + "-shm")
		}
	}()
	const batch = 5000
	rows := make([]store.StoredIncident, 0, batch)
	q.Limit, q.Cursor, q.Desc = 0, "", false
	_, err = s.Query(ctx, q, func(in *incident.Incident) error {
		// Each row is freshly decoded: the struct copy shares nothing.
		rows = append(rows, store.StoredIncident{Incident: *in})
		if len(rows) < batch {
			return nil
		}
		err := dst.Load(ctx, rows, store.Setting{})
		rows = rows[:0]
		return err
	})
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := dst.Load(ctx, rows, store.Setting{}); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}
