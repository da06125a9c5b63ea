package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
	"github.com/incidentmap/incidentmap/internal/web"
)

const testToken = "test-token"

// newServer starts the real router over a temporary database.
func newServer(t testing.TB) (*httptest.Server, store.Backend) {
	t.Helper()
	return startServer(t, web.Config{Token: testToken}, nil)
}

// startServer starts the real router with cfg and gaz (nil: no gazetteer)
// over a temporary database, closed when the test ends.
func startServer(t testing.TB, cfg web.Config, gaz *gazetteer.Gazetteer) (*httptest.Server, store.Backend) {
	t.Helper()
	_, srv, st := startAPI(t, cfg, gaz)
	return srv, st
}

// startAPI is startServer returning the web.Server too. The store is a
// GeoPackage file, or a PostGIS database when INCIDENTMAP_TEST_STORE is
// "postgis" (CI runs the package's tests both ways).
func startAPI(t testing.TB, cfg web.Config, gaz *gazetteer.Gazetteer) (*web.Server, *httptest.Server, store.Backend) {
	t.Helper()
	st := openTestStore(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := web.New(cfg, st, gaz, log)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(func() {
		api.Close()
		srv.Close()
		st.Close()
	})
	return api, srv, st
}

// openTestStore opens the store the tests run on (see startAPI).
func openTestStore(t testing.TB) store.Backend {
	t.Helper()
	if os.Getenv(storeEnv) == "postgis" {
		return storetest.OpenPostGIS(t)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "web.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// storeEnv names the variable that selects the tests' store.
const storeEnv = "INCIDENTMAP_TEST_STORE"

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return m
}

func do(t testing.TB, method, url, token, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rd io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

func feature(lon, lat float64, date, location string, fatalities int) string {
	return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Point","coordinates":[%g,%g]},
		"properties":{"event_date":%q,"event_type":"Battles","location":%q,"country":"AF","fatalities":%d,
		"actor1":"Taliban","notes":"clash near %s","tags":["test"],
		"sources":[{"url":"https://example.org/a","published":"2019-10-08","evidence":"Fighting broke out."}]}}`,
		lon, lat, date, location, fatalities, location)
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func features(t testing.TB, r response) []map[string]any {
	t.Helper()
	var fc struct {
		Type     string           `json:"type"`
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal(r.body, &fc); err != nil {
		t.Fatalf("not a FeatureCollection: %v\n%s", err, r.body)
	}
	if fc.Type != "FeatureCollection" {
		t.Fatalf("type = %q", fc.Type)
	}
	return fc.Features
}

func locations(t testing.TB, r response) []string {
	var out []string
	for _, f := range features(t, r) {
		out = append(out, f["properties"].(map[string]any)["location"].(string))
	}
	return out
}

func seed(t testing.TB, url string) {
	t.Helper()
	res := do(t, "POST", url+"/api/incidents", testToken, collection(
		feature(64.7449, 32.4456, "2019-09-23", "Musa Qala", 7),
		feature(64.3692, 31.583, "2019-09-10", "Lashkar Gah", 3),
		feature(69.17, 34.53, "2019-08-01", "Kabul", 0),
		feature(178.44, -18.14, "2019-09-15", "Suva", 1),
		feature(-171.76, -13.83, "2019-09-16", "Apia", 2),
	))
	if res.status != http.StatusCreated {
		t.Fatalf("seeding: %d %s", res.status, res.body)
	}
}

func TestListFilters(t *testing.T) {
	srv, _ := newServer(t)
	seed(t, srv.URL)
	tests := []struct {
		query string
		want  string
	}{
		{"", "Musa Qala,Apia,Suva,Lashkar Gah,Kabul"},
		{"bbox=64.0,31.5,65.5,33.0&start=2019-09-01&end=2019-09-30", "Musa Qala,Lashkar Gah"},
		{"bbox=170,-30,-170,0", "Apia,Suva"},
		{"bbox=64,31.5,0,65.5,33,0", "Musa Qala,Lashkar Gah"},
		{"min_fatalities=3", "Musa Qala,Lashkar Gah"},
		{"q=lashkar", "Lashkar Gah"},
		{"actor=taliban&country=AF&event_type=Battles&end=2019-08-31", "Kabul"},
		{"sort=event_date&limit=2", "Kabul,Lashkar Gah"},
		{"country=FJ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := do(t, "GET", srv.URL+"/api/incidents?"+tt.query, "", "")
			if res.status != 200 || res.header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("status %d type %q: %s", res.status, res.header.Get("Content-Type"), res.body)
			}
			if got := strings.Join(locations(t, res), ","); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPagingFollowsNextLinks(t *testing.T) {
	srv, _ := newServer(t)
	seed(t, srv.URL)
	var got []string
	url := srv.URL + "/api/incidents?limit=2"
	for pages := 0; url != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		res := do(t, "GET", url, "", "")
		got = append(got, locations(t, res)...)
		url = ""
		for _, l := range res.json(t)["links"].([]any) {
			l := l.(map[string]any)
			if l["rel"] == "next" {
				url = l["href"].(string)
			}
		}
	}
	if strings.Join(got, ",") != "Musa Qala,Apia,Suva,Lashkar Gah,Kabul" {
		t.Fatalf("pages gave %v", got)
	}
}

func TestCRUD(t *testing.T) {
	srv, _ := newServer(t)
	res := do(t, "POST", srv.URL+"/api/incidents", testToken, feature(64.74, 32.44, "2019-09-23", "Musa Qala", 7))
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	id := features(t, res)[0]["id"].(string)
	loc := res.header.Get("Location")
	if !strings.HasSuffix(loc, "/api/incidents/"+id) {
		t.Fatalf("Location = %q", loc)
	}
	got := do(t, "GET", loc, "", "")
	if got.status != 200 || got.json(t)["properties"].(map[string]any)["fatalities"].(float64) != 7 {
		t.Fatalf("get: %d %s", got.status, got.body)
	}
	etag := got.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res := do(t, "GET", loc, "", "", "If-None-Match", etag); res.status != http.StatusNotModified {
		t.Fatalf("If-None-Match: status %d", res.status)
	}
	patched := do(t, "PATCH", loc, testToken, `{"properties":{"fatalities":8,"notes":null}}`)
	p := patched.json(t)["properties"].(map[string]any)
	if patched.status != 200 || p["fatalities"].(float64) != 8 || p["notes"] != nil || p["location"] != "Musa Qala" {
		t.Fatalf("patch: %d %s", patched.status, patched.body)
	}
	if res := do(t, "GET", loc, "", "", "If-None-Match", etag); res.status != 200 {
		t.Fatalf("after a write the old ETag must not match: status %d", res.status)
	}
	if res := do(t, "DELETE", loc, testToken, ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	if res := do(t, "GET", loc, "", ""); res.status != 404 || res.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("get deleted: %d %s", res.status, res.body)
	}
	if res := do(t, "GET", srv.URL+"/healthz", "", ""); res.status != 200 {
		t.Fatalf("healthz: %d", res.status)
	}
}

func TestGzipAndCORS(t *testing.T) {
	srv, _ := newServer(t)
	seed(t, srv.URL)
	res := do(t, "GET", srv.URL+"/api/incidents", "", "", "Accept-Encoding", "gzip", "Origin", "https://example.org")
	if res.header.Get("Content-Encoding") != "gzip" || len(features(t, res)) != 5 {
		t.Fatalf("gzip: encoding %q", res.header.Get("Content-Encoding"))
	}
	if res.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatal("no CORS header on GET")
	}
}

// TestGzipConcurrent checks that compressors reused across requests never
// mix responses: concurrent gzip requests for different pages each decode
// to the bytes of their identity form.
func TestGzipConcurrent(t *testing.T) {
	srv, _ := newServer(t)
	seed(t, srv.URL)
	paths := []string{"/api/incidents?limit=1", "/api/incidents?limit=3", "/api/incidents", "/ogc/collections/incidents/items?f=json&limit=2", "/api/clusters?zoom=3"}
	want := map[string]string{}
	for _, p := range paths {
		res := do(t, "GET", srv.URL+p, "", "")
		if res.status != http.StatusOK || res.header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: %d, encoding %q", p, res.status, res.header.Get("Content-Encoding"))
		}
		want[p] = stripVolatile(string(res.body))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(paths))
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				p := paths[(c+i)%len(paths)]
				res := do(t, "GET", srv.URL+p, "", "", "Accept-Encoding", "gzip")
				if res.header.Get("Content-Encoding") != "gzip" || stripVolatile(string(res.body)) != want[p] {
					errs <- fmt.Sprintf("%s: encoding %q, body %.200s", p, res.header.Get("Content-Encoding"), res.body)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// stripVolatile removes what differs between two requests for the same
// page: the OGC timeStamp.
func stripVolatile(body string) string {
	if i := strings.Index(body, `"timeStamp":`); i >= 0 {
		if j := strings.IndexByte(body[i:], '\n'); j >= 0 {
			return body[:i] + body[i+j:]
		}
	}
	return body
}

// TestBadInput checks that each kind of bad input gets a 4xx problem naming
// the parameter or field, and that nothing is written.
func TestBadInput(t *testing.T) {
	srv, st := newServer(t)
	seed(t, srv.URL)
	good := feature(64.7, 32.4, "2019-09-23", "X", 1)
	tests := []struct {
		name, method, path, token, body string
		status                          int
		param, field                    string
	}{
		{"malformed json", "POST", "/api/incidents", testToken, `{"type":"Feature",`, 400, "", "body"},
		{"no geometry", "POST", "/api/incidents", testToken, `{"type":"Feature","geometry":null,"properties":{"event_date":"2019-01-01"}}`, 400, "", "geometry"},
		{"lon out of range", "POST", "/api/incidents", testToken, feature(190, 32.4, "2019-09-23", "X", 1), 400, "", "geometry.coordinates"},
		{"lat out of range", "POST", "/api/incidents", testToken, feature(64, -91, "2019-09-23", "X", 1), 400, "", "geometry.coordinates"},
		{"NaN", "POST", "/api/incidents", testToken, `{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]},"properties":{"event_date":"2019-01-01"}}`, 400, "", "body"},
		{"unclosed ring", "POST", "/api/incidents", testToken, `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]},"properties":{"event_date":"2019-01-01"}}`, 400, "", "geometry.coordinates[0]"},
		{"bad date", "POST", "/api/incidents", testToken, feature(64, 32, "23/09/2019", "X", 1), 400, "", "properties.event_date"},
		{"unknown property", "POST", "/api/incidents", testToken, `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,1]},"properties":{"event_date":"2019-01-01","fatalitys":3}}`, 400, "", "properties.fatalitys"},
		{"negative fatalities", "POST", "/api/incidents", testToken, feature(64, 32, "2019-09-23", "X", -1), 400, "", "properties.fatalities"},
		{"bad event type", "POST", "/api/incidents", testToken, strings.Replace(good, "Battles", "Battle", 1), 400, "", "properties.event_type"},
		{"one bad in batch", "POST", "/api/incidents", testToken, collection(good, feature(64, 32, "2019-13-01", "Y", 1)), 400, "", "features[1].properties.event_date"},
		{"body too large", "POST", "/api/incidents", testToken, collection(good, strings.Replace(good, `"notes":"`, `"notes":"`+strings.Repeat("x", 1<<20), 1)), 413, "", ""},
		{"no token", "POST", "/api/incidents", "", good, 401, "", ""},
		{"wrong token", "POST", "/api/incidents", "nope", good, 401, "", ""},
		{"wrong token delete", "DELETE", "/api/incidents/x", "nope", "", 401, "", ""},
		{"bbox 3 numbers", "GET", "/api/incidents?bbox=1,2,3", "", "", 400, "bbox", ""},
		{"bbox lat min>max", "GET", "/api/incidents?bbox=0,10,1,5", "", "", 400, "bbox", ""},
		{"bbox not numbers", "GET", "/api/incidents?bbox=a,b,c,d", "", "", 400, "bbox", ""},
		{"unknown param", "GET", "/api/incidents?bbx=1,2,3,4", "", "", 400, "bbx", ""},
		{"limit zero", "GET", "/api/incidents?limit=0", "", "", 400, "limit", ""},
		{"limit abc", "GET", "/api/incidents?limit=abc", "", "", 400, "limit", ""},
		{"bad start", "GET", "/api/incidents?start=yesterday", "", "", 400, "start", ""},
		{"end before start", "GET", "/api/incidents?start=2020-01-02&end=2020-01-01", "", "", 400, "end", ""},
		{"bad country", "GET", "/api/incidents?country=Afghanistan", "", "", 400, "country", ""},
		{"bad cursor", "GET", "/api/incidents?cursor=bm90LWEtY3Vyc29y", "", "", 400, "cursor", ""},
		{"bad escape", "GET", "/api/incidents?cursor=%zz", "", "", 400, "cursor", ""},
		{"bad min_fatalities", "GET", "/api/incidents?min_fatalities=-1", "", "", 400, "min_fatalities", ""},
		{"repeated param", "GET", "/api/incidents?q=a&q=b", "", "", 400, "q", ""},
		{"patch unknown", "PATCH", "/api/incidents/nope", testToken, `{}`, 404, "", ""},
		{"unknown path", "GET", "/api/nothing", "", "", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, tt.method, srv.URL+tt.path, tt.token, tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			p := res.json(t)
			if p["status"].(float64) != float64(tt.status) || p["title"] == "" {
				t.Fatalf("problem %v", p)
			}
			if tt.param != "" && p["param"] != tt.param {
				t.Fatalf("param = %v, want %q (%v)", p["param"], tt.param, p)
			}
			if tt.field != "" && p["field"] != tt.field {
				t.Fatalf("field = %v, want %q (%v)", p["field"], tt.field, p)
			}
		})
	}
	n, err := st.Count(context.Background(), store.Query{})
	if err != nil || n != 5 {
		t.Fatalf("after bad input the store holds %d incidents (err %v), want the 5 seeded", n, err)
	}
}

func BenchmarkList1000(b *testing.B) {
	srv, st := newServer(b)
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(feature(60+float64(i%100)/10, 30+float64(i/100)/10, "2020-01-01", "Place", i%9))
	}
	buf.WriteString(`]}`)
	_ = st
	if res := do(b, "POST", srv.URL+"/api/incidents", testToken, buf.String()); res.status != 201 {
		b.Fatalf("%d %s", res.status, res.body)
	}
	h := srv.Config.Handler
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/incidents?limit=1000", nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
