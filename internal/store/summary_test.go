package store_test

import (
	"context"
	"fmt"
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
