package extract

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// pubWed is a Wednesday.
var pubWed = time.Date(2021, 3, 10, 0, 0, 0, 0, time.UTC)

func TestDates(t *testing.T) {
	r := newDateRules()
	tests := []struct {
		sentence  string
		want      string // first date found, "" for none
		end       string
		precision string
		weak      bool
	}{
		{"The raid took place on March 4 near the border.", "2021-03-04", "", "day", false},
		{"Fighting broke out on 4 March 2020 in the north.", "2020-03-04", "", "day", false},
		{"Troops moved in on 2021-02-27.", "2021-02-27", "", "day", false},
		{"The operation ran from March 2-3 in the valley.", "2021-03-02", "2021-03-03", "day", false},
		{"The clash happened on Dec. 30 outside the city.", "2020-12-30", "", "day", false}, // no year: the latest before publication
		{"Gunmen struck on Monday evening.", "2021-03-08", "", "day", false},
		{"Gunmen struck on Wednesday.", "2021-03-10", "", "day", false}, // the publication day itself
		{"Residents marched along Monday Avenue.", "", "", "", false},   // a street, not a day
		{"Crowds gathered after Friday prayers.", "2021-03-05", "", "day", false},
		{"A bomb went off last Wednesday.", "2021-03-03", "", "day", false},
		{"Two people died yesterday.", "2021-03-09", "", "day", false},
		{"The village was attacked last month.", "2021-02-01", "", "month", false},
		{"Herders attacked the town two weeks ago.", "2021-02-24", "", "week", false},
		{"Shelling resumed overnight.", "2021-03-10", "", "day", true},
		{"The rebels seized the town in 2014.", "2014-01-01", "", "year", false},
		{"It will happen on March 20.", "2020-03-20", "", "day", false}, // never after publication
		{"Nothing happened at all.", "", "", "", false},
		{"A bus was torched near the bus stand (04/03).", "2021-03-04", "", "day", false}, // day first
		{"Police fired on marchers on 28/02/2021 near the square.", "2021-02-28", "", "day", false},
		{"The score was 3/2 after extra time.", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			ds := r.find(tt.sentence, pubWed, false)
			if tt.want == "" {
				if len(ds) != 0 {
					t.Fatalf("found %+v, want none", ds)
				}
				return
			}
			if len(ds) == 0 {
				t.Fatalf("found no date, want %s", tt.want)
			}
			d := ds[0]
			if got := d.Date.Format(incident.DateLayout); got != tt.want {
				t.Errorf("date = %s, want %s (%q)", got, tt.want, d.Text)
			}
			if tt.end != "" && d.EndDate.Format(incident.DateLayout) != tt.end {
				t.Errorf("end = %s, want %s", d.EndDate.Format(incident.DateLayout), tt.end)
			}
			if d.Precision != tt.precision || d.Weak != tt.weak {
				t.Errorf("precision %s weak %v, want %s %v", d.Precision, d.Weak, tt.precision, tt.weak)
			}
			if d.Date.After(pubWed) {
				t.Errorf("date %s after publication", d.Date)
			}
		})
	}
}

