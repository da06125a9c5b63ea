package extract

import (
	"math"
	"regexp"
	"strings"
	"time"

	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// sentInfo is what one sentence says about events.
type sentInfo struct {
	hits       []eventHit
	counts     []count
	dates      []dateExpr
	actors     []actorMention
	background bool // about the past in general: tolls since 2014, years of conflict
	summary    bool // sums several events ("a series of attacks on three towns")
	reported   bool
	event      bool
	loc        int // index into the resolved spots of the place tied to the event, -1 if none
	locScore   float64
}

// draft is an incident being assembled from sentences.
type draft struct {
	sents  []int
	loc    int
	day    *dateExpr // the first firm day-precision date
	coarse *dateExpr
}

// backgroundCue marks sentences about the past in general rather than the
// reported event.
var backgroundCue = regexp.MustCompile(`(?i)\bsince (a |the )?(19|20)\d\d|\bsince (a |the )?(January|February|March|April|May|June|July|August|September|October|November|December)|\bsince (the )?(start|beginning|outbreak)|\bin recent (years|weeks)|\b(past|last) (few|several|two|three|four|five|\d+) (years|months|decades)|\bso far this year|\bover the (past|last|years)|\btens of thousands|\bhundreds of thousands|\bthousands\b|\bmillions?\b|\bin the past\b|\bdecades?\b|\byears of\b|\bsince then\b|\bhave been killed in attacks`)

// mayBeBackground is a cheap test that lets most sentences skip the
// background patterns: each pattern contains one of these words.
func mayBeBackground(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"since", "recent", "past", "last", "so far", "over the", "thousand", "million", "decade", "years", "killed in attacks", "year", "stepped up", "intensified", "escalated"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// vagueYear marks general statements about the year ("attacks this
// year"), which are background unless the sentence names a day.
var vagueYear = regexp.MustCompile(`(?i)\b(this|last) year\b|\b(stepped up|intensified|escalated) (its |their )?(attacks|violence|campaign)`)

// summaryCue marks sentences that total several events.
var summaryCue = regexp.MustCompile(`(?i)\bseries of\b|\b(attacks|strikes|raids) on [^.;]{0,40}\b(towns|villages|cities|districts)\b|\b(two|three|four|five|six|several|multiple|separate) (attacks|towns|villages|strikes|incidents|locations|areas)\b|\battacks on (two|three|four|several)`)

// reportingVerb next to a date means the date is when something was said,
// not when it happened ("police said on Monday").
var reportingVerb = regexp.MustCompile(`(?i)\b(said|says|told|confirmed|announced|reported|stated|added|tweeted|posted|declared|claimed|quoted)\b`)

func (x *Extractor) incidents(an *analysis, a Article, pub time.Time, pubKnown bool) ([]incident.Incident, string) {
	infos := make([]sentInfo, len(an.sents))
	anyPlace := false
	for _, r := range an.res {
		if r.OK {
			anyPlace = true
			break
		}
	}
	anyEvent := false
	for si := range an.sents {
		s := &an.sents[si]
		in := &infos[si]
		in.hits = x.events.find(s.Tokens, s.Start)
		in.counts = x.cas.find(s.Tokens, s.Text)
		if !violent(in.hits, in.counts) {
			in.loc = -1
			continue // the rest is only needed for sentences about events
		}
		in.dates = x.dates.find(s.Text, pub)
		x.markReportingDates(s.Text, in.dates)
		in.background = x.isBackground(s.Text, in, pub)
		in.summary = summaryCue.MatchString(s.Text)
		for _, c := range in.counts {
			if c.Reported {
				in.reported = true
			}
		}
		in.event = !in.background
		if !in.event {
			in.loc = -1
			continue
		}
		in.actors = x.actors.find(s.Tokens, s.Start)
		in.loc, in.locScore = x.eventPlace(an, si, in)
		anyEvent = true
	}
	if !anyEvent {
		return nil, "no violent event reported: no sentence names an attack, clash, strike, protest or deaths"
	}
	// A sentence totalling several events ("a series of attacks on three
	// towns killed 26") is left out when other sentences report them.
	nonSummary := 0
	for si := range infos {
		if infos[si].event && !infos[si].summary {
			nonSummary++
		}
	}
	if nonSummary > 0 {
		for si := range infos {
			if infos[si].summary {
				infos[si].event = false
			}
		}
	}
	// Lines after the body that read like headlines (no final stop) are
	// links to other stories.
	x.dropRelatedLinks(an, infos)
	if !anyPlace {
		return nil, "no place named: the text mentions no place the gazetteer knows"
	}
	drafts := x.group(an, infos, pub)
	var out []incident.Incident
	for di := range drafts {
		in, ok := x.build(an, infos, &drafts[di], a, pub, pubKnown)
		if ok {
			out = append(out, in)
		}
	}
	if len(out) == 0 {
		return nil, "no incident could be placed: the sentences that report events name no place"
	}
	return out, ""
}

// markReportingDates weakens dates that belong to a verb of saying.
func (x *Extractor) markReportingDates(s string, ds []dateExpr) {
	for i := range ds {
		before := s[max(0, ds[i].Start-28):ds[i].Start]
		after := s[ds[i].End:min(len(s), ds[i].End+22)]
		// "said on Monday", "were on Monday confirmed killed", "told AFP on Tuesday".
		// Only the word right after counts: "on Monday said", not
		// "on Saturday evening, Aljazeera reported".
		firstAfter, _, _ := strings.Cut(strings.TrimLeft(after, " "), " ")
		lb := strings.ToLower(strings.TrimSpace(before))
		if reportingVerb.MatchString(before) && !strings.Contains(strings.ToLower(before), "killed") ||
			reportingVerb.MatchString(firstAfter) ||
			strings.HasSuffix(lb, "since") || strings.HasSuffix(lb, "until") || strings.HasSuffix(lb, "by") {
			// "since Sunday evening", "by Monday": a bound, not the day of the event.
			ds[i].Weak = true
		}
	}
}

// isBackground reports whether a sentence is about the past in general.
func (x *Extractor) isBackground(s string, in *sentInfo, pub time.Time) bool {
	// A firm recent day makes the sentence about an event, whatever
	// else it says ("who had led the group since 2016, was killed on March 4").
	recentDay := false
	for _, d := range in.dates {
		since := strings.HasSuffix(strings.ToLower(strings.TrimSpace(s[max(0, d.Start-8):d.Start])), "since") ||
			strings.HasSuffix(strings.ToLower(strings.TrimSpace(s[max(0, d.Start-8):d.Start])), "since a")
		if !d.Weak && !since && d.Precision == incident.PrecisionDay && !d.Date.Before(pub.AddDate(0, 0, -62)) {
			recentDay = true
		}
	}
	if !recentDay && mayBeBackground(s) && (backgroundCue.MatchString(s) || vagueYear.MatchString(s)) {
		return true
	}
	for _, c := range in.counts {
		if c.Value >= 1000 {
			return true
		}
	}
	if len(in.dates) > 0 {
		old := true
		for _, d := range in.dates {
			if !d.Date.Before(pub.AddDate(0, 0, -62)) {
				old = false
			}
		}
		return old
	}
	return false
}

// eventPlace picks the place a sentence ties to its event: a fine place
// after a locative preposition, near the trigger word, not a place that
// only contains another one named with it, not a speaker ("Washington
// said"), not an origin ("came from Mali") or a distance reference ("south
// of Manila").
func (x *Extractor) eventPlace(an *analysis, si int, in *sentInfo) (int, float64) {
	s := &an.sents[si]
	best, bestScore := -1, 1.5
	for ri := range an.res {
		r := &an.res[ri]
		if r.Sentence != si || !r.OK || r.Demonym || r.Part || r.Place.Level == gazetteer.LevelRegion {
			continue
		}
		sc := 0.0
		switch r.Place.Level {
		case gazetteer.LevelPlace:
			sc = 3
		case gazetteer.LevelAdmin2:
			sc = 2.7
		case gazetteer.LevelAdmin1:
			sc = 2.2
		case gazetteer.LevelCountry:
			sc = 1
		}
		switch r.Prep {
		case "in", "at", "near", "outside", "into", "around", "inside", "across", "throughout", "within", "on":
			sc += 1.5
		case "of":
			sc += 1
		case "from":
			sc -= 1.5
		case "to", "towards", "toward", "via":
			sc -= 0.7
		}
		if r.SubjectVerb {
			sc -= 2
		}
		if an.focus != "" && r.Place.Country != an.focus {
			sc -= 1.2
		}
		after := strings.ToLower(an.text[r.SpanEnd:min(len(an.text), r.SpanEnd+12)])
		if strings.HasPrefix(after, " border") || strings.HasPrefix(after, "-based") || strings.HasPrefix(after, " time") {
			sc -= 3
		}
		before := strings.ToLower(an.text[max(s.Start, r.SpanStart-24):r.SpanStart])
		if distanceRef.MatchString(before) {
			sc -= 3
		}
		if strings.Contains(before, "capital") || strings.Contains(before, "dateline") {
			sc -= 0.5
		}
		for k := range an.res {
			if an.res[k].Parent == ri && an.res[k].OK && !an.res[k].Demonym {
				sc -= 2.5 // contains a finer place named with it
				break
			}
		}
		// Closeness to the trigger.
		near := math.Inf(1)
		for _, h := range in.hits {
			d := math.Abs(float64(r.Start - (s.Start + h.Start)))
			near = math.Min(near, d)
		}
		if !math.IsInf(near, 1) {
			sc += 1.2 * math.Max(0, 1-near/160)
		}
		// Datelines say where the reporter was: "LASHKAR GAH, Afghanistan (Reuters) -".
		if r.Dateline {
			continue // only a fallback: see group
		}
		// Outside the article's country, or a whole country: only with
		// strong ties to the event.
		need := bestScore
		if an.focus != "" && r.Place.Country != an.focus || r.Place.Level == gazetteer.LevelCountry && near > 80 {
			need = math.Max(bestScore, 2.6)
		}
		// A place abroad must have its country named elsewhere too: a
		// lone foreign namesake of a local village is a misreading.
		if an.focus != "" && r.Place.Country != an.focus && r.Place.Level != gazetteer.LevelCountry && !an.countryNamed(r.Place.Country, ri) {
			continue
		}
		if sc > need {
			best, bestScore = ri, sc
		}
	}
	return best, bestScore
}

var distanceRef = regexp.MustCompile(`(north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west|km|kilometres|kilometers|miles|border with|capital of)\)?\s*(of|from)?\s*(the\s*)?$`)

// group merges event sentences into drafts: a sentence joins an earlier
// draft whose place contains, is contained in or lies within 30 km of its
// own and whose day agrees; a sentence with no place joins the latest
// draft unless its day disagrees, in which case it starts a draft that
// borrows the latest place.
func (x *Extractor) group(an *analysis, infos []sentInfo, pub time.Time) []draft {
	var drafts []draft
	var pending []int // event sentences before any placed one
	for si := range infos {
		in := &infos[si]
		if !in.event {
			continue
		}
		day, coarse := firmDates(in.dates)
		if in.loc < 0 {
			if len(drafts) == 0 {
				pending = append(pending, si)
				continue
			}
			d := &drafts[len(drafts)-1]
			if d.agrees(infos, pub, day, coarse) {
				d.add(si, day, coarse)
				continue
			}
			nd := draft{loc: d.loc}
			nd.add(si, day, coarse)
			drafts = append(drafts, nd)
			continue
		}
		merged := false
		for di := len(drafts) - 1; di >= 0; di-- {
			d := &drafts[di]
			if !samePlace(an, d.loc, in.loc) || !d.agrees(infos, pub, day, coarse) {
				continue
			}
			if finer(an, in.loc, d.loc) {
				d.loc = in.loc
			}
			d.add(si, day, coarse)
			merged = true
			break
		}
		if !merged {
			nd := draft{loc: in.loc}
			if len(drafts) == 0 {
				for _, p := range pending {
					pd, pc := firmDates(infos[p].dates)
					if pd == nil && pc == nil || day == nil && coarse == nil || datesAgree(pd, pc, day, coarse) {
						nd.add(p, pd, pc)
					}
				}
				pending = nil
			}
			nd.add(si, day, coarse)
			drafts = append(drafts, nd)
		}
	}
	// Events reported with no place in their own sentences happened where
	// the article is about: its main place named with a locative cue, or,
	// in short wire reports, the dateline ("Al-Arish: militants attacked a
	// checkpoint").
	if len(drafts) == 0 && len(pending) > 0 {
		if ri := mainPlace(an, infos); ri >= 0 {
			for _, p := range pending {
				pd, pc := firmDates(infos[p].dates)
				if n := len(drafts); n > 0 && drafts[n-1].agrees(infos, pub, pd, pc) {
					drafts[n-1].add(p, pd, pc)
					continue
				}
				d := draft{loc: ri}
				d.add(p, pd, pc)
				drafts = append(drafts, d)
			}
		}
	}
	return mergeDrafts(an, infos, pub, drafts)
}

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
	for ri, r := range an.res {
		if !r.OK || r.Dateline || r.Demonym || r.Part || r.SubjectVerb || !r.Cue || r.Prep == "from" || r.Prep == "to" ||
			r.Place.Level == gazetteer.LevelCountry || r.Place.Level == gazetteer.LevelRegion || an.focus != "" && r.Place.Country != an.focus {
			continue
		}
		sc := float64(rank(r.Place.Level)) + 0.5*float64(count[r.Place.ID]) - 0.05*float64(r.Sentence)
		if infos[r.Sentence].event {
			sc += 2
		}
		if infos[r.Sentence].background {
			sc -= 2
		}
		if before := strings.ToLower(an.text[max(0, r.SpanStart-12):r.SpanStart]); strings.Contains(before, "capital") {
			sc -= 2 // "the government in the capital Mogadishu": a reference, not the scene
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

// agrees reports whether a sentence's dates fit the draft's. A draft with
// no firm date is taken to be about its weak day or the publication day.
func (d *draft) agrees(infos []sentInfo, pub time.Time, day, coarse *dateExpr) bool {
	if day == nil && coarse == nil {
		return true
	}
	dd, dc := d.effective(infos, pub)
	return datesAgree(dd, dc, day, coarse)
}

// effective returns the draft's day and coarse date, with the implied day
// (a weak day in its sentences, else publication) when it has neither.
func (d *draft) effective(infos []sentInfo, pub time.Time) (*dateExpr, *dateExpr) {
	if d.day != nil || d.coarse != nil {
		return d.day, d.coarse
	}
	var weak []dateExpr
	for _, si := range d.sents {
		weak = append(weak, infos[si].dates...)
	}
	return impliedDay(weak, pub), nil
}

// mergeDrafts joins drafts that turned out to be one event: the same or
// nested places on agreeing days, and a draft placed only at a country
// into another draft in that country.
func mergeDrafts(an *analysis, infos []sentInfo, pub time.Time, ds []draft) []draft {
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(ds) && !changed; i++ {
			for j := i + 1; j < len(ds) && !changed; j++ {
				a, b := &ds[i], &ds[j]
				if a.loc < 0 || b.loc < 0 || !samePlace(an, a.loc, b.loc) {
					continue
				}
				la, lb := an.res[a.loc].Place.Level, an.res[b.loc].Place.Level
				country := la == gazetteer.LevelCountry || lb == gazetteer.LevelCountry
				ad, ac := a.effective(infos, pub)
				bd, bc := b.effective(infos, pub)
				if !country && !datesAgree(ad, ac, bd, bc) {
					continue
				}
				if finer(an, b.loc, a.loc) {
					a.loc = b.loc
				}
				a.sents = append(a.sents, b.sents...)
				if a.day == nil {
					a.day = b.day
				}
				if a.coarse == nil {
					a.coarse = b.coarse
				}
				ds = append(ds[:j], ds[j+1:]...)
				changed = true
			}
		}
	}
	for i := range ds {
		sortInts(ds[i].sents)
	}
	return ds
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// impliedDay is the day a sentence without a firm date is taken to speak
// of when comparing it with others: its weak day ("today" in a quote), else
// the publication day, since news reports recent events.
func impliedDay(ds []dateExpr, pub time.Time) *dateExpr {
	for i := range ds {
		if ds[i].Precision == incident.PrecisionDay {
			d := ds[i]
			return &d
		}
	}
	return &dateExpr{Date: pub, Precision: incident.PrecisionDay, Weak: true}
}

// dropRelatedLinks unmarks event sentences that are headlines of other
// stories: a line with no final punctuation after the article's opening.
func (x *Extractor) dropRelatedLinks(an *analysis, infos []sentInfo) {
	for si := range infos {
		if !infos[si].event || si < 3 {
			continue
		}
		t := strings.TrimSpace(an.sents[si].Text)
		if t == "" {
			continue
		}
		last := t[len(t)-1]
		if last == '.' || last == '"' || last == '!' || last == '?' || last == ')' || strings.HasSuffix(t, "”") || strings.HasSuffix(t, "’") {
			continue
		}
		// A line standing alone (the sentence is the whole line).
		lineStart := an.sents[si].Start == 0 || an.text[an.sents[si].Start-1] == '\n'
		lineEnd := an.sents[si].End == len(an.text) || an.text[an.sents[si].End] == '\n' || an.text[an.sents[si].End] == '\r'
		if lineStart && lineEnd && len(t) < 200 {
			infos[si].event = false
		}
	}
}

func (d *draft) add(si int, day, coarse *dateExpr) {
	d.sents = append(d.sents, si)
	if d.day == nil && day != nil {
		d.day = day
	}
	if d.coarse == nil && coarse != nil {
		d.coarse = coarse
	}
}

// firmDates returns a sentence's first firm day date and its first coarser
// date (week, month).
func firmDates(ds []dateExpr) (*dateExpr, *dateExpr) {
	var day, coarse *dateExpr
	for i := range ds {
		d := &ds[i]
		if d.Weak || d.Precision == incident.PrecisionYear {
			continue
		}
		if d.Precision == incident.PrecisionDay && day == nil {
			day = d
		}
		if d.Precision != incident.PrecisionDay && coarse == nil {
			coarse = d
		}
	}
	return day, coarse
}

// datesAgree: two days at most one apart; a day inside a month; anything
// with an unknown date.
func datesAgree(d1, c1, d2, c2 *dateExpr) bool {
	if d1 != nil && d2 != nil {
		diff := math.Abs(d1.Date.Sub(d2.Date).Hours() / 24)
		if !d1.EndDate.IsZero() || !d2.EndDate.IsZero() {
			diff = math.Max(0, diff-2)
		}
		return diff <= 1
	}
	a, b := d1, c2
	if a == nil {
		a, b = d2, c1
	}
	if a != nil && b != nil {
		switch b.Precision {
		case incident.PrecisionMonth:
			return a.Date.Year() == b.Date.Year() && a.Date.Month() == b.Date.Month()
		case incident.PrecisionWeek:
			diff := a.Date.Sub(b.Date).Hours() / 24
			return diff >= -3 && diff <= 10
		}
	}
	if c1 != nil && c2 != nil && c1.Precision == c2.Precision && c1.Precision == incident.PrecisionMonth {
		return c1.Date.Equal(c2.Date)
	}
	return true
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

// build turns a draft into an incident.
func (x *Extractor) build(an *analysis, infos []sentInfo, d *draft, a Article, pub time.Time, pubKnown bool) (incident.Incident, bool) {
	if d.loc < 0 {
		return incident.Incident{}, false
	}
	x.refineCountry(an, infos, d)
	if best := bestDay(d, infos); best != nil {
		d.day = best
	}
	r := an.res[d.loc]
	p := r.Place
	in := incident.Incident{
		Location: r.Name, Admin1: p.Admin1, Admin2: p.Admin2, Country: p.Country,
		Geometry: p.Point, PlaceID: p.ID,
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
		if r.NearWord || r.Qual == qualArea {
			in.GeoPrecision = incident.GeoDistrict
		}
	case gazetteer.LevelAdmin2:
		in.GeoPrecision = incident.GeoDistrict
	case gazetteer.LevelAdmin1:
		in.GeoPrecision = incident.GeoRegion
	default:
		in.GeoPrecision = incident.GeoCountry
	}
	// When.
	conf := 0.5
	switch {
	case d.day != nil:
		in.EventDate = d.day.Date.Format(incident.DateLayout)
		if !d.day.EndDate.IsZero() && d.day.EndDate.After(d.day.Date) {
			in.EventEndDate = d.day.EndDate.Format(incident.DateLayout)
		}
		in.DatePrecision = incident.PrecisionDay
		conf += 0.1
	case d.coarse != nil:
		in.EventDate = d.coarse.Date.Format(incident.DateLayout)
		in.DatePrecision = d.coarse.Precision
	default:
		// Nothing but weak dates: the latest of them, or the publication
		// day (news reports yesterday's and today's events).
		in.EventDate = pub.Format(incident.DateLayout)
		in.DatePrecision = incident.PrecisionDay
		for _, si := range d.sents {
			for _, de := range infos[si].dates {
				if de.Precision == incident.PrecisionDay {
					in.EventDate = de.Date.Format(incident.DateLayout)
					break
				}
			}
		}
		conf -= 0.05
	}
	if !pubKnown {
		conf -= 0.15
	}
	// How many: the toll of the first sentence that gives one in numbers
	// (later sentences tend to give parts, other sources' figures or
	// history), unless a later one revises it ("the toll rose to 15");
	// victim classes add up within that sentence. A sentence with only a
	// singular victim ("he was killed") counts one.
	injured := -1
	victims := map[int]int{}
	total, civ, single, repTotal, repCiv := -1, 0, 0, 0, 0
	for _, si := range d.sents {
		by := map[int]int{}
		rby := map[int]int{}
		inj, update := 0, false
		for _, c := range infos[si].counts {
			if c.Subset || !countBelongs(&an.sents[si], &infos[si], c, in.EventDate, pub) {
				continue
			}
			victims[c.Victim] += c.Value
			switch {
			case c.Injured:
				inj += c.Value
			case c.Single:
				single = max(single, c.Value)
			case c.Reported:
				rby[c.Victim] += c.Value
			case c.Update:
				// "bringing the death toll to 21": the toll, not a part to add.
				if !update {
					by = map[int]int{}
				}
				update = true
				by[victimGeneral] = max(by[victimGeneral], c.Value)
			case !update:
				by[c.Victim] += c.Value
			}
		}
		if t := max(by[victimGeneral], by[victimCivilian]+by[victimArmed]); t > 0 && (total < 0 || update && t > total) {
			total, civ = t, by[victimCivilian]
		}
		if t := max(rby[victimGeneral], rby[victimCivilian]+rby[victimArmed]); t > repTotal {
			repTotal, repCiv = t, rby[victimCivilian]
		}
		if inj > 0 && injured < 0 {
			injured = inj
		}
	}
	switch {
	case total > 0:
		in.Fatalities = incident.Int(total)
		if civ > 0 {
			in.CivilianFatalities = incident.Int(civ)
		} else if repCiv > 0 {
			in.CivilianFatalities = incident.Int(repCiv) // reported, kept apart
		}
		conf += 0.1
	case single > 0:
		in.Fatalities = incident.Int(single)
		if repCiv > 0 {
			in.CivilianFatalities = incident.Int(repCiv)
		}
	case repTotal > 0:
		in.Fatalities = incident.Int(repTotal)
		if repCiv > 0 {
			in.CivilianFatalities = incident.Int(repCiv)
		}
		conf -= 0.1
	default:
		in.Fatalities = incident.Int(0)
	}
	if injured > 0 {
		in.Injured = incident.Int(injured)
	}
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
	if in.EventType == "" {
		return incident.Incident{}, false
	}
	if strength >= 2.5 {
		conf += 0.1
	}
	in.Actor1, in.Actor2 = pickActors(actors)
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
	// Evidence: the sentence that placed it, else the first.
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
	src := incident.Source{URL: a.URL, Title: a.Title, Evidence: ev}
	if pubKnown {
		src.Published = pub.Format(incident.DateLayout)
	}
	in.Sources = []incident.Source{src}
	in.Tags = []string{"extracted"}
	if err := in.Validate(); err != nil {
		return incident.Incident{}, false
	}
	return in, true
}

// bestDay picks the draft's date among the firm days of its sentences:
// the day written in the sentence that placed the event wins, then earlier
// sentences.
func bestDay(d *draft, infos []sentInfo) *dateExpr {
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
			if sc > bestScore {
				best, bestScore = de, sc
			}
		}
	}
	return best
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
	for ri := range an.res {
		r := &an.res[ri]
		if !r.OK || r.Sentence < first || r.Sentence > last+2 || r.Part || r.Demonym || r.Dateline || r.SubjectVerb {
			continue
		}
		if r.Place.Country != cc || !(r.Cue && r.Prep != "from" && r.Prep != "to") {
			continue
		}
		if rk := rank(r.Place.Level); rk > bestRank && rk >= 2 {
			best, bestRank = ri, rk
		}
	}
	if best >= 0 {
		d.loc = best
	}
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
		if d.Weak {
			continue // "police said on Monday": not a day anything happened
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
