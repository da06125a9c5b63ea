package extract

import (
	"math"
	"regexp"
	"strings"

	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// eventPlace picks the place a sentence ties to its event: among the
// sentence's eligible mentions, the one the learned ranker scores highest
// (trained on which place was the event's in event_location_dev.jsonl and
// acled_dev.jsonl; see learn). It returns -1 when the sentence names no
// eligible place.
func (x *Extractor) eventPlace(an *analysis, si int, in *sentInfo) int {
	ids := an.candidates(si)
	best, bestScore := -1, math.Inf(-1)
	for _, ri := range ids {
		if s := x.models.eventPlace.Score(an.placeFeatures(si, ri, ids, in.hits)); s > bestScore {
			best, bestScore = ri, s
		}
	}
	return best
}

// tiedToEvent reports whether a sentence that continues a report ties the
// ranker's best place to its event, rather than only mentioning it: the
// place stands after a locative preposition or with an administrative
// word, and a whole country is never a later event's place. A sentence
// whose place is not tied borrows the place of the event it continues (see
// group).
func (an *analysis) tiedToEvent(ri int) bool {
	r := &an.res[ri]
	switch r.Prep {
	case "from", "to", "towards", "toward", "via":
		return false
	}
	if r.SubjectVerb {
		return false
	}
	if r.Place.Level == gazetteer.LevelCountry {
		return false // a later sentence naming only a country adds no place
	}
	return r.Cue || r.Qual != "" || r.Parent >= 0 || an.hasChild[ri]
}

// isDistanceRef reports text ending in a distance or direction reference
// ("35 miles south of", "near the border with"); a cheap test first.
func isDistanceRef(before string) bool {
	for _, w := range []string{"north", "south", "east", "west", "km", "kilomet", "mile", "border", "capital"} {
		if strings.Contains(before, w) {
			return distanceRef.MatchString(before)
		}
	}
	return false
}

// isMeasuredRef reports text ending in a measured distance reference
// ("35 miles south of", "near the border with", "the capital of"), which
// makes the next name a reference point. A bare direction ("raids north
// of Baghdad") does not: in news about a third of such places are the
// event's own (event_location_dev: 59 of 171, against 6 of 152 with a
// distance), so the ranker weighs them rather than a rule ruling them
// out.
func isMeasuredRef(before string) bool {
	return isDistanceRef(before) && measuredRef.MatchString(before)
}

var measuredRef = regexp.MustCompile(`\d|km|kilomet|mile|border|capital`)

var distanceRef = regexp.MustCompile(`(north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west|km|kilometres|kilometers|miles|border with|capital of)\)?\s*(of|from)?\s*(the\s*)?$|(km|kilometres|kilometers|miles)\)?\s+(\S+\s+){0,3}(of|from)\s+(the\s+)?(\w+\s+)?(capital\s+)?$`)

// mainPlace is the article's main sub-national place: named with a
// locative cue, in the article's country, the finest and most often named;
// else the dateline. -1 if none.
func mainPlace(an *analysis, infos []sentInfo) int {
	best, bestScore := -1, 0.0
	count := map[string]int{}
	for _, r := range an.res {
		if r.OK {
			count[r.Place.ID]++
		}
	}
	for ri := range an.res {
		r := &an.res[ri]
		if !an.mayBeMain(r) {
			continue
		}
		sc := float64(rank(r.Place.Level)) + mainRepeat*float64(count[r.Place.ID]) - mainLater*float64(r.Sentence)
		if infos[r.Sentence].event {
			sc += mainEventSentence
		}
		if infos[r.Sentence].background {
			sc -= mainEventSentence
		}
		if before := strings.ToLower(an.text[max(0, r.SpanStart-12):r.SpanStart]); strings.Contains(before, "capital") {
			sc -= mainEventSentence // "the government in the capital Mogadishu": a reference, not the scene
		}
		if sc > bestScore {
			best, bestScore = ri, sc
		}
	}
	if best >= 0 {
		return best
	}
	for ri, r := range an.res {
		if r.Dateline && r.OK && r.Place.Level != gazetteer.LevelCountry {
			return ri
		}
	}
	return -1
}

// Scores of mainPlace, on top of the place's level (rank).
const (
	mainRepeat        = 0.5  // each mention of the same place
	mainLater         = 0.05 // each sentence further from the lead
	mainEventSentence = 2    // named in a sentence that reports the event (less as much in background, or as the capital)
)

// mayBeMain reports a mention that may be the article's main place: a
// resolved place below country level, in the report's country, written as
// a place ("in X", "X district") — not a dateline, an adjective, a part of
// an institution's name, a speaker, or where someone came from or went.
func (an *analysis) mayBeMain(r *resolved) bool {
	switch {
	case !r.OK || r.Dateline || r.Demonym || r.Part || r.SubjectVerb || !r.Cue:
		return false
	case r.Prep == "from" || r.Prep == "to":
		return false
	case r.Place.Level == gazetteer.LevelCountry || r.Place.Level == gazetteer.LevelRegion:
		return false
	}
	return an.focus == "" || r.Place.Country == an.focus
}

// samePlace: the same place, one inside the other, or close.
func samePlace(an *analysis, a, b int) bool {
	if a < 0 || b < 0 {
		return true
	}
	pa, pb := an.res[a].Place, an.res[b].Place
	if pa.ID == pb.ID {
		return true
	}
	if inside(pa, pb) || inside(pb, pa) {
		return true
	}
	// Two different names a few kilometres apart are one place written
	// two ways (a town and its district seat); farther apart they are
	// neighbours, and events there are separate.
	return orbgeo.DistanceHaversine(pa.Point, pb.Point) <= 10_000
}

// inside reports whether c lies within area p (a country or admin area).
func inside(c, p gazetteer.Place) bool {
	if c.Country != p.Country {
		return false
	}
	switch p.Level {
	case gazetteer.LevelCountry:
		return c.Level != gazetteer.LevelCountry
	case gazetteer.LevelAdmin1:
		return c.Admin1Code == p.Admin1Code && (c.Level == gazetteer.LevelAdmin2 || c.Level == gazetteer.LevelPlace)
	case gazetteer.LevelAdmin2:
		return c.Admin1Code == p.Admin1Code && c.Admin2Code == p.Admin2Code && c.Level == gazetteer.LevelPlace
	}
	return false
}

// finer reports whether place a is more precise than b.
func finer(an *analysis, a, b int) bool {
	if b < 0 {
		return true
	}
	return rank(an.res[a].Place.Level) > rank(an.res[b].Place.Level)
}

func rank(l gazetteer.Level) int {
	switch l {
	case gazetteer.LevelCountry:
		return 1
	case gazetteer.LevelAdmin1:
		return 2
	case gazetteer.LevelAdmin2:
		return 3
	case gazetteer.LevelPlace:
		return 4
	}
	return 0
}

// refineCountry moves an incident placed only at a country to a finer
// place of that country named with a locative cue in or right after its
// sentences ("a village in the country's northwest ... in Chin State").
func (x *Extractor) refineCountry(an *analysis, infos []sentInfo, d *draft) {
	if d.loc < 0 || an.res[d.loc].Place.Level != gazetteer.LevelCountry {
		return
	}
	cc := an.res[d.loc].Place.Country
	first, last := d.sents[0], d.sents[len(d.sents)-1]
	best, bestRank := -1, 0
	for si := first; si <= last+2 && si < len(an.sents); si++ {
		for _, ri := range an.bySentence[si] {
			r := &an.res[ri]
			if !r.OK || r.Part || r.Demonym || r.Dateline || r.SubjectVerb {
				continue
			}
			if r.Place.Country != cc || !(r.Cue && r.Prep != "from" && r.Prep != "to") {
				continue
			}
			if rk := rank(r.Place.Level); rk > bestRank && rk >= 2 {
				best, bestRank = ri, rk
			}
		}
	}
	if best >= 0 {
		d.loc = best
	}
}
