package extract

import (
	"math"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// build turns a draft into an incident.
func (x *Extractor) build(an *analysis, infos []sentInfo, d *draft, a Article, pub time.Time, ref refSource) (incident.Incident, []string, bool) {
	if d.loc < 0 {
		return incident.Incident{}, nil, false
	}
	x.refineCountry(an, infos, d)
	if best := bestDay(an, d, infos); best != nil {
		d.day = best
	} else if d.coarse == nil {
		d.day = x.leadDay(an, infos, d, pub)
	}
	r := an.res[d.loc]
	p := r.Place
	in := placed(r)
	// When.
	conf := 0.5
	conf += dateIncident(&in, an, d, infos, pub)
	conf += undated(&in, d, ref)
	// How many.
	victims, delta := countVictims(&in, an, infos, d, pub)
	conf += delta
	// What.
	hits := make([][]eventHit, len(d.sents))
	weights := make([]float64, len(d.sents))
	var actors []actorMention
	strength := 0.0
	for k, si := range d.sents {
		hits[k] = infos[si].hits
		weights[k] = 1
		if k == 0 {
			weights[k] = 2
		}
		if si == d.sentWithLoc(infos) {
			weights[k] += 1
		}
		if infos[si].reported {
			weights[k] *= 0.4
		}
		for _, h := range infos[si].hits {
			strength = math.Max(strength, h.Strength)
		}
		actors = append(actors, infos[si].actors...)
	}
	in.EventType, in.SubEventType = classify(hits, weights, victims)
	fs := x.incidentFeatures(an, infos, d)
	ruleType := in.EventType
	if typ, sub := x.models.classify(fs, in.EventType, in.SubEventType, len(an.sents)); typ != "" {
		in.EventType, in.SubEventType = typ, sub
	}
	if in.EventType == "" {
		return incident.Incident{}, nil, false
	}
	if strength >= 2.5 {
		conf += 0.1
	}
	in.Actor1, in.Actor2 = pickActors(actors)
	in.Actor1, in.Actor2 = stateForces(in.Actor1, p.CountryName), stateForces(in.Actor2, p.CountryName)
	if in.EventType == incident.ViolenceAgainstCivilians && in.Actor2 == "" && in.Country != "" {
		in.Actor2 = "Civilians (" + p.CountryName + ")"
		if p.CountryName == "" {
			in.Actor2 = "Civilians"
		}
	}
	if in.GeoPrecision <= incident.GeoDistrict {
		conf += 0.1
	}
	conf = math.Max(0.05, math.Min(0.95, conf*(0.7+0.3*r.Score)))
	in.Confidence = incident.Float(math.Round(conf*100) / 100)
	src := incident.Source{URL: a.URL, Title: a.Title, Evidence: evidence(an, infos, d)}
	if ref == refPublished {
		src.Published = pub.Format(incident.DateLayout)
	}
	in.Sources = []incident.Source{src}
	in.Tags = []string{"extracted"}
	if err := in.Validate(); err != nil {
		return incident.Incident{}, nil, false
	}
	return in, explain(an, infos, d, in, ruleType), true
}

// explain names the rules that decided an incident, for its Explanation.
func explain(an *analysis, infos []sentInfo, d *draft, in incident.Incident, ruleType string) []string {
	r := an.res[d.loc]
	var rules []string
	switch {
	case d.remark != "":
		rules = append(rules, d.remark)
	case r.Inherited:
		rules = append(rules, "place: a name the gazetteer lacks, placed at the area the text puts it in")
	case r.Dateline:
		rules = append(rules, "place: the dateline, as no sentence of the event names a place")
	case d.sentWithLoc(infos) < 0:
		rules = append(rules, "place: the report's main place, as the event's sentences name none")
	default:
		rules = append(rules, "place: the learned ranker's choice among the sentence's places")
	}
	switch {
	case d.day != nil && !d.day.Weak:
		rules = append(rules, "date: a day written in the text ("+d.day.Text+")")
	case d.coarse != nil:
		rules = append(rules, "date: a "+d.coarse.Precision+" written in the text ("+d.coarse.Text+")")
	case d.weak != nil:
		rules = append(rules, "date: the text's vaguer words ("+d.weak.Text+"), as it gives no firm date")
	default:
		rules = append(rules, "date: the reference day, as the text gives none for the event")
	}
	if in.EventType == ruleType {
		rules = append(rules, "type: the learned model agrees with the trigger words")
	} else {
		rules = append(rules, "type: the learned model over the trigger words' "+ruleType)
	}
	return rules
}

// undated says, for an article without a publication date, how its
// incident was dated, and returns what that does to the confidence: a day
// the text itself gives is as good as ever; a day counted from the text's
// latest date is a guess; a day taken from the clock is no date at all, so
// the incident says so in its notes and claims only the year.
func undated(in *incident.Incident, d *draft, ref refSource) float64 {
	switch {
	case ref == refPublished:
		return 0
	case ref == refClock && d.day == nil && d.coarse == nil:
		in.DatePrecision = incident.PrecisionYear
		in.Notes = "No publication date and no date in the text: dated to the day of extraction."
		return -0.3
	case ref == refClock && (d.day != nil && d.day.Relative || d.day == nil && d.coarse.Relative):
		// "on Saturday" with no publication date and no year: which
		// Saturday is a guess from the day of extraction.
		in.DatePrecision = incident.PrecisionYear
		in.Notes = "No publication date and no year in the text: \"" + relativeText(d) + "\" read against the day of extraction."
		return -0.3
	case ref == refText && d.day == nil && d.coarse == nil:
		in.Notes = "No publication date: dated from the latest day the text gives."
		return -0.15
	}
	return -0.05
}

// relativeText is the words of the draft's date read against the
// reference day.
func relativeText(d *draft) string {
	if d.day != nil {
		return d.day.Text
	}
	return d.coarse.Text
}

// maxLeadGap is how many sentences back a draft without a date of its own
// looks for the day its report's lead gave: "On 30 April, a prisoner died
// in custody. Relatives said he had been beaten." is one event, dated in
// the first sentence.
const maxLeadGap = 2

// leadDay returns the firm day of the nearest sentence before the draft
// that reports no event of its own, or nil.
func (x *Extractor) leadDay(an *analysis, infos []sentInfo, d *draft, pub time.Time) *dateExpr {
	first := d.sents[0]
	for si := first - 1; si >= 0 && si >= first-maxLeadGap; si-- {
		if infos[si].event {
			return nil // another event's sentence: its date is its own
		}
		for _, de := range x.dates.find(an.sents[si].Text, pub, an.monthFirst()) {
			if !de.Weak && de.Precision == incident.PrecisionDay {
				return &de
			}
		}
	}
	return nil
}

// stateForces names a state's forces as ACLED does: "police" becomes
// "Police Forces of Afghanistan", "troops" "Military Forces of Nigeria".
// Other actors are kept.
func stateForces(name, country string) string {
	if country == "" {
		return name
	}
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "police") || strings.Contains(l, "policemen"):
		return "Police Forces of " + country
	case strings.HasSuffix(l, "army") || strings.HasSuffix(l, "troops") || strings.HasSuffix(l, "military") ||
		strings.HasSuffix(l, "soldiers") || l == "forces" || l == "security forces":
		return "Military Forces of " + country
	}
	return name
}

