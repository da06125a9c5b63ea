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
			cs, err := s.Clusters(ctx, tc.q, tc.zoom)
			if err != nil {
				t.Fatal(err)
			}
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

	cs, err := s.Clusters(ctx, store.Query{BBox: &geo.BBox{MinLon: 60, MinLat: 30, MaxLon: 65, MaxLat: 32}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
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
	if len(alone) != 1 || alone[0].ID == "" || alone[0].Count != 1 {
		t.Errorf("a lone incident's cluster should carry its id: %+v", alone)
	}
}

func TestTimeline(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.Insert(ctx, []incident.Incident{
		pt(64.37, 31.58, "2019-09-10"), pt(64.37, 31.58, "2019-09-10"), pt(64.74, 32.44, "2019-09-23"),
	}); err != nil {
		t.Fatal(err)
	}
	days, err := s.Timeline(ctx, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.DayCount{{"2019-09-10", 2}, {"2019-09-23", 1}}
	if fmt.Sprint(days) != fmt.Sprint(want) {
		t.Errorf("Timeline = %v, want %v", days, want)
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
	for b.Loop() {
		if _, err := s.Clusters(ctx, store.Query{}, 2); err != nil {
			b.Fatal(err)
		}
	}
}
