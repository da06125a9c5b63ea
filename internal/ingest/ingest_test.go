package ingest_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/store/storetest"
)

var loadGazetteer = sync.OnceValues(gazetteer.Builtin)

func newIngester(t *testing.T) (*ingest.Ingester, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "test.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	ing := ingest.New(st, extract.New(g))
	return ing, st
}

func count(t *testing.T, st *store.Store) int64 {
	t.Helper()
	n, err := st.Count(context.Background(), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const report1 = `Two policemen were killed when gunmen attacked a checkpoint in Bannu district on Thursday, officials said.`

// The same event seen by another outlet, in other words, a day later.
const report2 = `Militants stormed a police checkpoint in Bannu on Thursday night, killing two officers, police said on Friday.`

func TestIngestIsIdempotent(t *testing.T) {
	ing, st := newIngester(t)
	ctx := context.Background()
	a := extract.Article{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"}
	first, err := ing.Ingest(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 1 || first.Items[0].Status != ingest.StatusNew || first.Duplicate {
		t.Fatalf("first ingest = %+v", first)
	}
	// Again, with other spacing: nothing new.
	a.Text = "  " + report1 + "\n\n"
	second, err := ing.Ingest(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Duplicate || len(second.Items) != 1 || second.Items[0].Status != ingest.StatusExisting ||
		second.Items[0].Incident.ID != first.Items[0].Incident.ID {
		t.Fatalf("second ingest = %+v", second)
	}
	if n := count(t, st); n != 1 {
		t.Errorf("%d incidents stored, want 1", n)
	}
}

func TestIngestMergesReportsOfOneIncident(t *testing.T) {
	ing, st := newIngester(t)
	ctx := context.Background()
	r1, err := ing.Ingest(ctx, extract.Article{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := ing.Ingest(ctx, extract.Article{Text: report2, URL: "https://example.org/two", Published: "2023-05-13"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r1.Items) != 1 || len(r2.Items) != 1 {
		t.Fatalf("items %d and %d, want 1 and 1", len(r1.Items), len(r2.Items))
	}
	if r2.Items[0].Status != ingest.StatusMerged || r2.Items[0].Incident.ID != r1.Items[0].Incident.ID {
		t.Fatalf("second report = %+v, want merged into %s", r2.Items[0], r1.Items[0].Incident.ID)
	}
	got, err := st.Get(ctx, r1.Items[0].Incident.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sources) != 2 || got.Sources[0].URL != "https://example.org/one" || got.Sources[1].URL != "https://example.org/two" {
		t.Errorf("sources = %+v, want both articles", got.Sources)
	}
	if n := count(t, st); n != 1 {
		t.Errorf("%d incidents stored, want 1", n)
	}
}

func TestIngestNothingToStore(t *testing.T) {
	ing, st := newIngester(t)
	res, err := ing.Ingest(context.Background(), extract.Article{Text: "The council met to discuss the budget for schools.", Published: "2023-05-12"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 0 || res.Reason == "" {
		t.Errorf("result = %+v, want no incident and a reason", res)
	}
	if n := count(t, st); n != 0 {
		t.Errorf("%d incidents stored, want 0", n)
	}
}

func TestKey(t *testing.T) {
	if ingest.Key("Two  killed,\nin Kabul.") != ingest.Key("two killed in kabul") {
		t.Error("keys differ for the same words")
	}
	if ingest.Key("Two killed in Kabul") == ingest.Key("Three killed in Kabul") {
		t.Error("keys equal for different texts")
	}
}

// TestIngestConcurrently sends articles at once from several goroutines:
// the same article, the same article from another URL, and another
// report of the same incident. Each must leave one incident whatever the
// interleaving, every call saying which one.
func TestIngestConcurrently(t *testing.T) {
	cases := []struct {
		name     string
		articles []extract.Article
	}{
		{"same article", []extract.Article{
			{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"},
			{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"},
			{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"},
			{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"},
		}},
		{"same text, other urls", []extract.Article{
			{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"},
			{Text: report1 + "\n", URL: "https://mirror.example.org/one", Published: "2023-05-12"},
			{Text: report1, Published: "2023-05-12"},
		}},
		{"two reports of one incident", []extract.Article{
			{Text: report1, URL: "https://example.org/one", Published: "2023-05-12"},
			{Text: report2, URL: "https://example.org/two", Published: "2023-05-13"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ing, st := newIngester(t)
			ctx := context.Background()
			start := make(chan struct{})
			results := make([]ingest.Result, len(tc.articles))
			errs := make([]error, len(tc.articles))
			var wg sync.WaitGroup
			for i, a := range tc.articles {
				wg.Go(func() {
					<-start
					results[i], errs[i] = ing.Ingest(ctx, a)
				})
			}
			close(start)
			wg.Wait()
			ids := map[string]bool{}
			for i, r := range results {
				if errs[i] != nil {
					t.Fatalf("article %d: %v", i, errs[i])
				}
				if len(r.Items) != 1 {
					t.Fatalf("article %d: %d items, want 1: %+v", i, len(r.Items), r)
				}
				ids[r.Items[0].Incident.ID] = true
			}
			if len(ids) != 1 {
				t.Errorf("the articles name %d incidents, want 1: %v", len(ids), ids)
			}
			if n := count(t, st); n != 1 {
				t.Errorf("%d incidents stored, want 1", n)
			}
		})
	}
}

// TestIngestFromTwoPrograms ingests the same articles at the same instant
// through two handles on one store, each with its own connections and
// its own Ingester — the command-line ingest beside a running serve — on
// every backend. The store keeps one article per key: each article gives
// one incident, one call says it is new and the others that it was
// ingested before, naming that incident.
func TestIngestFromTwoPrograms(t *testing.T) {
	g, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(g)
	towns := []string{"Bannu", "Kunduz", "Kandahar", "Peshawar", "Quetta", "Herat", "Jalalabad", "Ghazni"}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			if b.Skip != "" {
				t.Skip(b.Skip)
			}
			one, two := b.OpenTwice(t)
			programs := []*ingest.Ingester{ingest.New(one, ex), ingest.New(two, ex)}
			ctx := context.Background()
			for _, town := range towns {
				a := extract.Article{Text: "Two policemen were killed when gunmen attacked a checkpoint in " + town + " on Thursday, officials said.",
					URL: "https://example.org/" + town, Published: "2023-05-12"}
				const calls = 4 // two per program
				start := make(chan struct{})
				results := make([]ingest.Result, calls)
				errs := make([]error, calls)
				var wg sync.WaitGroup
				for i := range calls {
					wg.Go(func() {
						<-start
						results[i], errs[i] = programs[i%2].Ingest(ctx, a)
					})
				}
				close(start)
				wg.Wait()
				ids := map[string]bool{}
				fresh := 0
				for i, r := range results {
					if errs[i] != nil {
						t.Fatalf("%s, call %d: %v", town, i, errs[i])
					}
					if len(r.Items) != 1 {
						t.Fatalf("%s, call %d: %d items, want 1: %+v", town, i, len(r.Items), r)
					}
					if !r.Duplicate {
						fresh++
					}
					ids[r.Items[0].Incident.ID] = true
				}
				if fresh != 1 || len(ids) != 1 {
					t.Errorf("%s: %d calls found it new, naming %d incidents; want 1 and 1", town, fresh, len(ids))
				}
			}
			for _, st := range []store.Backend{one, two} {
				n, err := st.Count(ctx, store.Query{})
				if err != nil {
					t.Fatal(err)
				}
				arts, err := st.Articles(ctx, "", 100)
				if err != nil {
					t.Fatal(err)
				}
				if n != int64(len(towns)) || len(arts) != len(towns) {
					t.Errorf("%d incidents and %d articles stored, want %d of each", n, len(arts), len(towns))
				}
			}
		})
	}
}
