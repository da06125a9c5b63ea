package extract

import (
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// Each candidate rule rules out the readings it names, and only those.
func TestCandidateRules(t *testing.T) {
	town := func(cc string, m gazetteer.NameKind) gazetteer.Candidate {
		return gazetteer.Candidate{Place: gazetteer.Place{Country: cc, Level: gazetteer.LevelPlace}, Match: m}
	}
	area := func(cc string, lvl gazetteer.Level, m gazetteer.NameKind) gazetteer.Candidate {
		return gazetteer.Candidate{Place: gazetteer.Place{Country: cc, Level: lvl}, Match: m}
	}
	r := &resolution{cue: []bool{true, false}}
	tests := []struct {
		rule   string // a word of the rule's why
		k      int
		sp     spot
		c      gazetteer.Candidate
		likely string
		drop   bool
	}{
		{"Siakago", 0, spot{}, town("US", gazetteer.KindPhonetic), "KE", true},
		{"Siakago", 0, spot{}, town("KE", gazetteer.KindPhonetic), "KE", false},
		{"running text", 1, spot{}, town("KE", gazetteer.KindPhonetic), "", true},
		{"running text", 0, spot{}, town("KE", gazetteer.KindPhonetic), "", false},
		{"demonym", 0, spot{Demonym: true}, town("AF", gazetteer.KindDemonym), "", true},
		{"demonym", 0, spot{Demonym: true}, area("AF", gazetteer.LevelCountry, gazetteer.KindDemonym), "", false},
		{"U.S.", 0, spot{Code: true}, town("FR", gazetteer.KindName), "", true},
		{"CAN", 0, spot{}, area("CA", gazetteer.LevelCountry, gazetteer.KindCode), "", true},
		{"Alta.", 0, spot{ExpandCC: "CA"}, area("US", gazetteer.LevelAdmin1, gazetteer.KindName), "", true},
		{"Alta.", 0, spot{ExpandCC: "CA"}, area("CA", gazetteer.LevelAdmin1, gazetteer.KindName), "", false},
		{"world region", 0, spot{}, area("", gazetteer.LevelRegion, gazetteer.KindAlternate), "", true},
		{"world region", 0, spot{}, area("", gazetteer.LevelRegion, gazetteer.KindName), "", false},
	}
	rules := candidateRules()
	for _, tt := range tests {
		var rule *candidateRule
		for i := range rules {
			if strings.Contains(rules[i].why, tt.rule) {
				rule = &rules[i]
			}
		}
		if rule == nil {
			t.Fatalf("no rule says %q", tt.rule)
		}
		if got := rule.drop(r, tt.k, &tt.sp, tt.c, tt.likely); got != tt.drop {
			t.Errorf("rule %q on %+v (%v): drop = %v, want %v", tt.rule, tt.c.Place, tt.c.Match, got, tt.drop)
		}
	}
}

// A country's adjective votes for the report's country as where the story
// is only when a place noun follows it.
func TestVoteWeightDemonym(t *testing.T) {
	country := []gazetteer.Candidate{{Place: gazetteer.Place{Country: "IL", Level: gazetteer.LevelCountry}, Match: gazetteer.KindDemonym}}
	tests := []struct {
		name string
		sp   spot
		want float64
	}{
		{"Israeli troops: whose", spot{Demonym: true}, voteWhose},
		{"the Israeli city of Ashkelon: where", spot{Demonym: true, Qual: qualCity}, 1},
		{"Israel named: where", spot{}, 1},
	}
	for _, tt := range tests {
		if got := voteWeight(&tt.sp, country); got != tt.want {
			t.Errorf("%s: vote %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A direction alone leaves a place to the ranker; a distance, a border or
// a capital makes it a reference point.
func TestDistanceReferences(t *testing.T) {
	tests := []struct {
		before    string
		ref, bare bool
	}{
		{"troops captured eight insurgents in raids north of ", true, true},
		{"an ambush 35 miles south of ", true, false},
		{"about 60 km (37 miles) northwest of the ", true, false},
		{"clashes near the border with ", true, false},
		{"the capital of ", true, false},
		{"a bomb exploded in ", false, false},
	}
	for _, tt := range tests {
		if got := isDistanceRef(tt.before); got != tt.ref {
			t.Errorf("isDistanceRef(%q) = %v, want %v", tt.before, got, tt.ref)
		}
		if got := isMeasuredRef(tt.before); got != (tt.ref && !tt.bare) {
			t.Errorf("isMeasuredRef(%q) = %v, want %v", tt.before, got, tt.ref && !tt.bare)
		}
	}
}

// An owner's name before a place contains it, whether its possessive is
// written "'s" or, after an s, a bare apostrophe.
func TestPossessive(t *testing.T) {
	tests := []struct {
		gap, name string
		want      bool
	}{
		{"'s ", "Helmand", true},
		{"’s central", "Kashmir", true},
		{"' ", "Philippines", true},
		{"' ", "Kabul", false}, // a closing quote, not a possessive
		{", ", "Helmand", false},
		{"'smith ", "Helmand", false},
	}
	for _, tt := range tests {
		if got := possessive(strings.TrimSpace(tt.gap), tt.name); got != tt.want {
			t.Errorf("possessive(%q, %q) = %v, want %v", tt.gap, tt.name, got, tt.want)
		}
	}
}

// A commune is a town, not a district: "Kati Commune (Kati, Koulikoro)"
// stays Mali's town Kati inside Koulikoro even when the words lean to
// another country, where as a district it read Tanzania's district Kati
// and dropped Koulikoro as a lone namesake.
func TestCommuneIsATown(t *testing.T) {
	gaz, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(gaz)
	text := "Residents demonstrated in Kati, Kati Commune (Kati, Koulikoro) on Monday."
	sents := splitSentences(text, x.abbr)
	for i := range sents {
		tokenize(&sents[i], text, x.states)
	}
	spots := x.spotAll(text, sents)
	linkHierarchy(text, spots, x.spot.placeNouns)
	for _, o := range x.resolveSpots(spots, map[string]float64{"KE": 0.59, "ML": 0.34}) {
		if o.OK && o.Place.Country != "ML" {
			t.Errorf("%q read as %s in %s, want Mali", o.Name, o.Place.Name, o.Place.Country)
		}
	}
}
