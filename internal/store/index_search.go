package store

import (
	"math"

	"github.com/paulmach/orb"
)

// filter is a Query in the index's terms. Its zero value matches all.
type filter struct {
	bounds     []orb.Bound // any of them; nil for no box
	start, end int32       // days; 0 for an open end
	types      []bool      // by event type code; nil for any
	countries  []bool      // by country code; nil for any
	areas      []bool      // by area code: the admin1 asked; nil for any
	minFat     int32       // -1 for none
	published  bool        // published items only
	// keys bounds the sort key, both ends exclusive: the cursor's side.
	afterKey, beforeKey int64
}

// attributes reports whether the filter tests more than place and time,
// which the node counts cannot answer.
func (f *filter) attributes() bool {
	return f.types != nil || f.countries != nil || f.areas != nil || f.minFat >= 0
}

// whole reports whether every current item of n matches f, given that
// overlap found all of n in place and time: only attributes are left, and
// a node holding unpublished items when only published ones are asked.
func (f *filter) whole(n *node, all bool) bool {
	return all && !f.attributes() && !(f.published && n.hidden)
}

func (f *filter) match(it *item) bool {
	if it.key <= f.afterKey || it.key >= f.beforeKey {
		return false
	}
	if f.start != 0 && it.end < f.start {
		return false
	}
	if f.end != 0 && it.day() > f.end {
		return false
	}
	if f.types != nil && (int(it.etype) >= len(f.types) || !f.types[it.etype]) {
		return false
	}
	if f.countries != nil && (int(it.country) >= len(f.countries) || !f.countries[it.country]) {
		return false
	}
	if f.areas != nil && (int(it.area) >= len(f.areas) || !f.areas[it.area]) {
		return false
	}
	if f.minFat >= 0 && it.fat < f.minFat {
		return false
	}
	if f.published && it.hidden() {
		return false
	}
	if f.bounds != nil {
		if it.empty() {
			return false
		}
		for _, b := range f.bounds {
			if it.env.Intersects(b) {
				return true
			}
		}
		return false
	}
	return true
}

// overlap tells whether a node may hold matches (some) and whether all its
// items match on place and time (all).
func (f *filter) overlap(n *node) (some, all bool) {
	if n.maxKey <= f.afterKey || n.minKey >= f.beforeKey {
		return false, false
	}
	if f.start != 0 && n.maxEnd < f.start {
		return false, false
	}
	if f.end != 0 && int32(n.minKey>>32) > f.end {
		return false, false
	}
	all = n.minKey > f.afterKey && n.maxKey < f.beforeKey &&
		(f.start == 0 || n.minEnd >= f.start) && (f.end == 0 || int32(n.maxKey>>32) <= f.end)
	if f.bounds == nil {
		return true, all
	}
	if !n.spatial {
		return false, false
	}
	some, inside := false, false
	for _, b := range f.bounds {
		if float64(n.maxX) < b.Min[0] || float64(n.minX) > b.Max[0] || float64(n.maxY) < b.Min[1] || float64(n.minY) > b.Max[1] {
			continue
		}
		some = true
		if float64(n.minX) >= b.Min[0] && float64(n.maxX) <= b.Max[0] && float64(n.minY) >= b.Min[1] && float64(n.maxY) <= b.Max[1] {
			inside = true
		}
	}
	// A node with geometry-less items is never wholly inside a box.
	return some, all && inside && !n.empties
}

// count returns how many current items of t match f.
func (t *tree) count(f *filter) int64 {
	if len(t.nodes) == 0 {
		return 0
	}
	return t.countNode(0, f)
}

func (t *tree) countNode(ni int, f *filter) int64 {
	n := &t.nodes[ni]
	some, all := f.overlap(n)
	if !some {
		return 0
	}
	if f.whole(n, all) {
		return int64(n.hi-n.lo) - int64(t.deadIn[ni])
	}
	if n.left >= 0 {
		return t.countNode(int(n.left), f) + t.countNode(int(n.left)+1, f)
	}
	g := f.narrow(n)
	if b, ok := g.boxOnly(); ok {
		return t.countInBox(n.lo, n.hi, b)
	}
	var c int64
	for i := n.lo; i < n.hi; i++ {
		if !t.isDead(i) && g.match(&t.items[i]) {
			c++
		}
	}
	return c
}

// narrow returns f without the tests every item of n passes, which overlap
// has already told from n's ranges, so that a leaf's items are tested only
// for the rest.
func (f *filter) narrow(n *node) filter {
	g := *f
	if n.minKey > f.afterKey && n.maxKey < f.beforeKey {
		g.afterKey, g.beforeKey = noAfter, noBefore
	}
	if f.start != 0 && n.minEnd >= f.start {
		g.start = 0
	}
	if f.end != 0 && int32(n.maxKey>>32) <= f.end {
		g.end = 0
	}
	if f.published && !n.hidden {
		g.published = false
	}
	return g
}

// boxOnly reports whether f tests nothing but one box, and returns it.
func (f *filter) boxOnly() (orb.Bound, bool) {
	if len(f.bounds) != 1 || f.attributes() || f.published || f.start != 0 || f.end != 0 ||
		f.afterKey != noAfter || f.beforeKey != noBefore {
		return orb.Bound{}, false
	}
	return f.bounds[0], true
}

