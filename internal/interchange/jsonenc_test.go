package interchange

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// TestAppendFeatureMatchesEncodingJSON checks the hand-written encoder
// against encoding/json on incidents with every field and awkward text.
func TestAppendFeatureMatchesEncodingJSON(t *testing.T) {
	full := incident.Incident{
		ID: "a\"b", EventDate: "2020-01-02", EventEndDate: "2020-01-05", DatePrecision: "week",
		EventType: incident.Battles, SubEventType: "Armed clash", Actor1: "A\\B", Actor2: "tab\there",
		AssocActor1: "x", AssocActor2: "y", Fatalities: incident.Int(3), CivilianFatalities: incident.Int(0),
		Location: "<Musa Qala> & \u2028 line", Admin1: "Helmand", Admin2: "Musa Qala", Country: "AF",
		GeoPrecision: 2, PlaceID: "geonames:1", Notes: "ctl\x01 bad\xff utf8 é 中", Tags: []string{"a", "b\"c"},
		Confidence: incident.Float(0.25), Sources: []incident.Source{{URL: "https://x/?a=1&b=<2>", Publisher: "P"}},
		SourceEventID: "acled:X1", Geometry: orb.Point{64.74486, -32.44565},
		Created: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC), Updated: time.Date(2026, 1, 2, 3, 4, 5, 7e6, time.UTC),
	}
	for name, in := range map[string]incident.Incident{
		"full":    full,
		"minimal": {EventDate: "2020-01-02", Geometry: orb.Point{0, 0}},
		"polygon": {EventDate: "2020-01-02", Geometry: orb.Polygon{{{1, 1}, {2, 1}, {2, 2}, {1, 1}}}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := appendFeature(nil, &in)
			if err != nil {
				t.Fatal(err)
			}
			var a, b any
			if err := json.Unmarshal(got, &a); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, got)
			}
			want, _ := json.Marshal(in.ToFeature())
			json.Unmarshal(want, &b)
			ga, _ := json.Marshal(a)
			gb, _ := json.Marshal(b)
			if string(ga) != string(gb) {
				t.Errorf("got  %s\nwant %s", ga, gb)
			}
		})
	}
}
