package web

import (
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/geo"
)

// BenchmarkLabelQuery times one labels lookup at the two ends: the world
// at zoom 3 (stops early) and a close view at zoom 12 (walks the index).
//
//	go test -run '^$' -bench LabelQuery ./internal/web/
func BenchmarkLabelQuery(b *testing.B) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	ix := newLabelIndex(gaz)
	for _, bc := range []struct {
		name string
		box  geo.BBox
		zoom int
	}{
		{"world-z3", geo.BBox{MinLon: -180, MinLat: -85, MaxLon: 180, MaxLat: 85}, 3},
		{"helmand-z9", geo.BBox{MinLon: 63, MinLat: 31, MaxLon: 66, MaxLat: 33}, 9},
		{"town-z12", geo.BBox{MinLon: 64.2, MinLat: 31.4, MaxLon: 64.6, MaxLat: 31.8}, 12},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				ix.query(bc.box, bc.zoom, maxLabels)
			}
		})
	}
}
