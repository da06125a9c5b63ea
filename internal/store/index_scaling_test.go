package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/cputime"
)

// BenchmarkIndexScaling measures the index alone, without SQLite, at n and
// 10n incidents (n is a tenth of INCIDENTMAP_BENCH_N, 100,000 by default;
// INCIDENTMAP_BENCH_N=10000000 compares a million with ten million, some
// 800 MB of memory): a newest-first page of 100 and a count, for 0.5°
// boxes placed at random around a thousand event centres over which the
// incidents spread as in "incidentmap bench". A sub-linear index shows as
// CPU per query growing far less than tenfold.
func BenchmarkIndexScaling(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("INCIDENTMAP_BENCH_N")); err == nil && v >= 10 {
		n = v / 10
	}
	rng := rand.New(rand.NewPCG(7, 7))
	centres := make([]orb.Point, 1000)
	for i := range centres {
		centres[i] = orb.Point{rng.Float64()*100 - 20, rng.Float64()*70 - 30}
	}
	boxes := make([]orb.Bound, 500)
	for i := range boxes {
		c := centres[rng.IntN(len(centres))]
		x, y := c[0]+rng.Float64()*0.5-0.25, c[1]+rng.Float64()*0.5-0.25
		boxes[i] = orb.Bound{Min: orb.Point{x - 0.25, y - 0.25}, Max: orb.Point{x + 0.25, y + 0.25}}
	}
	for _, size := range []int{n, 10 * n} {
		items := make([]item, size)
		for i := range items {
			c := centres[rng.IntN(len(centres))]
			p := orb.Point{c[0] + rng.NormFloat64()*0.25, c[1] + rng.NormFloat64()*0.25}
			day := int32((1990+rng.IntN(34))*10000 + (1+rng.IntN(12))*100 + 1 + rng.IntN(28))
			items[i] = item{env: orb.Bound{Min: p, Max: p}, key: makeKey(day, int64(i+1)), end: day, fat: int32(rng.IntN(10))}
		}
		trees := []*tree{buildTree(items)}
		for _, op := range []struct {
			name string
			run  func(f *filter)
		}{
			{"page100", func(f *filter) { top(trees, f, true, 101) }},
			{"count", func(f *filter) { trees[0].count(f) }},
		} {
			b.Run(fmt.Sprintf("n=%d/%s", size, op.name), func(b *testing.B) {
				i := 0
				cpu := cputime.Process()
				for b.Loop() {
					f := filter{bounds: boxes[i%len(boxes) : i%len(boxes)+1], minFat: -1, afterKey: noAfter, beforeKey: noBefore}
					op.run(&f)
					i++
				}
				b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e3, "cpu-µs/op")
			})
		}
	}
}
