package postgis

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// selectColumns lists the incidents columns in the order rowBuf.scan reads
// them. Geometries travel as WKB, dates as their YYYY-MM-DD text.
const selectColumns = `i.fid, i.id, ST_AsBinary(i.geom), i.event_date::text, i.event_end_date::text, i.date_precision,
	i.event_type, i.sub_event_type, i.actor1, i.actor2, i.assoc_actor_1, i.assoc_actor_2, i.inter1, i.inter2,
	i.fatalities, i.civilian_fatalities, i.injured, i.location, i.admin1, i.admin2, i.country,
	i.geo_precision, i.place_id, i.notes, i.tags, i.confidence, i.sources, i.source_event_id,
	i.created, i.updated, i.status`

// writeColumns lists the columns inserts and updates write, in rowArgs
// order: the parameter of the n-th is $n, read through its cast.
var writeColumns = []struct{ name, value string }{
	{"id", "$1"}, {"geom", "ST_GeomFromWKB($2, 4326)"}, {"event_date", "$3::date"}, {"event_end_date", "$4::date"},
	{"date_precision", "$5"}, {"event_type", "$6"}, {"sub_event_type", "$7"}, {"actor1", "$8"}, {"actor2", "$9"},
	{"assoc_actor_1", "$10"}, {"assoc_actor_2", "$11"}, {"inter1", "$12"}, {"inter2", "$13"}, {"fatalities", "$14"},
	{"civilian_fatalities", "$15"}, {"injured", "$16"}, {"location", "$17"}, {"admin1", "$18"}, {"admin2", "$19"},
	{"country", "$20"}, {"geo_precision", "$21"}, {"place_id", "$22"}, {"notes", "$23"}, {"tags", "$24::jsonb"},
	{"confidence", "$25"}, {"sources", "$26::jsonb"}, {"source_event_id", "$27"}, {"created", "$28"},
	{"updated", "$29"}, {"status", "$30"},
}

// rowArgs returns in's column values in writeColumns order.
func rowArgs(in *incident.Incident) ([]any, error) {
	var geom []byte
	if in.Geometry != nil {
		var err error
		if geom, err = wkb.Marshal(in.Geometry); err != nil {
			return nil, fmt.Errorf("encoding geometry: %w", err)
		}
	}
	var tags, sources *string
	if len(in.Tags) > 0 {
		b, err := json.Marshal(in.Tags)
		if err != nil {
			return nil, fmt.Errorf("encoding tags: %w", err)
		}
		tags = ptr(string(b))
	}
	if len(in.Sources) > 0 {
		b, err := json.Marshal(in.Sources)
		if err != nil {
			return nil, fmt.Errorf("encoding sources: %w", err)
		}
		sources = ptr(string(b))
	}
	var geoPrec *int
	if in.GeoPrecision != 0 {
		geoPrec = &in.GeoPrecision
	}
	status := in.Status
	if status == "" {
		status = incident.StatusPublished
	}
	return []any{
		in.ID, geom, in.EventDate, text(in.EventEndDate), text(in.DatePrecision),
		text(in.EventType), text(in.SubEventType), text(in.Actor1), text(in.Actor2),
		text(in.AssocActor1), text(in.AssocActor2), text(in.Inter1), text(in.Inter2),
		in.Fatalities, in.CivilianFatalities, in.Injured,
		text(in.Location), text(in.Admin1), text(in.Admin2), text(in.Country), geoPrec, text(in.PlaceID),
		text(in.Notes), tags, in.Confidence, sources, text(in.SourceEventID),
		in.Created.UTC(), in.Updated.UTC(), status,
	}, nil
}

// text is a nullable text parameter: NULL for "", as the GeoPackage store
// writes it.
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ptr[T any](v T) *T { return &v }

// rowBuf holds the scan destinations, reused across the rows of one query.
type rowBuf struct {
	fid                                               int64
	id, eventDate, status                             string
	geom                                              []byte
	endDate, datePrec, eventType, subType             pgtype.Text
	actor1, actor2, assoc1, assoc2, inter1, inter2    pgtype.Text
	location, admin1, admin2, country, placeID, notes pgtype.Text
	sourceEventID                                     pgtype.Text
	fatalities, civilian, injured, geoPrec            pgtype.Int4
	confidence                                        pgtype.Float8
	tags, sources                                     []byte
	created, updated                                  time.Time
}

// scanner is what scan needs of pgx.Row and pgx.Rows.
type scanner interface{ Scan(dest ...any) error }

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
		GeoPrecision: int(b.geoPrec.Int32), PlaceID: b.placeID.String, Notes: b.notes.String,
		SourceEventID: b.sourceEventID.String, Status: b.status,
		Created: b.created.UTC(), Updated: b.updated.UTC(),
	}
	if b.confidence.Valid {
		in.Confidence = incident.Float(b.confidence.Float64)
	}
	if len(b.geom) > 0 {
		g, err := wkb.Unmarshal(b.geom)
		if err != nil {
			return fmt.Errorf("incident %s: decoding geometry: %w", b.id, err)
		}
		in.Geometry = g
	}
	if len(b.tags) > 0 {
		if err := json.Unmarshal(b.tags, &in.Tags); err != nil {
			return fmt.Errorf("incident %s: decoding tags: %w", b.id, err)
		}
	}
	if len(b.sources) > 0 {
		if err := json.Unmarshal(b.sources, &in.Sources); err != nil {
			return fmt.Errorf("incident %s: decoding sources: %w", b.id, err)
		}
	}
	return nil
}

func intPtr(v pgtype.Int4) *int {
	if !v.Valid {
		return nil
	}
	return incident.Int(int(v.Int32))
}
