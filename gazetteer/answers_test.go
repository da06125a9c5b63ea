package gazetteer

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateAnswers = flag.Bool("update-answers", false, "rewrite testdata/answers.sha256 from the current data")

// answersFile holds the digest TestAnswersUnchanged compares with.
const answersFile = "testdata/answers.sha256"

// TestAnswersUnchanged digests what the built-in gazetteer answers for
// every place: Get of its id, its Parents, Lookup of its name (and, for
// every 16th place, of a misspelling that only the phonetic index can
// match), Known of its key and Reverse of its point. A change of the data's
// format or of the loading code must leave the digest as it was; a
// deliberate change of the data or of ranking rewrites it with
// -update-answers, and the commit says why.
func TestAnswersUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: asks the gazetteer about every place")
	}
	g := builtin(t)
	got := answersDigest(t, g)
	if *updateAnswers {
		if err := os.MkdirAll(filepath.Dir(answersFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(answersFile, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(answersFile)
	if err != nil {
		t.Fatalf("reading %s (run with -update-answers to create it): %v", answersFile, err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Errorf("answers digest %s, want %s: the gazetteer answers differently than when %s was written",
			got, strings.TrimSpace(string(want)), answersFile)
	}
}

// answersDigest is the hex SHA-256 of every answer TestAnswersUnchanged
// checks, written with %+v so that every field and every float's exact
// value counts.
func answersDigest(t *testing.T, g *Gazetteer) string {
	h := sha256.New()
	n := 0
	fmt.Fprintf(h, "len %d maxwords %d\n", g.Len(), g.MaxNameWords())
	g.Each(func(p Place) bool {
		writeAnswers(t, h, g, p, n)
		n++
		return true
	})
	if n != g.Len() || n == 0 {
		t.Fatalf("Each gave %d places, Len %d", n, g.Len())
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeAnswers(t *testing.T, h hash.Hash, g *Gazetteer, p Place, n int) {
	fmt.Fprintf(h, "each %+v\n", p)
	got, err := g.Get(p.ID)
	fmt.Fprintf(h, "get %+v %v\n", got, err)
	fmt.Fprintf(h, "parents %+v\n", g.Parents(p))
	queries := []string{p.Name}
	if n%16 == 0 && len(p.ASCIIName) > 5 {
		// Doubling a letter leaves the phonetic key but not the name.
		queries = append(queries, p.ASCIIName[:3]+p.ASCIIName[2:])
	}
	for _, q := range queries {
		cands, err := g.Lookup(q, Hints{})
		if err != nil {
			fmt.Fprintf(h, "lookup %q %v\n", q, err)
			continue
		}
		for _, c := range cands {
			fmt.Fprintf(h, "lookup %q %s %v %s %s\n", q, c.Place.ID, c.Score, c.Reason, c.Match)
		}
		if len(cands) > 0 {
			fmt.Fprintf(h, "first %+v\n", cands[0].Place)
		}
	}
	key := Normalize(p.Name)
	fmt.Fprintf(h, "known %+v %v\n", g.Known(key), g.HasPrefix(key))
	rev, err := g.Reverse(p.Point[1], p.Point[0])
	if err != nil {
		t.Fatalf("Reverse(%v) of %s: %v", p.Point, p.ID, err)
	}
	fmt.Fprintf(h, "reverse %+v\n", rev)
}
