package extract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// eligible reports whether resolved mention ri may be the place of an
// event in its sentence at all: a resolved name, not an adjective
// ("Afghan", "US-backed"), not a world region, not a dateline (the
// reporter's desk), and not a lone foreign namesake of a local place.
func (an *analysis) eligible(ri int) bool {
	r := &an.res[ri]
	if !r.OK || r.Demonym || r.Part || r.Dateline || r.Place.Level == gazetteer.LevelRegion {
		return false
	}
	if r.Info.Kinds.Has(gazetteer.KindDemonym) && r.Place.Level == gazetteer.LevelCountry && !strings.EqualFold(r.Name, r.Place.Name) {
		return false // "Israeli" read as Israel: an adjective, not the scene
	}
	if r.Inherited && (r.Info.Kinds.Has(gazetteer.KindDemonym) || compoundAdjective(r.Name)) {
		// "the Serb-held area of Ilidza", "the southern German region of
		// Bavaria": an adjective before "area of X" inherits X's place, but
		// says whose, not where (event_location_dev: 13 such candidates,
		// none an event's place).
		return false
	}
	if an.focus != "" && r.Place.Country != an.focus && namesakeLevel(r.Place) && !an.countryNamed(r.Place.Country, ri) {
		return false // a lone foreign namesake of a local village or area
	}
	return !an.reference(ri)
}

// namesakeLevel reports a place that, alone of its country in a report
// about another, is a namesake rather than the scene: a village or town
// below a big city, or a province or district ("Delta" of the Delta
// Hotel in a Nairobi note is Nigeria's Delta State; "Paul" a Cape Verde
// district).
func namesakeLevel(p gazetteer.Place) bool {
	switch p.Level {
	case gazetteer.LevelPlace:
		return p.Population < bigCity
	case gazetteer.LevelAdmin1, gazetteer.LevelAdmin2:
		return true
	}
	return false
}

// compoundAdjective reports a name written as a compound adjective of
// control or make-up, "Serb-held", "Sunni-dominated", "Kurdish-majority":
// it says who holds or fills the place the phrase goes on to name. The
// word after the hyphen must be such a word, since some places are
// written with a lower-case part ("Almash-had", "Mazar-i Sharif").
func compoundAdjective(name string) bool {
	_, rest, ok := strings.Cut(name, "-")
	if !ok {
		return false
	}
	switch rest {
	case "held", "led", "run", "majority":
		return true
	}
	return strings.HasSuffix(rest, "ed") && rest == strings.ToLower(rest)
}

// referenceWindow is how many bytes before a name are searched for a
// distance reference: "about 35 miles (60 kilometers) south-southwest of"
// fits.
const referenceWindow = 60

// reference reports a place written only as a reference point: "60 km
// north of X", "near the border with X", "the X border", "X-based",
// "X time", or the subject of a verb of saying ("Washington said").
func (an *analysis) reference(ri int) bool {
	r := &an.res[ri]
	s := &an.sents[r.Sentence]
	after := strings.ToLower(an.text[r.SpanEnd:min(s.End, r.SpanEnd+12)])
	for _, p := range []string{" border", "-based", " time", "-born"} {
		if strings.HasPrefix(after, p) {
			return true
		}
	}
	if before := strings.ToLower(an.text[max(s.Start, r.SpanStart-referenceWindow):r.SpanStart]); r.SubjectVerb && r.Prep == "" ||
		isMeasuredRef(before) {
		return true
	}
	// The container of a reference point is one too: "35 miles south of
	// Eagle Pass, Texas". A bare direction before the contained word makes
	// no reference point of its container, as it makes none of a name
	// ("in the northeast Nigerian city of Maiduguri", "west of the Iraqi
	// city of Ramadi"): event_location_dev had 13 event places made
	// ineligible so.
	for _, j := range an.bySentence[r.Sentence] {
		if c := &an.res[j]; c.Parent == ri && isMeasuredRef(strings.ToLower(an.text[max(s.Start, c.SpanStart-referenceWindow):c.SpanStart])) {
			return true
		}
	}
	return false
}

