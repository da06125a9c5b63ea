package interchange

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// importBatch is one import's state between records: the batch being
// filled and what the import remembers of each source event id.
type importBatch struct {
	im   *Importer
	rep  *Report
	src  Reader
	size int
	seed maphash.Seed
	seen map[string]seenRow
	// gen counts the batches written, so a seenRow knows whether its
	// incident is still in the current batch.
	gen   int
	batch []incident.Incident
	rows  []int
}

// seenRow is what an import remembers of a source event id: the row that
// brought it, a hash of that record's fields other than its actors, and
// where its incident is while its batch is not yet written.
type seenRow struct {
	row  int
	core uint64
	gen  int // the batch generation it went into
	idx  int // its index in that batch
}

// reject counts a rejected record and hands it to OnReject.
func (b *importBatch) reject(e *RowError) error {
	b.rep.reject(e)
	if b.im.OnReject != nil {
		if err := b.im.OnReject(*e); err != nil {
			return fmt.Errorf("reporting rejected row %d: %w", e.Row, err)
		}
	}
	return nil
}

// add takes one good record: a new incident for the batch, or a repeat of
// an earlier record's event id to skip, merge or reject.
func (b *importBatch) add(ctx context.Context, in *incident.Incident) error {
	row := b.rep.Read
	if r, ok := b.src.(interface{ line() int }); ok {
		row = r.line()
	}
	if in.SourceEventID != "" {
		core := b.coreHash(in)
		prev, ok := b.seen[in.SourceEventID]
		if ok {
			return b.repeat(ctx, in, row, core, prev)
		}
		b.seen[in.SourceEventID] = seenRow{row: row, core: core, gen: b.gen, idx: len(b.batch)}
	}
	b.batch = append(b.batch, *in)
	b.rows = append(b.rows, row)
	if len(b.batch) == b.size {
		return b.flush(ctx)
	}
	return nil
}

// repeat handles a record whose event id an earlier record had.
func (b *importBatch) repeat(ctx context.Context, in *incident.Incident, row int, core uint64, prev seenRow) error {
	if prev.core != core {
		earlier, err := b.earlier(ctx, in.SourceEventID, prev)
		if err != nil {
			return err
		}
		return b.reject(&RowError{Row: row, Reason: fmt.Sprintf("event id %q already appeared on row %d, which differs in %s (not only in actors)",
			in.SourceEventID, prev.row, strings.Join(differingFields(b.seed, earlier, *in), ", "))})
	}
	if prev.gen == b.gen {
		if mergeActors(&b.batch[prev.idx], in) {
			b.rep.Merged++
		} else {
			b.rep.Duplicates++
		}
		return nil
	}
	// The earlier record's batch is written: merge into the stored
	// incident, in a transaction of its own (repeats far apart are rare).
	stored, err := b.earlier(ctx, in.SourceEventID, prev)
	if err != nil {
		return err
	}
	if !mergeActors(&stored, in) {
		b.rep.Duplicates++
		return nil
	}
	if _, err := b.im.store.Upsert(ctx, []incident.Incident{stored}); err != nil {
		if errors.Is(err, incident.ErrInvalid) {
			return b.reject(&RowError{Row: row, Column: fieldName(err), Reason: fmt.Sprintf("merging its actors into row %d's incident: %v", prev.row, err)})
		}
		return fmt.Errorf("merging row %d into row %d's incident: %w", row, prev.row, err)
	}
	b.rep.Merged++
	return nil
}

// earlier returns the incident of an earlier record: from the batch, or
// from the store once its batch is written.
func (b *importBatch) earlier(ctx context.Context, sourceEventID string, prev seenRow) (incident.Incident, error) {
	if prev.gen == b.gen {
		return b.batch[prev.idx], nil
	}
	var found incident.Incident
	_, err := b.im.store.Query(ctx, store.Query{SourceEventIDs: []string{sourceEventID}}, func(in *incident.Incident) error {
		found = *in
		return nil
	})
	if err != nil {
		return found, fmt.Errorf("reading back the incident of %s: %w", sourceEventID, err)
	}
	if found.SourceEventID == "" {
		return found, fmt.Errorf("the incident of %s, written earlier in this import, is gone: %w", sourceEventID, store.ErrNotFound)
	}
	return found, nil
}

// flush writes the batch.
func (b *importBatch) flush(ctx context.Context) error {
	if len(b.batch) == 0 {
		return nil
	}
	if err := b.write(ctx, b.batch, b.rows); err != nil {
		return err
	}
	b.batch, b.rows = b.batch[:0], b.rows[:0]
	b.gen++
	if b.im.Progress != nil {
		b.im.Progress(b.rep.Read)
	}
	return nil
}

