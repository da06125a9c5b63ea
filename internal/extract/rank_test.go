package extract

import (
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
)

func TestCompoundAdjective(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Rebel-held", true},
		{"Shia-dominated", true},
		{"Army-run", true},
		{"Tamil-majority", true},
		{"NATO-led", true},
		{"Almash-had", false}, // a village's name with a lower-case part
		{"Mazar-i", false},
		{"Port-au-Prince", false},
		{"Al-Bab", false},
		{"Kandahar", false},
	}
	for _, tt := range tests {
		if got := compoundAdjective(tt.name); got != tt.want {
			t.Errorf("compoundAdjective(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsMeasuredRef(t *testing.T) {
	tests := []struct {
		before string
		want   bool
	}{
		{"a convoy was hit 40 kilometres south of ", true},
		{"about 12 miles (19 km) northeast of the ", true},
		{"shots were fired near the border with ", true},
		{"fighting spread in the northwest ", false},
		{"a bus burned west of the ", false},
		{"a market was shelled in ", false},
	}
	for _, tt := range tests {
		if got := isMeasuredRef(tt.before); got != tt.want {
			t.Errorf("isMeasuredRef(%q) = %v, want %v", tt.before, got, tt.want)
		}
	}
}

// A village, a town below a big city, a province or a district may be a
// namesake abroad; a country or a big city is not taken for one.
func TestNamesakeLevel(t *testing.T) {
	tests := []struct {
		level      gazetteer.Level
		population int64
		want       bool
	}{
		{gazetteer.LevelPlace, 2000, true},
		{gazetteer.LevelPlace, bigCity - 1, true},
		{gazetteer.LevelPlace, bigCity, false},
		{gazetteer.LevelAdmin1, 4000000, true},
		{gazetteer.LevelAdmin2, 90000, true},
		{gazetteer.LevelCountry, 0, false},
		{gazetteer.LevelRegion, 0, false},
	}
	for _, tt := range tests {
		if got := namesakeLevel(gazetteer.Place{Level: tt.level, Population: tt.population}); got != tt.want {
			t.Errorf("%v of %d people: namesakeLevel = %v, want %v", tt.level, tt.population, got, tt.want)
		}
	}
}

// The report's words weigh in its focus beside the places it names when
// the country prior is sure of them (here a source's country, which is
// certain): they outweigh a lone name read abroad, not two names of
// another country; with no place resolved they stand alone.
func TestFocusCountryWeighsSurePrior(t *testing.T) {
	gaz, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(gaz)
	tests := []struct {
		text, hint, want string
	}{
		{"Supporters of Paul Otuoma protested outside the tallying centre in Busia on Monday.", "KE", "KE"},
		{"Gunmen attacked checkpoints in Kandahar and Herat on Monday.", "PK", "AF"},
		{"Gunmen attacked checkpoints in Kandahar and Herat on Monday.", "", "AF"},
		{"Observers recorded explosions near the contact line overnight.", "UA", "UA"},
	}
	for _, tt := range tests {
		if got := x.analyse(tt.text, tt.hint).focus; got != tt.want {
			t.Errorf("%q with country %q: focus %q, want %q", tt.text, tt.hint, got, tt.want)
		}
	}
}
