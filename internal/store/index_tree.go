package store

import (
	"math"
	"sync"
	"unsafe"

	"github.com/paulmach/orb"
)

// item is one incident as the in-memory index sees it: what a page, a
// count or a cluster needs to decide, without reading the row.
type item struct {
	env     orb.Bound // exact envelope of the geometry; unused when empty
	key     int64     // day<<32 | fid: Query's order (event_date, fid)
	end     int32     // day of COALESCE(event_end_date, event_date)
	fat     int32     // fatalities, -1 when unknown
	etype   uint16    // code in the index's event type dictionary
	country uint16    // code in the index's country dictionary
	area    uint16    // code of (country, admin1) in the index's area dictionary
	flags   itemFlags // one byte, so that area fits in what was padding
}

// itemFlags are an item's yes/no facts, one bit each.
type itemFlags uint8

const (
	itemSample itemFlags = 1 << iota // tagged "sample" (the test Clusters counts)
	itemEmpty                        // no geometry, or an empty one: never in a bbox
	itemHidden                       // not published: unreviewed or rejected
)

func (it *item) sample() bool { return it.flags&itemSample != 0 }
func (it *item) empty() bool  { return it.flags&itemEmpty != 0 }
func (it *item) hidden() bool { return it.flags&itemHidden != 0 }

func (it *item) day() int32  { return int32(it.key >> 32) }
func (it *item) fid() int64  { return it.key & 0xffffffff }
func (it *item) cx() float64 { return (it.env.Min[0] + it.env.Max[0]) / 2 }
func (it *item) cy() float64 { return (it.env.Min[1] + it.env.Max[1]) / 2 }

// makeKey is the sort key of a day (YYYYMMDD as a number) and a row id.
func makeKey(day int32, fid int64) int64 { return int64(day)<<32 | fid }

// leafSize is the most items a leaf holds. Smaller leaves prune finer but
// cost more nodes; 16 keeps the nodes near 8 bytes per incident, and counted
// 20% faster than 32 along a box's edges (BenchmarkIndexedCount).
const leafSize = 16

// node is a k-d tree node over items[lo:hi]. Its bound is rounded outwards
// to float32, so it prunes safely and a box holding it holds every item.
type node struct {
	minX, minY, maxX, maxY float32
	minKey, maxKey         int64
	minEnd, maxEnd         int32
	lo, hi                 int32
	left                   int32 // index of the left child, the right one follows; -1 for a leaf
	spatial                bool  // some item has a geometry
	empties                bool  // some item has none
	hidden                 bool  // some item is not published
}

// tree is a static k-d tree over (x, y, date): levels split in turn on the
// envelope centre's longitude, latitude and the event date, at the median,
// so a box holding many incidents is covered by few nodes, and the nodes
// of a box are narrow in time, which lets the newest-first search stop
// after about a page of items. Dead marks items that later writes removed
// or replaced; deadIn counts them per node so counts stay exact.
type tree struct {
	items  []item
	boxes  []box32 // boxes[i] holds items[i]'s envelope
	nodes  []node
	dead   []uint64 // bit i: items[i] is no longer current
	deadIn []int32  // per node, dead items under it
	nDead  int
}

// buildTree builds a tree over items, which it reorders and keeps.
func buildTree(items []item) *tree {
	t := &tree{items: items, boxes: make([]box32, len(items)), dead: make([]uint64, (len(items)+63)/64)}
	if len(items) > 0 {
		// Leaves all sit at the first depth where halving leaves at most
		// leafSize items, so the nodes form a complete binary tree laid out
		// as a heap (children of i at 2i+1 and 2i+2) and the two halves of a
		// large tree can be built at once.
		depth := 0
		for (len(items)+(1<<depth)-1)>>depth > leafSize {
			depth++
		}
		t.nodes = make([]node, 1<<(depth+1)-1)
		t.build(0, 0, int32(len(items)), 0, depth)
	}
	t.deadIn = make([]int32, len(t.nodes))
	return t
}

