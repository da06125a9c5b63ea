package learn_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/extract/learn"
	"github.com/incidentmap/incidentmap/internal/textclass"
)

func sharedCorpus(t *testing.T) string {
	if d := os.Getenv("INCIDENTMAP_SHARED"); d != "" {
		return filepath.Join(d, "corpus")
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "corpus")
}

// The committed model files are what the trainer makes of the development
// corpus today: generated data that anyone can rebuild byte for byte.
func TestCommittedModelsReproduce(t *testing.T) {
	path := filepath.Join(sharedCorpus(t), "acled_dev.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no corpus at %s (set INCIDENTMAP_SHARED): %v", path, err)
	}
	defer f.Close()
	types, subs, err := learn.EventExamples(f, extract.NewFeaturizer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	countries, err := learn.CountryExamples(f, extract.NewFeaturizer())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file     string
		examples []textclass.Example
	}{{"event_type.txt", types}, {"sub_event_type.txt", subs}, {"country.txt", countries}} {
		got, err := learn.Encode(learn.Train(c.examples))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "model", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh training: run make models and commit", c.file)
		}
	}
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	el, err := os.Open(filepath.Join(sharedCorpus(t), "event_location_dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer el.Close()
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	aliases, err := learn.AdminAliases(f, gaz)
	if err != nil {
		t.Fatal(err)
	}
	if want, err := os.ReadFile(filepath.Join("..", "model", "admin_aliases.tsv")); err != nil || !bytes.Equal(aliases, want) {
		t.Errorf("admin_aliases.tsv differs from a fresh derivation (%v): run make models and commit", err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	groups, err := learn.PlaceGroups(el, f, extract.New(gaz))
	if err != nil {
		t.Fatal(err)
	}
	got, err := learn.Encode(learn.TrainRanker(groups))
	if err != nil {
		t.Fatal(err)
	}
	if want, err := os.ReadFile(filepath.Join("..", "model", "event_place.txt")); err != nil || !bytes.Equal(got, want) {
		t.Errorf("event_place.txt differs from a fresh training (%v): run make models and commit", err)
	}
}
