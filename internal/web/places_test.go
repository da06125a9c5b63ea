package web_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/web"
)

// The built-in gazetteer takes most of a second to load: share one.
var (
	gazOnce sync.Once
	gazVal  *gazetteer.Gazetteer
	gazErr  error
)

// builtinGazetteer returns the built-in gazetteer, loaded once for all tests.
func builtinGazetteer(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	gazOnce.Do(func() { gazVal, gazErr = gazetteer.Builtin() })
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	return gazVal
}

// newPlacesServer starts the real router over a temporary database and the
// built-in gazetteer.
func newPlacesServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv, _ := startServer(t, web.Config{Token: testToken}, builtinGazetteer(t))
	return srv
}

func TestPlacesSearch(t *testing.T) {
	srv := newPlacesServer(t)
	tests := []struct {
		query   string
		wantID  string
		wantLvl string
	}{
		{"q=" + url.QueryEscape("Mūsá Qal‘ah"), "geonames:1132604", "place"},
		{"q=Musa+Kala", "geonames:1132604", "place"},
		{"q=Helmand", "geonames-admin1:AF.10", "admin1"},
		{"q=Musa+Qala&level=admin2", "geonames-admin2:AF.10.2304", "admin2"},
		{"q=Hyderabad&country=pk", "geonames:1176734", "place"},
		{"q=Paris", "geonames:2988507", "place"},
		{"q=Paris&near=-95.55,33.66", "geonames:4717560", "place"},
		{"q=Springfield&admin1=Missouri", "geonames:4409896", "place"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := do(t, http.MethodGet, srv.URL+"/api/places?"+tt.query, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			m := r.json(t)
			if a, _ := m["attribution"].(string); !strings.Contains(a, "GeoNames") || !strings.Contains(a, "Natural Earth") {
				t.Errorf("attribution = %q", a)
			}
			fs := features(t, r)
			if len(fs) == 0 {
				t.Fatalf("no features: %s", r.body)
			}
			props := fs[0]["properties"].(map[string]any)
			if fs[0]["id"] != tt.wantID || props["level"] != tt.wantLvl {
				t.Errorf("first = %v (%v), want %s (%s)", fs[0]["id"], props["level"], tt.wantID, tt.wantLvl)
			}
			if props["rank"] != float64(1) || props["reason"] == "" || props["score"] == nil {
				t.Errorf("ranking members missing: %v", props)
			}
		})
	}

	t.Run("hierarchy and geometry", func(t *testing.T) {
		r := do(t, http.MethodGet, srv.URL+"/api/places?q=Musa+Qala&limit=1", "", "")
		fs := features(t, r)
		if len(fs) != 1 {
			t.Fatalf("limit=1 gave %d features", len(fs))
		}
		geom := fs[0]["geometry"].(map[string]any)
		c := geom["coordinates"].([]any)
		if geom["type"] != "Point" || c[0].(float64) < 64.7 || c[1].(float64) < 32.4 {
			t.Errorf("geometry = %v", geom)
		}
		h := fs[0]["properties"].(map[string]any)["hierarchy"].([]any)
		var ids []string
		for _, x := range h {
			ids = append(ids, x.(map[string]any)["id"].(string))
		}
		if strings.Join(ids, " ") != "iso:AF geonames-admin1:AF.10 geonames-admin2:AF.10.2304" {
			t.Errorf("hierarchy = %v", ids)
		}
	})
	t.Run("boxes across the antimeridian are west > east", func(t *testing.T) {
		for _, c := range []struct {
			q    string
			want [4]float64 // west, south, east, north, rounded to the degree
		}{
			{"Fiji", [4]float64{175, -22, -178, -12}},
			{"Russia", [4]float64{20, 41, -170, 82}},
			{"Afghanistan", [4]float64{60, 29, 75, 38}},
		} {
			r := do(t, http.MethodGet, srv.URL+"/api/places?level=country&limit=1&q="+c.q, "", "")
			fs := features(t, r)
			if len(fs) != 1 {
				t.Fatalf("%s: %d features: %s", c.q, len(fs), r.body)
			}
			b, _ := fs[0]["bbox"].([]any)
			var got [4]float64
			for i := range got {
				if len(b) == 4 {
					got[i] = math.Round(b[i].(float64))
				}
			}
			if got != c.want {
				t.Errorf("%s bbox = %v, want about %v", c.q, b, c.want)
			}
		}
	})
	t.Run("no match is an empty collection", func(t *testing.T) {
		r := do(t, http.MethodGet, srv.URL+"/api/places?q=Xqzzvwk+Plonth", "", "")
		if r.status != http.StatusOK || len(features(t, r)) != 0 {
			t.Errorf("status %d body %s", r.status, r.body)
		}
	})
}

