package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// clusterFeature is one cluster as a GeoJSON Feature: a point at the
// members' mean position, the members' bound as the Feature's bbox, and the
// incident's id when the cluster holds exactly one.
type clusterFeature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id,omitempty"`
	BBox       [4]float64        `json:"bbox"`
	Geometry   pointGeometry     `json:"geometry"`
	Properties clusterProperties `json:"properties"`
}

type clusterProperties struct {
	Count      int64            `json:"count"`
	Fatalities int64            `json:"fatalities"`
	EventTypes map[string]int64 `json:"event_types"`
	Samples    int64            `json:"samples"`
}

// timelineBucket counts incidents in one day, month or year; key is
// YYYY-MM-DD, YYYY-MM or YYYY.
type timelineBucket struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

type timeline struct {
	Unit    string           `json:"unit"` // day | month | year
	Buckets []timelineBucket `json:"buckets"`
}

// clustersResponse is the body of GET /api/clusters.
type clustersResponse struct {
	Type          string           `json:"type"`
	NumberMatched int64            `json:"numberMatched"`
	Zoom          int              `json:"zoom"`
	Features      []clusterFeature `json:"features"`
	Timeline      timeline         `json:"timeline"`
}

// handleClusters answers GET /api/clusters?bbox=&zoom=&<incident filters>:
// the matching incidents grouped on a grid of about 64 screen pixels at the
// map zoom, so the page can show 100,000 incidents as a few hundred
// symbols, plus counts over time for the page's histogram. The timeline
// ignores start and end, so the histogram keeps showing the dates outside
// the chosen range.
func (s *Server) handleClusters(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, append(incidentFilterParams(), "zoom")...); err != nil {
		return err
	}
	q, err := parseIncidentFilters(r)
	if err != nil {
		return err
	}
	zoom := 0
	if v := r.URL.Query().Get("zoom"); v != "" {
		zoom, err = strconv.Atoi(v)
		if err != nil || zoom < 0 || zoom > 30 {
			return badParam("zoom", "must be a whole number from 0 to 30 (the map's zoom level), not %q", v)
		}
	}
	if fresh, err := s.checkETag(w, r); err != nil || fresh {
		return err
	}
	set, err := s.store.Clusters(r.Context(), q, zoom)
	if err != nil {
		return err
	}
	resp := clustersResponse{Type: "FeatureCollection", Zoom: zoom, Features: make([]clusterFeature, 0, len(set.Clusters)),
		Timeline: bucketDays(set.Days)}
	for _, c := range set.Clusters {
		resp.NumberMatched += c.Count
		resp.Features = append(resp.Features, clusterFeature{
			Type: "Feature", ID: c.ID,
			BBox:     [4]float64{c.Bound.Min[0], c.Bound.Min[1], c.Bound.Max[0], c.Bound.Max[1]},
			Geometry: pointOf(c.Center),
			Properties: clusterProperties{Count: c.Count, Fatalities: c.Fatalities,
				EventTypes: c.EventTypes, Samples: c.Samples},
		})
	}
	return writeJSON(w, r, http.StatusOK, geoJSONType, resp)
}

// bucketDays picks the histogram's unit from the span of dates: days up to
// four months, months up to fifteen years, years beyond.
func bucketDays(days []store.DayCount) timeline {
	t := timeline{Unit: "day", Buckets: []timelineBucket{}}
	if len(days) == 0 {
		return t
	}
	first, err1 := time.Parse(incident.DateLayout, days[0].Date)
	last, err2 := time.Parse(incident.DateLayout, days[len(days)-1].Date)
	span := last.Sub(first)
	switch {
	case err1 != nil || err2 != nil:
		t.Unit = "year" // a malformed date still sorts; years need only its first four characters
	case span > 15*366*24*time.Hour:
		t.Unit = "year"
	case span > 120*24*time.Hour:
		t.Unit = "month"
	}
	keyLen := map[string]int{"day": 10, "month": 7, "year": 4}[t.Unit]
	for _, d := range days {
		if len(d.Date) < keyLen {
			continue
		}
		k := d.Date[:keyLen]
		if n := len(t.Buckets); n > 0 && t.Buckets[n-1].Key == k {
			t.Buckets[n-1].Count += d.Count
			continue
		}
		t.Buckets = append(t.Buckets, timelineBucket{Key: k, Count: d.Count})
	}
	return t
}
