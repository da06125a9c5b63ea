package extract

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// resolved is a spot with the place chosen for it.
type resolved struct {
	spot
	Place gazetteer.Place
	OK    bool
	Score float64 // 0..1, how sure the choice is
}

// lookupName returns the text to look up for a spot: the name with its
// administrative qualifier, so that "Helmand province" prefers the
// province and "Musa Qala district" the district.
func lookupName(sp *spot) string {
	switch sp.Qual {
	case qualProvince:
		return sp.Name + " province"
	case qualDistrict:
		return sp.Name + " district"
	case qualCity:
		return sp.Name + " city"
	}
	return sp.Name
}

// resolveSpots chooses a place for every spot, all spots of the article
// together: countries named (or implied by demonyms and unambiguous
// provinces) steer ambiguous names, "X district of Y province" puts X
// inside Y, and places close to the article's other places are preferred.
func (x *Extractor) resolveSpots(spots []spot) []resolved {
	out := make([]resolved, len(spots))
	cands := make([][]gazetteer.Candidate, len(spots))
	cache := map[string][]gazetteer.Candidate{}
	for i := range spots {
		out[i].spot = spots[i]
		name := lookupName(&spots[i])
		cs, ok := cache[name]
		if !ok {
			var err error
			cs, err = x.gaz.Lookup(name, gazetteer.Hints{})
			if err != nil {
				cs = nil
			}
			// Phonetic near-matches of short or common words are noise in
			// running text; keep them only for names with a cue.
			cache[name] = cs
		}
		var keep []gazetteer.Candidate
		for _, c := range cs {
			if c.Match == gazetteer.KindPhonetic && !spots[i].Cue {
				continue
			}
			if spots[i].Demonym && c.Place.Level != gazetteer.LevelCountry && c.Match == gazetteer.KindDemonym {
				// A demonym names its country; keep only that reading.
				continue
			}
			keep = append(keep, c)
		}
		cands[i] = keep
	}
	// Country votes: each spot's best reading, weighted by how clearly it is
	// a country-level or unambiguous reading.
	votes := map[string]float64{}
	for i, cs := range cands {
		if len(cs) == 0 {
			continue
		}
		top := cs[0]
		clear := len(cs) == 1 || cs[0].Score-cs[1].Score > 1 || cs[0].Place.Country == cs[1].Place.Country
		w := 0.0
		switch {
		case top.Place.Level == gazetteer.LevelCountry && !out[i].SubjectVerb:
			w = 1
		case top.Place.Level == gazetteer.LevelCountry:
			w = 0.3
		case clear && (top.Place.Level == gazetteer.LevelAdmin1 || top.Place.Level == gazetteer.LevelAdmin2):
			w = 1
		case clear:
			w = 0.6
		}
		if out[i].Cue {
			w *= 1.2
		}
		votes[top.Place.Country] += w
	}
	total := 0.0
	for _, v := range votes {
		total += v
	}
	// Two passes: parents first (they come later in the text), then
	// children, then a coherence pass with the centroid of the chosen
	// places.
	order := make([]int, len(spots))
	for i := range order {
		order[len(order)-1-i] = i
	}
	var centroid *orb.Point
	for pass := 0; pass < 2; pass++ {
		for _, i := range order {
			best, bestScore := -1, math.Inf(-1)
			for ci, c := range cands[i] {
				s := c.Score - cands[i][0].Score // 0 for the top candidate, negative below
				if total > 0 {
					s += 3 * votes[c.Place.Country] / total
				}
				if p := out[i].Parent; p >= 0 && out[p].OK {
					s += containment(c.Place, out[p].Place)
				}
				// A child resolved inside this place supports it.
				for k := range out {
					if out[k].Parent == i && out[k].OK && containment(out[k].Place, c.Place) > 0 {
						s += 1.5
						break
					}
				}
				if pass == 1 && centroid != nil && (c.Place.Level == gazetteer.LevelAdmin2 || c.Place.Level == gazetteer.LevelPlace) {
					km := orbgeo.DistanceHaversine(*centroid, c.Place.Point) / 1000
					s -= math.Min(2, km/1500)
				}
				if s > bestScore {
					best, bestScore = ci, s
				}
			}
			if best >= 0 {
				out[i].Place = cands[i][best].Place
				out[i].OK = true
				gap := 1.0
				if len(cands[i]) > 1 {
					gap = math.Min(1, math.Abs(cands[i][0].Score-cands[i][1].Score)/2+0.3)
				}
				out[i].Score = math.Max(0.05, math.Min(1, 0.4+0.6*gap))
				if cands[i][best].Match == gazetteer.KindPhonetic {
					out[i].Score *= 0.6
				}
			}
		}
		centroid = x.focus(out)
	}
	return out
}

// containment scores how well place c sits inside parent p: inside the
// same admin1 of the same country is best, the same country next, another
// country is penalised.
func containment(c, p gazetteer.Place) float64 {
	if c.Country != p.Country {
		return -2
	}
	switch p.Level {
	case gazetteer.LevelCountry:
		return 1.5
	case gazetteer.LevelAdmin1:
		if c.Admin1Code == p.Admin1Code {
			return 3
		}
		return -1
	case gazetteer.LevelAdmin2:
		if c.Admin1Code == p.Admin1Code && c.Admin2Code == p.Admin2Code {
			return 3
		}
		if c.Admin1Code == p.Admin1Code {
			return 1
		}
		return -1
	}
	return 0
}

// focus is the median point of the resolved sub-national places: where
// the article is about.
func (x *Extractor) focus(rs []resolved) *orb.Point {
	var lons, lats []float64
	for _, r := range rs {
		if r.OK && r.Place.Level >= gazetteer.LevelAdmin1 && r.Place.Level <= gazetteer.LevelPlace {
			lons = append(lons, r.Place.Point[0])
			lats = append(lats, r.Place.Point[1])
		}
	}
	if len(lons) == 0 {
		return nil
	}
	sort.Float64s(lons)
	sort.Float64s(lats)
	p := orb.Point{lons[len(lons)/2], lats[len(lats)/2]}
	return &p
}
