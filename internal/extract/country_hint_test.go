package extract_test

import (
	"testing"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// TestCountryHint: a place name two countries share is read in the
// country the article's source reports on, when the source says which
// (Article.Country, e.g. a watched feed's --country).
func TestCountryHint(t *testing.T) {
	x := extract.New(builtin(t))
	const text = "Two soldiers were killed in an ambush near Kalat on Monday."
	for _, tt := range []struct{ hint, want string }{
		{"AF", "AF"},
		{"PK", "PK"},
		{"af", "AF"},
	} {
		res, err := x.Extract(extract.Article{Text: text, Published: "2023-05-12", Country: tt.hint})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Incidents) != 1 || res.Incidents[0].Country != tt.want {
			t.Errorf("hint %s: %+v, want one incident in %s", tt.hint, res.Incidents, tt.want)
		}
	}
}

// A source's country does not by itself make a name written as a place a
// namesake: "In Skardu" in a feed about India is still Pakistan's Skardu,
// where a name with no cue is read in the source's country or dropped.
func TestCountryHintKeepsCuedPlace(t *testing.T) {
	x := extract.New(builtin(t))
	res, err := x.Extract(extract.Article{Text: "In Skardu, residents protested against the Skardu police on Monday.", Published: "2023-05-12", Country: "IN"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Incidents) != 1 || res.Incidents[0].Country != "PK" || res.Incidents[0].Location != "Skardu" {
		t.Errorf("%+v (reason %q), want one incident at Skardu, PK", res.Incidents, res.Reason)
	}
}

// A name two countries share is read in the country the source reports
// on even when the other reading is the bigger place: Tripoli in a
// Lebanese source is Lebanon's, not Libya's capital.
func TestCountryHintOutweighsBiggerNamesake(t *testing.T) {
	x := extract.New(builtin(t))
	for _, tt := range []struct{ hint, want string }{{"LB", "LB"}, {"", "LY"}} {
		res, err := x.Extract(extract.Article{Text: "Protesters blocked the main square in Tripoli on Monday.", Published: "2020-05-05", Country: tt.hint})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Incidents) != 1 || res.Incidents[0].Country != tt.want {
			t.Errorf("hint %q: %+v (reason %q), want one incident in %s", tt.hint, res.Incidents, res.Reason, tt.want)
		}
	}
}
