package extract

import (
	"slices"
	"strings"
)

// victim classes: who a count of dead or injured refers to.
const (
	victimGeneral  = iota // people, persons, bodies
	victimCivilian        // civilians, villagers, children
	victimArmed           // soldiers, militants, police
)

// count is one number of dead or injured found in a sentence.
type count struct {
	Value    int
	Victim   int  // victimGeneral ...
	Injured  bool // wounded, not killed
	Reported bool // in a claim or an unconfirmed report
	Subset   bool // "including three children": part of another count
	Single   bool // no number: one named or singular victim ("a passer-by was killed")
	Update   bool // a revised toll ("the death toll rose to 15")
	More     bool // deaths on top of those counted before ("seven more died")
	Toll     bool // a whole toll, not a part to add ("put the toll at 15")
	Start    int  // token index
}

// casualtyRules holds the word lists of the casualty finder.
type casualtyRules struct {
	killVerb   map[string]bool // passive or intransitive: "were killed", "died"
	killActive map[string]bool // active, object follows: "killing 16 patients"
	// possessive words stand between "and" and a joined count: "and his
	// two sons".
	possessive map[string]bool
	// unnumberedObject words are a verb's object told without a number,
	// the attacker himself ("killed himself and 12 others"); auxiliary
	// words before a verb make it passive, so a count joined after it has
	// a verb of its own.
	unnumberedObject, auxiliary map[string]bool
	// killOnly are the active verbs whose object is always a death:
	// "left 7 injured" and "shot 4" may still be counted by a later verb.
	killOnly map[string]bool
	// deathNouns counted are deaths with no verb at all: "two deaths",
	// "1 fatality", "resulting in one death".
	deathNouns map[string]bool
	// quantity nouns after "killed a" make no single victim: "killed a
	// number of", "killed a total of".
	quantity    map[string]bool
	injureVerb  map[string]bool
	injureAct   map[string]bool
	qualifier   map[string]bool
	civilian    map[string]bool
	armed       map[string]bool
	general     map[string]bool
	unitAfter   map[string]bool // a number followed by these is not a count of people
	singular    map[string]bool // "a man", "a policeman": one victim
	reportedCue []string
	// killObjectVerb take a victim as their object: "killed a soldier".
	killObjectVerb map[string]bool
	// roles are offices and kin, people by what they are to others: "the
	// governor", "his wife", "Russia's ambassador".
	roles map[string]bool
	// possessives stand before an object as a determiner: "his wife".
	possessives map[string]bool
	// toDeathVerb end in "to death": "beaten to death".
	toDeathVerb map[string]bool
	// hedges before a verb of killing say the victim lived: "nearly
	// lynched", "almost killed".
	hedges map[string]bool
	// intents before "to" and a verb of killing say the killing was meant,
	// not done: "tried to kill", "threatened to kill", "plotted to
	// assassinate", "enough to kill".
	intents map[string]bool
	// personNouns name a person beyond the victim classes: "pastor",
	// "trader", "youth".
	personNouns map[string]bool
	// links are the rules that tie a count to its verb, in order.
	links []linkRule
	// notCounts tell number words and figures that count no one.
	notCounts []notCountRule
}

