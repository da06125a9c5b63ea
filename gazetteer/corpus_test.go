package gazetteer

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb"
)

// sharedDir finds the shared data directory: $INCIDENTMAP_SHARED, else
// ../shared next to the repository root (the directory holding go.mod).
func sharedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("INCIDENTMAP_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

type trArticle struct {
	ID       string `json:"id"`
	Toponyms []struct {
		Name string  `json:"name"`
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
	} `json:"toponyms"`
}

// minLookupAcc is the share of TR-News mentions whose first look-up
// answer lies within 161 km of the gold point, less a margin for data
// changes: a regression guard on names, alternates and ranking.
const minLookupAcc = 0.76

// TestTRNewsResolution looks up the gold toponym names of TR-News (the
// spans are given; spotting them is extraction's job) and checks how many
// first answers land within 161 km of the gold point, the field's usual
// measure.
func TestTRNewsResolution(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: resolves every TR-News toponym")
	}
	path := filepath.Join(sharedDir(t), "corpus", "trnews.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("TR-News corpus not available (%v); set INCIDENTMAP_SHARED to the shared directory", err)
	}
	defer f.Close()
	g := builtin(t)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var total, lookupHits int
	misses := map[string]int{}
	for sc.Scan() {
		var a trArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, tp := range a.Toponyms {
			total++
			gold := orb.Point{tp.Lon, tp.Lat}
			if c, err := g.Lookup(tp.Name, Hints{}); err == nil && len(c) > 0 && distanceKm(c[0].Place.Centre, gold) <= 161 {
				lookupHits++
			} else {
				misses[tp.Name]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	lookupAcc := float64(lookupHits) / float64(total)
	t.Logf("TR-News %d toponyms: accuracy@161km Lookup top-1 %.3f", total, lookupAcc)
	type miss struct {
		name string
		n    int
	}
	var ml []miss
	for k, v := range misses {
		ml = append(ml, miss{k, v})
	}
	sort.Slice(ml, func(i, j int) bool { return ml[i].n > ml[j].n || ml[i].n == ml[j].n && ml[i].name < ml[j].name })
	if len(ml) > 25 {
		ml = ml[:25]
	}
	t.Logf("most missed: %v", ml)
	// A name-only match, with no context at all, finds the gold place first
	// for this share of TR-News mentions; resolution in context (the whole
	// article: extract's resolver, scored by incidentmap eval --toponyms
	// against a committed baseline) does better. Guard the look-up itself:
	if lookupAcc < minLookupAcc {
		t.Errorf("Lookup top-1 accuracy@161km = %.3f, want at least %.2f", lookupAcc, minLookupAcc)
	}
}
