package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
)

// ErrUnindexable means a row holds a value the index cannot order as SQL
// does (a date not written YYYY-MM-DD, say): queries then stay on SQL.
var ErrUnindexable = errors.New("incidents not indexable")

// indexColumns are the columns an item is made of, unqualified so that
// they serve in SELECT and in RETURNING clauses alike. The sample test is
// Clusters' (LIKE, so case-insensitive for ASCII).
const indexColumns = `fid, geom, CAST(event_date AS TEXT), CAST(event_end_date AS TEXT), event_type, country, fatalities,
	tags IS NOT NULL AND tags LIKE '%"sample"%', status <> 'published', admin1`

// rawItem is a row read through indexColumns, its bytes owned.
type rawItem struct {
	fid                           int64
	geom                          []byte
	date, end, etype, country     []byte
	admin1                        []byte // NULL reads as nil, and is grouped with ""
	etypeNull, countryNull, endOK bool
	fat                           sql.NullInt64
	sample                        bool
	hidden                        bool // not published
}

// rowScanner is what scanRaw needs from *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// rawScan reads one row of indexColumns into r; with sql.RawBytes the
// bytes are only valid until the next row, so copy says whether to keep
// them.
type rawScan struct {
	geom, date, end, etype, country, admin1 sql.RawBytes
}