// placed starts the incident of resolved place r: where, and how
// precisely.
func placed(r resolved) incident.Incident {
	p := r.Place
	in := incident.Incident{
		Location: r.Name, Admin1: p.Admin1, Admin2: p.Admin2, Country: p.Country,
		Geometry: p.Point, PlaceID: p.ID,
	}
	learned, near := strings.HasPrefix(p.ID, learnedPrefix), strings.HasPrefix(p.ID, learnedNearPrefix)
	if learned || near {
		in.PlaceID = "" // a learned place is no gazetteer entry
	}
	if p.Level == gazetteer.LevelAdmin1 || p.Level == gazetteer.LevelCountry {
		in.Admin2 = ""
	}
	if p.Level == gazetteer.LevelCountry {
		in.Admin1 = ""
	}
	switch p.Level {
	case gazetteer.LevelPlace:
		in.GeoPrecision = incident.GeoTown
		// Near a town, a part of it, or a name the gazetteer lacks placed
		// at the town named with it: ACLED's "part of a town or near it".
		if r.NearWord || r.Qual == qualArea || r.Inherited || near {
			in.GeoPrecision = incident.GeoDistrict
		}
	case gazetteer.LevelAdmin2:
		in.GeoPrecision = incident.GeoDistrict
	case gazetteer.LevelAdmin1:
		in.GeoPrecision = incident.GeoRegion
	default:
		in.GeoPrecision = incident.GeoCountry
	}
	return in
}

