package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb/geojson"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// StoredIncident is an incident exactly as a store keeps it, with the note
// of its last review: what Dump reads and Load writes, so that a copy to
// another store (incidentmap migrate) keeps ids, times and review state.
type StoredIncident struct {
	incident.Incident
	ReviewNote string
}

// Setting is one entry of the settings table.
type Setting struct{ Key, Value string }

// ExtraScan scans a row of a store's usual columns followed by extra ones
// (into Extra), for readers of the usual columns such as Dump's.
type ExtraScan struct {
	Row   interface{ Scan(dest ...any) error }
	Extra []any
}

// Scan scans the row into dest and then Extra.
func (w ExtraScan) Scan(dest ...any) error { return w.Row.Scan(append(dest, w.Extra...)...) }

// Dump passes up to limit incidents to fn in storage order, starting after
// the one with key after (0: from the first), and returns the key of the
// last it passed (after when none). Keys order the rows as they were
// inserted; a copy resumes from the last one it stored.
func (s *Store) Dump(ctx context.Context, after int64, limit int, fn func(in *StoredIncident) error) (int64, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT "+selectColumns+", i.review_note FROM incidents i WHERE i.fid > ? ORDER BY i.fid LIMIT ?", after, limit)
	if err != nil {
		return after, fmt.Errorf("reading incidents: %w", err)
	}
	defer rows.Close()
	buf := newRowBuf(ctx, s.reader)
	var in StoredIncident
	var note sql.NullString
	for rows.Next() {
		if err := buf.scan(ExtraScan{rows, []any{&note}}, &in.Incident); err != nil {
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

// Load writes incidents exactly as given — ids, created and updated
// times, review status and note — in one transaction that also stores
// progress (when its key is set), so that a copy interrupted anywhere
// resumes where the last committed batch ended. Loaded incidents are not
// audited as new: they are a copy, and their history comes with LoadAudit.
func (s *Store) Load(ctx context.Context, ins []StoredIncident, progress Setting) error {
	return s.writeTx(ctx, false, func(tx *sql.Tx, c *change) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM incidentmap_audit").Scan(&seq); err != nil {
			return fmt.Errorf("reading the audit trail: %w", err)
		}
		bulk, err := dropInsertTriggers(ctx, tx)
		if err != nil {
			return err
		}
		w := newRowWriter(tx, c)
		defer w.close()
		for i := range ins {
			if err := w.add(ctx, i, &ins[i].Incident); err != nil {
				return err
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if err := bulk.finish(ctx, tx); err != nil {
			return err
		}
		for i := range ins {
			if ins[i].ReviewNote == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE incidents SET review_note = ? WHERE id = ?", ins[i].ReviewNote, ins[i].ID); err != nil {
				return fmt.Errorf("storing the review note of %q: %w", ins[i].ID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM incidentmap_audit WHERE seq > ?", seq); err != nil {
			return fmt.Errorf("leaving the copy out of the audit trail: %w", err)
		}
		return putSetting(ctx, tx, progress)
	})
}

func putSetting(ctx context.Context, tx *sql.Tx, st Setting) error {
	if st.Key == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO incidentmap_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		st.Key, st.Value); err != nil {
		return fmt.Errorf("storing setting %q: %w", st.Key, err)
	}
	return nil
}

// LoadAudit appends audit entries recorded by another store, keeping
// their time, writer and rows, in one transaction that also stores
// progress (when its key is set). Their sequence numbers are this store's.
func (s *Store) LoadAudit(ctx context.Context, entries []AuditEntry, progress Setting) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting write: %w", err)
	}
	defer tx.Rollback()
	for _, e := range entries {
		before, err := auditRow(e.Before)
		if err != nil {
			return fmt.Errorf("audit entry %d: %w", e.Seq, err)
		}
		after, err := auditRow(e.After)
		if err != nil {
			return fmt.Errorf("audit entry %d: %w", e.Seq, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidentmap_audit (at, actor, remote, action, request_id, incident_id, change, before, after)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.At.UTC().Format(incident.TimeLayout), e.Actor, e.Remote, e.Action, e.RequestID,
			e.IncidentID, e.Change, before, after); err != nil {
			return fmt.Errorf("copying audit entry %d: %w", e.Seq, err)
		}
	}
	if err := putSetting(ctx, tx, progress); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// auditRow is the inverse of auditFeature: a recorded row as the audit
// triggers write it (geom as the GeoPackage blob in hex), or nil.
func auditRow(f *geojson.Feature) (any, error) {
	if f == nil {
		return nil, nil
	}
	row := make(map[string]any, len(f.Properties)+2)
	for k, v := range f.Properties {
		row[k] = v
	}
	row["id"] = f.ID
	if f.Geometry != nil {
		blob, err := geo.EncodeGPKG(f.Geometry, geo.SRSWGS84)
		if err != nil {
			return nil, fmt.Errorf("encoding a recorded geometry: %w", err)
		}
		row["geom"] = hex.EncodeToString(blob)
	}
	b, err := json.Marshal(row)
	if err != nil {
		return nil, fmt.Errorf("encoding a recorded row: %w", err)
	}
	return string(b), nil
}

// Settings returns every entry of the settings table.
func (s *Store) Settings(ctx context.Context) ([]Setting, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT key, value FROM incidentmap_settings ORDER BY key")
	if err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	defer rows.Close()
	var out []Setting
	for rows.Next() {
		var st Setting
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
