package gazetteer

import (
	"archive/zip"
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer/internal/norm"
)

// importBatch is how many rows go in one transaction while importing.
const importBatch = 20_000

// maxReportedErrors is how many skipped lines ImportStats keeps when
// KeepValid is set.
const maxReportedErrors = 20

// ImportOptions tunes Import.
type ImportOptions struct {
	// KeepValid skips malformed lines (counting them) instead of failing
	// the whole import.
	KeepValid bool
	// Progress, when set, is called now and then with the file being read,
	// bytes read and its size (0 when unknown), and rows read.
	Progress func(file string, read, size int64, rows int64)
}

// ImportStats reports what Import did.
type ImportStats struct {
	Rows     int64         // geoname rows read
	Places   int64         // populated places and admin1/admin2 areas kept
	Skipped  int64         // rows of other feature classes (rivers, mountains...)
	Names    int64         // name keys written
	Admin    int64         // admin1/admin2 code rows
	Country  int64         // countryInfo rows
	Invalid  int64         // malformed lines skipped (KeepValid only)
	Errors   []string      // the first malformed lines, for the user
	Duration time.Duration //
}

// importTables are the gazetteer's tables in the database; Import fills
// "<name>_new" copies and renames them over these in one transaction.
func importTables() []string {
	return []string{"gazetteer_places", "gazetteer_names", "gazetteer_admin", "gazetteer_countries", "gazetteer_meta"}
}

