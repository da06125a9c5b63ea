package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// OGC API - Features (Part 1 Core, Part 3 Filtering) under /ogc, so that
// OAPIF:http://host:8080/ogc works in GDAL and QGIS. This file holds the
// landing page, conformance, collections and queryables; ogc_items.go the
// features, ogc_openapi.go the API definition, ogc_html.go the HTML pages.

// Media types of the OGC API responses.
const (
	jsonType       = "application/json"
	htmlType       = "text/html"
	schemaJSONType = "application/schema+json"
	// openAPIType is the type GDAL looks for on the service-desc link.
	openAPIType = "application/vnd.oai.openapi+json;version=3.0"
)

// ogcRoot is where the OGC API lives.
const ogcRoot = "/ogc"

// CRS84 is the only coordinate reference system served: lon/lat on WGS 84.
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// setContentCRS says, on a response holding features, the CRS of their
// coordinates, as OGC API - Features Part 2 asks of a server whose
// collections list one.
func setContentCRS(w http.ResponseWriter) {
	w.Header().Set("Content-Crs", "<"+crs84+">")
}

// conformanceClasses are the classes declared at /ogc/conformance.
func conformanceClasses() []string {
	return []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	}
}

// ogcFormat is the representation a client asked for: "json" or "html".
// The f parameter wins; otherwise the Accept header decides, and JSON is the
// default since GIS clients rarely send text/html. Responses chosen by
// Accept say so in Vary, so that caches keep the two apart.
func ogcFormat(w http.ResponseWriter, r *http.Request) (string, error) {
	if !r.URL.Query().Has("f") {
		w.Header().Add("Vary", "Accept")
	}
	switch f := r.URL.Query().Get("f"); f {
	case "json", "geojson":
		return "json", nil
	case "html":
		return "html", nil
	case "":
	default:
		return "", badParam("f", "must be json or html, not %q", f)
	}
	best, bestQ := "json", 0.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, p := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		var kind string
		switch {
		case mt == htmlType || mt == "application/xhtml+xml":
			kind = "html"
		case strings.HasSuffix(mt, "json"):
			kind = "json"
		default:
			continue
		}
		// Ties go to JSON: a client naming both equally is a program.
		if q > bestQ || (q == bestQ && kind == "json") {
			best, bestQ = kind, q
		}
	}
	return best, nil
}

// ogcRequest is the start of every negotiated OGC handler: it refuses
// query parameters outside allowed, then returns the format asked for, as
// ogcFormat does.
func ogcRequest(w http.ResponseWriter, r *http.Request, allowed ...string) (string, error) {
	if err := checkParams(r, allowed...); err != nil {
		return "", err
	}
	return ogcFormat(w, r)
}

// ogcURL is an absolute URL below /ogc with the given query.
func (s *Server) ogcURL(r *http.Request, path string, q url.Values) string {
	return s.absURL(r, ogcRoot+path, q)
}

// withF returns q plus f=format, for alternate links.
func withF(q url.Values, format string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	out.Set("f", format)
	return out
}

// selfLinks are the self and alternate links of a resource at path.
func (s *Server) selfLinks(r *http.Request, path, format, jsonMediaType string) []link {
	jsonLink := link{Href: s.ogcURL(r, path, withF(nil, "json")), Type: jsonMediaType, Title: "this document as JSON"}
	htmlLink := link{Href: s.ogcURL(r, path, withF(nil, "html")), Type: htmlType, Title: "this document as HTML"}
	if format == "html" {
		htmlLink.Rel, jsonLink.Rel = "self", "alternate"
		return []link{htmlLink, jsonLink}
	}
	jsonLink.Rel, htmlLink.Rel = "self", "alternate"
	return []link{jsonLink, htmlLink}
}

