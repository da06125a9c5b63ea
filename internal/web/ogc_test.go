package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// ogcFixture stores incidents across two countries, dates and shapes.
func ogcFixture(t testing.TB, st store.Backend) {
	t.Helper()
	mk := func(loc, country, typ string, g orb.Geometry, date, end string, fat *int) incident.Incident {
		return incident.Incident{Location: loc, Country: country, EventType: typ, Actor1: "Actor of " + loc,
			Geometry: g, EventDate: date, EventEndDate: end, Fatalities: fat, Admin1: "Region " + country}
	}
	_, err := st.Insert(context.Background(), []incident.Incident{
		mk("Musa Qala", "AF", incident.Battles, orb.Point{64.7449, 32.4456}, "2019-09-23", "", incident.Int(7)),
		mk("Lashkar Gah", "AF", incident.ExplosionsRemoteViolence, orb.Point{64.3692, 31.583}, "2019-09-10", "2019-09-12", incident.Int(0)),
		mk("Kabul", "AF", incident.Protests, orb.Point{69.17, 34.53}, "2019-08-01", "", nil),
		mk("Quetta", "PK", incident.Battles, orb.Point{66.99, 30.18}, "2020-01-05", "", incident.Int(12)),
		mk("Suva", "FJ", incident.Riots, orb.Point{178.44, -18.14}, "2021-03-01", "", incident.Int(2)),
		mk("Apia", "WS", incident.Riots, orb.Point{-171.76, -13.83}, "2021-03-02", "", incident.Int(1)),
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOGCLandingConformanceCollections(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)

	land := do(t, "GET", srv.URL+"/ogc", "", "")
	if land.status != 200 || land.header.Get("Content-Type") != "application/json" {
		t.Fatalf("landing: %d %s", land.status, land.header.Get("Content-Type"))
	}
	rels := map[string]string{}
	for _, l := range land.json(t)["links"].([]any) {
		l := l.(map[string]any)
		if l["type"] == nil || l["type"] == "" {
			t.Errorf("link %v has no type", l)
		}
		rels[l["rel"].(string)] = l["type"].(string)
	}
	for rel, typ := range map[string]string{"self": "application/json", "alternate": "text/html",
		"service-desc": "application/vnd.oai.openapi+json;version=3.0", "service-doc": "text/html",
		"conformance": "application/json", "data": "application/json"} {
		if rels[rel] != typ {
			t.Errorf("landing link %s has type %q, want %q", rel, rels[rel], typ)
		}
	}

	conf := do(t, "GET", srv.URL+"/ogc/conformance", "", "").json(t)
	var got []string
	for _, c := range conf["conformsTo"].([]any) {
		got = append(got, c.(string))
	}
	for _, want := range []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("conformance lacks %s", want)
		}
	}

	cols := do(t, "GET", srv.URL+"/ogc/collections", "", "").json(t)
	var inc map[string]any
	for _, c := range cols["collections"].([]any) {
		if c.(map[string]any)["id"] == "incidents" {
			inc = c.(map[string]any)
		}
	}
	if inc == nil {
		t.Fatalf("no incidents collection in %v", cols)
	}
	bbox := inc["extent"].(map[string]any)["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
	if fmt.Sprint(bbox) != "[-171.76 -18.14 178.44 34.53]" {
		t.Errorf("extent bbox = %v", bbox)
	}
	interval := inc["extent"].(map[string]any)["temporal"].(map[string]any)["interval"].([]any)[0].([]any)
	if fmt.Sprint(interval) != "[2019-08-01T00:00:00Z 2021-03-02T23:59:59Z]" {
		t.Errorf("temporal extent = %v", interval)
	}
	linkTypes := map[string]bool{}
	for _, l := range inc["links"].([]any) {
		l := l.(map[string]any)
		linkTypes[l["rel"].(string)+" "+l["type"].(string)] = true
	}
	for _, want := range []string{"items application/geo+json", "items text/html", "self application/json",
		"http://www.opengis.net/def/rel/ogc/1.0/queryables application/schema+json"} {
		if !linkTypes[want] {
			t.Errorf("collection lacks link %s; has %v", want, linkTypes)
		}
	}
	if res := do(t, "GET", srv.URL+"/ogc/collections/nope", "", ""); res.status != 404 || res.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown collection: %d %s", res.status, res.header.Get("Content-Type"))
	}
}

