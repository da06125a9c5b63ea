package extract

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// sentInfo is what one sentence says about events.
type sentInfo struct {
	hits       []eventHit
	counts     []count
	dates      []dateExpr
	actors     []actorMention
	mishap     string   // the mishap the sentence names ("an accident"), whose words and deaths are no event's
	everyday   []string // the only event words of a news article, which have an everyday sense ("signed")
	figures    bool     // a table or a tally of figures by place, no one event's (see tableLike, tally)
	background bool     // about the past in general: tolls since 2014, years of conflict
	summary    bool     // sums several events ("a series of attacks on three towns")
	reported   bool
	event      bool
	loc        int // index into the resolved spots of the place tied to the event, -1 if none
}

// draft is an incident being assembled from sentences.
type draft struct {
	sents  []int
	loc    int
	day    *dateExpr // the first firm day-precision date
	coarse *dateExpr
	weak   *dateExpr // the vaguer words that dated it when nothing firm did ("overnight", "earlier this month")
	remark string    // the coder's remark that placed it, if one did
}

// backgroundCue marks sentences about the past in general, or about the
// security response to the reported event ("patrolling has been
// intensified"), rather than the event itself.
var backgroundCue = regexp.MustCompile(`(?i)\bsince (a |the )?(19|20)\d\d|\bsince (a |the )?(January|February|March|April|May|June|July|August|September|October|November|December)|\bsince (the )?(start|beginning|outbreak)|\bin recent (years|weeks)|\b(in|over|during|for) the (past|last) (few|several|two|three|four|five|\d+) (years|months|decades)|\bso far\b|\bover the (past|last|years)|\bin the past\b|\bdecades?\b|\byears of\b|\bsince then\b|\bhave been killed in attacks|\b(has|have|had) been (intensified|stepped up|increased|beefed up|tightened|heightened)\b`)

// recentPeriod marks a toll over the last hours or days ("in the past 24
// hours"): news of now, not background.
var recentPeriod = regexp.MustCompile(`(?i)\b(in|over|during) the (past|last) (\d+|24|48|72|few|two|three) (hours|days)\b|\b(in|over|during) the (past|last) (day|night)\b`)

