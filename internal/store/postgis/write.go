package postgis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// insertSQL inserts a row; updateSQL replaces every written column but id
// of the row with id $1 (Update and Upsert pass the stored created time).
var insertSQL, updateSQL = writeStatements()

func writeStatements() (insert, update string) {
	var cols, vals, set []string
	for _, c := range writeColumns {
		cols = append(cols, c.name)
		vals = append(vals, c.value)
		if c.name != "id" {
			set = append(set, c.name+" = "+c.value)
		}
	}
	return "INSERT INTO incidents (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")",
		"UPDATE incidents SET " + strings.Join(set, ", ") + " WHERE id = $1"
}

// writeTx runs fn in one transaction that the audit trigger records under
// the actor of ctx (store.WithActor), and bumps the revision last, so that
// the row lock it takes is held for as short a time as possible.
func (s *Store) writeTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		a := store.WriterOf(ctx)
		if _, err := tx.Exec(ctx, `SELECT set_config('incidentmap.actor', $1, true), set_config('incidentmap.remote', $2, true),
			set_config('incidentmap.action', $3, true), set_config('incidentmap.request_id', $4, true)`,
			a.Name, a.Remote, a.Action, a.RequestID); err != nil {
			return fmt.Errorf("recording the writer for the audit trail: %w", err)
		}
		if err := fn(tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE incidentmap_settings SET value = (value::bigint + 1)::text WHERE key = 'revision'"); err != nil {
			return fmt.Errorf("bumping revision: %w", err)
		}
		return nil
	})
	if err == nil {
		s.commits.Announce()
	}
	return err
}

// uniqueViolation reports whether err is PostgreSQL's unique_violation.
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Insert stores new incidents in one transaction: all of them or, on any
// error, none. It assigns ids to incidents without one, sets created and
// updated, rounds coordinates, and returns the stored incidents. An id
// already in the store is store.ErrConflict.
func (s *Store) Insert(ctx context.Context, ins []incident.Incident) ([]incident.Incident, error) {
	var out []incident.Incident
	err := s.writeTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = insertRows(ctx, tx, ins)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// insertRows is Insert inside the write transaction tx.
func insertRows(ctx context.Context, tx pgx.Tx, ins []incident.Incident) ([]incident.Incident, error) {
	out := make([]incident.Incident, len(ins))
	now := time.Now().UTC().Truncate(time.Millisecond)
	var b pgx.Batch
	for i := range ins {
		in := ins[i]
		if err := store.PrepareWrite(&in, now); err != nil {
			return nil, fmt.Errorf("incident %d: %w", i, err)
		}
		if err := queueInsert(&b, &in); err != nil {
			return nil, fmt.Errorf("incident %d: %w", i, err)
		}
		out[i] = in
	}
	if err := runBatch(ctx, tx, &b, out); err != nil {
		return nil, err
	}
	return out, growExtent(ctx, tx, out)
}

func queueInsert(b *pgx.Batch, in *incident.Incident) error {
	args, err := rowArgs(in)
	if err != nil {
		return err
	}
	b.Queue(insertSQL, args...)
	return nil
}

// runBatch sends the queued statements in one round trip and reads their
// results; written[i] is the incident of the i-th statement, named in
// errors.
func runBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch, written []incident.Incident) error {
	if b.Len() == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, b)
	for i := 0; i < b.Len(); i++ {
		if _, err := br.Exec(); err != nil {
			br.Close()
			in := written[i]
			if uniqueViolation(err) {
				return fmt.Errorf("incident %q (source_event_id %q): %w", in.ID, in.SourceEventID, store.ErrConflict)
			}
			return fmt.Errorf("writing incident %q: %w", in.ID, err)
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("writing incidents: %w", err)
	}
	return nil
}

// Update replaces the stored incident with in.ID by in, keeping its
// created time, and returns it as stored.
func (s *Store) Update(ctx context.Context, in incident.Incident) (incident.Incident, error) {
	err := s.writeTx(ctx, func(tx pgx.Tx) error { return replaceRow(ctx, tx, &in) })
	return in, err
}

