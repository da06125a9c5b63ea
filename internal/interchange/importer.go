package interchange

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"regexp"
	"slices"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// DefaultBatchSize is how many incidents one transaction writes: large
// enough that commits do not dominate, small enough that a failed batch is
// cheap to retry row by row and that the store's one writer, which a
// server's other writes wait for, is held briefly.
const DefaultBatchSize = 5000

// BulkBatchSize is the batch of an import that has the store to itself, as
// the import command does. A commit writes every page its batch dirtied to
// the write-ahead log and then checkpoints them; a batch's rows land all
// over the date, country and event-type indexes, so small batches rewrite
// most of their leaves at each commit, more so the larger the store. With
// 20,000 instead of 5,000 rows, importing 204,000 ACLED rows into a new
// GeoPackage takes ~15% less CPU; 40,000 saves little more while each
// incident waiting in the batch holds ~4 KB. An interrupted import keeps
// its committed batches and loses at most one; importing the file again
// updates those in place (imports match rows by source event id).
const BulkBatchSize = 20_000

// MaxRejections is how many rejected rows a Report lists; the count goes
// on, and Importer.OnReject sees every one.
const MaxRejections = 1000

// Importer writes incidents from a Reader to a store.
type Importer struct {
	store store.Backend
	// BatchSize is how many incidents each transaction writes
	// (DefaultBatchSize when 0).
	BatchSize int
	// Sync removes the incidents a previous import of the same dataset
	// brought in and this input no longer has (deleted upstream). It
	// needs a Reader with a Dataset, and runs only when the whole input was
	// read without a fatal error.
	Sync bool
	// Progress, when set, is called after each batch with the records read
	// so far.
	Progress func(records int)
	// OnReject, when set, is called with every rejected record, in input
	// order, however many there are (a report file streams them). Its
	// error ends the import.
	OnReject func(RowError) error
}

// NewImporter returns an Importer writing to st.
func NewImporter(st store.Backend) *Importer {
	return &Importer{store: st, BatchSize: DefaultBatchSize}
}

// Report says what an import did.
type Report struct {
	Read       int `json:"read"`       // records read, rejected ones included
	Inserted   int `json:"inserted"`   // new incidents
	Updated    int `json:"updated"`    // incidents already imported before, now updated
	Merged     int `json:"merged"`     // records adding actors to an earlier record's incident (ACLED's multi-actor rows)
	Duplicates int `json:"duplicates"` // records repeating an earlier record of the input exactly
	Rejected   int `json:"rejected"`   // records not imported
	Deleted    int `json:"deleted"`    // incidents removed by Sync
	// Reasons counts the rejections per kind of reason, most frequent
	// first.
	Reasons []ReasonCount `json:"reasons"`
	// Rejections lists the first MaxRejections rejected records.
	Rejections []RowError `json:"rejections"`

	reasons map[string]*ReasonCount
}

// ReasonCount is how many records were rejected for one kind of reason.
type ReasonCount struct {
	// Reason is the column and the reason with the row's own values left
	// out ("event_date: \"…\" is not a calendar date").
	Reason   string `json:"reason"`
	Rows     int    `json:"rows"`
	FirstRow int    `json:"first_row"`
}

// maxReasons bounds the distinct reasons a Report counts: past it, the
// rest are counted together.
const maxReasons = 200

func (r *Report) reject(e *RowError) {
	r.Rejected++
	if len(r.Rejections) < MaxRejections {
		r.Rejections = append(r.Rejections, *e)
	}
	if r.reasons == nil {
		r.reasons = map[string]*ReasonCount{}
	}
	k := reasonKind(e)
	if _, ok := r.reasons[k]; !ok && len(r.reasons) >= maxReasons {
		k = "other reasons"
	}
	rc, ok := r.reasons[k]
	if !ok {
		rc = &ReasonCount{Reason: k, FirstRow: e.Row}
		r.reasons[k] = rc
	}
	rc.Rows++
}

// summarize fills Reasons from the counts, most frequent first.
func (r *Report) summarize() {
	r.Reasons = make([]ReasonCount, 0, len(r.reasons))
	for _, rc := range r.reasons {
		r.Reasons = append(r.Reasons, *rc)
	}
	slices.SortFunc(r.Reasons, func(a, b ReasonCount) int {
		if a.Rows != b.Rows {
			return b.Rows - a.Rows
		}
		return a.FirstRow - b.FirstRow
	})
}