func TestCasualties(t *testing.T) {
	c := newCasualtyRules()
	tests := []struct {
		sentence string
		killed   int // sum of direct (not reported, not subset) killed
		injured  int
		reported int // killed in a claim or unconfirmed report
	}{
		{"The commander was killed along with six other fighters.", 7, 0, 0},
		{"Villagers hacked to death four suspected cattle thieves.", 4, 0, 0},
		{"A crowd lynched two suspected robbers at the market.", 2, 0, 0},
		{"Three suspected burglars were lynched by residents.", 3, 0, 0},
		{"A senior commander was killed with four of his fighters during a raid.", 5, 0, 0},
		{"At least 13 militants were killed in the operation.", 13, 0, 0},
		{"Two soldiers and four rebels have been killed in a clash.", 6, 0, 0},
		{"Two men and a woman were killed when a shell hit their home.", 3, 0, 0},
		{"The gunmen opened fire, killing 16 patients and injuring several others.", 16, 0, 0},
		{"Twenty-three villagers died in the fighting.", 23, 0, 0},
		{"A passer-by was killed by the blast.", 1, 0, 0},
		{"Five people were wounded in the blast.", 0, 5, 0},
		{"Raiders killed a woman and wounded four police officers at the well.", 1, 4, 0},
		{"The blast tore through the market, killing two police officers and three traders.", 5, 0, 0},
		{"Gunmen wounded two soldiers and four civilians at the checkpoint.", 0, 6, 0},
		{"Gunmen killed two soldiers and wounded four civilians at the checkpoint.", 2, 4, 0},
		{"A suicide bomber killed himself and 12 others at the mosque.", 13, 0, 0},
		{"One guard was killed and 3 others were abducted at the gate.", 1, 0, 0},
		{"Four men assaulted and killed a farmer near the market.", 1, 0, 0},
		{"Gunmen killed a revenue collector at the bus station.", 1, 0, 0},
		{"A party leader was shot dead and 10 people were injured in the clash.", 1, 10, 0},
		{"Rival fighters exchanged fire in the village, resulting in one death.", 1, 0, 0},
		{"The guard died.", 1, 0, 0},
		{"3 fatalities.", 3, 0, 0},
		{"The blast left 7 injured near the gate.", 0, 7, 0},
		{"Residents reported that 40 civilians were killed in an air raid.", 0, 0, 40},
		{"Some 40 people were killed and injured in the strikes.", 0, 0, 0},
		{"At least 12 people were killed, including three children.", 12, 0, 0},
		{"Local media said between 45 and 60 people were killed.", 45, 0, 0},
		{"The 22-year-old was arrested in 2019 after 3 days on the run.", 0, 0, 0},
		{"More than a dozen militants were killed.", 12, 0, 0},
		{"Police found the bodies of nine men on a highway.", 9, 0, 0},
		{"Three guards were killed and two others wounded at the gate.", 3, 2, 0},
		{"Gunmen shot and killed a shopkeeper outside his home.", 1, 0, 0},
		{"A trader was beaten to death by a mob at the market.", 1, 0, 0},
		{"Unknown men assassinated a local councillor on the road.", 1, 0, 0},
		{"Dozens of people were killed in the raid.", 12, 0, 0}, // ACLED's floor for vague figures
		{"Hundreds of villagers were wounded.", 0, 100, 0},
		{"Tens of thousands of people have been killed since the war began.", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			s := sentence{Start: 0, End: len(tt.sentence), Text: tt.sentence}
			tokenize(&s, tt.sentence, stateAbbreviations())
			killed, injured, reported := 0, 0, 0
			for _, ct := range c.find(s.Tokens, tt.sentence) {
				switch {
				case ct.Subset:
				case ct.Injured:
					injured += ct.Value
				case ct.Reported:
					reported += ct.Value
				default:
					killed += ct.Value
				}
			}
			if killed != tt.killed || injured != tt.injured || reported != tt.reported {
				t.Errorf("killed %d injured %d reported %d, want %d %d %d", killed, injured, reported, tt.killed, tt.injured, tt.reported)
			}
		})
	}
}

func TestEventTypes(t *testing.T) {
	e := newEventRules()
	c := newCasualtyRules()
	tests := []struct {
		sentence string
		typ, sub string
	}{
		{"An air strike hit a compound, killing nine militants.", incident.ExplosionsRemoteViolence, "Air/drone strike"},
		{"A suicide bomber blew himself up at a checkpoint.", incident.ExplosionsRemoteViolence, "Suicide bomb"},
		{"A roadside bomb struck a police vehicle.", incident.ExplosionsRemoteViolence, "Remote explosive/landmine/IED"},
		{"Troops clashed with rebels for two hours; four soldiers were killed.", incident.Battles, "Armed clash"},
		{"Gunmen attacked the village and killed 12 villagers.", incident.ViolenceAgainstCivilians, "Attack"},
		{"Armed men abducted 30 students from their school.", incident.ViolenceAgainstCivilians, "Abduction/forced disappearance"},
		{"Thousands of protesters marched peacefully through the capital.", incident.Protests, "Peaceful protest"},
		{"Police fired tear gas to disperse the protest.", incident.Protests, "Protest with intervention"},
		{"An angry mob torched a police station.", incident.Riots, "Mob violence"},
		{"The insurgents claimed control of the town after the army withdrew.", incident.Battles, "Non-state actor overtakes territory"},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			s := sentence{Start: 0, End: len(tt.sentence), Text: tt.sentence}
			tokenize(&s, tt.sentence, stateAbbreviations())
			victims := map[int]int{}
			for _, ct := range c.find(s.Tokens, tt.sentence) {
				victims[ct.Victim] += ct.Value
			}
			typ, sub := classify([][]eventHit{e.find(s.Tokens, 0)}, []float64{1}, victims)
			if typ != tt.typ || sub != tt.sub {
				t.Errorf("got %s / %s, want %s / %s", typ, sub, tt.typ, tt.sub)
			}
		})
	}
}

