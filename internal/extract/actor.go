package extract

import "strings"

// actorRules finds the armed groups, forces and crowds an incident names.
// It matches on tokens, not regular expressions: the name lists are long
// and run over every sentence that reports an event.
type actorRules struct {
	groups  map[string]string // lower-case name (1-5 words) -> canonical actor name
	maxLen  int               // most words in a group name
	forces  map[string]bool   // "forces", "army", "police"...: state actors, with the word before them
	generic map[string]string // "gunmen", "herdsmen"...: unnamed actors
	// facility words after "police" or "army" name a place or a
	// spokesman, not an actor: "a police compound", "an army base".
	facility map[string]bool
	// agentVerbs after an actor make it the one who acted; passiveHarm
	// after "were" the one acted on.
	agentVerbs, passiveHarm map[string]bool
	// matchers find an actor at a token, tried in order: a named group,
	// state forces, a generic actor.
	matchers []func(*actorRules, []token, int) (actorMatch, bool)
}

// actorMention is an actor named in a sentence.
type actorMention struct {
	Name   string
	Kind   string // actorGroup, actorForces, actorCrowd or actorCivilians
	Agent  bool   // "by X", "X attacked": the one who acted
	Victim bool   // "X were killed": the one acted on
}

func newActorRules() *actorRules {
	groups := map[string]string{
		"taliban": "Taliban", "al-qaeda": "al-Qaeda", "al qaeda": "al-Qaeda", "aqis": "al-Qaeda in the Indian Subcontinent",
		"islamic state": "Islamic State", "isis": "Islamic State", "isil": "Islamic State", "daesh": "Islamic State",
		"iswap": "Islamic State West Africa Province", "boko haram": "Boko Haram", "al-shabaab": "al-Shabaab",
		"al shabaab": "al-Shabaab", "shabaab": "al-Shabaab", "adf": "Allied Democratic Forces",
		"allied democratic forces": "Allied Democratic Forces", "rsf": "Rapid Support Forces", "rapid support forces": "Rapid Support Forces",
		"saf": "Sudanese Armed Forces", "sudanese armed forces": "Sudanese Armed Forces", "npa": "New People's Army",
		"new people's army": "New People's Army", "pkk": "PKK", "houthis": "Houthis", "houthi": "Houthis", "ansar allah": "Houthis",
		"hamas": "Hamas", "hezbollah": "Hezbollah", "islamic jihad": "Islamic Jihad", "jnim": "JNIM", "wagner": "Wagner Group",
		"fano": "Fano", "oromo liberation army": "Oromo Liberation Army", "ola": "Oromo Liberation Army", "ttp": "Tehreek-e-Taliban Pakistan",
		"tehreek-e-taliban pakistan": "Tehreek-e-Taliban Pakistan", "m23": "M23", "codeco": "CODECO", "fulani herdsmen": "Fulani ethnic militia",
		"fulani": "Fulani ethnic militia", "lashkar-e-taiba": "Lashkar-e-Taiba", "jaish-e-mohammed": "Jaish-e-Mohammed",
		"hizbul mujahideen": "Hizbul Mujahideen", "maoists": "Maoist rebels", "naxals": "Maoist rebels", "amisom": "AMISOM",
		"sna": "Military Forces of Somalia", "nds": "National Directorate of Security", "ambazonian": "Ambazonian separatists",
		"separatists": "Separatists", "anti-balaka": "Anti-Balaka", "upc": "UPC", "3r": "3R", "cartel": "Cartel",
		"g9": "G9 gang coalition", "gangs": "Gangs", "gang": "Gangs", "settlers": "Settlers",
	}
	r := &actorRules{matchers: []func(*actorRules, []token, int) (actorMatch, bool){(*actorRules).groupAt, (*actorRules).forcesAt, (*actorRules).genericAt},
		groups: groups,
		forces: map[string]bool{"forces": true, "army": true, "troops": true, "military": true, "police": true, "soldiers": true, "policemen": true},
		generic: map[string]string{"gunmen": "Unidentified armed group", "herdsmen": "Herdsmen militia", "bandits": "Bandits",
			"militants": "Unidentified armed group", "insurgents": "Unidentified armed group", "rebels": "Rebels",
			"jihadists": "Unidentified armed group", "protesters": "Protesters", "protestors": "Protesters",
			"demonstrators": "Protesters", "rioters": "Rioters", "mob": "Rioters", "assailants": "Unidentified armed group",
			"attackers": "Unidentified armed group", "villagers": "Civilians", "students": "Civilians"},
	}
	r.facility = map[string]bool{"compound": true, "station": true, "post": true, "academy": true, "headquarters": true,
		"base": true, "camp": true, "checkpoint": true, "vehicle": true, "vehicles": true, "convoy": true, "barracks": true,
		"chief": true, "spokesman": true, "spokesperson": true, "official": true, "officials": true, "source": true, "sources": true,
		"statement": true, "said": true}
	set := func(ws string) map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(ws) {
			m[w] = true
		}
		return m
	}
	r.agentVerbs = set(`attacked attack stormed ambushed opened shot killed kill abducted kidnapped raided fired clashed torched
		burned burnt set launched detonated hurled threw beat assaulted stabbed hacked looted seized captured overran shelled
		bombed struck targeted executed lynched vandalised vandalized`)
	r.passiveHarm = set(`killed wounded injured shot attacked abducted kidnapped ambushed targeted beaten arrested`)
	for k := range groups {
		r.maxLen = max(r.maxLen, len(strings.Fields(k)))
	}
	return r
}

