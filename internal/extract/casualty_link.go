package extract

import "strings"

// linkVerdict is what a link rule makes of a number phrase.
type linkVerdict int

const (
	linkPass    linkVerdict = iota // the rule does not apply: the next rule decides
	linkNone                       // no verb of its own: the count waits for a later one, or is dropped
	linkKilled                     // a count of dead
	linkInjured                    // a count of injured
	linkBoth                       // "killed and injured 40": dead and injured together, not to be split
)

// Windows of the link rules, in tokens.
const (
	// linkForwardWindow is how far past the victims a verb may stand and
	// still take the count: room for a relative clause and an auxiliary or
	// two ("six of whom were later said to have been killed"). Another
	// number or the end of a clause stops the look sooner.
	linkForwardWindow = 13
	// linkQualifierWords is the longest run of qualifiers between a verb
	// and its number: "killing no fewer than 16", "wounding more than 20".
	linkQualifierWords = 3
	// linkTollRoseWindow is how many words before "to" may hold the toll or
	// its verb: "the death toll has now risen to 14".
	linkTollRoseWindow = 5
	// linkJoinedWords is how many words of victims may stand between the
	// count a verb took and the "and" that joins another to it: "killing
	// two police officers and three civilians".
	linkJoinedWords = 3
	// linkTollVerbWindow is how many words before the word ahead of the
	// qualifiers may hold "toll": "the toll climbed to no fewer than 30".
	linkTollVerbWindow = 4
)

// numberSpan is a number phrase in a sentence as the link rules see it:
// toks[i:j] is the number, toks[j:afterVictim] the victims it counts
// ("killing | at least | 16 | patients"), and verb the word before the
// number once its qualifiers are skipped, -1 if none.
type numberSpan struct {
	toks              []token
	i, j, afterVictim int
	verb              int
}

// lower is the lower-case word at k, or "" outside the sentence: no word
// list holds "", so a rule asking about a word before the start or past
// the end simply does not apply.
func (s numberSpan) lower(k int) string {
	if k < 0 || k >= len(s.toks) {
		return ""
	}
	return s.toks[k].Lower
}

// linkRule is one named rule of link: it ties a number phrase to a verb of
// killing or injuring, or passes.
type linkRule struct {
	name  string
	apply func(c *casualtyRules, s numberSpan) linkVerdict
}

// linkRules are the rules of link in the order they are asked: the first
// verdict other than linkPass stands. The order matters: the count's own
// noun and the verb right before it beat a verb after the victims, which
// beats the looser backward rules.
func linkRules() []linkRule {
	return []linkRule{
		{"death noun", (*casualtyRules).linkDeathNoun},
		{"object of a killing verb", (*casualtyRules).linkKillObject},
		{"killing of", (*casualtyRules).linkKillingOf},
		{"verb after the victims", (*casualtyRules).linkVerbAfter},
		{"killed along with", (*casualtyRules).linkAlongWith},
		{"killed with", (*casualtyRules).linkKilledWith},
		{"bodies of", (*casualtyRules).linkBodiesOf},
		{"toll rose to", (*casualtyRules).linkTollRoseTo},
		{"shot dead", (*casualtyRules).linkShotDead},
		{"killing verb before", (*casualtyRules).linkKillVerbBefore},
		{"injuring verb before", (*casualtyRules).linkInjureVerbBefore},
		{"toll before", (*casualtyRules).linkTollBefore},
		{"joined object", (*casualtyRules).linkJoinedObject},
		{"left dead", (*casualtyRules).linkDeadAfter},
	}
}

// link ties the number phrase [i, j), its victims ending at afterVictim,
// to a verb of killing or injuring: after it ("23 villagers have died") or
// before it ("killing 16 patients"). It asks the rules in order; with no
// verdict from any, the count has no verb (linkNone).
func (c *casualtyRules) link(toks []token, i, j, afterVictim int) linkVerdict {
	s := numberSpan{toks: toks, i: i, j: j, afterVictim: afterVictim, verb: c.verbBefore(toks, i)}
	for _, r := range c.links {
		if v := r.apply(c, s); v != linkPass {
			return v
		}
	}
	return linkNone
}

// verbBefore is the index of the word before the number at i once up to
// linkQualifierWords qualifiers are skipped ("killing at least 16"), or -1.
func (c *casualtyRules) verbBefore(toks []token, i int) int {
	k := i - 1
	for k >= 0 && c.qualifier[toks[k].Lower] && k > i-1-linkQualifierWords {
		k--
	}
	return k
}

