package extract

import (
	"strings"
	"testing"
)

// spanAt tokenizes sentence and returns the number phrase that starts at
// the word number, as find would pass it to link.
func spanAt(t *testing.T, c *casualtyRules, text, number string) numberSpan {
	t.Helper()
	s := sentence{End: len(text), Text: text}
	tokenize(&s, text, stateAbbreviations())
	for i, tok := range s.Tokens {
		if tok.Lower != number {
			continue
		}
		_, j, ok := c.countAt(s.Tokens, i)
		if !ok {
			t.Fatalf("%q: %q is no count", text, number)
		}
		_, afterVictim := c.victimAfter(s.Tokens, j)
		return numberSpan{toks: s.Tokens, i: i, j: j, afterVictim: afterVictim, verb: c.verbBefore(s.Tokens, i)}
	}
	t.Fatalf("%q: no word %q", text, number)
	return numberSpan{}
}

// TestLinkRules asks each link rule on its own about sentences it is
// written for, and about near misses it must pass on.
func TestLinkRules(t *testing.T) {
	c := newCasualtyRules()
	rules := map[string]func(*casualtyRules, numberSpan) linkVerdict{}
	for _, r := range c.links {
		if rules[r.name] != nil {
			t.Fatalf("two link rules named %q", r.name)
		}
		rules[r.name] = r.apply
	}
	tests := []struct {
		rule, sentence, number string
		want                   linkVerdict
	}{
		{"death noun", "The clash caused two deaths on Sunday.", "two", linkKilled},
		{"death noun", "The clash left two soldiers stranded.", "two", linkPass},
		{"object of a killing verb", "Raiders massacred 14 herders near the well.", "14", linkKilled},
		{"object of a killing verb", "Raiders stole 14 cattle near the well.", "14", linkPass},
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
		{"killing verb before", "The group claimed more than 20 attacks.", "20", linkNone},
		{"killing verb before", "The blast left at least 7 people injured.", "7", linkPass}, // "left" is read by what follows
		{"injuring verb before", "The blast went off, wounding about 20 passers-by.", "20", linkInjured},
		{"injuring verb before", "Shelling killed or wounded some 30 residents.", "30", linkBoth},
		{"toll before", "The death toll at over 30 was given by the army.", "30", linkKilled},
		{"toll before", "The toll climbed to no fewer than 30 by night.", "30", linkKilled},
		{"toll before", "The bill came to no fewer than 30 dollars.", "30", linkPass},
		{"left dead", "The ambush left 7 people dead.", "7", linkKilled},
		{"left dead", "The ambush left a man dead.", "a", linkPass},
		{"left dead", "The ambush left 7 people stranded.", "7", linkPass},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.sentence, func(t *testing.T) {
			apply := rules[tt.rule]
			if apply == nil {
				t.Fatalf("no link rule named %q", tt.rule)
			}
			s := spanAt(t, c, tt.sentence, strings.ToLower(tt.number))
			if got := apply(c, s); got != tt.want {
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
