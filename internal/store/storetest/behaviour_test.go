package storetest_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
)

// behaviours are the store's promises, each checked on every backend.
var behaviours = []struct {
	name string
	run  func(t *testing.T, st store.Backend)
}{
	{"insert and get keep every field", insertGet},
	{"insert is all or nothing", insertConflict},
	{"update keeps id and created", update},
	{"delete", deleteIncident},
	{"filters", filters},
	{"CQL2 filters", cql2Filters},
	{"keyset paging", paging},
	{"keyset paging by confidence", confidencePaging},
	{"query features", queryFeatures},
	{"extent", extent},
	{"clusters", clusters},
	{"area summary", summary},
	{"area summary caps admin1 rows, not countries", summaryCaps},
	{"upsert by source event id", upsert},
	{"sync deletions", syncDeletions},
	{"review", review},
	{"merge a queued incident", merge},
	{"counts by status after every kind of write", statusCounts},
	{"audit trail", audit},
	{"settings and revision", settings},
	{"API keys", apiKeys},
	{"article idempotence", articles},
	{"an article's incidents and record in one write", ingestArticle},
	{"watched feeds", feeds},
}

func TestBehaviour(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			if b.Skip != "" {
				t.Skip(b.Skip)
			}
			for _, bh := range behaviours {
				t.Run(bh.name, func(t *testing.T) { bh.run(t, b.Open(t)) })
			}
		})
	}
}

var ctx = context.Background()

// fixture is the incidents the query behaviours search, named by Location.
func fixture() []incident.Incident {
	mk := func(name string, g orb.Geometry, date, end, typ, country string, fatalities int) incident.Incident {
		return incident.Incident{Location: name, Geometry: g, EventDate: date, EventEndDate: end, EventType: typ,
			Country: country, Fatalities: incident.Int(fatalities)}
	}
	musa := mk("Musa Qala", orb.Point{64.7449, 32.4456}, "2019-09-23", "", incident.Battles, "AF", 5)
	musa.Admin1, musa.Actor1, musa.Notes = "Helmand", "Taliban", "a raid on a compound"
	lashkar := mk("Lashkar Gah", orb.Point{64.3692, 31.583}, "2019-09-10", "2019-09-12", incident.ExplosionsRemoteViolence, "AF", 12)
	lashkar.Admin1, lashkar.Actor2 = "Helmand", "Military Forces of Afghanistan"
	suva := mk("Suva", orb.Point{178.44, -18.14}, "2019-09-15", "", incident.Protests, "FJ", 0)
	suva.Tags = []string{"sample"}
	apia := mk("Apia", orb.Point{-171.76, -13.83}, "2019-10-01", "", incident.Riots, "WS", 1)
	apia.Notes = "100% of the 5_7 group"
	kabul := mk("Kabul", orb.Point{69.17, 34.53}, "2018-01-01", "", incident.Battles, "AF", 3)
	kabul.Admin1 = "Kabul"
	kabul.Status = incident.StatusUnreviewed
	district := mk("Musa Qala district", orb.Polygon{{{64.5, 32.2}, {65.0, 32.2}, {65.0, 32.7}, {64.5, 32.7}, {64.5, 32.2}}},
		"2019-09-23", "", incident.Battles, "AF", 2)
	return []incident.Incident{musa, lashkar, suva, apia, kabul, district}
}

