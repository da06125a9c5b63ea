package incident_test

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// BenchmarkValidate checks an imported incident with tags and sources:
// every row of an import is validated twice (by the reader and by the
// store), every API write once.
func BenchmarkValidate(b *testing.B) {
	in := incident.Incident{ID: "01a213f5-656a-7ec3-a4aa-a98021afe2eb", EventDate: "2019-09-23", DatePrecision: incident.PrecisionDay,
		EventType: incident.Battles, SubEventType: "Armed clash", Actor1: "Taliban", Actor2: "Military Forces of Afghanistan",
		Fatalities: incident.Int(7), Location: "Musa Qala", Admin1: "Helmand", Admin2: "Musa Qala", Country: "AF", GeoPrecision: 1,
		Notes: "A raid on a compound.", Tags: []string{"women targeted: girls", "local administrators"}, Geometry: orb.Point{64.74486, 32.44565},
		Sources: []incident.Source{{Publisher: "Reuters"}, {URL: "https://example.org/a", Evidence: "He was killed during a raid.", Published: "2019-09-24"}}}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
