package store

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// TestAreaDictionaryFull: once every area code is taken, a new admin1
// name must not make its row unindexable (the whole index would go), and
// summaries by admin1 and admin1 filters must go to SQL while summaries
// by country stay indexed.
func TestAreaDictionaryFull(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "full.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := incident.Incident{EventDate: "2020-01-01", Country: "AF", Admin1: "Kabul", Geometry: orb.Point{69, 34}}
	if _, err := s.Insert(ctx, []incident.Incident{in}); err != nil {
		t.Fatal(err)
	}
	if err := s.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	x := s.index.Load()
	if _, ok := x.compile(Query{Admin1: "kabul"}); !ok {
		t.Fatal("the index refused an admin1 filter before its dictionary was full")
	}
	var buf [64]byte
	for i := len(x.areas.names); i <= math.MaxUint16; i++ {
		if _, err := x.areas.code(areaKey(buf[:], []byte("AF"), fmt.Appendf(nil, "Area %d", i)), false); err != nil {
			t.Fatalf("area %d: %v", i, err)
		}
	}
	if x.areas.isFull() {
		t.Fatal("full before a value was refused")
	}
	in.Admin1 = "One too many"
	if _, err := s.Insert(ctx, []incident.Incident{in}); err != nil {
		t.Fatal(err)
	}
	if !IndexInStep(ctx, s) || !x.areas.isFull() {
		t.Fatalf("in step %v, full %v: want the index kept and the dictionary full", IndexInStep(ctx, s), x.areas.isFull())
	}
	if _, ok := x.compile(Query{Admin1: "kabul"}); ok {
		t.Error("the index took an admin1 filter with its area dictionary full: new names would all be area 0")
	}
	for _, tt := range []struct {
		byAdmin1, indexed bool
		rows              int
	}{{false, true, 1}, {true, false, 2}} {
		if _, ok, err := s.indexedAreas(ctx, Query{}, tt.byAdmin1); err != nil || ok != tt.indexed {
			t.Errorf("by admin1 %v: indexed %v (%v), want %v", tt.byAdmin1, ok, err, tt.indexed)
		}
		sum, err := s.SummarizeAreas(ctx, Query{}, tt.byAdmin1)
		if err != nil || len(sum.Areas) != tt.rows {
			t.Errorf("by admin1 %v: %+v (%v), want %d rows", tt.byAdmin1, sum, err, tt.rows)
		}
	}
}
