package store

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestIntersects(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
	holed := orb.Polygon{square[0], {{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}}}
	tests := []struct {
		name string
		a, b orb.Geometry
		want bool
	}{
		{"point inside polygon", orb.Point{5, 5}, square, true},
		{"point on polygon edge", orb.Point{10, 5}, square, true},
		{"point outside polygon", orb.Point{11, 5}, square, false},
		{"point in the hole", orb.Point{5, 5}, holed, false},
		{"point on the hole's edge", orb.Point{4, 5}, holed, true},
		{"same points", orb.Point{1, 2}, orb.Point{1, 2}, true},
		{"different points", orb.Point{1, 2}, orb.Point{1, 2.0001}, false},
		{"point on line", orb.Point{1, 1}, orb.LineString{{0, 0}, {2, 2}}, true},
		{"point off line but in its envelope", orb.Point{1, 1.5}, orb.LineString{{0, 0}, {2, 2}}, false},
		{"crossing lines", orb.LineString{{0, 0}, {2, 2}}, orb.LineString{{0, 2}, {2, 0}}, true},
		{"parallel lines", orb.LineString{{0, 0}, {2, 2}}, orb.LineString{{0, 1}, {2, 3}}, false},
		{"collinear overlapping lines", orb.LineString{{0, 0}, {2, 0}}, orb.LineString{{1, 0}, {3, 0}}, true},
		{"line inside polygon", orb.LineString{{1, 1}, {2, 2}}, square, true},
		{"line crossing polygon", orb.LineString{{-5, 5}, {15, 5}}, square, true},
		{"line inside the hole", orb.LineString{{4.5, 4.5}, {5.5, 5.5}}, holed, false},
		{"line cutting a box corner without a vertex inside", orb.LineString{{-1, 9}, {1, 11}}, square, true},
		{"polygon inside polygon", orb.Polygon{{{1, 1}, {2, 1}, {2, 2}, {1, 1}}}, square, true},
		{"polygon containing polygon", square, orb.Polygon{{{1, 1}, {2, 1}, {2, 2}, {1, 1}}}, true},
		{"disjoint polygons with overlapping envelopes", orb.Polygon{{{0, 0}, {4, 0}, {0, 4}, {0, 0}}}, orb.Polygon{{{4, 4}, {4, 3}, {3, 4}, {4, 4}}}, false},
		{"multipoint one inside", orb.MultiPoint{{20, 20}, {5, 5}}, orb.MultiPolygon{square}, true},
		{"collection", orb.Collection{orb.Point{20, 20}, orb.LineString{{-1, -1}, {1, 1}}}, square, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := intersects(tt.a, tt.b); got != tt.want {
				t.Errorf("intersects(a, b) = %v, want %v", got, tt.want)
			}
			if got := intersects(tt.b, tt.a); got != tt.want {
				t.Errorf("intersects(b, a) = %v, want %v", got, tt.want)
			}
		})
	}
}
