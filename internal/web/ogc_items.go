package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Paging of /ogc/collections/{id}/items. GIS clients send their own limit
// (GDAL 1000); the default suits people browsing the HTML pages.
const (
	ogcDefaultLimit = 10
	ogcMaxLimit     = 10_000
	maxFilterLength = 8 << 10 // bytes of a CQL2 filter
)

// ogcItemsParams are the query parameters of the incidents items, before
// the property filters.
func ogcItemsParams() []string {
	return []string{"f", "limit", "cursor", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs"}
}

// incidentPropertyFilters are the properties that can be filtered by
// equality as query parameters (event_type=Battles), as OGC API - Features
// Part 1 allows and the OpenAPI document declares.
func incidentPropertyFilters() []cql2.Queryable {
	var out []cql2.Queryable
	for _, q := range incidentQueryables() {
		switch q.Name {
		case "event_date", "event_end_date", "event_type", "sub_event_type", "country", "admin1", "admin2", "location", "actor1", "actor2",
			"assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "date_precision", "place_id", "source_event_id",
			"fatalities", "civilian_fatalities", "injured", "geo_precision":
			out = append(out, q)
		}
	}
	return out
}

// handleOGCItems answers GET /ogc/collections/{collectionId}/items.
func (s *Server) handleOGCItems(w http.ResponseWriter, r *http.Request) error {
	switch id := mux.Vars(r)["collectionId"]; id {
	case "incidents":
		return s.handleOGCIncidents(w, r)
	case "places":
		return s.handleOGCPlaces(w, r)
	default:
		return noCollection(id)
	}
}

// handleOGCIncidents streams a page of incidents, oldest first, with the
// exact numberMatched and a next link while more remain.
func (s *Server) handleOGCIncidents(w http.ResponseWriter, r *http.Request) error {
	allowed := ogcItemsParams()
	for _, p := range incidentPropertyFilters() {
		allowed = append(allowed, p.Name)
	}
	format, err := ogcRequest(w, r, allowed...)
	if err != nil {
		return err
	}
	q, err := parseOGCIncidentQuery(r)
	if err != nil {
		return err
	}
	if fresh, err := s.checkOGCETag(w, r, format); err != nil || fresh {
		return err
	}
	matched, err := s.store.Count(r.Context(), q)
	if err != nil {
		return err
	}
	if format == "html" {
		return s.writeIncidentItemsHTML(w, r, q, matched)
	}
	setContentCRS(w)
	cw, err := startCollection(w, http.StatusOK, geoJSONType, map[string]any{"numberMatched": matched, "timeStamp": timeStamp()})
	if err != nil {
		return err
	}
	next, err := s.store.QueryFeatures(r.Context(), q, cw.WriteFeature)
	if err != nil {
		return err
	}
	return cw.Close(map[string]any{"numberReturned": cw.count, "links": s.itemsLinks(r, format, next)})
}

// itemsLinks are the links of an items page: self, alternate, the
// collection and, while more remain, next.
func (s *Server) itemsLinks(r *http.Request, format, next string) []link {
	v := r.URL.Query()
	path := strings.TrimPrefix(r.URL.Path, ogcRoot)
	mt := geoJSONType
	if format == "html" {
		mt = htmlType
	}
	self := link{Href: s.ogcURL(r, path, v), Rel: "self", Type: mt, Title: "this page"}
	alt := link{Href: s.ogcURL(r, path, withF(v, "html")), Rel: "alternate", Type: htmlType, Title: "this page as HTML"}
	if format == "html" {
		alt = link{Href: s.ogcURL(r, path, withF(v, "json")), Rel: "alternate", Type: geoJSONType, Title: "this page as GeoJSON"}
	}
	links := []link{self, alt,
		{Href: s.ogcURL(r, strings.TrimSuffix(path, "/items"), nil), Rel: "collection", Type: jsonType, Title: "the collection"}}
	if next != "" {
		nv := url.Values{}
		for k, vs := range v {
			nv[k] = vs
		}
		nv.Set("cursor", next)
		links = append(links, link{Href: s.ogcURL(r, path, nv), Rel: "next", Type: mt, Title: "next page"})
	}
	return links
}

// parseOGCIncidentQuery reads the items parameters into a store.Query.
func parseOGCIncidentQuery(r *http.Request) (store.Query, error) {
	v := r.URL.Query()
	// GIS clients read what is published; the review queue is the API's.
	q := store.Query{Statuses: []string{incident.StatusPublished}}
	var err error
	if q.Limit, err = parseLimit(r, ogcDefaultLimit, ogcMaxLimit); err != nil {
		return q, err
	}
	q.Cursor = v.Get("cursor")
	if err := checkCRS(v, "bbox-crs", "crs", "filter-crs"); err != nil {
		return q, err
	}
	if q.BBox, err = bboxParam(v); err != nil {
		return q, err
	}
	if d := v.Get("datetime"); d != "" {
		if q.Start, q.End, err = parseDatetime(d); err != nil {
			return q, badParam("datetime", "%v", err)
		}
	}
	for _, p := range incidentPropertyFilters() {
		if val := v.Get(p.Name); val != "" {
			e, err := store.PropertyFilter(p.Name, val)
			if err != nil {
				return q, filterProblem(err)
			}
			q.Filters = append(q.Filters, e)
		}
	}
	e, err := parseFilter(v.Get("filter"), v.Get("filter-lang"), v.Has("filter-lang"))
	if err != nil {
		return q, err
	}
	if e != nil {
		q.Filters = append(q.Filters, e)
	}
	return q, nil
}

// parseFilter reads a CQL2-text filter, checked against the queryables;
// nil when there is no filter.
func parseFilter(text, lang string, langGiven bool) (cql2.Expr, error) {
	switch lang {
	case "", "cql2-text":
	case "cql-text":
		// The draft name of CQL2 text, which GDAL still sends.
	case "cql2-json":
		return nil, badParam("filter-lang", "cql2-json is not supported; write the filter in cql2-text")
	default:
		return nil, badParam("filter-lang", "must be cql2-text, not %q", lang)
	}
	if text == "" {
		if langGiven {
			return nil, badParam("filter", "is empty, but filter-lang was given")
		}
		return nil, nil
	}
	if len(text) > maxFilterLength {
		return nil, badParam("filter", "is %d bytes; at most %d", len(text), maxFilterLength)
	}
	e, err := cql2.Parse(text)
	if err != nil {
		return nil, badParam("filter", "%v", err)
	}
	if err := store.CheckFilter(e); err != nil {
		return nil, filterProblem(err)
	}
	return e, nil
}

// parseDatetime reads the datetime parameter: an instant, or an interval
// start/end whose open ends are ".." or empty. Incidents are dated by the
// day, so instants count by their UTC day. It returns the first and last
// day, "" for an open end.
func parseDatetime(s string) (string, string, error) {
	day := func(x string) (string, error) {
		x = strings.TrimSuffix(x, "T") // GDAL writes dates as 2020-01-01T
		if _, err := time.Parse(time.DateOnly, x); err == nil {
			return x, nil
		}
		if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return ts.UTC().Format(time.DateOnly), nil
		}
		return "", errors.New("must be a date (2020-01-31), an RFC 3339 date-time (2020-01-31T12:00:00Z) or an interval start/end with .. for an open end; " + strconv.Quote(x) + " is neither")
	}
	a, b, isInterval := strings.Cut(s, "/")
	if !isInterval {
		d, err := day(a)
		return d, d, err
	}
	var ends [2]string
	for i, x := range []string{a, b} {
		if x == ".." || x == "" {
			continue
		}
		d, err := day(x)
		if err != nil {
			return "", "", err
		}
		ends[i] = d
	}
	if ends[0] != "" && ends[1] != "" && ends[0] > ends[1] {
		return "", "", errors.New("the interval starts " + ends[0] + ", after it ends " + ends[1])
	}
	return ends[0], ends[1], nil
}

