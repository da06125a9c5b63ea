package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// bulkRows is the size from which an Insert maintains the R*Tree and the
// audit trail once per transaction instead of through their triggers.
// Each trigger runs a sub-program per row, with its own frame and
// statement journal: for a batch of imported rows that costs more than
// the rows themselves (BenchmarkBulkInsert). Below it, the schema change
// the bulk path makes (which readers notice and re-prepare for) is not
// worth it.
const bulkRows = 512

// bulkTriggers are the row triggers on incidents that a transaction has
// dropped, to run in bulk over the rows it inserted and then recreate.
type bulkTriggers struct {
	saved []bulkTrigger
	// after is the fid sequence before the transaction's inserts: the
	// rows it inserts are those above it (fid is AUTOINCREMENT).
	after int64
}

type bulkTrigger struct {
	name, create string // the trigger as sqlite_master holds it
	bulk         string // its statement over every row with fid > ?
}

// triggerHead matches the start of a row trigger run after each insert
// into incidents; its groups are the WHEN condition (optional) and the
// body between BEGIN and END.
var triggerHead = regexp.MustCompile(`(?is)^CREATE\s+TRIGGER\s+\S+\s+AFTER\s+INSERT\s+ON\s+"?incidents"?\s+(?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+(.+?)\s+)?BEGIN\s+([^;]+);\s*END;?$`)

// bulkRule turns the body of an insert trigger on incidents into one
// statement over all the rows the trigger would have run for: rows is a
// subquery-ready "FROM incidents AS NEW WHERE ..." over them, in fid
// order.
type bulkRule struct {
	name string
	body *regexp.Regexp
	make func(m []string, rows string) string
}

// bulkRules are the trigger bodies the bulk path knows. A trigger matching
// none stays in place and runs per row.
var bulkRules = []bulkRule{
	// One INSERT ... VALUES (...) per row, reading NEW: the GeoPackage
	// R*Tree trigger and the audit trigger. In bulk, INSERT ... SELECT.
	{"insert each row", regexp.MustCompile(`(?is)^(INSERT\s+(?:OR\s+REPLACE\s+)?INTO\s+.+?)\s+VALUES\s*\((.+)\)$`),
		func(m []string, rows string) string {
			return m[1] + " SELECT " + m[2] + " " + rows + " ORDER BY NEW.fid"
		}},
	// A counter raised by one per row, not reading NEW: GDAL's feature
	// count in gpkg_ogr_contents. In bulk, raised by the number of rows.
	{"count rows", regexp.MustCompile(`(?is)^(UPDATE\s+\S+\s+SET\s+(\w+)\s*=\s*(\w+))\s*\+\s*1(\s+WHERE\s+[^;]+)$`),
		func(m []string, rows string) string {
			if !strings.EqualFold(m[2], m[3]) || strings.Contains(strings.ToUpper(m[4]), "NEW.") {
				return ""
			}
			return m[1] + " + (SELECT count(*) " + rows + ")" + m[4]
		}},
}

// bulkStatement turns an insert trigger on incidents into one statement
// over the rows above a fid (its one parameter), reading each row as NEW.
// ok is false for a trigger no rule knows.
func bulkStatement(create string) (stmt string, ok bool) {
	m := triggerHead.FindStringSubmatch(strings.TrimSpace(create))
	if m == nil {
		return "", false
	}
	rows := "FROM incidents AS NEW WHERE NEW.fid > ?"
	if m[1] != "" {
		rows += " AND (" + m[1] + ")"
	}
	body := strings.TrimSpace(m[2])
	for _, r := range bulkRules {
		if bm := r.body.FindStringSubmatch(body); bm != nil {
			if stmt := r.make(bm, rows); stmt != "" {
				return stmt, true
			}
		}
	}
	return "", false
}

// dropInsertTriggers drops, inside tx, the insert triggers on incidents
// that bulkStatement can replace, and remembers them. The transaction
// must call finish before it commits; if it rolls back, SQLite restores
// them, so no reader ever sees the file without its triggers.
func dropInsertTriggers(ctx context.Context, tx *sql.Tx) (*bulkTriggers, error) {
	b := &bulkTriggers{}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'incidents'), 0)").Scan(&b.after); err != nil {
		return nil, fmt.Errorf("reading the fid sequence: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'incidents' ORDER BY rowid")
	if err != nil {
		return nil, fmt.Errorf("listing triggers: %w", err)
	}
	for rows.Next() {
		var t bulkTrigger
		if err := rows.Scan(&t.name, &t.create); err != nil {
			rows.Close()
			return nil, fmt.Errorf("listing triggers: %w", err)
		}
		var ok bool
		if t.bulk, ok = bulkStatement(t.create); ok {
			b.saved = append(b.saved, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing triggers: %w", err)
	}
	for _, t := range b.saved {
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+quoteIdent(t.name)); err != nil {
			return nil, fmt.Errorf("dropping trigger %s for a bulk write: %w", t.name, err)
		}
	}
	return b, nil
}

// finish runs each dropped trigger's statement over the rows inserted
// since, then recreates the trigger as it was.
func (b *bulkTriggers) finish(ctx context.Context, tx *sql.Tx) error {
	for _, t := range b.saved {
		if _, err := tx.ExecContext(ctx, t.bulk, b.after); err != nil {
			return fmt.Errorf("running trigger %s in bulk: %w", t.name, err)
		}
		if _, err := tx.ExecContext(ctx, t.create); err != nil {
			return fmt.Errorf("recreating trigger %s: %w", t.name, err)
		}
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
