package extract

import (
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// spotOf tokenizes text as one sentence and returns the context of the
// acceptance rules for name, the gazetteer's reading of its first
// occurrence.
func spotOf(t *testing.T, x *Extractor, text, name string) *spotContext {
	t.Helper()
	sents := splitSentences(text, x.abbr)
	if len(sents) != 1 {
		t.Fatalf("%q: %d sentences, want 1", text, len(sents))
	}
	s := &sents[0]
	tokenize(s, text, x.states)
	start := strings.Index(text, name)
	if start < 0 {
		t.Fatalf("%q not in %q", name, text)
	}
	i, j := -1, -1
	for k, tok := range s.Tokens {
		if tok.Start == start {
			i = k
		}
		if tok.End == start+len(name) {
			j = k
		}
	}
	if i < 0 || j < i {
		t.Fatalf("%q does not fall on token boundaries of %q", name, text)
	}
	key := gazetteer.Normalize(name)
	info := x.known(key)
	if info.Places == 0 {
		t.Fatalf("the gazetteer does not know %q", name)
	}
	sp := x.knownSpot(text, s, i, j, key, info)
	return x.newSpotContext(s.Tokens, i, j, &sp, lowerCaseWords(sents))
}

// ruleNamed finds an acceptance rule by its name.
func ruleNamed(t *testing.T, x *Extractor, name string) spotRule {
	t.Helper()
	for _, r := range x.spot.accept {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("no acceptance rule %q", name)
	return spotRule{}
}

// Each acceptance rule, run on its own, rejects the trap it is named for,
// lets a real place pass, and leaves on the spot the cue it reads.
func TestAcceptRulesOnTheirOwn(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	for _, c := range []struct {
		rule, text, name string
		want             verdict
		check            func(sp *spot) bool // the rule's effect on the spot, nil for none
	}{
		{"code not written as one", "Fighters loyal to IN attacked the base.", "IN", reject, nil},
		{"code not written as one", "Troops from the UK arrived.", "UK", pass, nil},
		{"currency after", "Traders protested the falling Kenyan shilling.", "Kenyan", reject, nil},
		{"currency after", "Prices rose as the US dollar climbed.", "US", reject, nil},
		{"currency after", "Kenyan police fired tear gas.", "Kenyan", pass, nil},
		{"stop word", "The Union said nothing.", "Union", reject, nil},
		{"stop word", "Gunmen attacked a bus in Kabul.", "Kabul", pass, nil},
		{"acronym", "Troops fought the ADF near the river.", "ADF", reject, nil},
		{"acronym", "Troops fought KABUL police.", "KABUL", pass, nil},
		{"according to", "Ten died, according to Jackson.", "Jackson", reject, nil},
		{"according to", "Ten died, according to Kenya.", "Kenya", pass, nil},
		{"title before", "President Gary spoke.", "Gary", reject, nil},
		{"title before", "Gunmen attacked Gary.", "Gary", pass, nil},
		{"age before", "The nine-year-old Georgia Stevens skated.", "Georgia", reject, nil},
		{"age before", "A 30-year-old Kabul resident was shot.", "Kabul", pass, nil},
		{"written in lower case elsewhere", "Gunmen fired at Mobile and hit a mobile phone shop.", "Mobile", reject, nil},
		{"written in lower case elsewhere", "Gunmen fired at Mobile and hit a shop.", "Mobile", pass, nil},
		{"inside a longer name", "Fighters loyal to Asim Kabul fled.", "Kabul", pass, nil}, // a big city stands as a place
		{"inside a longer name", "Fighters loyal to Asim Gary fled.", "Gary", reject, nil},
		{"inside a longer name", "Shells fell on rebel-held Gary.", "Gary", pass, nil},
		{"inside a longer name", "Shells fell on Rebel-held Gary.", "Gary", pass, nil},        // a compound adjective, no first name
		{"inside a longer name", "Angry Gary residents blocked the road.", "Gary", pass, nil}, // a sentence's opening word, in lower case elsewhere
		{"inside a longer name", "Emily Gary told reporters.", "Gary", reject, nil},
		{"qualifier after", "The U.S. Department of Justice said so.", "U.S.", pass,
			func(sp *spot) bool { return sp.Qual == qualNone }}, // a code takes no qualifier
		{"qualifier after", "Troops entered Helmand province.", "Helmand", pass,
			func(sp *spot) bool { return sp.Qual == qualProvince && sp.QualWord == "province" && sp.Cue }},
		{"qualifier after", "Clashes in Bokkos Local Government Area left two dead.", "Bokkos", pass,
			func(sp *spot) bool { return sp.Qual == qualDistrict && sp.QualWord == "local government area" }},
		{"facility after", "Gunmen stormed the Mandera Hospital on Monday.", "Mandera", pass,
			func(sp *spot) bool { return sp.Cue }},
		{"facility after", "Youths stormed the Msambweni polling station.", "Msambweni", pass,
			func(sp *spot) bool { return sp.Cue }},
		{"facility after", "Workers protested at the Hyderabad Press club.", "Hyderabad", pass,
			func(sp *spot) bool { return sp.Cue }},
		{"institution after", "The Sindh Government announced a curfew.", "Sindh", pass,
			func(sp *spot) bool { return sp.Part }},
		{"group after", "Youths demanded that the Kikuyu people leave the area.", "Kikuyu", pass,
			func(sp *spot) bool { return sp.Part }},
		{"group after", "Raiders attacked Kikuyu on Monday.", "Kikuyu", pass,
			func(sp *spot) bool { return !sp.Part }},
		{"qualifier after", "Members of the Railway Kasba Union protested.", "Kasba", pass,
			func(sp *spot) bool { return sp.Qual == qualNone }},
		{"qualifier after", "Two men were hurt in Kasba union on Monday.", "Kasba", pass,
			func(sp *spot) bool { return sp.Qual == qualArea }},
		{"actor after", "U.S. forces patrolled the market on Monday.", "U.S.", pass,
			func(sp *spot) bool { return sp.Part }},
		{"actor after", "The Pakistan Army shelled the ridge.", "Pakistan", pass,
			func(sp *spot) bool { return sp.Part }},
		{"actor after", "Karachi police arrested two men.", "Karachi", pass,
			func(sp *spot) bool { return !sp.Part }}, // a city's police work there
		{"organisation after", "The Jalalabad Brigade attacked the post.", "Jalalabad", reject, nil},
		{"organisation after", "Glasgow Police arrested two men.", "Glasgow", pass,
			func(sp *spot) bool { return sp.Part }}, // a big city is mentioned, never the scene
		{"organisation after", "Jets struck targets in North Waziristan Agency.", "North Waziristan", pass, nil}, // a tribal agency
		{"surname after", "Jets struck targets in North Waziristan Agency.", "North Waziristan", pass, nil},
		{"surname after", "Gary Peterson spoke.", "Gary", reject, nil},
		{"surname after", "Kano Peterson spoke.", "Kano", pass, nil}, // a province stands as an adjective
		{"person said", "The farmer Gary said he fled.", "Gary", reject, nil},
		{"person said", "Flooding in Gary said to be severe.", "Gary", pass, nil},
		{"speech verb after", "Jaffna was captured by government forces.", "Jaffna", pass,
			func(sp *spot) bool { return !sp.SubjectVerb }},
		{"speech verb after", "Damascus is being continuously shelled.", "Damascus", pass,
			func(sp *spot) bool { return !sp.SubjectVerb }},
		{"speech verb after", "Pakistan has warned of reprisals.", "Pakistan", pass,
			func(sp *spot) bool { return sp.SubjectVerb }},
		{"surname after", "A bomber attacked a court in the city of Mardan Friday.", "Mardan", pass, nil},
		{"speech verb after", "Washington agreed to the deal.", "Washington", pass,
			func(sp *spot) bool { return sp.SubjectVerb }},
		{"qualifier before", "Shells fell on the outskirts of Kandahar.", "Kandahar", pass,
			func(sp *spot) bool { return sp.Qual == qualArea && sp.NearWord && sp.Cue }},
		{"qualifier before", "Troops fired in Mon district of Nagaland.", "Nagaland", pass,
			func(sp *spot) bool { return sp.Qual == qualNone && !sp.Cue }},
		{"preposition before", "A bomb went off near Bambari.", "Bambari", pass,
			func(sp *spot) bool { return sp.Prep == "near" && sp.NearWord && sp.Cue }},
		{"apposition", "Gunmen attacked Bamenda, Cameroon.", "Bamenda", pass,
			func(sp *spot) bool { return sp.Cue }},
		{"small place in capitals", "BANTAM — A mason was arraigned in court.", "BANTAM", pass, nil}, // a town written out in a dateline
		{"small place in capitals", "A BANTAM HEN WON THE SHOW", "BANTAM", reject, nil},              // a headline's word
		{"dateline", "KABUL    A bomb went off near a market.", "KABUL", pass,
			func(sp *spot) bool { return sp.Dateline }},
		{"dateline", "KABUL A bomb went off near a market.", "KABUL", pass,
			func(sp *spot) bool { return !sp.Dateline }},
		{"dateline", "KABUL (Reuters) - A bomb went off.", "KABUL", pass,
			func(sp *spot) bool { return sp.Dateline && sp.Cue }},
		{"dateline", "Troops in Kabul (the capital) - fled.", "Kabul", pass,
			func(sp *spot) bool { return !sp.Dateline }},
		{"small place with no cue", "Gunmen shot Hanna.", "Hanna", reject, nil},
		{"small place with no cue", "Gunmen shot Kabul.", "Kabul", pass, nil},
		{"common word", "The Van driver was arrested.", "Van", reject, nil},
		{"common word", "Activists marched in central Van on Friday.", "Van", pass, nil},
		{"common words with no cue", "The White House said it would act.", "White House", reject, nil},
		{"common words with no cue", "A bomb went off in Spin Boldak.", "Spin Boldak", pass, nil},
	} {
		t.Run(c.rule+"/"+c.text, func(t *testing.T) {
			ctx := spotOf(t, x, c.text, c.name)
			if got := ruleNamed(t, x, c.rule).apply(ctx); got != c.want {
				t.Errorf("verdict %d, want %d (spot %+v)", got, c.want, *ctx.sp)
			}
			if c.check != nil && !c.check(ctx.sp) {
				t.Errorf("spot after the rule: %+v", *ctx.sp)
			}
		})
	}
}

// The whole chain names the first rule that rejects a name, so that a
// dropped mention can be explained.
func TestAcceptNamesTheRejectingRule(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	for _, c := range []struct{ text, name, rule string }{
		{"President Gary spoke.", "Gary", "title before"},
		{"The farmer Gary said he fled.", "Gary", "person said"},
		{"The Jalalabad Brigade attacked the post.", "Jalalabad", "organisation after"},
		{"The White House said it would act.", "White House", "common words with no cue"},
		{"Gunmen attacked a bus in Kabul.", "Kabul", ""},
		{"Jets struck targets in North Waziristan Agency.", "North Waziristan", ""},
		{"Shells fell on the outskirts of Kandahar.", "Kandahar", ""},
	} {
		ctx := spotOf(t, x, c.text, c.name)
		if got := x.rejectedBy(ctx.toks, ctx.i, ctx.j, ctx.sp, ctx.lowerWords); got != c.rule {
			t.Errorf("%q in %q: rejected by %q, want %q", c.name, c.text, got, c.rule)
		}
	}
}

// Rule names are what an explanation shows: each names one rule.
func TestAcceptRuleNamesAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range acceptRules() {
		if r.name == "" || seen[r.name] || r.apply == nil {
			t.Errorf("rule %q: empty, repeated or without a function", r.name)
		}
		seen[r.name] = true
	}
}