func newCasualtyRules() *casualtyRules {
	set := func(ws ...string) map[string]bool {
		m := make(map[string]bool, len(ws))
		for _, w := range ws {
			m[w] = true
		}
		return m
	}
	return &casualtyRules{
		links:     linkRules(),
		notCounts: notCountRules(),
		// A lynching is a killing: every acled_dev.jsonl note that writes
		// "lynched" and has a coded count counts the lynched as dead (9 of 9).
		killVerb: set("killed", "dead", "died", "butchered", "slaughtered", "gunned", "die", "slain", "perished", "massacred", "executed", "beheaded", "deaths", "lives", "murdered", "bodies", "corpses", "lifeless", "dies", "fatalities", "fatality", "lynched"),
		killActive: set("killing", "killed", "kills", "kill", "claimed", "left", "leaving", "massacred", "executed", "murdered", "shot", "slaughtered", "slaughtering", "murdering", "beheaded", "beheading",
			"lynched", "lynching"),
		killOnly: set("killed", "kills", "kill", "killing", "claimed", "massacred", "executed", "murdered", "slaughtered", "slaughtering",
			"murdering", "beheaded", "beheading", "lynched", "lynching"),
		quantity:         set("number", "total", "dozen", "couple", "few", "lot", "handful", "score", "series", "further", "large", "huge", "record", "combined"),
		deathNouns:       set("death", "deaths", "fatality", "fatalities", "dead", "bodies", "corpses"),
		injureVerb:       set("injured", "wounded", "hurt", "injuries", "wounds"),
		injureAct:        set("injuring", "wounding", "injured", "wounded", "injure", "wound"),
		possessive:       set("his", "her", "their", "its"),
		unnumberedObject: set("himself", "herself", "themselves"),
		auxiliary:        set("was", "were", "is", "are", "been", "be", "being"),
		qualifier: set("at", "least", "more", "than", "over", "some", "about", "around", "nearly", "almost",
			"up", "to", "no", "fewer", "less", "as", "many", "approximately", "roughly", "another", "further", "additional", "estimated", "an",
			"between"), // "killing between 10 and 15": the low end, as coders take the most conservative figure
		civilian: set("civilians", "civilian", "villagers", "villager", "residents", "resident", "women", "woman", "children", "child",
			"men", "man", "worshippers", "students", "student", "patients", "farmers", "farmer", "passengers", "pupils", "traders",
			"protesters", "protestors", "demonstrators", "journalists", "journalist", "workers", "worker", "boys", "girls", "boy",
			"girl", "family", "relatives", "shoppers", "teachers", "passers-by", "passer-by", "pilgrims", "miners", "displaced",
			"herders", "fishermen", "mourners", "guests", "staff", "locals", "inmates", "prisoners", "teenagers", "infants", "babies",
			"elderly", "wedding", "community"),
		armed: set("soldiers", "soldier", "troops", "militants", "militant", "fighters", "fighter", "rebels", "rebel", "insurgents",
			"insurgent", "policemen", "policeman", "police", "officers", "officer", "personnel", "guards", "guard", "attackers",
			"attacker", "gunmen", "gunman", "jihadists", "jihadist", "terrorists", "terrorist", "commanders", "commander",
			"militiamen", "militia", "servicemen", "bandits", "assailants", "assailant", "operatives", "combatants", "cadres",
			"recruits", "paramilitaries", "extremists", "army", "taliban", "troopers", "marines", "gendarmes", "cops", "agents",
			"bombers", "raiders", "forces", "special", "security", "jawans", "constables", "constable", "sailors", "pilots"),
		general: set("people", "persons", "person", "others", "other", "individuals", "victims", "bodies", "corpses", "dead", "lives",
			"casualties", "them", "whom", "more", "deaths", "members", "member", "death", "fatality", "fatalities"),
		unitAfter: set("years", "year", "year-old", "days", "day", "hours", "hour", "minutes", "minute", "km", "kilometres",
			"kilometers", "miles", "mile", "metres", "meters", "percent", "per", "%", "am", "pm", "a.m.", "p.m.", "hrs",
			"hrs,", "months", "month", "weeks", "week", "times", "villages", "towns", "houses", "homes", "vehicles", "cars",
			"districts", "provinces", "states", "countries", "rounds", "shots", "rockets", "missiles", "drones", "bombs",
			"tons", "tonnes", "dollars", "million", "billion", "o'clock", "of", "times", "attacks", "strikes", "schools"),
		singular: set("man", "woman", "child", "boy", "girl", "soldier", "policeman", "officer", "civilian", "person", "resident",
			"passer-by", "student", "farmer", "journalist", "teacher", "commander", "militant", "fighter", "guard",
			"worker", "villager", "constable", "leader", "member", "trader", "driver", "priest", "cleric", "teenager", "baby"),
		killObjectVerb: set("killed", "kills", "kill", "assassinated", "lynched", "beheaded", "murdered", "executed", "slaughtered",
			"stabbed", "strangled", "hanged", "mutilated"),
		roles: set("governor", "mayor", "ambassador", "minister", "president", "senator", "lawmaker", "legislator", "mp", "mla",
			"councilman", "councilwoman", "commissioner", "prosecutor", "diplomat", "envoy", "consul", "general", "colonel", "captain",
			"sergeant", "lieutenant", "spokesman", "spokeswoman", "editor", "reporter", "photographer", "cameraman", "husband", "wife",
			"son", "daughter", "father", "mother", "brother", "sister", "cousin", "nephew", "niece", "uncle", "aunt", "grandson",
			"granddaughter", "grandfather", "grandmother", "friend", "neighbour", "neighbor", "landlord", "owner", "employee",
			"colleague", "aide", "bodyguard", "deputy", "principal", "headmaster", "headteacher", "professor", "lecturer",
			"physician", "surgeon", "pharmacist", "rabbi", "bishop", "sheikh", "mullah", "mufti", "administrator", "chairman",
			"chairwoman", "secretary", "director", "manager", "head", "boss", "founder", "activist"),
		possessives: set("his", "her", "their", "its", "our", "my", "your"),
		toDeathVerb: set("beaten", "beat", "stabbed", "hacked", "axed", "chopped", "macheted", "crushed", "kicked", "burnt", "burned", "stoned", "tortured", "lynched", "clubbed", "shot"),
		hedges:      set("nearly", "almost", "narrowly"),
		intents: set("try", "tries", "tried", "trying", "attempt", "attempts", "attempted", "attempting", "plan", "plans", "planned",
			"planning", "plot", "plots", "plotted", "plotting", "threaten", "threatens", "threatened", "threatening", "vow", "vows",
			"vowed", "vowing", "want", "wants", "wanted", "wanting", "intend", "intends", "intended", "intending", "conspire",
			"conspired", "conspiring", "seek", "seeks", "sought", "seeking", "aim", "aims", "aimed", "aiming", "enough", "failed",
			"fail", "fails", "order", "ordered", "orders", "urged", "able", "unable", "going"),
		personNouns: set("pastor", "imam", "youth", "youths", "operator", "pastoralist", "herder", "shopkeeper", "businessman",
			"businesswoman", "official", "politician", "activist", "defender", "informant", "suspect", "thief", "robber", "kidnapper",
			"carjacker", "chief", "elder", "councillor", "councilor", "headman", "nurse", "doctor", "engineer", "lawyer", "judge",
			"candidate", "supporter", "worshipper", "trafficker", "dealer", "expatriate", "foreigner", "tourist", "monk", "nun",
			"priest", "teen", "minor", "girl", "boy", "man", "woman", "member", "leader", "militiaman", "policeman", "soldier"),
		reportedCue: []string{"reports that", "reported that", "reportedly", "unconfirmed", "claimed", "claims", "alleged", "allege", "allegedly",
			"investigate", "investigating", "rumour", "rumor", "could not be verified", "could not be independently",
			"unverified", "said to have", "may have", "might have", "feared", "fears", "estimated"},
	}
}