// linkDeathNoun: the count names the dead themselves, "two deaths",
// "3 fatalities", with no verb needed.
func (c *casualtyRules) linkDeathNoun(s numberSpan) linkVerdict {
	if s.afterVictim > s.j && c.deathNouns[s.toks[s.afterVictim-1].Lower] {
		return linkKilled
	}
	return linkPass
}

// linkKillObject: right after an active verb of killing the count is its
// object ("killed a woman and wounded four officers"); the verb after it
// has objects of its own.
func (c *casualtyRules) linkKillObject(s numberSpan) linkVerdict {
	if c.killOnly[s.lower(s.i-1)] {
		if c.unrealised(s.toks, s.i-1) {
			return linkNone // "nearly killed", "tried to kill five soldiers": no one died
		}
		return linkKilled
	}
	// "hacked to death four villagers": the object after "to death".
	if s.lower(s.i-1) == "death" && s.lower(s.i-2) == "to" && c.toDeathVerb[s.lower(s.i-3)] {
		return linkKilled
	}
	return linkPass
}

// linkKillingOf: "the killing of 1 militant", "the deaths of two officers".
func (c *casualtyRules) linkKillingOf(s numberSpan) linkVerdict {
	if s.lower(s.i-1) == "of" && (c.killOnly[s.lower(s.i-2)] || c.deathNouns[s.lower(s.i-2)]) {
		return linkKilled
	}
	return linkPass
}

// linkVerbAfter ties the count to the first verb of killing or injuring
// after its victims ("23 villagers have died", "of whom were wounded"),
// looking at most linkForwardWindow tokens past them and stopping at
// another number or the end of a clause.
func (c *casualtyRules) linkVerbAfter(s numberSpan) linkVerdict {
	for k := max(s.j, s.afterVictim); k < len(s.toks) && k < s.afterVictim+linkForwardWindow; k++ {
		if endsForwardLook(s.toks[k]) {
			break
		}
		if v := c.verbAfterAt(s, k); v != linkPass {
			return v
		}
	}
	return linkPass
}

// endsForwardLook reports a token past which a verb no longer belongs to
// the count: another number, or a mark that ends a clause or a quote.
func endsForwardLook(t token) bool {
	if t.Num {
		return true
	}
	if !t.Punct {
		return false
	}
	switch t.Lower {
	case ";", ":", "?", "!", "\"", "“", "”":
		return true
	}
	return false
}

// verbAfterAt judges the word at k after the victims. A killing verb with
// an object of its own makes the count its subject: "four people
// assaulted and killed a farmer" counts who did it, not who died.
func (c *casualtyRules) verbAfterAt(s numberSpan, k int) linkVerdict {
	w := s.toks[k].Lower
	switch {
	case c.killVerb[w] && c.activeWithObject(s.toks, k):
		return linkNone
	case c.killVerb[w] || w == "killing" && k == s.afterVictim:
		if c.injuredFollows(s.toks, k) {
			return linkBoth
		}
		return linkKilled
	case c.injureVerb[w]:
		if c.killedFollows(s.toks, k) {
			return linkBoth
		}
		return linkInjured
	case w == "lost" && s.lower(k+2) == "lives":
		return linkKilled
	case w == "casualties":
		return linkBoth
	}
	return linkPass
}

// linkAlongWith: "was killed along with six other members", "died
// together with 3 others".
func (c *casualtyRules) linkAlongWith(s numberSpan) linkVerdict {
	if s.lower(s.i-1) != "with" {
		return linkPass
	}
	if before := s.lower(s.i - 2); before != "along" && before != "together" {
		return linkPass
	}
	if verb := s.lower(s.i - 3); c.killVerb[verb] || c.killActive[verb] {
		return linkKilled
	}
	return linkPass
}

// linkKilledWith: "he was killed with four of his fighters".
func (c *casualtyRules) linkKilledWith(s numberSpan) linkVerdict {
	if s.lower(s.i-1) == "with" && c.killVerb[s.lower(s.i-2)] {
		return linkKilled
	}
	return linkPass
}

// linkBodiesOf: "the bodies of nine men were found".
func (c *casualtyRules) linkBodiesOf(s numberSpan) linkVerdict {
	if s.lower(s.i-1) != "of" {
		return linkPass
	}
	switch s.lower(s.i - 2) {
	case "bodies", "corpses", "remains":
		return linkKilled
	}
	return linkPass
}

// linkTollRoseTo: "the death toll rose to 14", "has risen to 20".
func (c *casualtyRules) linkTollRoseTo(s numberSpan) linkVerdict {
	k := s.i - 1
	if s.lower(k) != "to" {
		return linkPass
	}
	before := joinLower(s.toks, max(0, k-linkTollRoseWindow), k)
	if strings.Contains(before, "toll") || strings.HasSuffix(before, "rose") ||
		strings.HasSuffix(before, "risen") || strings.HasSuffix(before, "climbed") {
		return linkKilled
	}
	return linkPass
}

