package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// rowsPerInsert is how many rows one INSERT statement writes. One
// statement per row costs a trip through database/sql and the driver, a
// statement journal and a trigger frame setup per row; 64 rows of 29
// columns stay far below SQLite's limit of 32,766 bound parameters.
const rowsPerInsert = 64

// rowWriter inserts the rows of one write transaction in multi-row
// INSERT statements, recording them in c as each statement runs.
type rowWriter struct {
	tx      *sql.Tx
	c       *change
	full    *sql.Stmt // rowsPerInsert rows, prepared on first use
	args    []any
	pending []pendingRow
}

// pendingRow is an incident waiting in a rowWriter: its position in the
// caller's input (for error messages) and the values that identify it.
type pendingRow struct {
	at       int
	id, seid string
}

func newRowWriter(tx *sql.Tx, c *change) *rowWriter {
	return &rowWriter{tx: tx, c: c, args: make([]any, 0, rowsPerInsert*writeColumnCount)}
}

// add queues in (already prepared), at position at of the input, and
// writes a statement once rowsPerInsert rows wait. It grows c.bound.
func (w *rowWriter) add(ctx context.Context, at int, in *incident.Incident) error {
	args, err := rowArgs(in)
	if err != nil {
		return fmt.Errorf("incident %d: %w", at, err)
	}
	w.args = append(w.args, args...)
	w.pending = append(w.pending, pendingRow{at: at, id: in.ID, seid: in.SourceEventID})
	extend(&w.c.bound, in.Geometry)
	if len(w.pending) == rowsPerInsert {
		return w.flush(ctx)
	}
	return nil
}

// holds reports whether an incident with source event id seid waits.
func (w *rowWriter) holds(seid string) bool {
	for _, p := range w.pending {
		if p.seid == seid {
			return true
		}
	}
	return false
}

// flush writes the waiting rows in one statement. When the statement
// fails, SQLite has undone it alone (the transaction goes on), so the rows
// are tried again one at a time to name the incident at fault.
func (w *rowWriter) flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	st, err := w.statement(ctx, len(w.pending))
	if err != nil {
		return err
	}
	err = w.c.write(ctx, st, w.args)
	if err != nil && len(w.pending) > 1 {
		err = w.oneByOne(ctx)
	}
	if err != nil {
		return err
	}
	w.args, w.pending = w.args[:0], w.pending[:0]
	return nil
}

// oneByOne inserts the waiting rows one statement each and returns the
// first failure, named after its incident.
func (w *rowWriter) oneByOne(ctx context.Context) error {
	one := txStmt{w.tx, w.c.returning(insertSQL)}
	for i, p := range w.pending {
		err := w.c.write(ctx, one, w.args[i*writeColumnCount:(i+1)*writeColumnCount])
		if isUniqueViolation(err) {
			return fmt.Errorf("incident %d (id %q, source_event_id %q): %w", p.at, p.id, p.seid, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("inserting incident %d: %w", p.at, err)
		}
	}
	// Every row went in alone: the statement failed for a reason that
	// is not one row's.
	return fmt.Errorf("inserting %d incidents: statement failed, rows did not", len(w.pending))
}

// statement returns the INSERT of n rows: the full-size one is prepared
// once per transaction, a shorter last one is run from its text.
func (w *rowWriter) statement(ctx context.Context, n int) (execQuerier, error) {
	if n < rowsPerInsert {
		return txStmt{w.tx, w.c.returning(multiInsertSQL(n))}, nil
	}
	if w.full == nil {
		st, err := w.tx.PrepareContext(ctx, w.c.returning(multiInsertSQL(n)))
		if err != nil {
			return nil, fmt.Errorf("preparing insert: %w", err)
		}
		w.full = st
	}
	return w.full, nil
}

func (w *rowWriter) close() {
	if w.full != nil {
		w.full.Close()
	}
}

// multiInsertSQL inserts n rows.
func multiInsertSQL(n int) string {
	row := "(" + placeholders(writeColumnCount) + ")"
	return "INSERT INTO incidents (" + writeColumns + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", n), ",")
}
