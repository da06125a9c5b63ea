package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// indexedPair opens one file twice: indexed, whose queries the index
// answers, and plain, which never builds it and so answers in SQL, the
// reference. Writes through plain are another program's to indexed.
func indexedPair(t *testing.T) (indexed, plain *store.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pair.gpkg")
	plain = openAt(t, path)
	return openAt(t, path), plain
}

// openAt opens the store at path, closed when the test ends.
func openAt(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// builtPair is indexedPair holding n varied incidents, indexed; it
// returns them as stored.
func builtPair(t *testing.T, rng *rand.Rand, n int) (indexed, plain *store.Store, stored []incident.Incident) {
	t.Helper()
	indexed, plain = indexedPair(t)
	stored, err := indexed.Insert(context.Background(), varied(rng, n))
	if err != nil {
		t.Fatal(err)
	}
	if err := indexed.BuildIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	return indexed, plain, stored
}

// varied returns synthetic incidents with what the filters look at varied:
// end dates, unknown fatalities, no event type or country, sample tags,
// lines and polygons, points by the antimeridian, and many on one day.
func varied(rng *rand.Rand, n int) []incident.Incident {
	out := synthetic(rng, n)
	for i := range out {
		in := &out[i]
		switch rng.IntN(10) {
		case 0:
			in.EventEndDate = in.EventDate[:8] + "28"
		case 1:
			in.Fatalities = nil
		case 2:
			in.EventType, in.Country = "", ""
		case 3:
			in.Tags = []string{"sample"}
		case 4:
			p := in.Point()
			in.Geometry = orb.Polygon{{p, {p[0] + 0.3, p[1]}, {p[0] + 0.3, p[1] + 0.2}, p}}
		case 5:
			in.Geometry = orb.Point{179.5 + rng.Float64()*0.5, rng.Float64()*10 - 5}
		case 6:
			in.EventDate = "2020-02-02"
		case 7:
			in.Status = incident.StatusUnreviewed
		case 8:
			in.Status = incident.StatusRejected
		case 9:
			in.Admin1 = "Ñuble" // SQL's NOCASE folds only ASCII letters
		}
		in.SourceEventID = fmt.Sprintf("test:%d", rng.IntN(1_000_000_000))
	}
	return out
}

// randomQuery draws a query over every filter the index answers.
func randomQuery(rng *rand.Rand) store.Query {
	q := store.Query{Desc: rng.IntN(2) == 0, Limit: 1 + rng.IntN(40)}
	switch rng.IntN(6) {
	case 0: // no box
	case 1:
		q.BBox = &geo.BBox{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90}
	case 2:
		q.BBox = &geo.BBox{MinLon: 170 + rng.Float64()*9, MinLat: -10, MaxLon: -179 + rng.Float64()*9, MaxLat: 10}
	default:
		h := hotspots[rng.IntN(len(hotspots))]
		r := math.Pow(10, rng.Float64()*3-2) // 0.01° to 10°
		q.BBox = &geo.BBox{MinLon: max(-180, h.lon-r), MinLat: max(-90, h.lat-r), MaxLon: min(180, h.lon+r*rng.Float64()*2), MaxLat: min(90, h.lat+r)}
	}
	day := func() string { return fmt.Sprintf("%04d-%02d-%02d", 2015+rng.IntN(10), 1+rng.IntN(12), 1+rng.IntN(28)) }
	if rng.IntN(3) == 0 {
		q.Start = day()
	}
	if rng.IntN(3) == 0 {
		q.End = day()
	}
	if rng.IntN(4) == 0 {
		types := incident.EventTypes()
		q.EventTypes = []string{types[rng.IntN(len(types))], types[rng.IntN(len(types))]}
	}
	if rng.IntN(5) == 0 {
		q.Countries = []string{hotspots[rng.IntN(len(hotspots))].country, "ZZ"}
	}
	if rng.IntN(5) == 0 {
		q.MinFatalities = incident.Int(rng.IntN(6))
	}
	if rng.IntN(5) == 0 {
		h := hotspots[rng.IntN(len(hotspots))]
		names := []string{fmt.Sprintf("Cell %d %d", int(math.Floor(h.lon/2)), int(math.Floor(h.lat/2))), "Ñuble", "ñuble", "Nowhere"}
		q.Admin1 = names[rng.IntN(len(names))]
		if rng.IntN(2) == 0 {
			q.Admin1 = strings.ToUpper(q.Admin1)
		}
	}
	if rng.IntN(2) == 0 {
		q.Statuses = []string{incident.StatusPublished} // what readers ask
	}
	return q
}

// pageThrough reads up to three pages of q with read, following the
// cursors, and lists what emit was given and the cursors.
func pageThrough(t *testing.T, q store.Query, read func(q store.Query, emit func(string)) (string, error)) []string {
	t.Helper()
	var out []string
	for range 3 {
		next, err := read(q, func(s string) { out = append(out, s) })
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "next:"+next)
		if next == "" {
			break
		}
		q.Cursor = next
	}
	return out
}

