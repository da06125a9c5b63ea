package extract_test

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/eval"
	"github.com/incidentmap/incidentmap/internal/extract"
)

// sharedDir finds ../shared beside the repository (or INCIDENTMAP_SHARED).
func sharedDir(t testing.TB) string {
	if d := os.Getenv("INCIDENTMAP_SHARED"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// builtin loads the embedded gazetteer once per test binary.
func builtin(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	g, err := loadGazetteer()
	if err != nil {
		t.Fatalf("loading gazetteer: %v", err)
	}
	return g
}

// corpus reads shared/corpus/name with read, and skips the test when the
// file is absent.
func corpus[T any](tb testing.TB, name string, read func(io.Reader) ([]T, error)) []T {
	tb.Helper()
	path := filepath.Join(sharedDir(tb), "corpus", name)
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("no corpus at %s (set INCIDENTMAP_SHARED): %v", path, err)
	}
	defer f.Close()
	arts, err := read(f)
	if err != nil {
		tb.Fatalf("reading %s: %v", path, err)
	}
	return arts
}

// loadGazetteer loads the embedded gazetteer on first use: tests and
// benchmarks share it rather than each paying for the load.
var loadGazetteer = sync.OnceValues(gazetteer.Builtin)

// TestDevCorpus scores extraction on shared/corpus/dev.jsonl and fails on
// gross regressions only: the floors sit below the figures reached.
func TestDevCorpus(t *testing.T) {
	arts := corpus(t, "dev.jsonl", eval.ReadIncidentCorpus)
	ex := extract.New(builtin(t)).WithClock(eval.ExtractionDay)
	var total eval.IncidentScore
	verbose := os.Getenv("INCIDENTMAP_EVAL_VERBOSE") != ""
	for _, a := range arts {
		art, err := a.Article()
		if err != nil {
			t.Fatal(err)
		}
		res, err := ex.Extract(art)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		sc := eval.ScoreArticle(a.Incidents, res.Incidents)
		total.Add(sc)
		if verbose {
			var sb strings.Builder
			eval.WriteIncidents(&sb, a, res, sc)
			t.Log("\n" + sb.String())
		}
	}
	var sb strings.Builder
	if err := total.Report(&sb); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + sb.String())
	// Floors a little below the figures reached (see the report in the
	// commit history): they catch gross regressions, not small ones.
	floors := []struct {
		name      string
		got, want float64
	}{
		{"located", ratio(total.Located, total.Gold), 0.78},
		{"country", ratio(total.Country, total.Gold), 0.90},
		{"date exact", ratio(total.DateExact, total.DateGold), 0.75},
		{"fatalities exact", ratio(total.FatalExact, total.FatalGold), 0.70},
		{"incident precision", total.Precision(), 0.85},
	}
	for _, f := range floors {
		if f.got < f.want {
			t.Errorf("%s = %.3f, below the floor %.2f", f.name, f.got, f.want)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestTRNews scores toponym recognition and resolution on TR-News and
// fails on gross regressions only.
func TestTRNews(t *testing.T) {
	arts := corpus(t, "trnews.jsonl", eval.ReadToponymCorpus)
	ex := extract.New(builtin(t))
	var total eval.ToponymScore
	verbose := os.Getenv("INCIDENTMAP_EVAL_VERBOSE") != ""
	for _, a := range arts {
		ms := ex.Geoparse(a.Text)
		total.Add(eval.ScoreToponyms(a.Toponyms, eval.PredictedToponyms(ms)))
		if verbose {
			var sb strings.Builder
			eval.WriteToponymErrors(&sb, a, ms)
			t.Log("\n" + sb.String())
		}
	}
	var sb strings.Builder
	if err := total.Report(&sb); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + sb.String())
	if total.F1() < 0.84 || total.AccuracyAt(161) < 0.74 {
		t.Errorf("F1 %.3f, acc@161 %.3f: below the floors 0.84 and 0.74", total.F1(), total.AccuracyAt(161))
	}
}

// BenchmarkExtractDev measures articles per second over the real articles
// of shared/corpus/dev.jsonl (about 1.5 KB each), when present.
func BenchmarkExtractDev(b *testing.B) {
	var arts []extract.Article
	size := 0
	for _, a := range corpus(b, "dev.jsonl", eval.ReadIncidentCorpus) {
		art, err := a.Article()
		if err != nil {
			b.Fatal(err)
		}
		arts = append(arts, art)
		size += len(a.Text)
	}
	ex := extract.New(builtin(b))
	b.SetBytes(int64(size / len(arts)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ex.Extract(arts[i%len(arts)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
