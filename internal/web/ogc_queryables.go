package web

import (
	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// incidentQueryables lists the incident properties filters may name: the
// store's.
func incidentQueryables() []cql2.Queryable { return store.Queryables() }

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
