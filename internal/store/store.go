// Package store keeps incidents in a SQLite database that is itself a
// GeoPackage 1.3 file: QGIS and GDAL open it directly, while incidentmap
// queries it through a spatial (R*Tree) index. It knows nothing of HTTP.
//
// One connection writes (SQLite allows one writer at a time, and queuing
// writers in Go avoids SQLITE_BUSY); a pool of read-only connections serves
// queries concurrently thanks to WAL mode.
//
// # The in-memory index
//
// SQL answers "the newest 100 incidents in this box" by finding every
// incident in the box and sorting them: its cost grows with the box, not
// the page, and numberMatched counts the box again. Once BuildIndex has run
// (serve does it at start-up), an in-memory index answers bbox, time,
// event type, country and fatality filters instead, and SQL keeps the rest
// (text, actors, admin1, ids, CQL2): results are identical either way, which
// a differential test checks over random queries.
//
// The index is a k-d tree over the envelope centre's longitude, latitude
// and the event date in turn, split at the median and stored as flat
// arrays (about 80 bytes per incident: the envelope, the sort key
// day<<32|fid, the end day, fatalities and dictionary codes, and the
// envelope again as float32 in an array of its own, which a count along a
// box's edges reads instead of the items). Each node
// carries its float32 bound rounded outwards, its key range and its end
// dates. A page is a best-first search: nodes wait in one queue under the
// newest (or oldest) key they may hold, so items come out in order and the
// search stops after the page, having opened only nodes whose time range
// reaches past the page's last item. Because levels split on time too,
// those are few whether the box holds a hundred incidents or a hundred
// thousand. A count adds up the sizes of nodes wholly inside the box and
// dates, and looks at items only along the edges; clusters read the
// items from memory instead of decoding rows.
//
// Writes keep it in step: each write transaction returns the rows it wrote
// (RETURNING) and the keys of those it removed; after the commit these
// become a small tree of their own and dead marks in the older ones, and
// trees are merged whenever one is at least half the next (a logarithmic
// method: O(log n) trees, each item rebuilt O(log n) times). The index
// trusts itself only while the file's fingerprint (the revision every
// write bumps and gpkg_contents.last_change, which GDAL sets too) is the
// one it was built at; another program's write sends queries to SQL until
// a rebuild in the background has caught up. The SQLite file stays the
// source of truth and a plain GeoPackage: nothing of the index is stored.
//
// Pages found by the index are written from a bounded cache of features
// already encoded as GeoJSON (QueryFeatures); writes drop the rows they
// touch from it. Counts are kept too, by filter, until the next write: a
// client paging with a cursor asks the same numberMatched on every page.
//
// The trade-off, measured (BenchmarkIndexedPage, BenchmarkIndexedCount,
// BenchmarkBuildIndex at 200,000 incidents; "incidentmap bench" at a
// million): memory of about 80 bytes per incident and some 2 CPU-seconds
// per million incidents at start-up (about a second on two idle cores),
// against a page whose CPU cost stays within about 20% from 100 to 100,000
// incidents in the box where SQL's grows fourfold, and a count that reads
// node sizes where SQL reads every row. While an index is built, writes
// read their rows back to keep it in step; without one (the command-line
// tools) they do not.
//
// The alternative kept in SQLite, an R*Tree with the date as a third
// dimension searched in time slabs, could find a page without sorting the
// box, but SQLite's R*Tree counts by visiting every entry, so
// numberMatched would still cost as many rows as the box holds
// (BenchmarkIndexedCount's sql runs show that cost), and each slab is a
// query of its own through the driver.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Named errors callers can test with errors.Is.
var (
	// ErrNotFound means no incident has the requested id.
	ErrNotFound = errors.New("incident not found")
	// ErrConflict means an incident with the same id already exists.
	ErrConflict = errors.New("incident already exists")
	// ErrCursor means a paging cursor is malformed or from another query order.
	ErrCursor = errors.New("invalid cursor")
	// ErrArticleExists means an article with the same key is recorded
	// already: another writer ingested it first (IngestArticle).
	ErrArticleExists = errors.New("article ingested already")
)