// dateIncident sets the incident's date from the draft's day, else its
// coarse date, else its weak dates or the publication day, and returns what
// that does to the confidence.
func dateIncident(in *incident.Incident, an *analysis, d *draft, infos []sentInfo, pub time.Time) float64 {
	delta := 0.0
	switch {
	case d.day != nil:
		in.EventDate = d.day.Date.Format(incident.DateLayout)
		if !d.day.EndDate.IsZero() && d.day.EndDate.After(d.day.Date) {
			in.EventEndDate = d.day.EndDate.Format(incident.DateLayout)
		}
		in.DatePrecision = incident.PrecisionDay
		delta = 0.1
	case d.coarse != nil:
		in.EventDate = d.coarse.Date.Format(incident.DateLayout)
		in.DatePrecision = d.coarse.Precision
	default:
		// Nothing but weak dates: the day the last of them tells, else the
		// publication day (news reports yesterday's and today's events)
		// as precise as a weak week or month says ("earlier this month"
		// is ACLED's time precision 3, not a day).
		in.EventDate = pub.Format(incident.DateLayout)
		in.DatePrecision = incident.PrecisionDay
		if day, coarse := weakDates(an, d, infos); day != nil {
			in.EventDate, d.weak = day.Date.Format(incident.DateLayout), day
		} else if coarse != nil && holds(coarse, pub) {
			in.EventDate, in.DatePrecision, d.weak = coarse.Date.Format(incident.DateLayout), coarse.Precision, coarse
		}
		delta = -0.05
	}
	return delta
}

// holds reports whether the week, month or year de names holds day t: a
// weak period that does not ("since October last year") is background, not
// the news.
func holds(de *dateExpr, t time.Time) bool {
	end := de.Date
	switch de.Precision {
	case incident.PrecisionWeek:
		end = end.AddDate(0, 0, 7)
	case incident.PrecisionMonth:
		end = end.AddDate(0, 1, 0)
	case incident.PrecisionYear:
		end = end.AddDate(1, 0, 0)
	default:
		return false
	}
	return !t.Before(de.Date) && t.Before(end)
}

// weakDates returns the first weak day of the last of the draft's
// sentences that gives one (a later sentence tells the event's own day:
// "confirmed on Monday ... the attack on Sunday night") and the first weak
// week or month.
func weakDates(an *analysis, d *draft, infos []sentInfo) (day, coarse *dateExpr) {
	for _, si := range d.sents {
		first := true
		for i := range infos[si].dates {
			de := &infos[si].dates[i]
			switch {
			case de.Precision == incident.PrecisionDay && first:
				day, first = de, false
			case de.Precision != incident.PrecisionDay && coarse == nil && !possessed(an.sents[si].Text, de.End):
				coarse = de
			}
		}
	}
	return day, coarse
}

// possessed reports a "'s" at offset end of s: a period that owns a noun
// ("this month's election") dates that noun, not the event.
func possessed(s string, end int) bool {
	return possessive(s[min(end, len(s)):], "")
}

// countVictims sets the incident's tolls and returns the victims by class
// and what the tolls do to the confidence. The toll is that of the first
// sentence that gives one in numbers (later sentences tend to give parts,
// other sources' figures or history), unless a later one revises it ("the
// toll rose to 15"); victim classes add up within that sentence. A
// sentence with only a singular victim ("he was killed") counts one.
func countVictims(in *incident.Incident, an *analysis, infos []sentInfo, d *draft, pub time.Time) (map[int]int, float64) {
	victims := map[int]int{}
	var toll tolls
	for _, si := range d.sents {
		var counts []count
		for _, c := range infos[si].counts {
			if c.Subset || !countBelongs(&an.sents[si], &infos[si], c, in.EventDate, pub) {
				continue
			}
			victims[c.Victim] += c.Value
			counts = append(counts, c)
		}
		toll.add(tallySentence(counts), sentenceAdds(infos[si].counts))
	}
	return victims, toll.apply(in)
}

// sentenceTally is what one sentence's counts say: the dead by victim
// class (confirmed, and reported only), the injured, the largest single
// victim count, and whether it revises an earlier toll.
type sentenceTally struct {
	by, reported map[int]int
	injured      int
	single       int
	update       bool
}

