package store

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// compile turns q into an index filter, or reports false when q asks what
// the index does not hold (text, actors, ids, SQL conditions, admin1 once
// the area dictionary is full) or what SQL should judge (a malformed
// cursor or date).
func (x *index) compile(q Query) (filter, bool) {
	f := filter{minFat: -1, afterKey: noAfter, beforeKey: noBefore}
	if q.Order != ByEventDate || q.Actor != "" || q.Text != "" || len(q.IDs) > 0 || len(q.SourceEventIDs) > 0 || len(q.Filters) > 0 {
		return filter{}, false
	}
	switch {
	case q.Statuses == nil:
	case q.PublishedOnly():
		f.published = true
	default:
		return filter{}, false // the review queue: small, SQL's index serves it
	}
	if q.BBox != nil && !q.BBox.IsWorld() {
		f.bounds = q.BBox.Bounds()
	}
	for _, d := range []struct {
		text string
		dst  *int32
	}{{q.Start, &f.start}, {q.End, &f.end}} {
		if d.text == "" {
			continue
		}
		day, ok := parseDay([]byte(d.text))
		if !ok {
			return filter{}, false
		}
		*d.dst = day
	}
	if len(q.EventTypes) > 0 {
		f.types = x.types.lookup(q.EventTypes)
	}
	if len(q.Countries) > 0 {
		f.countries = x.countries.lookup(q.Countries)
	}
	if q.Admin1 != "" {
		if x.areas.isFull() {
			return filter{}, false
		}
		f.areas = x.areasNamed(q.Admin1)
	}
	if q.MinFatalities != nil {
		f.minFat = int32(max(0, min(*q.MinFatalities, math.MaxInt32)))
	}
	if q.Cursor != "" {
		c, err := decodeCursorFor(q)
		if err != nil || c.fid <= 0 || c.fid > math.MaxUint32 {
			return filter{}, false
		}
		fid := c.fid
		day, ok := parseDay([]byte(c.date))
		if !ok {
			return filter{}, false
		}
		if q.Desc {
			f.beforeKey = makeKey(day, fid)
		} else {
			f.afterKey = makeKey(day, fid)
		}
	}
	return f, true
}

// withIndex runs fn under the index's read lock with q compiled, when the
// index is built, in step with the file and able to answer q; it reports
// whether fn ran. A file changed by another program sends a rebuild on its
// way, and this query to SQL.
func (s *Store) withIndex(ctx context.Context, q Query, fn func(x *index, f *filter)) (bool, error) {
	x := s.index.Load()
	if x == nil {
		return false, nil
	}
	fp, err := s.fingerprint(ctx)
	if err != nil {
		return false, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if !x.ok || x.fp != fp {
		s.refreshIndex()
		return false, nil
	}
	f, ok := x.compile(q)
	if !ok {
		return false, nil
	}
	fn(x, &f)
	return true, nil
}

// fingerprint reads the store's current fingerprint through a cached
// statement: every indexed query starts with it.
func (s *Store) fingerprint(ctx context.Context) (fingerprint, error) {
	rows, err := s.queryRows(ctx, fingerprintSQL)
	if err != nil {
		return fingerprint{}, fmt.Errorf("reading the store's revision: %w", err)
	}
	defer rows.Close()
	var fp fingerprint
	if !rows.Next() {
		return fingerprint{}, fmt.Errorf("reading the store's revision: %w", rows.Err())
	}
	if err := rows.Scan(&fp.rev, &fp.lastChange); err != nil {
		return fingerprint{}, fmt.Errorf("reading the store's revision: %w", err)
	}
	return fp, nil
}

// pageSQL reads whole rows for a page of row ids, in the order given.
var pageSQL = featureRowsSQL + " ORDER BY page.key"

// featureRowsSQL reads whole rows for a list of row ids in no promised
// order: without ORDER BY, SQLite does not copy the rows into a sorter
// first (10% of reading a page of 100, measured side by side).
var featureRowsSQL = "SELECT " + selectColumns + " FROM json_each(?) page CROSS JOIN incidents i ON i.fid = page.value"

// indexedPage finds the row ids of q's page (one more than Limit, to tell
// whether a next page exists) in the index. ok is false when the index
// cannot answer q.
func (s *Store) indexedPage(ctx context.Context, q Query) (fids string, ok bool, err error) {
	var keys []int64
	ok, err = s.withIndex(ctx, q, func(x *index, f *filter) {
		keys = top(x.trees, f, q.Desc, q.Limit+1)
	})
	if !ok || err != nil {
		return "", ok, err
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(k&0xffffffff, 10))
	}
	b.WriteByte(']')
	return b.String(), true, nil
}

// indexedCount counts q's matches in the index, or takes the count from
// the cache when nothing was written since the same filter was counted.
// The index's read lock, held throughout, keeps writes out between
// reading the epoch and counting.
func (s *Store) indexedCount(ctx context.Context, q Query) (n int64, ok bool, err error) {
	ok, err = s.withIndex(ctx, q, func(x *index, f *filter) {
		key, epoch := f.key(), x.epoch.Load()
		var hit bool
		if n, hit = x.counts.get(key, epoch); hit {
			return
		}
		for _, t := range x.trees {
			n += t.count(f)
		}
		x.counts.put(key, epoch, n)
	})
	return n, ok, err
}
