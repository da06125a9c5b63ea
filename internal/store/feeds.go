package store

import (
	"context"
	"fmt"
	"time"
)

// FeedRecord is a watched news feed as the store keeps it (package feed
// owns its meaning): when to poll it next, and State, what polling has
// learnt, as JSON.
type FeedRecord struct {
	URL      string
	Every    time.Duration
	Country  string
	Added    time.Time
	NextPoll time.Time
	State    string
}

// feedTimeLayout has a fixed width, so that the text sorts as the times do.
const feedTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// AddFeed stores f; a feed with its URL is ErrConflict.
func (s *Store) AddFeed(ctx context.Context, f FeedRecord) error {
	res, err := s.writer.ExecContext(ctx, `INSERT INTO incidentmap_feeds (url, every_seconds, country, added, next_poll, state)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`,
		f.URL, int64(f.Every/time.Second), f.Country, f.Added.UTC().Format(feedTimeLayout), f.NextPoll.UTC().Format(feedTimeLayout), f.State)
	if err != nil {
		return fmt.Errorf("adding feed %s: %w", f.URL, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("feed %s: %w", f.URL, ErrConflict)
	}
	return nil
}

// RemoveFeed deletes the feed at url; an unknown one is ErrNotFound.
func (s *Store) RemoveFeed(ctx context.Context, url string) error {
	res, err := s.writer.ExecContext(ctx, "DELETE FROM incidentmap_feeds WHERE url = ?", url)
	if err != nil {
		return fmt.Errorf("removing feed %s: %w", url, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("feed %s: %w", url, ErrNotFound)
	}
	return nil
}

// Feeds returns the feeds due by dueBy (all of them for a zero time), next
// due first.
func (s *Store) Feeds(ctx context.Context, dueBy time.Time) ([]FeedRecord, error) {
	where, args := "", []any{}
	if !dueBy.IsZero() {
		where, args = " WHERE next_poll <= ?", []any{dueBy.UTC().Format(feedTimeLayout)}
	}
	rows, err := s.writer.QueryContext(ctx, "SELECT url, every_seconds, COALESCE(country, ''), added, next_poll, state FROM incidentmap_feeds"+where+" ORDER BY next_poll, url", args...)
	if err != nil {
		return nil, fmt.Errorf("listing feeds: %w", err)
	}
	defer rows.Close()
	var out []FeedRecord
	for rows.Next() {
		var f FeedRecord
		var every int64
		var added, next string
		if err := rows.Scan(&f.URL, &every, &f.Country, &added, &next, &f.State); err != nil {
			return nil, fmt.Errorf("reading feeds: %w", err)
		}
		f.Every = time.Duration(every) * time.Second
		f.Added, _ = time.Parse(feedTimeLayout, added)
		f.NextPoll, _ = time.Parse(feedTimeLayout, next)
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
	if _, err := s.writer.ExecContext(ctx, "UPDATE incidentmap_feeds SET next_poll = ?, state = ? WHERE url = ?",
		nextPoll.UTC().Format(feedTimeLayout), state, url); err != nil {
		return fmt.Errorf("saving the state of feed %s: %w", url, err)
	}
	return nil
}
