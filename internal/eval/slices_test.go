package eval

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
)

func TestGoldFieldsAndSlices(t *testing.T) {
	arts, err := ReadIncidentCorpus(strings.NewReader(
		`{"id":"a","text":"x","incidents":[{"place":"P","country":"AF","lat":1,"lon":2,"precision":"town","event_type":"battle","geo_precision":1,"place_in_text":"location"}]}` + "\n" +
			`{"id":"b","text":"y","incidents":[{"place":"Q","country":"NG","lat":9,"lon":8,"precision":"town","event_type":"riot","geo_precision":2,"place_in_text":""}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if g := arts[0].Incidents[0]; g.Field("geo_precision") != "1" || g.Field("place_in_text") != "location" || g.Field("missing") != "" {
		t.Fatalf("fields = %v", g.Fields)
	}
	sl := NewSlices([]string{"country", "place_in_text"})
	// The first article is found and located, plus one spurious prediction;
	// the second is missed.
	pred := []incident.Incident{{Country: "AF", Geometry: orb.Point{2, 1}, EventType: incident.Battles}, {Country: "PK", Geometry: orb.Point{70, 30}}}
	sl.Add(arts[0].Incidents, pred, Pair(arts[0].Incidents, pred))
	sl.Add(arts[1].Incidents, nil, Pair(arts[1].Incidents, nil))
	af, ng := sl.Scores["AF | location"], sl.Scores["NG | -"]
	if af == nil || ng == nil {
		t.Fatalf("slices %v", sl.Scores)
	}
	if af.Gold != 1 || af.Located != 1 || af.Predicted != 2 || af.TypeRight != 1 || ng.Gold != 1 || ng.Matched != 0 || ng.Predicted != 0 {
		t.Errorf("AF %+v NG %+v", *af, *ng)
	}
	var buf bytes.Buffer
	if err := sl.Report(&buf); err != nil || !strings.Contains(buf.String(), "AF | location") {
		t.Errorf("report %q (%v)", buf.String(), err)
	}
}

func TestCheckBaseline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.json")
	base := Baseline{Metrics: map[string]float64{"located": 60, "recall": 70}, Slices: map[string]map[string]float64{"named": {"located": 80}}}
	if err := WriteBaseline(path, base); err != nil {
		t.Fatal(err)
	}
	read, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  Baseline
		fail bool
	}{
		{"same", base, false},
		{"within tolerance", Baseline{Metrics: map[string]float64{"located": 58.5, "recall": 75}, Slices: base.Slices}, false},
		{"dropped", Baseline{Metrics: map[string]float64{"located": 57.9, "recall": 70}, Slices: base.Slices}, true},
		{"slice dropped", Baseline{Metrics: base.Metrics, Slices: map[string]map[string]float64{"named": {"located": 70}}}, true},
		{"figure missing", Baseline{Metrics: map[string]float64{"located": 60}, Slices: base.Slices}, true},
	} {
		var out bytes.Buffer
		err := CheckBaseline(&out, read, c.got)
		if got := errors.Is(err, ErrRegression); got != c.fail {
			t.Errorf("%s: err = %v, want failure %v\n%s", c.name, err, c.fail, out.String())
		}
	}
}

func TestEventLocationScore(t *testing.T) {
	sents, err := ReadEventLocationCorpus(strings.NewReader(
		`{"id":"e1","text":"Shelling hit Kharkiv near Kyiv.","verb":{"start":0,"end":8,"text":"Shelling"},"event_locations":[{"start":13,"end":20,"text":"Kharkiv"}]}` + "\n" +
			`{"id":"e2","text":"Nothing here.","verb":{"start":0,"end":7,"text":"Nothing"},"event_locations":[]}`))
	if err != nil || len(sents) != 2 {
		t.Fatalf("%v %v", sents, err)
	}
	var s EventLocationScore
	two := []extract.Mention{{Place: &extract.PlaceRef{ID: "a"}}, {Place: &extract.PlaceRef{ID: "b"}}}
	outcomes := []EventOutcome{
		s.ScoreEventSentence(sents[0], extract.Result{Incidents: []incident.Incident{{}}, Mentions: two,
			Explanations: []extract.Explanation{{Place: extract.Span{Start: 13, End: 20}}}}),
		s.ScoreEventSentence(sents[0], extract.Result{Incidents: []incident.Incident{{}}, Mentions: two,
			Explanations: []extract.Explanation{{Place: extract.Span{Start: 26, End: 30}}}}),
		s.ScoreEventSentence(sents[0], extract.Result{Reason: "no place named: none"}),
		s.ScoreEventSentence(sents[1], extract.Result{}),
	}
	if want := []EventOutcome{EventRight, EventWrong, EventNoIncident, EventUnscored}; !slices.Equal(outcomes, want) {
		t.Errorf("outcomes %v, want %v", outcomes, want)
	}
	if s.Sentences != 3 || s.Placed != 2 || s.Right != 1 || s.Multi != 2 || s.MultiRight != 1 || s.Reasons["no place named"] != 1 {
		t.Errorf("score %+v", s)
	}
	if m := s.Metrics(); m["event_place"] != 33.3 || m["event_place_multi"] != 50 {
		t.Errorf("metrics %v", m)
	}
}

// The corpus readers take files a user names on the command line: any
// input gives articles or an error naming the line, never a panic, and a
// gold incident's fields survive as text.
func FuzzReadCorpora(f *testing.F) {
	f.Add(`{"id":"a","text":"x","incidents":[{"country":"AF","geo_precision":1,"place_in_text":null,"lat":1.5}]}`)
	f.Add(`{"id":"e","text":"Shelling hit Kharkiv.","verb":{"start":0,"end":8},"event_locations":[{"start":13,"end":20}]}`)
	f.Add("{\"text\":\"ok\"}\n{bad")
	f.Fuzz(func(t *testing.T, s string) {
		if arts, err := ReadIncidentCorpus(strings.NewReader(s)); err == nil {
			for _, a := range arts {
				for _, g := range a.Incidents {
					_ = g.Field("country")
				}
			}
		} else if !strings.Contains(err.Error(), "line ") {
			t.Errorf("error %q names no line", err)
		}
		if _, err := ReadEventLocationCorpus(strings.NewReader(s)); err != nil && !strings.Contains(err.Error(), "line ") {
			t.Errorf("error %q names no line", err)
		}
	})
}
