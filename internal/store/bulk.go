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

// insertTrigger matches a row trigger run after each insert into
// incidents whose body is one INSERT ... VALUES (...): the GeoPackage
// R*Tree trigger and the audit trigger. Its groups are the WHEN
// condition (optional), the INSERT up to VALUES and the value list.
var insertTrigger = regexp.MustCompile(`(?is)^CREATE\s+TRIGGER\s+\S+\s+AFTER\s+INSERT\s+ON\s+"?incidents"?\s+(?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+(.+?)\s+)?BEGIN\s+(INSERT\s+(?:OR\s+REPLACE\s+)?INTO\s+[^;]+?)\s+VALUES\s*\(([^;]+)\)\s*;\s*END;?$`)

// bulkStatement turns a trigger matching insertTrigger into one
// INSERT ... SELECT over the rows above a fid, in fid order (the order the
// trigger would have run in), reading each row as NEW. ok is false for
// any other trigger, which then stays in place and runs per row.
func bulkStatement(create string) (stmt string, ok bool) {
	m := insertTrigger.FindStringSubmatch(strings.TrimSpace(create))
	if m == nil {
		return "", false
	}
	where := "NEW.fid > ?"
	if m[1] != "" {
		where += " AND (" + m[1] + ")"
	}
	return m[2] + " SELECT " + m[3] + " FROM incidents AS NEW WHERE " + where + " ORDER BY NEW.fid", true
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
