package ingest_test

import (
	"context"
	"testing"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/sample"
)

// A real report of an event at the place and date of a sample incident
// must be stored on its own, not merged into the invented one.
func TestIngestNeverMergesIntoSamples(t *testing.T) {
	ing, st := newIngester(t)
	ctx := context.Background()
	if _, err := sample.SeedIfEmpty(ctx, st); err != nil {
		t.Fatal(err)
	}
	before := count(t, st)
	text := "Security forces raided a compound in the Musa Qala district of Helmand province on September 23, " +
		"killing seven Taliban fighters in a firefight, officials said."
	res, err := ing.Ingest(ctx, extract.Article{Text: text, Published: "2019-09-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 || res.Items[0].Status != ingest.StatusNew {
		t.Fatalf("items = %+v, want one new incident", res.Items)
	}
	for _, tag := range res.Items[0].Incident.Tags {
		if tag == incident.SampleTag {
			t.Fatal("the report's incident carries the sample tag")
		}
	}
	if n := count(t, st); n != before+1 {
		t.Fatalf("%d incidents, want %d", n, before+1)
	}
}