// placeFeatures describes mention ri as a candidate for the event place of
// sentence si, whose candidates are ids (in text order) and whose event
// words are hits. The learned ranker weighs these.
func (an *analysis) placeFeatures(si, ri int, ids []int, hits []eventHit) []string {
	rank, n := slices.Index(ids, ri), len(ids)
	s := &an.sents[si]
	r := &an.res[ri]
	lvl := r.Place.Level.String()
	if r.Inherited {
		lvl = "unknown"
	}
	prep := r.Prep
	if prep == "" {
		prep = "none"
	}
	fs := []string{"bias", "lvl=" + lvl, "prep=" + prep, "lvl_prep=" + lvl + "_" + prep, "qual=" + r.Qual}
	flags := []struct {
		on   bool
		name string
	}{
		{r.NearWord, "near"}, {r.SubjectVerb, "subject"}, {r.Code, "code"}, {an.hasChild[ri], "haschild"},
		{r.Parent >= 0, "hasparent"}, {an.focus != "" && r.Place.Country != an.focus, "foreign"},
		{r.Cue, "cue"}, {rank == 0, "first"}, {rank == n-1, "last"}, {n == 1, "only"},
		{an.holdsOther(ri, ids), "holds_other"}, {an.heldByOther(ri, ids), "held_by_other"},
	}
	for _, f := range flags {
		if f.on {
			fs = append(fs, f.name)
		}
	}
	before := strings.ToLower(an.text[max(s.Start, r.SpanStart-referenceWindow):r.SpanStart])
	if isDistanceRef(before) {
		if measuredRef.MatchString(before) {
			fs = append(fs, "distref")
		} else {
			fs = append(fs, "dirref") // a bare direction (see isMeasuredRef)
		}
	}
	if strings.Contains(before, "capital") {
		fs = append(fs, "capital")
	}
	fs = append(fs, "prev="+wordBefore(an.text[s.Start:r.SpanStart]), "next="+wordAfter(an.text[r.SpanEnd:s.End]))
	// Where the nearest event word is: before or after, how far, and what
	// stands between them.
	pos, end := r.Start-s.Start, r.End-s.Start
	near, side, gapFrom, gapTo := -1, "none", 0, 0
	for _, h := range hits {
		d, sd, from, to := pos-h.End, "after", h.End, pos
		if h.Start >= end {
			d, sd, from, to = h.Start-end, "before", end, h.Start
		}
		if d < 0 {
			d, from, to = 0, pos, pos // inside the trigger phrase
		}
		if near < 0 || d < near {
			near, side, gapFrom, gapTo = d, sd, from, to
		}
	}
	fs = append(fs, fmt.Sprintf("trig=%s_%s", side, distanceBucket(near)), "trig_lvl="+distanceBucket(near)+"_"+lvl,
		"prep_trig="+prep+"_"+side, "prev2="+wordsBefore(an.text[s.Start:r.SpanStart], 2))
	if near >= 0 {
		fs = append(fs, gapFeatures(s.Text[gapFrom:gapTo], side)...)
		between := 0
		for _, other := range ids {
			if o := an.res[other].Start - s.Start; other != ri && o >= gapFrom && o < gapTo {
				between++
			}
		}
		fs = append(fs, fmt.Sprintf("between=%d", min(between, 2)))
	}
	return fs
}

// holdsOther reports whether another of the sentence's candidates lies
// inside mention ri's place ("in the Aleppo countryside, ... Al-Bab").
func (an *analysis) holdsOther(ri int, ids []int) bool {
	for _, o := range ids {
		if o != ri && inside(an.res[o].Place, an.res[ri].Place) {
			return true
		}
	}
	return false
}

// heldByOther reports whether mention ri's place lies inside another of
// the sentence's candidates.
func (an *analysis) heldByOther(ri int, ids []int) bool {
	for _, o := range ids {
		if o != ri && inside(an.res[ri].Place, an.res[o].Place) {
			return true
		}
	}
	return false
}

// gapFeatures describe the words between a place and its nearest event
// word: next to it ("captured Kandahar"), or across a clause ("…, where",
// "after").
func gapFeatures(gap, side string) []string {
	words := strings.Fields(gap)
	var fs []string
	if len(words) <= 3 && !strings.ContainsAny(gap, ",;:()—") {
		fs = append(fs, "adjacent_"+side)
	}
	if strings.ContainsAny(gap, ",;()—") {
		fs = append(fs, "clause_punct_"+side)
	}
	for _, w := range words {
		switch strings.ToLower(strings.Trim(w, ",;")) {
		case "which", "where", "who", "after", "before", "while", "when", "since", "following", "than":
			return append(fs, "clause_word_"+side)
		}
	}
	return fs
}

// distanceBucket groups byte distances: the ranker needs "next to the
// verb" and "far away", not every number.
func distanceBucket(d int) string {
	switch {
	case d < 0:
		return "none"
	case d < 25:
		return "0"
	case d < 60:
		return "25"
	case d < 120:
		return "60"
	}
	return "120"
}

// wordBefore is the last word of s in lower case ("" when none), with a
// capitalised word written as <name>.
func wordBefore(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "<s>"
	}
	return wordClass(f[len(f)-1])
}

// wordsBefore is the last n words of s, classed as wordBefore classes one.
func wordsBefore(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[len(f)-n:]
	}
	for i := range f {
		f[i] = wordClass(f[i])
	}
	return strings.Join(f, "_")
}

func wordAfter(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "</s>"
	}
	return wordClass(f[0])
}

func wordClass(w string) string {
	w = strings.Trim(w, `"'“”‘’`)
	if w == "" {
		return "<p>"
	}
	if c := w[0]; c >= 'A' && c <= 'Z' {
		return "<name>"
	}
	return strings.ToLower(w)
}

// PlaceCandidate is a place mention that may be its sentence's event
// place, with the features the learned ranker reads.
type PlaceCandidate struct {
	Span     Span
	Name     string
	Features []string
}

// PlaceCandidates returns, for each sentence of text, the mentions that
// may be its event's place, with their ranking features: what the trainer
// learns from. Sentences with no candidate give an empty group.
func (x *Extractor) PlaceCandidates(text string) [][]PlaceCandidate {
	an := x.analyse(text, "")
	cp := newCodePoints(text)
	out := make([][]PlaceCandidate, len(an.sents))
	for si := range an.sents {
		hits := x.events.find(an.sents[si].Tokens, an.sents[si].Start)
		ids := an.candidates(si)
		for _, ri := range ids {
			r := &an.res[ri]
			out[si] = append(out[si], PlaceCandidate{Name: r.Name,
				Span:     Span{StartByte: r.Start, EndByte: r.End, Start: cp.at(r.Start), End: cp.at(r.End)},
				Features: an.placeFeatures(si, ri, ids, hits)})
		}
	}
	return out
}

// candidates are the eligible mentions of sentence si in text order.
func (an *analysis) candidates(si int) []int {
	var ids []int
	for _, ri := range an.bySentence[si] {
		if an.eligible(ri) {
			ids = append(ids, ri)
		}
	}
	return ids
}