// handleOGCItem answers GET /ogc/collections/{collectionId}/items/{featureId}.
func (s *Server) handleOGCItem(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f")
	if err != nil {
		return err
	}
	vars := mux.Vars(r)
	coll, id := vars["collectionId"], vars["featureId"]
	base := "/collections/" + coll
	path := base + "/items/" + url.PathEscape(id)
	links := append(s.selfLinks(r, path, format, geoJSONType),
		link{Href: s.ogcURL(r, base, nil), Rel: "collection", Type: jsonType, Title: "the collection"})
	switch coll {
	case "incidents":
		if fresh, err := s.checkOGCETag(w, r, format); err != nil || fresh {
			return err
		}
		in, err := s.getVisible(r, id)
		if err != nil {
			return err
		}
		if format == "html" {
			return s.writeIncidentHTML(w, r, &in, links)
		}
		setContentCRS(w)
		return writeJSON(w, r, http.StatusOK, geoJSONType, struct {
			incident.Feature
			Links []link `json:"links"`
		}{in.ToFeature(), links})
	case "places":
		f, p, err := s.placeFeatureOf(id)
		if err != nil {
			return err
		}
		if format == "html" {
			return s.writePlacesHTML(w, r, "Place: "+p.Name, []placeFeature{f}, links)
		}
		setContentCRS(w)
		return writeJSON(w, r, http.StatusOK, geoJSONType, struct {
			placeFeature
			Links []link `json:"links"`
		}{f, links})
	}
	return noCollection(coll)
}

// checkCRS refuses a CRS other than CRS84 in any of params. Only CRS84 is
// served; clients that name it explicitly (Part 2 style) are answered,
// others are told.
func checkCRS(v url.Values, params ...string) error {
	for _, p := range params {
		if c := v.Get(p); c != "" && c != crs84 {
			return badParam(p, "only %s (lon/lat) is supported, not %q", crs84, c)
		}
	}
	return nil
}

// bboxParam reads the optional bbox parameter; nil when absent.
func bboxParam(v url.Values) (*geo.BBox, error) {
	b := v.Get("bbox")
	if b == "" {
		return nil, nil
	}
	box, err := geo.ParseBBox(b)
	if err != nil {
		return nil, badParam("bbox", "%v", err)
	}
	return &box, nil
}

// checkOGCETag is checkETag for negotiated responses: the format served
// is part of the tag, so that the HTML and JSON forms of one URL never
// share one.
func (s *Server) checkOGCETag(w http.ResponseWriter, r *http.Request, format string) (bool, error) {
	return s.checkTag(w, r, r.URL.RequestURI()+"\x00"+format)
}