// Windows of find, in tokens.
const (
	// updateToWindow and updateTollWindow: a "to" among the four words
	// before a number and a "toll" among the six make it a revised toll,
	// "the death toll has risen to 15".
	updateToWindow   = 4
	updateTollWindow = 6
	// updateRoseWindow: "rose to", "risen to", "climbed to" right before
	// the number, with a qualifier at most ("rose to about 15").
	updateRoseWindow = 3
)

// pendingCount is a count not tied to a verb yet, and the token after its
// phrase: in "two soldiers and four rebels were killed" the verb after the
// second ties both.
type pendingCount struct {
	cnt count
	end int
}

// find returns the counts of dead and injured in one tokenized sentence.
func (c *casualtyRules) find(toks []token, sentence string) []count {
	reported := c.isReported(sentence)
	var out []count
	var pending []pendingCount
	for i := 0; i < len(toks); i++ {
		cnt, j, afterVictim, ok := c.countPhrase(toks, i, reported, len(out) == 0 && len(pending) == 0)
		if !ok {
			continue
		}
		verdict := c.link(toks, i, j, afterVictim)
		end := max(afterVictim, j)
		if verdict == linkNone {
			pending = append(pending, pendingCount{cnt, end})
			continue
		}
		if verdict == linkBoth {
			pending = pending[:0]
			continue // "killed and injured 40": no split, no fatality count
		}
		cnt.Injured = verdict == linkInjured
		out = append(out, sharedVerb(toks, pending, i, cnt.Injured)...)
		pending = pending[:0]
		out = append(out, cnt)
		i = end - 1
	}
	if !hasDeaths(out) {
		if cnt, ok := c.untoldDeath(toks, reported); ok {
			out = append(out, cnt)
		}
	}
	return out
}

// isReported tells a sentence that gives its counts as a claim or an
// unconfirmed report.
func (c *casualtyRules) isReported(sentence string) bool {
	lowerSentence := strings.ToLower(sentence)
	for _, cue := range c.reportedCue {
		if strings.Contains(lowerSentence, cue) {
			return true
		}
	}
	return false
}

