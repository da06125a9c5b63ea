package learn_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

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
	for _, c := range []struct {
		file     string
		examples []textclass.Example
	}{{"event_type.txt", types}, {"sub_event_type.txt", subs}} {
		got, err := learn.Encode(learn.Train(c.examples))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "model", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh training: run go generate ./internal/extract/ and commit", c.file)
		}
	}
}
