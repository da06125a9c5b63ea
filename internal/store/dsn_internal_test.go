package store

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestConnectionSettingsApply opens connections from each connection
// string and reads back the settings: the driver keeps the first of two
// values of a pragma, so a string that appended overrides to the store's
// kept the store's 64 MiB cache and 1 GiB mapping for snapshots (a 1M
// snapshot held 226 MB).
func TestConnectionSettingsApply(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dsn.gpkg")
	for _, c := range []struct {
		name string
		dsn  string
		want connMemory
	}{
		{"store writer", dsn(path, false), storeMemory()},
		{"store reader", dsn(path, true), storeMemory()},
		{"one-shot", oneShotDSN(path), oneShotMemory()},
	} {
		db, err := sql.Open("sqlite", c.dsn)
		if err != nil {
			t.Fatal(err)
		}
		var cache, temp int
		var mmap int64
		for _, p := range []struct {
			pragma string
			dest   any
		}{{"cache_size", &cache}, {"mmap_size", &mmap}, {"temp_store", &temp}} {
			if err := db.QueryRow("PRAGMA " + p.pragma).Scan(p.dest); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		wantTemp := map[string]int{"FILE": 1, "MEMORY": 2}[c.want.tempStore]
		if cache != -c.want.cacheKiB || mmap != c.want.mmapBytes || temp != wantTemp {
			t.Errorf("%s: cache_size %d, mmap_size %d, temp_store %d; want %d, %d, %d", c.name, cache, mmap, temp, -c.want.cacheKiB, c.want.mmapBytes, wantTemp)
		}
	}
}