// countPhrase reads the count of people at i, not yet tied to a verb: its
// number, victims, and what the words around say of it. j is the token
// after the number phrase, afterVictim the token after its victims; first
// says no count came before in the sentence. ok is false for no number, or
// a number that counts no one.
func (c *casualtyRules) countPhrase(toks []token, i int, reported, first bool) (cnt count, j, afterVictim int, ok bool) {
	val, j, ok := c.countAt(toks, i)
	if !ok || countsNoOne(c, toks, i, j) {
		return count{}, 0, 0, false
	}
	victim, afterVictim := c.victimAfter(toks, j)
	cnt = count{Value: val, Victim: victim, Reported: reported, Start: i}
	cnt.Value += c.companion(toks, i, j, afterVictim, first)
	cnt.Subset = c.isSubset(toks, i)
	cnt.More = isMore(toks, i, j)
	cnt.Update = isUpdate(toks, i)
	cnt.Toll = !cnt.Update && isToll(toks, i)
	if high, ok := c.rangeEnd(toks, i, j); ok {
		j = high
		cnt.Victim, afterVictim = c.victimAfter(toks, j)
	}
	return cnt, j, afterVictim, true
}

// countsNoOne reports a number phrase [i, j) that counts no people: a
// unit follows ("3 days", "20 km"), or it is an age or a serial number
// ("aged 23", "No. 4").
func countsNoOne(c *casualtyRules, toks []token, i, j int) bool {
	if j < len(toks) && c.unitAfter[toks[j].Lower] && toks[j].Lower != "of" {
		return true
	}
	if i == 0 {
		return false
	}
	switch toks[i-1].Lower {
	case "aged", "no.", "number":
		return true
	}
	return false
}

// companion is 1 when the count leaves out someone named before it who
// shares the fate: "X was killed along with six other members" (the six
// and X) when no count came before; "he was killed with four of his
// fighters" (the four and him); "a policeman and his two sons" (the two and
// him). "three officers were killed and two others wounded" counts the two
// alone.
func (c *casualtyRules) companion(toks []token, i, j, afterVictim int, first bool) int {
	if afterVictim > j && (toks[j].Lower == "other" || toks[j].Lower == "others") {
		if k := i - 1; k >= 0 && (toks[k].Lower == "with" || toks[k].Lower == "and") && first {
			return 1
		}
		return 0
	}
	k := i - 1
	if k >= 1 && toks[k].Lower == "with" && (c.killVerb[toks[k-1].Lower] || toks[k-1].Lower == "along" || toks[k-1].Lower == "together") {
		return 1
	}
	return 0
}

// isMore reports deaths on top of those counted before: "seven more",
// "another 5", "a further 12", "an additional 3".
func isMore(toks []token, i, j int) bool {
	if j < len(toks) && toks[j].Lower == "more" {
		return true
	}
	if i == 0 {
		return false
	}
	switch toks[i-1].Lower {
	case "another", "further", "additional":
		return true
	}
	return false
}

// isToll reports a whole toll given before the number at i, not a part of
// one: "put the death toll at 15", "a toll of 12".
func isToll(toks []token, i int) bool {
	w := strings.Fields(joinLower(toks, max(0, i-updateTollWindow), i))
	return slices.Contains(w, "toll") && len(w) > 0 && (w[len(w)-1] == "at" || w[len(w)-1] == "of")
}

// isUpdate reports a revised toll before the number at i: "the death toll
// rose to 15", "has risen to 20".
func isUpdate(toks []token, i int) bool {
	if slices.Contains(strings.Fields(joinLower(toks, max(0, i-updateToWindow), i)), "to") &&
		strings.Contains(joinLower(toks, max(0, i-updateTollWindow), i), "toll") {
		return true
	}
	near := joinLower(toks, max(0, i-updateRoseWindow), i)
	return strings.Contains(near, "rose to") || strings.Contains(near, "risen to") || strings.Contains(near, "climbed to")
}

// rangeEnd reads the high end of a range, "between 45 and 60 people": the
// count is the low end, but its victims and verb come after the high one.
// It returns the token after the high number.
func (c *casualtyRules) rangeEnd(toks []token, i, j int) (int, bool) {
	if i == 0 || toks[i-1].Lower != "between" || j+1 >= len(toks) || toks[j].Lower != "and" {
		return 0, false
	}
	_, high, ok := c.countAt(toks, j+1)
	return high, ok
}

// sharedVerb returns the pending counts joined to the count at i by "and"
// or a comma, latest first: they share its verb ("two soldiers and four
// rebels were killed").
func sharedVerb(toks []token, pending []pendingCount, i int, injured bool) []count {
	var out []count
	joinStart := i
	for p := len(pending) - 1; p >= 0; p-- {
		switch joinLower(toks, pending[p].end, joinStart) {
		case "and", ",", ", and", "as well as":
		default:
			return out
		}
		pc := pending[p].cnt
		pc.Injured = injured
		out = append(out, pc)
		joinStart = pc.Start
	}
	return out
}