func importSchema(suffix string) []string {
	return []string{
		`CREATE TABLE gazetteer_places` + suffix + ` (id INTEGER PRIMARY KEY, name TEXT NOT NULL, ascii TEXT NOT NULL,
			fclass TEXT NOT NULL, fcode TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL, admin2 TEXT NOT NULL,
			lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL)`,
		// Names are appended in file order and indexed once at the end:
		// sorting once is far faster than keeping a b-tree sorted row by row.
		`CREATE TABLE gazetteer_names` + suffix + ` (key TEXT NOT NULL, place_id INTEGER NOT NULL, kind INTEGER NOT NULL)`,
		`CREATE TABLE gazetteer_admin` + suffix + ` (code TEXT PRIMARY KEY, name TEXT NOT NULL, ascii TEXT NOT NULL,
			geonameid INTEGER NOT NULL) WITHOUT ROWID`,
		`CREATE TABLE gazetteer_countries` + suffix + ` (iso2 TEXT PRIMARY KEY, iso3 TEXT NOT NULL, name TEXT NOT NULL,
			capital TEXT NOT NULL, population INTEGER NOT NULL, geonameid INTEGER NOT NULL) WITHOUT ROWID`,
		`CREATE TABLE gazetteer_meta` + suffix + ` (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
	}
}

// Import reads GeoNames dumps as published into the database's gazetteer_
// tables, replacing any earlier import only when every file has been read:
// a failed or cancelled import leaves the previous gazetteer as it was.
//
// Files are recognised by name: admin1CodesASCII.txt and admin2Codes.txt
// (admin code names), countryInfo.txt (countries), and any other .txt or
// .zip as the geoname table (allCountries, XX per country, citiesNNNN).
// Of geoname rows it keeps populated places (feature class P) and
// first- and second-level divisions (ADM1, ADM2) with all their names;
// other features are counted and skipped. Memory stays bounded: rows are
// streamed and written in batches.
func Import(ctx context.Context, db *sql.DB, files []string, opts ImportOptions) (ImportStats, error) {
	start := time.Now()
	var st ImportStats
	conn, err := db.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("importing gazetteer: %w", err)
	}
	defer conn.Close()
	if err := dropTables(ctx, conn, "_new"); err != nil {
		return st, err
	}
	// A bigger page cache for the bulk load (64 MiB), back to the default
	// after: the connection returns to the store's pool.
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
		return st, fmt.Errorf("importing gazetteer: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
	for _, ddl := range importSchema("_new") {
		if _, err := conn.ExecContext(ctx, ddl); err != nil {
			return st, fmt.Errorf("creating import tables: %w", err)
		}
	}
	imp := &importer{ctx: ctx, conn: conn, opts: opts, stats: &st}
	// abandon rolls back the open batch and removes the new tables, so a
	// failed import leaves the database as it was.
	abandon := func(err error) (ImportStats, error) {
		if imp.tx != nil {
			imp.tx.Rollback()
			imp.tx = nil
		}
		dropTables(context.WithoutCancel(ctx), conn, "_new")
		return st, err
	}
	for _, f := range files {
		if err := imp.file(f); err != nil {
			return abandon(err)
		}
	}
	if st.Places == 0 && st.Admin == 0 && st.Country == 0 {
		return abandon(errors.New("importing gazetteer: the files held no places; nothing was replaced"))
	}
	if err := imp.meta(files); err != nil {
		return abandon(err)
	}
	// Index names when all are in. The index keeps its name through the
	// rename, so each import's index gets its own name.
	idx := fmt.Sprintf("gazetteer_names_key_%d", time.Now().UnixNano())
	if _, err := conn.ExecContext(ctx, "CREATE INDEX "+idx+" ON gazetteer_names_new (key)"); err != nil {
		return abandon(fmt.Errorf("indexing imported names: %w", err))
	}
	if err := swapTables(ctx, conn); err != nil {
		return abandon(err)
	}
	st.Duration = time.Since(start)
	return st, nil
}

func dropTables(ctx context.Context, conn *sql.Conn, suffix string) error {
	for _, t := range importTables() {
		if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+t+suffix); err != nil {
			return fmt.Errorf("dropping %s%s: %w", t, suffix, err)
		}
	}
	return nil
}

// swapTables replaces the live tables with the new ones in one transaction.
func swapTables(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replacing gazetteer tables: %w", err)
	}
	defer tx.Rollback()
	for _, t := range importTables() {
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return fmt.Errorf("replacing %s: %w", t, err)
		}
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+t+"_new RENAME TO "+t); err != nil {
			return fmt.Errorf("replacing %s: %w", t, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replacing gazetteer tables: %w", err)
	}
	return nil
}

type importer struct {
	ctx   context.Context
	conn  *sql.Conn
	opts  ImportOptions
	stats *ImportStats

	tx             *sql.Tx
	inBatch        int
	place, name    *sql.Stmt
	names          *sql.Stmt // inserts namesPerInsert names at once
	admin, country *sql.Stmt
	keys           []pendingName // scratch for one row's keys
	pending        []pendingName // names waiting for a multi-row insert
	args           []any
}

// namesPerInsert is how many names one INSERT writes: one statement per
// name spends most of its time in the driver, not in SQLite.
const namesPerInsert = 64

type pendingName struct {
	key  string
	id   int64
	kind NameKind
}

// queueName adds a name to the pending multi-row insert.
func (imp *importer) queueName(k pendingName) error {
	imp.pending = append(imp.pending, k)
	imp.stats.Names++
	if len(imp.pending) < namesPerInsert {
		return nil
	}
	imp.args = imp.args[:0]
	for _, p := range imp.pending {
		imp.args = append(imp.args, p.key, p.id, int(p.kind))
	}
	imp.pending = imp.pending[:0]
	if _, err := imp.names.ExecContext(imp.ctx, imp.args...); err != nil {
		return fmt.Errorf("importing gazetteer names: %w", err)
	}
	return nil
}

// flushNames writes the pending names one by one (fewer than
// namesPerInsert).
func (imp *importer) flushNames() error {
	for _, p := range imp.pending {
		if _, err := imp.name.ExecContext(imp.ctx, p.key, p.id, int(p.kind)); err != nil {
			return fmt.Errorf("importing gazetteer names: %w", err)
		}
	}
	imp.pending = imp.pending[:0]
	return nil
}

// file imports one file, or each .txt inside a .zip.
func (imp *importer) file(path string) error {
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return fmt.Errorf("opening %s: %w", path, err)
		}
		defer zr.Close()
		found := false
		for _, zf := range zr.File {
			if !strings.EqualFold(filepath.Ext(zf.Name), ".txt") || strings.EqualFold(filepath.Base(zf.Name), "readme.txt") {
				continue
			}
			found = true
			rc, err := zf.Open()
			if err != nil {
				return fmt.Errorf("opening %s in %s: %w", zf.Name, path, err)
			}
			err = imp.stream(path+"/"+zf.Name, filepath.Base(zf.Name), rc, int64(zf.UncompressedSize64))
			rc.Close()
			if err != nil {
				return err
			}
		}
		if !found {
			return fmt.Errorf("%s: no .txt file inside", path)
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	return imp.stream(path, filepath.Base(path), f, size)
}

// countingReader counts bytes read, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// stream reads one text file line by line into the new tables.
func (imp *importer) stream(label, base string, r io.Reader, size int64) error {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<20)
	kind := strings.ToLower(base)
	var handle func(line string, n int) error
	switch {
	case strings.HasPrefix(kind, "admin1codes"), strings.HasPrefix(kind, "admin2codes"):
		handle = func(line string, n int) error { return imp.adminLine(line, label, n) }
	case strings.HasPrefix(kind, "countryinfo"):
		handle = func(line string, n int) error { return imp.countryLine(line, label, n) }
	default:
		handle = func(line string, n int) error { return imp.geonameLine(line, label, n) }
	}
	lastReport := time.Now()
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading %s line %d: %w", label, n, err)
		}
		if line == "" && err == io.EOF {
			break
		}
		if line[len(line)-1] != '\n' && err == nil {
			return fmt.Errorf("reading %s line %d: line without end", label, n)
		}
		line = strings.TrimRight(line, "\r\n")
		if line != "" && line[0] != '#' {
			if herr := handle(line, n); herr != nil {
				var pe *ParseError
				if !imp.opts.KeepValid || !errors.As(herr, &pe) {
					if errors.As(herr, &pe) {
						return fmt.Errorf("%w (run with --keep-valid to skip malformed lines)", herr)
					}
					return herr
				}
				imp.stats.Invalid++
				if len(imp.stats.Errors) < maxReportedErrors {
					imp.stats.Errors = append(imp.stats.Errors, pe.Error())
				}
			}
		}
		if imp.opts.Progress != nil && n%4096 == 0 && time.Since(lastReport) > 200*time.Millisecond {
			imp.opts.Progress(label, cr.n, size, imp.stats.Rows)
			lastReport = time.Now()
		}
		if err == io.EOF {
			break
		}
	}
	if err := imp.flush(); err != nil {
		return err
	}
	if imp.opts.Progress != nil {
		imp.opts.Progress(label, cr.n, size, imp.stats.Rows)
	}
	return nil
}

// begin makes sure a batch transaction with prepared statements is open.
func (imp *importer) begin() error {
	if imp.tx != nil {
		return nil
	}
	if err := imp.ctx.Err(); err != nil {
		return fmt.Errorf("importing gazetteer: %w", err)
	}
	tx, err := imp.conn.BeginTx(imp.ctx, nil)
	if err != nil {
		return fmt.Errorf("importing gazetteer: %w", err)
	}
	imp.tx = tx
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.PrepareContext(imp.ctx, q)
		return s
	}
	imp.place = prep(`INSERT OR REPLACE INTO gazetteer_places_new VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
	imp.name = prep(`INSERT INTO gazetteer_names_new VALUES (?,?,?)`)
	imp.names = prep(`INSERT INTO gazetteer_names_new VALUES (?,?,?)` + strings.Repeat(`,(?,?,?)`, namesPerInsert-1))
	imp.admin = prep(`INSERT OR REPLACE INTO gazetteer_admin_new VALUES (?,?,?,?)`)
	imp.country = prep(`INSERT OR REPLACE INTO gazetteer_countries_new VALUES (?,?,?,?,?,?)`)
	if err != nil {
		tx.Rollback()
		imp.tx = nil
		return fmt.Errorf("preparing import statements: %w", err)
	}
	return nil
}

// row counts one written row, committing the batch when it is full.
func (imp *importer) row() error {
	imp.inBatch++
	if imp.inBatch >= importBatch {
		return imp.flush()
	}
	return nil
}

func (imp *importer) flush() error {
	if imp.tx == nil {
		return nil
	}
	if err := imp.flushNames(); err != nil {
		return err
	}
	err := imp.tx.Commit()
	imp.tx, imp.inBatch = nil, 0
	if err != nil {
		return fmt.Errorf("importing gazetteer: committing a batch: %w", err)
	}
	return nil
}

// geonameLine imports one geoname row: a populated place or ADM1/ADM2
// area with its name keys.
func (imp *importer) geonameLine(line, label string, n int) error {
	r, err := parseGeonameLine(line, label, n)
	if err != nil {
		return err
	}
	imp.stats.Rows++
	if r.FeatureClass != "P" && r.FeatureCode != "ADM1" && r.FeatureCode != "ADM2" {
		imp.stats.Skipped++
		return nil
	}
	if err := imp.begin(); err != nil {
		return err
	}
	if _, err := imp.place.ExecContext(imp.ctx, r.ID, r.Name, r.ASCIIName, r.FeatureClass, r.FeatureCode, r.Country,
		r.Admin1, r.Admin2, r.Lat, r.Lon, r.Population); err != nil {
		return fmt.Errorf("importing %s line %d: %w", label, n, err)
	}
	imp.stats.Places++
	admin := r.FeatureCode == "ADM1" || r.FeatureCode == "ADM2"
	// Collect the row's distinct keys (a few; a slice beats a map), then
	// queue them for multi-row inserts.
	keys := imp.keys[:0]
	add := func(key string, kind NameKind) {
		if key == "" {
			return
		}
		for _, k := range keys {
			if k.key == key {
				return
			}
		}
		keys = append(keys, pendingName{key, r.ID, kind})
	}
	addName := func(text string, kind NameKind) {
		key := norm.Key(text)
		add(key, kind)
		if rest, ok := strings.CutPrefix(key, "al "); ok {
			add(rest, KindAlternate)
		}
		if admin {
			if rest, _, ok := norm.StripQualifier(key); ok {
				add(rest, KindAlternate)
			}
		}
	}
	addName(r.Name, KindName)
	addName(r.ASCIIName, KindName)
	for alt := range strings.SplitSeq(r.Alternates, ",") {
		addName(alt, KindAlternate)
	}
	imp.keys = keys
	for _, k := range keys {
		if err := imp.queueName(k); err != nil {
			return fmt.Errorf("importing %s line %d: %w", label, n, err)
		}
	}
	return imp.row()
}

// adminLine imports a line of admin1CodesASCII.txt or admin2Codes.txt:
// code, name, ASCII name, geonameid.
func (imp *importer) adminLine(line, label string, n int) error {
	f := strings.Split(line, "\t")
	if len(f) != 4 {
		return &ParseError{File: label, Line: n, Reason: fmt.Sprintf("%d tab-separated columns, want 4 (code, name, asciiname, geonameid)", len(f))}
	}
	if strings.Count(f[0], ".") < 1 || len(f[0]) < 4 {
		return &ParseError{File: label, Line: n, Column: 1, Name: "code", Reason: fmt.Sprintf("%q is not an admin code like AF.10", clip(f[0]))}
	}
	id, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return &ParseError{File: label, Line: n, Column: 4, Name: "geonameid", Reason: fmt.Sprintf("%q is not a whole number", clip(f[3]))}
	}
	if err := imp.begin(); err != nil {
		return err
	}
	if _, err := imp.admin.ExecContext(imp.ctx, f[0], f[1], f[2], id); err != nil {
		return fmt.Errorf("importing %s line %d: %w", label, n, err)
	}
	imp.stats.Admin++
	return imp.row()
}