// ogcItems fetches an items URL and returns the locations and the document.
func ogcItems(t *testing.T, u string) ([]string, map[string]any) {
	t.Helper()
	res := do(t, "GET", u, "", "")
	if res.status != 200 {
		t.Fatalf("GET %s: %d %s", u, res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/geo+json" {
		t.Fatalf("Content-Type %q", ct)
	}
	locs := locations(t, res)
	slices.Sort(locs)
	return locs, res.json(t)
}

func TestOGCItemsFilters(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)
	base := srv.URL + "/ogc/collections/incidents/items?limit=100"
	tests := []struct {
		query string
		want  string
	}{
		{"", "Apia,Kabul,Lashkar Gah,Musa Qala,Quetta,Suva"},
		{"&bbox=64,31.5,65,33", "Lashkar Gah,Musa Qala"},
		{"&bbox=64,31.5,0,65,33,100", "Lashkar Gah,Musa Qala"},
		{"&bbox=170,-30,-170,0", "Apia,Suva"},
		{"&datetime=2019-09-11", "Lashkar Gah"},
		{"&datetime=2019-09-11T08:00:00Z/2019-09-30", "Lashkar Gah,Musa Qala"},
		{"&datetime=2021-01-01/..", "Apia,Suva"},
		{"&datetime=../2019-08-31", "Kabul"},
		{"&datetime=2020-01-01T/", "Apia,Quetta,Suva"},
		{"&event_type=Battles", "Musa Qala,Quetta"},
		{"&event_type=Battles&country=af", "Musa Qala"},
		{"&fatalities=0", "Lashkar Gah"},
		{"&filter=" + url.QueryEscape("fatalities > 5 AND event_type = 'Battles'"), "Musa Qala,Quetta"},
		{"&filter=" + url.QueryEscape("fatalities IS NULL OR location LIKE 'S%'") + "&filter-lang=cql2-text", "Kabul,Suva"},
		{"&filter=" + url.QueryEscape("(country = 'AF') AND (event_date >= '2019-09-01T')") + "&filter-lang=cql-text", "Lashkar Gah,Musa Qala"},
		{"&filter=" + url.QueryEscape("S_INTERSECTS(geometry, POLYGON((64 31, 67.5 29, 67.5 33, 64 33, 64 31)))"), "Lashkar Gah,Musa Qala,Quetta"},
		{"&filter=" + url.QueryEscape("T_INTERSECTS(event_date, INTERVAL('2019-09-12', '2019-09-23'))"), "Lashkar Gah,Musa Qala"},
		{"&filter=" + url.QueryEscape("country IN ('FJ','WS') AND NOT fatalities BETWEEN 2 AND 3") + "&bbox=-180,-90,180,0", "Apia"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, doc := ogcItems(t, base+tt.query)
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
			if int(doc["numberMatched"].(float64)) != len(got) || int(doc["numberReturned"].(float64)) != len(got) {
				t.Errorf("numberMatched %v, numberReturned %v for %d features", doc["numberMatched"], doc["numberReturned"], len(got))
			}
			if _, ok := doc["timeStamp"].(string); !ok {
				t.Error("no timeStamp")
			}
		})
	}
}

func TestOGCItemsPaging(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)
	u := srv.URL + "/ogc/collections/incidents/items?limit=2&bbox=-180,-90,180,90"
	var all []string
	pages := 0
	for u != "" {
		res := do(t, "GET", u, "", "")
		if res.status != 200 {
			t.Fatalf("GET %s: %d %s", u, res.status, res.body)
		}
		doc := res.json(t)
		if doc["numberMatched"].(float64) != 6 {
			t.Errorf("page %d: numberMatched %v, want 6", pages, doc["numberMatched"])
		}
		for _, f := range features(t, res) {
			all = append(all, f["properties"].(map[string]any)["event_date"].(string))
		}
		pages++
		u = ""
		for _, l := range doc["links"].([]any) {
			l := l.(map[string]any)
			if l["rel"] == "next" {
				if l["type"] != "application/geo+json" {
					t.Errorf("next link type %v", l["type"])
				}
				u = l["href"].(string)
			}
		}
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if pages != 3 || !slices.IsSorted(all) || len(all) != 6 {
		t.Errorf("%d pages, dates %v; want 3 pages of 6 incidents in date order", pages, all)
	}
}