// fieldName is the field a validation error names, "" for others.
func fieldName(err error) string {
	var fe *incident.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// recordField is one field an input record sets, other than its actors,
// with how it is hashed.
type recordField struct {
	name  string
	write func(h *maphash.Hash, in *incident.Incident)
}

// textField, countField and numberField hash a field's value and a
// terminator, so that adjacent fields cannot run together.
func textField(name string, get func(in *incident.Incident) string) recordField {
	return recordField{name, func(h *maphash.Hash, in *incident.Incident) {
		h.WriteString(get(in))
		h.WriteByte(0)
	}}
}

func countField(name string, get func(in *incident.Incident) *int) recordField {
	return recordField{name, func(h *maphash.Hash, in *incident.Incident) {
		if p := get(in); p != nil {
			writeNumber(h, float64(*p))
		}
		h.WriteByte(0)
	}}
}

func writeNumber(h *maphash.Hash, f float64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(f))
	h.Write(b[:])
}

// recordFields lists them: two records of one event id that agree on all
// of them are the same event.
var recordFields = []recordField{
	textField("id", func(in *incident.Incident) string { return in.ID }),
	textField("event_date", func(in *incident.Incident) string { return in.EventDate }),
	textField("event_end_date", func(in *incident.Incident) string { return in.EventEndDate }),
	textField("date_precision", func(in *incident.Incident) string { return in.DatePrecision }),
	textField("event_type", func(in *incident.Incident) string { return in.EventType }),
	textField("sub_event_type", func(in *incident.Incident) string { return in.SubEventType }),
	countField("fatalities", func(in *incident.Incident) *int { return in.Fatalities }),
	countField("civilian_fatalities", func(in *incident.Incident) *int { return in.CivilianFatalities }),
	countField("injured", func(in *incident.Incident) *int { return in.Injured }),
	textField("location", func(in *incident.Incident) string { return in.Location }),
	textField("admin1", func(in *incident.Incident) string { return in.Admin1 }),
	textField("admin2", func(in *incident.Incident) string { return in.Admin2 }),
	textField("country", func(in *incident.Incident) string { return in.Country }),
	countField("geo_precision", func(in *incident.Incident) *int { return &in.GeoPrecision }),
	textField("place_id", func(in *incident.Incident) string { return in.PlaceID }),
	textField("notes", func(in *incident.Incident) string { return in.Notes }),
	{"tags", func(h *maphash.Hash, in *incident.Incident) {
		for _, t := range in.Tags {
			h.WriteString(t)
			h.WriteByte(1)
		}
		h.WriteByte(0)
	}},
	{"confidence", func(h *maphash.Hash, in *incident.Incident) {
		if in.Confidence != nil {
			writeNumber(h, *in.Confidence)
		}
		h.WriteByte(0)
	}},
	{"sources", func(h *maphash.Hash, in *incident.Incident) {
		for _, s := range in.Sources {
			for _, f := range []string{s.URL, s.Title, s.Publisher, s.Published, s.Evidence} {
				h.WriteString(f)
				h.WriteByte(1)
			}
		}
		h.WriteByte(0)
	}},
	{"geometry", func(h *maphash.Hash, in *incident.Incident) {
		if in.Geometry != nil {
			bd := in.Geometry.Bound() // a point's bound is the point; enough for other shapes
			for _, f := range []float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
				writeNumber(h, f)
			}
		}
		h.WriteByte(0)
	}},
}

// coreHash hashes a record's recordFields.
func (b *importBatch) coreHash(in *incident.Incident) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	for _, f := range recordFields {
		f.write(&h, in)
	}
	return h.Sum64()
}

// differingFields names the recordFields where a and b differ. A stored
// incident's coordinates are rounded, so geometry is named only when
// nothing else differs; a stored incident has an id a record may lack.
func differingFields(seed maphash.Seed, a, b incident.Incident) []string {
	one := func(f recordField, in *incident.Incident) uint64 {
		var h maphash.Hash
		h.SetSeed(seed)
		f.write(&h, in)
		return h.Sum64()
	}
	var out []string
	for _, f := range recordFields {
		if f.name == "geometry" || f.name == "id" && (a.ID == "" || b.ID == "") {
			continue
		}
		if one(f, &a) != one(f, &b) {
			out = append(out, f.name)
		}
	}
	if len(out) == 0 {
		out = append(out, "geometry")
	}
	return out
}
