package extract

import (
	"slices"
	"testing"
)

// unknownNames spots text as one sentence and returns the names the
// gazetteer lacks that the spotter took for places.
func unknownNames(t *testing.T, x *Extractor, text string) []string {
	t.Helper()
	sents := splitSentences(text, x.abbr)
	for i := range sents {
		tokenize(&sents[i], text, x.states)
	}
	var names []string
	for _, sp := range x.spotAll(text, sents) {
		if sp.Unknown {
			names = append(names, sp.Name)
		}
	}
	return names
}

// Each cue that makes a name the gazetteer lacks a place has a sentence
// it takes, and traps it must leave alone.
func TestUnknownNameCues(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	tests := []struct {
		cue, text string
		want      string // an unknown name spotted
		not       string // a name not spotted as unknown
	}{
		{"known first word: place noun of before", "Rebels shelled the hamlet of Tal Qasrouf at dawn.", "Tal Qasrouf", ""},
		{"known first word: place noun after", "Fighting spread to Khan Dorbaqi village overnight.", "Khan Dorbaqi", ""},
		{"known first word: object of a place verb", "The army recaptured Tal Wardiyeh after a long siege.", "Tal Wardiyeh", ""},
		{"feature noun after a modifier ends the name", "Jets struck near the Zawarin Military Airport on Monday.", "Zawarin Military Airport", ""},
		{"feature noun that names a place elsewhere ends the name", "Fighting raged near the Qarmash Dam overnight.", "Qarmash Dam", ""},
		{"terrain feature noun", "Militants slipped through the Kharzan Gorge at night.", "Kharzan Gorge", ""},
		{"part of a place before", "Shells fell on the eastern district of Qarsafiyeh on Sunday.", "Qarsafiyeh", ""},
		{"surroundings of a place before", "Troops dug in on the outskirts of Abu Zarqoun overnight.", "Abu Zarqoun", ""},
		{"a group's stronghold is no place", "The road runs through a stronghold of Hezbollah fighters.", "", "Hezbollah"},
		{"apposition of a place noun", "Raiders burned Ndagbere, a small village near the river, on Friday.", "Ndagbere", ""},
		{"apposition of an island", "A boat sank off Mkwaja, an island north of the port.", "Mkwaja", ""},
		{"an apposition of a person is no place", "Kamandoro, a farmer from the hills, was shot.", "", "Kamandoro"},
		{"known first word: a place after is no cue", "Governor Khan Dorbaqi in Kandahar said the road was open.", "", "Khan Dorbaqi"},
	}
	for _, tt := range tests {
		t.Run(tt.cue, func(t *testing.T) {
			got := unknownNames(t, x, tt.text)
			if tt.want != "" && !slices.Contains(got, tt.want) {
				t.Errorf("%q: unknown names %q, want %q among them", tt.text, got, tt.want)
			}
			if tt.not != "" && slices.Contains(got, tt.not) {
				t.Errorf("%q: unknown names %q, want no %q", tt.text, got, tt.not)
			}
		})
	}
}

// A name that begins with a capitalised article is spotted whole, as
// written: the incident's location is "El Fasher", not "Fasher".
func TestArticleNamesWhole(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	for _, tt := range []struct{ text, want, country string }{
		{"Shells landed in El Fasher overnight.", "El Fasher", "SD"},
		{"Police broke up a march in El Salvador's capital.", "El Salvador", "SV"},
		{"A car bomb went off in As Sulaymaniyah.", "As Sulaymaniyah", "IQ"},
		{"Protesters gathered in al-Arish on Friday.", "al-Arish", "EG"},
	} {
		var got []string
		for _, m := range x.Geoparse(tt.text) {
			got = append(got, m.Text)
			if m.Text == tt.want && (m.Place == nil || m.Place.Country != tt.country) {
				t.Errorf("%q: %q resolved to %+v, want a place in %s", tt.text, m.Text, m.Place, tt.country)
			}
		}
		if !slices.Contains(got, tt.want) {
			t.Errorf("%q: mentions %q, want %q", tt.text, got, tt.want)
		}
	}
}