// replaceRow is Update of in inside the write transaction tx; in becomes
// the incident as stored.
func replaceRow(ctx context.Context, tx pgx.Tx, in *incident.Incident) error {
	err := tx.QueryRow(ctx, "SELECT created FROM incidents WHERE id = $1 FOR UPDATE", in.ID).Scan(&in.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("updating incident %q: %w", in.ID, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("updating incident %q: %w", in.ID, err)
	}
	in.Created = in.Created.UTC()
	if err := store.PrepareWrite(in, time.Now().UTC().Truncate(time.Millisecond)); err != nil {
		return err
	}
	args, err := rowArgs(in)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, updateSQL, args...); err != nil {
		if uniqueViolation(err) {
			return fmt.Errorf("updating incident %q (source_event_id %q): %w", in.ID, in.SourceEventID, store.ErrConflict)
		}
		return fmt.Errorf("updating incident %q: %w", in.ID, err)
	}
	return growExtent(ctx, tx, []incident.Incident{*in})
}

// Delete removes the incident with id.
func (s *Store) Delete(ctx context.Context, id string) error {
	return s.writeTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM incidents WHERE id = $1", id)
		if err != nil {
			return fmt.Errorf("deleting incident %q: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("deleting incident %q: %w", id, store.ErrNotFound)
		}
		return dropExtent(ctx, tx)
	})
}

// DeleteSourceEventsExcept deletes the imported incidents whose
// source_event_id starts with prefix but is not in keep, and returns how
// many it deleted.
func (s *Store) DeleteSourceEventsExcept(ctx context.Context, prefix string, keep map[string]bool) (int, error) {
	kept := make([]string, 0, len(keep))
	for k, ok := range keep {
		if ok {
			kept = append(kept, k)
		}
	}
	var n int
	err := s.writeTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM incidents WHERE starts_with(source_event_id, $1) AND NOT source_event_id = ANY($2)", prefix, kept)
		if err != nil {
			return fmt.Errorf("deleting incidents removed upstream: %w", err)
		}
		n = int(tag.RowsAffected())
		if n == 0 {
			return nil
		}
		return dropExtent(ctx, tx)
	})
	return n, err
}

// Upsert writes imported incidents in one transaction, matching stored
// ones by SourceEventID: a known one is updated in place (keeping its id
// and created time), a new one inserted. Incidents without a
// SourceEventID are inserted. All or nothing.
//
// The stored incidents of the whole batch are looked up in one query;
// inserts and updates then go in one round trip, in input order.
func (s *Store) Upsert(ctx context.Context, ins []incident.Incident) (store.UpsertResult, error) {
	res := store.UpsertResult{IDs: make([]string, len(ins))}
	err := s.writeTx(ctx, func(tx pgx.Tx) error {
		res.Inserted, res.Updated = 0, 0
		known, err := storedBySourceID(ctx, tx, ins)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		var b pgx.Batch
		written := make([]incident.Incident, 0, len(ins))
		for i := range ins {
			in := ins[i]
			k, ok := known[in.SourceEventID]
			if ok && in.SourceEventID != "" {
				in.ID, in.Created = k.id, k.created
			}
			if err := store.PrepareWrite(&in, now); err != nil {
				return fmt.Errorf("incident %d: %w", i, err)
			}
			args, err := rowArgs(&in)
			if err != nil {
				return fmt.Errorf("incident %d: %w", i, err)
			}
			if ok && in.SourceEventID != "" {
				b.Queue(updateSQL, args...)
				res.Updated++
			} else {
				b.Queue(insertSQL, args...)
				res.Inserted++
				if in.SourceEventID != "" {
					// A later incident of this call with the same id updates this one.
					known[in.SourceEventID] = stored{id: in.ID, created: in.Created}
				}
			}
			written = append(written, in)
			res.IDs[i] = in.ID
		}
		if err := runBatch(ctx, tx, &b, written); err != nil {
			return err
		}
		return growExtent(ctx, tx, written)
	})
	return res, err
}

type stored struct {
	id      string
	created time.Time
}

