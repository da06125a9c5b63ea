package store

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestCountInBoxAtEdges: counting decides most items on their float32
// boxes; items on a box's edges, and a float64 step either side of them,
// finer than float32 can tell apart, must count exactly as their envelopes
// do, as must envelopes that straddle an edge and items without geometry.
func TestCountInBoxAtEdges(t *testing.T) {
	box := orb.Bound{Min: orb.Point{44.1234567891, 33.0000001}, Max: orb.Point{44.6234567891, 33.5000001}}
	up := func(v float64) float64 { return math.Nextafter(v, math.Inf(1)) }
	down := func(v float64) float64 { return math.Nextafter(v, math.Inf(-1)) }
	var items []item
	point := func(x, y float64) {
		items = append(items, item{env: orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x, y}}})
	}
	midY, midX := (box.Min[1]+box.Max[1])/2, (box.Min[0]+box.Max[0])/2
	for _, x := range []float64{box.Min[0], box.Max[0]} {
		for _, v := range []float64{x, up(x), down(x), x + 1e-7, x - 1e-7, x + 1e-4, x - 1e-4} {
			point(v, midY)
		}
	}
	for _, y := range []float64{box.Min[1], box.Max[1]} {
		for _, v := range []float64{y, up(y), down(y), y + 1e-7, y - 1e-7} {
			point(midX, v)
		}
	}
	point(box.Min[0], box.Min[1])
	point(up(box.Max[0]), up(box.Max[1]))
	// Envelopes touching or straddling an edge from outside, and one holding the box.
	items = append(items,
		item{env: orb.Bound{Min: orb.Point{box.Min[0] - 1, midY}, Max: orb.Point{box.Min[0], midY + 0.1}}},
		item{env: orb.Bound{Min: orb.Point{box.Min[0] - 1, midY}, Max: orb.Point{down(box.Min[0]), midY + 0.1}}},
		item{env: orb.Bound{Min: orb.Point{box.Min[0] - 1, box.Min[1] - 1}, Max: orb.Point{box.Max[0] + 1, box.Max[1] + 1}}},
		item{flags: itemEmpty},
	)
	rng := rand.New(rand.NewPCG(3, 3))
	for range 2000 {
		x, y := box.Min[0]+(rng.Float64()*1.2-0.1)*0.5, box.Min[1]+(rng.Float64()*1.2-0.1)*0.5
		point(x, y)
	}
	for i := range items {
		items[i].key = makeKey(20200101, int64(i+1))
		items[i].end = 20200101
	}
	want := int64(0)
	for i := range items {
		if !items[i].empty() && items[i].env.Intersects(box) {
			want++
		}
	}
	tr := buildTree(items)
	f := filter{bounds: []orb.Bound{box}, minFat: -1, afterKey: noAfter, beforeKey: noBefore}
	if got := tr.count(&f); got != want {
		t.Errorf("counted %d of %d items in the box, want %d", got, len(items), want)
	}
}