// handleOGCLanding answers GET /ogc: what the service is and where its
// parts are.
func (s *Server) handleOGCLanding(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	links := append(s.selfLinks(r, "", format, jsonType),
		link{Href: s.ogcURL(r, "/api", nil), Rel: "service-desc", Type: openAPIType, Title: "the API definition (OpenAPI 3.0)"},
		link{Href: s.ogcURL(r, "/api", withF(nil, "html")), Rel: "service-doc", Type: htmlType, Title: "the API documentation"},
		link{Href: s.ogcURL(r, "/conformance", nil), Rel: "conformance", Type: jsonType, Title: "conformance classes implemented"},
		link{Href: s.ogcURL(r, "/collections", nil), Rel: "data", Type: jsonType, Title: "the collections: incidents and places"},
		link{Href: s.absURL(r, "/", nil), Rel: "related", Type: htmlType, Title: "the incident map"},
	)
	doc := map[string]any{
		"title":       "incidentmap",
		"description": "Violent incidents mapped from news reports and datasets, served as OGC API - Features.",
		"links":       links,
	}
	if format == "html" {
		return s.writeOGCPage(w, r, ogcPage{Title: "incidentmap OGC API - Features", Description: doc["description"].(string), Links: links})
	}
	return writeJSON(w, r, http.StatusOK, jsonType, doc)
}

// handleOGCConformance answers GET /ogc/conformance.
func (s *Server) handleOGCConformance(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	if format == "html" {
		return s.writeOGCPage(w, r, ogcPage{Title: "Conformance", Description: "The OGC standards' classes this service implements.",
			Links: s.selfLinks(r, "/conformance", format, jsonType), List: conformanceClasses()})
	}
	return writeJSON(w, r, http.StatusOK, jsonType, map[string]any{"conformsTo": conformanceClasses()})
}

// collectionInfo describes one collection of /ogc/collections.
type collectionInfo struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Links       []link         `json:"links"`
	Extent      map[string]any `json:"extent,omitempty"`
	ItemType    string         `json:"itemType"`
	CRS         []string       `json:"crs"`
}

// collectionIDs lists the collections in the order they are shown.
func collectionIDs() []string { return []string{"incidents", "places"} }

// noCollection is the 404 for a collection id that does not exist.
func noCollection(id string) error {
	return notFound("no collection %q; the collections are %s", id, strings.Join(collectionIDs(), ", "))
}

// collection describes the collection id, with its extent for incidents.
func (s *Server) collection(r *http.Request, id string) (collectionInfo, error) {
	base := "/collections/" + id
	c := collectionInfo{ID: id, ItemType: "feature", CRS: []string{crs84},
		Links: []link{
			{Href: s.ogcURL(r, base, nil), Rel: "self", Type: jsonType, Title: "this collection"},
			{Href: s.ogcURL(r, base, withF(nil, "html")), Rel: "alternate", Type: htmlType, Title: "this collection as HTML"},
			{Href: s.ogcURL(r, base+"/items", nil), Rel: "items", Type: geoJSONType, Title: "the features as GeoJSON"},
			{Href: s.ogcURL(r, base+"/items", withF(nil, "html")), Rel: "items", Type: htmlType, Title: "the features as HTML"},
		}}
	switch id {
	case "incidents":
		c.Title = "Incidents"
		c.Description = "Violent incidents: battles, explosions, violence against civilians, protests, riots and strategic developments, " +
			"with ACLED's vocabulary. event_date stands for an incident's whole span of days in datetime and T_INTERSECTS."
		c.Links = append(c.Links,
			link{Href: s.ogcURL(r, base+"/queryables", nil), Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables",
				Type: schemaJSONType, Title: "the properties a filter may use"},
			// Relation types are case-insensitive (RFC 8288), but GDAL 3.6
			// only takes the schema from a link spelled "describedBy".
			link{Href: s.ogcURL(r, base+"/schema", nil), Rel: "describedBy", Type: schemaJSONType, Title: "the JSON Schema of an incident"})
		bound, ok, err := s.store.Extent(r.Context(), store.Query{})
		if err != nil {
			return c, err
		}
		if ok {
			spatial := map[string]any{"bbox": [][]float64{{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]}}, "crs": crs84}
			first, last, err := s.dateRange(r)
			if err != nil {
				return c, err
			}
			c.Extent = map[string]any{"spatial": spatial, "temporal": map[string]any{
				"interval": [][]string{{first, last}}, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}}
		}
	case "places":
		c.Title = "Places"
		c.Description = "The gazetteer: countries, administrative divisions and populated places from GeoNames, read-only. " +
			"Listed most important first (regions, countries, admin1, admin2, then towns by population), narrowed by bbox, country and level, " +
			"or searched by name: items?name=Kabul."
		c.Extent = map[string]any{"spatial": map[string]any{"bbox": [][]float64{{-180, -90, 180, 90}}, "crs": crs84}}
	default:
		return c, noCollection(id)
	}
	return c, nil
}

