package transfer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
	"github.com/incidentmap/incidentmap/internal/store/transfer"
)

var ctx = context.Background()

// backend returns the named backend of storetest, skipping t when it
// cannot run here.
func backend(t *testing.T, name string) storetest.Backend {
	t.Helper()
	for _, b := range storetest.Backends() {
		if b.Name == name {
			if b.Skip != "" {
				t.Skip(b.Skip)
			}
			return b
		}
	}
	t.Fatalf("no backend %q", name)
	return storetest.Backend{}
}

// fill writes a little of everything a store keeps into st.
func fill(t *testing.T, st store.Backend, n int) {
	t.Helper()
	var ins []incident.Incident
	for i := range n {
		in := incident.Incident{EventDate: fmt.Sprintf("2020-%02d-%02d", 1+i%12, 1+i%28), Geometry: orb.Point{float64(i%360) - 180, float64(i%170) - 85},
			EventType: incident.Battles, Location: fmt.Sprintf("place %d", i), Fatalities: incident.Int(i % 7), Tags: []string{"t"},
			Sources: []incident.Source{{URL: fmt.Sprintf("https://example.org/%d", i), Title: "ü"}}, SourceEventID: fmt.Sprintf("x:%d", i)}
		if i%5 == 0 {
			in.Status = incident.StatusUnreviewed
		}
		if i%11 == 3 {
			in.Geometry = orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
		}
		ins = append(ins, in)
	}
	actx := store.WithActor(ctx, store.Actor{Name: "alice", Remote: "192.0.2.1", Action: "import", RequestID: "r1"})
	stored, err := st.Insert(actx, ins)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Review(actx, stored[0].ID, incident.StatusRejected, "a duplicate"); err != nil {
		t.Fatal(err)
	}
	up := stored[1]
	up.Fatalities = incident.Int(99)
	if _, err := st.Update(actx, up); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(actx, stored[2].ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := keys.New(st, "").Add(ctx, "bob", keys.Writer); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetSettingIfAbsent(ctx, "token", "secret-token-0123456789"); err != nil {
		t.Fatal(err)
	}
	if err := st.RememberArticle(ctx, store.Article{Key: "k1", URL: "https://example.org/a", Title: "A", IncidentIDs: []string{stored[n-1].ID},
		Created: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := feed.NewRegistry(st).Add(ctx, feed.Feed{URL: "https://example.org/feed.rss", Country: "NG"}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}

// content is everything of st a copy must keep, as comparable text.
func content(t *testing.T, st store.Backend) []string {
	t.Helper()
	var out []string
	if _, err := st.Dump(ctx, 0, 1<<30, func(in *store.StoredIncident) error {
		out = append(out, fmt.Sprintf("%s status=%s note=%q created=%s updated=%s", in.AppendFeature(nil), in.Status, in.ReviewNote,
			in.Created.Format(incident.TimeLayout), in.Updated.Format(incident.TimeLayout)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	entries, err := st.Audit(ctx, store.AuditQuery{Limit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		e.Seq = 0 // each store numbers its own
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "audit "+string(b))
	}
	ks, err := st.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		out = append(out, fmt.Sprintf("key %+v", k))
	}
	arts, err := st.Articles(ctx, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		out = append(out, fmt.Sprintf("article %+v", a))
	}
	feeds, err := st.Feeds(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		out = append(out, fmt.Sprintf("feed %+v", f))
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if s.Key != "revision" && !strings.HasPrefix(s.Key, "migrate.") {
			out = append(out, "setting "+s.Key+"="+s.Value)
		}
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for _, route := range [][]string{{"gpkg", "postgis", "gpkg"}, {"postgis", "gpkg", "postgis"}, {"gpkg", "gpkg"}} {
		t.Run(strings.Join(route, "→"), func(t *testing.T) {
			stores := make([]store.Backend, len(route))
			for i, name := range route {
				stores[i] = backend(t, name).Open(t)
			}
			fill(t, stores[0], 40)
			want := content(t, stores[0])
			if len(want) < 40+40+1+1 {
				t.Fatalf("the source holds only %d things", len(want))
			}
			for i := 1; i < len(stores); i++ {
				st, err := transfer.Copy(ctx, stores[i-1], stores[i], transfer.Options{Source: fmt.Sprintf("source %d", i), Batch: 7})
				if err != nil {
					t.Fatal(err)
				}
				if st.Incidents != 39 || st.AuditEntries != 43 || st.Keys != 1 || st.Settings != 1 || st.Articles != 1 || st.Feeds != 1 || st.Resumed {
					t.Errorf("copy %d: %+v", i, st)
				}
				if got := content(t, stores[i]); !slices.Equal(got, want) {
					t.Errorf("copy %d differs from the source:\n%s", i, diff(want, got))
				}
			}
			last := stores[len(stores)-1]
			if n, _ := last.Count(ctx, store.Query{Statuses: []string{incident.StatusUnreviewed}}); n != 7 {
				t.Errorf("the copy's queries see %d unreviewed incidents, want 7", n)
			}
		})
	}
}

func diff(want, got []string) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "first difference at %d:\nwant %s\n got %s\n", i, w, g)
			break
		}
	}
	fmt.Fprintf(&b, "(%d lines, want %d)", len(got), len(want))
	return b.String()
}

func TestResume(t *testing.T) {
	for _, route := range [][]string{{"gpkg", "postgis"}, {"postgis", "gpkg"}, {"gpkg", "gpkg"}} {
		t.Run(strings.Join(route, "→"), func(t *testing.T) {
			from, to := backend(t, route[0]).Open(t), backend(t, route[1]).Open(t)
			fill(t, from, 30)
			want := content(t, from)
			// Interrupted after the second batch of incidents.
			cctx, cancel := context.WithCancel(ctx)
			batches := 0
			first, err := transfer.Copy(cctx, from, to, transfer.Options{Source: "src", Batch: 4, Progress: func(transfer.Stats) {
				if batches++; batches == 2 {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) || first.Incidents != 8 {
				t.Fatalf("interrupted copy: %+v, %v", first, err)
			}
			if _, err := transfer.Copy(ctx, from, to, transfer.Options{Source: "another"}); !errors.Is(err, transfer.ErrOtherSource) {
				t.Errorf("resuming from another source: %v, want ErrOtherSource", err)
			}
			second, err := transfer.Copy(ctx, from, to, transfer.Options{Source: "src", Batch: 4})
			if err != nil {
				t.Fatal(err)
			}
			if !second.Resumed || second.Incidents != 29-8 || second.Keys != 0 || second.Feeds != 0 {
				t.Errorf("resumed copy: %+v", second)
			}
			if got := content(t, to); !slices.Equal(got, want) {
				t.Errorf("resumed copy differs from the source:\n%s", diff(want, got))
			}
			// Run again: nothing left to copy.
			third, err := transfer.Copy(ctx, from, to, transfer.Options{Source: "src"})
			if err != nil || third.Incidents != 0 || third.AuditEntries != 0 {
				t.Errorf("a finished copy run again: %+v, %v", third, err)
			}
		})
	}
}

func TestRefusesANonEmptyDestination(t *testing.T) {
	b := backend(t, "gpkg")
	from, to := b.Open(t), b.Open(t)
	fill(t, from, 3)
	if _, err := to.Insert(ctx, []incident.Incident{{EventDate: "2020-01-01", Geometry: orb.Point{1, 2}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := transfer.Copy(ctx, from, to, transfer.Options{Source: "src"}); !errors.Is(err, transfer.ErrNotEmpty) {
		t.Errorf("copying into a store with incidents: %v, want ErrNotEmpty", err)
	}
}
