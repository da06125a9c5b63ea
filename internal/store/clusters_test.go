package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

func TestClusters(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	helmand := func(lon, lat float64, date string, dead int, tags ...string) incident.Incident {
		in := pt(lon, lat, date)
		in.Fatalities, in.Tags = incident.Int(dead), tags
		return in
	}
	riot := helmand(64.40, 31.60, "2020-01-05", 0)
	riot.EventType = incident.Riots
	_, err := s.Insert(ctx, []incident.Incident{
		helmand(64.3692, 31.583, "2019-09-10", 3), // Lashkar Gah
		helmand(64.3700, 31.590, "2019-09-10", 2, "sample"),
		riot,
		helmand(64.7449, 32.4456, "2019-09-23", 7), // Musa Qala, ~100 km away
		helmand(-171.76, -13.83, "2019-10-01", 1),  // Apia
	})
	if err != nil {
		t.Fatal(err)
	}
	total := func(cs []store.Cluster) (n int64) {
		for _, c := range cs {
			n += c.Count
		}
		return n
	}
	for _, tc := range []struct {
		name     string
		zoom     int
		q        store.Query
		clusters int
		count    int64
	}{
		{name: "world at zoom 0: Helmand and Samoa", zoom: 0, clusters: 2, count: 5},
		{name: "zoom 8: Musa Qala apart from Lashkar Gah", zoom: 8, clusters: 3, count: 5},
		{name: "zoom 22: every incident alone", zoom: 22, clusters: 5, count: 5},
		{name: "bbox", zoom: 8, q: store.Query{BBox: &geo.BBox{MinLon: 60, MinLat: 30, MaxLon: 65, MaxLat: 32}}, clusters: 1, count: 3},
		{name: "event type", zoom: 8, q: store.Query{EventTypes: []string{incident.Riots}}, clusters: 1, count: 1},
		{name: "start date", zoom: 0, q: store.Query{Start: "2019-09-20"}, clusters: 2, count: 3},
		{name: "antimeridian bbox", zoom: 4, q: store.Query{BBox: &geo.BBox{MinLon: 170, MinLat: -20, MaxLon: -170, MaxLat: -10}}, clusters: 1, count: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := s.Clusters(ctx, tc.q, tc.zoom)
			if err != nil {
				t.Fatal(err)
			}
			cs := set.Clusters
			if len(cs) != tc.clusters || total(cs) != tc.count {
				t.Fatalf("got %d clusters holding %d incidents, want %d holding %d: %+v", len(cs), total(cs), tc.clusters, tc.count, cs)
			}
			want, err := s.Count(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if want != tc.count {
				t.Fatalf("Count says %d, clusters hold %d", want, tc.count)
			}
		})
	}

	set, err := s.Clusters(ctx, store.Query{BBox: &geo.BBox{MinLon: 60, MinLat: 30, MaxLon: 65, MaxLat: 32}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	c := set.Clusters[0]
	if c.Fatalities != 5 || c.Samples != 1 || c.EventTypes[incident.Battles] != 2 || c.EventTypes[incident.Riots] != 1 || c.ID != "" {
		t.Errorf("Lashkar Gah cluster = %+v", c)
	}
	if !c.Bound.Contains(c.Center) || !c.Bound.Contains(orb.Point{64.3692, 31.583}) {
		t.Errorf("centre %v or Lashkar Gah outside bound %v", c.Center, c.Bound)
	}
	alone, err := s.Clusters(ctx, store.Query{BBox: &geo.BBox{MinLon: -172, MinLat: -14, MaxLon: -171, MaxLat: -13}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(alone.Clusters) != 1 || alone.Clusters[0].Count != 1 {
		t.Fatalf("want one cluster of one: %+v", alone)
	}
	if got, err := s.Get(ctx, alone.Clusters[0].ID); err != nil || got.Point() != (orb.Point{-171.76, -13.83}) {
		t.Errorf("a lone incident's cluster should carry its id: %+v (%v, %v)", alone.Clusters[0], got.Point(), err)
	}
}

func TestClustersDays(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	spanning := pt(64.74, 32.44, "2019-08-30")
	spanning.EventEndDate = "2019-09-02"
	if _, err := s.Insert(ctx, []incident.Incident{
		pt(64.37, 31.58, "2019-09-10"), pt(64.37, 31.58, "2019-09-10"), pt(64.74, 32.44, "2019-09-23"), spanning,
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		start, end string
		matched    int64
	}{
		{"no dates", "", "", 4},
		{"start", "2019-09-11", "", 1},
		{"end", "", "2019-09-10", 3},
		{"a range inside a spanning incident finds it", "2019-09-01", "2019-09-01", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := store.Query{Start: tc.start, End: tc.end}
			set, err := s.Clusters(ctx, q, 0)
			if err != nil {
				t.Fatal(err)
			}
			var n int64
			for _, c := range set.Clusters {
				n += c.Count
			}
			want, err := s.Count(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.matched || want != tc.matched {
				t.Errorf("clusters hold %d, Count says %d, want %d", n, want, tc.matched)
			}
			// The days ignore the date range.
			wantDays := []store.DayCount{{"2019-08-30", 1}, {"2019-09-10", 2}, {"2019-09-23", 1}}
			if fmt.Sprint(set.Days) != fmt.Sprint(wantDays) {
				t.Errorf("Days = %v, want %v", set.Days, wantDays)
			}
		})
	}
}

func BenchmarkClusters(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b)
	batch := make([]incident.Incident, 0, 10_000)
	for i := range 10_000 {
		batch = append(batch, pt(-180+float64(i%3600)/10, -60+float64(i%1200)/10, fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%28)))
	}
	if _, err := s.Insert(ctx, batch); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Clusters(ctx, store.Query{}, 2); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sql", run)
	if err := s.BuildIndex(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("index", run)
}