func TestOGCItemsErrors(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)
	base := srv.URL + "/ogc/collections/incidents/items?"
	tests := []struct {
		query, param, mention string
	}{
		{"sortby=event_date", "sortby", "unknown query parameter"},
		{"bbox=1,2,3", "bbox", "4 numbers"},
		{"bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857", "bbox-crs", "CRS84"},
		{"datetime=yesterday", "datetime", "must be a date"},
		{"datetime=2020-02-01/2020-01-01", "datetime", "after it ends"},
		{"limit=0", "limit", "whole number"},
		{"fatalities=many", "fatalities", "whole number"},
		{"filter=" + url.QueryEscape("fatalitys > 1"), "filter", `"fatalitys" is not a queryable property`},
		{"filter=" + url.QueryEscape("S_WITHIN(geometry, POINT(1 2))"), "filter", "S_WITHIN"},
		{"filter=" + url.QueryEscape("event_type = 'Battles"), "filter", "unterminated"},
		{"filter=x&filter-lang=cql2-json", "filter-lang", "cql2-text"},
		{"f=xml", "f", "json or html"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := do(t, "GET", base+tt.query, "", "")
			if res.status != 400 || res.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s", res.status, res.header.Get("Content-Type"), res.body)
			}
			p := res.json(t)
			if p["param"] != tt.param || !strings.Contains(p["detail"].(string), tt.mention) {
				t.Errorf("problem %v; want param %s mentioning %q", p, tt.param, tt.mention)
			}
		})
	}
	// Over the maximum, limit is clamped rather than refused.
	if res := do(t, "GET", base+"limit=50000", "", ""); res.status != 200 {
		t.Errorf("limit=50000: %d %s", res.status, res.body)
	}
}

func TestOGCItem(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)
	_, doc := ogcItems(t, srv.URL+"/ogc/collections/incidents/items?event_type=Protests")
	id := doc["features"].([]any)[0].(map[string]any)["id"].(string)
	res := do(t, "GET", srv.URL+"/ogc/collections/incidents/items/"+id, "", "")
	if res.status != 200 || res.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s", res.status, res.header.Get("Content-Type"))
	}
	f := res.json(t)
	if f["id"] != id || f["properties"].(map[string]any)["location"] != "Kabul" || len(f["links"].([]any)) < 3 {
		t.Errorf("feature %v", f)
	}
	if res := do(t, "GET", srv.URL+"/ogc/collections/incidents/items/nope", "", ""); res.status != 404 {
		t.Errorf("missing item: %d", res.status)
	}
}