// parallelItems is the size above which build does its halves in parallel.
const parallelItems = 1 << 16

// build makes node ni over items[lo:hi] at depth, leaves at leafDepth.
func (t *tree) build(ni int, lo, hi int32, depth, leafDepth int) {
	if depth == leafDepth {
		t.nodes[ni] = t.leaf(lo, hi)
		return
	}
	mid := lo + (hi-lo)/2
	var less func(a, b *item) bool
	switch depth % 3 {
	case 0:
		less = func(a, b *item) bool { return sortX(a) < sortX(b) }
	case 1:
		less = func(a, b *item) bool { return sortY(a) < sortY(b) }
	default:
		less = func(a, b *item) bool { return a.key < b.key }
	}
	nthElement(t.items[lo:hi], int(mid-lo), less)
	l, r := 2*ni+1, 2*ni+2
	if hi-lo > parallelItems {
		var wg sync.WaitGroup
		wg.Go(func() { t.build(l, lo, mid, depth+1, leafDepth) })
		t.build(r, mid, hi, depth+1, leafDepth)
		wg.Wait()
	} else {
		t.build(l, lo, mid, depth+1, leafDepth)
		t.build(r, mid, hi, depth+1, leafDepth)
	}
	a, b := &t.nodes[l], &t.nodes[r]
	n := node{lo: lo, hi: hi, left: int32(l),
		minKey: min(a.minKey, b.minKey), maxKey: max(a.maxKey, b.maxKey),
		minEnd: min(a.minEnd, b.minEnd), maxEnd: max(a.maxEnd, b.maxEnd),
		spatial: a.spatial || b.spatial, empties: a.empties || b.empties, hidden: a.hidden || b.hidden}
	switch {
	case a.spatial && b.spatial:
		n.minX, n.minY, n.maxX, n.maxY = min(a.minX, b.minX), min(a.minY, b.minY), max(a.maxX, b.maxX), max(a.maxY, b.maxY)
	case a.spatial:
		n.minX, n.minY, n.maxX, n.maxY = a.minX, a.minY, a.maxX, a.maxY
	case b.spatial:
		n.minX, n.minY, n.maxX, n.maxY = b.minX, b.minY, b.maxX, b.maxY
	}
	t.nodes[ni] = n
}

// leaf makes a leaf over items[lo:hi], which it sorts by key so that the
// search can take them in order one at a time.
func (t *tree) leaf(lo, hi int32) node {
	leaf := t.items[lo:hi]
	for i := 1; i < len(leaf); i++ { // insertion sort: 32 items at most
		for j := i; j > 0 && leaf[j].key < leaf[j-1].key; j-- {
			leaf[j], leaf[j-1] = leaf[j-1], leaf[j]
		}
	}
	n := node{lo: lo, hi: hi, left: -1, minKey: math.MaxInt64, maxKey: math.MinInt64,
		minEnd: math.MaxInt32, maxEnd: math.MinInt32}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := lo; i < hi; i++ {
		it := &t.items[i]
		t.boxes[i] = boxOf(it)
		n.minKey, n.maxKey = min(n.minKey, it.key), max(n.maxKey, it.key)
		n.minEnd, n.maxEnd = min(n.minEnd, it.end), max(n.maxEnd, it.end)
		n.hidden = n.hidden || it.hidden()
		if it.empty() {
			n.empties = true
			continue
		}
		n.spatial = true
		minX, minY = min(minX, it.env.Min[0]), min(minY, it.env.Min[1])
		maxX, maxY = max(maxX, it.env.Max[0]), max(maxY, it.env.Max[1])
	}
	if n.spatial {
		n.minX, n.minY, n.maxX, n.maxY = down32(minX), down32(minY), up32(maxX), up32(maxY)
	}
	return n
}

