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

// TestTRNewsResolution resolves the gold toponym names of TR-News (the
// spans are given; spotting them is extraction's job) and checks how many
// land within 161 km of the gold point, the field's usual measure.
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
	var total, lookupHits, resolveHits int
	misses := map[string]int{}
	for sc.Scan() {
		var a trArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var ms []Mention
		for _, tp := range a.Toponyms {
			ms = append(ms, Mention{Text: tp.Name})
		}
		resolved, err := g.Resolve(ms, Hints{})
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		for i, tp := range a.Toponyms {
			total++
			gold := orb.Point{tp.Lon, tp.Lat}
			if c, err := g.Lookup(tp.Name, Hints{}); err == nil && len(c) > 0 && distanceKm(c[0].Place.Centre, gold) <= 161 {
				lookupHits++
			}
			if resolved[i].Place.ID != "" && distanceKm(resolved[i].Place.Centre, gold) <= 161 {
				resolveHits++
			} else {
				misses[tp.Name]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	lookupAcc := float64(lookupHits) / float64(total)
	resolveAcc := float64(resolveHits) / float64(total)
	t.Logf("TR-News %d toponyms: accuracy@161km Lookup top-1 %.3f, Resolve per article %.3f", total, lookupAcc, resolveAcc)
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
	// A name-only match finds a candidate within 161 km for about 65% of
	// TR-News mentions (docs/REFERENCE.md); demonyms, regions,
	// abbreviations, admin centres, equal-area country centroids and
	// coherent resolution reached 0.769; GeoNames' reference points for
	// countries (Canada's and Russia's lie 170-900 km from any centre of
	// their Natural Earth shapes) 0.855. Most of the rest are admin1
	// areas (Alberta, Ontario), whose GeoNames points no reachable source
	// ships. Guard against regressions:
	if resolveAcc < 0.83 {
		t.Errorf("Resolve accuracy@161km = %.3f, want at least 0.83", resolveAcc)
	}
}
