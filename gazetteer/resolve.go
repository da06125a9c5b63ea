package gazetteer

import (
	"fmt"
	"strings"
)

// Mention is one place name to resolve, with an optional level the caller
// already knows ("the Musa Qala district" → LevelAdmin2).
type Mention struct {
	Text  string
	Level Level
}

// resolveCandidates is how many candidates per mention Resolve weighs.
const resolveCandidates = 8

// coherenceWeight is what one supporting mention is worth in score: about
// the gap between a country's capital and a mid-sized town elsewhere.
const coherenceWeight = 2.5

// Resolve picks one place for each mention, preferring a coherent set: a
// district inside the province also mentioned, places inside the countries
// mentioned, places near each other; then each candidate's own Lookup
// score (match, importance). The result has one Candidate per mention, in
// order; a mention with no candidate gets a zero Candidate (empty
// Place.ID) whose Reason says so. Only a mention with no letters or digits
// is an error.
func (g *Gazetteer) Resolve(mentions []Mention, h Hints) ([]Candidate, error) {
	// One sense per discourse: mentions of the same name at the same level
	// are one place, resolved once and counted once as support (ten
	// "London"s must not vouch for each other).
	type group struct {
		text  string
		cands []Candidate
	}
	var groups []group
	groupOf := make([]int, len(mentions))
	seen := map[[2]string]int{}
	for i, m := range mentions {
		key := [2]string{Normalize(m.Text), m.Level.String()}
		if gi, ok := seen[key]; ok {
			groupOf[i] = gi
			continue
		}
		hh := h
		if m.Level != LevelAny {
			hh.Level = m.Level
		}
		c, err := g.Lookup(m.Text, hh)
		if err != nil {
			return nil, fmt.Errorf("resolving mention %d: %w", i, err)
		}
		if len(c) > resolveCandidates {
			c = c[:resolveCandidates]
		}
		seen[key] = len(groups)
		groupOf[i] = len(groups)
		groups = append(groups, group{text: m.Text, cands: c})
	}
	cands := make([][]Candidate, len(groups))
	for gi := range groups {
		cands[gi] = groups[gi].cands
	}
	// Two passes: first every group's candidates support each other in
	// proportion to their score; then only the chosen ones count.
	chosen := make([]int, len(groups))
	for pass := 0; pass < 2; pass++ {
		next := make([]int, len(groups))
		for i, cs := range cands {
			best, bestScore := -1, 0.0
			for ci := range cs {
				s := cs[ci].Score + coherenceWeight*g.support(cands, chosen, i, &cs[ci].Place, pass)
				if best < 0 || s > bestScore {
					best, bestScore = ci, s
				}
			}
			next[i] = best
		}
		chosen = next
	}
	resolved := make([]Candidate, len(groups))
	for i, ci := range chosen {
		if ci < 0 {
			resolved[i].Reason = "no place of that name"
			continue
		}
		c := cands[i][ci]
		if s := g.support(cands, chosen, i, &c.Place, 1); s > 0 {
			var with []string
			for j, cj := range chosen {
				if j != i && cj >= 0 && related(&cands[j][cj].Place, &c.Place) {
					with = append(with, groups[j].text)
				}
			}
			c.Reason += "; coherent with " + strings.Join(with, ", ")
			c.Score += coherenceWeight * s
		}
		resolved[i] = c
	}
	out := make([]Candidate, len(mentions))
	for i := range mentions {
		out[i] = resolved[groupOf[i]]
	}
	return out, nil
}

// support sums, over the other mentions, how much their candidates agree
// with p: in the first pass each candidate counts by its score relative to
// its mention's best; in the second only the chosen candidate counts.
func (g *Gazetteer) support(cands [][]Candidate, chosen []int, self int, p *Place, pass int) float64 {
	total := 0.0
	for j, cs := range cands {
		if j == self || len(cs) == 0 {
			continue
		}
		best := 0.0
		for cj := range cs {
			if pass > 0 && cj != chosen[j] {
				continue
			}
			if !related(&cs[cj].Place, p) {
				continue
			}
			w := 1.0
			if pass == 0 && cs[0].Score > 0 {
				w = max(0, cs[cj].Score/cs[0].Score)
			}
			best = max(best, w)
		}
		total += best
	}
	return total
}

// related reports whether two places belong together: one contains the
// other, or both are populated places or admin areas within 100 km.
func related(a, b *Place) bool {
	if a.ID == b.ID {
		return false
	}
	if contains(a, b) || contains(b, a) {
		return true
	}
	if a.Level == LevelCountry || b.Level == LevelCountry || a.Level == LevelRegion || b.Level == LevelRegion {
		return false
	}
	return a.Country == b.Country && distanceKm(a.Point, b.Point) < 100
}
