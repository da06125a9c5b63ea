package postgis

import (
	"context"
	"fmt"
	"time"

	"github.com/incidentmap/incidentmap/internal/store"
)

// AddFeed stores f; a feed with its URL is store.ErrConflict.
func (s *Store) AddFeed(ctx context.Context, f store.FeedRecord) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO incidentmap_feeds (url, every_seconds, country, added, next_poll, state)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (url) DO NOTHING`,
		f.URL, int64(f.Every/time.Second), text(f.Country), f.Added.UTC(), f.NextPoll.UTC(), f.State)
	if err != nil {
		return fmt.Errorf("adding feed %s: %w", f.URL, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("feed %s: %w", f.URL, store.ErrConflict)
	}
	return nil
}

// RemoveFeed deletes the feed at url; an unknown one is store.ErrNotFound.
func (s *Store) RemoveFeed(ctx context.Context, url string) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM incidentmap_feeds WHERE url = $1", url)
	if err != nil {
		return fmt.Errorf("removing feed %s: %w", url, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("feed %s: %w", url, store.ErrNotFound)
	}
	return nil
}

// Feeds returns the feeds due by dueBy (all of them for a zero time), next
// due first.
func (s *Store) Feeds(ctx context.Context, dueBy time.Time) ([]store.FeedRecord, error) {
	w := &where{}
	if !dueBy.IsZero() {
		w.add("next_poll <= " + w.arg(dueBy.UTC()))
	}
	rows, err := s.pool.Query(ctx, "SELECT url, every_seconds, COALESCE(country, ''), added, next_poll, state FROM incidentmap_feeds"+w.sql()+` ORDER BY next_poll, url COLLATE "C"`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("listing feeds: %w", err)
	}
	defer rows.Close()
	var out []store.FeedRecord
	for rows.Next() {
		var f store.FeedRecord
		var every int64
		if err := rows.Scan(&f.URL, &every, &f.Country, &f.Added, &f.NextPoll, &f.State); err != nil {
			return nil, fmt.Errorf("reading feeds: %w", err)
		}
		f.Every = time.Duration(every) * time.Second
		f.Added, f.NextPoll = f.Added.UTC(), f.NextPoll.UTC()
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading feeds: %w", err)
	}
	return out, nil
}

// SaveFeedState records when to poll the feed at url next and what
// polling has learnt; a feed removed meanwhile stays removed.
func (s *Store) SaveFeedState(ctx context.Context, url string, nextPoll time.Time, state string) error {
	if _, err := s.pool.Exec(ctx, "UPDATE incidentmap_feeds SET next_poll = $1, state = $2 WHERE url = $3", nextPoll.UTC(), state, url); err != nil {
		return fmt.Errorf("saving the state of feed %s: %w", url, err)
	}
	return nil
}
