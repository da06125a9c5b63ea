package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// UpsertResult counts what Upsert did.
type UpsertResult struct {
	Inserted int
	Updated  int
	// IDs holds the stored id of each input incident, in input order.
	IDs []string
}

// Insert stores new incidents in one transaction: all of them or, on any
// error, none. It assigns ids to incidents without one, sets created and
// updated, rounds coordinates to geo.DefaultDecimals, and returns the stored
// incidents. An id already in the store is ErrConflict.
func (s *Store) Insert(ctx context.Context, ins []incident.Incident) ([]incident.Incident, error) {
	var out []incident.Incident
	err := s.writeTx(ctx, false, func(tx *sql.Tx, c *change) error {
		var err error
		out, err = insertRows(ctx, tx, c, ins)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// insertRows is Insert inside the write transaction tx.
func insertRows(ctx context.Context, tx *sql.Tx, c *change, ins []incident.Incident) ([]incident.Incident, error) {
	out := make([]incident.Incident, len(ins))
	var bulk *bulkTriggers
	if len(ins) >= bulkRows {
		var err error
		if bulk, err = dropInsertTriggers(ctx, tx); err != nil {
			return nil, err
		}
	}
	w := newRowWriter(tx, c)
	defer w.close()
	now := time.Now().UTC().Truncate(time.Millisecond)
	for i := range ins {
		in := ins[i]
		if err := prepare(&in, now); err != nil {
			return nil, fmt.Errorf("incident %d: %w", i, err)
		}
		if err := w.add(ctx, i, &in); err != nil {
			return nil, err
		}
		out[i] = in
	}
	if err := w.flush(ctx); err != nil {
		return nil, err
	}
	if bulk != nil {
		if err := bulk.finish(ctx, tx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Update replaces the stored incident with in.ID by in, keeping its created
// time, and returns it as stored.
func (s *Store) Update(ctx context.Context, in incident.Incident) (incident.Incident, error) {
	err := s.writeTx(ctx, true, func(tx *sql.Tx, c *change) error {
		u := &updater{tx: tx, c: c}
		defer u.close()
		return u.replace(ctx, &in)
	})
	return in, err
}

// replace is Update of in inside the updater's transaction; in becomes
// the incident as stored.
func (u *updater) replace(ctx context.Context, in *incident.Incident) error {
	var created, date string
	var fid int64
	var geom []byte
	err := u.tx.QueryRowContext(ctx, "SELECT created, fid, CAST(event_date AS TEXT), geom FROM incidents WHERE id = ?", in.ID).Scan(&created, &fid, &date, &geom)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("updating incident %q: %w", in.ID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("updating incident %q: %w", in.ID, err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	in.Created, _ = time.Parse(time.RFC3339Nano, created)
	if err := prepare(in, now); err != nil {
		return err
	}
	in.Updated = now
	u.c.remove(fid, date)
	if err := u.update(ctx, in, geom); err != nil {
		return err
	}
	extend(&u.c.bound, in.Geometry)
	return nil
}

// updater runs the UPDATEs of one write transaction through statements
// it prepares once: preparing an UPDATE compiles every update trigger
// into it, which costs more than running it.
type updater struct {
	tx             *sql.Tx
	c              *change
	full, keepGeom *sql.Stmt
}

// update replaces the row with in.ID by in. oldGeom is the stored geometry:
// when in's is the same, the UPDATE leaves geom out of its SET list, so
// that the GeoPackage R*Tree triggers (UPDATE OF geom) do not delete and
// re-insert an unchanged entry — most rows of a re-import.
func (u *updater) update(ctx context.Context, in *incident.Incident, oldGeom []byte) error {
	args, err := rowArgs(in)
	if err != nil {
		return err
	}
	var st *sql.Stmt
	if blob, _ := args[1].([]byte); bytes.Equal(blob, oldGeom) {
		st, err = u.stmt(ctx, &u.keepGeom, updateSQL(2))
		args = append(args[2:], in.ID) // id and geom stay
	} else {
		st, err = u.stmt(ctx, &u.full, updateSQL(1))
		args = append(args[1:], in.ID) // id stays
	}
	if err != nil {
		return err
	}
	if err := u.c.write(ctx, st, args); err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("updating incident %q (source_event_id %q): %w", in.ID, in.SourceEventID, ErrConflict)
		}
		return fmt.Errorf("updating incident %q: %w", in.ID, err)
	}
	return nil
}

func (u *updater) stmt(ctx context.Context, st **sql.Stmt, text string) (*sql.Stmt, error) {
	if *st == nil {
		var err error
		if *st, err = u.tx.PrepareContext(ctx, u.c.returning(text)); err != nil {
			return nil, fmt.Errorf("preparing update: %w", err)
		}
	}
	return *st, nil
}

func (u *updater) close() {
	for _, st := range []*sql.Stmt{u.full, u.keepGeom} {
		if st != nil {
			st.Close()
		}
	}
}

// updateSQL sets the written columns from the skip-th on (1: all but id;
// 2: all but id and geom) on the row with the id of its last parameter.
func updateSQL(skip int) string {
	cols := strings.Split(writeColumns, ",")
	set := make([]string, 0, len(cols))
	for _, c := range cols[skip:] {
		set = append(set, strings.TrimSpace(c)+" = ?")
	}
	return "UPDATE incidents SET " + strings.Join(set, ", ") + " WHERE id = ?"
}

// Delete removes the incident with id.
func (s *Store) Delete(ctx context.Context, id string) error {
	return s.writeTx(ctx, true, func(tx *sql.Tx, c *change) error {
		var fid int64
		var date string
		err := tx.QueryRowContext(ctx, "DELETE FROM incidents WHERE id = ? RETURNING fid, CAST(event_date AS TEXT)", id).Scan(&fid, &date)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("deleting incident %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("deleting incident %q: %w", id, err)
		}
		c.remove(fid, date)
		return nil
	})
}

// DeleteSourceEventsExcept deletes the imported incidents whose
// source_event_id starts with prefix but is not in keep: a --sync import
// removes rows deleted upstream this way. It returns how many it deleted.
func (s *Store) DeleteSourceEventsExcept(ctx context.Context, prefix string, keep map[string]bool) (int, error) {
	var n int
	err := s.writeTx(ctx, true, func(tx *sql.Tx, c *change) error {
		rows, err := tx.QueryContext(ctx, "SELECT fid, source_event_id, CAST(event_date AS TEXT) FROM incidents WHERE source_event_id >= ? AND source_event_id < ?", prefix, prefix+"\U0010FFFF")
		if err != nil {
			return fmt.Errorf("listing imported incidents: %w", err)
		}
		type row struct {
			fid  int64
			date string
		}
		var drop []row
		for rows.Next() {
			var r row
			var sid string
			if err := rows.Scan(&r.fid, &sid, &r.date); err != nil {
				rows.Close()
				return fmt.Errorf("listing imported incidents: %w", err)
			}
			if !keep[sid] {
				drop = append(drop, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("listing imported incidents: %w", err)
		}
		if len(drop) == 0 {
			return nil
		}
		// Prepared once: preparing a DELETE compiles the delete triggers.
		del, err := tx.PrepareContext(ctx, "DELETE FROM incidents WHERE fid = ?")
		if err != nil {
			return fmt.Errorf("preparing deletion: %w", err)
		}
		defer del.Close()
		for _, r := range drop {
			if _, err := del.ExecContext(ctx, r.fid); err != nil {
				return fmt.Errorf("deleting incident: %w", err)
			}
			c.remove(r.fid, r.date)
		}
		n = len(drop)
		return nil
	})
	return n, err
}

// Upsert writes imported incidents in one transaction, matching stored ones
// by SourceEventID: a known one is updated in place (keeping its id and
// created time), a new one inserted. Incidents without a SourceEventID are
// inserted. All or nothing.
//
// It looks each incident up before writing it. SQLite's INSERT ... ON
// CONFLICT DO UPDATE would save the lookup, but it overrides the conflict
// clause of the INSERT OR REPLACE inside the GeoPackage R*Tree triggers,
// which then fail on the existing index entry.
func (s *Store) Upsert(ctx context.Context, ins []incident.Incident) (UpsertResult, error) {
	res := UpsertResult{IDs: make([]string, len(ins))}
	// Updates grow the layer extent by their new geometry but do not shrink
	// it from the old one: recomputing it per batch would scan the index,
	// and a re-import moves few points.
	err := s.writeTx(ctx, false, func(tx *sql.Tx, c *change) error {
		res.Inserted, res.Updated = 0, 0
		find, err := tx.PrepareContext(ctx, "SELECT id, created, fid, CAST(event_date AS TEXT), geom FROM incidents WHERE source_event_id = ?")
		if err != nil {
			return fmt.Errorf("preparing upsert: %w", err)
		}
		defer find.Close()
		w := newRowWriter(tx, c)
		defer w.close()
		u := &updater{tx: tx, c: c}
		defer u.close()
		now := time.Now().UTC().Truncate(time.Millisecond)
		for i := range ins {
			in := ins[i]
			var id, created, date string
			var fid int64
			var geom []byte
			err := sql.ErrNoRows
			if in.SourceEventID != "" {
				// An earlier incident of this call with the same id may
				// still wait in w: write it first, so it is found.
				if w.holds(in.SourceEventID) {
					if err := w.flush(ctx); err != nil {
						return err
					}
				}
				err = find.QueryRowContext(ctx, in.SourceEventID).Scan(&id, &created, &fid, &date, &geom)
			}
			switch {
			case err == nil:
				in.ID = id
				in.Created, _ = time.Parse(time.RFC3339Nano, created)
				if err := prepare(&in, now); err != nil {
					return fmt.Errorf("incident %d: %w", i, err)
				}
				c.remove(fid, date)
				if err := u.update(ctx, &in, geom); err != nil {
					return fmt.Errorf("incident %d: %w", i, err)
				}
				extend(&c.bound, in.Geometry)
				res.Updated++
			case errors.Is(err, sql.ErrNoRows):
				if err := prepare(&in, now); err != nil {
					return fmt.Errorf("incident %d: %w", i, err)
				}
				if err := w.add(ctx, i, &in); err != nil {
					return err
				}
				res.Inserted++
			default:
				return fmt.Errorf("looking up source_event_id %q: %w", in.SourceEventID, err)
			}
			res.IDs[i] = in.ID
		}
		return w.flush(ctx)
	})
	return res, err
}

// prepare validates in and fills what the store owns: id, timestamps,
// rounded coordinates.
func prepare(in *incident.Incident, now time.Time) error {
	if in.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("generating id: %w", err)
		}
		in.ID = id.String()
	}
	if in.Created.IsZero() {
		in.Created = now
	}
	in.Updated = now
	if in.Geometry != nil {
		in.Geometry = geo.Round(orb.Clone(in.Geometry), geo.DefaultDecimals)
	}
	return in.Validate()
}

// writeTx runs fn in one write transaction, recorded in the audit trail
// under the actor of ctx (WithActor), and then records the change in
// gpkg_contents (last_change, and the layer extent grown by what fn wrote),
// as GeoPackage readers expect, and in the index.
//
// shrink says fn may have removed or moved geometries: the extent is then
// recomputed from the spatial index instead of grown.
func (s *Store) writeTx(ctx context.Context, shrink bool, fn func(tx *sql.Tx, c *change) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting write: %w", err)
	}
	defer tx.Rollback()
	if err := setAuditContext(ctx, tx, actorOf(ctx)); err != nil {
		return err
	}
	before, err := readFingerprint(ctx, tx)
	if err != nil {
		return err
	}
	c := &change{bound: orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}, // empty bound
		track: s.index.Load() != nil}
	if err := fn(tx, c); err != nil {
		return err
	}
	if err := resetAuditContext(ctx, tx); err != nil {
		return err
	}
	if shrink {
		if err := recomputeContents(ctx, tx); err != nil {
			return err
		}
	}
	if err := touchContents(ctx, tx, c.bound); err != nil {
		return err
	}
	after, err := readFingerprint(ctx, tx)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	if x := s.index.Load(); x != nil && !x.apply(c, before, after) {
		s.refreshIndex()
	}
	s.commits.Announce()
	return nil
}

// recomputeContents sets the layer extent from the spatial index (whose
// float32 boxes are rounded outwards, so it may exceed the data by about
// 1e-5 degrees), or clears it when the layer is empty.
func recomputeContents(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE gpkg_contents SET
		min_x = (SELECT MIN(minx) FROM rtree_incidents_geom), min_y = (SELECT MIN(miny) FROM rtree_incidents_geom),
		max_x = (SELECT MAX(maxx) FROM rtree_incidents_geom), max_y = (SELECT MAX(maxy) FROM rtree_incidents_geom)
		WHERE table_name = 'incidents'`)
	if err != nil {
		return fmt.Errorf("recomputing the layer extent: %w", err)
	}
	return nil
}

func touchContents(ctx context.Context, tx *sql.Tx, b orb.Bound) error {
	q := `UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')`
	var args []any
	if b.Min[0] <= b.Max[0] {
		q += `, min_x = MIN(COALESCE(min_x, ?), ?), min_y = MIN(COALESCE(min_y, ?), ?),
		        max_x = MAX(COALESCE(max_x, ?), ?), max_y = MAX(COALESCE(max_y, ?), ?)`
		args = []any{b.Min[0], b.Min[0], b.Min[1], b.Min[1], b.Max[0], b.Max[0], b.Max[1], b.Max[1]}
	}
	if _, err := tx.ExecContext(ctx, q+" WHERE table_name = 'incidents'", args...); err != nil {
		return fmt.Errorf("updating gpkg_contents: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE incidentmap_settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'"); err != nil {
		return fmt.Errorf("bumping revision: %w", err)
	}
	return nil
}

// extend grows b (empty when Min > Max) by g's bound.
func extend(b *orb.Bound, g orb.Geometry) {
	if g == nil {
		return
	}
	gb := g.Bound()
	if b.Min[0] > b.Max[0] {
		*b = gb
		return
	}
	*b = b.Union(gb)
}

// insertSQL inserts a row.
var insertSQL = "INSERT INTO incidents (" + writeColumns + ") VALUES (" + placeholders(writeColumnCount) + ")"

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