// actorMatch is an actor named at a token: its name and kind, the tokens
// [start, end) that name it, and the token the search goes on from.
type actorMatch struct {
	name, kind       string
	start, end, next int
}

// find returns the actors named in a tokenized sentence, in text order:
// at each token, the first of a named group, state forces or a generic
// actor ("gunmen") that matches there.
func (a *actorRules) find(toks []token) []actorMention {
	var out []actorMention
	for i := 0; i < len(toks); i++ {
		if toks[i].Punct {
			continue
		}
		for _, at := range a.matchers {
			if m, ok := at(a, toks, i); ok {
				out = append(out, a.mention(toks, m))
				i = m.next - 1
				break
			}
		}
	}
	return out
}

// mention says whether the actor acted or was acted on: "by X", "X
// attacked", "X were killed".
func (a *actorRules) mention(toks []token, m actorMatch) actorMention {
	am := actorMention{Name: m.name, Kind: m.kind}
	if i := m.start; i > 0 {
		prev := toks[i-1].Lower
		am.Agent = prev == "by" || prev == "the" && i > 1 && toks[i-2].Lower == "by"
	}
	am.Victim = !am.Agent && a.sufferedNext(toks, m.end)
	am.Agent = am.Agent || !am.Victim && a.actsNext(toks, m.end)
	return am
}

// groupAt matches the longest named group starting at token i. Short
// acronyms must be written in capitals ("IS" the group, not "is").
func (a *actorRules) groupAt(toks []token, i int) (actorMatch, bool) {
	t := toks[i]
	matched := 0
	key := ""
	for n := 1; n <= a.maxLen && i+n <= len(toks); n++ {
		if n == 1 {
			key = toks[i].Lower
		} else {
			key += " " + toks[i+n-1].Lower
		}
		if _, ok := a.groups[key]; ok {
			if n == 1 && len(t.Text) <= 4 && !t.AllCap && !t.Num {
				continue
			}
			matched = n
		}
	}
	if matched == 0 {
		return actorMatch{}, false
	}
	return actorMatch{name: a.groups[joinLower(toks, i, i+matched)], kind: actorGroup, start: i, end: i + matched, next: i + matched}, true
}

