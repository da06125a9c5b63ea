package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestSummarizeAreasRows checks which summaries are capped: by admin1 at
// store.MaxAreaRows (the rest counted as truncated), by country never (a
// choropleth shades every country).
func TestSummarizeAreasRows(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const countries = store.MaxAreaRows + 30
	var ins []incident.Incident
	for i := range countries {
		// Country i holds i+1 incidents, so the order is known.
		code := fmt.Sprintf("%c%c", 'A'+i/26, 'A'+i%26)
		for range i + 1 {
			in := pt(float64(i%180), 0, "2020-01-01")
			in.Country, in.Admin1 = code, "Area "+code
			ins = append(ins, in)
		}
	}
	if _, err := s.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		byAdmin1      bool
		rows          int
		truncated     int64
		first, lastCC string
	}{
		{"by country", false, countries, 0, "EZ", "AA"},
		{"by admin1", true, store.MaxAreaRows, countries - store.MaxAreaRows, "EZ", "BE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := s.SummarizeAreas(ctx, store.Query{}, tt.byAdmin1)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Areas) != tt.rows || sum.Truncated != tt.truncated {
				t.Fatalf("%d rows, %d truncated; want %d and %d", len(sum.Areas), sum.Truncated, tt.rows, tt.truncated)
			}
			first, last := sum.Areas[0], sum.Areas[len(sum.Areas)-1]
			if first.Country != tt.first || last.Country != tt.lastCC || first.Incidents != countries {
				t.Errorf("rows run from %+v to %+v, want %s (%d incidents) to %s", first, last, tt.first, countries, tt.lastCC)
			}
		})
	}
}

// TestSummarizeAreasIndexed checks the counts per country and per admin1
// the index gives against SQL's, for random filters, before and after
// writes, and after another program wrote an empty admin1 and country
// where incidentmap writes NULL (SQL groups both as one area).
func TestSummarizeAreasIndexed(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 13))
	path := filepath.Join(t.TempDir(), "areas.gpkg")
	indexed, plain := openAt(t, path), openAt(t, path)
	stored, err := indexed.Insert(ctx, varied(rng, 2000))
	if err != nil {
		t.Fatal(err)
	}
	if err := indexed.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		if !store.IndexInStep(ctx, indexed) {
			t.Fatalf("%s: the index is not in step: the summary would come from SQL", when)
		}
		for i := range 40 {
			q := randomQuery(rng)
			if i == 0 {
				q = store.Query{}
			}
			for _, byAdmin1 := range []bool{false, true} {
				got, err := indexed.SummarizeAreas(ctx, q, byAdmin1)
				if err != nil {
					t.Fatal(err)
				}
				want, err := plain.SummarizeAreas(ctx, q, byAdmin1)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: by admin1 %v, query %+v:\nindex %+v\nSQL   %+v", when, byAdmin1, q, got, want)
				}
			}
		}
	}
	check("built")
	all, err := plain.SummarizeAreas(ctx, store.Query{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if all.Truncated == 0 || all.Areas[0].Admin1 == "" {
		t.Fatalf("the fixture should hold more than %d areas, most with an admin1: %+v", store.MaxAreaRows, all)
	}
	if err := indexed.Delete(ctx, stored[0].ID); err != nil {
		t.Fatal(err)
	}
	moved := stored[1]
	moved.Admin1 = "Moved"
	if _, err := indexed.Update(ctx, moved); err != nil {
		t.Fatal(err)
	}
	if _, err := indexed.Insert(ctx, varied(rng, 30)); err != nil {
		t.Fatal(err)
	}
	check("after a delete, an update and an insert")

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "UPDATE incidents SET admin1 = '', country = '' WHERE fid % 7 = 0"); err != nil {
		t.Fatal(err)
	}
	if err := indexed.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	check("after empty names were written beside NULLs")
}