// countInBox counts the current items of items[lo:hi] whose envelope meets
// b, from their float32 boxes; only an item whose box straddles an edge of
// b, within float32 precision of it, is tested on its exact envelope.
func (t *tree) countInBox(lo, hi int32, b orb.Bound) int64 {
	var c int64
	for i := lo; i < hi; i++ {
		if t.isDead(i) {
			continue
		}
		e := &t.boxes[i]
		minX, minY, maxX, maxY := float64(e.minX), float64(e.minY), float64(e.maxX), float64(e.maxY)
		switch {
		case maxX < b.Min[0] || minX > b.Max[0] || maxY < b.Min[1] || minY > b.Max[1]:
		case minX >= b.Min[0] && maxX <= b.Max[0] && minY >= b.Min[1] && maxY <= b.Max[1]:
			c++
		default:
			if env := &t.items[i].env; env.Min[0] <= b.Max[0] && env.Max[0] >= b.Min[0] && env.Min[1] <= b.Max[1] && env.Max[1] >= b.Min[1] {
				c++
			}
		}
	}
	return c
}

// each calls fn with every current item of t matching f, in no order.
func (t *tree) each(f *filter, fn func(*item)) {
	if len(t.nodes) > 0 {
		t.eachNode(0, f, fn)
	}
}

func (t *tree) eachNode(ni int, f *filter, fn func(*item)) {
	n := &t.nodes[ni]
	some, all := f.overlap(n)
	if !some {
		return
	}
	if n.left >= 0 {
		t.eachNode(int(n.left), f, fn)
		t.eachNode(int(n.left)+1, f, fn)
		return
	}
	check := !f.whole(n, all)
	for i := n.lo; i < n.hi; i++ {
		if !t.isDead(i) && (!check || f.match(&t.items[i])) {
			fn(&t.items[i])
		}
	}
}

// entry is a node, or a leaf's next item, waiting in the search queue.
type entry struct {
	prio int64 // the key, negated for oldest first: the queue pops the largest
	tree int32
	node int32
	item int32 // the leaf's next item in the search's order; -1 for a node
}

// queue is a binary max-heap of entries on prio.
type queue []entry

func (q *queue) push(e entry) {
	*q = append(*q, e)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p].prio >= h[i].prio {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (q *queue) pop() entry {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].prio > h[m].prio {
			m = l
		}
		if r < len(h) && h[r].prio > h[m].prio {
			m = r
		}
		if m == i {
			break
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
	*q = h
	return top
}

// top returns the keys of the first k current items of trees matching f,
// newest first when desc and oldest first otherwise. It is a best-first
// search over all the trees at once: nodes wait in one queue under the
// newest (or oldest) key they may hold, and a leaf, whose items are in key
// order, waits under its next matching item's key, so items come out of
// the queue in order and the search stops after the k-th, having opened
// only the nodes whose time range reaches past it.
func top(trees []*tree, f *filter, desc bool, k int) []int64 {
	prio := func(key int64) int64 {
		if desc {
			return key
		}
		return -key
	}
	nodePrio := func(n *node) int64 {
		if desc {
			return n.maxKey
		}
		return -n.minKey
	}
	var q queue
	// next queues leaf ni's first matching item from i on, in the order.
	next := func(ti int32, ni int32, i int32) {
		t := trees[ti]
		n := &t.nodes[ni]
		_, all := f.overlap(n)
		check := !f.whole(n, all)
		step := int32(1)
		if desc {
			step = -1
		}
		for ; i >= n.lo && i < n.hi; i += step {
			if !t.isDead(i) && (!check || f.match(&t.items[i])) {
				q.push(entry{prio: prio(t.items[i].key), tree: ti, node: ni, item: i})
				return
			}
		}
	}
	for ti, t := range trees {
		if len(t.nodes) == 0 {
			continue
		}
		if some, _ := f.overlap(&t.nodes[0]); some {
			q.push(entry{prio: nodePrio(&t.nodes[0]), tree: int32(ti), node: 0, item: -1})
		}
	}
	out := make([]int64, 0, min(k, 1024))
	for len(q) > 0 && len(out) < k {
		e := q.pop()
		t := trees[e.tree]
		n := &t.nodes[e.node]
		switch {
		case e.item >= 0:
			out = append(out, t.items[e.item].key)
			if desc {
				next(e.tree, e.node, e.item-1)
			} else {
				next(e.tree, e.node, e.item+1)
			}
		case n.left >= 0:
			for _, c := range [2]int32{n.left, n.left + 1} {
				cn := &t.nodes[c]
				if some, _ := f.overlap(cn); some && t.deadIn[c] < cn.hi-cn.lo {
					q.push(entry{prio: nodePrio(cn), tree: e.tree, node: c, item: -1})
				}
			}
		case desc:
			next(e.tree, e.node, n.hi-1)
		default:
			next(e.tree, e.node, n.lo)
		}
	}
	return out
}

// noKeyBound are the open ends of filter's key range.
const (
	noAfter  = math.MinInt64
	noBefore = math.MaxInt64
)
