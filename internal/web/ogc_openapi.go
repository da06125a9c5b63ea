package web

import (
	"net/http"
	"sort"

	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// handleOGCAPI answers GET /ogc/api: the OpenAPI 3.0 definition of the OGC
// API (JSON), or a page describing it (f=html, the service-doc). GDAL reads
// the items parameters from it: the property filters it may push to the
// server, and the filter languages.
func (s *Server) handleOGCAPI(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	doc := s.openAPI(r)
	if format == "html" {
		var list []string
		paths := doc["paths"].(map[string]any)
		keys := make([]string, 0, len(paths))
		for k := range paths {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			get := paths[k].(map[string]any)["get"].(map[string]any)
			line := "GET /ogc" + k + " — " + get["summary"].(string)
			if ps, ok := get["parameters"].([]any); ok {
				line += " — parameters:"
				for _, p := range ps {
					line += " " + paramName(doc, p)
				}
			}
			list = append(list, line)
		}
		return s.writeOGCPage(w, r, ogcPage{Title: "incidentmap OGC API: paths",
			Description: "The OpenAPI 3.0 definition is at /ogc/api (JSON). Filters use CQL2 text: filter=event_type = 'Battles' AND fatalities > 10.",
			Links:       s.selfLinks(r, "/api", format, openAPIType), List: list})
	}
	return writeJSON(w, r, http.StatusOK, openAPIType, doc)
}

// paramName names a parameter object or a $ref to one.
func paramName(doc map[string]any, p any) string {
	m := p.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		name := ref[len("#/components/parameters/"):]
		return doc["components"].(map[string]any)["parameters"].(map[string]any)[name].(map[string]any)["name"].(string)
	}
	return m["name"].(string)
}