func (rs *rawScan) scan(sc rowScanner, r *rawItem, keep bool) error {
	if err := sc.Scan(&r.fid, &rs.geom, &rs.date, &rs.end, &rs.etype, &rs.country, &r.fat, &r.sample, &r.hidden, &rs.admin1); err != nil {
		return err
	}
	r.geom, r.date, r.end, r.etype, r.country, r.admin1 = rs.geom, rs.date, rs.end, rs.etype, rs.country, rs.admin1
	r.endOK, r.etypeNull, r.countryNull = rs.end != nil, rs.etype == nil, rs.country == nil
	if keep {
		r.geom, r.date, r.end = clone(r.geom), clone(r.date), clone(r.end)
		r.etype, r.country, r.admin1 = clone(r.etype), clone(r.country), clone(r.admin1)
	}
	return nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// parseDay reads YYYY-MM-DD as the number YYYYMMDD, which orders as the
// text does. Months beyond 12 and days beyond 31 are refused.
func parseDay(b []byte) (int32, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	var d int32
	for i, c := range b {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		d = d*10 + int32(c-'0')
	}
	if m, day := d/100%100, d%100; m < 1 || m > 12 || day < 1 || day > 31 {
		return 0, false
	}
	return d, true
}

// formatDay writes a day number back as YYYY-MM-DD.
func formatDay(d int32) string {
	b := []byte("0000-00-00")
	for _, i := range []int{9, 8, 6, 5, 3, 2, 1, 0} {
		b[i] = byte('0' + d%10)
		d /= 10
	}
	return string(b)
}

// dict gives the distinct values of a text column small codes; 0 is NULL.
type dict struct {
	mu    sync.Mutex // loadIndex's parts share the dictionaries
	codes map[string]uint16
	names []string // by code; names[0] is "" for NULL
	full  bool     // a value was refused: every code was taken
}

func newDict() *dict { return &dict{codes: map[string]uint16{}, names: []string{""}} }

func (d *dict) code(b []byte, null bool) (uint16, error) {
	if null {
		return 0, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.codes[string(b)]; ok {
		return c, nil
	}
	if len(d.names) > math.MaxUint16 {
		d.full = true
		return 0, fmt.Errorf("%w: more than %d distinct values", ErrUnindexable, math.MaxUint16)
	}
	c := uint16(len(d.names))
	d.names = append(d.names, string(b))
	d.codes[string(b)] = c
	return c, nil
}

// isFull reports whether the dictionary refused a value.
func (d *dict) isFull() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.full
}

// areaKey is the area dictionary's value for a country and an admin1
// name: the country's length, then both names, so that no pair of names
// can pass for another. NULL and "" are one area, as in SQL's summary.
func areaKey(buf []byte, country, admin1 []byte) []byte {
	buf = binary.AppendUvarint(buf[:0], uint64(len(country)))
	return append(append(buf, country...), admin1...)
}

// splitArea reads an area dictionary value back as its two names.
func splitArea(key string) (country, admin1 string) {
	n, w := binary.Uvarint([]byte(key))
	return key[w : w+int(n)], key[w+int(n):]
}

// areasNamed returns the set of area codes whose admin1 is name, compared
// as SQL's admin1 filter does (COLLATE NOCASE: ASCII letters only fold).
func (x *index) areasNamed(name string) []bool {
	set := make([]bool, len(x.areas.names))
	for c, key := range x.areas.names[1:] {
		_, admin1 := splitArea(key)
		set[c+1] = equalFoldASCII(admin1, name)
	}
	return set
}

// equalFoldASCII reports whether a and b are equal with ASCII letters
// folded to one case, as SQLite's NOCASE collation compares.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lookup returns a code set for the names, for a filter.
func (d *dict) lookup(names []string) []bool {
	set := make([]bool, len(d.names))
	for _, n := range names {
		if c, ok := d.codes[n]; ok {
			set[c] = true
		}
	}
	return set
}

// item makes an index item of a row.
func (x *index) item(r *rawItem) (item, error) {
	if r.fid <= 0 || r.fid > math.MaxUint32 {
		return item{}, fmt.Errorf("%w: fid %d out of range", ErrUnindexable, r.fid)
	}
	day, ok := parseDay(r.date)
	if !ok {
		return item{}, fmt.Errorf("%w: row %d: event_date %q", ErrUnindexable, r.fid, r.date)
	}
	it := item{key: makeKey(day, r.fid), end: day, fat: -1}
	if r.sample {
		it.flags |= itemSample
	}
	if r.hidden {
		it.flags |= itemHidden
	}
	if r.endOK {
		if it.end, ok = parseDay(r.end); !ok {
			return item{}, fmt.Errorf("%w: row %d: event_end_date %q", ErrUnindexable, r.fid, r.end)
		}
	}
	if r.fat.Valid {
		if r.fat.Int64 < 0 || r.fat.Int64 >= math.MaxInt32 {
			return item{}, fmt.Errorf("%w: row %d: fatalities %d", ErrUnindexable, r.fid, r.fat.Int64)
		}
		it.fat = int32(r.fat.Int64)
	}
	var err error
	if it.etype, err = x.types.code(r.etype, r.etypeNull); err != nil {
		return item{}, err
	}
	if it.country, err = x.countries.code(r.country, r.countryNull); err != nil {
		return item{}, err
	}
	var buf [64]byte
	if it.area, err = x.areas.code(areaKey(buf[:], r.country, r.admin1), false); err != nil {
		// Areas only group summaries: past the last code, summaries by
		// admin1 go to SQL (areas.full) instead of the whole index failing.
		it.area = 0
	}
	if r.geom == nil {
		it.flags |= itemEmpty
		return it, nil
	}
	env, empty, err := geo.Envelope(r.geom)
	if err != nil {
		return item{}, fmt.Errorf("%w: row %d: %v", ErrUnindexable, r.fid, err)
	}
	it.env = env
	if empty {
		it.flags |= itemEmpty
	}
	return it, nil
}

// fingerprint identifies a state of the incidents: the revision every
// incidentmap write bumps, and the last_change of gpkg_contents that GDAL
// (QGIS) also sets when it edits the layer.
type fingerprint struct {
	rev        int64
	lastChange string
}

const fingerprintSQL = `SELECT (SELECT CAST(value AS INTEGER) FROM incidentmap_settings WHERE key = 'revision'),
	(SELECT COALESCE(last_change, '') FROM gpkg_contents WHERE table_name = 'incidents')`

func readFingerprint(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (fingerprint, error) {
	var fp fingerprint
	if err := q.QueryRowContext(ctx, fingerprintSQL).Scan(&fp.rev, &fp.lastChange); err != nil {
		return fingerprint{}, fmt.Errorf("reading the store's revision: %w", err)
	}
	return fp, nil
}

// index is the in-memory spatial–temporal index of the incidents: a few
// static trees (see tree) of which writes add small ones, merged as in a
// log-structured merge so each item is rebuilt O(log n) times. It reflects
// the store at fp; a query trusts it only when the file still is at fp.
type index struct {
	mu                      sync.RWMutex
	trees                   []*tree // largest first
	types, countries, areas *dict
	fp                      fingerprint
	ok                      bool // built and in step with fp
	failed                  bool // building it at fp failed
	// cache holds encoded features; epoch counts the writes applied, so
	// that a feature read before a write is not cached after it.
	cache  featureCache
	counts countCache
	epoch  atomic.Int64
}

// change is what a write transaction did, for the index: the keys of the
// rows it removed or replaced, and the rows it wrote, in order.
type change struct {
	bound orb.Bound // of the geometries written; empty when Min > Max
	track bool      // there is an index to keep in step: record ops
	ops   []changeOp
}

type changeOp struct {
	gone  bool
	fid   int64
	key   int64   // of the removed row
	fresh rawItem // of the written row
}

// returning adds a RETURNING clause of indexColumns to an INSERT or
// UPDATE when the change is tracked: without an index there is nothing to
// keep in step, and reading the rows back would slow bulk writes.
func (c *change) returning(sqlText string) string {
	if !c.track {
		return sqlText
	}
	return sqlText + " RETURNING " + indexColumns
}

// execQuerier is what write runs statements on: a *sql.Stmt, or a *sql.Tx
// with the statement's text as the first argument.
type execQuerier interface {
	ExecContext(ctx context.Context, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, args ...any) (*sql.Rows, error)
}

// txStmt runs a statement's text on a transaction as an execQuerier.
type txStmt struct {
	tx   *sql.Tx
	text string
}

func (t txStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.text, args...)
}

func (t txStmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.text, args...)
}

