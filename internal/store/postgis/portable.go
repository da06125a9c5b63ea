package postgis

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paulmach/orb/geojson"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Dump passes up to limit incidents to fn in insertion order, starting
// after the one with key after (0: from the first), and returns the key of
// the last it passed (after when none).
func (s *Store) Dump(ctx context.Context, after int64, limit int, fn func(in *store.StoredIncident) error) (int64, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+selectColumns+", i.review_note FROM incidents i WHERE i.fid > $1 ORDER BY i.fid LIMIT $2", after, limit)
	if err != nil {
		return after, fmt.Errorf("reading incidents: %w", err)
	}
	defer rows.Close()
	var buf rowBuf
	var in store.StoredIncident
	var note pgtype.Text
	for rows.Next() {
		if err := buf.scan(store.ExtraScan{Row: rows, Extra: []any{&note}}, &in.Incident); err != nil {
			return after, fmt.Errorf("reading incident: %w", err)
		}
		in.ReviewNote = note.String
		if err := fn(&in); err != nil {
			return after, err
		}
		after = buf.fid
	}
	if err := rows.Err(); err != nil {
		return after, fmt.Errorf("reading incidents: %w", err)
	}
	return after, nil
}

// loadSQL inserts a row with every written column and the review note.
var loadSQL = func() string {
	var cols, vals string
	for _, c := range writeColumns {
		cols += c.name + ", "
		vals += c.value + ", "
	}
	return fmt.Sprintf("INSERT INTO incidents (%sreview_note) VALUES (%s$%d)", cols, vals, len(writeColumns)+1)
}()

// Load writes incidents exactly as given — ids, created and updated
// times, review status and note — in one transaction that also stores
// progress (when its key is set), so that a copy interrupted anywhere
// resumes where the last committed batch ended. Loaded incidents are not
// audited as new: they are a copy, and their history comes with LoadAudit.
func (s *Store) Load(ctx context.Context, ins []store.StoredIncident, progress store.Setting) error {
	return s.writeTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('incidentmap.audit', 'off', true)"); err != nil {
			return fmt.Errorf("leaving the copy out of the audit trail: %w", err)
		}
		var b pgx.Batch
		written := make([]incident.Incident, len(ins))
		for i := range ins {
			args, err := rowArgs(&ins[i].Incident)
			if err != nil {
				return fmt.Errorf("incident %q: %w", ins[i].ID, err)
			}
			b.Queue(loadSQL, append(args, text(ins[i].ReviewNote))...)
			written[i] = ins[i].Incident
		}
		if err := runBatch(ctx, tx, &b, written); err != nil {
			return err
		}
		if err := growExtent(ctx, tx, written); err != nil {
			return err
		}
		return putSetting(ctx, tx, progress)
	})
}

func putSetting(ctx context.Context, tx pgx.Tx, st store.Setting) error {
	if st.Key == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, "INSERT INTO incidentmap_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		st.Key, st.Value); err != nil {
		return fmt.Errorf("storing setting %q: %w", st.Key, err)
	}
	return nil
}

// LoadAudit appends audit entries recorded by another store, keeping
// their time, writer and rows, in one transaction that also stores
// progress (when its key is set). Their sequence numbers are this store's.
func (s *Store) LoadAudit(ctx context.Context, entries []store.AuditEntry, progress store.Setting) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var b pgx.Batch
		for _, e := range entries {
			before, err := auditRow(e.Before)
			if err != nil {
				return fmt.Errorf("audit entry %d: %w", e.Seq, err)
			}
			after, err := auditRow(e.After)
			if err != nil {
				return fmt.Errorf("audit entry %d: %w", e.Seq, err)
			}
			b.Queue(`INSERT INTO incidentmap_audit (at, actor, remote, action, request_id, incident_id, change, before, after)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)`,
				e.At.UTC(), e.Actor, e.Remote, e.Action, e.RequestID, e.IncidentID, e.Change, before, after)
		}
		if err := tx.SendBatch(ctx, &b).Close(); err != nil {
			return fmt.Errorf("copying audit entries: %w", err)
		}
		return putSetting(ctx, tx, progress)
	})
}

// auditRow is the inverse of auditFeature: a recorded row as the audit
// trigger writes it (geom as a GeoJSON geometry), or nil.
func auditRow(f *geojson.Feature) (*string, error) {
	if f == nil {
		return nil, nil
	}
	row := make(map[string]any, len(f.Properties)+2)
	for k, v := range f.Properties {
		row[k] = v
	}
	row["id"] = f.ID
	if f.Geometry != nil {
		row["geom"] = geojson.NewGeometry(f.Geometry)
	}
	b, err := json.Marshal(row)
	if err != nil {
		return nil, fmt.Errorf("encoding a recorded row: %w", err)
	}
	return ptr(string(b)), nil
}

// Settings returns every entry of the settings table.
func (s *Store) Settings(ctx context.Context) ([]store.Setting, error) {
	// The kept extent is this store's own bookkeeping (extent.go).
	rows, err := s.pool.Query(ctx, `SELECT key, value FROM incidentmap_settings WHERE key <> $1 ORDER BY key COLLATE "C"`, extentKey)
	if err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	defer rows.Close()
	var out []store.Setting
	for rows.Next() {
		var st store.Setting
		if err := rows.Scan(&st.Key, &st.Value); err != nil {
			return nil, fmt.Errorf("reading settings: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	return out, nil
}