// storedBySourceID returns the stored id and created time of the incidents
// whose source_event_id one of ins carries, locked for the transaction.
func storedBySourceID(ctx context.Context, tx pgx.Tx, ins []incident.Incident) (map[string]stored, error) {
	var sids []string
	for i := range ins {
		if ins[i].SourceEventID != "" {
			sids = append(sids, ins[i].SourceEventID)
		}
	}
	known := map[string]stored{}
	if len(sids) == 0 {
		return known, nil
	}
	rows, err := tx.Query(ctx, "SELECT source_event_id, id, created FROM incidents WHERE source_event_id = ANY($1) FOR UPDATE", sids)
	if err != nil {
		return nil, fmt.Errorf("looking up source_event_ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var k stored
		if err := rows.Scan(&sid, &k.id, &k.created); err != nil {
			return nil, fmt.Errorf("looking up source_event_ids: %w", err)
		}
		k.created = k.created.UTC()
		known[sid] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("looking up source_event_ids: %w", err)
	}
	return known, nil
}

// Review sets the review status of the incident id to status (published
// or rejected) with note, as one audited write, and returns the incident
// as stored. A move the store does not allow is store.ErrReview; an
// unknown id store.ErrNotFound.
func (s *Store) Review(ctx context.Context, id, status, note string) (incident.Incident, error) {
	from, err := store.ReviewFrom(status)
	if err != nil {
		return incident.Incident{}, err
	}
	err = s.writeTx(ctx, func(tx pgx.Tx) error {
		var current string
		err := tx.QueryRow(ctx, "SELECT status FROM incidents WHERE id = $1 FOR UPDATE", id).Scan(&current)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("reviewing incident %q: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("reviewing incident %q: %w", id, err)
		}
		if !slices.Contains(from, current) {
			return fmt.Errorf("%w: incident %q is %s and cannot become %s", store.ErrReview, id, current, status)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		if _, err := tx.Exec(ctx, "UPDATE incidents SET status = $1, review_note = $2, updated = $3 WHERE id = $4",
			status, text(note), now, id); err != nil {
			return fmt.Errorf("reviewing incident %q: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return incident.Incident{}, err
	}
	return s.Get(ctx, id)
}

// Merge folds the queued incident from into the stored incident into, as
// one audited write: into gains the sources of from it does not list yet
// (incident.AddSources), and from leaves the queue, rejected with the note
// "merged into <into>". It returns into as stored. from must be
// unreviewed and into must not be rejected (store.ErrReview); an unknown
// id is store.ErrNotFound.
func (s *Store) Merge(ctx context.Context, from, into string) (incident.Incident, error) {
	if from == into {
		return incident.Incident{}, fmt.Errorf("%w: an incident cannot be merged into itself", store.ErrReview)
	}
	var out incident.Incident
	err := s.writeTx(ctx, func(tx pgx.Tx) error {
		var src, dst incident.Incident
		for _, r := range []struct {
			id string
			in *incident.Incident
		}{{from, &src}, {into, &dst}} {
			var buf rowBuf
			err := buf.scan(tx.QueryRow(ctx, "SELECT "+selectColumns+" FROM incidents i WHERE i.id = $1 FOR UPDATE", r.id), r.in)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("merging incident %q: %w", r.id, store.ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("merging: reading incident %q: %w", r.id, err)
			}
		}
		if src.Status != incident.StatusUnreviewed {
			return fmt.Errorf("%w: incident %q is %s; only an incident waiting for review is merged", store.ErrReview, from, src.Status)
		}
		if dst.Status == incident.StatusRejected {
			return fmt.Errorf("%w: incident %q was rejected; merge into an incident that stands", store.ErrReview, into)
		}
		dst.AddSources(src.Sources...)
		now := time.Now().UTC().Truncate(time.Millisecond)
		if err := store.PrepareWrite(&dst, now); err != nil {
			return err
		}
		args, err := rowArgs(&dst)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, updateSQL, args...); err != nil {
			return fmt.Errorf("merging into incident %q: %w", into, err)
		}
		if _, err := tx.Exec(ctx, "UPDATE incidents SET status = $1, review_note = $2, updated = $3 WHERE id = $4",
			incident.StatusRejected, "merged into "+into, now, from); err != nil {
			return fmt.Errorf("merging incident %q: %w", from, err)
		}
		// The articles it was read from are into's too.
		if _, err := tx.Exec(ctx, `UPDATE ingested_articles SET incident_ids = array_append(incident_ids, $2)
			WHERE incident_ids @> ARRAY[$1]::text[] AND NOT incident_ids @> ARRAY[$2]::text[]`, from, into); err != nil {
			return fmt.Errorf("merging the articles of incident %q: %w", from, err)
		}
		out = dst
		return growExtent(ctx, tx, []incident.Incident{dst})
	})
	return out, err
}
