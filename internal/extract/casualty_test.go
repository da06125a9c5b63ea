package extract

import (
	"strings"
	"testing"
)

// tokensOf tokenizes one sentence.
func tokensOf(text string) []token {
	s := sentence{End: len(text), Text: text}
	tokenize(&s, text, stateAbbreviations())
	return s.Tokens
}

// indexOf is the index of the first token that reads word.
func indexOf(t *testing.T, toks []token, word string) int {
	t.Helper()
	for i, tok := range toks {
		if tok.Lower == word {
			return i
		}
	}
	t.Fatalf("no word %q", word)
	return -1
}

// byName indexes a table of named rules by name; a name given twice
// would leave one rule untestable on its own.
func byName[R any](t *testing.T, rules []R, name func(R) string) map[string]R {
	t.Helper()
	m := make(map[string]R, len(rules))
	for _, r := range rules {
		if _, dup := m[name(r)]; dup {
			t.Fatalf("two rules named %q", name(r))
		}
		m[name(r)] = r
	}
	return m
}

// spanAt returns the number phrase that starts at the word number of
// text, as find would pass it to link.
func spanAt(t *testing.T, c *casualtyRules, text, number string) numberSpan {
	t.Helper()
	toks := tokensOf(text)
	i := indexOf(t, toks, number)
	_, j, ok := c.countAt(toks, i)
	if !ok {
		t.Fatalf("%q: %q is no count", text, number)
	}
	_, afterVictim := c.victimAfter(toks, j)
	return numberSpan{toks: toks, i: i, j: j, afterVictim: afterVictim, verb: c.verbBefore(toks, i)}
}

// TestLinkRules asks each link rule on its own about sentences it is
// written for, and about near misses it must pass on.
func TestLinkRules(t *testing.T) {
	c := newCasualtyRules()
	rules := byName(t, c.links, func(r linkRule) string { return r.name })
	tests := []struct {
		rule, sentence, number string
		want                   linkVerdict
	}{
		{"death noun", "The clash caused two deaths on Sunday.", "two", linkKilled},
		{"death noun", "The clash left two soldiers stranded.", "two", linkPass},
		{"object of a killing verb", "Raiders massacred 14 herders near the well.", "14", linkKilled},
		{"object of a killing verb", "Raiders stole 14 cattle near the well.", "14", linkPass},
		{"object of a killing verb", "Raiders tried to kill 14 herders near the well.", "14", linkNone}, // meant, not done
		{"killing of", "Residents protested the killing of three traders.", "three", linkKilled},
		{"killing of", "Residents protested the arrest of three traders.", "three", linkPass},
		{"verb after the victims", "Nine farmers were hacked and later died in hospital.", "nine", linkKilled},
		{"verb after the victims", "Six pupils were hurt when the roof fell.", "six", linkInjured},
		{"verb after the victims", "Five men were killed and wounded in the raid.", "five", linkBoth},
		{"verb after the victims", "Three gunmen stormed the farm and killed the owner.", "three", linkNone},
		{"verb after the victims", "Eleven miners lost their lives underground.", "eleven", linkKilled},
		{"verb after the victims", "30 soldiers and policemen were among the casualties.", "30", linkBoth},
		{"verb after the victims", "Four soldiers arrived; 2 died later.", "four", linkPass}, // a clause end stops the look
		{"killed along with", "The chief was killed along with 6 guards.", "6", linkKilled},
		{"killed along with", "The chief was seen along with 6 guards.", "6", linkPass},
		{"killed with", "The imam died with 2 of his sons.", "2", linkKilled},
		{"bodies of", "Searchers recovered the remains of 12 climbers.", "12", linkKilled},
		{"bodies of", "Searchers recovered the bags of 12 climbers.", "12", linkPass},
		{"toll rose to", "By evening the number had climbed to 40.", "40", linkKilled},
		{"toll rose to", "The crowd grew to 400 by noon.", "400", linkPass},
		{"shot dead", "Bandits gunned down 8 travellers on the road.", "8", linkKilled},
		{"shot dead", "Bandits shot at 8 travellers on the road.", "8", linkPass},
		{"killing verb before", "The strike hit a market, killing at least 16 shoppers.", "16", linkKilled},
		{"killing verb before", "The strike hit a market, injuring and killing at least 16 shoppers.", "16", linkBoth},
		{"killing verb before", "The storm claimed more than 20 lives.", "20", linkKilled},
		{"killing verb before", "Militants threatened to kill at least 20 hostages.", "20", linkNone}, // meant, not done
		{"killing verb before", "The group claimed more than 20 attacks.", "20", linkNone},
		{"killing verb before", "The blast left at least 7 people injured.", "7", linkPass}, // "left" is read by what follows
		{"injuring verb before", "The blast went off, wounding about 20 passers-by.", "20", linkInjured},
		{"injuring verb before", "Shelling killed or wounded some 30 residents.", "30", linkBoth},
		{"toll before", "The death toll at over 30 was given by the army.", "30", linkKilled},
		{"toll before", "The toll climbed to no fewer than 30 by night.", "30", linkKilled},
		{"toll before", "The bill came to no fewer than 30 dollars.", "30", linkPass},
		{"joined object", "Gunmen killed two soldiers and three civilians.", "three", linkKilled},
		{"joined object", "A bomber killed himself and 12 others.", "12", linkKilled},
		{"joined object", "Raiders wounded two men and their four sons.", "four", linkInjured},
		{"joined object", "A guard was killed and 3 others were abducted.", "3", linkPass},
		{"joined object", "Gunmen stole two cars and three trucks.", "three", linkPass},
		{"left dead", "The ambush left 7 people dead.", "7", linkKilled},
		{"left dead", "The ambush left a man dead.", "a", linkPass},
		{"left dead", "The ambush left 7 people stranded.", "7", linkPass},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.sentence, func(t *testing.T) {
			rule, ok := rules[tt.rule]
			if !ok {
				t.Fatalf("no link rule named %q", tt.rule)
			}
			s := spanAt(t, c, tt.sentence, strings.ToLower(tt.number))
			if got := rule.apply(c, s); got != tt.want {
				t.Errorf("verdict %d, want %d", got, tt.want)
			}
		})
	}
}

