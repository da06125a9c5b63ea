package extract

import (
	"slices"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// A mishap is a cause of death or damage that is no one's violence: a
// flood, a crash, a fire that broke out, a disease; or news that only
// tells of violence long past, a court's judgment. Reports of them use
// the same words as reports of attacks ("killed 12 passengers", "struck",
// "bodies were recovered"), but they are no ACLED event, and an incident
// map of political violence that shows every bus crash is one its readers
// cannot use. A sentence naming a mishap keeps only the words that say
// violence or protest by themselves ("gunmen", "shelling", "protested");
// the deaths it counts are the mishap's unless such a word remains.

// mishapRule is one kind of mishap and the words that name it, written as
// triggers are ("derail*" matches derailed, derailment).
type mishapRule struct {
	name  string
	words []string
	// explains lists the triggers this kind explains beyond those every
	// mishap does (see newMishaps): a judgment explains the crimes it
	// judges ("sentenced for the murder of").
	explains []string
	// own: the kind explains only its own triggers, not those every mishap
	// does: an arrest for theft explains the arrest, not a killing beside it.
	own bool
}

// mishapRules are the kinds of mishap. Words that also name violence are
// left out: "storm" (troops storm a town), "outbreak" (of fighting), "fire"
// alone (troops open fire), "explosion" alone (a bomb).
func mishapRules() []mishapRule {
	return []mishapRule{
		{"a natural disaster", []string{"flood", "floods", "flooding", "flooded", "flash flood*", "landslide*", "mudslide*", "earthquake*",
			"quake", "quakes", "cyclone*", "hurricane*", "typhoon*", "tornado*", "lightning", "avalanche*", "tsunami", "heatwave", "heat wave",
			"torrential rain*", "heavy rain*"}, nil, false},
		{"an accident", []string{"accident", "accidents", "accidental", "accidentally", "crash*", "collision*", "collided", "road toll",
			"struck by a vehicle", "struck by a car", "hit by a vehicle", "hit by a car", "hit by a train", "run over",
			"derail*", "capsiz*", "plunged", "overturned", "drown*", "stampede", "collapse", "collapsed", "electrocut*", "level crossing",
			"hit-and-run"}, nil, false},
		{"a fire or blast by mishap", []string{"fire broke out", "caught fire", "in a fire", "blaze", "short circuit", "gas leak",
			"gas cylinder", "gas explosion", "cylinder blast", "cylinder exploded", "boiler", "fireworks"}, nil, false},
		{"a disease", []string{"cholera", "disease", "diseases", "epidemic", "ebola", "measles", "malaria", "overdose*", "food poisoning"}, nil, false},
		{"a sports match", []string{"scored", "goals", "tournament", "championship", "semi-final", "quarter-final"}, nil, false},
		// A court's judgment is news of a crime long past: ACLED codes the
		// crime, not the trial.
		{"a court's judgment", []string{"sentenced", "convicted", "acquitted", "verdict", "found guilty", "pleaded guilty",
			"life imprisonment", "jail term", "court martial", "court-martial"},
			[]string{"murder*", "rape*", "kidnap*", "abduct*", "assault*", "assassinat*", "attack", "attacks"}, false},
		// An arrest for an ordinary crime is police work, not a political
		// event: ACLED codes arrests of political actors (acled_dev's
		// notes of arrests name no such charge).
		{"an arrest for an ordinary crime", []string{"dwi", "dui", "drunk driving", "drunken driving", "drink-driving",
			"impaired driving", "theft", "thefts", "burglary", "burglaries", "shoplifting", "speeding", "drug charges",
			"drug possession", "controlled substance", "embezzlement", "forgery", "outstanding warrant", "probation violation",
			"parole violation"},
			[]string{"arrest*", "arrested", "arrests", "detain*", "apprehend*", "taken into custody"}, true},
	}
}

// violentType reports an event type whose words say violence by
// themselves: their deaths are not a mishap's.
func violentType(typ string) bool {
	switch typ {
	case incident.Battles, incident.ExplosionsRemoteViolence, incident.ViolenceAgainstCivilians, incident.Riots:
		return true
	}
	return false
}

// mishaps finds the mishaps a sentence names: one eventRules table whose
// "types" are the mishaps' names, so that words and stems match as
// triggers do.
type mishaps struct {
	rules     *eventRules
	explained map[string]bool            // trigger phrases a mishap explains as well as violence does
	extra     map[string]map[string]bool // kind -> the phrases it explains beyond those
	own       map[string]bool            // kinds that explain only their own phrases
}

func newMishaps() *mishaps {
	var ts []trigger
	extra, own := map[string]map[string]bool{}, map[string]bool{}
	for _, r := range mishapRules() {
		own[r.name] = r.own
		for _, w := range r.words {
			ts = append(ts, trigger{Phrase: w, Type: r.name, Strength: 1})
		}
		extra[r.name] = map[string]bool{}
		for _, w := range r.explains {
			extra[r.name][w] = true
		}
	}
	// The triggers a mishap explains as well as violence does: deaths, a
	// strike or a beating in a match, destruction, bodies found, a blast,
	// crowds at the scene.
	explained := map[string]bool{}
	for _, p := range []string{"killed", "killing", "kill", "kills", "struck", "striking", "beat", "beaten", "burnt", "burned",
		"destroyed", "explosion", "explosions", "exploded", "blast", "blasts", "explod*", "explosi*", "gathered", "assembled", "burned down",
		"burnt down", "found dead", "bodies were found", "body was found", "bodies found", "body found", "bodies recovered",
		"body recovered", "blown up", "blew up"} {
		explained[p] = true
	}
	return &mishaps{rules: newTriggerIndex(ts, true), explained: explained, extra: extra, own: own}
}

// in returns the kind of the first mishap tokens name, "" for none.
func (m *mishaps) in(toks []token) string {
	if hs := m.rules.find(toks, 0); len(hs) > 0 {
		return hs[0].Type
	}
	return ""
}

// withoutMishap drops from a sentence that names a mishap the triggers the
// mishap explains, and its counts unless a trigger that says violence by
// itself remains. It returns the mishap's kind, "" for none.
func (m *mishaps) withoutMishap(toks []token, in *sentInfo) string {
	kind := m.in(toks)
	if kind == "" {
		return ""
	}
	kept := in.hits[:0]
	for _, h := range in.hits {
		if (m.own[kind] || !m.explained[h.Phrase]) && !m.extra[kind][h.Phrase] {
			kept = append(kept, h)
		}
	}
	in.hits = kept
	if !slices.ContainsFunc(kept, func(h eventHit) bool { return violentType(h.Type) }) {
		in.counts = nil // "protested after a bus crash killed two": the crash's dead
	}
	return kind
}
