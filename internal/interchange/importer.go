package interchange

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// DefaultBatchSize is how many incidents one transaction writes: large
// enough that commits do not dominate, small enough that a failed batch is
// cheap to retry row by row.
const DefaultBatchSize = 5000

// MaxRejections is how many rejected rows a Report lists; the count goes on.
const MaxRejections = 1000

// Importer writes incidents from a Reader to a store.
type Importer struct {
	store *store.Store
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
}

// NewImporter returns an Importer writing to st.
func NewImporter(st *store.Store) *Importer {
	return &Importer{store: st, BatchSize: DefaultBatchSize}
}

// Report says what an import did.
type Report struct {
	Read       int `json:"read"`       // records read, rejected ones included
	Inserted   int `json:"inserted"`   // new incidents
	Updated    int `json:"updated"`    // incidents already imported before, now updated
	Duplicates int `json:"duplicates"` // records repeating an earlier record of the input exactly
	Rejected   int `json:"rejected"`   // records not imported
	Deleted    int `json:"deleted"`    // incidents removed by Sync
	// Rejections lists the first MaxRejections rejected records.
	Rejections []RowError `json:"rejections"`
}

func (r *Report) reject(e *RowError) {
	r.Rejected++
	if len(r.Rejections) < MaxRejections {
		r.Rejections = append(r.Rejections, *e)
	}
}

// seenRow is what an import remembers of each source event id it met: the
// row and a hash of the record, to tell an exact repeat (skipped) from a
// different record under the same id (rejected).
type seenRow struct {
	row  int
	hash uint64
}

// Import reads src to the end and writes its incidents in batches, each
// batch one transaction. Rejected records are counted and listed in the
// report; good ones are never lost because of them. A fatal error (the
// input cannot be read on, the store fails) stops the import: the batches
// committed before it stay, the one in progress is not written at all.
func (im *Importer) Import(ctx context.Context, src Reader) (Report, error) {
	rep := Report{Rejections: []RowError{}}
	if im.Sync && src.Dataset() == "" {
		return rep, inputError("--sync needs a dataset with its own ids (acled, ucdp or csv), not GeoJSON")
	}
	size := im.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	seed := maphash.MakeSeed()
	seen := map[string]seenRow{}
	batch := make([]incident.Incident, 0, size)
	rows := make([]int, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := im.write(ctx, batch, rows, &rep); err != nil {
			return err
		}
		batch, rows = batch[:0], rows[:0]
		if im.Progress != nil {
			im.Progress(rep.Read)
		}
		return nil
	}
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
			rep.reject(re)
			continue
		}
		if err != nil {
			return rep, err
		}
		rep.Read++
		row := rep.Read
		if r, ok := src.(interface{ line() int }); ok {
			row = r.line()
		}
		if in.SourceEventID != "" {
			h := hashIncident(seed, &in)
			if prev, ok := seen[in.SourceEventID]; ok {
				if prev.hash == h {
					rep.Duplicates++
					continue
				}
				rep.reject(&RowError{Row: row, Reason: fmt.Sprintf("event id %q already appeared on row %d with different values", in.SourceEventID, prev.row)})
				continue
			}
			seen[in.SourceEventID] = seenRow{row: row, hash: h}
		}
		batch = append(batch, in)
		rows = append(rows, row)
		if len(batch) == size {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	if im.Sync {
		keep := make(map[string]bool, len(seen))
		for id := range seen {
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
func (im *Importer) write(ctx context.Context, batch []incident.Incident, rows []int, rep *Report) error {
	inserted, updated, err := im.upsert(ctx, batch)
	if err == nil {
		rep.Inserted += inserted
		rep.Updated += updated
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
		rep.reject(re)
		return nil
	}
	mid := len(batch) / 2
	if err := im.write(ctx, batch[:mid], rows[:mid], rep); err != nil {
		return err
	}
	return im.write(ctx, batch[mid:], rows[mid:], rep)
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

// hashIncident hashes the fields an input sets, to spot exact repeats.
func hashIncident(seed maphash.Seed, in *incident.Incident) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	str := func(ss ...string) {
		for _, s := range ss {
			h.WriteString(s)
			h.WriteByte(0)
		}
	}
	num := func(ps ...*int) {
		for _, p := range ps {
			if p == nil {
				h.WriteString("-")
			} else {
				h.WriteString(strconv.Itoa(*p))
			}
			h.WriteByte(0)
		}
	}
	str(in.ID, in.EventDate, in.EventEndDate, in.DatePrecision, in.EventType, in.SubEventType,
		in.Actor1, in.Actor2, in.AssocActor1, in.AssocActor2, in.Location, in.Admin1, in.Admin2,
		in.Country, strconv.Itoa(in.GeoPrecision), in.PlaceID, in.Notes)
	num(in.Fatalities, in.CivilianFatalities, in.Injured)
	str(in.Tags...)
	for _, s := range in.Sources {
		str(s.URL, s.Title, s.Publisher, s.Published, s.Evidence)
	}
	if in.Geometry != nil {
		b := in.Geometry.Bound() // a point's bound is the point; enough for other shapes
		for _, f := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			h.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
			h.WriteByte(0)
		}
	}
	return h.Sum64()
}