// mayBeBackground is a cheap test that lets most sentences skip the
// background patterns: each pattern contains one of these words.
func mayBeBackground(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"since", "recent", "past", "last", "so far", "over the", "decade", "years", "killed in attacks", "year", "stepped up", "intensified", "escalated", "increased", "beefed up", "tightened", "heightened"} {
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

func (x *Extractor) incidents(an *analysis, a Article, pub time.Time, ref refSource) ([]incident.Incident, []Explanation, string) {
	infos := make([]sentInfo, len(an.sents))
	anyPlace := false
	for _, r := range an.res {
		if r.OK {
			anyPlace = true
			break
		}
	}
	anyEvent := x.findEvents(an, infos, pub, ref, eventBar{})
	if !anyEvent && len(an.sents) <= noteSentences {
		// A note-like report is written about an event: a weak trigger
		// word, a count, or words that read like the notes the type model
		// learnt from are enough (held out, 1.6 points more of the notes
		// that name their place are found, 1.1 more typed right, and the
		// share of wrong incidents is unchanged).
		clear(infos)
		anyEvent = x.findEvents(an, infos, pub, ref, eventBar{lenient: true,
			believed: x.models.eventBelief(x.reportFeatures(an)) >= minEventBelief})
	}
	if !anyEvent {
		return nil, nil, noEventReason(infos)
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
		return nil, nil, "no place named: the text mentions no place the gazetteer knows"
	}
	drafts := x.group(an, infos, pub)
	if len(an.sents) > noteSentences {
		drafts = x.withoutEverydayDrafts(an, infos, drafts)
	}
	// A note's one incident is where its coder's remark says it was coded.
	if len(drafts) == 1 {
		if i, rule, ok := remarkPlaceFor(an, drafts[0].loc); ok {
			drafts[0].loc, drafts[0].remark = i, rule.name
		}
	}
	var out []incident.Incident
	var why []Explanation
	cp := newCodePoints(an.text)
	for di := range drafts {
		in, rules, ok := x.build(an, infos, &drafts[di], a, pub, ref)
		if ok {
			out = append(out, in)
			r := an.res[drafts[di].loc]
			why = append(why, Explanation{Place: Span{StartByte: r.Start, EndByte: r.End, Start: cp.at(r.Start), End: cp.at(r.End)},
				Rules: rules})
		}
	}
	if len(out) == 0 {
		return nil, nil, "no incident could be placed: the sentences that report events name no place"
	}
	return out, why, ""
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
		// The date of a dateline ("MOGADISHU, May 4 (Reuters) -") is the
		// day of the report.
		if ta := strings.TrimLeft(after, " "); ds[i].Start < 40 && (strings.HasPrefix(ta, "(") || strings.HasPrefix(ta, "-") ||
			strings.HasPrefix(ta, "—") || strings.HasPrefix(ta, "–")) {
			ds[i].Weak = true
			continue
		}
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
func (x *Extractor) isBackground(s string, in *sentInfo, pub time.Time, ref refSource) bool {
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
	if !recentDay && mayBeBackground(s) && !recentPeriod.MatchString(s) && (backgroundCue.MatchString(s) || vagueYear.MatchString(s)) {
		return true
	}
	for _, c := range in.counts {
		if c.Value >= 1000 {
			return true
		}
	}
	// Old dates make a sentence history only against a known publication
	// day; an undated text may be old itself.
	if len(in.dates) > 0 && ref == refPublished {
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

// cumulative reports a sentence that counts the victims of a period
// ("since 2014, more than 300 people have been killed in attacks") rather
// than telling of one past event ("captured the town after three years of
// occupation").
func cumulative(s string, counts []count) bool {
	for _, c := range counts {
		if c.Value >= 1000 {
			return true
		}
	}
	return len(counts) > 0 && mayBeBackground(s) && backgroundCue.MatchString(s)
}

// takeEvent makes sentence si one that reports an event: who acted, and
// where. The first event sentence says where; later ones mention other
// places more loosely ("a day after the attack in X"), so they start an
// incident of their own only at a place they tie to it.
func (x *Extractor) takeEvent(an *analysis, si int, in *sentInfo, placedBefore *bool) {
	in.event = true
	in.actors = x.actors.find(an.sents[si].Tokens)
	in.loc = x.eventPlace(an, si, in)
	if in.loc >= 0 && *placedBefore && !an.tiedToEvent(in.loc) {
		in.loc = -1
	}
	*placedBefore = *placedBefore || in.loc >= 0
}

// hasDeaths reports a count of the dead among counts.
func hasDeaths(counts []count) bool {
	for _, c := range counts {
		if !c.Injured && c.Value > 0 {
			return true
		}
	}
	return false
}

// eventBar is what findEvents takes for an event sentence.
type eventBar struct {
	// lenient: any trigger word or count makes an event sentence.
	lenient bool
	// believed: every sentence is an event sentence.
	believed bool
}

// minEventBelief is the type model's belief in its first choice above
// which a note-like report without trigger words is taken to report an
// event. News sentences without trigger words (dev.jsonl's, which report
// no event) score below 0.47 nine times in ten, acled_dev.jsonl's notes
// without them 0.63 and above nine times in ten. Held out, 0.6 types 0.1
// point fewer of the notes right, 0.7 0.2 point fewer; lower, more short
// texts that report nothing would become incidents.
const minEventBelief = 0.5

// findEvents marks the sentences that report events in infos and reports
// whether any does.
func (x *Extractor) findEvents(an *analysis, infos []sentInfo, pub time.Time, ref refSource, bar eventBar) bool {
	// prevEvent: the sentence before reported an event, so deaths counted
	// in this one with no event word of its own are that event's ("Three
	// officers died.").
	anyEvent, placedBefore, prevEvent := false, false, false
	var background []int // violent sentences about the past
	for si := range an.sents {
		s := &an.sents[si]
		in := &infos[si]
		in.hits = x.events.find(s.Tokens, s.Start)
		in.counts = x.cas.find(s.Tokens, s.Text)
		in.mishap = x.mishaps.withoutMishap(s.Tokens, in)
		if in.figures = tableLike(s.Tokens) || an.tally(si); in.figures {
			in.hits, in.counts = nil, nil
		}
		if !violent(in.hits, in.counts) && !(prevEvent && hasDeaths(in.counts)) && !bar.admits(in) {
			in.loc = -1
			prevEvent = false
			continue // the rest is only needed for sentences about events
		}
		prevEvent = true
		in.dates = x.dates.find(s.Text, pub, an.monthFirst())
		x.markReportingDates(s.Text, in.dates)
		in.background = x.isBackground(s.Text, in, pub, ref)
		in.summary = summaryCue.MatchString(s.Text)
		for _, c := range in.counts {
			if c.Reported {
				in.reported = true
			}
		}
		if in.background {
			in.loc = -1
			if !cumulative(s.Text, in.counts) {
				background = append(background, si)
			}
			continue
		}
		x.takeEvent(an, si, in, &placedBefore)
		anyEvent = true
	}
	if anyEvent && len(an.sents) > noteSentences && x.everydayNews(an, infos) {
		anyEvent = false
	}
	// A text that tells only of past events is about them ("Rebels
	// captured the town in 1999"): they are its incidents, with their own
	// dates. Where the text also reports a current event, they stay
	// background; tolls over a period are never incidents.
	if !anyEvent {
		for _, si := range background {
			x.takeEvent(an, si, &infos[si], &placedBefore)
			anyEvent = true
		}
	}
	return anyEvent
}

// noEventReason says why a text none of whose sentences reports an event
// has no incident.
func noEventReason(infos []sentInfo) string {
	for _, in := range infos {
		if in.mishap != "" {
			return "no violent event reported: it reports " + in.mishap + ", not violence"
		}
	}
	for _, in := range infos {
		if in.figures {
			return "no violent event reported: it gives figures (a table, or a tally place by place), not one event"
		}
	}
	for _, in := range infos {
		if len(in.everyday) > 0 {
			return "no violent event reported: its only event words have an everyday sense (" + strings.Join(in.everyday, ", ") + ")"
		}
	}
	return "no violent event reported: no sentence names an attack, clash, strike, protest or deaths"
}

// everydayWords returns the event words of sentence si when it names no
// count and only words with an everyday sense ("signed", "released"),
// nil otherwise.
func (x *Extractor) everydayWords(an *analysis, infos []sentInfo, si int) []string {
	if len(infos[si].counts) > 0 {
		return nil
	}
	return everydayOnly(infos[si].hits, an.sents[si].Text, x.ambiguous)
}

// everydayNews reports a news article all of whose event sentences have
// only everyday words (see everydayWords), and then takes them for no
// events, each keeping its words for the reason.
func (x *Extractor) everydayNews(an *analysis, infos []sentInfo) bool {
	words := make([][]string, len(infos))
	for si := range infos {
		if !infos[si].event {
			continue
		}
		if words[si] = x.everydayWords(an, infos, si); words[si] == nil {
			return false
		}
	}
	for si := range infos {
		if in := &infos[si]; in.event {
			in.everyday, in.event, in.loc = words[si], false, -1
		}
	}
	return true
}

// withoutEverydayDrafts drops from a news article the drafts all of whose
// sentences have only everyday words ("go on the offensive", "a report
// released"): such a sentence may be read with an event reported in other
// words, but never makes an incident alone.
func (x *Extractor) withoutEverydayDrafts(an *analysis, infos []sentInfo, drafts []draft) []draft {
	kept := drafts[:0]
	for _, d := range drafts {
		if slices.ContainsFunc(d.sents, func(si int) bool { return x.everydayWords(an, infos, si) == nil }) {
			kept = append(kept, d)
		}
	}
	return kept
}

// admits reports whether the lenient bar takes a sentence that is not
// violent for an event sentence.
func (b eventBar) admits(in *sentInfo) bool {
	if in.figures || in.mishap != "" && len(in.hits) == 0 {
		return false // figures or a mishap are no event however eventful they read
	}
	return b.believed || b.lenient && (len(in.hits) > 0 || len(in.counts) > 0)
}