// box32 is an item's envelope rounded outwards to float32, kept in an array
// of its own beside the items: a count along a box's edges is bound by
// memory, and reads 16 bytes an item there instead of the item's 56. An
// empty item's box is inverted, so no box meets it.
type box32 struct{ minX, minY, maxX, maxY float32 }

func boxOf(it *item) box32 {
	if it.empty() {
		inf := float32(math.Inf(1))
		return box32{inf, inf, -inf, -inf}
	}
	return box32{down32(it.env.Min[0]), down32(it.env.Min[1]), up32(it.env.Max[0]), up32(it.env.Max[1])}
}

// sortX and sortY place items without a geometry at the far end, away from
// the others.
func sortX(it *item) float64 {
	if it.empty() {
		return math.Inf(1)
	}
	return it.cx()
}

func sortY(it *item) float64 {
	if it.empty() {
		return math.Inf(1)
	}
	return it.cy()
}

// nthElement reorders s so that s[k] is what sorting would put there, with
// nothing greater before it and nothing smaller after (Hoare's selection).
func nthElement(s []item, k int, less func(a, b *item) bool) {
	lo, hi := 0, len(s)-1
	for hi > lo {
		// Median of three as the pivot keeps sorted input linear.
		m := lo + (hi-lo)/2
		if less(&s[m], &s[lo]) {
			s[m], s[lo] = s[lo], s[m]
		}
		if less(&s[hi], &s[lo]) {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if less(&s[hi], &s[m]) {
			s[hi], s[m] = s[m], s[hi]
		}
		pivot := s[m]
		i, j := lo, hi
		for i <= j {
			for less(&s[i], &pivot) {
				i++
			}
			for less(&pivot, &s[j]) {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// down32 and up32 round to float32 towards minus and plus infinity.
func down32(v float64) float32 {
	f := float32(v)
	if float64(f) > v {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func up32(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

func (t *tree) isDead(i int32) bool { return t.nDead > 0 && t.dead[i/64]&(1<<(i%64)) != 0 }

// kill marks the current item with key and envelope env dead, and reports
// whether the tree held it.
func (t *tree) kill(old *item) bool {
	if len(t.nodes) == 0 {
		return false
	}
	var path []int
	var find func(ni int) int32
	find = func(ni int) int32 {
		n := &t.nodes[ni]
		if old.key < n.minKey || old.key > n.maxKey {
			return -1
		}
		path = append(path, ni)
		if n.left < 0 {
			for i := n.lo; i < n.hi; i++ {
				if t.items[i].key == old.key && !t.isDead(i) {
					return i
				}
			}
		} else {
			for _, c := range [2]int{int(n.left), int(n.left) + 1} {
				if i := find(c); i >= 0 {
					return i
				}
			}
		}
		path = path[:len(path)-1]
		return -1
	}
	i := find(0)
	if i < 0 {
		return false
	}
	t.dead[i/64] |= 1 << (i % 64)
	t.nDead++
	for _, ni := range path {
		t.deadIn[ni]++
	}
	return true
}

// live returns the items not marked dead.
func (t *tree) live() []item {
	out := make([]item, 0, len(t.items)-t.nDead)
	for i := range t.items {
		if !t.isDead(int32(i)) {
			out = append(out, t.items[i])
		}
	}
	return out
}

// mergeTrees builds one tree of the live items of ts.
func mergeTrees(ts []*tree) *tree {
	n := 0
	for _, t := range ts {
		n += len(t.items) - t.nDead
	}
	items := make([]item, 0, n)
	for _, t := range ts {
		items = append(items, t.live()...)
	}
	return buildTree(items)
}

// bytes is the memory t takes.
func (t *tree) bytes() int64 {
	return int64(cap(t.items))*int64(unsafe.Sizeof(item{})) + int64(cap(t.boxes))*int64(unsafe.Sizeof(box32{})) +
		int64(cap(t.nodes))*int64(unsafe.Sizeof(node{})) +
		int64(len(t.dead))*8 + int64(len(t.deadIn))*4
}