func TestOGCHTML(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)
	hostile := incident.Incident{EventDate: "2022-01-01", Geometry: orb.Point{1, 1}, EventType: incident.Riots,
		Location: `<script>alert("x")</script>`, Notes: `<img src=x onerror=alert(1)>`}
	stored, err := st.Insert(context.Background(), []incident.Incident{hostile})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/ogc?f=html", "/ogc/conformance?f=html", "/ogc/collections?f=html", "/ogc/collections/incidents?f=html",
		"/ogc/collections/incidents/items?f=html&limit=100", "/ogc/collections/incidents/items/" + stored[0].ID + "?f=html",
		"/ogc/collections/incidents/queryables?f=html", "/ogc/api?f=html"} {
		res := do(t, "GET", srv.URL+u, "", "")
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %s", u, res.status, res.header.Get("Content-Type"))
			continue
		}
		body := string(res.body)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: unescaped user text in the page", u)
		}
		if !strings.Contains(body, "</html>") {
			t.Errorf("%s: page incomplete", u)
		}
	}
	items := string(do(t, "GET", srv.URL+"/ogc/collections/incidents/items?f=html&limit=100", "", "").body)
	if !strings.Contains(items, "&lt;script&gt;") || !strings.Contains(items, "Musa Qala") {
		t.Error("items page lacks the incidents")
	}
	if res := do(t, "GET", srv.URL+"/ogc/collections/incidents/items?f=html&cursor=bogus", "", ""); res.status != 400 {
		t.Errorf("HTML items with a bad cursor: %d", res.status)
	}
	if res := do(t, "GET", srv.URL+"/ogc/collections/incidents/items?f=html&country=ZZ", "", ""); res.status != 200 || !strings.Contains(string(res.body), "0 incidents match") {
		t.Errorf("empty HTML items page: %d", res.status)
	}
	// Accept negotiation: a browser gets HTML, GDAL gets JSON.
	browser := do(t, "GET", srv.URL+"/ogc/collections", "", "", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	gdal := do(t, "GET", srv.URL+"/ogc/collections/incidents/items", "", "", "Accept", "application/geo+json, application/json")
	if !strings.HasPrefix(browser.header.Get("Content-Type"), "text/html") || gdal.header.Get("Content-Type") != "application/geo+json" {
		t.Errorf("negotiation: browser %s, gdal %s", browser.header.Get("Content-Type"), gdal.header.Get("Content-Type"))
	}
	// The two forms of one URL have different tags, and a tag still matches its own form.
	htmlItems := do(t, "GET", srv.URL+"/ogc/collections/incidents/items", "", "", "Accept", "text/html")
	if htmlItems.header.Get("ETag") == gdal.header.Get("ETag") {
		t.Error("the HTML and GeoJSON items share an ETag")
	}
	again := do(t, "GET", srv.URL+"/ogc/collections/incidents/items", "", "", "Accept", "application/json", "If-None-Match", gdal.header.Get("ETag"))
	if again.status != http.StatusNotModified {
		t.Errorf("If-None-Match with the JSON tag: %d", again.status)
	}
	if other := do(t, "GET", srv.URL+"/ogc/collections/incidents/items", "", "", "Accept", "application/json", "If-None-Match", htmlItems.header.Get("ETag")); other.status != 200 {
		t.Errorf("If-None-Match with the HTML tag answered %d for JSON", other.status)
	}
}