func insertFixture(t *testing.T, st store.Backend) []incident.Incident {
	t.Helper()
	out, err := st.Insert(ctx, fixture())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// names returns the Locations q finds, in order.
func names(t *testing.T, st store.Backend, q store.Query) []string {
	t.Helper()
	var out []string
	if _, err := st.Query(ctx, q, func(in *incident.Incident) error {
		out = append(out, in.Location)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func full() incident.Incident {
	return incident.Incident{
		ID: "full-1", EventDate: "2019-09-23", EventEndDate: "2019-09-25", DatePrecision: incident.PrecisionDay,
		EventType: incident.Battles, SubEventType: "Armed clash", Actor1: "Taliban", Actor2: "Military Forces of Afghanistan",
		AssocActor1: "Militia A", AssocActor2: "Militia B", Inter1: "2", Inter2: "1",
		Fatalities: incident.Int(7), CivilianFatalities: incident.Int(0), Injured: incident.Int(3),
		Location: "Musa Qala", Admin1: "Helmand", Admin2: "Musa Qala", Country: "AF",
		Geometry: orb.Point{64.74491234567, 32.44561234567}, GeoPrecision: incident.GeoTown, PlaceID: "geonames:1132604",
		Notes: "ünïcode — notes", Tags: []string{"a", "b c"}, Confidence: incident.Float(0.75),
		Sources:       []incident.Source{{URL: "https://example.org/a", Title: "A", Publisher: "P", Published: "2019-10-08", Evidence: "… was killed"}},
		SourceEventID: "acled:AFG1", Status: incident.StatusPublished,
	}
}

func insertGet(t *testing.T, st store.Backend) {
	before := time.Now().UTC().Add(-time.Second)
	stored, err := st.Insert(ctx, []incident.Incident{full(), {EventDate: "2020-01-01", Geometry: orb.Point{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	want := full()
	want.Geometry = geo.Round(want.Geometry, geo.DefaultDecimals)
	want.Created, want.Updated = stored[0].Created, stored[0].Updated
	got, err := st.Get(ctx, "full-1")
	if err != nil {
		t.Fatal(err)
	}
	if gb, wb := got.AppendFeature(nil), want.AppendFeature(nil); string(gb) != string(wb) {
		t.Errorf("stored incident:\n got %s\nwant %s", gb, wb)
	}
	if got.Status != incident.StatusPublished || !got.Created.Equal(stored[0].Created) || got.Created.Before(before) {
		t.Errorf("status %q created %v, want published and %v", got.Status, got.Created, stored[0].Created)
	}
	if stored[1].ID == "" || stored[1].Status != "" && stored[1].Status != incident.StatusPublished {
		t.Errorf("an incident without id got %q", stored[1].ID)
	}
	if _, err := st.Get(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(unknown) = %v, want ErrNotFound", err)
	}
}

func insertConflict(t *testing.T, st store.Backend) {
	if _, err := st.Insert(ctx, []incident.Incident{full()}); err != nil {
		t.Fatal(err)
	}
	other := full()
	other.SourceEventID = "acled:other"
	_, err := st.Insert(ctx, []incident.Incident{{EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, Location: "new"}, other})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("inserting a stored id: %v, want ErrConflict", err)
	}
	if n, _ := st.Count(ctx, store.Query{}); n != 1 {
		t.Errorf("%d incidents after a failed insert, want 1 (all or nothing)", n)
	}
	bad := incident.Incident{EventDate: "2020-13-01", Geometry: orb.Point{1, 2}}
	if _, err := st.Insert(ctx, []incident.Incident{bad}); !errors.Is(err, incident.ErrInvalid) {
		t.Errorf("inserting an invalid incident: %v, want ErrInvalid", err)
	}
}

func update(t *testing.T, st store.Backend) {
	stored, err := st.Insert(ctx, []incident.Incident{full()})
	if err != nil {
		t.Fatal(err)
	}
	in := stored[0]
	in.Fatalities, in.Geometry, in.Tags = incident.Int(9), orb.Point{65, 33}, nil
	in.Created = time.Time{}
	got, err := st.Update(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Created.Equal(stored[0].Created) || got.Updated.Before(stored[0].Updated) {
		t.Errorf("created %v updated %v after update, want %v and ≥ %v", got.Created, got.Updated, stored[0].Created, stored[0].Updated)
	}
	back, err := st.Get(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *back.Fatalities != 9 || !orb.Equal(back.Geometry, orb.Point{65, 33}) || back.Tags != nil || !back.Created.Equal(stored[0].Created) {
		t.Errorf("after update: %+v", back)
	}
	if _, err := st.Update(ctx, incident.Incident{ID: "nope", EventDate: "2020-01-01", Geometry: orb.Point{1, 2}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("updating an unknown id: %v, want ErrNotFound", err)
	}
}

func deleteIncident(t *testing.T, st store.Backend) {
	stored := insertFixture(t, st)
	if err := st.Delete(ctx, stored[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, stored[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	if err := st.Delete(ctx, stored[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
}

func filters(t *testing.T, st store.Backend) {
	stored := insertFixture(t, st)
	bbox := func(s string) *geo.BBox {
		b, err := geo.ParseBBox(s)
		if err != nil {
			t.Fatal(err)
		}
		return &b
	}
	five := 5
	all := []string{incident.StatusPublished, incident.StatusUnreviewed, incident.StatusRejected}
	for _, c := range []struct {
		name string
		q    store.Query
		want []string // oldest first
	}{
		{"everything", store.Query{}, []string{"Kabul", "Lashkar Gah", "Suva", "Musa Qala", "Musa Qala district", "Apia"}},
		{"published", store.Query{Statuses: []string{incident.StatusPublished}}, []string{"Lashkar Gah", "Suva", "Musa Qala", "Musa Qala district", "Apia"}},
		{"unreviewed", store.Query{Statuses: []string{incident.StatusUnreviewed}}, []string{"Kabul"}},
		{"bbox", store.Query{BBox: bbox("64,31,65,33")}, []string{"Lashkar Gah", "Musa Qala", "Musa Qala district"}},
		{"bbox touching a polygon's envelope only", store.Query{BBox: bbox("64.9,32.6,64.95,32.65")}, []string{"Musa Qala district"}},
		{"bbox across the antimeridian", store.Query{BBox: bbox("170,-25,-170,-10")}, []string{"Suva", "Apia"}},
		{"world bbox", store.Query{BBox: bbox("-180,-90,180,90"), Statuses: all}, []string{"Kabul", "Lashkar Gah", "Suva", "Musa Qala", "Musa Qala district", "Apia"}},
		{"dates overlap", store.Query{Start: "2019-09-11", End: "2019-09-23"}, []string{"Lashkar Gah", "Suva", "Musa Qala", "Musa Qala district"}},
		{"end date reaches into range", store.Query{Start: "2019-09-12", End: "2019-09-12"}, []string{"Lashkar Gah"}},
		{"event types", store.Query{EventTypes: []string{incident.ExplosionsRemoteViolence, incident.Riots}}, []string{"Lashkar Gah", "Apia"}},
		{"countries", store.Query{Countries: []string{"FJ", "WS"}}, []string{"Suva", "Apia"}},
		{"admin1 any case", store.Query{Admin1: "hELMAND"}, []string{"Lashkar Gah", "Musa Qala"}},
		{"actor substring", store.Query{Actor: "forces of"}, []string{"Lashkar Gah"}},
		{"min fatalities", store.Query{MinFatalities: &five}, []string{"Lashkar Gah", "Musa Qala"}},
		{"text", store.Query{Text: "RAID"}, []string{"Musa Qala"}},
		{"text with LIKE characters", store.Query{Text: "100%"}, []string{"Apia"}},
		{"text underscore is literal", store.Query{Text: "5_7"}, []string{"Apia"}},
		{"text underscore matches no other character", store.Query{Text: "5x7"}, nil},
		{"ids", store.Query{IDs: []string{stored[2].ID, stored[3].ID, "nope"}}, []string{"Suva", "Apia"}},
		{"combined", store.Query{Countries: []string{"AF"}, Start: "2019-01-01", EventTypes: []string{incident.Battles}}, []string{"Musa Qala", "Musa Qala district"}},
		{"newest first", store.Query{Desc: true, Countries: []string{"AF"}, Statuses: all}, []string{"Musa Qala district", "Musa Qala", "Lashkar Gah", "Kabul"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			if q.Statuses == nil && c.name != "everything" {
				q.Statuses = []string{incident.StatusPublished}
			}
			if got := names(t, st, q); !slices.Equal(got, c.want) {
				t.Errorf("Query = %q, want %q", got, c.want)
			}
			n, err := st.Count(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(len(c.want)) {
				t.Errorf("Count = %d, want %d", n, len(c.want))
			}
		})
	}
}

func cql2Filters(t *testing.T, st store.Backend) {
	insertFixture(t, st)
	for _, c := range []struct {
		filter string
		want   []string // oldest first
	}{
		{"fatalities > 4", []string{"Lashkar Gah", "Musa Qala"}},
		{"NOT fatalities > 4 AND country = 'AF'", []string{"Musa Qala district"}},
		{"country IN ('FJ', 'WS')", []string{"Suva", "Apia"}},
		{"location LIKE 'Musa%'", []string{"Musa Qala", "Musa Qala district"}},
		{"location LIKE 'musa%'", nil},
		{"location ILIKE 'musa q_la'", []string{"Musa Qala"}},
		{`notes LIKE '100\%%'`, []string{"Apia"}},
		{"admin1 IS NULL AND country = 'AF'", []string{"Musa Qala district"}},
		{"fatalities BETWEEN 1 AND 5", []string{"Musa Qala", "Musa Qala district", "Apia"}},
		{"event_date = DATE('2019-09-23')", []string{"Musa Qala", "Musa Qala district"}},
		{"T_INTERSECTS(event_date, INTERVAL('2019-09-11', '2019-09-12'))", []string{"Lashkar Gah"}},
		{"created > TIMESTAMP('2000-01-01T00:00:00Z') AND country = 'FJ'", []string{"Suva"}},
		{"S_INTERSECTS(geometry, BBOX(170, -25, -170, -10))", []string{"Suva", "Apia"}},
		{"S_INTERSECTS(geometry, POLYGON((64.9 32.6, 64.95 32.6, 64.95 32.65, 64.9 32.65, 64.9 32.6)))", []string{"Musa Qala district"}},
		{"S_INTERSECTS(geometry, POINT(64.7449 32.4456))", []string{"Musa Qala", "Musa Qala district"}},
	} {
		t.Run(c.filter, func(t *testing.T) {
			e, err := cql2.Parse(c.filter)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.CheckFilter(e); err != nil {
				t.Fatal(err)
			}
			q := store.Query{Filters: []cql2.Expr{e}, Statuses: []string{incident.StatusPublished}}
			if got := names(t, st, q); !slices.Equal(got, c.want) {
				t.Errorf("Query = %q, want %q", got, c.want)
			}
			if n, err := st.Count(ctx, q); err != nil || n != int64(len(c.want)) {
				t.Errorf("Count = %d, %v; want %d", n, err, len(c.want))
			}
		})
	}
}

func paging(t *testing.T, st store.Backend) {
	var ins []incident.Incident
	for i := range 23 {
		ins = append(ins, incident.Incident{Location: fmt.Sprintf("p%02d", i), EventDate: fmt.Sprintf("2020-01-%02d", 1+i/4), Geometry: orb.Point{float64(i), 1}})
	}
	if _, err := st.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	for _, desc := range []bool{false, true} {
		want := names(t, st, store.Query{Desc: desc})
		got := pages(t, st, store.Query{Desc: desc, Limit: 5}, 10)
		if !slices.Equal(got, want) || len(got) != 23 {
			t.Errorf("desc=%v: pages gave %q, want %q", desc, got, want)
		}
		if !desc && !slices.IsSorted(got) {
			t.Errorf("oldest first with ties in insertion order: %q", got)
		}
	}
	next, err := st.Query(ctx, store.Query{Limit: 5}, func(*incident.Incident) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []store.Query{{Cursor: next, Desc: true, Limit: 5}, {Cursor: "!!", Limit: 5}, {Cursor: "eHh4", Limit: 5}} {
		if _, err := st.Query(ctx, bad, func(*incident.Incident) error { return nil }); !errors.Is(err, store.ErrCursor) {
			t.Errorf("cursor %q desc=%v: %v, want ErrCursor", bad.Cursor, bad.Desc, err)
		}
	}
}

// confidencePaging pages through the review queue most confident first
// (and the reverse), with ties, incidents without a confidence and
// confidences that print long, in pages of every size; a queued incident
// reviewed between two pages neither shifts nor repeats the others.
func confidencePaging(t *testing.T, st store.Backend) {
	// 0.30000000000000004 comes before the 0.3s: a cursor that rounded it
	// would skip them.
	confs := []*float64{incident.Float(0.5), incident.Float(0.30000000000000004), incident.Float(0.9), incident.Float(0.5), incident.Float(0.3),
		incident.Float(0.3), incident.Float(1), nil, incident.Float(0), incident.Float(0.5), nil}
	var ins []incident.Incident
	for i, c := range confs {
		status := incident.StatusUnreviewed
		if i%4 == 3 {
			status = incident.StatusPublished
		}
		ins = append(ins, incident.Incident{Location: fmt.Sprintf("c%02d", i), EventDate: fmt.Sprintf("2020-02-%02d", 28-i),
			Geometry: orb.Point{float64(i), 2}, Confidence: c, Status: status})
	}
	stored, err := st.Insert(ctx, ins)
	if err != nil {
		t.Fatal(err)
	}
	// want lists the insertion indexes of the incidents with one of
	// statuses (all when none) in the order asked, worked out here from
	// the rule: confidence (none as -1), ties by insertion order.
	want := func(desc bool, statuses ...string) []string {
		var idx []int
		for i, in := range ins {
			if len(statuses) == 0 || slices.Contains(statuses, in.Status) {
				idx = append(idx, i)
			}
		}
		key := func(i int) float64 {
			if confs[i] == nil {
				return -1
			}
			return *confs[i]
		}
		slices.SortFunc(idx, func(a, b int) int {
			c := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a, b))
			if desc {
				return -c
			}
			return c
		})
		var out []string
		for _, i := range idx {
			out = append(out, ins[i].Location)
		}
		return out
	}
	for _, desc := range []bool{true, false} {
		for _, statuses := range [][]string{{incident.StatusUnreviewed}, nil} {
			w := want(desc, statuses...)
			if got := names(t, st, store.Query{Order: store.ByConfidence, Desc: desc, Statuses: statuses}); !slices.Equal(got, w) {
				t.Errorf("desc=%v statuses=%v: %q, want %q", desc, statuses, got, w)
			}
			for limit := 1; limit <= 4; limit++ {
				q := store.Query{Order: store.ByConfidence, Desc: desc, Statuses: statuses, Limit: limit}
				if got := pages(t, st, q, len(ins)+1); !slices.Equal(got, w) {
					t.Errorf("desc=%v statuses=%v limit=%d: pages gave %q, want %q", desc, statuses, limit, got, w)
				}
			}
		}
	}
	queue := want(true, incident.StatusUnreviewed)
	if queue[0] != "c06" || queue[len(queue)-1] != "c10" || !slices.Equal(queue[1:4], []string{"c02", "c09", "c00"}) {
		t.Fatalf("the rule itself: queue %q", queue) // 1, 0.9, then the 0.5s newest first; none last
	}

	// Review between pages: one read (accepted) and one unread (rejected).
	q := store.Query{Order: store.ByConfidence, Desc: true, Statuses: []string{incident.StatusUnreviewed}, Limit: 3}
	var got []string
	next, err := st.Query(ctx, q, func(in *incident.Incident) error {
		got = append(got, in.Location)
		return nil
	})
	if err != nil || next == "" {
		t.Fatalf("first page: next %q, %v", next, err)
	}
	idOf := func(loc string) string {
		for _, in := range stored {
			if in.Location == loc {
				return in.ID
			}
		}
		t.Fatalf("no incident %s", loc)
		return ""
	}
	if _, err := st.Review(ctx, idOf(got[0]), incident.StatusPublished, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Review(ctx, idOf(queue[4]), incident.StatusRejected, "not an incident"); err != nil {
		t.Fatal(err)
	}
	q.Cursor = next
	rest := slices.Delete(slices.Clone(queue[3:]), 1, 2)
	if got := pages(t, st, q, len(ins)+1); !slices.Equal(got, rest) {
		t.Errorf("after reviews between pages: %q, want %q", got, rest)
	}

	dateNext, err := st.Query(ctx, store.Query{Limit: 2, Statuses: []string{incident.StatusUnreviewed}}, func(*incident.Incident) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []store.Query{
		{Order: store.ByConfidence, Desc: true, Cursor: dateNext, Limit: 2},
		{Order: store.ByConfidence, Desc: false, Cursor: next, Limit: 2},
		{Cursor: next, Limit: 2},
	} {
		if _, err := st.Query(ctx, bad, func(*incident.Incident) error { return nil }); !errors.Is(err, store.ErrCursor) {
			t.Errorf("cursor of another order (order %v desc %v): %v, want ErrCursor", bad.Order, bad.Desc, err)
		}
	}
}

// pages returns the Locations q finds, page after page following each
// page's cursor, failing past max pages.
func pages(t *testing.T, st store.Backend, q store.Query, max int) []string {
	t.Helper()
	var got []string
	for n := 0; ; n++ {
		if n > max {
			t.Fatal("paging does not end")
		}
		next, err := st.Query(ctx, q, func(in *incident.Incident) error {
			got = append(got, in.Location)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if next == "" {
			return got
		}
		q.Cursor = next
	}
}

func queryFeatures(t *testing.T, st store.Backend) {
	insertFixture(t, st)
	q := store.Query{Desc: true, Limit: 4}
	var want []string
	wantNext, err := st.Query(ctx, q, func(in *incident.Incident) error {
		want = append(want, string(in.AppendFeature(nil)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	next, err := st.QueryFeatures(ctx, q, func(f []byte) error {
		got = append(got, string(f))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || next != wantNext || len(got) != 4 {
		t.Errorf("QueryFeatures gave %d features (next %q), Query %d (next %q)", len(got), next, len(want), wantNext)
	}
}

func extent(t *testing.T, st store.Backend) {
	if _, ok, err := st.Extent(ctx, store.Query{}); err != nil || ok {
		t.Errorf("empty store: extent ok=%v err=%v, want none", ok, err)
	}
	stored := insertFixture(t, st)
	b, ok, err := st.Extent(ctx, store.Query{Countries: []string{"AF"}})
	if err != nil || !ok {
		t.Fatalf("Extent: ok=%v err=%v", ok, err)
	}
	want := orb.Bound{Min: orb.Point{64.3692, 31.583}, Max: orb.Point{69.17, 34.53}}
	if !near(b, want, 1e-9) {
		t.Errorf("Extent(AF) = %v, want %v", b, want)
	}
	all, ok, err := st.Extent(ctx, store.Query{})
	if err != nil || !ok {
		t.Fatalf("Extent: ok=%v err=%v", ok, err)
	}
	// The GeoPackage layer extent comes from the R*Tree's float32 boxes.
	if !near(all, orb.Bound{Min: orb.Point{-171.76, -18.14}, Max: orb.Point{178.44, 34.53}}, 1e-4) {
		t.Errorf("Extent() = %v", all)
	}
	if _, ok, _ := st.Extent(ctx, store.Query{Countries: []string{"ZZ"}}); ok {
		t.Error("Extent of nothing says ok")
	}
	// Deleting the westernmost incident (Apia) shrinks the layer extent;
	// an insert grows it again.
	if err := st.Delete(ctx, stored[3].ID); err != nil {
		t.Fatal(err)
	}
	if all, _, _ := st.Extent(ctx, store.Query{}); !near(all, orb.Bound{Min: orb.Point{64.3692, -18.14}, Max: orb.Point{178.44, 34.53}}, 1e-4) {
		t.Errorf("Extent() after a deletion = %v", all)
	}
	if _, err := st.Insert(ctx, []incident.Incident{{EventDate: "2020-01-01", Geometry: orb.Point{-100, 60}}}); err != nil {
		t.Fatal(err)
	}
	if all, _, _ := st.Extent(ctx, store.Query{}); !near(all, orb.Bound{Min: orb.Point{-100, -18.14}, Max: orb.Point{178.44, 60}}, 1e-4) {
		t.Errorf("Extent() after an insert = %v", all)
	}
}

func near(a, b orb.Bound, tol float64) bool {
	for i := range 2 {
		if d := a.Min[i] - b.Min[i]; d > tol || d < -tol {
			return false
		}
		if d := a.Max[i] - b.Max[i]; d > tol || d < -tol {
			return false
		}
	}
	return true
}

func clusters(t *testing.T, st store.Backend) {
	stored := insertFixture(t, st)
	q := store.Query{Statuses: []string{incident.StatusPublished}, Start: "2019-09-15"}
	set, err := st.Clusters(ctx, q, 3)
	if err != nil {
		t.Fatal(err)
	}
	// At zoom 3 the three Helmand incidents share a cell; Suva and Apia
	// have their own. Lashkar Gah (until 09-12) is before Start.
	var got []string
	for _, c := range set.Clusters {
		got = append(got, fmt.Sprintf("%d f%d s%d %v id=%q", c.Count, c.Fatalities, c.Samples, c.EventTypes, c.ID))
	}
	want := []string{
		fmt.Sprintf("2 f7 s0 map[%s:2] id=%q", incident.Battles, ""),
		fmt.Sprintf("1 f1 s0 map[%s:1] id=%q", incident.Riots, stored[3].ID),
		fmt.Sprintf("1 f0 s1 map[%s:1] id=%q", incident.Protests, stored[2].ID),
	}
	if !slices.Equal(got, want) {
		t.Errorf("clusters:\n got %q\nwant %q", got, want)
	}
	if c := set.Clusters[0]; !near(orb.Bound{Min: c.Center, Max: c.Center}, orb.Bound{Min: orb.Point{(64.7449 + 64.75) / 2, (32.4456 + 32.45) / 2}, Max: orb.Point{(64.7449 + 64.75) / 2, (32.4456 + 32.45) / 2}}, 1e-9) {
		t.Errorf("centre %v: the mean of the members' envelope centres", c.Center)
	}
	var days []string
	for _, d := range set.Days {
		days = append(days, fmt.Sprintf("%s:%d", d.Date, d.Count))
	}
	// Days ignore Start and End.
	if want := []string{"2019-09-10:1", "2019-09-15:1", "2019-09-23:2", "2019-10-01:1"}; !slices.Equal(days, want) {
		t.Errorf("days = %q, want %q", days, want)
	}
	deep, err := st.Clusters(ctx, store.Query{Statuses: []string{incident.StatusPublished}}, 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(deep.Clusters) != 5 {
		t.Errorf("%d clusters at the deepest zoom, want 5", len(deep.Clusters))
	}
}

func summary(t *testing.T, st store.Backend) {
	insertFixture(t, st)
	s, err := st.SummarizeAreas(ctx, store.Query{}, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range s.Areas {
		got = append(got, fmt.Sprintf("%s/%s:%d/%d", a.Country, a.Admin1, a.Incidents, a.Fatalities))
	}
	want := []string{"AF/:1/2", "AF/Helmand:2/17", "AF/Kabul:1/3", "FJ/:1/0", "WS/:1/1"}
	slices.Sort(got) // ties among 1s are ordered by key; sort both to compare the sets
	if !slices.Equal(got, want) || s.Areas[0].Admin1 != "Helmand" {
		t.Errorf("areas %q (first %+v), want %q with Helmand first", got, s.Areas[0], want)
	}
	byCountry, err := st.SummarizeAreas(ctx, store.Query{Statuses: []string{incident.StatusPublished}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if a := byCountry.Areas; len(a) != 3 || a[0].Country != "AF" || a[0].Incidents != 3 || a[1].Country != "FJ" || a[2].Country != "WS" {
		t.Errorf("by country: %+v", a)
	}
}

func summaryCaps(t *testing.T, st store.Backend) {
	// More countries, and more admin1 areas, than MaxAreaRows: a
	// choropleth needs every country; the admin1 table keeps the largest.
	n := store.MaxAreaRows + 5
	var ins []incident.Incident
	for i := range n {
		cc := string(rune('A'+i/26)) + string(rune('A'+i%26))
		ins = append(ins, incident.Incident{Location: "x", Country: cc, Admin1: "A" + cc, EventDate: "2020-01-01", Geometry: orb.Point{1, 2}})
	}
	if _, err := st.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	byCountry, err := st.SummarizeAreas(ctx, store.Query{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(byCountry.Areas) != n || byCountry.Truncated != 0 {
		t.Errorf("by country: %d rows, %d truncated, want %d and 0", len(byCountry.Areas), byCountry.Truncated, n)
	}
	byAdmin1, err := st.SummarizeAreas(ctx, store.Query{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(byAdmin1.Areas) != store.MaxAreaRows || byAdmin1.Truncated != 5 {
		t.Errorf("by admin1: %d rows, %d truncated, want %d and 5", len(byAdmin1.Areas), byAdmin1.Truncated, store.MaxAreaRows)
	}
}

func upsert(t *testing.T, st store.Backend) {
	imp := func(sid, loc string) incident.Incident {
		return incident.Incident{SourceEventID: sid, Location: loc, EventDate: "2020-01-01", Geometry: orb.Point{1, 2}}
	}
	first, err := st.Upsert(ctx, []incident.Incident{imp("x:1", "one"), imp("x:2", "two"), {Location: "no sid", EventDate: "2020-01-01", Geometry: orb.Point{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if first.Inserted != 3 || first.Updated != 0 {
		t.Fatalf("first import: %+v", first)
	}
	created, err := st.Get(ctx, first.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	// A re-import: x:1 changed, x:3 new and repeated within the batch.
	again, err := st.Upsert(ctx, []incident.Incident{imp("x:1", "one again"), imp("x:3", "three"), imp("x:3", "three again")})
	if err != nil {
		t.Fatal(err)
	}
	if again.Inserted != 1 || again.Updated != 2 || again.IDs[0] != first.IDs[0] || again.IDs[1] != again.IDs[2] {
		t.Fatalf("re-import: %+v (first ids %q)", again, first.IDs)
	}
	got, err := st.Get(ctx, first.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.Location != "one again" || !got.Created.Equal(created.Created) {
		t.Errorf("re-imported: %q created %v, want \"one again\" created %v", got.Location, got.Created, created.Created)
	}
	if n, _ := st.Count(ctx, store.Query{}); n != 4 {
		t.Errorf("%d incidents, want 4", n)
	}
	if names := names(t, st, store.Query{SourceEventIDs: []string{"x:3"}}); !slices.Equal(names, []string{"three again"}) {
		t.Errorf("x:3 is %q", names)
	}
}

func syncDeletions(t *testing.T, st store.Backend) {
	var ins []incident.Incident
	for _, sid := range []string{"acled:1", "acled:2", "acled:3", "ucdp:1"} {
		ins = append(ins, incident.Incident{SourceEventID: sid, EventDate: "2020-01-01", Geometry: orb.Point{1, 2}})
	}
	if _, err := st.Upsert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	n, err := st.DeleteSourceEventsExcept(ctx, "acled:", map[string]bool{"acled:2": true})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	if _, err := st.Query(ctx, store.Query{}, func(in *incident.Incident) error {
		left = append(left, in.SourceEventID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(left)
	if n != 2 || !slices.Equal(left, []string{"acled:2", "ucdp:1"}) {
		t.Errorf("deleted %d, left %q", n, left)
	}
}

func review(t *testing.T, st store.Backend) {
	in := incident.Incident{EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, Status: incident.StatusUnreviewed}
	stored, err := st.Insert(ctx, []incident.Incident{in})
	if err != nil {
		t.Fatal(err)
	}
	id := stored[0].ID
	got, err := st.Review(ctx, id, incident.StatusRejected, "not an incident")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != incident.StatusRejected {
		t.Errorf("status %q after rejecting", got.Status)
	}
	if note, err := st.ReviewNote(ctx, id); err != nil || note != "not an incident" {
		t.Errorf("ReviewNote = %q, %v", note, err)
	}
	if _, err := st.Review(ctx, id, incident.StatusPublished, ""); !errors.Is(err, store.ErrReview) {
		t.Errorf("publishing a rejected incident: %v, want ErrReview", err)
	}
	if _, err := st.Review(ctx, id, "bogus", ""); !errors.Is(err, store.ErrReview) {
		t.Errorf("an unknown outcome: %v, want ErrReview", err)
	}
	if _, err := st.Review(ctx, "nope", incident.StatusPublished, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("reviewing an unknown id: %v, want ErrNotFound", err)
	}
	if _, err := st.ReviewNote(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReviewNote(unknown): %v", err)
	}
}

func audit(t *testing.T, st store.Backend) {
	actx := store.WithActor(ctx, store.Actor{Name: "alice", Remote: "192.0.2.1", Action: "create", RequestID: "r1"})
	stored, err := st.Insert(actx, []incident.Incident{full()})
	if err != nil {
		t.Fatal(err)
	}
	in := stored[0]
	in.Fatalities, in.Geometry = incident.Int(8), orb.Point{65, 33}
	if _, err := st.Update(store.WithActor(ctx, store.Actor{Name: "bob", Action: "patch"}), in); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	entries, err := st.Audit(ctx, store.AuditQuery{IncidentID: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%s %s/%s/%s/%s %v %v %q", e.Change, e.Actor, e.Remote, e.Action, e.RequestID, e.Before != nil, e.After != nil, e.Changed))
	}
	want := []string{
		`insert alice/192.0.2.1/create/r1 false true []`,
		`update bob//patch/ true true ["fatalities" "geometry"]`,
		`delete unknown//write/ true false []`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("audit:\n got %q\nwant %q", got, want)
	}
	after := entries[0].After
	if after.ID != in.ID || after.Properties["location"] != "Musa Qala" || after.Properties["fatalities"] != float64(7) ||
		!orb.Equal(after.Geometry, geo.Round(full().Geometry, geo.DefaultDecimals)) {
		t.Errorf("recorded row: id %v props %v geometry %v", after.ID, after.Properties, after.Geometry)
	}
	if entries[0].At.IsZero() || entries[0].At.After(time.Now().Add(time.Minute)) {
		t.Errorf("recorded at %v", entries[0].At)
	}
	page, err := st.Audit(ctx, store.AuditQuery{Actor: "bob"})
	if err != nil || len(page) != 1 || page[0].Change != "update" {
		t.Errorf("Audit(actor bob) = %d entries, %v", len(page), err)
	}
	rest, err := st.Audit(ctx, store.AuditQuery{AfterSeq: entries[1].Seq, Limit: 10})
	if err != nil || len(rest) != 1 || rest[0].Change != "delete" {
		t.Errorf("Audit(after %d) = %d entries, %v", entries[1].Seq, len(rest), err)
	}
}

func settings(t *testing.T, st store.Backend) {
	if _, err := st.Setting(ctx, "token"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an absent setting: %v, want ErrNotFound", err)
	}
	v, err := st.SetSettingIfAbsent(ctx, "token", "first")
	if err != nil || v != "first" {
		t.Fatalf("SetSettingIfAbsent = %q, %v", v, err)
	}
	if v, err := st.SetSettingIfAbsent(ctx, "token", "second"); err != nil || v != "first" {
		t.Errorf("setting it again = %q, %v; want the first value kept", v, err)
	}
	if v, err := st.Setting(ctx, "token"); err != nil || v != "first" {
		t.Errorf("Setting = %q, %v", v, err)
	}
	r0, err := st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := insertFixture(t, st)
	r1, _ := st.Revision(ctx)
	if err := st.Delete(ctx, stored[0].ID); err != nil {
		t.Fatal(err)
	}
	r2, _ := st.Revision(ctx)
	if !(r0 < r1 && r1 < r2) {
		t.Errorf("revisions %d, %d, %d: each write must change it", r0, r1, r2)
	}
	if _, err := st.Insert(ctx, []incident.Incident{{ID: stored[1].ID, EventDate: "2020-01-01", Geometry: orb.Point{1, 2}}}); err == nil {
		t.Fatal("a conflicting insert succeeded")
	}
	if r3, _ := st.Revision(ctx); r3 != r2 {
		t.Errorf("a failed write changed the revision %d → %d", r2, r3)
	}
}

func apiKeys(t *testing.T, st store.Backend) {
	kr := keys.New(st, "legacy-token-0123456789")
	secret, added, err := kr.Add(ctx, "bob", keys.Writer)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := kr.Add(ctx, "bob", keys.Reader); !errors.Is(err, keys.ErrExists) {
		t.Errorf("adding bob twice: %v, want ErrExists", err)
	}
	if _, _, err := kr.Add(ctx, "alice", keys.Admin); err != nil {
		t.Fatal(err)
	}
	got, err := kr.Authenticate(ctx, secret)
	if err != nil || got.Name != "bob" || got.Role != keys.Writer || got.Prefix != added.Prefix {
		t.Errorf("Authenticate = %+v, %v", got, err)
	}
	if k, err := kr.Authenticate(ctx, "legacy-token-0123456789"); err != nil || k.Name != keys.LegacyName || k.Role != keys.Admin {
		t.Errorf("the legacy token: %+v, %v", k, err)
	}
	if _, err := kr.Authenticate(ctx, secret+"x"); !errors.Is(err, keys.ErrUnknown) {
		t.Errorf("a wrong secret: %v, want ErrUnknown", err)
	}
	if err := kr.Revoke(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Authenticate(ctx, secret); !errors.Is(err, keys.ErrRevoked) {
		t.Errorf("a revoked key: %v, want ErrRevoked", err)
	}
	if err := kr.Revoke(ctx, "carol"); !errors.Is(err, keys.ErrNotFound) {
		t.Errorf("revoking an unknown key: %v, want ErrNotFound", err)
	}
	list, err := kr.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "alice" || list[0].Revoked != nil || list[1].Name != "bob" || list[1].Revoked == nil ||
		!list[1].Created.Equal(added.Created) {
		t.Errorf("List = %+v", list)
	}
}

func articles(t *testing.T, st store.Backend) {
	a := store.Article{Key: "k1", URL: "https://example.org/a", Title: "A", Published: "2019-10-08", IncidentIDs: []string{"i1", "i2"}, Created: time.Now()}
	if seen, err := st.ArticleSeen(ctx, a.URL); err != nil || seen {
		t.Errorf("ArticleSeen before = %v, %v", seen, err)
	}
	if err := st.RememberArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	again := a
	again.IncidentIDs, again.Reason = nil, "changed"
	if err := st.RememberArticle(ctx, again); err != nil {
		t.Fatalf("remembering an article twice: %v", err)
	}
	none := store.Article{Key: "k2", Reason: "no place named", Created: time.Now()}
	if err := st.RememberArticle(ctx, none); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key, url string
		found    bool
		ids      []string
		reason   string
	}{
		{"k1", "", true, []string{"i1", "i2"}, ""},
		{"other", a.URL, true, []string{"i1", "i2"}, ""},
		{"k2", "", true, []string{}, "no place named"},
		{"other", "", false, nil, ""},
		{"other", "https://example.org/b", false, nil, ""},
	} {
		got, found, err := st.FindArticle(ctx, c.key, c.url)
		if err != nil || found != c.found || found && (!slices.Equal(got.IncidentIDs, c.ids) || got.Reason != c.reason) {
			t.Errorf("FindArticle(%q, %q) = %+v, %v, %v", c.key, c.url, got, found, err)
		}
	}
	if seen, err := st.ArticleSeen(ctx, a.URL); err != nil || !seen {
		t.Errorf("ArticleSeen after = %v, %v", seen, err)
	}
	// The articles of an incident, with their text, oldest first.
	later := store.Article{Key: "k3", URL: "https://example.org/c", IncidentIDs: []string{"i2"}, Created: a.Created.Add(time.Minute),
		Text: "Two were killed in Kabul.\nPolice said so."}
	if err := st.RememberArticle(ctx, later); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id   string
		keys []string
	}{{"i1", []string{"k1"}}, {"i2", []string{"k1", "k3"}}, {"i3", nil}} {
		got, err := st.ArticlesOf(ctx, c.id)
		var keys []string
		for _, g := range got {
			keys = append(keys, g.Key)
		}
		if err != nil || !slices.Equal(keys, c.keys) {
			t.Errorf("ArticlesOf(%s) = %v, %v; want %v", c.id, keys, err, c.keys)
		}
		if len(got) == 2 && (got[1].Text != later.Text || got[1].URL != later.URL || got[0].Text != "") {
			t.Errorf("ArticlesOf(%s): %+v", c.id, got)
		}
	}
}

// ingestArticle: IngestArticle writes an article's new incidents, its
// merges and its record together; an article key recorded already, or a
// merge into an incident that is gone, writes none of it.
func ingestArticle(t *testing.T, st store.Backend) {
	target := insertFixture(t, st)[0]
	before := target
	src := func(url string) incident.Source {
		return incident.Source{URL: url, Evidence: "Five fighters were killed."}
	}
	fresh := func(name string) []incident.Incident {
		return []incident.Incident{{Location: name, EventDate: "2021-04-01", Geometry: orb.Point{66, 33}, Status: incident.StatusUnreviewed}}
	}
	mergedWith := func(url string) []incident.Incident {
		in := target
		in.AddSources(src(url))
		return []incident.Incident{in}
	}
	counted := func() int64 {
		n, err := st.Count(ctx, store.Query{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n0 := counted()
	a := store.Article{Key: "k-ingest", URL: "https://example.org/one", Created: time.Now(), Text: "Five fighters were killed."}
	stored, updated, err := st.IngestArticle(ctx, a, fresh("Fresh"), mergedWith(a.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].ID == "" || len(updated) != 1 || len(updated[0].Sources) != len(before.Sources)+1 {
		t.Fatalf("IngestArticle = %+v, %+v", stored, updated)
	}
	rec, found, err := st.FindArticle(ctx, a.Key, "")
	if err != nil || !found || !slices.Equal(rec.IncidentIDs, []string{stored[0].ID, target.ID}) {
		t.Errorf("the article's record: %+v, %v, %v", rec, found, err)
	}
	if arts, err := st.ArticlesOf(ctx, target.ID); err != nil || len(arts) != 1 || arts[0].Key != a.Key {
		t.Errorf("ArticlesOf the merged incident: %+v, %v", arts, err)
	}
	target = updated[0]

	// The same key again (another program ingested it meanwhile): nothing.
	if _, _, err := st.IngestArticle(ctx, a, fresh("Again"), mergedWith("https://example.org/again")); !errors.Is(err, store.ErrArticleExists) {
		t.Errorf("the same key again: %v, want ErrArticleExists", err)
	}
	// A merge into an incident deleted meanwhile: nothing either.
	gone := mergedWith("https://example.org/gone")
	gone[0].ID = "deleted-meanwhile"
	b := store.Article{Key: "k-gone", Created: time.Now()}
	if _, _, err := st.IngestArticle(ctx, b, fresh("Orphan"), gone); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("merging into a missing incident: %v, want ErrNotFound", err)
	}
	if _, found, err := st.FindArticle(ctx, b.Key, ""); err != nil || found {
		t.Errorf("a failed ingest recorded its article: %v, %v", found, err)
	}
	if n := counted(); n != n0+1 {
		t.Errorf("%d incidents, want %d: a refused ingest wrote some", n, n0+1)
	}
	if got, err := st.Get(ctx, target.ID); err != nil || len(got.Sources) != len(target.Sources) {
		t.Errorf("the merged incident after refused ingests: %d sources, %v; want %d", len(got.Sources), err, len(target.Sources))
	}
}

func feeds(t *testing.T, st store.Backend) {
	reg := feed.NewRegistry(st)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := reg.Add(ctx, feed.Feed{URL: "https://example.org/b.rss", Country: "ng"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Add(ctx, feed.Feed{URL: "https://example.org/a.rss", Every: time.Hour}, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Add(ctx, feed.Feed{URL: "https://example.org/a.rss"}, now); !errors.Is(err, feed.ErrExists) {
		t.Errorf("adding a feed twice: %v, want ErrExists", err)
	}
	due, err := reg.Due(ctx, now.Add(30*time.Second))
	if err != nil || len(due) != 1 || due[0].URL != "https://example.org/b.rss" || due[0].Country != "NG" || due[0].Every != feed.DefaultEvery || !due[0].Added.Equal(now) {
		t.Fatalf("Due = %+v, %v", due, err)
	}
	list, err := reg.List(ctx)
	if err != nil || len(list) != 2 || list[1].URL != "https://example.org/a.rss" || list[1].Every != time.Hour {
		t.Errorf("List = %+v, %v", list, err)
	}
	if err := reg.Remove(ctx, "https://example.org/a.rss"); err != nil {
		t.Fatal(err)
	}
	if err := reg.Remove(ctx, "https://example.org/a.rss"); !errors.Is(err, feed.ErrUnknown) {
		t.Errorf("removing twice: %v, want ErrUnknown", err)
	}
}

func merge(t *testing.T, st store.Backend) {
	src := func(url string) []incident.Source { return []incident.Source{{URL: url}} }
	stored, err := st.Insert(ctx, []incident.Incident{
		{EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, Sources: src("https://example.org/a")},
		{EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, Sources: src("https://example.org/b"), Status: incident.StatusUnreviewed},
	})
	if err != nil {
		t.Fatal(err)
	}
	into, from := stored[0].ID, stored[1].ID
	if err := st.RememberArticle(ctx, store.Article{Key: "m1", URL: "https://example.org/b", IncidentIDs: []string{from},
		Created: time.Now(), Text: "The report."}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Merge(ctx, from, into)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sources) != 2 || got.ID != into {
		t.Errorf("merged: %+v", got)
	}
	back, err := st.Get(ctx, from)
	if err != nil || back.Status != incident.StatusRejected {
		t.Errorf("the queued incident after merging: %q, %v", back.Status, err)
	}
	if note, _ := st.ReviewNote(ctx, from); note != "merged into "+into {
		t.Errorf("its note: %q", note)
	}
	// The article it was read from is the merged-into incident's too.
	if arts, err := st.ArticlesOf(ctx, into); err != nil || len(arts) != 1 || arts[0].Key != "m1" {
		t.Errorf("the articles of the incident merged into: %+v, %v", arts, err)
	}
	if a, _, err := st.FindArticle(ctx, "m1", ""); err != nil || !slices.Equal(a.IncidentIDs, []string{from, into}) {
		t.Errorf("the article's incidents after merging: %v, %v", a.IncidentIDs, err)
	}
	if _, err := st.Merge(ctx, from, into); !errors.Is(err, store.ErrReview) {
		t.Errorf("merging twice: %v, want ErrReview", err)
	}
	if _, err := st.Merge(ctx, "nope", into); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("merging an unknown id: %v, want ErrNotFound", err)
	}
}

func statusCounts(t *testing.T, st store.Backend) {
	check := func(when string) {
		t.Helper()
		for _, statuses := range [][]string{nil, {incident.StatusPublished}, {incident.StatusUnreviewed}, {incident.StatusRejected},
			{incident.StatusPublished, incident.StatusUnreviewed}} {
			// A start date before every incident makes the same count a scan.
			want, err := st.Count(ctx, store.Query{Statuses: statuses, Start: "0001-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := st.Count(ctx, store.Query{Statuses: statuses}); err != nil || got != want {
				t.Errorf("%s: Count(%q) = %d, %v; the rows hold %d", when, statuses, got, err, want)
			}
		}
	}
	check("empty")
	stored := insertFixture(t, st)
	check("after an insert")
	if _, err := st.Review(ctx, stored[4].ID, incident.StatusPublished, ""); err != nil {
		t.Fatal(err)
	}
	queued := incident.Incident{EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, Status: incident.StatusUnreviewed, SourceEventID: "q:1"}
	if _, err := st.Upsert(ctx, []incident.Incident{queued, {EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, SourceEventID: "q:2"}}); err != nil {
		t.Fatal(err)
	}
	check("after a review and an upsert")
	up := stored[0]
	up.Status = incident.StatusRejected
	if _, err := st.Update(ctx, up); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, stored[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteSourceEventsExcept(ctx, "q:", map[string]bool{"q:2": true}); err != nil {
		t.Fatal(err)
	}
	check("after an update, a deletion and a sync deletion")
}
