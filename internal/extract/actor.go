package extract

import (
	"regexp"
	"strings"
)

// actorRules finds the armed groups, forces and crowds an incident names.
type actorRules struct {
	groups  *regexp.Regexp // known armed groups, by name
	forces  *regexp.Regexp // "Afghan forces", "US-Afghan joint raid", "the military"
	generic *regexp.Regexp // "gunmen", "herdsmen", "protesters"
	canon   map[string]string
}

// actorMention is an actor named in a sentence.
type actorMention struct {
	Name   string
	Start  int
	Agent  bool // "by X", "X attacked": the one who acted
	Target bool // "on X", "against X", "X were killed"
	State  bool
}

func newActorRules() *actorRules {
	canon := map[string]string{
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
	var names []string
	for k := range canon {
		names = append(names, regexp.QuoteMeta(k))
	}
	// Longest first so that "islamic state west africa province" beats "islamic state".
	sortByLenDesc(names)
	return &actorRules{
		groups:  regexp.MustCompile(`(?i)\b(` + strings.Join(names, "|") + `)\b`),
		forces:  regexp.MustCompile(`\b((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+)?(?:joint\s+)?(?:[Ss]ecurity forces|[Aa]rmy|[Aa]rmed [Ff]orces|[Ff]orces|[Tt]roops|[Mm]ilitary|[Pp]olice|[Ss]oldiers|[Ss]pecial [Ff]orces|[Aa]ir [Ff]orce))\b`),
		generic: regexp.MustCompile(`(?i)\b(gunmen|herdsmen|bandits|militants|insurgents|rebels|jihadists|protesters|protestors|demonstrators|rioters|mob|assailants|attackers|villagers|students)\b`),
		canon:   canon,
	}
}

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// find returns the actors named in a sentence, in text order.
func (a *actorRules) find(s string) []actorMention {
	var out []actorMention
	seen := map[int]bool{}
	add := func(name string, start int, state bool) {
		if seen[start] {
			return
		}
		seen[start] = true
		m := actorMention{Name: name, Start: start, State: state}
		before := strings.ToLower(s[max(0, start-12):start])
		switch {
		case strings.HasSuffix(before, "by "), strings.HasSuffix(before, "by the "):
			m.Agent = true
		case strings.HasSuffix(before, "against "), strings.HasSuffix(before, "against the "),
			strings.HasSuffix(before, "on "), strings.HasSuffix(before, "on a "), strings.HasSuffix(before, "on the "):
			m.Target = true
		}
		out = append(out, m)
	}
	for _, m := range a.groups.FindAllStringIndex(s, -1) {
		w := s[m[0]:m[1]]
		// Short upper-case acronyms must be written in capitals.
		if len(w) <= 4 && w != strings.ToUpper(w) {
			continue
		}
		add(a.canon[strings.ToLower(w)], m[0], false)
	}
	for _, m := range a.forces.FindAllStringIndex(s, -1) {
		name := strings.TrimSpace(s[m[0]:m[1]])
		first, _, _ := strings.Cut(name, " ")
		if first == "The" || first == "Some" || first == "Two" || first == "Local" || first == "Government" && false {
			name = strings.TrimSpace(strings.TrimPrefix(name, first))
		}
		add(name, m[0], true)
	}
	for _, m := range a.generic.FindAllStringIndex(s, -1) {
		w := strings.ToLower(s[m[0]:m[1]])
		name := map[string]string{"gunmen": "Unidentified armed group", "herdsmen": "Herdsmen militia", "bandits": "Bandits",
			"protesters": "Protesters", "protestors": "Protesters", "demonstrators": "Protesters", "rioters": "Rioters",
			"mob": "Rioters", "villagers": "Civilians", "students": "Civilians"}[w]
		if name == "" {
			name = "Unidentified armed group"
		}
		add(name, m[0], false)
	}
	sortActors(out)
	return out
}

func sortActors(a []actorMention) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].Start < a[j-1].Start; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
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
		if m.Name == a1 {
			continue
		}
		if a1 == "" {
			a1 = m.Name
			continue
		}
		if a2 == "" {
			a2 = m.Name
		}
	}
	return a1, a2
}