// tallySentence adds up a sentence's counts.
func tallySentence(counts []count) sentenceTally {
	t := sentenceTally{by: map[int]int{}, reported: map[int]int{}}
	toll := 0
	for _, c := range counts {
		switch {
		case c.Injured:
			t.injured += c.Value
		case c.Single:
			t.single = max(t.single, c.Value)
		case c.Reported:
			t.reported[c.Victim] += c.Value
		case c.Update:
			// "bringing the death toll to 21": the toll, not a part to add.
			if !t.update {
				t.by = map[int]int{}
			}
			t.update = true
			t.by[victimGeneral] = max(t.by[victimGeneral], c.Value)
		case c.Toll:
			// "put the toll at 15": a whole toll, kept apart from the parts.
			if toll == 0 || c.Value < toll {
				toll = c.Value
			}
		case !t.update:
			t.by[c.Victim] += c.Value
		}
	}
	// Two figures for the same dead ("killed 10 ..., though residents put
	// the toll at 15"): coders take the most conservative.
	if toll > 0 && !t.update {
		if n := deadOf(t.by); n == 0 || toll < n {
			t.by = map[int]int{victimGeneral: toll}
		}
	}
	return t
}

// deadOf is the dead a tally by victim class comes to: the general count,
// or civilians and armed together when they are more.
func deadOf(by map[int]int) int {
	return max(by[victimGeneral], by[victimCivilian]+by[victimArmed])
}

// tolls gathers an incident's counts sentence by sentence: the first toll
// (or a revision of it), deaths told as more on top of it ("seven more
// villagers died"), the largest reported-only toll, a single victim, and
// the first count of injured.
type tolls struct {
	total, civ, more int
	started          bool
	single           int
	repTotal, repCiv int
	injured          int
	injuredSet       bool
}

// add takes one sentence's tally; adds says the sentence's deaths come on
// top of the earlier toll.
func (t *tolls) add(s sentenceTally, adds bool) {
	if n := deadOf(s.by); n > 0 {
		switch {
		case !t.started || s.update && n > t.total:
			t.total, t.civ, t.more, t.started = n, s.by[victimCivilian], 0, true
		case t.total > 0 && !s.update && adds:
			t.more += n
		}
	}
	t.single = max(t.single, s.single)
	if n := deadOf(s.reported); n > t.repTotal {
		t.repTotal, t.repCiv = n, s.reported[victimCivilian]
	}
	if s.injured > 0 && !t.injuredSet {
		t.injured, t.injuredSet = s.injured, true
	}
}

// apply sets the incident's fatalities (confirmed before a single victim
// before reported only; none counted is 0), civilian fatalities and
// injured, and returns what the counts add to its confidence.
func (t *tolls) apply(in *incident.Incident) float64 {
	delta := 0.0
	total := t.total + t.more
	switch {
	case t.started && total > 0:
		in.Fatalities = incident.Int(total)
		if t.civ > 0 {
			in.CivilianFatalities = incident.Int(t.civ)
		} else if t.repCiv > 0 {
			in.CivilianFatalities = incident.Int(t.repCiv) // reported, kept apart
		}
		delta = 0.1
	case t.single > 0:
		in.Fatalities = incident.Int(t.single)
		if t.repCiv > 0 {
			in.CivilianFatalities = incident.Int(t.repCiv)
		}
	case t.repTotal > 0:
		in.Fatalities = incident.Int(t.repTotal)
		if t.repCiv > 0 {
			in.CivilianFatalities = incident.Int(t.repCiv)
		}
		delta = -0.1
	default:
		in.Fatalities = incident.Int(0)
	}
	if t.injured > 0 {
		in.Injured = incident.Int(t.injured)
	}
	return delta
}

// evidence is the sentence that placed the draft, else its first, cut at
// 1000 bytes on a character boundary.
func evidence(an *analysis, infos []sentInfo, d *draft) string {
	ev := an.sents[d.sents[0]].Text
	if ls := d.sentWithLoc(infos); ls >= 0 {
		ev = an.sents[ls].Text
	}
	if len(ev) > 1000 {
		ev = ev[:1000]
		for !utf8ValidEnd(ev) {
			ev = ev[:len(ev)-1]
		}
	}
	return ev
}