// pages lists the ids and dates of q's pages.
func pages(t *testing.T, s *store.Store, q store.Query) []string {
	return pageThrough(t, q, func(q store.Query, emit func(string)) (string, error) {
		return s.Query(context.Background(), q, func(in *incident.Incident) error {
			emit(in.ID + " " + in.EventDate)
			return nil
		})
	})
}

// featurePages lists q's pages through QueryFeatures, read twice so that
// the second reading comes from the cache of encoded features.
func featurePages(t *testing.T, s *store.Store, q store.Query) []string {
	read := func(q store.Query, emit func(string)) (string, error) {
		return s.QueryFeatures(context.Background(), q, func(f []byte) error {
			emit(string(f))
			return nil
		})
	}
	pageThrough(t, q, read)
	return pageThrough(t, q, read)
}

// encodedPages is pages with each incident encoded as QueryFeatures does.
func encodedPages(t *testing.T, s *store.Store, q store.Query) []string {
	return pageThrough(t, q, func(q store.Query, emit func(string)) (string, error) {
		return s.Query(context.Background(), q, func(in *incident.Incident) error {
			emit(string(in.AppendFeature(nil)))
			return nil
		})
	})
}

// sameAnswers runs n random queries on both stores and fails on the first
// difference in pages, cursors, counts or clusters.
func sameAnswers(t *testing.T, rng *rand.Rand, indexed, plain *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	if !store.IndexInStep(ctx, indexed) {
		t.Fatal("the index is not in step with the file: the comparison would test SQL against itself")
	}
	for i := range n {
		q := randomQuery(rng)
		if got, want := pages(t, indexed, q), pages(t, plain, q); !slices.Equal(got, want) {
			t.Fatalf("query %d %+v (bbox %v):\nindex %v\nSQL   %v", i, q, q.BBox, got, want)
		}
		if got, want := featurePages(t, indexed, q), encodedPages(t, plain, q); !slices.Equal(got, want) {
			t.Fatalf("query %d %+v (bbox %v): features differ:\nindex %v\nSQL   %v", i, q, q.BBox, got, want)
		}
		got, err := indexed.Count(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := plain.Count(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("query %d %+v (bbox %v): index counts %d, SQL %d", i, q, q.BBox, got, want)
		}
		zoom := rng.IntN(12)
		gotC, err := indexed.Clusters(ctx, q, zoom)
		if err != nil {
			t.Fatal(err)
		}
		wantC, err := plain.Clusters(ctx, q, zoom)
		if err != nil {
			t.Fatal(err)
		}
		if msg := diffClusters(gotC, wantC); msg != "" {
			t.Fatalf("query %d %+v (bbox %v) zoom %d: %s", i, q, q.BBox, zoom, msg)
		}
	}
}

// diffClusters compares two cluster sets; centres may differ in the last
// bits, as the index adds the members up in another order.
func diffClusters(got, want store.ClusterSet) string {
	if !slices.Equal(got.Days, want.Days) {
		return fmt.Sprintf("days differ:\nindex %v\nSQL   %v", got.Days, want.Days)
	}
	if len(got.Clusters) != len(want.Clusters) {
		return fmt.Sprintf("index has %d clusters, SQL %d", len(got.Clusters), len(want.Clusters))
	}
	for i, g := range got.Clusters {
		w := want.Clusters[i]
		near := math.Abs(g.Center[0]-w.Center[0]) < 1e-9 && math.Abs(g.Center[1]-w.Center[1]) < 1e-9
		if !near || g.Count != w.Count || g.Bound != w.Bound || g.Fatalities != w.Fatalities ||
			g.Samples != w.Samples || g.ID != w.ID || fmt.Sprint(g.EventTypes) != fmt.Sprint(w.EventTypes) {
			return fmt.Sprintf("cluster %d:\nindex %+v\nSQL   %+v", i, g, w)
		}
	}
	return ""
}

// TestIndexMatchesSQL is the differential test of the index: random
// queries over every filter combination it answers give the same pages,
// cursors, counts and clusters as SQL, after it is built, after each kind
// of write through the store, and after another program wrote to the file.
func TestIndexMatchesSQL(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(10, 10))
	indexed, plain := indexedPair(t)
	if _, err := indexed.Insert(ctx, varied(rng, 3000)); err != nil {
		t.Fatal(err)
	}
	if err := indexed.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, rng, indexed, plain, 150)

	// Writes through the indexed store keep its index in step.
	stored, err := indexed.Insert(ctx, varied(rng, 700))
	if err != nil {
		t.Fatal(err)
	}
	around := func(in incident.Incident) store.Query {
		b := in.Geometry.Bound()
		return store.Query{BBox: &geo.BBox{MinLon: b.Min[0] - 0.01, MinLat: b.Min[1] - 0.01, MaxLon: b.Max[0] + 0.01, MaxLat: b.Max[1] + 0.01}, Limit: 100}
	}
	for _, in := range stored[:50] {
		featurePages(t, indexed, around(in)) // cached before the update
		q := around(in)
		in.EventDate, in.EventEndDate, in.Geometry, in.Notes = "2024-12-31", "", orb.Point{64.5, 32}, "updated"
		if _, err := indexed.Update(ctx, in); err != nil {
			t.Fatal(err)
		}
		if got, want := featurePages(t, indexed, q), encodedPages(t, plain, q); !slices.Equal(got, want) {
			t.Fatalf("after an update, around %v:\nindex %v\nSQL   %v", q.BBox, got, want)
		}
	}
	for i, in := range stored[80:100] { // reviews move incidents in and out of the published set
		status := []string{incident.StatusPublished, incident.StatusRejected}[i%2]
		if _, err := indexed.Review(ctx, in.ID, status, "test"); err != nil && !errors.Is(err, store.ErrReview) {
			t.Fatal(err)
		}
	}
	for _, in := range stored[50:80] {
		if err := indexed.Delete(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
	}
	re := slices.Clone(stored[100:300])
	for i := range re {
		re[i].ID = ""
		re[i].EventDate, re[i].EventEndDate = "2019-06-0"+fmt.Sprint(1+i%9), ""
	}
	up, err := indexed.Upsert(ctx, append(re, varied(rng, 100)...))
	if err != nil {
		t.Fatal(err)
	}
	if up.Updated != len(re) || up.Inserted != 100 {
		t.Fatalf("upsert: %+v", up)
	}
	if _, err := indexed.DeleteSourceEventsExcept(ctx, "test:1", map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, rng, indexed, plain, 150)

	// Many small writes make and merge many trees.
	for range 40 {
		if _, err := indexed.Insert(ctx, varied(rng, 1+rng.IntN(30))); err != nil {
			t.Fatal(err)
		}
	}
	sameAnswers(t, rng, indexed, plain, 100)

	// Another program's write: the indexed store answers in SQL until the
	// rebuild it starts is done, then from the index again.
	if _, err := plain.Insert(ctx, varied(rng, 200)); err != nil {
		t.Fatal(err)
	}
	if store.IndexInStep(ctx, indexed) {
		t.Fatal("the index claims to be in step after another program wrote")
	}
	q := store.Query{BBox: &geo.BBox{MinLon: 60, MinLat: 28, MaxLon: 70, MaxLat: 36}}
	n, err := indexed.Count(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := plain.Count(ctx, q); n != want {
		t.Fatalf("after another program's write: %d, want %d", n, want)
	}
	store.WaitIndexRefresh(indexed)
	sameAnswers(t, rng, indexed, plain, 100)
}

// TestIndexCountsFollowWrites asks the same counts before and after each
// kind of write: a count the index keeps between requests (paging asks
// the same one on every page) must follow every write that moves an
// incident into or out of a filter, and equal SQL's.
func TestIndexCountsFollowWrites(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(12, 12))
	indexed, plain, stored := builtPair(t, rng, 2000)
	queries := make([]store.Query, 60)
	for i := range queries {
		queries[i] = randomQuery(rng)
		queries[i].Limit = 0
	}
	moved := stored[0]
	moved.Geometry, moved.EventDate, moved.EventEndDate = orb.Point{hotspots[1].lon, hotspots[1].lat}, "2016-05-05", ""
	for _, w := range []struct {
		name  string
		write func() error
	}{
		{"insert", func() error { _, err := indexed.Insert(ctx, varied(rng, 30)); return err }},
		{"update moving one", func() error { _, err := indexed.Update(ctx, moved); return err }},
		{"delete", func() error { return indexed.Delete(ctx, stored[1].ID) }},
		{"review hiding one", func() error {
			_, err := indexed.Review(ctx, stored[2].ID, incident.StatusRejected, "test")
			if errors.Is(err, store.ErrReview) {
				return nil
			}
			return err
		}},
		{"upsert", func() error { _, err := indexed.Upsert(ctx, varied(rng, 20)); return err }},
	} {
		for _, q := range queries { // counted, and kept, before the write
			if _, err := indexed.Count(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if !store.IndexInStep(ctx, indexed) {
			t.Fatalf("%s: the index is not in step: the counts would come from SQL", w.name)
		}
		for i, q := range queries {
			got, err := indexed.Count(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := plain.Count(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("after %s, query %d %+v (bbox %v): index counts %d, SQL %d", w.name, i, q, q.BBox, got, want)
			}
		}
	}
}

// TestIndexRefusesWhatItCannotOrder: a date written in another form by
// another program makes the index refuse to build (at start-up) or stop
// (later), and queries go on in SQL with the same answers.
func TestIndexRefusesWhatItCannotOrder(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 11))
	indexed, plain := indexedPair(t)
	if _, err := indexed.Insert(ctx, varied(rng, 300)); err != nil {
		t.Fatal(err)
	}
	if err := indexed.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	// Another program writes a date the index cannot order as SQL does,
	// and bumps the revision as incidentmap's writes do.
	if _, err := plain.DB().ExecContext(ctx, `UPDATE incidents SET event_date = '2020-1-5' WHERE fid = 7`); err != nil {
		t.Fatal(err)
	}
	if _, err := plain.DB().ExecContext(ctx, `UPDATE incidentmap_settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'`); err != nil {
		t.Fatal(err)
	}
	q := store.Query{Desc: true, Limit: 500}
	if got, want := pages(t, indexed, q), pages(t, plain, q); !slices.Equal(got, want) {
		t.Fatalf("after the foreign write:\nindex %v\nSQL   %v", got, want)
	}
	store.WaitIndexRefresh(indexed)
	if store.IndexInStep(ctx, indexed) {
		t.Fatal("the index claims to hold a date it cannot order")
	}
	if got, want := pages(t, indexed, q), pages(t, plain, q); !slices.Equal(got, want) {
		t.Fatalf("after the failed rebuild:\nindex %v\nSQL   %v", got, want)
	}
	if err := indexed.BuildIndex(ctx); !errors.Is(err, store.ErrUnindexable) {
		t.Fatalf("BuildIndex: %v, want ErrUnindexable", err)
	}
}

// TestIndexConcurrentReadsAndWrites reads pages, counts and clusters while
// a writer inserts, updates and deletes (run it with -race), then checks
// that the index ends in step with SQL.
func TestIndexConcurrentReadsAndWrites(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(12, 12))
	indexed, plain, stored := builtPair(t, rng, 1000)
	done := make(chan struct{})
	errs := make(chan error, 3)
	for r := range 3 {
		go func() {
			rng := rand.New(rand.NewPCG(uint64(r), 99))
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				q := randomQuery(rng)
				_, err := indexed.QueryFeatures(ctx, q, func([]byte) error { return nil })
				if err == nil {
					_, err = indexed.Count(ctx, q)
				}
				if err == nil {
					_, err = indexed.Clusters(ctx, q, rng.IntN(10))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 60 {
		switch i % 3 {
		case 0:
			n := 1 + rng.IntN(20)
			if i%15 == 0 { // large enough for the bulk path, which changes the schema while readers read
				n = 600
			}
			if _, err := indexed.Insert(ctx, varied(rng, n)); err != nil {
				t.Fatal(err)
			}
		case 1:
			in := stored[rng.IntN(len(stored))]
			in.Notes, in.Geometry = fmt.Sprint("moved ", i), orb.Point{64 + rng.Float64(), 32 + rng.Float64()}
			if _, err := indexed.Update(ctx, in); err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
		default:
			if err := indexed.Delete(ctx, stored[rng.IntN(len(stored))].ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
		}
	}
	close(done)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	sameAnswers(t, rng, indexed, plain, 50)
}