// dateRange returns the temporal extent as RFC 3339 instants: the start of
// the first event_date, and the end of the last day of the incident that
// starts last (two index lookups; an earlier incident lasting longer could
// end later, which this leaves out).
func (s *Server) dateRange(r *http.Request) (string, string, error) {
	var first, last string
	for _, q := range []store.Query{{Limit: 1}, {Limit: 1, Desc: true}} {
		dst := &first
		if q.Desc {
			dst = &last
		}
		if _, err := s.store.Query(r.Context(), q, func(in *incident.Incident) error {
			if q.Desc {
				*dst = in.EndDate() + "T23:59:59Z"
			} else {
				*dst = in.EventDate + "T00:00:00Z"
			}
			return nil
		}); err != nil {
			return "", "", err
		}
	}
	return first, last, nil
}

// handleOGCCollections answers GET /ogc/collections.
func (s *Server) handleOGCCollections(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	// The extents change only with the data: let clients revalidate.
	if fresh, err := s.checkOGCETag(w, r, format); err != nil || fresh {
		return err
	}
	var cs []collectionInfo
	for _, id := range collectionIDs() {
		c, err := s.collection(r, id)
		if err != nil {
			return err
		}
		cs = append(cs, c)
	}
	links := s.selfLinks(r, "/collections", format, jsonType)
	if format == "html" {
		return s.writeOGCPage(w, r, ogcPage{Title: "Collections", Links: links, Collections: cs})
	}
	return writeJSON(w, r, http.StatusOK, jsonType, map[string]any{"links": links, "collections": cs})
}

// handleOGCCollection answers GET /ogc/collections/{collectionId}.
func (s *Server) handleOGCCollection(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	if fresh, err := s.checkOGCETag(w, r, format); err != nil || fresh {
		return err
	}
	c, err := s.collection(r, mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
	if format == "html" {
		c.Links[0].Rel, c.Links[1].Rel = "alternate", "self"
		return s.writeOGCPage(w, r, ogcPage{Title: c.Title, Description: c.Description, Links: c.Links, Collections: []collectionInfo{c}})
	}
	return writeJSON(w, r, http.StatusOK, jsonType, c)
}

// handleOGCQueryables answers GET /ogc/collections/{collectionId}/queryables
// with a JSON Schema of the properties a filter may name (Part 3).
func (s *Server) handleOGCQueryables(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	id := mux.Vars(r)["collectionId"]
	if id != "incidents" {
		if _, err := s.collection(r, id); err != nil {
			return err
		}
		return notFound("the collection %q cannot be filtered; only incidents has queryables", id)
	}
	props := map[string]any{}
	var names []string
	for _, q := range incidentQueryables() {
		props[q.Name] = jsonSchemaOf(q)
		names = append(names, q.Name)
	}
	path := "/collections/incidents/queryables"
	if format == "html" {
		var rows []string
		for _, q := range incidentQueryables() {
			rows = append(rows, q.Name+" ("+q.Type.String()+"): "+q.Description)
		}
		return s.writeOGCPage(w, r, ogcPage{Title: "Incidents: queryables",
			Description: "Properties a CQL2 filter may name, e.g. filter=event_type = 'Battles' AND fatalities > 10.",
			Links:       s.selfLinks(r, path, format, schemaJSONType), List: rows})
	}
	return writeJSON(w, r, http.StatusOK, schemaJSONType, map[string]any{
		"$schema":              "https://json-schema.org/draft/2019-09/schema",
		"$id":                  s.ogcURL(r, path, nil),
		"type":                 "object",
		"title":                "Incidents",
		"description":          "Queryable properties of incidents, for filter (CQL2 text) and for property filters.",
		"properties":           props,
		"additionalProperties": false,
	})
}

// timeStamp is the response time OGC API collections carry.
func timeStamp() string { return time.Now().UTC().Format(time.RFC3339) }
