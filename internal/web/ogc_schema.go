package web

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/internal/cql2"
)

// handleOGCSchema answers GET /ogc/collections/{collectionId}/schema: the
// JSON Schema of one incident Feature, linked from the collection as
// "describedby". GDAL and QGIS take field types from it; without it they
// guess from a first page of features, and a page whose confidence values
// happen to be 1 or 0 makes confidence an integer field that truncates
// every later 0.86.
func (s *Server) handleOGCSchema(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "f"); err != nil {
		return err
	}
	id := mux.Vars(r)["collectionId"]
	if id != "incidents" {
		if _, err := s.collection(r, id); err != nil {
			return err
		}
		return notFound("the collection %q has no schema; incidents has", id)
	}
	if f := r.URL.Query().Get("f"); f != "" && f != "json" {
		return badParam("f", "the schema is JSON only")
	}
	return writeJSON(w, r, http.StatusOK, schemaJSONType, map[string]any{
		"$schema":  "https://json-schema.org/draft/2019-09/schema",
		"$id":      s.ogcURL(r, "/collections/incidents/schema", nil),
		"title":    "Incident",
		"type":     "object",
		"required": []string{"type", "geometry", "properties"},
		"properties": map[string]any{
			"type":       map[string]any{"type": "string", "enum": []string{"Feature"}},
			"id":         map[string]any{"type": "string"},
			"geometry":   map[string]any{"type": "object", "x-ogc-role": "primary-geometry"},
			"properties": map[string]any{"type": "object", "properties": incidentPropertySchemas()},
		},
	})
}

// orderedObject is a JSON object whose members keep their order, so that
// clients building fields from the schema list them as the API does.
type orderedObject []struct {
	name  string
	value any
}

// MarshalJSON writes the members in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// incidentPropertySchemas describes every incident property in the order
// features carry them (incident.Properties): the queryables plus the
// tags and sources arrays.
func incidentPropertySchemas() orderedObject {
	byName := map[string]cql2.Queryable{}
	for _, q := range incidentQueryables() {
		byName[q.Name] = q
	}
	var out orderedObject
	add := func(name string, v any) {
		out = append(out, struct {
			name  string
			value any
		}{name, v})
	}
	for _, name := range []string{"event_date", "event_end_date", "date_precision", "event_type", "sub_event_type",
		"actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "fatalities", "civilian_fatalities", "injured",
		"location", "admin1", "admin2", "country", "geo_precision", "place_id", "notes", "tags", "confidence",
		"sources", "source_event_id", "created", "updated"} {
		switch name {
		case "tags":
			add(name, map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": "free labels"})
		case "sources":
			add(name, map[string]any{"type": "array", "description": "reports the incident was taken from",
				"items": map[string]any{"type": "object", "properties": map[string]any{
					"url": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"},
					"publisher": map[string]any{"type": "string"}, "published": map[string]any{"type": "string", "format": "date"},
					"evidence": map[string]any{"type": "string"}}}})
		default:
			add(name, jsonSchemaOf(byName[name]))
		}
	}
	return out
}