// Store is an open incident database. It is safe for concurrent use.
type Store struct {
	path   string
	writer *sql.DB // exactly one connection: all writes queue here
	reader *sql.DB // read-only pool for queries

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared read statements by SQL text

	// index answers bbox and time queries once BuildIndex has run (nil
	// before). writeMu orders each write's commit and its update of the
	// index before a check of whether another program changed the file.
	index      atomic.Pointer[index]
	writeMu    sync.Mutex
	rebuilding atomic.Bool
	bgMu       sync.Mutex // orders bg.Add against Close's bg.Wait
	closed     bool
	bg         sync.WaitGroup
	bgCtx      context.Context
	bgStop     context.CancelFunc

	commits Commits // announced after each committed write (Changed)
}

// maxCachedStmts bounds the statement cache: query shapes are few, but
// filters such as CQL2 can make arbitrarily many.
const maxCachedStmts = 256

// queryRows runs a read query through a cached prepared statement: parsing
// SQL is a noticeable share of a small query's time. Once the cache is full,
// further shapes run unprepared rather than evicting statements in use.
func (s *Store) queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s.stmtMu.Lock()
	st, ok := s.stmts[query]
	if !ok && len(s.stmts) < maxCachedStmts {
		var err error
		if st, err = s.reader.PrepareContext(ctx, query); err != nil {
			s.stmtMu.Unlock()
			return nil, err
		}
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		s.stmts[query] = st
	}
	s.stmtMu.Unlock()
	if st == nil {
		return s.reader.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// Open opens the GeoPackage at path, creating it and applying pending schema
// migrations as needed.
func Open(ctx context.Context, path string) (*Store, error) {
	registerFunctions()
	writer, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxLifetime(0)
	s := &Store{path: path, writer: writer}
	s.bgCtx, s.bgStop = context.WithCancel(context.Background())
	if err := s.init(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("opening %s for reading: %w", path, err)
	}
	reader.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	reader.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	s.reader = reader
	return s, nil
}

// connMemory is what one connection may hold in memory: its page cache
// (KiB), how much of the file it maps, and where its temporary files
// (statement journals, sorts) go.
type connMemory struct {
	cacheKiB  int
	mmapBytes int64
	tempStore string // MEMORY or FILE
}

// storeMemory is the store's own connections': statement journals and sorts
// stay in memory (with R*Tree triggers every insert opens a statement
// journal, and on disk that costs a write system call per page); a 64 MiB
// page cache per connection keeps the R*Tree and indexes hot and stops
// large transactions from spilling pages mid-transaction.
func storeMemory() connMemory {
	return connMemory{cacheKiB: 65536, mmapBytes: 1 << 30, tempStore: "MEMORY"}
}

// dsn is the connection string of the store's own connections.
func dsn(path string, readOnly bool) string { return dsnWith(path, readOnly, storeMemory()) }

// dsnWith builds the modernc.org/sqlite connection string. Each pragma is
// given once: the driver does not let a later value override an earlier
// one. busy_timeout makes a connection wait for a lock instead of failing
// with SQLITE_BUSY; _txlock immediate takes the write lock at BEGIN so that
// a transaction never fails half-way when upgrading from read to write.
func dsnWith(path string, readOnly bool, m connMemory) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", fmt.Sprintf("temp_store(%s)", m.tempStore))
	q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -m.cacheKiB))
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", m.mmapBytes))
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func (s *Store) init(ctx context.Context) error {
	// Migrations come first: they refuse a file that is not ours before
	// anything of it changes.
	if err := migrate(ctx, s.writer); err != nil {
		return err
	}
	// WAL lets readers run during writes; it is a property of the file, so
	// setting it once on the writer is enough.
	if _, err := s.writer.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return fmt.Errorf("enabling WAL: %w", err)
	}
	return nil
}

// DB returns the writer connection, for packages that keep their own tables
// in the same file (the gazetteer, article ingest). Use it for short
// transactions only: every write of the store queues behind it.
func (s *Store) DB() *sql.DB { return s.writer }

// ReadDB returns the read-only connection pool.
func (s *Store) ReadDB() *sql.DB { return s.reader }

// Close closes the database, checkpointing the WAL into the main file so
// that a copied .gpkg holds everything.
func (s *Store) Close() error {
	s.bgMu.Lock()
	s.closed = true
	s.bgMu.Unlock()
	s.bgStop()
	s.bg.Wait()
	var errs []error
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if _, err := s.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		errs = append(errs, fmt.Errorf("checkpointing WAL: %w", err))
	}
	errs = append(errs, s.writer.Close())
	return errors.Join(errs...)
}