// forcesAt matches state forces at token i ("police", "Kenyan police
// officers", "security forces"), not a facility named after them ("police
// station").
func (a *actorRules) forcesAt(toks []token, i int) (actorMatch, bool) {
	t := toks[i]
	if !a.forces[t.Lower] || i+1 < len(toks) && a.facility[toks[i+1].Lower] {
		return actorMatch{}, false
	}
	name := strings.ToUpper(t.Text[:1]) + t.Text[1:]
	start := i
	if i > 0 && toks[i-1].Cap && !toks[i-1].Punct && toks[i-1].Lower != "the" && numberWordValue(toks[i-1].Lower) < 0 {
		name = toks[i-1].Text + " " + t.Lower
		start = i - 1
	}
	if i > 0 && toks[i-1].Lower == "security" {
		name = "Security forces"
		start = i - 1
	}
	end := i + 1
	for end < len(toks) && a.forces[toks[end].Lower] || end < len(toks) && (toks[end].Lower == "officers" || toks[end].Lower == "personnel") {
		end++ // "police officers", "army troops"
	}
	return actorMatch{name: name, kind: actorForces, start: start, end: end, next: end}, true
}

// genericAt matches a generic actor at token i ("gunmen", "gunmen on
// motorcycles").
func (a *actorRules) genericAt(toks []token, i int) (actorMatch, bool) {
	g, ok := a.generic[toks[i].Lower]
	if !ok {
		return actorMatch{}, false
	}
	end := i + 1
	for end < len(toks) && (toks[end].Lower == "on" || toks[end].Lower == "in") && end+1 < len(toks) && !toks[end+1].Punct && end < i+3 {
		end += 2 // "gunmen on motorcycles attacked"
	}
	// The words after it are read again: "gunmen in police uniform" also
	// names police.
	return actorMatch{name: g, kind: genericKind(g), start: i, end: end, next: i + 1}, true
}

// actsNext reports an active verb of attack right after an actor ("gunmen
// attacked", "troops opened fire"): the actor is the one who acted.
func (a *actorRules) actsNext(toks []token, end int) bool {
	if end < len(toks) && (toks[end].Lower == "were" || toks[end].Lower == "was") {
		return false // passive: "police were attacked"
	}
	for k := end; k < len(toks) && k < end+2; k++ {
		if a.agentVerbs[toks[k].Lower] {
			return true
		}
	}
	return false
}

// sufferedNext reports a passive verb of harm right after an actor ("police
// officers were killed"): the actor was acted on.
func (a *actorRules) sufferedNext(toks []token, end int) bool {
	return end+1 < len(toks) && (toks[end].Lower == "were" || toks[end].Lower == "was") && a.passiveHarm[toks[end+1].Lower]
}

// pickActors chooses actor1 (who acted) and actor2 (who was acted on) from
// the mentions of an incident's sentences, first sentence first.
func pickActors(ms []actorMention) (string, string) {
	var a1, a2 string
	for _, m := range ms {
		if m.Agent && a1 == "" {
			a1 = m.Name
		}
	}
	for _, m := range ms {
		if m.Victim && a2 == "" && m.Name != a1 {
			a2 = m.Name
		}
	}
	for _, m := range ms {
		if m.Name == a1 {
			continue
		}
		if a1 == "" && !m.Victim {
			a1 = m.Name
			continue
		}
		if a2 == "" {
			a2 = m.Name
		}
	}
	return a1, a2
}

// The kinds of actor, by what ACLED's event types turn on: who fought whom,
// and whether the crowd or the victims were armed.
const (
	actorGroup     = "group"     // a named or unnamed armed group
	actorForces    = "forces"    // the state's army or police
	actorCrowd     = "crowd"     // protesters, rioters, a mob
	actorCivilians = "civilians" // villagers, students
)

// genericKind is the kind of an unnamed actor's canonical name.
func genericKind(name string) string {
	switch name {
	case "Protesters", "Rioters":
		return actorCrowd
	case "Civilians":
		return actorCivilians
	}
	return actorGroup
}