// write runs an INSERT or UPDATE made with returning and, when the change
// is tracked, records the row it wrote.
func (c *change) write(ctx context.Context, st execQuerier, args []any) error {
	if !c.track {
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var rs rawScan
	for rows.Next() {
		var r rawItem
		if err := rs.scan(rows, &r, true); err != nil {
			return err
		}
		c.ops = append(c.ops, changeOp{fid: r.fid, fresh: r})
	}
	return rows.Err()
}

// remove records that the row fid, dated date, was deleted or is about to
// be replaced.
func (c *change) remove(fid int64, date string) {
	day, ok := parseDay([]byte(date))
	if !ok {
		day = -1 // the index cannot have held it: it refuses such rows
	}
	c.ops = append(c.ops, changeOp{gone: true, fid: fid, key: makeKey(day, fid)})
}

// loadParts is how many read transactions loadIndex reads the rows in at
// once, each a range of row ids: reading rows through the driver is most
// of the start-up time, and it parallelises.
const loadParts = 2

// loadIndex reads every incident into a new index. The parts are read in
// transactions of their own; when another program wrote in between, their
// fingerprints differ and the reading starts again.
func loadIndex(ctx context.Context, db *sql.DB) (*index, error) {
	for {
		x, again, err := tryLoadIndex(ctx, db)
		if !again || err != nil {
			return x, err
		}
	}
}

func tryLoadIndex(ctx context.Context, db *sql.DB) (x *index, again bool, err error) {
	var lo, hi int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MIN(fid), 0), COALESCE(MAX(fid), 0) FROM incidents").Scan(&lo, &hi); err != nil {
		return nil, false, fmt.Errorf("indexing incidents: %w", err)
	}
	x = &index{types: newDict(), countries: newDict(), areas: newDict()}
	type part struct {
		items []item
		fp    fingerprint
		err   error
	}
	parts := make([]part, loadParts)
	step := (hi-lo)/loadParts + 1
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			from := lo + int64(i)*step
			parts[i].items, parts[i].fp, parts[i].err = x.loadRange(ctx, db, from, from+step)
		})
	}
	wg.Wait()
	n := 0
	for _, p := range parts {
		if p.err != nil {
			return nil, false, p.err
		}
		if p.fp != parts[0].fp {
			return nil, true, nil
		}
		n += len(p.items)
	}
	items := make([]item, 0, n)
	for _, p := range parts {
		items = append(items, p.items...)
	}
	x.fp = parts[0].fp
	x.trees = []*tree{buildTree(items)}
	x.ok = true
	return x, false, nil
}

