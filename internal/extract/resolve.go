package extract

import (
	"maps"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// resolved is a spot with the place chosen for it.
type resolved struct {
	spot
	Place     gazetteer.Place
	OK        bool
	Inherited bool    // placed at the area the text puts an unknown name in
	Score     float64 // 0..1, how sure the choice is
}

// lookupName returns the text to look up for a spot: the name with its
// administrative qualifier, so that "Helmand province" prefers the
// province and "Musa Qala district" the district.
func lookupName(sp *spot) string {
	if sp.Expand != "" {
		return sp.Expand
	}
	switch sp.QualWord {
	case "province", "governorate", "state", "region", "oblast", "prefecture", "department", "division", "district",
		"county", "municipality", "lga", "local government area", "city", "town", "village", "tehsil", "subdistrict":
		return sp.Name + " " + sp.QualWord
	}
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
// together, one choice per distinct name: countries named (or implied by
// demonyms and unambiguous provinces) steer ambiguous names, "X district
// of Y province" puts X inside Y, and places close to the article's other
// places are preferred. A small place in a country the article otherwise
// never mentions is dropped: "Tekeli" in a report from Turkey is a
// surname, not a town in Kazakhstan.
//
// prior holds the countries the report's words point to (see
// countryPrior): they count as votes, and a name with no reading in the
// likeliest of them is looked up there too, since a village's namesake
// abroad may outrank it in the gazetteer.
func (x *Extractor) resolveSpots(spots []spot, prior map[string]float64) []resolved {
	out := make([]resolved, len(spots))
	for i := range spots {
		out[i].spot = spots[i]
	}
	// Distinct names.
	nameOf := make([]int, len(spots))
	var names []string
	index := map[string]int{}
	for i := range spots {
		n := lookupName(&spots[i])
		if spots[i].Demonym {
			n = "demonym:" + n
		}
		k, ok := index[n]
		if !ok {
			k = len(names)
			index[n] = k
			names = append(names, n)
		}
		nameOf[i] = k
	}
	cands := make([][]gazetteer.Candidate, len(names))
	cue := make([]bool, len(names))
	for i := range spots {
		if spots[i].Cue {
			cue[nameOf[i]] = true
		}
	}
	// Each name's spots, and each spot's children ("X district of Y": X
	// is Y's child), so that the passes below stay linear in the spots.
	spotsOf := make([][]int, len(names))
	children := make([][]int, len(spots))
	for i := range spots {
		spotsOf[nameOf[i]] = append(spotsOf[nameOf[i]], i)
		if p := spots[i].Parent; p >= 0 {
			children[p] = append(children[p], i)
		}
	}
	likely := likeliest(prior, minPriorLookup)
	for k := range names {
		sp := &spots[spotsOf[k][0]]
		h := gazetteer.Hints{}
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
		cs = x.withPriorCountry(lookupName(sp), cs, prior, sp)
		var keep []gazetteer.Candidate
		for _, c := range cs {
			if c.Match == gazetteer.KindPhonetic && likely != "" && c.Place.Country != likely {
				continue // "Siakago" in a Kenyan report is not Chicago
			}
			if c.Match == gazetteer.KindPhonetic && !cue[k] {
				continue // near-spellings of words in running text are noise
			}
			if sp.Demonym && c.Place.Level != gazetteer.LevelCountry && c.Place.Level != gazetteer.LevelRegion {
				continue
			}
			if sp.Code && sp.Expand == "" && c.Match != gazetteer.KindCode {
				continue // "U.S." is the code, never the French village Us
			}
			if !sp.Code && c.Match == gazetteer.KindCode {
				continue // "Can" is no CAN: a code reads as one only written as one
			}
			if sp.ExpandCC != "" && (c.Place.Country != sp.ExpandCC || c.Place.Level != gazetteer.LevelAdmin1) {
				continue
			}
			if c.Place.Level == gazetteer.LevelRegion && !sp.Demonym && c.Match != gazetteer.KindName {
				continue
			}
			keep = append(keep, c)
		}
		cands[k] = keep
	}
	// Country votes: each name's best reading, weighted by how clearly it
	// is a country or an unambiguous reading.
	votes := map[string]float64{}
	nameVotes := make([]map[string]float64, len(names))
	for i := range spots {
		cs := cands[nameOf[i]]
		if len(cs) == 0 {
			continue
		}
		top := cs[0]
		clear := len(cs) == 1 || cs[0].Score-cs[1].Score > 1 || cs[0].Place.Country == cs[1].Place.Country
		w := 0.0
		switch {
		case top.Place.Level == gazetteer.LevelCountry && (spots[i].SubjectVerb || spots[i].Part || spots[i].Demonym):
			w = 0.3 // "Russian military police", "US-backed": whose, not where
		case top.Place.Level == gazetteer.LevelCountry:
			w = 1
		case clear && (top.Place.Level == gazetteer.LevelAdmin1 || top.Place.Level == gazetteer.LevelAdmin2):
			w = 1
		case clear && top.Match != gazetteer.KindPhonetic:
			w = 0.6
		}
		if spots[i].Cue {
			w *= 1.2
		}
		votes[top.Place.Country] += w
		if nameVotes[nameOf[i]] == nil {
			nameVotes[nameOf[i]] = map[string]float64{}
		}
		nameVotes[nameOf[i]][top.Place.Country] += w
	}
	for c, p := range prior {
		votes[c] += countryPriorWeight * p
	}
	total := 0.0
	for _, v := range votes {
		total += v
	}
	chosen := make([]int, len(names))
	for k := range chosen {
		chosen[k] = -1
	}
	var centroid *orb.Point
	// chosenPlace is the reading chosen so far for the name of spot i.
	chosenPlace := func(i int) (gazetteer.Place, bool) {
		k := nameOf[i]
		if chosen[k] < 0 {
			return gazetteer.Place{}, false
		}
		return cands[k][chosen[k]].Place, true
	}
	// score rates candidate c of name k against the readings chosen for
	// the other names: country votes, containment by its parent and of its
	// children, and, after the first pass, distance from the text's focus.
	score := func(k int, c gazetteer.Candidate, pass int) float64 {
		s := c.Score - cands[k][0].Score // 0 for the top candidate, negative below
		if total > 0 {
			s += 3 * votes[c.Place.Country] / total
		}
		for _, i := range spotsOf[k] {
			if p := spots[i].Parent; p >= 0 {
				if parent, ok := chosenPlace(p); ok {
					s += containment(c.Place, parent)
				}
			}
			for _, j := range children[i] {
				if child, ok := chosenPlace(j); ok && containment(child, c.Place) > 0 {
					s += 1.5
				}
			}
			// A name written as the container of another ("Krymske,
			// Luhansk") names the area, not its namesake city.
			if len(children[i]) > 0 && (c.Place.Level == gazetteer.LevelAdmin1 || c.Place.Level == gazetteer.LevelAdmin2) {
				s += containerAreaBonus
			}
		}
		if pass > 0 && centroid != nil && c.Place.Level != gazetteer.LevelCountry && c.Place.Level != gazetteer.LevelRegion {
			km := orbgeo.DistanceHaversine(*centroid, c.Place.Point) / 1000
			s -= math.Min(2, km/1500)
		}
		return s
	}
	for pass := 0; pass < 3; pass++ {
		for k := len(names) - 1; k >= 0; k-- {
			best, bestScore := -1, math.Inf(-1)
			for ci, c := range cands[k] {
				if s := score(k, c, pass); s > bestScore {
					best, bestScore = ci, s
				}
			}
			chosen[k] = best
		}
		centroid = focusOf(cands, chosen)
	}
	// kept are the votes of the names kept: a name dropped below votes for
	// no country in the second chance.
	kept := maps.Clone(votes)
	dropped := make([]bool, len(names))
	drop := func(k int) {
		if !dropped[k] {
			dropped[k] = true
			for c, v := range nameVotes[k] {
				kept[c] -= v
			}
		}
	}
	for i := range out {
		k := nameOf[i]
		ci := chosen[k]
		if ci < 0 {
			continue
		}
		c := cands[k][ci]
		// A lone small place in a country nothing else points to.
		others := votes[c.Place.Country] - nameVotes[k][c.Place.Country]
		if total >= 2 && others < 0.5 && c.Place.Level != gazetteer.LevelCountry && c.Place.Level != gazetteer.LevelRegion &&
			c.Place.Population < 300000 && c.Place.FeatureCode != "PPLC" && !spots[i].Dateline {
			drop(k)
			continue
		}
		if c.Match == gazetteer.KindPhonetic && total >= 1 && others < 0.5 {
			drop(k)
			continue
		}
		out[i].Place = c.Place
		out[i].OK = true
		gap := 1.0
		if len(cands[k]) > 1 {
			gap = math.Min(1, math.Abs(cands[k][0].Score-cands[k][1].Score)/2+0.3)
		}
		out[i].Score = math.Round(100*math.Max(0.05, math.Min(1, 0.4+0.6*gap))) / 100
		if c.Match == gazetteer.KindPhonetic {
			out[i].Score = math.Round(60*out[i].Score) / 100
		}
	}
	x.secondChance(out, kept)
	inheritParents(out)
	return out
}

// withPriorCountry adds the readings of name in the likeliest prior
// country when the candidates have none there.
func (x *Extractor) withPriorCountry(name string, cs []gazetteer.Candidate, prior map[string]float64, sp *spot) []gazetteer.Candidate {
	top := likeliest(prior, minPriorLookup)
	if top == "" || sp.Demonym || sp.Code || sp.ExpandCC != "" {
		return cs
	}
	for _, c := range cs {
		if c.Place.Country == top {
			return cs
		}
	}
	more, err := x.gaz.Lookup(name, gazetteer.Hints{Country: top})
	if err != nil {
		return cs
	}
	for _, c := range more {
		if c.Place.Country == top && c.Match != gazetteer.KindPhonetic {
			cs = append(cs, c)
		}
	}
	return cs
}

// likeliest returns the prior's most likely country when its probability
// is above min, else "".
func likeliest(prior map[string]float64, min float64) string {
	top, best := "", min
	for c, p := range prior {
		if p > best || p == best && c < top {
			top, best = c, p
		}
	}
	return top
}

// minPriorFocus is how sure the country prior must be to stand for the
// report's country when no place of the text resolves: as sure as a
// second lookup needs.
const minPriorFocus = minPriorLookup

// minPriorLookup is how sure the country prior must be before a name is
// looked up again in its country: a second lookup per name costs time.
const minPriorLookup = 0.5

// containerAreaBonus is what reading a container name as an area adds:
// less than the top candidate's usual lead over a namesake (about one
// point), so a container that is really a town ("Al-Jah, Hodeidah city")
// stays a town when the gazetteer ranks it far above.
const containerAreaBonus = 0.8

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

// focusOf is the median point of the chosen sub-national places: where the
// article is about.
func focusOf(cands [][]gazetteer.Candidate, chosen []int) *orb.Point {
	var lons, lats []float64
	for k, ci := range chosen {
		if ci < 0 {
			continue
		}
		p := cands[k][ci].Place
		if p.Level == gazetteer.LevelAdmin1 || p.Level == gazetteer.LevelAdmin2 || p.Level == gazetteer.LevelPlace {
			lons = append(lons, p.Point[0])
			lats = append(lats, p.Point[1])
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

// secondChance looks unresolved names up again within the article's main
// country, where near-spellings are safe to accept ("Bokos" for Bokkos,
// "Northwest Region" for Cameroon's North-West): only names with a cue
// (a qualifier or a locative preposition) get one.
func (x *Extractor) secondChance(out []resolved, votes map[string]float64) {
	focus, best := "", 0.0
	for c, v := range votes {
		if v > best || v == best && c < focus {
			focus, best = c, v
		}
	}
	if focus == "" || best < 1 {
		return
	}
	for i := range out {
		r := &out[i]
		if r.OK || !r.Cue || r.Demonym || r.Code || r.Part {
			continue
		}
		for _, name := range nameVariants(lookupName(&r.spot)) {
			cs, err := x.gaz.Lookup(name, gazetteer.Hints{Country: focus})
			if err != nil || len(cs) == 0 || cs[0].Place.Country != focus || cs[0].Place.Level == gazetteer.LevelCountry {
				continue
			}
			r.Place, r.OK = cs[0].Place, true
			r.Score = 0.35
			break
		}
	}
}

// nameVariants returns a name and its spellings with compass compounds
// split ("Northwest Region" and "North-West Region"), which gazetteers
// write either way.
func nameVariants(name string) []string {
	out := []string{name}
	for _, c := range []string{"Northwest", "Northeast", "Southwest", "Southeast"} {
		if strings.Contains(name, c) {
			out = append(out, strings.Replace(name, c, c[:5]+"-"+c[5:], 1))
		}
	}
	return out
}

// inheritParents places names the gazetteer does not know at the area
// the text puts them in ("Al-Khiwai in West Kordofan"), for every mention
// of the same name: one sense per discourse. The result is only as precise
// as that area.
func inheritParents(out []resolved) {
	area := map[string]int{}
	for i := range out {
		r := &out[i]
		// A country or a region ("Kashmir's Pulwama district") has no
		// hierarchy below it here to check a place against.
		if r.Parent < 0 || !out[r.Parent].OK || out[r.Parent].Place.Level == gazetteer.LevelCountry ||
			out[r.Parent].Place.Level == gazetteer.LevelRegion {
			continue
		}
		if !r.OK && !r.Demonym && !r.Code {
			// Unknown to the gazetteer, or known only abroad: "Rajbari city
			// (Rajbari Sadar, Dhaka)" is in Dhaka whatever else is called so.
			area[r.Key] = r.Parent
		}
		// "Chhattisgarh's Bijapur district" when the gazetteer only knows
		// a Bijapur in another state: the text's province is surer than a
		// namesake far away.
		if r.OK && containment(r.Place, out[r.Parent].Place) < 0 {
			r.OK, r.Unknown = false, true
			area[r.Key] = r.Parent
		}
	}
	for i := range out {
		r := &out[i]
		if p, ok := area[r.Key]; ok && !r.OK && !r.Demonym && !r.Code {
			r.Place, r.OK, r.Inherited = out[p].Place, true, true
			r.Score = 0.3
		}
	}
}

// placeUnknown places names the gazetteer lacks, written as places ("the
// small village of Al-Ajraf", "Bustan Al-Basha District") but with no area
// written beside them, at the finest area the report supports: a province
// or district of the report's country named in the same sentence, or else
// that country itself. The incident keeps the name; its precision is the
// area's, never a town's.
func (x *Extractor) placeUnknown(a *analysis) {
	if a.focus == "" {
		return
	}
	var country *gazetteer.Place
	for _, r := range a.res {
		if r.OK && r.Place.Level == gazetteer.LevelCountry && r.Place.Country == a.focus {
			country = &r.Place
			break
		}
	}
	if country == nil {
		p, err := x.gaz.Get("iso:" + a.focus)
		if err != nil {
			return
		}
		country = &p
	}
	for i := range a.res {
		r := &a.res[i]
		// A name spotted as a place the gazetteer lacks ("Sangar Hill")
		// that a look-up matched only to a namesake abroad is still unknown.
		if r.OK && r.Unknown && !r.Inherited && r.Place.Country != a.focus && !a.countryNamed(r.Place.Country, i) {
			r.OK = false
		}
		if r.Info.Levels.Has(gazetteer.LevelRegion) || r.Info.Levels.Has(gazetteer.LevelCountry) {
			continue // "al-Qaeda in the Indian Subcontinent": a region or country is never a village
		}
		if r.OK || r.Demonym || r.Code || !(r.Unknown || r.Qual != qualNone && r.Qual != qualArea || x.spot.unknownPreps[r.Prep]) || adjectival(r.Name) {
			continue
		}
		area, best, dist := *country, rank(gazetteer.LevelCountry), -1
		for _, j := range a.bySentence[r.Sentence] {
			c := a.res[j]
			if !c.OK || c.Inherited || c.Place.Country != a.focus {
				continue
			}
			// The finest area wins; among towns, the one written nearest.
			d := abs(c.Start - r.Start)
			if rank(c.Place.Level) > best || rank(c.Place.Level) == best && d < dist {
				area, best, dist = c.Place, rank(c.Place.Level), d
			}
		}
		r.Place, r.OK, r.Inherited, r.Score = area, true, true, unknownPlaceScore
	}
}

// unknownPlaceScore is how sure a name placed by placeUnknown is: below an
// inherited parent's 0.3, since the area is the report's, not the text's
// word for where the name lies.
const unknownPlaceScore = 0.2

// adjectival reports a compound adjective such as "Serb-held" or
// "Albanian-populated": a capitalised word, but never a place's name.
func adjectival(name string) bool {
	_, rest, ok := strings.Cut(name, "-")
	r, _ := utf8.DecodeRuneInString(rest)
	return ok && unicode.IsLower(r)
}