// untoldDeath finds one death told without a number, for a sentence with
// no count of dead: "A leader was shot dead and 10 people were injured".
func (c *casualtyRules) untoldDeath(toks []token, reported bool) (count, bool) {
	if n, ok := c.singleVictim(toks); ok {
		return count{Value: n, Victim: victimGeneral, Reported: reported, Single: true}, true
	}
	if c.singleObject(toks) {
		return count{Value: 1, Victim: victimGeneral, Reported: reported, Single: true}, true
	}
	return count{}, false
}

// Bounds of the numbers countAt reads.
const (
	// yearDigits, yearMin and yearMax: a four-digit figure in these years
	// is a year ("in 2014"), not a count.
	yearDigits = 4
	yearMin    = 1900
	yearMax    = 2100
)

// notCountRule is one named reason why a number word or figure at i, of
// value v (-1 for none), counts no one.
type notCountRule struct {
	name  string
	holds func(toks []token, i, v int) bool
}

// notCountRules are the reasons a word at a count's place is no count;
// each holds or not on its own, so their order is only the cheapest first.
func notCountRules() []notCountRule {
	return []notCountRule{
		{"not a number", isNoNumber},
		{"no, both, single", isNoneWord},
		{"no one", isNoOne},
		{"year", isYear},
		{"decimal, time or date", isDottedFigure},
		{"part of a numeric date", isDatePart},
	}
}

// isNoNumber: the word is no number at all.
func isNoNumber(_ []token, _, v int) bool {
	return v < 0
}

// isNoneWord: "no", "both" and "single" are number words that count no
// one here ("no casualties", "both sides", "a single shot").
func isNoneWord(toks []token, i, _ int) bool {
	switch toks[i].Lower {
	case "no", "both", "single":
		return true
	}
	return false
}

// isNoOne: "no one was killed".
func isNoOne(toks []token, i, _ int) bool {
	return toks[i].Lower == "one" && i > 0 && toks[i-1].Lower == "no"
}

// isYear: "in 2014".
func isYear(toks []token, i, v int) bool {
	t := toks[i]
	return t.Num && len(t.Text) == yearDigits && v >= yearMin && v <= yearMax
}

// isDottedFigure: a figure with a period, colon or slash in it, "3.5",
// is a measure or a part of a date, not a count.
func isDottedFigure(toks []token, i, _ int) bool {
	return toks[i].Num && strings.ContainsAny(toks[i].Text, ".:/")
}

// isDatePart: "on 06/12, seven soldiers killed": a part of a numeric date.
func isDatePart(toks []token, i, _ int) bool {
	return toks[i].Num && (i > 0 && toks[i-1].Text == "/" || i+1 < len(toks) && toks[i+1].Text == "/")
}

// countAt reads a number phrase at toks[i]: qualifiers are skipped by the
// caller's loop (they are not numbers), so this starts at the number:
// "23", "six", "twenty three", "a dozen", "dozens of". It returns the value
// and the token after the phrase.
func (c *casualtyRules) countAt(toks []token, i int) (int, int, bool) {
	t := toks[i]
	if t.Punct {
		return 0, 0, false
	}
	if t.Lower == "a" || t.Lower == "an" {
		return c.articleCount(toks, i)
	}
	v := numberWordValue(t.Lower)
	for _, r := range c.notCounts {
		if r.holds(toks, i, v) {
			return 0, 0, false
		}
	}
	v, j := scaledNumber(toks, i, v)
	j, ok := pastOf(toks, i, j)
	if !ok || isDateAround(toks, i, j) {
		return 0, 0, false
	}
	return v, j, true
}

// articleCount reads "a dozen", "a hundred", and "a man", "an officer":
// one victim.
func (c *casualtyRules) articleCount(toks []token, i int) (int, int, bool) {
	if i+1 >= len(toks) {
		return 0, 0, false
	}
	next := toks[i+1].Lower
	if next == "dozen" || next == "hundred" {
		return numberWordValue(next), i + 2, true
	}
	if c.singular[next] {
		return 1, i + 1, true
	}
	return 0, 0, false
}

// scaledNumber reads a second number word that scales or extends the one
// at i: "two dozen", "three hundred", "twenty three". It returns the value
// and the token after the number.
func scaledNumber(toks []token, i, v int) (int, int) {
	j := i + 1
	if j >= len(toks) {
		return v, j
	}
	next := toks[j].Lower
	switch {
	case next == "dozen":
		return v * 12, j + 1
	case next == "hundred":
		return v * 100, j + 1
	case v >= 20 && v%10 == 0 && v < 100 && numberWordValue(next) > 0 && numberWordValue(next) < 10:
		return v + numberWordValue(next), j + 1
	}
	return v, j
}