// loadRange reads the items of the rows from <= fid < to, and the
// fingerprint of the state it read, in one read transaction.
func (x *index) loadRange(ctx context.Context, db *sql.DB, from, to int64) ([]item, fingerprint, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fingerprint{}, fmt.Errorf("indexing incidents: %w", err)
	}
	defer tx.Rollback()
	fp, err := readFingerprint(ctx, tx)
	if err != nil {
		return nil, fingerprint{}, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+indexColumns+" FROM incidents WHERE fid >= ? AND fid < ?", from, to)
	if err != nil {
		return nil, fingerprint{}, fmt.Errorf("indexing incidents: %w", err)
	}
	defer rows.Close()
	items := make([]item, 0, min(to-from, 1<<24))
	var rs rawScan
	var r rawItem
	for rows.Next() {
		if err := rs.scan(rows, &r, false); err != nil {
			return nil, fingerprint{}, fmt.Errorf("indexing incidents: %w", err)
		}
		it, err := x.item(&r)
		if err != nil {
			return nil, fingerprint{}, err
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fingerprint{}, fmt.Errorf("indexing incidents: %w", err)
	}
	return items, fp, nil
}

// apply brings the index from the state before a write transaction to the
// one after it (at fp). An index that was not at the state before stops
// being trusted.
func (x *index) apply(c *change, before, after fingerprint) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.ok || x.fp != before {
		x.ok = false
		return false
	}
	x.epoch.Add(1)
	fids := make([]int64, len(c.ops))
	for i, op := range c.ops {
		fids[i] = op.fid
	}
	x.cache.drop(fids)
	pending := map[int64]rawItem{}
	for i := range c.ops {
		op := &c.ops[i]
		if !op.gone {
			pending[op.fresh.fid] = op.fresh
			continue
		}
		if _, ok := pending[op.fid]; ok {
			delete(pending, op.fid)
			continue
		}
		x.kill(op.key)
	}
	items := make([]item, 0, len(pending))
	for _, r := range pending {
		it, err := x.item(&r)
		if err != nil {
			x.ok = false
			return false
		}
		items = append(items, it)
	}
	if len(items) > 0 {
		x.trees = append(x.trees, buildTree(items))
	}
	x.compact()
	x.fp = after
	return true
}

// kill marks the current item with key dead in whichever tree holds it.
func (x *index) kill(key int64) {
	old := item{key: key}
	for i := len(x.trees) - 1; i >= 0; i-- {
		if x.trees[i].kill(&old) {
			return
		}
	}
}

// compact merges the smallest trees while one is at least half the size
// of the next, and merges everything once a quarter of the items are
// dead, so that searches visit O(log n) trees and few dead items.
func (x *index) compact() {
	size := func(t *tree) int { return len(t.items) - t.nDead }
	for n := len(x.trees); n >= 2 && 2*size(x.trees[n-1]) >= size(x.trees[n-2]); n = len(x.trees) {
		x.trees = append(x.trees[:n-2], mergeTrees(x.trees[n-2:]))
	}
	total, dead := 0, 0
	for _, t := range x.trees {
		total += len(t.items)
		dead += t.nDead
	}
	if dead > 0 && 4*dead >= total {
		x.trees = []*tree{mergeTrees(x.trees)}
	}
	for len(x.trees) > 0 && len(x.trees[len(x.trees)-1].items) == 0 {
		x.trees = x.trees[:len(x.trees)-1]
	}
}

// len returns how many current incidents the index holds.
func (x *index) len() int {
	n := 0
	for _, t := range x.trees {
		n += len(t.items) - t.nDead
	}
	return n
}
