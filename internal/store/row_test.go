package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// readBack returns the incident with id as Get, Query and Dump read it,
// failing when they differ.
func readBack(t *testing.T, s *store.Store, id string) incident.Incident {
	t.Helper()
	ctx := context.Background()
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var queried, dumped []incident.Incident
	if _, err := s.Query(ctx, store.Query{IDs: []string{id}}, func(in *incident.Incident) error {
		queried = append(queried, *in)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dump(ctx, 0, 1000, func(in *store.StoredIncident) error {
		if in.ID == id {
			dumped = append(dumped, in.Incident)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for name, other := range map[string][]incident.Incident{"Query": queried, "Dump": dumped} {
		if len(other) != 1 || !reflect.DeepEqual(other[0], got) {
			t.Fatalf("%s read %+v, Get read %+v", name, other, got)
		}
	}
	return got
}

// TestRowsReadExactly writes incidents with every field set, with text at
// the edges (control characters, the unit separator, empty and zero
// values) and reads them back unchanged: rows are read packed into one
// value per row.
func TestRowsReadExactly(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	full := incident.Incident{
		EventDate: "2024-02-29", EventEndDate: "2024-03-02", DatePrecision: incident.PrecisionWeek,
		EventType: incident.Battles, SubEventType: "Armed clash", Actor1: "A\x1fB", Actor2: "tab\there",
		AssocActor1: "naïve; café", AssocActor2: "line\nbreak", Inter1: "1", Inter2: "8",
		Fatalities: incident.Int(0), Injured: incident.Int(12), Location: "Ḩalab", Admin1: "Aleppo",
		Admin2: "Jebel Saman", Country: "SY", GeoPrecision: 2, PlaceID: "geonames:170063",
		Notes: "\"quoted\", 'apostrophes' and \\ backslash", Tags: []string{"a", "b,c"},
		Confidence: incident.Float(0.1 + 0.2), Sources: []incident.Source{{URL: "https://example.org/?a=1&b=2", Publisher: "Example"}},
		SourceEventID: "acled:SYR1", Geometry: orb.Point{37.16, 36.2},
	}
	bare := incident.Incident{EventDate: "1997-01-01", Geometry: orb.Point{0, 0}}
	stored, err := s.Insert(ctx, []incident.Incident{full, bare})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range stored {
		want.Status = incident.StatusPublished // what the store sets when none is given
		if got := readBack(t, s, want.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, want)
		}
	}
}

// TestRowsOtherProgramsWrote reads rows another program changed in ways
// incidentmap never writes — the packing separator and invalid UTF-8 in
// text, a NUL, a REAL in an integer column — the same through every read
// path, as the columns hold them.
func TestRowsOtherProgramsWrote(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	in := pt(10, 10, "2020-01-01")
	in.Location, in.Notes, in.Admin1 = "Place", "Notes", "Region"
	stored, err := s.Insert(ctx, []incident.Incident{in, pt(11, 11, "2020-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range stored {
		stored[i].Status = incident.StatusPublished
	}
	want := stored[0]
	want.Notes, want.Location, want.Admin1, want.Fatalities = "split \xff here", "x\x00y", "bad \xfe\xff utf-8", incident.Int(2)
	if _, err := s.DB().ExecContext(ctx, "UPDATE incidents SET notes = ?, location = ?, admin1 = ?, fatalities = 2.0 WHERE id = ?",
		want.Notes, want.Location, want.Admin1, want.ID); err != nil {
		t.Fatal(err)
	}
	got := readBack(t, s, want.ID)
	got.Updated = want.Updated // the update trigger of migration 0005 may stamp it
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
	if other := readBack(t, s, stored[1].ID); !reflect.DeepEqual(other, stored[1]) {
		t.Errorf("the row beside it read back\n%+v\nwant\n%+v", other, stored[1])
	}
}