// TestLinkOrder checks that an earlier rule's verdict stands over a later
// one's: after "killing" the count is its object even when a verb of
// injuring follows the victims.
func TestLinkOrder(t *testing.T) {
	c := newCasualtyRules()
	sentence := "Troops fired on the march, killing 3 protesters who were wounded before."
	s := spanAt(t, c, sentence, "3")
	if got := c.linkVerbAfter(s); got != linkInjured {
		t.Fatalf("verb after the victims alone: %d, want injured (%d)", got, linkInjured)
	}
	if got := c.link(s.toks, s.i, s.j, s.afterVictim); got != linkKilled {
		t.Errorf("link: %d, want killed (%d)", got, linkKilled)
	}
}

// TestNotCountRules asks each reason for no count on its own.
func TestNotCountRules(t *testing.T) {
	c := newCasualtyRules()
	rules := byName(t, c.notCounts, func(r notCountRule) string { return r.name })
	tests := []struct {
		rule, sentence, word string
		want                 bool
	}{
		{"not a number", "Gunmen stormed the farm.", "gunmen", true},
		{"not a number", "Six gunmen stormed the farm.", "six", false},
		{"no, both, single", "Both sides lost men.", "both", true},
		{"no one", "No one was hurt.", "one", true},
		{"no one", "One man was hurt.", "one", false},
		{"year", "The rebels took the town in 2014.", "2014", true},
		{"year", "Some 2500 people fled.", "2500", false},
		{"decimal, time or date", "The quake measured 5.6 near the coast.", "5.6", true},
		{"decimal, time or date", "The quake killed 56 near the coast.", "56", false},
		{"part of a numeric date", "On 06 / 12 seven soldiers died.", "06", true},
		{"part of a numeric date", "On Friday 12 soldiers died.", "12", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.sentence, func(t *testing.T) {
			rule, ok := rules[tt.rule]
			if !ok {
				t.Fatalf("no rule named %q", tt.rule)
			}
			toks := tokensOf(tt.sentence)
			i := indexOf(t, toks, tt.word)
			if got := rule.holds(toks, i, numberWordValue(toks[i].Lower)); got != tt.want {
				t.Errorf("holds %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCountAt reads number phrases through the steps of countAt.
func TestCountAt(t *testing.T) {
	c := newCasualtyRules()
	tests := []struct {
		sentence, word string
		value, words   int // words: length of the number phrase
		ok             bool
	}{
		{"Twenty three villagers died.", "twenty", 23, 2, true},
		{"Two dozen villagers died.", "two", 24, 2, true},
		{"A dozen villagers died.", "a", 12, 2, true},
		{"A soldier died.", "a", 1, 1, true},
		{"A bomb exploded.", "a", 0, 0, false},
		{"Dozens of villagers died.", "dozens", 12, 2, true},
		{"Tens of thousands fled.", "tens", 0, 0, false},
		{"The raid of 12 March killed no one.", "12", 0, 0, false},
		{"At 9 p.m. the shelling began.", "9", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			toks := tokensOf(tt.sentence)
			i := indexOf(t, toks, tt.word)
			v, j, ok := c.countAt(toks, i)
			if ok != tt.ok || ok && (v != tt.value || j-i != tt.words) {
				t.Errorf("countAt = %d, %d words, %v; want %d, %d words, %v", v, j-i, ok, tt.value, tt.words, tt.ok)
			}
		})
	}
}

// TestCountWords checks the helpers find reads a count's context with.
func TestCountWords(t *testing.T) {
	c := newCasualtyRules()
	tests := []struct {
		sentence, word     string
		noOne, more, upd   bool
		companion, rangeTo int // rangeTo: value of the range's high end, 0 for none
	}{
		{"The fighting lasted 3 days.", "3", true, false, false, 0, 0},
		{"The victim, aged 23, died.", "23", true, false, false, 0, 0},
		{"Seven more bodies were found.", "seven", false, true, false, 0, 0},
		{"Another 5 soldiers died later.", "5", false, true, false, 0, 0},
		{"The death toll has risen to 15.", "15", false, false, true, 0, 0},
		{"The commander was killed along with six other fighters.", "six", false, false, false, 1, 0},
		{"He was killed with four of his men.", "four", false, false, false, 1, 0},
		{"Between 45 and 60 people were killed.", "45", false, false, false, 0, 60},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			s := spanAt(t, c, tt.sentence, tt.word)
			toks, i, j, afterVictim := s.toks, s.i, s.j, s.afterVictim
			if got := countsNoOne(c, toks, i, j); got != tt.noOne {
				t.Errorf("countsNoOne %v, want %v", got, tt.noOne)
			}
			if got := isMore(toks, i, j); got != tt.more {
				t.Errorf("isMore %v, want %v", got, tt.more)
			}
			if got := isUpdate(toks, i); got != tt.upd {
				t.Errorf("isUpdate %v, want %v", got, tt.upd)
			}
			if got := c.companion(toks, i, j, afterVictim, true); got != tt.companion {
				t.Errorf("companion %d, want %d", got, tt.companion)
			}
			high, ok := c.rangeEnd(toks, i, j)
			if got := 0; ok {
				got, _, _ = c.countAt(toks, high-1)
				if got != tt.rangeTo {
					t.Errorf("range to %d, want %d", got, tt.rangeTo)
				}
			} else if tt.rangeTo != 0 {
				t.Errorf("no range, want one to %d", tt.rangeTo)
			}
		})
	}
}

// BenchmarkCasualties measures the casualty finder, which reads every
// sentence of an event, on sentences of the kinds it is written for:
//
//	go test -run '^$' -bench Casualties -benchtime 20000x ./internal/extract/
func BenchmarkCasualties(b *testing.B) {
	c := newCasualtyRules()
	sentences := []string{
		"The gunmen opened fire, killing 16 patients and injuring several others.",
		"Two soldiers and four rebels have been killed in a clash near the border on Monday.",
		"Local media said between 45 and 60 people were killed, including three children.",
		"The death toll from the attack on the market has risen to 23, officials said on 12 March.",
		"A party leader was shot dead and 10 people were injured in the clash.",
		"Officials in Kabul said security had been tightened across Helmand and Kandahar after the raid.",
	}
	toks := make([][]token, len(sentences))
	for k, text := range sentences {
		toks[k] = tokensOf(text)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for k, text := range sentences {
			c.find(toks[k], text)
		}
	}
}

// TestSingleDeath reads deaths told without a number, step by step.
func TestSingleDeath(t *testing.T) {
	c := newCasualtyRules()
	tests := []struct {
		sentence       string
		victim, object bool // singleVictim, singleObject
	}{
		{"The pastor died.", true, false},                                 // theOneDied
		{"A pastor has been killed.", true, false},                        // pastAuxiliary over "been"
		{"A pastor was reportedly killed.", true, false},                  // pastAuxiliary over an adverb
		{"The trader was stabbed and killed at the market.", true, false}, // "stabbed and" stepped over
		{"The trader was shot dead at the market.", true, false},          // killedAt "shot dead"
		{"The trader was shot in the leg.", false, false},                 // shot, not dead
		{"No one was killed in the blast.", false, false},                 // saysNoOne
		{"Gunmen killed a revenue collector.", false, true},               // isNounAfterArticle
		{"Gunmen killed a number of cattle.", false, false},               // a quantity
		{"Troops gunned down the village chief.", false, true},            // killsObjectAt "gunned down", personObject
		{"Troops killed the engine of the truck.", false, false},          // no person within the object
		{"A crowd nearly lynched a pickpocket.", false, false},            // a hedge: the victim lived
		{"A thief was beaten to death by a mob.", false, true},            // deathPhraseEnd
		{"Police found the man dead in his home.", false, false},          // "found dead" must be adjacent
		{"Police said a woman was found dead in her home.", false, true},  // deathPhraseEnd "found dead"
		{"Soldiers killed the commander of the militia, officials said.", false, true},
		{"A gunman fatally shot Russia's ambassador at the gallery.", false, true}, // "fatally shot", a possessive, a role
		{"Gunmen killed his wife at home.", false, true},                           // a possessive determiner, kin
		{"Gunmen assassinated the mayor.", false, true},                            // an office
		{"Raiders fatally wounded a guard.", false, true},                          // "fatally wounded"
		{"Gunmen killed prominent lawyer Ali Khan.", false, true},                  // namedPerson: a role before the name
		{"Gunmen killed Ali Khan, a lawyer, outside court.", false, true},          // namedPerson: an apposition
		{"Gunmen killed Ali Khan, 45, outside court.", false, true},                // namedPerson: an age
		{"Troops killed Ali Khan outside court.", false, false},                    // a bare name may be a group's
		{"Troops killed Taliban, officials said.", false, false},                   // one capitalised word
		{"The gunman tried to kill the governor.", false, false},                   // meant, not done
		{"He threatened to kill his neighbour.", false, false},                     // meant, not done
		{"The dose is enough to kill an adult.", false, false},                     // meant, not done
		{"Gunmen opened fire to kill two guards.", false, false},                   // a count: read by the link rules
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			toks := tokensOf(tt.sentence)
			if _, got := c.singleVictim(toks); got != tt.victim {
				t.Errorf("singleVictim %v, want %v", got, tt.victim)
			}
			if got := c.singleObject(toks); got != tt.object {
				t.Errorf("singleObject %v, want %v", got, tt.object)
			}
		})
	}
}

// TestVictimAfter reads the victims' phrase after a number.
func TestVictimAfter(t *testing.T) {
	c := newCasualtyRules()
	tests := []struct {
		sentence, word string
		victim, words  int // words: length of the victims' phrase
		subset         bool
	}{
		{"Seven Afghan National Army soldiers died.", "seven", victimArmed, 4, false},
		{"Seven villagers and two soldiers died.", "seven", victimCivilian, 1, false},
		{"Seven people were killed.", "seven", victimGeneral, 1, false},
		{"Seven (mostly women) died.", "seven", victimCivilian, 3, false},
		{"Seven, mostly women, died.", "seven", victimGeneral, 0, false},
		{"Twelve died, including at least three children.", "three", victimCivilian, 1, true},
		{"Among the victims, at least three children were named.", "three", victimCivilian, 1, true},
		{"Three children were killed and two were wounded.", "two", victimGeneral, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			s := spanAt(t, c, tt.sentence, tt.word)
			victim, end := c.victimAfter(s.toks, s.j)
			if victim != tt.victim || end-s.j != tt.words {
				t.Errorf("victim %d over %d words, want %d over %d", victim, end-s.j, tt.victim, tt.words)
			}
			if got := c.isSubset(s.toks, s.i); got != tt.subset {
				t.Errorf("isSubset %v, want %v", got, tt.subset)
			}
		})
	}
}

// Coders take the most conservative of figures that differ, the low end
// of a range, and a revised toll over the first.
func TestConservativeFigures(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	for _, tt := range []struct {
		text string
		want int
	}{
		{"Gunmen killed 10 villagers in Zamfara on Friday, though residents put the toll at 15.", 10},
		{"Gunmen killed 10 villagers in Zamfara on Friday. Residents put the death toll at 15.", 10},
		{"Gunmen killed between 10 and 15 villagers in Zamfara on Friday.", 10},
		{"Gunmen killed 10 villagers in Zamfara on Friday. The death toll later rose to 15.", 15},
		{"An attack in Zamfara on Friday left a toll of 12 dead.", 12},
	} {
		res, err := x.Extract(Article{Text: tt.text, Published: "2024-03-02"})
		if err != nil || len(res.Incidents) != 1 {
			t.Fatalf("%q: %d incidents (%q), err %v", tt.text, len(res.Incidents), res.Reason, err)
		}
		if f := res.Incidents[0].Fatalities; f == nil || *f != tt.want {
			t.Errorf("%q: fatalities %v, want %d", tt.text, f, tt.want)
		}
	}
}