// openAPI builds the OpenAPI 3.0 document. Paths are relative to the
// server URL, .../ogc, as OGC API clients expect.
func (s *Server) openAPI(r *http.Request) map[string]any {
	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/parameters/" + name} }
	jsonResp := func(desc, mediaType string) map[string]any {
		return map[string]any{
			"200": map[string]any{"description": desc, "content": map[string]any{
				mediaType: map[string]any{"schema": map[string]any{"type": "object"}},
				htmlType:  map[string]any{"schema": map[string]any{"type": "string"}}}},
			"400": map[string]any{"description": "a bad parameter, named in the problem's param member",
				"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/problem"}}}},
		}
	}
	get := func(summary, opID string, params []any, responses map[string]any) map[string]any {
		op := map[string]any{"summary": summary, "operationId": opID, "responses": responses}
		if len(params) > 0 {
			op["parameters"] = params
		}
		return map[string]any{"get": op}
	}
	// featuresResp is jsonResp for responses holding features, which say
	// their CRS in the Content-Crs header (Part 2).
	featuresResp := func(desc string) map[string]any {
		m := jsonResp(desc, geoJSONType)
		m["200"].(map[string]any)["headers"] = map[string]any{"Content-Crs": map[string]any{
			"description": "the CRS of the coordinates, in angle brackets", "schema": map[string]any{"type": "string", "enum": []string{"<" + crs84 + ">"}}}}
		return m
	}
	with404 := func(m map[string]any) map[string]any {
		m["404"] = map[string]any{"description": "no such collection or feature",
			"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/problem"}}}}
		return m
	}

	incidentItems := []any{ref("f"), ref("limit"), ref("cursor"), ref("bbox"), ref("bbox-crs"), ref("crs"), ref("datetime"),
		ref("filter"), ref("filter-lang"), ref("filter-crs")}
	for _, q := range incidentPropertyFilters() {
		schema := map[string]any{"type": "string"}
		switch q.Type {
		case cql2.Integer:
			schema = map[string]any{"type": "integer"}
		case cql2.Date:
			schema = map[string]any{"type": "string", "format": "date"}
		}
		if q.Name == "event_type" {
			schema["enum"] = incident.EventTypes()
		}
		incidentItems = append(incidentItems, map[string]any{"name": q.Name, "in": "query", "required": false,
			"description": "equality filter on " + q.Name + ": " + q.Description, "schema": schema, "style": "form", "explode": false})
	}
	placeItems := []any{ref("f"), ref("limit"), ref("cursor"), ref("bbox"), ref("bbox-crs"), ref("crs"),
		map[string]any{"name": "name", "in": "query", "required": false,
			"description": "the place name to look up: candidates best first; without it every place, most important first",
			"schema":      map[string]any{"type": "string"}},
		map[string]any{"name": "country", "in": "query", "description": "ISO 3166-1 alpha-2 code", "schema": map[string]any{"type": "string"}},
		map[string]any{"name": "level", "in": "query", "schema": map[string]any{"type": "string", "enum": []string{"country", "admin1", "admin2", "place"}}},
	}
	featureID := map[string]any{"name": "featureId", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}
	collectionID := map[string]any{"name": "collectionId", "in": "path", "required": true,
		"schema": map[string]any{"type": "string", "enum": collectionIDs()}}

	paths := map[string]any{
		"/":            get("Landing page", "getLandingPage", []any{ref("f")}, jsonResp("links to the API definition, conformance and collections", jsonType)),
		"/conformance": get("Conformance classes implemented", "getConformance", []any{ref("f")}, jsonResp("the conformsTo list", jsonType)),
		"/api":         get("This API definition", "getAPI", []any{ref("f")}, jsonResp("OpenAPI 3.0", openAPIType)),
		"/collections": get("The collections", "getCollections", []any{ref("f")}, jsonResp("incidents and places", jsonType)),
		"/collections/{collectionId}": get("One collection", "describeCollection", []any{collectionID, ref("f")},
			with404(jsonResp("the collection with its extent and links", jsonType))),
		"/collections/incidents/items": get("Incidents, oldest first, paged with next links", "getIncidents", incidentItems,
			featuresResp("a GeoJSON FeatureCollection with numberMatched, numberReturned and links")),
		"/collections/incidents/items/{featureId}": get("One incident", "getIncident", []any{featureID, ref("f")},
			with404(featuresResp("a GeoJSON Feature"))),
		"/collections/incidents/queryables": get("Properties a filter may name", "getIncidentQueryables", []any{ref("f")},
			jsonResp("a JSON Schema", schemaJSONType)),
		"/collections/incidents/schema": get("The JSON Schema of an incident Feature", "getIncidentSchema", nil,
			jsonResp("a JSON Schema", schemaJSONType)),
		"/collections/places/items": get("Gazetteer places, most important first or matching a name, paged with next links", "getPlaces", placeItems,
			featuresResp("a GeoJSON FeatureCollection with numberMatched, numberReturned and links")),
		"/collections/places/items/{featureId}": get("One gazetteer place", "getPlace", []any{featureID, ref("f")},
			with404(featuresResp("a GeoJSON Feature"))),
	}
	crsParam := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "in": "query", "required": false, "description": desc,
			"schema": map[string]any{"type": "string", "format": "uri", "enum": []string{crs84}}}
	}
	params := map[string]any{
		"f": map[string]any{"name": "f", "in": "query", "required": false, "description": "the representation; otherwise the Accept header decides (JSON by default)",
			"schema": map[string]any{"type": "string", "enum": []string{"json", "html"}}},
		"limit": map[string]any{"name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "features per page; larger values are clamped to the maximum",
			"schema":      map[string]any{"type": "integer", "minimum": 1, "maximum": ogcMaxLimit, "default": ogcDefaultLimit}},
		"cursor": map[string]any{"name": "cursor", "in": "query", "required": false,
			"description": "where the page starts; take it from the next link", "schema": map[string]any{"type": "string"}},
		"bbox": map[string]any{"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "minLon,minLat,maxLon,maxLat (or 6 numbers with heights) in CRS84; minLon > maxLon crosses the antimeridian",
			"schema":      map[string]any{"type": "array", "minItems": 4, "maxItems": 6, "items": map[string]any{"type": "number"}}},
		"bbox-crs": crsParam("bbox-crs", "the CRS of bbox; only CRS84"),
		"crs":      crsParam("crs", "the CRS of the response's geometries; only CRS84"),
		"datetime": map[string]any{"name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
			"description": "a date, a date-time or an interval start/end with .. for an open end; matches incidents whose days overlap it",
			"schema":      map[string]any{"type": "string"}},
		"filter": map[string]any{"name": "filter", "in": "query", "required": false,
			"description": "a CQL2-text filter (basic CQL2, S_INTERSECTS, T_INTERSECTS) over the queryables",
			"schema":      map[string]any{"type": "string"}},
		"filter-lang": map[string]any{"name": "filter-lang", "in": "query", "required": false,
			"description": "cql2-text; cql-text, its draft name that GDAL sends, is read the same way",
			"schema":      map[string]any{"type": "string", "enum": []string{"cql2-text", "cql-text"}, "default": "cql2-text"}},
		"filter-crs": crsParam("filter-crs", "the CRS of geometries in filter; only CRS84"),
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "incidentmap OGC API - Features", "version": "1.0.0",
			"description": "Incidents and gazetteer places as OGC API - Features (Part 1 Core, Part 3 Filtering with CQL2 text).",
			"license":     map[string]any{"name": "see the project's licence"}},
		"servers": []any{map[string]any{"url": s.absURL(r, ogcRoot, nil)}},
		"paths":   paths,
		"components": map[string]any{
			"parameters": params,
			"schemas": map[string]any{"problem": map[string]any{"type": "object", "properties": map[string]any{
				"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"}, "status": map[string]any{"type": "integer"},
				"detail": map[string]any{"type": "string"}, "param": map[string]any{"type": "string"}}}},
		},
	}
}
