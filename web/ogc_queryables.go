package web

import (
	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// incidentQueryables lists the incident properties filters may name, with
// the incidents table columns behind them (the store names its columns as
// the public properties, aliased i). tags and sources are JSON arrays and
// are left out.
func incidentQueryables() []cql2.Queryable {
	str := func(name, desc string) cql2.Queryable {
		return cql2.Queryable{Name: name, Type: cql2.String, SQL: "i." + name, Description: desc}
	}
	num := func(name string, t cql2.Type, desc string) cql2.Queryable {
		return cql2.Queryable{Name: name, Type: t, SQL: "i." + name, Description: desc}
	}
	return []cql2.Queryable{
		{Name: "geometry", Type: cql2.Geometry, SQL: "i.geom", Description: "where the incident happened (lon/lat)"},
		str("id", "the incident's stable id"),
		{Name: "event_date", Type: cql2.Date, SQL: "i.event_date", EndSQL: "COALESCE(i.event_end_date, i.event_date)",
			Description: "first day; in T_INTERSECTS it stands for the whole span up to event_end_date"},
		num("event_end_date", cql2.Date, "last day, when the incident lasted several days"),
		str("date_precision", "day, week, month or year"),
		str("event_type", "ACLED event type"),
		str("sub_event_type", "ACLED sub-event type"),
		str("actor1", "first actor"),
		str("actor2", "second actor"),
		str("assoc_actor_1", "actor associated with actor1"),
		str("assoc_actor_2", "actor associated with actor2"),
		str("inter1", "ACLED actor type code of actor1, one per actor"),
		str("inter2", "ACLED actor type code of actor2, one per actor"),
		num("fatalities", cql2.Integer, "best estimate of deaths; null when unknown"),
		num("civilian_fatalities", cql2.Integer, "civilian deaths; null when unknown"),
		num("injured", cql2.Integer, "people injured; null when unknown"),
		str("location", "the place as named"),
		str("admin1", "first-level administrative division"),
		str("admin2", "second-level administrative division"),
		str("country", "ISO 3166-1 alpha-2 code"),
		num("geo_precision", cql2.Integer, "1 town, 2 near a town or district, 3 region, 4 country"),
		str("place_id", "gazetteer id of the resolved place"),
		str("notes", "description"),
		num("confidence", cql2.Number, "0..1, for automatically extracted incidents"),
		str("source_event_id", "id in the dataset the incident was imported from"),
		num("created", cql2.Timestamp, "when the incident was stored"),
		num("updated", cql2.Timestamp, "when the incident last changed"),
	}
}

// jsonSchemaOf describes a queryable in JSON Schema, as Part 3 asks.
func jsonSchemaOf(q cql2.Queryable) map[string]any {
	m := map[string]any{"title": q.Name, "description": q.Description}
	switch q.Type {
	case cql2.String:
		m["type"] = "string"
	case cql2.Integer:
		m["type"] = "integer"
	case cql2.Number:
		m["type"] = "number"
	case cql2.Date:
		m["type"], m["format"] = "string", "date"
	case cql2.Timestamp:
		m["type"], m["format"] = "string", "date-time"
	case cql2.Geometry:
		m["format"], m["x-ogc-role"] = "geometry-any", "primary-geometry"
	}
	switch q.Name {
	case "event_type":
		m["enum"] = incident.EventTypes()
	case "date_precision":
		m["enum"] = []string{incident.PrecisionDay, incident.PrecisionWeek, incident.PrecisionMonth, incident.PrecisionYear}
	case "id":
		m["x-ogc-role"] = "id"
	}
	return m
}