// linkShotDead: "shot dead two teachers", "gunned down three", "mowed
// down 12".
func (c *casualtyRules) linkShotDead(s numberSpan) linkVerdict {
	prev, verb := s.lower(s.i-1), s.lower(s.i-2)
	if prev == "dead" && verb == "shot" || prev == "down" && (verb == "gunned" || verb == "mowed") {
		return linkKilled
	}
	return linkPass
}

// linkKillVerbBefore: an active verb of killing before the number and its
// qualifiers, "killing at least 16". "left", "leaving" and "shot" are left
// to the rules that read what follows ("left 7 injured"). A verb joined to
// one of injuring ("wounding and killing at least 9") counts both.
// "claimed" takes only lives: "claimed at least 12 lives", but not
// "claimed more than 3 attacks".
func (c *casualtyRules) linkKillVerbBefore(s numberSpan) linkVerdict {
	k := s.verb
	w := s.lower(k)
	if !c.killActive[w] || w == "left" || w == "leaving" || w == "shot" {
		return linkPass
	}
	if c.unrealised(s.toks, k) {
		return linkNone // "threatened to kill 20 hostages"
	}
	if joiner := s.lower(k - 1); (joiner == "and" || joiner == "or") && c.injureAct[s.lower(k-2)] {
		return linkBoth
	}
	if w == "claimed" {
		if s.afterVictim > s.j && s.toks[s.afterVictim-1].Lower == "lives" {
			return linkKilled
		}
		return linkNone
	}
	return linkKilled
}

// linkInjureVerbBefore: an active verb of injuring before the number and
// its qualifiers, "wounding 20"; joined to a verb of killing ("killed and
// wounded 30") it counts both.
func (c *casualtyRules) linkInjureVerbBefore(s numberSpan) linkVerdict {
	k := s.verb
	if !c.injureAct[s.lower(k)] {
		return linkPass
	}
	if joiner := s.lower(k - 1); (joiner == "and" || joiner == "or") && c.killActive[s.lower(k-2)] {
		return linkBoth
	}
	return linkInjured
}

// linkJoinedObject: a count joined by "and" to the object of a verb of
// killing or injuring shares the verb: "killing two soldiers and three
// civilians" counts five dead, "killed himself and 12 others" thirteen.
func (c *casualtyRules) linkJoinedObject(s numberSpan) linkVerdict {
	and := s.verb
	if c.possessive[s.lower(and)] {
		and-- // "and his two sons"
	}
	if s.lower(and) != "and" {
		return linkPass
	}
	verdict := func(w string) linkVerdict {
		switch {
		case c.killActive[w] && w != "left" && w != "leaving":
			return linkKilled
		case c.injureAct[w]:
			return linkInjured
		}
		return linkPass
	}
	for k := and - 1; k >= 0 && k >= and-1-linkJoinedWords; k-- {
		// An active verb whose object is the attacker himself: "killed
		// himself and 12 others" (not "was killed and 3 abducted", where
		// the 3 have a verb of their own).
		if v := verdict(s.lower(k)); v != linkPass {
			if k < and-1 && c.unnumberedObject[s.lower(k+1)] && !c.auxiliary[s.lower(k-1)] {
				return v
			}
			return linkPass
		}
		if _, _, ok := c.countAt(s.toks, k); ok {
			return verdict(s.lower(c.verbBefore(s.toks, k)))
		}
	}
	return linkPass
}

// linkTollBefore: the word before the qualifiers is "toll" ("the death
// toll at over 30"), or a "to" near a "toll" that stands past a full run
// of qualifiers ("the toll climbed to no fewer than 30").
func (c *casualtyRules) linkTollBefore(s numberSpan) linkVerdict {
	k := s.verb
	if w := s.lower(k); w != "toll" && w != "to" {
		return linkPass
	}
	if strings.Contains(joinLower(s.toks, max(0, k-linkTollVerbWindow), k+1), "toll") {
		return linkKilled
	}
	return linkPass
}

// linkDeadAfter: "left 7 people dead"; but not after "a" ("left a man
// dead" is told by the single-victim rules of find). Today the verb after
// the victims already takes every such count, "dead" being a verb of
// killing there; this rule stays as the last word should that rule narrow.
func (c *casualtyRules) linkDeadAfter(s numberSpan) linkVerdict {
	if s.toks[s.i].Lower != "a" && s.lower(s.afterVictim) == "dead" {
		return linkKilled
	}
	return linkPass
}
