package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

type clustersBody struct {
	Type          string `json:"type"`
	NumberMatched int64  `json:"numberMatched"`
	Features      []struct {
		ID         string     `json:"id"`
		BBox       [4]float64 `json:"bbox"`
		Geometry   struct{ Coordinates [2]float64 }
		Properties struct {
			Count      int64            `json:"count"`
			Fatalities int64            `json:"fatalities"`
			EventTypes map[string]int64 `json:"event_types"`
		} `json:"properties"`
	} `json:"features"`
	Timeline struct {
		Unit    string `json:"unit"`
		Buckets []struct {
			Key   string `json:"key"`
			Count int64  `json:"count"`
		} `json:"buckets"`
	} `json:"timeline"`
}

func TestClusters(t *testing.T) {
	srv, _ := newServer(t)
	seed(t, srv.URL)
	for _, tc := range []struct {
		name     string
		query    string
		matched  int64
		clusters int
		buckets  int // timeline buckets: start and end do not narrow them
	}{
		// The seed spans 53 days, so the timeline counts days: 5 of them.
		{"world at zoom 1: Afghanistan, Fiji, Samoa", "zoom=1", 5, 3, 5},
		{"zoom 9 parts every town", "zoom=9", 5, 5, 5},
		{"bbox over Helmand", "zoom=2&bbox=60,30,66,33", 2, 1, 2},
		{"antimeridian bbox", "zoom=3&bbox=170,-20,-170,-10", 2, 2, 2},
		{"dates narrow the clusters, not the timeline", "zoom=1&start=2019-09-12", 3, 3, 5},
		{"other filters narrow both", "zoom=1&min_fatalities=3", 2, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, "GET", srv.URL+"/api/clusters?"+tc.query, "", "")
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			var body clustersBody
			if err := json.Unmarshal(res.body, &body); err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, f := range body.Features {
				sum += f.Properties.Count
				if f.Properties.Count == 1 && f.ID == "" {
					t.Errorf("a cluster of one should carry the incident's id: %+v", f)
				}
				lon, lat := f.Geometry.Coordinates[0], f.Geometry.Coordinates[1]
				if lon < f.BBox[0] || lon > f.BBox[2] || lat < f.BBox[1] || lat > f.BBox[3] {
					t.Errorf("cluster centre %v outside its bbox %v", f.Geometry.Coordinates, f.BBox)
				}
			}
			if body.Type != "FeatureCollection" || body.NumberMatched != tc.matched || sum != tc.matched || len(body.Features) != tc.clusters {
				t.Errorf("got %d clusters holding %d (numberMatched %d), want %d holding %d", len(body.Features), sum, body.NumberMatched, tc.clusters, tc.matched)
			}
			// The list endpoint must agree, since the page compares them.
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			v.Del("zoom")
			list := features(t, do(t, "GET", srv.URL+"/api/incidents?limit=1000&"+v.Encode(), "", ""))
			if int64(len(list)) != tc.matched {
				t.Errorf("/api/incidents lists %d, clusters hold %d", len(list), tc.matched)
			}
			if len(body.Timeline.Buckets) != tc.buckets {
				t.Errorf("timeline %+v, want %d buckets", body.Timeline, tc.buckets)
			}
		})
	}

	for _, tc := range []struct{ query, param string }{
		{"zoom=-1", "zoom"},
		{"zoom=street", "zoom"},
		{"bbox=1,2,3", "bbox"},
		{"event_type=Skirmish", "event_type"},
		{"limit=5", "limit"},
	} {
		t.Run("bad "+tc.query, func(t *testing.T) {
			res := do(t, "GET", srv.URL+"/api/clusters?"+tc.query, "", "")
			if res.status != http.StatusBadRequest || res.json(t)["param"] != tc.param {
				t.Errorf("status %d, body %s; want 400 naming %s", res.status, res.body, tc.param)
			}
		})
	}
}
