package interchange

import (
	"fmt"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// legacyType is how one event type name of ACLED's exports before 2016
// (and the spellings real files give it) maps to today's event type and,
// where the old name implies it, sub-event type.
type legacyType struct {
	names     []string // as written in old exports; matched by typeKey
	eventType string
	sub       string // "" when the old type does not tell
}

// legacyTypes lists every pre-2016 ACLED event type. "Riots/Protests" is
// absent: it is split by the actors (see riotOrProtest).
var legacyTypes = []legacyType{
	{[]string{"Battle-No change of territory", "Battle-No change in territory", "Battles-No change of territory"},
		incident.Battles, "Armed clash"},
	{[]string{"Battle-Government regains territory", "Battles-Government regains territory"},
		incident.Battles, "Government regains territory"},
	{[]string{"Battle-Non-state actor overtakes territory", "Battle-Non-state actors overtake territory",
		"Battles-Non-state actor overtakes territory", "Battle-Non state actor overtakes territory"},
		incident.Battles, "Non-state actor overtakes territory"},
	{[]string{"Battle"}, incident.Battles, ""},
	{[]string{"Remote violence", "Explosions"}, incident.ExplosionsRemoteViolence, ""},
	{[]string{"Violence against civilian"}, incident.ViolenceAgainstCivilians, ""},
	{[]string{"Strategic development"}, incident.StrategicDevelopments, ""},
	{[]string{"Headquarters or base established", "Headquarters or base establishment"},
		incident.StrategicDevelopments, "Headquarters or base established"},
	{[]string{"Non-violent transfer of territory", "Non-violent activity"},
		incident.StrategicDevelopments, "Non-violent transfer of territory"},
	{[]string{"Protest"}, incident.Protests, ""},
	{[]string{"Riot"}, incident.Riots, ""},
}

// riotsProtestsKey is the typeKey of the old combined type.
var riotsProtestsKey = typeKey("Riots/Protests")

// typeKey folds an event type name for matching: lower case, letters and
// digits only, one space between words, so "Battle - Non-state actors
// overtake territory" and "battle-non-state actors overtake territory" meet.
func typeKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}), " ")
}

// eventTypes resolves event and sub-event type spellings to ACLED's current
// vocabulary, case-insensitively.
type eventTypes struct {
	types  map[string]string            // typeKey → canonical event type
	subs   map[string]map[string]string // canonical type → typeKey of sub → canonical
	legacy map[string]legacyType        // typeKey of an old name → its mapping
}

func newEventTypes() *eventTypes {
	e := &eventTypes{types: map[string]string{}, subs: map[string]map[string]string{}, legacy: map[string]legacyType{}}
	for t, subs := range incident.SubEventTypes() {
		e.types[typeKey(t)] = t
		m := map[string]string{}
		for _, s := range subs {
			m[typeKey(s)] = s
		}
		e.subs[t] = m
	}
	for _, l := range legacyTypes {
		for _, n := range l.names {
			e.legacy[typeKey(n)] = l
		}
	}
	return e
}

// resolve returns the canonical event and sub-event types, or an error
// naming the column at fault. actor1 and inter1 decide what an old
// "Riots/Protests" row was.
func (e *eventTypes) resolve(eventType, sub, actor1, inter1 string) (string, string, string, error) {
	et := strings.TrimSpace(eventType)
	st := strings.TrimSpace(sub)
	if et == "" {
		if st != "" {
			return "", "", "sub_event_type", fmt.Errorf("%q given without an event type", st)
		}
		return "", "", "", nil
	}
	key := typeKey(et)
	canon, ok := e.types[key]
	legacySub := ""
	switch {
	case ok:
	case key == riotsProtestsKey:
		canon = riotOrProtest(actor1, inter1)
	default:
		l, lok := e.legacy[key]
		if !lok {
			return "", "", "event_type", fmt.Errorf("%q is not an ACLED event type (%s, or an older name such as Remote violence)", et, strings.Join(incident.EventTypes(), ", "))
		}
		canon, legacySub = l.eventType, l.sub
	}
	if st == "" {
		return canon, legacySub, "", nil
	}
	cs, ok := e.subs[canon][typeKey(st)]
	if !ok {
		return "", "", "sub_event_type", fmt.Errorf("%q is not a sub-event type of %q", st, canon)
	}
	return canon, cs, "", nil
}

// riotOrProtest reads an old "Riots/Protests" row as ACLED split the type
// in 2019: rioters (inter code 5, or an actor named "Rioters (…)") make a
// riot, anything else a protest, the larger share of the old type.
func riotOrProtest(actor1, inter1 string) string {
	a := strings.ToLower(strings.TrimSpace(actor1))
	i := strings.ToLower(strings.TrimSpace(inter1))
	if i == "5" || i == "rioters" || strings.HasPrefix(a, "rioters") {
		return incident.Riots
	}
	return incident.Protests
}