var (
	quotedValue = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	numberValue = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?`)
)

// reasonKind is a rejection's column and reason without the row's values:
// quoted text becomes "…" and numbers N, so rows rejected for the same
// reason count together.
func reasonKind(e *RowError) string {
	k := quotedValue.ReplaceAllString(e.Reason, `"…"`)
	k = numberValue.ReplaceAllString(k, "N")
	if e.Column != "" {
		k = e.Column + ": " + k
	}
	return k
}

// Import reads src to the end and writes its incidents in batches, each
// batch one transaction. Rejected records are counted and listed in the
// report; good ones are never lost because of them. A fatal error (the
// input cannot be read on, the store fails) stops the import: the batches
// committed before it stay, the one in progress is not written at all.
//
// Records sharing a source event id are one event: an exact repeat is
// skipped, one that differs only in its actors (ACLED lists an event with
// more than two actors once per extra actor) adds them to the incident, and
// one that differs in anything else is rejected.
func (im *Importer) Import(ctx context.Context, src Reader) (rep Report, err error) {
	rep = Report{Rejections: []RowError{}, Reasons: []ReasonCount{}}
	defer rep.summarize() // also when the import stops early
	if im.Sync && src.Dataset() == "" {
		return rep, inputError("--sync needs a dataset with its own ids (acled, ucdp or csv), not GeoJSON")
	}
	size := im.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	b := &importBatch{im: im, rep: &rep, src: src, size: size, seed: maphash.MakeSeed(), seen: map[string]seenRow{}}
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		var in incident.Incident
		err := src.Next(&in)
		if errors.Is(err, io.EOF) {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			rep.Read++
			if err := b.reject(re); err != nil {
				return rep, err
			}
			continue
		}
		if err != nil {
			return rep, err
		}
		rep.Read++
		if err := b.add(ctx, &in); err != nil {
			return rep, err
		}
	}
	if err := b.flush(ctx); err != nil {
		return rep, err
	}
	if im.Sync {
		keep := make(map[string]bool, len(b.seen))
		for id := range b.seen {
			keep[id] = true
		}
		n, err := im.store.DeleteSourceEventsExcept(ctx, src.Dataset()+":", keep)
		if err != nil {
			return rep, fmt.Errorf("removing incidents deleted upstream: %w", err)
		}
		rep.Deleted = n
	}
	return rep, nil
}

// write upserts one batch. When the store refuses it because of one
// incident (a validation error, an id taken by another incident), the batch
// is split in halves and retried, so the offending rows are rejected alone
// and the rest is written; each write stays all-or-nothing.
func (b *importBatch) write(ctx context.Context, batch []incident.Incident, rows []int) error {
	inserted, updated, err := b.im.upsert(ctx, batch)
	if err == nil {
		b.rep.Inserted += inserted
		b.rep.Updated += updated
		return nil
	}
	if !errors.Is(err, incident.ErrInvalid) && !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("writing rows %d-%d: %w", rows[0], rows[len(rows)-1], err)
	}
	if len(batch) == 1 {
		re := &RowError{Row: rows[0], Reason: err.Error()}
		var fe *incident.FieldError
		if errors.As(err, &fe) {
			re.Column, re.Reason = fe.Field, fe.Reason
		} else if errors.Is(err, store.ErrConflict) {
			re.Column = "id"
			re.Reason = fmt.Sprintf("incident id %q is already taken by another incident", batch[0].ID)
		}
		return b.reject(re)
	}
	mid := len(batch) / 2
	if err := b.write(ctx, batch[:mid], rows[:mid]); err != nil {
		return err
	}
	return b.write(ctx, batch[mid:], rows[mid:])
}

// upsert writes one batch in one transaction. When none of its source event
// ids is stored yet, as in a first import, it inserts without Upsert's
// lookup of each row, which costs about as much as the insert itself;
// otherwise, or when an insert meets a conflict (a concurrent import), Upsert
// decides row by row.
func (im *Importer) upsert(ctx context.Context, batch []incident.Incident) (inserted, updated int, err error) {
	fresh, err := im.allNew(ctx, batch)
	if err != nil {
		return 0, 0, err
	}
	if fresh {
		_, err := im.store.Insert(ctx, batch)
		if err == nil {
			return len(batch), 0, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return 0, 0, err
		}
	}
	res, err := im.store.Upsert(ctx, batch)
	return res.Inserted, res.Updated, err
}

// allNew reports whether every incident of batch has a source event id and
// none of them is in the store.
func (im *Importer) allNew(ctx context.Context, batch []incident.Incident) (bool, error) {
	const chunk = 10_000 // well under SQLite's limit of bound parameters
	ids := make([]string, 0, min(len(batch), chunk))
	for i := range batch {
		if batch[i].SourceEventID == "" {
			return false, nil
		}
		ids = append(ids, batch[i].SourceEventID)
		if len(ids) == chunk || i == len(batch)-1 {
			n, err := im.store.Count(ctx, store.Query{SourceEventIDs: ids})
			if err != nil {
				return false, fmt.Errorf("looking up source event ids: %w", err)
			}
			if n > 0 {
				return false, nil
			}
			ids = ids[:0]
		}
	}
	return true, nil
}
