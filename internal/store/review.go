package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// ErrReview means a review action that does not apply to the incident as
// it stands (accepting a rejected incident, say).
var ErrReview = errors.New("review action not allowed")

// reviewMoves lists, for each review status an incident may be given, the
// statuses it may come from. Accepting an incident already published is
// allowed and changes nothing but the note, so a retried accept succeeds.
var reviewMoves = map[string][]string{
	incident.StatusPublished: {incident.StatusUnreviewed, incident.StatusPublished},
	incident.StatusRejected:  {incident.StatusUnreviewed, incident.StatusPublished, incident.StatusRejected},
}

// Review sets the review status of the incident id to status (published or
// rejected) with note (the reason of a rejection), as one audited write,
// and returns the incident as stored. A move reviewMoves does not list is
// ErrReview; an unknown id ErrNotFound.
func (s *Store) Review(ctx context.Context, id, status, note string) (incident.Incident, error) {
	from, ok := reviewMoves[status]
	if !ok {
		return incident.Incident{}, fmt.Errorf("%w: %q is not a review outcome", ErrReview, status)
	}
	err := s.writeTx(ctx, false, func(tx *sql.Tx, c *change) error {
		var fid int64
		var date, current string
		err := tx.QueryRowContext(ctx, "SELECT fid, CAST(event_date AS TEXT), status FROM incidents WHERE id = ?", id).Scan(&fid, &date, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reviewing incident %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("reviewing incident %q: %w", id, err)
		}
		if !slices.Contains(from, current) {
			return fmt.Errorf("%w: incident %q is %s and cannot become %s", ErrReview, id, current, status)
		}
		now := time.Now().UTC().Truncate(time.Millisecond).Format(incident.TimeLayout)
		c.remove(fid, date)
		if err := c.write(ctx, txStmt{tx, c.returning("UPDATE incidents SET status = ?, review_note = ?, updated = ? WHERE id = ?")},
			[]any{status, nullString(note), now, id}); err != nil {
			return fmt.Errorf("reviewing incident %q: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return incident.Incident{}, err
	}
	return s.Get(ctx, id)
}

// ReviewNote returns the note of the incident id's last review ("" when
// none), e.g. why it was rejected.
func (s *Store) ReviewNote(ctx context.Context, id string) (string, error) {
	var note sql.NullString
	err := s.reader.QueryRowContext(ctx, "SELECT review_note FROM incidents WHERE id = ?", id).Scan(&note)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("incident %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("reading the review note of %q: %w", id, err)
	}
	return note.String, nil
}

// Merge folds the queued incident from into the stored incident into, as
// one audited write: into gains the sources of from it does not list yet
// (incident.AddSources), and from leaves the queue, rejected with the note
// "merged into <into>", so that whoever trains the extractor sees why. It
// returns into as stored. from must be unreviewed and into must not be
// rejected (ErrReview); an unknown id is ErrNotFound.
func (s *Store) Merge(ctx context.Context, from, into string) (incident.Incident, error) {
	if from == into {
		return incident.Incident{}, fmt.Errorf("%w: an incident cannot be merged into itself", ErrReview)
	}
	var out incident.Incident
	err := s.writeTx(ctx, false, func(tx *sql.Tx, c *change) error {
		var src, dst incident.Incident
		srcBuf, dstBuf := newRowBuf(ctx, tx), newRowBuf(ctx, tx)
		for _, r := range []struct {
			id  string
			in  *incident.Incident
			buf *rowBuf
		}{{from, &src, srcBuf}, {into, &dst, dstBuf}} {
			err := r.buf.scan(tx.QueryRowContext(ctx, "SELECT "+selectColumns+" FROM incidents i WHERE i.id = ?", r.id), r.in)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("merging incident %q: %w", r.id, ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("merging: reading incident %q: %w", r.id, err)
			}
		}
		if src.Status != incident.StatusUnreviewed {
			return fmt.Errorf("%w: incident %q is %s; only an incident waiting for review is merged", ErrReview, from, src.Status)
		}
		if dst.Status == incident.StatusRejected {
			return fmt.Errorf("%w: incident %q was rejected; merge into an incident that stands", ErrReview, into)
		}
		dst.AddSources(src.Sources...)
		now := time.Now().UTC().Truncate(time.Millisecond)
		if err := prepare(&dst, now); err != nil {
			return err
		}
		c.remove(dstBuf.fid, dstBuf.eventDate)
		u := &updater{tx: tx, c: c}
		defer u.close()
		if err := u.update(ctx, &dst, dstBuf.geom); err != nil {
			return err
		}
		c.remove(srcBuf.fid, srcBuf.eventDate)
		if err := c.write(ctx, txStmt{tx, c.returning("UPDATE incidents SET status = ?, review_note = ?, updated = ? WHERE id = ?")},
			[]any{incident.StatusRejected, "merged into " + into, now.Format(incident.TimeLayout), from}); err != nil {
			return fmt.Errorf("merging incident %q: %w", from, err)
		}
		out = dst
		return mergeArticles(ctx, tx, from, into)
	})
	return out, err
}

// mergeArticles makes the articles incident from was read from articles of
// into as well (ArticlesOf, and the incidents FindArticle lists).
func mergeArticles(ctx context.Context, tx *sql.Tx, from, into string) error {
	for _, q := range []string{
		`UPDATE ingested_articles SET incident_ids = json_insert(incident_ids, '$[#]', ?2)
			WHERE key IN (SELECT key FROM ingested_article_incidents WHERE incident_id = ?1)
			AND NOT EXISTS (SELECT 1 FROM json_each(incident_ids) WHERE value = ?2)`,
		`INSERT OR IGNORE INTO ingested_article_incidents (incident_id, key)
			SELECT ?2, key FROM ingested_article_incidents WHERE incident_id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, from, into); err != nil {
			return fmt.Errorf("merging the articles of incident %q: %w", from, err)
		}
	}
	return nil
}