func TestPlacesBadInput(t *testing.T) {
	srv := newPlacesServer(t)
	tests := []struct {
		path, param string
	}{
		{"/api/places", "q"},
		{"/api/places?q=", "q"},
		{"/api/places?q=" + strings.Repeat("a", 201), "q"},
		{"/api/places?q=" + strings.Repeat("x", 10000), "q"},
		{"/api/places?q=Kabul%01", "q"},
		{"/api/places?q=Kab%ffl", "q"},
		{"/api/places?q=%27-%27", "q"},
		{"/api/places?q=Kabul&country=AFG", "country"},
		{"/api/places?q=Kabul&country=1x", "country"},
		{"/api/places?q=Kabul&near=64", "near"},
		{"/api/places?q=Kabul&near=200,10", "near"},
		{"/api/places?q=Kabul&near=a,b", "near"},
		{"/api/places?q=Kabul&level=town", "level"},
		{"/api/places?q=Kabul&limit=0", "limit"},
		{"/api/places?q=Kabul&cuntry=AF", "cuntry"},
		{"/api/places/reverse?lat=91&lon=0", "lat"},
		{"/api/places/reverse?lat=0&lon=-180.5", "lon"},
		{"/api/places/reverse?lat=abc&lon=0", "lat"},
		{"/api/places/reverse?lat=NaN&lon=0", "lat"},
		{"/api/places/reverse?lon=0", "lat"},
		{"/api/places/reverse?lat=0", "lon"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := do(t, http.MethodGet, srv.URL+tt.path, "", "")
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if p := r.json(t); p["param"] != tt.param {
				t.Errorf("param = %v, want %q (%v)", p["param"], tt.param, p["detail"])
			}
		})
	}
}

