package extract

import (
	"strings"
	"testing"
)

// Each kind of mishap has a sentence it names, and words it must leave to
// violence.
func TestMishapRules(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	tests := []struct{ text, want string }{
		{"Floods swept away forty homes after days of torrential rain.", "a natural disaster"},
		{"The quake flattened the old town.", "a natural disaster"},
		{"A minibus overturned on the highway.", "an accident"},
		{"Two trains collided outside the station.", "an accident"},
		{"A man died after crashing his car on the ring road.", "an accident"},
		{"A cyclist was struck by a car near the market.", "an accident"},
		{"The holiday road toll rose to nine.", "an accident"},
		{"Three fishermen drowned when their boat capsized.", "an accident"},
		{"A fire broke out in the textile market overnight.", "a fire or blast by mishap"},
		{"A gas cylinder exploded in a roadside restaurant.", "a fire or blast by mishap"},
		{"Cholera has spread through the camps.", "a disease"},
		{"An Ebola outbreak has killed nine people in the district.", "a disease"}, // a name inside a sentence is a cue too
		{"The striker scored twice in the semi-final.", "a sports match"},
		{"A judge sentenced the two gunmen to life imprisonment.", "a court's judgment"},
		{"Deputies arrested a driver on DWI charges after midnight.", "an arrest for an ordinary crime"},
		{"Troops stormed the town at dawn.", ""},                   // "storm" is an assault, not weather
		{"The outbreak of fighting forced families to flee.", ""},  // "outbreak" of violence
		{"Soldiers opened fire on the crowd.", ""},                 // fire that is shooting
		{"Members of the Awami League clashed with students.", ""}, // a party, not a sports league
		{"A roadside bomb exploded near the convoy.", ""},          // an explosion alone is no mishap
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			sents := splitSentences(tt.text, x.abbr)
			tokenize(&sents[0], tt.text, x.states)
			if got := x.mishaps.in(sents[0].Tokens); got != tt.want {
				t.Errorf("mishap %q, want %q", got, tt.want)
			}
		})
	}
}

// A mishap's deaths make no incident; violence beside a mishap still does,
// and a protest after one keeps its type but not the mishap's dead.
func TestMishapsMakeNoIncident(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	tests := []struct {
		name, text string
		incidents  int
		typ        string
		deaths     int
		reason     string
	}{
		{"a bus crash", "A bus plunged into a river near Mombasa on Friday, killing 14 passengers.", 0, "", 0, "an accident"},
		{"a flood", "Floods killed nine people in Kerala on Friday and destroyed hundreds of homes.", 0, "", 0, "a natural disaster"},
		{"a market fire", "Six traders died in a fire at a market in Lagos on Friday.", 0, "", 0, "a fire or blast by mishap"},
		{"gunmen during floods", "Gunmen killed five villagers in Zamfara on Friday as floods cut the roads.", 1, "Violence against civilians", 5, ""},
		{"a court's judgment", "A court in Lahore on Friday sentenced two men to death for the murder of a reporter.", 0, "", 0, "a court's judgment"},
		{"an execution after a judgment", "Militants in Jilib sentenced a man to death and executed him in public on Friday.", 1, "Violence against civilians", 1, ""},
		{"a protest after a crash", "Residents protested in Kisumu on Friday after a lorry crash killed two pupils.", 1, "Protests", 0, ""},
		{"an arrest for theft", "Police arrested two men on theft charges in Nakuru on Friday.", 0, "", 0, "an arrest for an ordinary crime"},
		// An arrest for theft explains the arrest, not a killing beside it.
		{"a killing during a burglary", "Robbers killed a shopkeeper during a burglary in Nakuru on Friday; police arrested one.", 1,
			"Violence against civilians", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Extract(Article{Text: tt.text, Published: "2024-03-02"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Incidents) != tt.incidents {
				t.Fatalf("%d incidents (%q), want %d", len(res.Incidents), res.Reason, tt.incidents)
			}
			if tt.incidents == 0 {
				if !strings.Contains(res.Reason, tt.reason) {
					t.Errorf("reason %q, want one naming %q", res.Reason, tt.reason)
				}
				return
			}
			in := res.Incidents[0]
			if in.EventType != tt.typ || in.Fatalities == nil || *in.Fatalities != tt.deaths {
				t.Errorf("type %q, fatalities %v; want %q, %d", in.EventType, in.Fatalities, tt.typ, tt.deaths)
			}
		})
	}
}
