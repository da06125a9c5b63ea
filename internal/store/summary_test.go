package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
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

// TestSummarizeCountriesIndexed checks the counts per country the index
// gives against SQL's, for random filters, before and after writes.
func TestSummarizeCountriesIndexed(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 13))
	indexed, plain, stored := builtPair(t, rng, 2000)
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
			got, err := indexed.SummarizeAreas(ctx, q, false)
			if err != nil {
				t.Fatal(err)
			}
			want, err := plain.SummarizeAreas(ctx, q, false)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: query %+v: index says %+v, SQL %+v", when, q, got, want)
			}
		}
	}
	check("built")
	if err := indexed.Delete(ctx, stored[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := indexed.Insert(ctx, varied(rng, 30)); err != nil {
		t.Fatal(err)
	}
	check("after a delete and an insert")
}