// pastOf steps over the "of" in "dozens of", "hundreds of", "scores of",
// "tens of"; it fails on "tens of thousands": a crowd or a history, not a
// count to code.
func pastOf(toks []token, i, j int) (int, bool) {
	if j >= len(toks) || toks[j].Lower != "of" {
		return j, true
	}
	switch toks[i].Lower {
	case "dozens", "hundreds", "scores", "tens":
	default:
		return j, true
	}
	j++
	if j < len(toks) {
		switch toks[j].Lower {
		case "thousands", "millions", "hundreds":
			return 0, false
		}
	}
	return j, true
}

// isDateAround reports a month or a clock time right after the number
// phrase [i, j), or a month right before it: a date or a time of day.
func isDateAround(toks []token, i, j int) bool {
	if j < len(toks) && (isMonthWord(toks[j].Text) || toks[j].Lower == "p.m." || toks[j].Lower == "a.m.") {
		return true
	}
	return i > 0 && isMonthWord(toks[i-1].Text)
}

func isMonthWord(w string) bool {
	switch strings.TrimSuffix(w, ".") {
	case "January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
		"Sept", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// Windows of the victim and single-death readers, in tokens.
const (
	// victimPhraseTokens: the victims' noun phrase after a number is read
	// over at most five tokens ("Afghan National Army soldiers").
	victimPhraseTokens = 5
	// subsetWindow: how far back a cue of a part ("including", "among")
	// may stand before the number: past qualifiers and a few words ("among
	// the victims, at least three"), unless a verb or a clause end comes
	// between.
	subsetWindow = 8
	// objectPhraseTokens: after the determiner of a killing verb's object,
	// up to four words and then the noun of a person ("killed a South-west
	// administration soldier").
	objectPhraseTokens = 5
	// maxNameTokens: a person's name is at most this many capitalised
	// words ("Abdul Rahman Al Sayed").
	maxNameTokens = 4
	// noOneWords: the subject words that say none was killed, "no one",
	// "nobody", "none".
	noOneWords = 2
)

// victimAfter classifies the noun phrase after a number: it returns the
// victim class and the index after the phrase, read over at most
// victimPhraseTokens tokens ("Afghan army soldiers", "New People's Army
// fighters").
func (c *casualtyRules) victimAfter(toks []token, j int) (int, int) {
	victim := victimGeneral
	end := j
	for k := j; k < len(toks) && k < j+victimPhraseTokens; k++ {
		if c.endsVictims(toks, j, k) {
			break
		}
		switch w := toks[k].Lower; {
		case c.civilian[w]:
			victim, end = victimCivilian, k+1
		case c.armed[w]:
			victim, end = victimArmed, k+1
		case c.general[w]:
			end = k + 1
		}
	}
	return victim, end
}

// endsVictims reports a token at k that ends the victims' phrase begun at
// j: a mark other than a quote or a bracket, a verb of killing or injuring
// after its first word, or an auxiliary or "and" ("two soldiers were",
// "two soldiers and").
func (c *casualtyRules) endsVictims(toks []token, j, k int) bool {
	w := toks[k].Lower
	if toks[k].Punct {
		switch w {
		case "'", "’", "(", ")":
		default:
			return true
		}
	}
	if k > j && (c.killVerb[w] || c.injureVerb[w]) || c.killActive[w] {
		return true
	}
	switch w {
	case "were", "have", "had", "was", "are", "and":
		return true
	}
	return false
}

// injuredFollows reports "killed and injured" / "killed or wounded" at k.
func (c *casualtyRules) injuredFollows(toks []token, k int) bool {
	return k+2 < len(toks) && (toks[k+1].Lower == "and" || toks[k+1].Lower == "or") && (c.injureVerb[toks[k+2].Lower] || c.injureAct[toks[k+2].Lower])
}

func (c *casualtyRules) killedFollows(toks []token, k int) bool {
	return k+2 < len(toks) && (toks[k+1].Lower == "and" || toks[k+1].Lower == "or") && (c.killVerb[toks[k+2].Lower] || c.killActive[toks[k+2].Lower])
}

// isSubset: "including three children", "among them two women", "six of
// whom": part of a larger count given elsewhere.
func (c *casualtyRules) isSubset(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-subsetWindow; k-- {
		switch toks[k].Lower {
		case "including", "among", "includes", "included", "incl":
			return true
		case "killed", "died", "dead", "were", "was", "wounded", "injured":
			return false
		}
		if toks[k].Punct && toks[k].Lower != "," {
			break
		}
	}
	return false
}

// singleObject finds one victim as the object of a verb of killing, or a
// death told by a phrase of its own, with no number: "shot and killed a
// student", "assassinated an officer", "lynched a police officer", "was
// beaten to death", "found dead". Coders count each such victim as one
// death (REFERENCE.md).
func (c *casualtyRules) singleObject(toks []token) bool {
	for k := range toks {
		if c.deathPhraseEnd(toks, k) {
			return true
		}
		if c.killsObjectAt(toks, k) && c.personObject(toks, k+1) {
			return true
		}
	}
	return false
}

// killsObjectAt reports a verb at k that takes its victim as object:
// "killed", "assassinated", "shot dead", "gunned down", "fatally shot".
func (c *casualtyRules) killsObjectAt(toks []token, k int) bool {
	w := toks[k].Lower
	if c.unrealised(toks, k) {
		return false // "nearly lynched a pickpocket": no one died
	}
	if c.killObjectVerb[w] {
		return true
	}
	if k == 0 {
		return false
	}
	switch prev := toks[k-1].Lower; {
	case w == "dead" && prev == "shot", w == "down" && prev == "gunned":
		return true
	case prev == "fatally":
		return w == "shot" || w == "stabbed" || w == "wounded"
	}
	return false
}

// unrealised reports a verb of killing at k that says the victim lived:
// after a hedge ("nearly lynched") or meant, not done ("tried to kill",
// "plotted to assassinate").
func (c *casualtyRules) unrealised(toks []token, k int) bool {
	if k > 0 && c.hedges[toks[k-1].Lower] {
		return true
	}
	return k > 1 && toks[k-1].Lower == "to" && c.intents[toks[k-2].Lower]
}

// personObject reports one person as the object starting at n: a
// determiner ("the", "his", "Russia's"), then within objectPhraseTokens a
// noun of a person or of a role ("the village chief", "one soldier", "his
// wife", "Russia's ambassador"); after "a" or "an", any word but a
// quantity ("a revenue collector", not "a number of"); or a person's name
// with what they were ("lawyer Ali Khan", "Ali Khan, a lawyer").
func (c *casualtyRules) personObject(toks []token, n int) bool {
	if n >= len(toks) {
		return false
	}
	det := toks[n].Lower
	switch {
	case det == "a" || det == "an":
		if c.isNounAfterArticle(toks, n+1) {
			return true
		}
	case det == "one" || det == "the" || c.possessives[det]:
	case possessiveAt(toks, n+1):
		n += 2 // "Russia's ambassador"
	default:
		return c.namedPerson(toks, n)
	}
	for m := n + 1; m < len(toks) && m <= n+objectPhraseTokens; m++ {
		if toks[m].Punct {
			break
		}
		if c.isPerson(toks[m].Lower) || c.roles[toks[m].Lower] {
			return true
		}
	}
	return false
}

// possessiveAt reports the possessive "'s" at toks[i:i+2] (tokenize
// splits it from its word).
func possessiveAt(toks []token, i int) bool {
	return i+1 < len(toks) && (toks[i].Text == "'" || toks[i].Text == "’") && toks[i+1].Lower == "s"
}

// namedPerson reports a person's name as the object starting at n, told
// as a person by a role before it or an apposition after it: "(prominent)
// lawyer Ali Khan", "Ali Khan, a lawyer", "Ali Khan, 45,". A bare name
// may be a group's or a place's ("killed Taliban", "shelled Kobani").
func (c *casualtyRules) namedPerson(toks []token, n int) bool {
	m := n
	for m < len(toks) && m < n+objectPhraseTokens && !toks[m].Cap && !toks[m].Punct {
		if c.roles[toks[m].Lower] || c.isPerson(toks[m].Lower) {
			return m+1 < len(toks) && toks[m+1].Cap
		}
		m++
	}
	end := m
	for end < len(toks) && toks[end].Cap && end < m+maxNameTokens {
		end++
	}
	if end == m || end-m < 2 || end+2 >= len(toks) || toks[end].Lower != "," {
		return false // one capitalised word is a group's or a place's name as often
	}
	after := toks[end+1]
	return after.Num || (after.Lower == "a" || after.Lower == "an" || after.Lower == "the") && c.personObject(toks, end+1)
}

// isNounAfterArticle reports a word at m, after "a" or "an", that can be a
// person's noun: a word, not a mark, a figure or a quantity ("a number
// of").
func (c *casualtyRules) isNounAfterArticle(toks []token, m int) bool {
	return m < len(toks) && !toks[m].Punct && !toks[m].Num && !c.quantity[toks[m].Lower]
}

// isPerson reports a noun of one or more people.
func (c *casualtyRules) isPerson(w string) bool {
	return c.singular[w] || c.armed[w] || c.civilian[w] || c.personNouns[w]
}

// deathPhraseEnd reports a phrase that tells one death without a verb of
// killing at k: "beaten to death", "found dead".
func (c *casualtyRules) deathPhraseEnd(toks []token, k int) bool {
	if k+2 < len(toks) && toks[k+1].Lower == "to" && toks[k+2].Lower == "death" && c.toDeathVerb[toks[k].Lower] {
		return true
	}
	return k+1 < len(toks) && toks[k].Lower == "found" && toks[k+1].Lower == "dead"
}

// singleVictim finds one named or singular victim with no number: "a
// passer-by was killed", "Umar was killed", "he died".
func (c *casualtyRules) singleVictim(toks []token) (int, bool) {
	if c.theOneDied(toks) {
		return 1, true
	}
	for k := 1; k+1 < len(toks); k++ {
		if toks[k].Lower != "was" && toks[k].Lower != "has" {
			continue
		}
		if !c.killedAt(toks, c.pastAuxiliary(toks, k)) {
			continue
		}
		if saysNoOne(toks, k) {
			return 0, false
		}
		return 1, true
	}
	return 0, false
}

// theOneDied: "The victim died.", "the guard died": one person, named
// before.
func (c *casualtyRules) theOneDied(toks []token) bool {
	for k := 2; k < len(toks); k++ {
		if toks[k].Lower != "died" || toks[k-2].Lower != "the" && toks[k-2].Lower != "a" {
			continue
		}
		if who := toks[k-1].Lower; c.singular[who] || c.personNouns[who] || who == "victim" {
			return true
		}
	}
	return false
}

// pastAuxiliary steps from "was" or "has" at k over "been" and adverbs
// ("has reportedly been", "was also") to the verb; "was shot and killed",
// "was stabbed and killed": the second verb says he died.
func (c *casualtyRules) pastAuxiliary(toks []token, k int) int {
	n := k + 1
	if n < len(toks) && toks[n].Lower == "been" {
		n++
	}
	for n < len(toks) && (toks[n].Lower == "reportedly" || toks[n].Lower == "also" || toks[n].Lower == "allegedly") {
		n++
	}
	if n+2 < len(toks) && toks[n+1].Lower == "and" && c.toDeathVerb[toks[n].Lower] {
		n += 2
	}
	return n
}

// killedAt reports a passive verb of one death at n: "killed",
// "murdered", "executed", "beheaded", "shot dead".
func (c *casualtyRules) killedAt(toks []token, n int) bool {
	if n >= len(toks) {
		return false
	}
	switch toks[n].Lower {
	case "killed", "murdered", "executed", "beheaded":
		return true
	case "shot":
		return n+1 < len(toks) && toks[n+1].Lower == "dead"
	}
	return false
}

// saysNoOne reports a subject before the auxiliary at k that says none
// died: "No one was killed", "nobody has been killed".
func saysNoOne(toks []token, k int) bool {
	subj := joinLower(toks, max(0, k-noOneWords), k)
	return strings.HasSuffix(subj, "no one") || strings.HasSuffix(subj, "nobody") ||
		strings.HasSuffix(subj, "none") || strings.HasSuffix(subj, "no-one")
}

func joinLower(toks []token, a, b int) string {
	var sb strings.Builder
	for k := a; k < b && k < len(toks); k++ {
		if k > a {
			sb.WriteByte(' ')
		}
		sb.WriteString(toks[k].Lower)
	}
	return sb.String()
}

// activeWithObject reports a verb of killing at k used actively, its
// object after it ("killed a farmer", "killed two", "killed the"): a count
// before such a verb counts who killed, not who died.
func (c *casualtyRules) activeWithObject(toks []token, k int) bool {
	if k+1 >= len(toks) || k > 0 && (toks[k-1].Lower == "were" || toks[k-1].Lower == "was" || toks[k-1].Lower == "been" || toks[k-1].Lower == "are" || toks[k-1].Lower == "is") {
		return false
	}
	switch toks[k+1].Lower {
	case "a", "an", "the", "his", "her", "their", "two", "three", "four", "five":
		return true
	}
	return toks[k+1].Num
}