func TestOGCQueryablesAndAPI(t *testing.T) {
	srv, _ := newServer(t)
	res := do(t, "GET", srv.URL+"/ogc/collections/incidents/queryables", "", "")
	if res.header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("queryables type %s", res.header.Get("Content-Type"))
	}
	props := res.json(t)["properties"].(map[string]any)
	if d := props["event_date"].(map[string]any); d["format"] != "date" {
		t.Errorf("event_date %v", d)
	}
	if g := props["geometry"].(map[string]any); g["x-ogc-role"] != "primary-geometry" {
		t.Errorf("geometry %v", g)
	}
	if _, ok := props["tags"]; ok {
		t.Error("tags is not queryable")
	}

	schema := do(t, "GET", srv.URL+"/ogc/collections/incidents/schema", "", "")
	if schema.header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("schema type %s", schema.header.Get("Content-Type"))
	}
	body := string(schema.body)
	if i, j := strings.Index(body, `"event_date"`), strings.Index(body, `"updated"`); i < 0 || j < i {
		t.Errorf("schema properties missing or out of order: %s", body)
	}
	for _, want := range []string{`"confidence":{"description"`, `"type":"number"`, `"format":"date-time"`} {
		if !strings.Contains(body, want) {
			t.Errorf("schema lacks %s", want)
		}
	}

	api := do(t, "GET", srv.URL+"/ogc/api", "", "")
	if api.header.Get("Content-Type") != "application/vnd.oai.openapi+json;version=3.0" {
		t.Fatalf("api type %s", api.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]struct {
			Get struct {
				Parameters []map[string]any `json:"parameters"`
			} `json:"get"`
		} `json:"paths"`
		Components struct {
			Parameters map[string]map[string]any `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.body, &doc); err != nil {
		t.Fatal(err)
	}
	names := map[string]map[string]any{}
	for _, p := range doc.Paths["/collections/incidents/items"].Get.Parameters {
		if ref, ok := p["$ref"].(string); ok {
			p = doc.Components.Parameters[strings.TrimPrefix(ref, "#/components/parameters/")]
		}
		names[p["name"].(string)] = p
	}
	for _, want := range []string{"limit", "bbox", "datetime", "filter", "filter-lang", "event_type", "country", "admin1", "fatalities"} {
		if names[want] == nil {
			t.Errorf("items parameters lack %s", want)
		}
	}
	if fmt.Sprint(names["filter-lang"]["schema"].(map[string]any)["enum"]) != "[cql2-text cql-text]" {
		t.Errorf("filter-lang %v", names["filter-lang"])
	}
	if lim := names["limit"]["schema"].(map[string]any); lim["maximum"] != 10000.0 {
		t.Errorf("limit schema %v", lim)
	}
	// Every parameter the OpenAPI document declares is accepted.
	q := url.Values{}
	for name := range names {
		switch name {
		case "f":
			q.Set(name, "json")
		case "limit", "fatalities", "civilian_fatalities", "injured", "geo_precision":
			q.Set(name, "1")
		case "bbox":
			q.Set(name, "-180,-90,180,90")
		case "datetime":
			q.Set(name, "../..")
		case "filter":
			q.Set(name, "TRUE")
		case "filter-lang":
			q.Set(name, "cql2-text")
		case "bbox-crs", "crs", "filter-crs":
			q.Set(name, "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
		case "event_date", "event_end_date":
			q.Set(name, "2020-01-01")
		case "cursor":
		default:
			q.Set(name, "x")
		}
	}
	if res := do(t, "GET", srv.URL+"/ogc/collections/incidents/items?"+q.Encode(), "", ""); res.status != http.StatusOK {
		t.Errorf("declared parameters refused: %d %s", res.status, res.body)
	}
}

func TestOGCPlaces(t *testing.T) {
	srv := newPlacesServer(t)
	base := srv.URL + "/ogc/collections/places/items"
	res := do(t, "GET", base+"?name=Musa+Qala&limit=3", "", "")
	if res.status != 200 || res.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s %s", res.status, res.header.Get("Content-Type"), res.body)
	}
	doc := res.json(t)
	fs := doc["features"].([]any)
	if len(fs) == 0 || fs[0].(map[string]any)["id"] != "geonames:1132604" {
		t.Fatalf("first place %v", fs)
	}
	if matched := doc["numberMatched"].(float64); matched < float64(len(fs)) || doc["numberReturned"].(float64) != float64(len(fs)) || len(fs) > 3 {
		t.Errorf("numberMatched %v numberReturned %v with %d features", matched, doc["numberReturned"], len(fs))
	}
	// A box far from Helmand leaves no Musa Qala.
	if far := do(t, "GET", base+"?name=Musa+Qala&bbox=0,0,10,10", "", "").json(t); far["numberMatched"].(float64) != 0 {
		t.Errorf("bbox ignored: %v", far["numberMatched"])
	}
	if p := do(t, "GET", base+"?name=+", "", "").json(t); p["param"] != "name" {
		t.Errorf("an empty name: %v", p)
	}
	one := do(t, "GET", base+"/geonames:1132604", "", "")
	if one.status != 200 || one.json(t)["id"] != "geonames:1132604" {
		t.Errorf("one place: %d %s", one.status, one.body)
	}
	if miss := do(t, "GET", base+"/geonames:0", "", ""); miss.status != 404 {
		t.Errorf("missing place: %d", miss.status)
	}
	if html := do(t, "GET", base+"?name=Kabul&f=html", "", ""); html.status != 200 || !strings.Contains(string(html.body), "GeoNames") {
		t.Errorf("places HTML: %d", html.status)
	}
}

// TestOGCLinksCarryTypes walks every JSON document of the API and checks
// that each link says its media type, as OGC API - Features asks and GDAL
// relies on to pick the next page.
func TestOGCLinksCarryTypes(t *testing.T) {
	srv, st := newServer(t)
	ogcFixture(t, st)
	_, doc := ogcItems(t, srv.URL+"/ogc/collections/incidents/items?limit=1")
	id := doc["features"].([]any)[0].(map[string]any)["id"].(string)
	var walk func(path string, v any)
	count := 0
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "links" {
					for i, l := range x.([]any) {
						count++
						if typ, _ := l.(map[string]any)["type"].(string); typ == "" {
							t.Errorf("%s: link %d %v has no type", path, i, l)
						}
					}
					continue
				}
				walk(path, x)
			}
		case []any:
			for _, x := range v {
				walk(path, x)
			}
		}
	}
	for _, p := range []string{"/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/incidents",
		"/ogc/collections/places", "/ogc/collections/incidents/items?limit=2", "/ogc/collections/incidents/items/" + id} {
		walk(p, do(t, "GET", srv.URL+p, "", "").json(t))
	}
	if count < 20 {
		t.Errorf("only %d links found", count)
	}
}

// TestOGCContentCRS: collections list CRS84, so every response holding
// features says its CRS in Content-Crs, as OGC API - Features Part 2 asks.
func TestOGCContentCRS(t *testing.T) {
	srv, st := startServer(t, web.Config{Token: testToken}, builtinGazetteer(t))
	ogcFixture(t, st)
	_, doc := ogcItems(t, srv.URL+"/ogc/collections/incidents/items?limit=1")
	id := doc["features"].([]any)[0].(map[string]any)["id"].(string)
	const want = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
	for _, p := range []string{
		"/ogc/collections/incidents/items",
		"/ogc/collections/incidents/items?limit=2&bbox=-180,-90,180,90&bbox-crs=" + url.QueryEscape("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
		"/ogc/collections/incidents/items/" + id,
		"/ogc/collections/places/items",
		"/ogc/collections/places/items?name=Kabul",
		"/ogc/collections/places/items/geonames:1132604",
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			res := do(t, method, srv.URL+p, "", "")
			if res.status != http.StatusOK || res.header.Get("Content-Crs") != want {
				t.Errorf("%s %s: %d, Content-Crs %q; want %q", method, p, res.status, res.header.Get("Content-Crs"), want)
			}
		}
	}
	// A refused request holds no features, and says no CRS.
	if res := do(t, http.MethodGet, srv.URL+"/ogc/collections/incidents/items?limit=x", "", ""); res.header.Get("Content-Crs") != "" {
		t.Errorf("a 400 carries Content-Crs %q", res.header.Get("Content-Crs"))
	}
}

// TestIncidentFeaturesCarryEveryProperty: QGIS builds a layer's fields from
// its first features, so every incident, however sparse, carries every
// property of the schema, null when it has none, in the schema's order:
// in OGC items, in a single feature and in /api/incidents.
func TestIncidentFeaturesCarryEveryProperty(t *testing.T) {
	srv, st := newServer(t)
	sparse := incident.Incident{EventDate: "2021-03-04", Geometry: orb.Point{64.7, 32.4}}
	if _, err := st.Insert(context.Background(), []incident.Incident{sparse}); err != nil {
		t.Fatal(err)
	}
	schema := do(t, "GET", srv.URL+"/ogc/collections/incidents/schema", "", "")
	var doc struct {
		Properties struct {
			Properties struct {
				Properties orderedKeys `json:"properties"`
			} `json:"properties"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(schema.body, &doc); err != nil {
		t.Fatal(err)
	}
	want := doc.Properties.Properties.Properties
	if len(want) < 25 {
		t.Fatalf("the schema names only %v", want)
	}
	items := do(t, "GET", srv.URL+"/ogc/collections/incidents/items", "", "").json(t)
	id := items["features"].([]any)[0].(map[string]any)["id"].(string)
	for _, u := range []string{"/ogc/collections/incidents/items", "/ogc/collections/incidents/items/" + id,
		"/api/incidents", "/api/incidents/" + id} {
		res := do(t, "GET", srv.URL+u, "", "")
		body := res.body
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if json.Unmarshal(body, &fc); len(fc.Features) > 0 {
			body = fc.Features[0]
		}
		var f struct {
			Properties orderedKeys `json:"properties"`
		}
		if err := json.Unmarshal(body, &f); err != nil {
			t.Fatalf("%s: %v\n%s", u, err, res.body)
		}
		if !slices.Equal(f.Properties, want) {
			t.Errorf("%s: a sparse incident's properties are\n%v\nwant every one of the schema\n%v", u, f.Properties, want)
		}
		var props struct {
			Properties map[string]any `json:"properties"`
		}
		json.Unmarshal(body, &props)
		for _, k := range []string{"actor1", "assoc_actor_1", "tags", "confidence", "place_id", "geo_precision", "sources"} {
			if v, ok := props.Properties[k]; !ok || v != nil {
				t.Errorf("%s: %s = %v (present %v); want null", u, k, v, ok)
			}
		}
	}
}

// orderedKeys reads the member names of a JSON object, in order.
type orderedKeys []string

func (k *orderedKeys) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return err
		}
		*k = append(*k, name.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}