func TestPlaceGetAndReverse(t *testing.T) {
	srv := newPlacesServer(t)
	t.Run("get", func(t *testing.T) {
		r := do(t, http.MethodGet, srv.URL+"/api/places/geonames-admin1:AF.10", "", "")
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		m := r.json(t)
		props := m["properties"].(map[string]any)
		if m["id"] != "geonames-admin1:AF.10" || props["name"] != "Helmand" || props["coord_source"] != "seat" || m["attribution"] == nil {
			t.Errorf("got %s", r.body)
		}
	})
	t.Run("unknown id", func(t *testing.T) {
		r := do(t, http.MethodGet, srv.URL+"/api/places/geonames:0", "", "")
		if r.status != http.StatusNotFound || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("status %d %s", r.status, r.body)
		}
	})
	// A place the extractor learned from ACLED's notes (Kibera, which
	// the gazetteer lacks) is named by geoparse with an id /api/places
	// answers for.
	t.Run("learned place from geoparse", func(t *testing.T) {
		g := do(t, http.MethodPost, srv.URL+"/api/geoparse", "", "Police fired tear gas at protesters in Kibera, Nairobi.")
		ms, _ := g.json(t)["mentions"].([]any)
		id := ""
		for _, m := range ms {
			if p, ok := m.(map[string]any)["place"].(map[string]any); ok && strings.HasPrefix(p["id"].(string), "learned") {
				id = p["id"].(string)
			}
		}
		if id == "" {
			t.Fatalf("no learned place among the mentions: %s", g.body)
		}
		r := do(t, http.MethodGet, srv.URL+"/api/places/"+id, "", "")
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		props := r.json(t)["properties"].(map[string]any)
		if props["country"] != "KE" || props["coord_source"] != "learned" || props["name"] != "Kibera" {
			t.Errorf("got %s", r.body)
		}
	})
	t.Run("reverse", func(t *testing.T) {
		r := do(t, http.MethodGet, srv.URL+"/api/places/reverse?lat=32.44565&lon=64.74486", "", "")
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		roles := map[string]string{}
		for _, f := range features(t, r) {
			roles[f["properties"].(map[string]any)["role"].(string)] = f["id"].(string)
		}
		want := map[string]string{"country": "iso:AF", "admin1": "geonames-admin1:AF.10",
			"admin2": "geonames-admin2:AF.10.2304", "nearest": "geonames:1132604"}
		for role, id := range want {
			if roles[role] != id {
				t.Errorf("%s = %q, want %q", role, roles[role], id)
			}
		}
	})
	t.Run("reverse at sea", func(t *testing.T) {
		r := do(t, http.MethodGet, srv.URL+"/api/places/reverse?lat=0&lon=-30", "", "")
		if r.status != http.StatusOK || len(features(t, r)) != 0 {
			t.Errorf("status %d %s", r.status, r.body)
		}
	})
}

// TestWhileGazetteerLoads: a server started before its gazetteer has
// loaded answers everything that needs places 503 with Retry-After, and
// /readyz says not ready, while incidents and /healthz are served; once
// SetGazetteer hands it the gazetteer, the same requests succeed.
func TestWhileGazetteerLoads(t *testing.T) {
	gazOnce.Do(func() { gazVal, gazErr = gazetteer.Builtin() })
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	s, srv, _ := startAPI(t, web.Config{Token: testToken, GazetteerLoading: true}, nil)
	needPlaces := []struct{ method, path, body string }{
		{http.MethodGet, "/api/places?q=Kabul", ""},
		{http.MethodGet, "/api/places/geonames:1132604", ""},
		{http.MethodGet, "/api/places/reverse?lat=32.44&lon=64.74", ""},
		{http.MethodGet, "/api/places/labels?bbox=60,29,75,39&zoom=5", ""},
		{http.MethodGet, "/ogc/collections/places/items?name=Kabul", ""},
		{http.MethodGet, "/ogc/collections/places/items/geonames:1132604", ""},
		{http.MethodPost, "/api/geoparse", articleText},
		{http.MethodPost, "/api/articles?dry_run=true", articleText},
		{http.MethodPost, "/api/import?format=acled", "event_id_cnty,event_date,event_type,country,latitude,longitude,fatalities\nAFG1,2020-03-01,Battles,Afghanistan,32.45,64.74,1\n"},
		{http.MethodGet, "/readyz", ""},
	}
	for _, c := range needPlaces {
		r := do(t, c.method, srv.URL+c.path, testToken, c.body)
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
			t.Errorf("loading: %s %s: status %d, Retry-After %q: %s", c.method, c.path, r.status, r.header.Get("Retry-After"), r.body)
		}
	}
	for _, path := range []string{"/healthz", "/api/incidents"} {
		if r := do(t, http.MethodGet, srv.URL+path, "", ""); r.status != http.StatusOK {
			t.Errorf("loading: GET %s: status %d: %s", path, r.status, r.body)
		}
	}
	s.SetGazetteer(gazVal)
	for _, c := range needPlaces {
		if r := do(t, c.method, srv.URL+c.path, testToken, c.body); r.status != http.StatusOK {
			t.Errorf("loaded: %s %s: status %d: %s", c.method, c.path, r.status, r.body)
		}
	}
}
