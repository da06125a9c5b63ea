package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

func openTemp(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func pt(lon, lat float64, date string) incident.Incident {
	return incident.Incident{EventDate: date, Geometry: orb.Point{lon, lat}, EventType: incident.Battles, Fatalities: incident.Int(1)}
}

func ids(t *testing.T, s *store.Store, q store.Query) []string {
	t.Helper()
	var out []string
	_, err := s.Query(context.Background(), q, func(in *incident.Incident) error {
		out = append(out, in.Location)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestInsertGetQuery(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mk := func(name string, lon, lat float64, date, end string) incident.Incident {
		in := pt(lon, lat, date)
		in.Location, in.EventEndDate = name, end
		return in
	}
	stored, err := s.Insert(ctx, []incident.Incident{
		mk("Musa Qala", 64.7449, 32.4456, "2019-09-23", ""),
		mk("Lashkar Gah", 64.3692, 31.583, "2019-09-10", "2019-09-12"),
		mk("Suva", 178.44, -18.14, "2019-09-15", ""),
		mk("Apia", -171.76, -13.83, "2019-10-01", ""),
		mk("Kabul", 69.17, 34.53, "2018-01-01", ""),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, stored[0].ID)
	if err != nil || got.Location != "Musa Qala" || got.Created.IsZero() {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(nope) err = %v, want ErrNotFound", err)
	}
	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"all ascending", store.Query{}, []string{"Kabul", "Lashkar Gah", "Suva", "Musa Qala", "Apia"}},
		{"bbox helmand", store.Query{BBox: &geo.BBox{MinLon: 64, MinLat: 31.5, MaxLon: 65.5, MaxLat: 33}}, []string{"Lashkar Gah", "Musa Qala"}},
		{"antimeridian", store.Query{BBox: &geo.BBox{MinLon: 170, MinLat: -30, MaxLon: -170, MaxLat: 0}}, []string{"Suva", "Apia"}},
		{"date overlap", store.Query{Start: "2019-09-11", End: "2019-09-30"}, []string{"Lashkar Gah", "Suva", "Musa Qala"}},
		{"text", store.Query{Text: "gah"}, []string{"Lashkar Gah"}},
		{"desc limit", store.Query{Desc: true, Limit: 2}, []string{"Apia", "Musa Qala"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(t, s, tt.q)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
