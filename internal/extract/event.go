package extract

import (
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// trigger is a word or phrase that names an event of some ACLED type.
type trigger struct {
	Phrase   string // lower case, matched on word boundaries
	Type     string
	Sub      string
	Strength float64 // how surely the phrase names an event of that type
}

// eventHit is one trigger found in a sentence.
type eventHit struct {
	trigger
	Start int // byte offset in the sentence
}

// eventRules matches event wording to ACLED event and sub-event types.
type eventRules struct {
	triggers []trigger
	byFirst  map[string][]int // first word -> trigger indexes
}

func newEventRules() *eventRules {
	E, B, V, P, R, S := incident.ExplosionsRemoteViolence, incident.Battles, incident.ViolenceAgainstCivilians,
		incident.Protests, incident.Riots, incident.StrategicDevelopments
	ts := []trigger{
		// Explosions/Remote violence.
		{"airstrike", E, "Air/drone strike", 3}, {"airstrikes", E, "Air/drone strike", 3},
		{"air strike", E, "Air/drone strike", 3}, {"strike", E, "Air/drone strike", 1.2}, {"strikes", E, "Air/drone strike", 1.2}, {"air strikes", E, "Air/drone strike", 3},
		{"air raid", E, "Air/drone strike", 2}, {"air raids", E, "Air/drone strike", 2},
		{"drone strike", E, "Air/drone strike", 3}, {"drone strikes", E, "Air/drone strike", 3},
		{"drone attack", E, "Air/drone strike", 3}, {"drones", E, "Air/drone strike", 2}, {"drone", E, "Air/drone strike", 2},
		{"warplane", E, "Air/drone strike", 2}, {"warplanes", E, "Air/drone strike", 2}, {"bombing campaign", E, "Air/drone strike", 2},
		{"air campaign", E, "Air/drone strike", 2}, {"helicopter gunship", E, "Air/drone strike", 2},
		{"bombed", E, "Air/drone strike", 1.5}, {"bombardment", E, "Shelling/artillery/missile attack", 2},
		{"shelling", E, "Shelling/artillery/missile attack", 3}, {"shelled", E, "Shelling/artillery/missile attack", 3},
		{"artillery", E, "Shelling/artillery/missile attack", 2}, {"mortar", E, "Shelling/artillery/missile attack", 2},
		{"mortars", E, "Shelling/artillery/missile attack", 2}, {"rocket attack", E, "Shelling/artillery/missile attack", 3},
		{"rockets", E, "Shelling/artillery/missile attack", 2}, {"missile", E, "Shelling/artillery/missile attack", 2},
		{"missiles", E, "Shelling/artillery/missile attack", 2}, {"missile strike", E, "Shelling/artillery/missile attack", 3},
		{"suicide bomber", E, "Suicide bomb", 4}, {"suicide bombers", E, "Suicide bomb", 4}, {"suicide bombing", E, "Suicide bomb", 4},
		{"suicide attack", E, "Suicide bomb", 4}, {"suicide car bomb", E, "Suicide bomb", 4}, {"blew himself up", E, "Suicide bomb", 4},
		{"blew herself up", E, "Suicide bomb", 4}, {"suicide vest", E, "Suicide bomb", 4},
		{"car bomb", E, "Remote explosive/landmine/IED", 3}, {"roadside bomb", E, "Remote explosive/landmine/IED", 3},
		{"ied", E, "Remote explosive/landmine/IED", 3}, {"improvised explosive", E, "Remote explosive/landmine/IED", 3},
		{"explosive device", E, "Remote explosive/landmine/IED", 3}, {"landmine", E, "Remote explosive/landmine/IED", 3},
		{"land mine", E, "Remote explosive/landmine/IED", 3}, {"bomb", E, "Remote explosive/landmine/IED", 2},
		{"bombs", E, "Remote explosive/landmine/IED", 2}, {"bombing", E, "Remote explosive/landmine/IED", 2},
		{"bombings", E, "Remote explosive/landmine/IED", 2}, {"blast", E, "Remote explosive/landmine/IED", 2.5},
		{"blasts", E, "Remote explosive/landmine/IED", 2.5}, {"explosion", E, "Remote explosive/landmine/IED", 2.5},
		{"explosions", E, "Remote explosive/landmine/IED", 2.5}, {"exploded", E, "Remote explosive/landmine/IED", 2.5},
		{"blown up", E, "Remote explosive/landmine/IED", 2.5}, {"blew up", E, "Remote explosive/landmine/IED", 2.5},
		{"explosives", E, "Remote explosive/landmine/IED", 2}, {"detonated", E, "Remote explosive/landmine/IED", 2.5},
		{"grenade", E, "Grenade", 3}, {"grenades", E, "Grenade", 3},
		// Battles.
		{"clash", B, "Armed clash", 2.5}, {"clashes", B, "Armed clash", 2.5}, {"clashed", B, "Armed clash", 2.5},
		{"fighting", B, "Armed clash", 2}, {"gunfight", B, "Armed clash", 3}, {"firefight", B, "Armed clash", 3},
		{"gun battle", B, "Armed clash", 3}, {"exchange of fire", B, "Armed clash", 3}, {"shootout", B, "Armed clash", 3},
		{"encounter", B, "Armed clash", 1.5}, {"battle", B, "Armed clash", 2}, {"battles", B, "Armed clash", 2},
		{"raid", B, "Armed clash", 2}, {"raids", B, "Armed clash", 1.5}, {"raided", V, "Attack", 2}, {"ambush", B, "Armed clash", 2.5},
		{"ambushed", B, "Armed clash", 2.5}, {"offensive", B, "Armed clash", 1.5}, {"repelled", B, "Armed clash", 2.5},
		{"fought", B, "Armed clash", 2}, {"engaged", B, "Armed clash", 1}, {"stormed", B, "Armed clash", 2},
		{"police station", B, "Armed clash", 1}, {"checkpoint", B, "Armed clash", 1}, {"military base", B, "Armed clash", 1},
		{"army base", B, "Armed clash", 1}, {"army post", B, "Armed clash", 1},
		{"claimed control", B, "Non-state actor overtakes territory", 3}, {"seized control", B, "Non-state actor overtakes territory", 3},
		{"took control", B, "Non-state actor overtakes territory", 2.5}, {"overran", B, "Non-state actor overtakes territory", 3},
		{"captured the town", B, "Non-state actor overtakes territory", 3}, {"recaptured", B, "Government regains territory", 3},
		{"retook", B, "Government regains territory", 3}, {"regained control", B, "Government regains territory", 3},
		// Violence against civilians.
		{"massacre", V, "Attack", 3}, {"massacred", V, "Attack", 3}, {"abducted", V, "Abduction/forced disappearance", 3},
		{"kidnapped", V, "Abduction/forced disappearance", 3}, {"abduction", V, "Abduction/forced disappearance", 2.5},
		{"kidnapping", V, "Abduction/forced disappearance", 2.5}, {"raped", V, "Sexual violence", 3},
		{"sexual violence", V, "Sexual violence", 3}, {"executed", V, "Attack", 2}, {"beheaded", V, "Attack", 3},
		{"gunmen", V, "Attack", 1.5}, {"herdsmen", V, "Attack", 1.5}, {"bandits", V, "Attack", 1.5},
		{"attacked", V, "Attack", 2}, {"attack", V, "Attack", 1.2}, {"attacks", V, "Attack", 1},
		{"opened fire", V, "Attack", 1.5}, {"shot dead", V, "Attack", 1.5}, {"killed", V, "Attack", 0.5},
		{"killing", V, "Attack", 0.5}, {"stabbed", V, "Attack", 2}, {"struck", V, "Attack", 2}, {"onslaught", V, "Attack", 2}, {"shot", V, "Attack", 1.5},
		{"assault", B, "Armed clash", 2}, {"gunfire", B, "Armed clash", 1.5}, {"butchered", V, "Attack", 3}, {"slaughtered", V, "Attack", 3}, {"gunned", V, "Attack", 2}, {"hacked", V, "Attack", 2}, {"set ablaze", V, "Attack", 1},
		{"burnt", V, "Attack", 0.7}, {"burned", V, "Attack", 0.7}, {"targeted", V, "Attack", 0.7},
		// Protests and riots.
		{"protest", P, "Peaceful protest", 2.5}, {"protests", P, "Peaceful protest", 2.5}, {"protesters", P, "Peaceful protest", 2.5},
		{"protestors", P, "Peaceful protest", 2.5}, {"protested", P, "Peaceful protest", 2.5}, {"demonstrators", P, "Peaceful protest", 2.5},
		{"demonstration", P, "Peaceful protest", 2.5}, {"demonstrations", P, "Peaceful protest", 2.5}, {"rally", P, "Peaceful protest", 2},
		{"sit-in", P, "Peaceful protest", 2}, {"marched", P, "Peaceful protest", 1.5}, {"tear gas", P, "Protest with intervention", 2},
		{"teargas", P, "Protest with intervention", 2}, {"dispersed", P, "Protest with intervention", 1.5}, {"disperse", P, "Protest with intervention", 1.5},
		{"water cannon", P, "Protest with intervention", 2}, {"break up", P, "Protest with intervention", 1.5},
		{"broke up", P, "Protest with intervention", 1.5}, {"batons", P, "Protest with intervention", 1.5},
		{"riot", R, "Violent demonstration", 3}, {"riots", R, "Violent demonstration", 3}, {"rioters", R, "Violent demonstration", 3},
		{"rioting", R, "Violent demonstration", 3}, {"mob", R, "Mob violence", 3}, {"irate", R, "Mob violence", 2},
		{"angry crowd", R, "Mob violence", 3}, {"pelted", R, "Violent demonstration", 2.5}, {"stone pelting", R, "Violent demonstration", 3},
		{"stone-pelting", R, "Violent demonstration", 3}, {"torched", R, "Violent demonstration", 2}, {"vandalised", R, "Violent demonstration", 2},
		{"vandalized", R, "Violent demonstration", 2}, {"ransacked", R, "Violent demonstration", 2}, {"lynched", R, "Mob violence", 3},
		{"villagers attacked", R, "Mob violence", 2}, {"blocked the road", R, "Violent demonstration", 1.5},
		// Strategic developments.
		{"withdrew", S, "Non-violent transfer of territory", 2}, {"withdrawn", S, "Non-violent transfer of territory", 1.5},
		{"withdrawal", S, "Non-violent transfer of territory", 1}, {"re-entered", S, "Non-violent transfer of territory", 3},
		{"without a fight", S, "Non-violent transfer of territory", 6}, {"without resistance", S, "Non-violent transfer of territory", 6},
		{"without a battle", S, "Non-violent transfer of territory", 6}, {"without encountering resistance", S, "Non-violent transfer of territory", 6},
		{"without any resistance", S, "Non-violent transfer of territory", 6}, {"without firing a shot", S, "Non-violent transfer of territory", 6},
		{"abandoned", S, "Non-violent transfer of territory", 1.5}, {"arrested", S, "Arrests", 2}, {"arrests", S, "Arrests", 1.5},
		{"defused", S, "Disrupted weapons use", 3}, {"ceasefire", S, "Agreement", 1.5}, {"surrendered", S, "Change to group/activity", 2},
	}
	r := &eventRules{triggers: ts, byFirst: map[string][]int{}}
	for i, t := range ts {
		first, _, _ := strings.Cut(t.Phrase, " ")
		r.byFirst[first] = append(r.byFirst[first], i)
	}
	return r
}

// find returns the triggers in a tokenized sentence, the longest phrase at
// each word.
func (r *eventRules) find(toks []token, sentenceStart int) []eventHit {
	var out []eventHit
	for i := 0; i < len(toks); i++ {
		idx := r.byFirst[toks[i].Lower]
		best, bestLen := -1, 0
		for _, ti := range idx {
			words := strings.Split(r.triggers[ti].Phrase, " ")
			if i+len(words) > len(toks) {
				continue
			}
			ok := true
			for k, w := range words {
				if toks[i+k].Lower != w {
					ok = false
					break
				}
			}
			if ok && len(words) > bestLen {
				best, bestLen = ti, len(words)
			}
		}
		if best >= 0 {
			t := r.triggers[best]
			out = append(out, eventHit{trigger: t, Start: toks[i].Start - sentenceStart})
			// An assault on a village, a market or a school is violence
			// against civilians, whatever verb names it.
			if (t.Type == incident.Battles && t.Sub == "Armed clash" || t.Type == incident.ViolenceAgainstCivilians && t.Sub == "Attack") &&
				civilianTarget(toks, i+bestLen) {
				out = append(out, eventHit{trigger: trigger{Phrase: t.Phrase, Type: incident.ViolenceAgainstCivilians, Sub: "Attack", Strength: 2.5},
					Start: toks[i].Start - sentenceStart})
			}
			i += bestLen - 1
		}
	}
	return out
}

// violent reports whether the hits name a violent or newsworthy event
// strongly enough to make an incident of a sentence.
func violent(hits []eventHit, counts []count) bool {
	score := 0.0
	for _, h := range hits {
		score += h.Strength
	}
	for _, c := range counts {
		if !c.Injured && c.Value > 0 {
			score += 1.5
		}
		if c.Update {
			score += 1 // "the death toll rose to 14": about the event
		}
	}
	return score >= 2
}

// classify picks the event type and sub-event type of an incident from the
// weighted triggers of its sentences and who the victims were. weights are
// per sentence (the sentence that states the event counts most).
func classify(hits [][]eventHit, weights []float64, victims map[int]int) (string, string) {
	score := map[string]float64{}
	sub := map[string]map[string]float64{}
	for i, hs := range hits {
		for _, h := range hs {
			score[h.Type] += h.Strength * weights[i]
			if sub[h.Type] == nil {
				sub[h.Type] = map[string]float64{}
			}
			sub[h.Type][h.Sub] += h.Strength * weights[i]
		}
	}
	// Explosive words name the means; when they are there at strength the
	// event is remote violence whoever died.
	types := []string{incident.ExplosionsRemoteViolence, incident.Battles, incident.ViolenceAgainstCivilians,
		incident.Protests, incident.Riots, incident.StrategicDevelopments}
	// Victims shift generic attacks: armed victims make a battle, civilian
	// victims violence against civilians.
	if victims[victimArmed] > 0 && victims[victimCivilian] == 0 {
		score[incident.Battles] += score[incident.ViolenceAgainstCivilians] * 0.8
		score[incident.ViolenceAgainstCivilians] *= 0.2
		if sub[incident.Battles] == nil {
			sub[incident.Battles] = map[string]float64{"Armed clash": 0.1}
		}
	} else if victims[victimCivilian] > 0 && victims[victimArmed] == 0 {
		score[incident.ViolenceAgainstCivilians] += 1.5
		score[incident.Battles] *= 0.7
	}
	// Protesters killed: excessive force, still a protest event.
	if score[incident.Protests] > 0 && victims[victimCivilian]+victims[victimGeneral] > 0 && score[incident.Protests] >= score[incident.ViolenceAgainstCivilians] {
		if sub[incident.Protests] == nil {
			sub[incident.Protests] = map[string]float64{}
		}
		sub[incident.Protests]["Excessive force against protesters"] += 100
	}
	best, bestScore := "", 0.0
	for _, t := range types {
		if score[t] > bestScore {
			best, bestScore = t, score[t]
		}
	}
	// ACLED codes the means before the target: a bomb or a strike that
	// kills civilians is remote violence, not violence against civilians,
	// when explosives are a real part of the story.
	if e := score[incident.ExplosionsRemoteViolence]; e > 0 && best != incident.ExplosionsRemoteViolence && e >= 0.35*bestScore {
		best = incident.ExplosionsRemoteViolence
	}
	if best == "" {
		return "", ""
	}
	// Any sign of intervention makes a protest one with intervention.
	if best == incident.Protests && sub[best]["Protest with intervention"] > 0 && sub[best]["Excessive force against protesters"] == 0 {
		sub[best]["Protest with intervention"] += 100
	}
	bestSub, subScore := "", -1.0
	for _, s := range incident.SubEventTypes()[best] {
		if v, ok := sub[best][s]; ok && v > subScore {
			bestSub, subScore = s, v
		}
	}
	return best, bestSub
}

// civilianTarget reports a civilian place or group among the few words
// after a verb of attack: "stormed the village of", "raided a market".
func civilianTarget(toks []token, from int) bool {
	for k := from; k < len(toks) && k < from+5; k++ {
		switch toks[k].Lower {
		case "village", "villages", "community", "communities", "market", "church", "mosque", "school", "hospital",
			"wedding", "funeral", "bus", "homes", "houses", "camp", "worshippers", "villagers", "civilians", "residents",
			"farmers", "passengers", "students", "displaced":
			return true
		}
		switch toks[k].Lower {
		case "by", "with", "in", "at", "near", "on", "of", "outside", "post", "checkpoint", "base", "barracks", "convoy",
			"patrol", "soldiers", "troops", "police", "army", "military", "station":
			// The object ends at a preposition ("a security post in the
			// village"); armed targets make a battle.
			return false
		}
		if toks[k].Punct {
			return false
		}
	}
	return false
}
