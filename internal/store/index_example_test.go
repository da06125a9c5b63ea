package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// A server builds the index once at start-up; from then on bbox pages,
// counts and clusters come from memory, and QueryFeatures writes a page's
// features as encoded GeoJSON.
func ExampleStore_BuildIndex() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	s, err := store.Open(ctx, filepath.Join(dir, "incidents.gpkg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	var ins []incident.Incident
	for i, date := range []string{"2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"} {
		ins = append(ins, incident.Incident{EventDate: date, EventType: incident.Protests,
			Location: fmt.Sprintf("Place %d", i), Geometry: orb.Point{69.1 + float64(i)/10, 34.5}})
	}
	if _, err := s.Insert(ctx, ins); err != nil {
		fmt.Println(err)
		return
	}
	if err := s.BuildIndex(ctx); err != nil {
		fmt.Println(err)
		return
	}
	box := geo.BBox{MinLon: 69, MinLat: 34, MaxLon: 69.25, MaxLat: 35}
	n, _ := s.Count(ctx, store.Query{BBox: &box})
	fmt.Println("in the box:", n)
	next, _ := s.Query(ctx, store.Query{BBox: &box, Desc: true, Limit: 1}, func(in *incident.Incident) error {
		fmt.Println("newest:", in.Location, in.EventDate)
		return nil
	})
	fmt.Println("more:", next != "")
	st, _ := s.IndexStats()
	fmt.Println("indexed:", st.Incidents)
	// Output:
	// in the box: 2
	// newest: Place 1 2024-03-02
	// more: true
	// indexed: 4
}
