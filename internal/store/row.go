package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// selectColumns lists the incidents columns in the order scanRow reads them.
//
// Date and time columns are cast to TEXT: the driver would otherwise turn
// DATE/DATETIME declared columns into time.Time values.
const selectColumns = `i.fid, i.id, i.geom, CAST(i.event_date AS TEXT), CAST(i.event_end_date AS TEXT), i.date_precision,
	i.event_type, i.sub_event_type, i.actor1, i.actor2, i.assoc_actor_1, i.assoc_actor_2, i.inter1, i.inter2,
	i.fatalities, i.civilian_fatalities, i.injured, i.location, i.admin1, i.admin2, i.country,
	i.geo_precision, i.place_id, i.notes, i.tags, i.confidence, i.sources, i.source_event_id,
	CAST(i.created AS TEXT), CAST(i.updated AS TEXT), i.status`

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
		nullString(in.SourceEventID), in.Created.UTC().Format(incident.TimeLayout),
		in.Updated.UTC().Format(incident.TimeLayout), statusOrPublished(in.Status),
	}, nil
}

// statusOrPublished is the status column's value of a status: an
// incident made without one (an import, a hand-made one) is published.
func statusOrPublished(s string) string {
	if s == "" {
		return incident.StatusPublished
	}
	return s
}

// scanner is what scanRow needs from *sql.Row and *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// rowBuf holds the scan destinations, reused across the rows of one query so
// that streaming many rows does not allocate them again per row.
type rowBuf struct {
	fid                                               int64
	id, eventDate                                     string
	geom                                              []byte
	endDate, datePrec, eventType, subType             sql.NullString
	actor1, actor2, assoc1, assoc2, inter1, inter2    sql.NullString
	fatalities, civilian, injured, geoPrec            sql.NullInt64
	location, admin1, admin2, country, placeID, notes sql.NullString
	tags, sources, sourceEventID                      sql.NullString
	confidence                                        sql.NullFloat64
	created, updated, status                          string
}

func (b *rowBuf) scan(sc scanner, in *incident.Incident) error {
	if err := sc.Scan(&b.fid, &b.id, &b.geom, &b.eventDate, &b.endDate, &b.datePrec,
		&b.eventType, &b.subType, &b.actor1, &b.actor2, &b.assoc1, &b.assoc2, &b.inter1, &b.inter2,
		&b.fatalities, &b.civilian, &b.injured, &b.location, &b.admin1, &b.admin2, &b.country,
		&b.geoPrec, &b.placeID, &b.notes, &b.tags, &b.confidence, &b.sources, &b.sourceEventID,
		&b.created, &b.updated, &b.status); err != nil {
		return err
	}
	*in = incident.Incident{
		ID: b.id, EventDate: b.eventDate, EventEndDate: b.endDate.String, DatePrecision: b.datePrec.String,
		EventType: b.eventType.String, SubEventType: b.subType.String,
		Actor1: b.actor1.String, Actor2: b.actor2.String, AssocActor1: b.assoc1.String, AssocActor2: b.assoc2.String,
		Inter1: b.inter1.String, Inter2: b.inter2.String,
		Fatalities: intPtr(b.fatalities), CivilianFatalities: intPtr(b.civilian), Injured: intPtr(b.injured),
		Location: b.location.String, Admin1: b.admin1.String, Admin2: b.admin2.String, Country: b.country.String,
		GeoPrecision: int(b.geoPrec.Int64), PlaceID: b.placeID.String, Notes: b.notes.String,
		SourceEventID: b.sourceEventID.String, Status: b.status,
	}
	if b.confidence.Valid {
		in.Confidence = incident.Float(b.confidence.Float64)
	}
	if len(b.geom) > 0 {
		g, _, err := geo.DecodeGPKG(b.geom)
		if err != nil {
			return fmt.Errorf("incident %s: %w", b.id, err)
		}
		in.Geometry = g
	}
	if b.tags.Valid && b.tags.String != "" {
		var err error
		if in.Tags, err = decodeTags(b.tags.String); err != nil {
			return fmt.Errorf("incident %s: decoding tags: %w", b.id, err)
		}
	}
	if b.sources.Valid && b.sources.String != "" {
		var err error
		if in.Sources, err = decodeSources(b.sources.String); err != nil {
			return fmt.Errorf("incident %s: decoding sources: %w", b.id, err)
		}
	}
	in.Created = parseTimestamp(b.created)
	in.Updated = parseTimestamp(b.updated)
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

func intPtr(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	return incident.Int(int(v.Int64))
}