// IntegrityCheck runs SQLite's integrity_check and returns its verdict ("ok"
// when the file is sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	if err := s.reader.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return "", fmt.Errorf("checking integrity: %w", err)
	}
	return res, nil
}

// Setting returns a value from the settings table, or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reader.QueryRowContext(ctx, "SELECT value FROM incidentmap_settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("setting %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("reading setting %q: %w", key, err)
	}
	return v, nil
}

// SetSettingIfAbsent stores value under key unless the key already has one,
// and returns the value now stored.
func (s *Store) SetSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	if _, err := s.writer.ExecContext(ctx,
		"INSERT INTO incidentmap_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", key, value); err != nil {
		return "", fmt.Errorf("writing setting %q: %w", key, err)
	}
	var v string
	if err := s.writer.QueryRowContext(ctx, "SELECT value FROM incidentmap_settings WHERE key = ?", key).Scan(&v); err != nil {
		return "", fmt.Errorf("reading setting %q: %w", key, err)
	}
	return v, nil
}

// Revision returns a number that changes with every committed write to the
// incidents, for cache validators such as HTTP ETags.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	// The index's fingerprint, read through a cached statement: every
	// conditional GET asks it.
	fp, err := s.fingerprint(ctx)
	return fp.rev, err
}

// BuildIndex reads the incidents into the in-memory index that answers
// bbox and time queries, counts and clusters from then on (see the package
// documentation). Until it has run, and whenever the index cannot answer a
// query, queries run in SQL; results are the same either way.
func (s *Store) BuildIndex(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	x, err := loadIndex(ctx, s.reader)
	if err != nil {
		return err
	}
	s.index.Store(x)
	return nil
}

// refreshQuiet is how long the file must stay unchanged before a rebuild
// starts: an import by another program commits batch after batch, and
// rebuilding after each would burn the CPU the import needs.
const refreshQuiet = 300 * time.Millisecond

// refreshIndex rebuilds the index in the background when the file no
// longer matches it (another program wrote to it), once at a time and
// once the file has been quiet for refreshQuiet. Until then queries run
// in SQL.
func (s *Store) refreshIndex() {
	if !s.rebuilding.CompareAndSwap(false, true) {
		return
	}
	s.bgMu.Lock()
	defer s.bgMu.Unlock()
	if s.closed {
		s.rebuilding.Store(false)
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer s.rebuilding.Store(false)
		if err := s.waitQuiet(); err != nil {
			return
		}
		// Holding writeMu, this process's writes have all reached the index:
		// a difference left is another program's.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		fp, err := readFingerprint(s.bgCtx, s.reader)
		if err != nil {
			return
		}
		old := s.index.Load()
		old.mu.RLock()
		current := old.ok && old.fp == fp
		failed := old.failed && old.fp == fp
		old.mu.RUnlock()
		if current || failed {
			return
		}
		x, err := loadIndex(s.bgCtx, s.reader)
		if err != nil {
			// Not indexable as it stands (or closing): remember the state
			// that failed, so that queries do not retry until it changes.
			x = &index{fp: fp, failed: true}
		}
		s.index.Store(x)
	}()
}

// waitQuiet returns once the file's fingerprint has not changed for
// refreshQuiet, or with the error that stopped it (the store closing).
func (s *Store) waitQuiet() error {
	fp, err := readFingerprint(s.bgCtx, s.reader)
	for err == nil {
		select {
		case <-s.bgCtx.Done():
			return s.bgCtx.Err()
		case <-time.After(refreshQuiet):
		}
		var now fingerprint
		if now, err = readFingerprint(s.bgCtx, s.reader); err == nil && now == fp {
			return nil
		}
		fp = now
	}
	return err
}

// IndexStats describes the in-memory index.
type IndexStats struct {
	Incidents int   // current incidents it holds
	Bytes     int64 // memory of its items, nodes and marks
	Trees     int   // static trees it is made of (see the package documentation)
}

// IndexStats returns the index's size, and false before BuildIndex or
// while the index is out of step with the file.
func (s *Store) IndexStats() (IndexStats, bool) {
	x := s.index.Load()
	if x == nil {
		return IndexStats{}, false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if !x.ok {
		return IndexStats{}, false
	}
	st := IndexStats{Incidents: x.len(), Trees: len(x.trees)}
	for _, t := range x.trees {
		st.Bytes += t.bytes()
	}
	return st, true
}
