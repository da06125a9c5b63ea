package interchange

import (
	"fmt"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// eventTypes resolves event and sub-event type spellings to ACLED's current
// vocabulary, case-insensitively.
type eventTypes struct {
	types map[string]string            // lower-case → canonical event type
	subs  map[string]map[string]string // canonical type → lower-case sub → canonical
	// legacy maps the event types of ACLED exports before 2019 to the
	// current type and, where it is implied, sub-event type.
	legacy map[string][2]string
}

func newEventTypes() *eventTypes {
	e := &eventTypes{types: map[string]string{}, subs: map[string]map[string]string{}}
	for t, subs := range incident.SubEventTypes() {
		e.types[strings.ToLower(t)] = t
		m := map[string]string{}
		for _, s := range subs {
			m[strings.ToLower(s)] = s
		}
		e.subs[t] = m
	}
	e.legacy = map[string][2]string{
		"battle-no change of territory":              {incident.Battles, "Armed clash"},
		"battle-government regains territory":        {incident.Battles, "Government regains territory"},
		"battle-non-state actor overtakes territory": {incident.Battles, "Non-state actor overtakes territory"},
		"battle":                            {incident.Battles, ""},
		"remote violence":                   {incident.ExplosionsRemoteViolence, ""},
		"explosions":                        {incident.ExplosionsRemoteViolence, ""},
		"riots/protests":                    {incident.Protests, ""}, // the old type merged both; protests are the larger share
		"protest":                           {incident.Protests, ""},
		"riot":                              {incident.Riots, ""},
		"strategic development":             {incident.StrategicDevelopments, ""},
		"headquarters or base established":  {incident.StrategicDevelopments, "Headquarters or base established"},
		"non-violent transfer of territory": {incident.StrategicDevelopments, "Non-violent transfer of territory"},
		"violence against civilian":         {incident.ViolenceAgainstCivilians, ""},
	}
	return e
}

// resolve returns the canonical event and sub-event types, or an error
// naming the column at fault.
func (e *eventTypes) resolve(eventType, sub string) (string, string, string, error) {
	et := strings.TrimSpace(eventType)
	st := strings.TrimSpace(sub)
	if et == "" {
		if st != "" {
			return "", "", "sub_event_type", fmt.Errorf("%q given without an event type", st)
		}
		return "", "", "", nil
	}
	canon, ok := e.types[strings.ToLower(et)]
	legacySub := ""
	if !ok {
		l, lok := e.legacy[strings.ToLower(et)]
		if !lok {
			return "", "", "event_type", fmt.Errorf("%q is not an ACLED event type (%s)", et, strings.Join(incident.EventTypes(), ", "))
		}
		canon, legacySub = l[0], l[1]
	}
	if st == "" {
		return canon, legacySub, "", nil
	}
	cs, ok := e.subs[canon][strings.ToLower(st)]
	if !ok {
		return "", "", "sub_event_type", fmt.Errorf("%q is not a sub-event type of %q", st, canon)
	}
	return canon, cs, "", nil
}