// countryLine imports a line of countryInfo.txt.
func (imp *importer) countryLine(line, label string, n int) error {
	f := strings.Split(line, "\t")
	if len(f) < 17 {
		return &ParseError{File: label, Line: n, Reason: fmt.Sprintf("%d tab-separated columns, want at least 17", len(f))}
	}
	if len(f[0]) != 2 || !isUpperASCII(f[0]) {
		return &ParseError{File: label, Line: n, Column: 1, Name: "ISO", Reason: fmt.Sprintf("%q is not a two-letter code", clip(f[0]))}
	}
	pop, err := strconv.ParseInt(f[7], 10, 64)
	if err != nil {
		return &ParseError{File: label, Line: n, Column: 8, Name: "Population", Reason: fmt.Sprintf("%q is not a whole number", clip(f[7]))}
	}
	id, _ := strconv.ParseInt(f[16], 10, 64)
	if err := imp.begin(); err != nil {
		return err
	}
	if _, err := imp.country.ExecContext(imp.ctx, f[0], f[1], f[4], f[5], pop, id); err != nil {
		return fmt.Errorf("importing %s line %d: %w", label, n, err)
	}
	imp.stats.Country++
	return imp.row()
}

func (imp *importer) meta(files []string) error {
	if err := imp.begin(); err != nil {
		return err
	}
	var bases []string
	for _, f := range files {
		bases = append(bases, filepath.Base(f))
	}
	for k, v := range map[string]string{
		"files":    strings.Join(bases, ","),
		"imported": time.Now().UTC().Format(time.RFC3339),
		"places":   strconv.FormatInt(imp.stats.Places, 10),
	} {
		if _, err := imp.tx.ExecContext(imp.ctx, `INSERT INTO gazetteer_meta_new VALUES (?, ?)`, k, v); err != nil {
			imp.tx.Rollback()
			imp.tx = nil
			return fmt.Errorf("importing gazetteer: %w", err)
		}
	}
	return imp.flush()
}
