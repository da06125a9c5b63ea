// Package transfer copies an incident store's whole content into another —
// a GeoPackage file into PostgreSQL or back (incidentmap migrate): the
// incidents as they are stored (ids, times, review status and notes), the
// audit trail, the API keys, the settings, the ingested articles (so that
// an article is not ingested again) and the watched feeds with their state. It copies in batches, each
// committed together with how far the copy has got, in the destination, so
// that a copy interrupted anywhere resumes where it stopped when run again.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/store"
)

// Settings of the destination that record the copy's progress.
const (
	settingSource    = "migrate.source"    // what is being copied
	settingIncidents = "migrate.incidents" // key of the last source incident copied
	settingAudit     = "migrate.audit"     // seq of the last source audit entry copied
)

// Named errors of a copy that would mix data.
var (
	// ErrNotEmpty means the destination already holds incidents and is
	// not resuming a copy: the copy would mix two databases.
	ErrNotEmpty = errors.New("the destination already holds incidents")
	// ErrOtherSource means the destination holds an unfinished copy of
	// another source.
	ErrOtherSource = errors.New("the destination holds a copy of another source")
)

// DefaultBatch is how many incidents or audit entries one transaction
// copies: large enough that per-transaction costs vanish, small enough
// that an interruption loses little work and memory stays bounded.
const DefaultBatch = 5000

// Options tune a copy.
type Options struct {
	// Source names what is copied (a file's path, a URL without its
	// password): a resumed copy must name the same.
	Source string
	// Batch is the size of one transaction; 0 means DefaultBatch.
	Batch int
	// Progress, when set, is called after each committed batch.
	Progress func(Stats)
}

// Stats counts what a copy wrote in this run.
type Stats struct {
	Resumed      bool // the destination held an unfinished copy of the same source
	Incidents    int64
	AuditEntries int64
	Keys         int
	Settings     int
	Articles     int
	Feeds        int
}

// Copy copies from's content into to (see the package documentation). It
// refuses a destination that holds incidents of its own (ErrNotEmpty) or
// an unfinished copy of another source (ErrOtherSource). Run on a source
// that changes meanwhile, it copies what each batch read: stop writers
// first for an exact copy.
func Copy(ctx context.Context, from, to store.Backend, opts Options) (Stats, error) {
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	var st Stats
	resumed, err := claim(ctx, to, opts.Source)
	if err != nil {
		return st, err
	}
	st.Resumed = resumed
	if st.Settings, err = copySettings(ctx, from, to); err != nil {
		return st, err
	}
	if st.Keys, err = copyKeys(ctx, from, to); err != nil {
		return st, err
	}
	if st.Articles, err = copyArticles(ctx, from, to, opts.Batch); err != nil {
		return st, err
	}
	if st.Feeds, err = copyFeeds(ctx, from, to); err != nil {
		return st, err
	}
	if err := copyIncidents(ctx, from, to, opts, &st); err != nil {
		return st, err
	}
	if err := copyAudit(ctx, from, to, opts, &st); err != nil {
		return st, err
	}
	return st, nil
}

// claim marks to as the destination of source, or checks that it already
// is; resumed says it was.
func claim(ctx context.Context, to store.Backend, source string) (resumed bool, err error) {
	got, err := to.Setting(ctx, settingSource)
	switch {
	case err == nil && got == source:
		return true, nil
	case err == nil:
		return false, fmt.Errorf("%w (%s), not of %s", ErrOtherSource, got, source)
	case !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	n, err := to.Count(ctx, store.Query{})
	if err != nil {
		return false, err
	}
	if n > 0 {
		return false, fmt.Errorf("%w (%d)", ErrNotEmpty, n)
	}
	if _, err := to.SetSettingIfAbsent(ctx, settingSource, source); err != nil {
		return false, err
	}
	return false, nil
}

// copySettings copies the settings the destination lacks (the generated
// write token...), but neither the revision, which is each store's own,
// nor a copy's progress.
func copySettings(ctx context.Context, from, to store.Backend) (int, error) {
	all, err := from.Settings(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range all {
		if s.Key == "revision" || strings.HasPrefix(s.Key, "migrate.") {
			continue
		}
		if _, err := to.SetSettingIfAbsent(ctx, s.Key, s.Value); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// copyKeys copies the API keys the destination lacks.
func copyKeys(ctx context.Context, from, to store.Backend) (int, error) {
	keys, err := from.Keys(ctx)
	if err != nil {
		return 0, err
	}
	return addMissing(ctx, keys, to.AddKey)
}

// addMissing adds each item with add and counts those added; an item the
// destination holds already (store.ErrConflict: copied by an earlier run)
// is skipped.
func addMissing[T any](ctx context.Context, items []T, add func(context.Context, T) error) (int, error) {
	n := 0
	for _, it := range items {
		err := add(ctx, it)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// copyArticles copies the ingested articles; one stored already (by an
// earlier run) is kept as it is.
func copyArticles(ctx context.Context, from, to store.Backend, batch int) (int, error) {
	n, after := 0, ""
	for {
		arts, err := from.Articles(ctx, after, batch)
		if err != nil || len(arts) == 0 {
			return n, err
		}
		for _, a := range arts {
			if err := to.RememberArticle(ctx, a); err != nil {
				return n, err
			}
		}
		n += len(arts)
		after = arts[len(arts)-1].Key
	}
}

// copyFeeds copies the watched feeds the destination lacks, with their
// polling state.
func copyFeeds(ctx context.Context, from, to store.Backend) (int, error) {
	feeds, err := from.Feeds(ctx, time.Time{})
	if err != nil {
		return 0, err
	}
	return addMissing(ctx, feeds, to.AddFeed)
}

// progress reads a copy's position from the destination (0 when none).
func progress(ctx context.Context, to store.Backend, key string) (int64, error) {
	v, err := to.Setting(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("setting %s: %q is no position: %w", key, v, err)
	}
	return n, nil
}

func copyIncidents(ctx context.Context, from, to store.Backend, opts Options, st *Stats) error {
	after, err := progress(ctx, to, settingIncidents)
	if err != nil {
		return err
	}
	batch := make([]store.StoredIncident, 0, opts.Batch)
	for {
		batch = batch[:0]
		// Each incident Dump passes is freshly decoded: a copy of the
		// struct shares nothing with the next.
		last, err := from.Dump(ctx, after, opts.Batch, func(in *store.StoredIncident) error {
			batch = append(batch, *in)
			return nil
		})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := to.Load(ctx, batch, store.Setting{Key: settingIncidents, Value: strconv.FormatInt(last, 10)}); err != nil {
			return err
		}
		after = last
		st.Incidents += int64(len(batch))
		if opts.Progress != nil {
			opts.Progress(*st)
		}
	}
}

func copyAudit(ctx context.Context, from, to store.Backend, opts Options, st *Stats) error {
	after, err := progress(ctx, to, settingAudit)
	if err != nil {
		return err
	}
	for {
		entries, err := from.Audit(ctx, store.AuditQuery{AfterSeq: after, Limit: opts.Batch})
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return nil
		}
		last := entries[len(entries)-1].Seq
		if err := to.LoadAudit(ctx, entries, store.Setting{Key: settingAudit, Value: strconv.FormatInt(last, 10)}); err != nil {
			return err
		}
		after = last
		st.AuditEntries += int64(len(entries))
		if opts.Progress != nil {
			opts.Progress(*st)
		}
	}
}
