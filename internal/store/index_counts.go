package store

import (
	"encoding/binary"
	"math"
	"sync"
)

// countCacheEntries bounds the counts kept; an entry is a few dozen bytes.
const countCacheEntries = 4096

// countCache keeps the counts of recent filters with the epoch they were
// counted at: a GIS client paging through a query with a cursor asks the
// same numberMatched on every page, and a map reloading its view asks the
// same count again. Any write applied to the index moves the epoch on, so
// an entry of an earlier epoch is never answered.
type countCache struct {
	mu sync.Mutex
	m  map[string]countEntry
}

type countEntry struct{ epoch, n int64 }

func (c *countCache) get(key string, epoch int64) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok && e.epoch == epoch {
		return e.n, true
	}
	return 0, false
}

func (c *countCache) put(key string, epoch, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]countEntry{}
	}
	// Full, drop a quarter in the map's own random order, stale entries
	// and current ones alike: no bookkeeping per hit.
	if len(c.m) >= countCacheEntries {
		drop := countCacheEntries / 4
		for k := range c.m {
			if drop == 0 {
				break
			}
			delete(c.m, k)
			drop--
		}
	}
	c.m[key] = countEntry{epoch, n}
}

// key encodes everything f tests, so that two filters with one key match
// the same items.
func (f *filter) key() string {
	b := make([]byte, 0, 128)
	b = binary.AppendUvarint(b, uint64(len(f.bounds)))
	for _, bd := range f.bounds {
		for _, v := range [4]float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	for _, v := range [3]int32{f.start, f.end, f.minFat} {
		b = binary.AppendVarint(b, int64(v))
	}
	b = binary.AppendVarint(b, f.afterKey)
	b = binary.AppendVarint(b, f.beforeKey)
	flags := byte(0)
	if f.published {
		flags |= 1
	}
	if f.types != nil {
		flags |= 2
	}
	if f.countries != nil {
		flags |= 4
	}
	if f.areas != nil {
		flags |= 8
	}
	b = append(b, flags)
	// Each set as its members: an area set is as long as the dictionary
	// (thousands) and holds a few.
	for _, set := range [3][]bool{f.types, f.countries, f.areas} {
		n := 0
		for _, in := range set {
			if in {
				n++
			}
		}
		b = binary.AppendUvarint(b, uint64(n))
		for code, in := range set {
			if in {
				b = binary.AppendUvarint(b, uint64(code))
			}
		}
	}
	return string(b)
}
