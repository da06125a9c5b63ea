package extract

import (
	"maps"
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// resolution holds one article's resolution of its spots (see
// resolveSpots): the distinct names, their candidate readings, the
// countries the names vote for and the reading chosen for each name.
type resolution struct {
	x     *Extractor
	spots []spot
	prior map[string]float64

	nameOf   []int    // spot -> distinct name
	names    []string // looked-up text of each distinct name
	spotsOf  [][]int  // name -> its spots
	children [][]int  // spot -> the spots written inside it ("X district of Y": X is Y's child)
	cue      []bool   // name -> written with a locative or administrative cue somewhere

	cands     [][]gazetteer.Candidate // name -> candidate readings, best first
	votes     map[string]float64      // country -> votes of every name and the prior
	nameVotes []map[string]float64    // name -> the votes it cast
	total     float64                 // sum of votes
	chosen    []int                   // name -> chosen candidate, -1 for none
	centroid  *orb.Point              // the chosen places' focus, after a pass
	kept      map[string]float64      // votes of the names kept (see decide)
}

// newResolution groups the spots by name, so that each distinct name is
// looked up and chosen once (one sense per discourse), and links each
// spot to its children so that the passes stay linear in the spots.
func (x *Extractor) newResolution(spots []spot, prior map[string]float64) *resolution {
	r := &resolution{x: x, spots: spots, prior: prior, nameOf: make([]int, len(spots)), children: make([][]int, len(spots))}
	index := map[string]int{}
	for i := range spots {
		n := lookupName(&spots[i])
		if spots[i].Demonym {
			n = "demonym:" + n
		}
		k, ok := index[n]
		if !ok {
			k = len(r.names)
			index[n] = k
			r.names = append(r.names, n)
		}
		r.nameOf[i] = k
	}
	r.cue = make([]bool, len(r.names))
	r.spotsOf = make([][]int, len(r.names))
	for i := range spots {
		k := r.nameOf[i]
		r.cue[k] = r.cue[k] || spots[i].Cue
		r.spotsOf[k] = append(r.spotsOf[k], i)
		if p := spots[i].Parent; p >= 0 {
			r.children[p] = append(r.children[p], i)
		}
	}
	return r
}

// candidateRule drops a reading of a name that the way the name is
// written rules out; why says which.
type candidateRule struct {
	why  string
	drop func(r *resolution, k int, sp *spot, c gazetteer.Candidate, likely string) bool
}

// candidateRules are the reasons a gazetteer reading of a name is not
// considered, in the order they are tried.
func candidateRules() []candidateRule {
	return []candidateRule{
		{`"Siakago" in a Kenyan report is not Chicago: a near-spelling only in the report's likely country`,
			func(_ *resolution, _ int, _ *spot, c gazetteer.Candidate, likely string) bool {
				return c.Match == gazetteer.KindPhonetic && likely != "" && c.Place.Country != likely
			}},
		{"near-spellings of words in running text are noise: a near-spelling only for a name written as a place",
			func(r *resolution, k int, _ *spot, c gazetteer.Candidate, _ string) bool {
				return c.Match == gazetteer.KindPhonetic && !r.cue[k]
			}},
		{"a demonym names a country or a region",
			func(_ *resolution, _ int, sp *spot, c gazetteer.Candidate, _ string) bool {
				return sp.Demonym && c.Place.Level != gazetteer.LevelCountry && c.Place.Level != gazetteer.LevelRegion
			}},
		{`"U.S." is the code, never the French village Us`,
			func(_ *resolution, _ int, sp *spot, c gazetteer.Candidate, _ string) bool {
				return sp.Code && sp.Expand == "" && c.Match != gazetteer.KindCode
			}},
		{`"Can" is no CAN: a code reads as one only written as one`,
			func(_ *resolution, _ int, sp *spot, c gazetteer.Candidate, _ string) bool {
				return !sp.Code && c.Match == gazetteer.KindCode
			}},
		{`a state's abbreviation ("Alta.") is that country's first-level division`,
			func(_ *resolution, _ int, sp *spot, c gazetteer.Candidate, _ string) bool {
				return sp.ExpandCC != "" && (c.Place.Country != sp.ExpandCC || c.Place.Level != gazetteer.LevelAdmin1)
			}},
		{"a world region is read only by its own name",
			func(_ *resolution, _ int, sp *spot, c gazetteer.Candidate, _ string) bool {
				return c.Place.Level == gazetteer.LevelRegion && !sp.Demonym && c.Match != gazetteer.KindName
			}},
	}
}

// lookUp finds each name's candidate readings: the gazetteer's, the
// learned aliases' and those in the prior's likeliest country, less the
// ones candidateRules rule out. When the prior is sure of the report's
// country (minPriorOutweigh), the gazetteer is asked as a user who knows
// it would ask, readings in that country first: Tripoli in a Lebanese
// note is Lebanon's, not Libya's capital (held out on acled_dev, 7 more
// notes located, 10 more paired; event_location_dev -7 sentences, within
// its retraining noise).
func (r *resolution) lookUp() {
	x := r.x
	likely := likeliest(r.prior, minPriorLookup)
	sure := likeliest(r.prior, minPriorOutweigh)
	r.cands = make([][]gazetteer.Candidate, len(r.names))
	for k := range r.names {
		sp := &r.spots[r.spotsOf[k][0]]
		h := gazetteer.Hints{Country: sure}
		if sp.ExpandCC != "" {
			h = gazetteer.Hints{Country: sp.ExpandCC, Level: gazetteer.LevelAdmin1}
		}
		cs, err := x.gaz.Lookup(lookupName(sp), h)
		if err != nil {
			continue
		}
		if !sp.Demonym && !sp.Code {
			cs = append(cs, x.aliasCandidates(sp.Name)...)
		}
		cs = x.withPriorCountry(lookupName(sp), cs, r.prior, sp)
		var keep []gazetteer.Candidate
	next:
		for _, c := range cs {
			for _, rule := range x.readings {
				if rule.drop(r, k, sp, c, likely) {
					continue next
				}
			}
			keep = append(keep, c)
		}
		r.cands[k] = keep
	}
}

// Vote weights of a name's best reading (see voteWeight).
const (
	// voteWhose is a country named as whose rather than where ("Russian
	// military police", "US-backed", "Washington said").
	voteWhose = 0.3
	// voteClearPlace is a town with one clear reading: weaker evidence of
	// the report's country than a country or province named.
	voteClearPlace = 0.6
	// voteCueBoost is what a locative or administrative cue adds (x1.2).
	voteCueBoost = 1.2
)

// voteWeight is how strongly spot sp's best reading among cs says which
// country the report is about.
func voteWeight(sp *spot, cs []gazetteer.Candidate) float64 {
	top := cs[0]
	clear := len(cs) == 1 || cs[0].Score-cs[1].Score > 1 || cs[0].Place.Country == cs[1].Place.Country
	w := 0.0
	switch {
	case top.Place.Level == gazetteer.LevelCountry && (sp.SubjectVerb || sp.Part || sp.Demonym && sp.Qual == qualNone):
		// An adjective before a place noun says where ("the Israeli city
		// of Ashkelon"); before anything else, whose ("Israeli troops").
		w = voteWhose
	case top.Place.Level == gazetteer.LevelCountry:
		w = 1
	case clear && (top.Place.Level == gazetteer.LevelAdmin1 || top.Place.Level == gazetteer.LevelAdmin2):
		w = 1
	case clear && top.Match != gazetteer.KindPhonetic:
		w = voteClearPlace
	}
	if sp.Cue {
		w *= voteCueBoost
	}
	return w
}

// countVotes adds up the countries the spots' best readings and the prior
// point to.
func (r *resolution) countVotes() {
	r.votes = map[string]float64{}
	r.nameVotes = make([]map[string]float64, len(r.names))
	for i := range r.spots {
		k := r.nameOf[i]
		cs := r.cands[k]
		if len(cs) == 0 {
			continue
		}
		w := voteWeight(&r.spots[i], cs)
		c := cs[0].Place.Country
		r.votes[c] += w
		if r.nameVotes[k] == nil {
			r.nameVotes[k] = map[string]float64{}
		}
		r.nameVotes[k][c] += w
	}
	for c, p := range r.prior {
		r.votes[c] += countryPriorWeight * p
	}
	for _, v := range r.votes {
		r.total += v
	}
}

// choosePasses is how many times every name's reading is chosen again
// against the others' latest choices: the second pass sees the first's
// focus, the third settles what the second moved.
const choosePasses = 3

// choose picks each name's reading, in passes, last name first.
func (r *resolution) choose() {
	r.chosen = make([]int, len(r.names))
	for k := range r.chosen {
		r.chosen[k] = -1
	}
	for pass := 0; pass < choosePasses; pass++ {
		for k := len(r.names) - 1; k >= 0; k-- {
			best, bestScore := -1, math.Inf(-1)
			for ci, c := range r.cands[k] {
				if s := r.score(k, c, pass); s > bestScore {
					best, bestScore = ci, s
				}
			}
			r.chosen[k] = best
		}
		r.centroid = focusOf(r.cands, r.chosen)
	}
}

// chosenPlace is the reading chosen so far for the name of spot i.
func (r *resolution) chosenPlace(i int) (gazetteer.Place, bool) {
	k := r.nameOf[i]
	if r.chosen[k] < 0 {
		return gazetteer.Place{}, false
	}
	return r.cands[k][r.chosen[k]].Place, true
}

// Scoring weights of choose (see score).
const (
	// voteShareWeight turns a country's share of the votes into score: a
	// country with every vote is worth three points, about the lead of a
	// capital over a village namesake.
	voteShareWeight = 3
	// childInsideBonus rewards a reading that holds a child's chosen place.
	childInsideBonus = 1.5
	// maxFocusPenalty and focusPenaltyKm: a reading far from the other
	// places' focus loses a point per focusPenaltyKm, at most two.
	maxFocusPenalty = 2
	focusPenaltyKm  = 1500
)

// score rates candidate c of name k against the readings chosen for the
// other names: country votes, containment by its parent and of its
// children, and, after the first pass, distance from the text's focus.
func (r *resolution) score(k int, c gazetteer.Candidate, pass int) float64 {
	s := c.Score - r.cands[k][0].Score // 0 for the top candidate, negative below
	if r.total > 0 {
		s += voteShareWeight * r.votes[c.Place.Country] / r.total
	}
	for _, i := range r.spotsOf[k] {
		if p := r.spots[i].Parent; p >= 0 {
			if parent, ok := r.chosenPlace(p); ok {
				s += containment(c.Place, parent)
			}
		}
		for _, j := range r.children[i] {
			if child, ok := r.chosenPlace(j); ok && containment(child, c.Place) > 0 {
				s += childInsideBonus
			}
		}
		// A name written as the container of another ("Krymske,
		// Luhansk") names the area, not its namesake city.
		if len(r.children[i]) > 0 && (c.Place.Level == gazetteer.LevelAdmin1 || c.Place.Level == gazetteer.LevelAdmin2) {
			s += containerAreaBonus
		}
	}
	if pass > 0 && r.centroid != nil && c.Place.Level != gazetteer.LevelCountry && c.Place.Level != gazetteer.LevelRegion {
		km := orbgeo.DistanceHaversine(*r.centroid, c.Place.Point) / 1000
		s -= math.Min(maxFocusPenalty, km/focusPenaltyKm)
	}
	return s
}

// Thresholds of decide's lone-namesake rule.
const (
	// loneMinVotes: with fewer votes in all, a text says too little about
	// its country to call a place foreign to it.
	loneMinVotes = 2
	// loneOtherVotes: the other names' votes for a place's country below
	// which it stands alone.
	loneOtherVotes = 0.5
	// loneMaxPopulation: a city this big is named abroad for its own sake.
	loneMaxPopulation = 300000
)

// decide turns the chosen readings into resolved spots, dropping a lone
// small place in a country nothing else points to ("Tekeli" in a report
// from Turkey is a surname, not a town in Kazakhstan) and a near-spelling
// nothing supports, and rates how sure each choice is. A name written as
// a place ("In Skardu, ...") is dropped so only when another name points
// elsewhere: the country prior alone, wrong for one note in five held
// out, vetoed Skardu, Kisii Town and Bomet in notes naming nothing else.
func (r *resolution) decide() []resolved {
	out := make([]resolved, len(r.spots))
	for i := range r.spots {
		out[i].spot = r.spots[i]
	}
	// kept are the votes of the names kept: a name dropped below votes for
	// no country in the second chance.
	r.kept = maps.Clone(r.votes)
	dropped := make([]bool, len(r.names))
	drop := func(k int) {
		if !dropped[k] {
			dropped[k] = true
			for c, v := range r.nameVotes[k] {
				r.kept[c] -= v
			}
		}
	}
	for i := range out {
		k := r.nameOf[i]
		ci := r.chosen[k]
		if ci < 0 {
			continue
		}
		c := r.cands[k][ci]
		others := r.votes[c.Place.Country] - r.nameVotes[k][c.Place.Country]
		if r.total >= loneMinVotes && others < loneOtherVotes && (!r.cue[k] || r.otherNamesVote(k)) && c.Place.Level != gazetteer.LevelCountry && c.Place.Level != gazetteer.LevelRegion &&
			c.Place.Population < loneMaxPopulation && c.Place.FeatureCode != "PPLC" && !r.spots[i].Dateline {
			drop(k)
			continue
		}
		if c.Match == gazetteer.KindPhonetic && r.total >= 1 && others < loneOtherVotes {
			drop(k)
			continue
		}
		out[i].Place = c.Place
		out[i].OK = true
		out[i].Score = choiceScore(r.cands[k], c)
	}
	return out
}

// otherNamesVote reports whether names other than k vote for a country.
func (r *resolution) otherNamesVote(k int) bool {
	for j, v := range r.nameVotes {
		if j == k {
			continue
		}
		for _, w := range v {
			if w > 0 {
				return true
			}
		}
	}
	return false
}

// choiceScore is how sure the choice of c among cs is: the gap between the
// two best readings, a phonetic match counting 0.6 of it.
func choiceScore(cs []gazetteer.Candidate, c gazetteer.Candidate) float64 {
	gap := 1.0
	if len(cs) > 1 {
		gap = math.Min(1, math.Abs(cs[0].Score-cs[1].Score)/2+0.3)
	}
	score := math.Round(100*math.Max(0.05, math.Min(1, 0.4+0.6*gap))) / 100
	if c.Match == gazetteer.KindPhonetic {
		score = math.Round(60*score) / 100
	}
	return score
}