// The trigger words a sentence holds. A capitalised trigger word inside a
// sentence is a name, unless it opens the sentence, stands in a headline
// or runs with another trigger in title case; a stem matches only the
// words it stands for.
func TestTriggersFound(t *testing.T) {
	e := newEventRules()
	tests := []struct {
		sentence string
		want     []string // the triggers found, in order
	}{
		{"The gallery bought the sketch in March.", nil},
		{"Shares in Royal Dutch Shell fell.", nil},
		{"Teachers march through the town.", []string{"march*"}},
		{"March through the town, the leaders urged.", []string{"march*"}},
		{"TEACHERS MARCH ON PARLIAMENT", []string{"march*"}},
		{"The union organised a Protest Rally at the court.", []string{"protest", "rally"}},
		// Stems say what they match: "explod*" and "explosi*", not "explo*",
		// which took "explore" and "exploit" for blasts.
		{"Interns will explore the old town.", nil},
		{"Smugglers exploited the chaos.", nil},
		{"A device exploded; explosives were found.", []string{"explod*", "explosi*"}},
		{"Voters should stay vigilant and keep their mobile phones on.", nil},
		{"The judge overruled the motion over defects in the filing.", nil},
		{"A mob beat a thief; rebels overran the town and soldiers defected.", []string{"mob", "beat", "overran", "defected"}},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			s := sentence{Start: 0, End: len(tt.sentence), Text: tt.sentence}
			tokenize(&s, tt.sentence, stateAbbreviations())
			var got []string
			for _, h := range e.find(s.Tokens, 0) {
				got = append(got, h.Phrase)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("triggers %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	text := "Gen. Ali said the U.S. convoy was hit at 9 a.m. Local time. Three died.\nHEADLINE WITHOUT STOP\nThe end!"
	ss := splitSentences(text, abbreviations())
	var got []string
	for _, s := range ss {
		got = append(got, s.Text)
	}
	want := []string{"Gen. Ali said the U.S. convoy was hit at 9 a.m. Local time.", "Three died.", "HEADLINE WITHOUT STOP", "The end!"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for _, s := range ss {
		if text[s.Start:s.End] != s.Text {
			t.Errorf("offsets of %q wrong", s.Text)
		}
	}
}

func TestActors(t *testing.T) {
	for _, c := range []struct{ sentence, actor1, actor2 string }{
		{"Four police officers were killed when gunmen on motorbikes attacked a checkpoint.", "Unidentified armed group", "Police"},
		{"Troops ambushed militants near the river.", "Troops", "Unidentified armed group"},
		{"Two soldiers were wounded by Taliban fighters.", "Taliban", "Soldiers"},
	} {
		s := sentence{End: len(c.sentence), Text: c.sentence}
		tokenize(&s, c.sentence, stateAbbreviations())
		a1, a2 := pickActors(newActorRules().find(s.Tokens))
		if a1 != c.actor1 || a2 != c.actor2 {
			t.Errorf("%q: actors %q, %q; want %q, %q", c.sentence, a1, a2, c.actor1, c.actor2)
		}
	}
	for _, c := range []struct{ name, country, want string }{
		{"Police", "Afghanistan", "Police Forces of Afghanistan"}, {"Troops", "Nigeria", "Military Forces of Nigeria"},
		{"Security forces", "Mali", "Military Forces of Mali"}, {"Taliban", "Afghanistan", "Taliban"}, {"Police", "", "Police"},
	} {
		if got := stateForces(c.name, c.country); got != c.want {
			t.Errorf("stateForces(%q, %q) = %q, want %q", c.name, c.country, got, c.want)
		}
	}
}
