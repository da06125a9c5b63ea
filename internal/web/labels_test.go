package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
)

// TestPlaceLabels checks that /api/places/labels offers more places as the
// zoom grows, capitals first, admin1 names at mid zoom only, within the
// bbox (across the antimeridian too), cacheable, and that bad parameters
// are 400s naming the parameter.
func TestPlaceLabels(t *testing.T) {
	srv := newPlacesServer(t)
	type want struct {
		has, lacks []string // names (ids) present or absent
		minN, maxN int
	}
	tests := []struct {
		name, query string
		want        want
	}{
		{"world at zoom 3 names capitals only", "bbox=-180,-85,180,85&zoom=3",
			want{has: []string{"geonames:1138958" /* Kabul */, "geonames:98182" /* Baghdad */}, lacks: []string{"geonames:1134720" /* Lashkar Gah */}, minN: 100, maxN: 400}},
		{"Helmand at zoom 5: admin1 and its seat", "bbox=60,29,68,35&zoom=5",
			want{has: []string{"geonames-admin1:AF.10", "geonames:1134720"}, lacks: []string{"geonames:1132604" /* Musa Qala */}, minN: 3, maxN: 60}},
		{"Helmand at zoom 9: district towns too", "bbox=63,31,66,33&zoom=9",
			want{has: []string{"geonames-admin1:AF.10", "geonames:1134720", "geonames:1132604"}, minN: 10, maxN: 400}},
		{"Helmand at zoom 12: no admin1 name any more", "bbox=64.2,31.4,64.6,31.8&zoom=12",
			want{has: []string{"geonames:1134720"}, lacks: []string{"geonames-admin1:AF.10"}, minN: 1, maxN: 400}},
		{"across the antimeridian: Fiji's capital", "bbox=170,-25,-170,-10&zoom=5",
			want{has: []string{"geonames:2198148" /* Suva */}, minN: 1, maxN: 400}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, http.MethodGet, srv.URL+"/api/places/labels?"+tt.query, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if cc := r.header.Get("Cache-Control"); cc != "public, max-age=86400" {
				t.Errorf("Cache-Control = %q", cc)
			}
			fs := features(t, r)
			if len(fs) < tt.want.minN || len(fs) > tt.want.maxN {
				t.Errorf("%d labels, want %d..%d", len(fs), tt.want.minN, tt.want.maxN)
			}
			ids := map[string]bool{}
			q, _ := url.ParseQuery(tt.query)
			for _, f := range fs {
				ids[f["id"].(string)] = true
				c := f["geometry"].(map[string]any)["coordinates"].([]any)
				if !inBBox(t, q.Get("bbox"), c[0].(float64), c[1].(float64)) {
					t.Errorf("%v at %v is outside %s", f["id"], c, q.Get("bbox"))
				}
			}
			for _, id := range tt.want.has {
				if !ids[id] {
					t.Errorf("no label %s", id)
				}
			}
			for _, id := range tt.want.lacks {
				if ids[id] {
					t.Errorf("label %s should not show at this zoom", id)
				}
			}
		})
	}

	bad := []struct{ query, param string }{
		{"zoom=5", "bbox"},
		{"bbox=1,2&zoom=5", "bbox"},
		{"bbox=0,0,10,10", "zoom"},
		{"bbox=0,0,10,10&zoom=99", "zoom"},
		{"bbox=0,0,10,10&zoom=5&limit=3", "limit"},
	}
	for _, b := range bad {
		r := do(t, http.MethodGet, srv.URL+"/api/places/labels?"+b.query, "", "")
		if m := r.json(t); r.status != http.StatusBadRequest || m["param"] != b.param {
			t.Errorf("%s: %d %v, want 400 naming %s", b.query, r.status, m, b.param)
		}
	}
}

func inBBox(t *testing.T, bbox string, lon, lat float64) bool {
	t.Helper()
	b, err := geo.ParseBBox(bbox)
	if err != nil {
		t.Fatal(err)
	}
	return b.Contains(orb.Point{lon, lat})
}
