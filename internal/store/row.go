package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// A row is read as four columns: fid, geom, confidence and the text of
// every other column packed into one value, its fields separated by
// packSep. The driver takes the connection's mutex several times for each
// column it hands over: for a row of 31 columns that cost more than
// SQLite's own work (an export read half as many rows a second).
//
// packSep is a byte that never occurs in UTF-8, so it cannot occur in text
// incidentmap wrote (incident.Validate checks). Another program may store
// anything; a row whose packed value does not split into the packed
// fields, or whose numbers do not parse, is read again column by column
// (rowBuf.reread). Confidence keeps a column of its own because a REAL
// must reach Go exactly, as it is also a sort key.
const packSep = 0xFF

// The packed fields, in packing order.
const (
	pID = iota
	pEventDate
	pEndDate
	pDatePrec
	pEventType
	pSubType
	pActor1
	pActor2
	pAssoc1
	pAssoc2
	pInter1
	pInter2
	pFatalities
	pCivilian
	pInjured
	pLocation
	pAdmin1
	pAdmin2
	pCountry
	pGeoPrec
	pPlaceID
	pNotes
	pTags
	pSources
	pSourceEventID
	pCreated
	pUpdated
	pStatus
	packedCount
)

// packedColumns are the SQL expressions of the packed fields. Date and
// time columns are cast to TEXT: read apart, the driver would otherwise
// turn DATE/DATETIME declared columns into time.Time values.
var packedColumns = [packedCount]string{
	pID: "i.id", pEventDate: "CAST(i.event_date AS TEXT)", pEndDate: "CAST(i.event_end_date AS TEXT)",
	pDatePrec: "i.date_precision", pEventType: "i.event_type", pSubType: "i.sub_event_type",
	pActor1: "i.actor1", pActor2: "i.actor2", pAssoc1: "i.assoc_actor_1", pAssoc2: "i.assoc_actor_2",
	pInter1: "i.inter1", pInter2: "i.inter2",
	pFatalities: "i.fatalities", pCivilian: "i.civilian_fatalities", pInjured: "i.injured",
	pLocation: "i.location", pAdmin1: "i.admin1", pAdmin2: "i.admin2", pCountry: "i.country",
	pGeoPrec: "i.geo_precision", pPlaceID: "i.place_id", pNotes: "i.notes", pTags: "i.tags",
	pSources: "i.sources", pSourceEventID: "i.source_event_id",
	pCreated: "CAST(i.created AS TEXT)", pUpdated: "CAST(i.updated AS TEXT)", pStatus: "i.status",
}

// selectColumns lists the incidents columns in the order rowBuf.scan reads
// them (concat reads NULL as empty text).
var selectColumns = "i.fid, i.geom, i.confidence, concat(" + strings.Join(packedColumns[:], ", '\xff', ") + ")"

// rereadSQL reads one row's packed fields column by column.
var rereadSQL = "SELECT " + strings.Join(packedColumns[:], ", ") + " FROM incidents i WHERE i.fid = ?"

// writeColumns lists the columns insert and update write, in args order.
const writeColumns = `id, geom, event_date, event_end_date, date_precision, event_type,
	sub_event_type, actor1, actor2, assoc_actor_1, assoc_actor_2, inter1, inter2, fatalities,
	civilian_fatalities, injured, location, admin1, admin2, country, geo_precision, place_id,
	notes, tags, confidence, sources, source_event_id, created, updated, status`

const writeColumnCount = 30

// rowArgs returns in's column values in writeColumns order.
func rowArgs(in *incident.Incident) ([]any, error) {
	blob, err := geo.EncodeGPKG(in.Geometry, geo.SRSWGS84)
	if err != nil {
		return nil, fmt.Errorf("encoding geometry: %w", err)
	}
	var tags, sources any
	if len(in.Tags) > 0 {
		b, err := json.Marshal(in.Tags)
		if err != nil {
			return nil, fmt.Errorf("encoding tags: %w", err)
		}
		tags = string(b)
	}
	if len(in.Sources) > 0 {
		b, err := json.Marshal(in.Sources)
		if err != nil {
			return nil, fmt.Errorf("encoding sources: %w", err)
		}
		sources = string(b)
	}
	return []any{
		in.ID, blob, in.EventDate, nullString(in.EventEndDate), nullString(in.DatePrecision),
		nullString(in.EventType), nullString(in.SubEventType), nullString(in.Actor1),
		nullString(in.Actor2), nullString(in.AssocActor1), nullString(in.AssocActor2),
		nullString(in.Inter1), nullString(in.Inter2),
		nullInt(in.Fatalities), nullInt(in.CivilianFatalities), nullInt(in.Injured),
		nullString(in.Location), nullString(in.Admin1), nullString(in.Admin2),
		nullString(in.Country), nullZero(in.GeoPrecision), nullString(in.PlaceID),
		nullString(in.Notes), tags, nullFloat(in.Confidence), sources,
		nullString(in.SourceEventID), timestampText(in.Created),
		timestampText(in.Updated), statusOrPublished(in.Status),
	}, nil
}

// timestampText is t as incident.TimeLayout formats it, without
// time.Format's layout interpreter (every written row has two).
func timestampText(t time.Time) string {
	var b [32]byte
	return string(incident.AppendTimestamp(b[:0], t))
}

// statusOrPublished is the status column's value of a status: an
// incident made without one (an import, a hand-made one) is published.
func statusOrPublished(s string) string {
	if s == "" {
		return incident.StatusPublished
	}
	return s
}

