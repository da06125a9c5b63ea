package extract

import "strings"

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
	Start    int  // token index
}

// casualtyRules holds the word lists of the casualty finder.
type casualtyRules struct {
	killVerb   map[string]bool // passive or intransitive: "were killed", "died"
	killActive map[string]bool // active, object follows: "killing 16 patients"
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
	// toDeathVerb end in "to death": "beaten to death".
	toDeathVerb map[string]bool
	// personNouns name a person beyond the victim classes: "pastor",
	// "trader", "youth".
	personNouns map[string]bool
	// links are the rules that tie a count to its verb, in order.
	links []linkRule
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
		links:      linkRules(),
		killVerb:   set("killed", "dead", "died", "butchered", "slaughtered", "gunned", "die", "slain", "perished", "massacred", "executed", "beheaded", "deaths", "lives", "murdered", "bodies", "corpses", "lifeless", "dies", "fatalities", "fatality"),
		killActive: set("killing", "killed", "kills", "kill", "claimed", "left", "leaving", "massacred", "executed", "murdered", "shot", "slaughtered", "slaughtering", "murdering", "beheaded", "beheading"),
		killOnly: set("killed", "kills", "kill", "killing", "claimed", "massacred", "executed", "murdered", "slaughtered", "slaughtering",
			"murdering", "beheaded", "beheading"),
		quantity:   set("number", "total", "dozen", "couple", "few", "lot", "handful", "score", "series", "further", "large", "huge", "record", "combined"),
		deathNouns: set("death", "deaths", "fatality", "fatalities", "dead", "bodies", "corpses"),
		injureVerb: set("injured", "wounded", "hurt", "injuries", "wounds"),
		injureAct:  set("injuring", "wounding", "injured", "wounded", "injure", "wound"),
		qualifier: set("at", "least", "more", "than", "over", "some", "about", "around", "nearly", "almost",
			"up", "to", "no", "fewer", "less", "as", "many", "approximately", "roughly", "another", "further", "additional", "estimated", "an"),
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
		toDeathVerb: set("beaten", "beat", "stabbed", "hacked", "axed", "chopped", "macheted", "crushed", "kicked", "burnt", "burned", "stoned", "tortured", "lynched", "clubbed", "shot"),
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

// find returns the counts of dead and injured in one tokenized sentence.
func (c *casualtyRules) find(toks []token, sentence string) []count {
	lowerSentence := strings.ToLower(sentence)
	reported := false
	for _, cue := range c.reportedCue {
		if strings.Contains(lowerSentence, cue) {
			reported = true
			break
		}
	}
	var out []count
	// pending holds counts not tied to a verb yet: in "two soldiers and
	// four rebels were killed" the verb after the second ties both.
	type pend struct {
		cnt count
		end int
	}
	var pending []pend
	for i := 0; i < len(toks); i++ {
		val, j, ok := c.countAt(toks, i)
		if !ok {
			continue
		}
		// j is the first token after the number phrase.
		victim, afterVictim := c.victimAfter(toks, j)
		if val == 1 && toks[i].Lower == "a" && afterVictim == j && !c.singular[toks[j].Lower] {
			continue // "a" alone is no count
		}
		if j < len(toks) && c.unitAfter[toks[j].Lower] && toks[j].Lower != "of" {
			continue
		}
		// "aged 23", "No. 4": not counts.
		if i > 0 && (toks[i-1].Lower == "aged" || toks[i-1].Lower == "no." || toks[i-1].Lower == "number") {
			continue
		}
		cnt := count{Value: val, Victim: victim, Reported: reported, Start: i}
		if afterVictim > j && (toks[j].Lower == "other" || toks[j].Lower == "others") {
			// "X was killed along with six other members": the six and X;
			// but "three officers were killed and two others wounded"
			// counts the two alone.
			if k := i - 1; k >= 0 && (toks[k].Lower == "with" || toks[k].Lower == "and") && len(out) == 0 && len(pending) == 0 {
				cnt.Value++
			}
		} else if k := i - 1; k >= 1 && toks[k].Lower == "with" && (c.killVerb[toks[k-1].Lower] || toks[k-1].Lower == "along" ||
			toks[k-1].Lower == "together") {
			// "he was killed with four of his fighters": the four and him.
			cnt.Value++
		}
		cnt.Subset = c.isSubset(toks, i)
		cnt.More = j < len(toks) && toks[j].Lower == "more" ||
			i > 0 && (toks[i-1].Lower == "another" || toks[i-1].Lower == "further" || toks[i-1].Lower == "additional")
		cnt.Update = strings.Contains(joinLower(toks, max(0, i-4), i), " to") && strings.Contains(joinLower(toks, max(0, i-6), i), "toll") ||
			strings.Contains(joinLower(toks, max(0, i-3), i), "rose to") || strings.Contains(joinLower(toks, max(0, i-3), i), "risen to") ||
			strings.Contains(joinLower(toks, max(0, i-3), i), "climbed to")
		// "between 45 and 60 people": a range, counted at its low end.
		if i > 0 && toks[i-1].Lower == "between" && j+1 < len(toks) && toks[j].Lower == "and" {
			if _, j2, ok := c.countAt(toks, j+1); ok {
				victim, afterVictim = c.victimAfter(toks, j2)
				cnt.Victim = victim
				j = j2
			}
		}
		verdict := c.link(toks, i, j, afterVictim)
		end := max(afterVictim, j)
		if verdict == linkNone {
			pending = append(pending, pend{cnt, end})
			continue
		}
		if verdict == linkBoth {
			pending = pending[:0]
			continue // "killed and injured 40": no split, no fatality count
		}
		cnt.Injured = verdict == linkInjured
		// Earlier counts joined to this one by "and" or a comma share its verb.
		joinStart := i
		for p := len(pending) - 1; p >= 0; p-- {
			gap := joinLower(toks, pending[p].end, joinStart)
			if gap != "and" && gap != "," && gap != ", and" && gap != "as well as" {
				break
			}
			pc := pending[p].cnt
			pc.Injured = cnt.Injured
			out = append(out, pc)
			joinStart = pc.Start
		}
		pending = pending[:0]
		out = append(out, cnt)
		i = end - 1
	}
	if !hasDeaths(out) {
		// "A leader was shot dead and 10 people were injured": the one
		// death is told without a number.
		if n, ok := c.singleVictim(toks); ok {
			out = append(out, count{Value: n, Victim: victimGeneral, Reported: reported, Single: true})
		} else if c.singleObject(toks) {
			out = append(out, count{Value: 1, Victim: victimGeneral, Reported: reported, Single: true})
		}
	}
	return out
}

// countAt reads a number phrase at toks[i]: qualifiers are skipped by the
// caller's loop (they are not numbers), so this starts at the number:
// "23", "six", "twenty three", "a dozen", "dozens of".
func (c *casualtyRules) countAt(toks []token, i int) (int, int, bool) {
	t := toks[i]
	if t.Punct {
		return 0, 0, false
	}
	if t.Lower == "a" || t.Lower == "an" {
		if i+1 < len(toks) && (toks[i+1].Lower == "dozen" || toks[i+1].Lower == "hundred") {
			return numberWordValue(toks[i+1].Lower), i + 2, true
		}
		if i+1 < len(toks) && c.singular[toks[i+1].Lower] {
			return 1, i + 1, true
		}
		return 0, 0, false
	}
	if t.Lower == "no" || t.Lower == "both" || t.Lower == "single" {
		return 0, 0, false
	}
	v := numberWordValue(t.Lower)
	if v < 0 || t.Lower == "one" && i > 0 && toks[i-1].Lower == "no" {
		return 0, 0, false // "no one was killed"
	}
	if t.Num && len(t.Text) == 4 && v >= 1900 && v <= 2100 {
		return 0, 0, false // a year
	}
	if t.Num && strings.ContainsAny(t.Text, ".:/") {
		return 0, 0, false
	}
	// "on 06/12, seven soldiers killed": a part of a numeric date.
	if t.Num && (i > 0 && toks[i-1].Text == "/" || i+1 < len(toks) && toks[i+1].Text == "/") {
		return 0, 0, false
	}
	j := i + 1
	// "twenty three", "two dozen", "dozens of", "hundreds of".
	if j < len(toks) {
		next := toks[j].Lower
		switch {
		case next == "dozen":
			v *= 12
			j++
		case next == "hundred":
			v *= 100
			j++
		case v >= 20 && v%10 == 0 && v < 100 && numberWordValue(next) > 0 && numberWordValue(next) < 10:
			v += numberWordValue(next)
			j++
		}
	}
	if j < len(toks) && toks[j].Lower == "of" && (t.Lower == "dozens" || t.Lower == "hundreds" || t.Lower == "scores" || t.Lower == "tens") {
		j++
		if j < len(toks) && (toks[j].Lower == "thousands" || toks[j].Lower == "millions" || toks[j].Lower == "hundreds") {
			return 0, 0, false // "tens of thousands": a crowd or a history, not a count to code
		}
	}
	// A month or a time after the number makes it a date or a clock time.
	if j < len(toks) && (isMonthWord(toks[j].Text) || toks[j].Lower == "p.m." || toks[j].Lower == "a.m.") {
		return 0, 0, false
	}
	if i > 0 && isMonthWord(toks[i-1].Text) {
		return 0, 0, false
	}
	return v, j, true
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

// victimAfter classifies the noun phrase after a number: it returns the
// victim class and the index after the phrase (up to four words: "Afghan
// army soldiers", "New People's Army fighters").
func (c *casualtyRules) victimAfter(toks []token, j int) (int, int) {
	victim := victimGeneral
	end := j
	for k := j; k < len(toks) && k < j+5; k++ {
		w := toks[k].Lower
		if toks[k].Punct && w != "'" && w != "’" && w != "(" && w != ")" {
			break
		}
		switch {
		case k > j && (c.killVerb[w] || c.injureVerb[w]) || c.killActive[w] || w == "were" || w == "have" || w == "had" || w == "was" || w == "are" || w == "and":
			return victim, end
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
	for k := i - 1; k >= 0 && k >= i-8; k-- {
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
	for k := 0; k < len(toks); k++ {
		w := toks[k].Lower
		if c.deathPhraseEnd(toks, k) {
			return true
		}
		if !c.killObjectVerb[w] && !(k > 0 && (w == "dead" && toks[k-1].Lower == "shot" || w == "down" && toks[k-1].Lower == "gunned")) {
			continue
		}
		// The object: a determiner, then up to four words, then a noun of
		// a person ("a South-west administration soldier"); after "a" or
		// "an", any noun but a quantity ("killed a revenue collector").
		n := k + 1
		if n >= len(toks) || !(toks[n].Lower == "a" || toks[n].Lower == "an" || toks[n].Lower == "one" || toks[n].Lower == "the") {
			continue
		}
		if (toks[n].Lower == "a" || toks[n].Lower == "an") && n+1 < len(toks) && !toks[n+1].Punct && !toks[n+1].Num && !c.quantity[toks[n+1].Lower] {
			return true
		}
		for m := n + 1; m < len(toks) && m <= n+5; m++ {
			if toks[m].Punct {
				break
			}
			if c.singular[toks[m].Lower] || c.armed[toks[m].Lower] || c.civilian[toks[m].Lower] || c.personNouns[toks[m].Lower] {
				return true
			}
		}
	}
	return false
}

// deathPhraseEnd reports a phrase that tells one death without a verb of
// killing at k: "beaten to death", "found dead", "died under torture".
func (c *casualtyRules) deathPhraseEnd(toks []token, k int) bool {
	if k+2 < len(toks) && toks[k+1].Lower == "to" && toks[k+2].Lower == "death" && c.toDeathVerb[toks[k].Lower] {
		return true
	}
	return k+1 < len(toks) && toks[k].Lower == "found" && toks[k+1].Lower == "dead"
}

// singleVictim finds one named or singular victim with no number: "a
// passer-by was killed", "Umar was killed", "he died".
func (c *casualtyRules) singleVictim(toks []token) (int, bool) {
	// "The victim died.", "the guard died": one person, named before.
	for k := 2; k < len(toks); k++ {
		if toks[k].Lower == "died" && (toks[k-2].Lower == "the" || toks[k-2].Lower == "a") &&
			(c.singular[toks[k-1].Lower] || c.personNouns[toks[k-1].Lower] || toks[k-1].Lower == "victim") {
			return 1, true
		}
	}
	for k := 1; k+1 < len(toks); k++ {
		if toks[k].Lower != "was" && toks[k].Lower != "has" {
			continue
		}
		n := k + 1
		if n < len(toks) && toks[n].Lower == "been" {
			n++
		}
		for n < len(toks) && (toks[n].Lower == "reportedly" || toks[n].Lower == "also" || toks[n].Lower == "allegedly") {
			n++
		}
		// "was shot and killed", "was stabbed and killed": the second verb
		// says he died.
		if n+2 < len(toks) && toks[n+1].Lower == "and" && c.toDeathVerb[toks[n].Lower] {
			n += 2
		}
		if n < len(toks) && (toks[n].Lower == "killed" || toks[n].Lower == "murdered" || toks[n].Lower == "executed" || toks[n].Lower == "beheaded" ||
			toks[n].Lower == "shot" && n+1 < len(toks) && toks[n+1].Lower == "dead") {
			// "No one was killed", "nobody has been killed": none.
			if subj := joinLower(toks, max(0, k-2), k); strings.HasSuffix(subj, "no one") || strings.HasSuffix(subj, "nobody") ||
				strings.HasSuffix(subj, "none") || strings.HasSuffix(subj, "no-one") {
				return 0, false
			}
			return 1, true
		}
	}
	return 0, false
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
