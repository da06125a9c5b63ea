package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// featureCacheBytes bounds the encoded features kept in memory: about
// 100,000 features, the pages of a few thousand busy map views.
const featureCacheBytes = 64 << 20

// featureCache keeps incidents encoded as GeoJSON Features by row id, so
// that a page the index found is written by concatenation, without reading
// or encoding its rows again. Writes drop the rows they touch (see
// index.apply); a rebuilt index starts an empty cache.
type featureCache struct {
	mu    sync.Mutex
	m     map[int64][]byte
	bytes int
}

func (c *featureCache) get(fid int64) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[fid]
	return b, ok
}

// put stores a feature read while the index was at epoch, unless a write
// has been applied since: the row may have changed after it was read.
func (c *featureCache) put(x *index, epoch int64, fid int64, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if x.epoch.Load() != epoch {
		return
	}
	if c.m == nil {
		c.m = map[int64][]byte{}
	}
	if old, ok := c.m[fid]; ok {
		c.bytes -= len(old)
	}
	c.m[fid] = b
	c.bytes += len(b)
	// Over the bound, drop entries in the map's own random order down to
	// three quarters: no bookkeeping per hit, and hot entries come back.
	if c.bytes > featureCacheBytes {
		for k, v := range c.m {
			if c.bytes <= featureCacheBytes*3/4 {
				break
			}
			delete(c.m, k)
			c.bytes -= len(v)
		}
	}
}

// drop forgets the features of rows a write changed.
func (c *featureCache) drop(fids []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, fid := range fids {
		if b, ok := c.m[fid]; ok {
			c.bytes -= len(b)
			delete(c.m, fid)
		}
	}
}

// QueryFeatures is Query for writers of GeoJSON: fn receives each incident
// encoded as a Feature (incident.AppendFeature), valid only during the
// call. When the index answers q, the page's features come from a cache of
// encoded features and only the rows missing there are read.
func (s *Store) QueryFeatures(ctx context.Context, q Query, fn func(feature []byte) error) (string, error) {
	if q.Limit > 0 {
		var (
			keys  []int64
			x     *index
			epoch int64
		)
		ok, err := s.withIndex(ctx, q, func(xi *index, f *filter) {
			x, epoch = xi, xi.epoch.Load()
			keys = top(xi.trees, f, q.Desc, q.Limit+1)
		})
		if err != nil {
			return "", err
		}
		if ok {
			return s.cachedPage(ctx, q, x, epoch, keys, fn)
		}
	}
	var buf []byte
	return s.Query(ctx, q, func(in *incident.Incident) error {
		buf = in.AppendFeature(buf[:0])
		return fn(buf)
	})
}

// cachedPage writes the features of keys, the page the index found, and
// returns the cursor of the next page.
func (s *Store) cachedPage(ctx context.Context, q Query, x *index, epoch int64, keys []int64, fn func([]byte) error) (string, error) {
	page := keys[:min(len(keys), q.Limit)]
	feats := make([][]byte, len(page))
	var missing []int64
	for i, k := range page {
		if b, ok := x.cache.get(k & 0xffffffff); ok {
			feats[i] = b
		} else {
			missing = append(missing, k&0xffffffff)
		}
	}
	if len(missing) > 0 {
		read, err := s.readFeatures(ctx, missing)
		if err != nil {
			return "", err
		}
		for i, k := range page {
			if feats[i] == nil {
				feats[i] = read[k&0xffffffff] // nil when deleted meanwhile
				if feats[i] != nil {
					x.cache.put(x, epoch, k&0xffffffff, feats[i])
				}
			}
		}
	}
	for _, b := range feats {
		if b == nil {
			continue
		}
		if err := fn(b); err != nil {
			return "", err
		}
	}
	if len(keys) <= q.Limit {
		return "", nil
	}
	last := page[len(page)-1]
	return encodeCursor(formatDay(int32(last>>32)), last&0xffffffff, q.Desc), nil
}

// readFeatures reads and encodes the rows fids, by row id (the caller
// puts them in order).
func (s *Store) readFeatures(ctx context.Context, fids []int64) (map[int64][]byte, error) {
	list := make([]byte, 0, 12*len(fids))
	list = append(list, '[')
	for i, f := range fids {
		if i > 0 {
			list = append(list, ',')
		}
		list = fmt.Appendf(list, "%d", f)
	}
	list = append(list, ']')
	rows, err := s.queryRows(ctx, featureRowsSQL, string(list))
	if err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	defer rows.Close()
	out := make(map[int64][]byte, len(fids))
	buf := newRowBuf(ctx, s.reader)
	var in incident.Incident
	for rows.Next() {
		if err := buf.scan(rows, &in); err != nil {
			return nil, fmt.Errorf("reading incident: %w", err)
		}
		out[buf.fid] = in.AppendFeature(nil)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	return out, nil
}