// scanner is what rowBuf.scan needs from *sql.Row and *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// rowQuerier is where rowBuf reads a row again: *sql.DB or *sql.Tx.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rowBuf holds the scan destinations, reused across the rows of one query so
// that streaming many rows does not allocate them again per row.
type rowBuf struct {
	ctx        context.Context
	db         rowQuerier // where a row that does not unpack is read again
	fid        int64
	geom       []byte
	confidence sql.NullFloat64
	packed     string
	field      [packedCount]string
	eventDate  string
}

// newRowBuf returns a rowBuf that reads rows which do not unpack again from
// db, in the same transaction when db is a *sql.Tx.
func newRowBuf(ctx context.Context, db rowQuerier) *rowBuf {
	return &rowBuf{ctx: ctx, db: db}
}

func (b *rowBuf) scan(sc scanner, in *incident.Incident) error {
	if err := sc.Scan(&b.fid, &b.geom, &b.confidence, &b.packed); err != nil {
		return err
	}
	if b.unpack() {
		if err := b.fill(in); err == nil {
			return nil
		}
	}
	if err := b.reread(); err != nil {
		return err
	}
	return b.fill(in)
}

// unpack splits the packed value into the fields, false when it does not
// hold exactly packedCount of them.
func (b *rowBuf) unpack() bool {
	s := b.packed
	for i := range packedCount - 1 {
		j := strings.IndexByte(s, packSep)
		if j < 0 {
			return false
		}
		b.field[i], s = s[:j], s[j+1:]
	}
	if strings.IndexByte(s, packSep) >= 0 {
		return false
	}
	b.field[packedCount-1] = s
	return true
}

// reread reads the fields of row b.fid column by column.
func (b *rowBuf) reread() error {
	var cols [packedCount]sql.NullString
	dest := make([]any, packedCount)
	for i := range cols {
		dest[i] = &cols[i]
	}
	if err := b.db.QueryRowContext(b.ctx, rereadSQL, b.fid).Scan(dest...); err != nil {
		return fmt.Errorf("reading incident %d again column by column: %w", b.fid, err)
	}
	for i := range cols {
		b.field[i] = cols[i].String
	}
	return nil
}

// fill sets in from the fields and columns read.
func (b *rowBuf) fill(in *incident.Incident) error {
	f := &b.field
	var counts [4]*int
	for i, k := range []int{pFatalities, pCivilian, pInjured, pGeoPrec} {
		if f[k] == "" {
			continue
		}
		v, err := strconv.Atoi(f[k])
		if err != nil {
			return fmt.Errorf("incident %s: %s is not an integer: %q", f[pID], packedColumns[k], f[k])
		}
		counts[i] = &v
	}
	b.eventDate = f[pEventDate]
	*in = incident.Incident{
		ID: f[pID], EventDate: f[pEventDate], EventEndDate: f[pEndDate], DatePrecision: f[pDatePrec],
		EventType: f[pEventType], SubEventType: f[pSubType],
		Actor1: f[pActor1], Actor2: f[pActor2], AssocActor1: f[pAssoc1], AssocActor2: f[pAssoc2],
		Inter1: f[pInter1], Inter2: f[pInter2],
		Fatalities: counts[0], CivilianFatalities: counts[1], Injured: counts[2],
		Location: f[pLocation], Admin1: f[pAdmin1], Admin2: f[pAdmin2], Country: f[pCountry],
		PlaceID: f[pPlaceID], Notes: f[pNotes], SourceEventID: f[pSourceEventID], Status: f[pStatus],
	}
	if counts[3] != nil {
		in.GeoPrecision = *counts[3]
	}
	if b.confidence.Valid {
		in.Confidence = incident.Float(b.confidence.Float64)
	}
	if len(b.geom) > 0 {
		g, _, err := geo.DecodeGPKG(b.geom)
		if err != nil {
			return fmt.Errorf("incident %s: %w", in.ID, err)
		}
		in.Geometry = g
	}
	if f[pTags] != "" {
		var err error
		if in.Tags, err = decodeTags(f[pTags]); err != nil {
			return fmt.Errorf("incident %s: decoding tags: %w", in.ID, err)
		}
	}
	if f[pSources] != "" {
		var err error
		if in.Sources, err = decodeSources(f[pSources]); err != nil {
			return fmt.Errorf("incident %s: decoding sources: %w", in.ID, err)
		}
	}
	in.Created = parseTimestamp(f[pCreated])
	in.Updated = parseTimestamp(f[pUpdated])
	return nil
}

// parseTimestamp reads a DATETIME as the store writes it
// (incident.TimeLayout) without time.Parse's general machinery, and falls
// back to RFC 3339 for values written by other tools.
func parseTimestamp(v string) time.Time {
	if len(v) == 24 && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':' && v[16] == ':' && v[19] == '.' && v[23] == 'Z' {
		n := func(i, j int) (int, bool) {
			x := 0
			for k := i; k < j; k++ {
				c := v[k]
				if c < '0' || c > '9' {
					return 0, false
				}
				x = x*10 + int(c-'0')
			}
			return x, true
		}
		y, ok1 := n(0, 4)
		mo, ok2 := n(5, 7)
		d, ok3 := n(8, 10)
		h, ok4 := n(11, 13)
		mi, ok5 := n(14, 16)
		sec, ok6 := n(17, 19)
		ms, ok7 := n(20, 23)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 60 {
			return time.Date(y, time.Month(mo), d, h, mi, sec, ms*1e6, time.UTC)
		}
	}
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullZero(v int) any {
	if v == 0 {
		return nil
	}
	return int64(v)
}
