package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/store"
)

// Named errors of the registry, matched with errors.Is.
var (
	// ErrExists means a feed already watched.
	ErrExists = errors.New("feed already watched")
	// ErrUnknown means a feed not watched.
	ErrUnknown = errors.New("feed not watched")
	// ErrInvalid means a feed whose URL, interval or country is wrong.
	ErrInvalid = errors.New("invalid feed")
)

// FieldError is an ErrInvalid naming the wrong field ("url", "every",
// "country").
type FieldError struct {
	Field, Reason string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%v: %s: %s", ErrInvalid, e.Field, e.Reason) }

// Unwrap makes a FieldError match ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Bounds of a feed's polling interval: often enough for a live map, rare
// enough to be a polite client.
const (
	MinEvery     = 5 * time.Minute
	MaxEvery     = 24 * time.Hour
	DefaultEvery = 15 * time.Minute
)

// Feed is one watched feed and its polling state.
type Feed struct {
	URL     string        `json:"url"`
	Every   time.Duration `json:"-"`
	Country string        `json:"country,omitempty"` // ISO alpha-2: the country the feed reports on; steers extraction
	Added   time.Time     `json:"added"`
	State
}

// State is what polling a feed has learnt.
type State struct {
	Title        string    `json:"title,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastPoll     time.Time `json:"last_poll,omitzero"`
	NextPoll     time.Time `json:"next_poll"`
	LastItem     string    `json:"last_item,omitempty"`   // URL (or title) of the newest item read
	LastItemAt   time.Time `json:"last_item_at,omitzero"` // its date
	LastError    string    `json:"last_error,omitempty"`  // of the last poll; "" when it went well
	Failures     int       `json:"failures"`              // polls failed in a row
	// LastPageError says why the page of the last item that carried only
	// a summary could not be read (the summary was ingested instead).
	LastPageError string `json:"last_page_error,omitempty"`
	Items         int64  `json:"items"`     // items read, all polls
	Incidents     int64  `json:"incidents"` // incidents they gave (new or merged)
}

// Validate checks f's URL (absolute http or https), interval and country,
// and fills the default interval.
func (f *Feed) Validate() error {
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &FieldError{"url", fmt.Sprintf("%q is not an absolute http or https URL", f.URL)}
	}
	if f.Every == 0 {
		f.Every = DefaultEvery
	}
	if f.Every < MinEvery || f.Every > MaxEvery {
		return &FieldError{"every", fmt.Sprintf("%s is outside %s to %s", f.Every, MinEvery, MaxEvery)}
	}
	f.Country = strings.ToUpper(f.Country)
	if c := f.Country; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		return &FieldError{"country", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code such as NG", f.Country)}
	}
	return nil
}

// Registry is the list of watched feeds, kept in the incidentmap store.
type Registry struct {
	st store.Backend
}

// NewRegistry returns the registry kept in st.
func NewRegistry(st store.Backend) *Registry {
	return &Registry{st: st}
}

// Add watches f, due at once.
func (r *Registry) Add(ctx context.Context, f Feed, now time.Time) (Feed, error) {
	if err := f.Validate(); err != nil {
		return Feed{}, err
	}
	f.Added, f.State = now.UTC(), State{NextPoll: now.UTC()}
	state, err := json.Marshal(f.State)
	if err != nil {
		return Feed{}, fmt.Errorf("feeds: encoding state: %w", err)
	}
	err = r.st.AddFeed(ctx, store.FeedRecord{URL: f.URL, Every: f.Every, Country: f.Country, Added: f.Added, NextPoll: f.NextPoll, State: string(state)})
	if errors.Is(err, store.ErrConflict) {
		return Feed{}, fmt.Errorf("%w: %s", ErrExists, f.URL)
	}
	if err != nil {
		return Feed{}, fmt.Errorf("feeds: %w", err)
	}
	return f, nil
}

// Remove stops watching the feed at url.
func (r *Registry) Remove(ctx context.Context, url string) error {
	err := r.st.RemoveFeed(ctx, url)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %s", ErrUnknown, url)
	}
	if err != nil {
		return fmt.Errorf("feeds: %w", err)
	}
	return nil
}

// List returns the watched feeds, next due first.
func (r *Registry) List(ctx context.Context) ([]Feed, error) {
	return r.query(ctx, time.Time{})
}

// Due returns the feeds due at now, longest waiting first.
func (r *Registry) Due(ctx context.Context, now time.Time) ([]Feed, error) {
	return r.query(ctx, now)
}

func (r *Registry) query(ctx context.Context, dueBy time.Time) ([]Feed, error) {
	recs, err := r.st.Feeds(ctx, dueBy)
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	var out []Feed
	for _, rec := range recs {
		f := Feed{URL: rec.URL, Every: rec.Every, Country: rec.Country, Added: rec.Added}
		if err := json.Unmarshal([]byte(rec.State), &f.State); err != nil {
			return nil, fmt.Errorf("feeds: reading the state of %s: %w", f.URL, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// saveState records what a poll of f learnt; a feed removed meanwhile
// stays removed.
func (r *Registry) saveState(ctx context.Context, f Feed) error {
	state, err := json.Marshal(f.State)
	if err != nil {
		return fmt.Errorf("feeds: encoding state: %w", err)
	}
	if err := r.st.SaveFeedState(ctx, f.URL, f.NextPoll, string(state)); err != nil {
		return fmt.Errorf("feeds: %w", err)
	}
	return nil
}

// MarshalJSON writes f with its interval as text ("15m0s").
func (f Feed) MarshalJSON() ([]byte, error) {
	type plain Feed
	return json.Marshal(struct {
		plain
		Every string `json:"every"`
	}{plain(f), f.Every.String()})
}