// bestDay picks the draft's date among the firm days of its sentences:
// the day written in the sentence that placed the event wins, then earlier
// sentences.
func bestDay(an *analysis, d *draft, infos []sentInfo) *dateExpr {
	locSent := d.sentWithLoc(infos)
	var best *dateExpr
	bestScore := math.Inf(-1)
	for k, si := range d.sents {
		for i := range infos[si].dates {
			de := &infos[si].dates[i]
			if de.Weak || de.Precision != incident.PrecisionDay {
				continue
			}
			sc := 1 - 0.05*float64(k)
			if si == locSent {
				sc += 1
			}
			// A day written next to the deed ("militants struck on
			// Saturday") beats one written elsewhere in the sentence.
			for _, h := range infos[si].hits {
				if h.Strength >= 2 && abs(h.Start-de.Start) < 60 {
					sc += 0.5
					break
				}
			}
			if k == 0 {
				sc += 0.3
			}
			if opensSentence(an.sents[si].Text, de.Start) {
				sc += openingDayBonus
			}
			if sc > bestScore {
				best, bestScore = de, sc
			}
		}
	}
	return best
}

// openingDayBonus is what a day that opens its sentence ("On 29 October
// 2023, members of BNP vandalized ...") adds: it frames the whole
// sentence, and outweighs a later day next to another deed ("ahead of
// the blockade called for Oct 31").
const openingDayBonus = 0.6

// opensSentence reports a date at offset start of sentence s with at most
// a preposition before it.
func opensSentence(s string, start int) bool {
	head := strings.ToLower(strings.TrimSpace(s[:min(start, len(s))]))
	return head == "" || head == "on" || head == "in" || head == "around"
}

// sentenceAdds reports a sentence whose deaths come on top of an earlier
// toll ("seven more villagers and a soldier died").
func sentenceAdds(cs []count) bool {
	for _, c := range cs {
		if c.More && !c.Injured && !c.Reported {
			return true
		}
	}
	return false
}

// countBelongs reports whether a count is about the incident dated day: a
// count is taken to speak of the date written nearest to it in its
// sentence, so in "31 were killed on February 14, after 160 were killed in
// March 2019" the 160 belongs to 2019, and in "today 16 were killed ... on
// Wednesday eight were killed" each count has its own day.
func countBelongs(s *sentence, in *sentInfo, c count, day string, pub time.Time) bool {
	if len(in.dates) < 2 && (len(in.dates) == 0 || !in.dates[0].Date.Before(pub.AddDate(0, 0, -62))) {
		return true
	}
	// The date a count speaks of is the nearest one, with dates after the
	// count preferred (English puts the date after the deed: "were killed
	// in X on Monday") and dates across a quotation mark or semicolon
	// (another statement) held further away.
	pos := s.Tokens[c.Start].Start - s.Start
	var nearest *dateExpr
	best := math.MaxInt
	for i := range in.dates {
		d := &in.dates[i]
		if d.Weak || abs(d.Start-pos) > 300 {
			continue // "police said on Monday" is no day anything happened; far dates speak of other things
		}
		var dist int
		var between string
		if d.Start > pos {
			dist, between = (d.Start-pos)/2, s.Text[pos:d.Start]
		} else {
			dist, between = pos-d.End, s.Text[min(d.End, pos):pos]
		}
		if strings.ContainsAny(between, "\"“”;") {
			dist += 100
		}
		if d.Start < pos && strings.Contains(between, ",") {
			dist += 40 // "on Monday, months after 160 were killed": another clause
		}
		if dist < best {
			best, nearest = dist, d
		}
	}
	if nearest == nil {
		return true
	}
	if nearest.Date.Before(pub.AddDate(0, 0, -62)) {
		return false
	}
	if nearest.Precision != incident.PrecisionDay || day == "" {
		return true
	}
	t, err := time.Parse(incident.DateLayout, day)
	if err != nil {
		return true
	}
	return math.Abs(nearest.Date.Sub(t).Hours()) <= 24
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// sentWithLoc is the first sentence of the draft whose own place is the
// draft's place.
func (d *draft) sentWithLoc(infos []sentInfo) int {
	for _, si := range d.sents {
		if infos[si].loc == d.loc {
			return si
		}
	}
	return -1
}

func utf8ValidEnd(s string) bool {
	if s == "" {
		return true
	}
	b := s[len(s)-1]
	return b < 0x80 || strings.ToValidUTF8(s[max(0, len(s)-4):], "") == s[max(0, len(s)-4):]
}
