package eval

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/incident"
)

func str(s string) *string { return &s }

func TestScoreArticle(t *testing.T) {
	gold := []GoldIncident{
		{Place: "Musa Qala", Admin1: "Helmand", Country: "AF", Lat: 32.44565, Lon: 64.74486, Precision: "district",
			Date: str("2019-09-23"), Fatalities: incident.Int(7), EventType: "battle"},
		{Place: "Lashkar Gah", Admin1: "Helmand", Country: "AF", Lat: 31.59382, Lon: 64.37161, Precision: "town",
			Date: nil, Fatalities: incident.Int(2), EventType: "explosion/remote violence"},
	}
	pred := []incident.Incident{
		// 20 km from Musa Qala: located for a district (50 km).
		{Country: "AF", Admin1: "Helmand", Geometry: orb.Point{64.95, 32.44}, EventDate: "2019-09-23",
			Fatalities: incident.Int(7), EventType: incident.Battles},
		// A third, spurious incident in Pakistan.
		{Country: "PK", Admin1: "Punjab", Geometry: orb.Point{74.3, 31.5}, EventDate: "2019-09-23",
			Fatalities: incident.Int(0), EventType: incident.Battles},
	}
	s := ScoreArticle(gold, pred)
	want := IncidentScore{Articles: 1, Gold: 2, Predicted: 2, Matched: 1, Located: 1, Admin1: 1, Country: 2,
		DateGold: 1, DateExact: 1, FatalGold: 2, FatalExact: 1, TypeRight: 1}
	s.ErrorsKm = nil
	if s.Articles != want.Articles || s.Gold != want.Gold || s.Predicted != want.Predicted || s.Matched != want.Matched ||
		s.Located != want.Located || s.Admin1 != want.Admin1 || s.Country != want.Country || s.DateGold != want.DateGold ||
		s.DateExact != want.DateExact || s.FatalGold != want.FatalGold || s.FatalExact != want.FatalExact || s.TypeRight != want.TypeRight {
		t.Errorf("score = %+v\nwant    %+v", s, want)
	}
	if p := s.Precision(); p != 0.5 {
		t.Errorf("precision = %v, want 0.5", p)
	}
	var sb strings.Builder
	if err := s.Report(&sb); err != nil || !strings.Contains(sb.String(), "located                50.0%") {
		t.Errorf("report:\n%s", sb.String())
	}
}

// The sub-event type counts where the gold incident codes one, and is
// right only with the event type.
func TestScoreArticleSubEventType(t *testing.T) {
	g := func(sub string) GoldIncident {
		return GoldIncident{Place: "Musa Qala", Country: "AF", Lat: 32.44565, Lon: 64.74486, Precision: "town", EventType: "battle",
			Fields: map[string]string{"sub_event_type": sub}}
	}
	p := func(typ, sub string) incident.Incident {
		return incident.Incident{Country: "AF", Geometry: orb.Point{64.74486, 32.44565}, EventType: typ, SubEventType: sub}
	}
	tests := []struct {
		gold          GoldIncident
		pred          incident.Incident
		subGold, want int
	}{
		{g("Armed clash"), p(incident.Battles, "Armed clash"), 1, 1},
		{g("Armed clash"), p(incident.Battles, "Government regains territory"), 1, 0},
		{g("Armed clash"), p(incident.ViolenceAgainstCivilians, "Armed clash"), 1, 0},
		{g(""), p(incident.Battles, "Armed clash"), 0, 0},
	}
	for _, tt := range tests {
		s := ScoreArticle([]GoldIncident{tt.gold}, []incident.Incident{tt.pred})
		if s.SubGold != tt.subGold || s.SubRight != tt.want {
			t.Errorf("gold %q, predicted %s / %s: sub %d/%d, want %d/%d", tt.gold.Fields["sub_event_type"], tt.pred.EventType,
				tt.pred.SubEventType, s.SubRight, s.SubGold, tt.want, tt.subGold)
		}
		if _, ok := s.Metrics()["sub_event_type"]; ok != (tt.subGold > 0) {
			t.Errorf("sub_event_type figure present = %v, want %v", ok, tt.subGold > 0)
		}
	}
}

// One prediction cannot answer two gold incidents.
func TestScoreArticleOneToOne(t *testing.T) {
	g := GoldIncident{Country: "NG", Lat: 7.9, Lon: 7.9, Precision: "district", EventType: "battle"}
	s := ScoreArticle([]GoldIncident{g, g}, []incident.Incident{{Country: "NG", Geometry: orb.Point{7.9, 7.9}, EventType: incident.Battles}})
	if s.Matched != 1 || s.Located != 1 {
		t.Errorf("matched %d located %d, want 1 1", s.Matched, s.Located)
	}
}

func TestSameAdmin1(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Benue State", "Benue", true}, {"Ma’rib", "Marib", true}, {"Northern Darfur", "North Darfur", true},
		{"Tillabéri Region", "Tillaberi", true}, {"Helmand", "Kandahar", false}, {"", "Kandahar", false},
	} {
		if got := SameAdmin1(c.a, c.b); got != c.want {
			t.Errorf("SameAdmin1(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestScoreToponyms(t *testing.T) {
	gold := []GoldToponym{
		{Start: 0, End: 5, Lat: 51.5, Lon: -0.12},   // London
		{Start: 10, End: 15, Lat: 48.85, Lon: 2.35}, // Paris
		{Start: 20, End: 26, Lat: 52.5, Lon: 13.4},  // Berlin, missed
	}
	pred := []PredictedToponym{
		{Start: 0, End: 5, Resolved: true, Point: orb.Point{-0.12, 51.5}},     // exact
		{Start: 12, End: 18, Resolved: true, Point: orb.Point{-95.55, 33.66}}, // overlaps; Paris, Texas
		{Start: 30, End: 35}, // nothing there
	}
	s := ScoreToponyms(gold, pred)
	if s.Matched != 2 || s.Gold != 3 || s.Found != 3 {
		t.Fatalf("score = %+v", s)
	}
	if math.Abs(s.Precision()-2.0/3) > 1e-9 || math.Abs(s.Recall()-2.0/3) > 1e-9 || math.Abs(s.F1()-2.0/3) > 1e-9 {
		t.Errorf("P %v R %v F1 %v", s.Precision(), s.Recall(), s.F1())
	}
	if s.AccuracyAt(161) != 0.5 {
		t.Errorf("acc@161 = %v, want 0.5", s.AccuracyAt(161))
	}
	if s.MedianKm() < 3000 || s.AUC() <= 0 || s.AUC() >= 1 {
		t.Errorf("median %v AUC %v", s.MedianKm(), s.AUC())
	}
}

func TestPredictedToponyms(t *testing.T) {
	ms := []extract.Mention{
		{Text: "Paris", Start: 3, End: 8, Place: &extract.PlaceRef{Lat: 48.85, Lon: 2.35}},
		{Text: "Atlantis", Start: 12, End: 20},
	}
	want := []PredictedToponym{
		{Start: 3, End: 8, Resolved: true, Point: orb.Point{2.35, 48.85}},
		{Start: 12, End: 20},
	}
	if got := PredictedToponyms(ms); !reflect.DeepEqual(got, want) {
		t.Errorf("PredictedToponyms = %+v, want %+v", got, want)
	}
}

func TestEventType(t *testing.T) {
	for label, want := range map[string]string{"battle": incident.Battles, "explosion/remote violence": incident.ExplosionsRemoteViolence,
		"violence against civilians": incident.ViolenceAgainstCivilians, "protest": incident.Protests, "riot": incident.Riots,
		"strategic development": incident.StrategicDevelopments} {
		if got := EventType(label); got != want {
			t.Errorf("EventType(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestReadCorpora(t *testing.T) {
	arts, err := ReadIncidentCorpus(strings.NewReader(`{"id":"a","published":null,"text":"x","incidents":[{"place":"P","country":"AF","lat":1,"lon":2,"precision":"town","date":null,"fatalities":3,"event_type":"battle"}]}` + "\n\n"))
	if err != nil || len(arts) != 1 || arts[0].Incidents[0].Date != nil || *arts[0].Incidents[0].Fatalities != 3 {
		t.Fatalf("arts %+v err %v", arts, err)
	}
	if _, err := ReadIncidentCorpus(strings.NewReader("{\"text\":\"ok\"}\n{bad")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v, want one naming line 2", err)
	}
}

func TestWriteToponymErrors(t *testing.T) {
	a := ToponymArticle{ID: "t1", Toponyms: []GoldToponym{
		{Start: 0, End: 5, Name: "Paris", Lat: 48.85, Lon: 2.35, FCode: "PPLC"},
		{Start: 10, End: 16, Name: "Berlin", Lat: 52.5, Lon: 13.4, FCode: "PPLC"},
		{Start: 20, End: 25, Name: "Derna", Lat: 32.76, Lon: 22.64, FCode: "PPL"},
	}}
	ms := []extract.Mention{
		{Text: "Paris", Start: 0, End: 5, Kind: "name", Place: &extract.PlaceRef{Name: "Paris", Country: "US", Lat: 33.66, Lon: -95.55}},
		{Text: "Derna", Start: 20, End: 25, Kind: "name"},
		{Text: "Nowhere", Start: 30, End: 37, Kind: "name"},
	}
	var sb strings.Builder
	WriteToponymErrors(&sb, a, ms)
	for _, want := range []string{"== t1", `FAR "Paris" -> Paris US/`, `MISS "Berlin" (PPLC)`, `UNRESOLVED "Derna"`, `EXTRA "Nowhere" name`} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("missing %q in\n%s", want, sb.String())
		}
	}
}

// The geoparsing dump says what became of each gold toponym, paired as the
// score pairs them, and lists the mentions no gold one matches.
func TestNewToponymDumpRecord(t *testing.T) {
	a := ToponymArticle{ID: "t1", Toponyms: []GoldToponym{
		{Start: 0, End: 5, Name: "Paris", Lat: 48.85, Lon: 2.35, FCode: "PPLC"},
		{Start: 10, End: 16, Name: "Berlin", Lat: 52.5, Lon: 13.4, FCode: "PPLC"},
		{Start: 20, End: 25, Name: "Derna", Lat: 32.76, Lon: 22.64, FCode: "PPL"},
		{Start: 40, End: 46, Name: "Luanda", Lat: -8.84, Lon: 13.23, FCode: "PPLC"},
	}}
	ms := []extract.Mention{
		{Text: "Paris", Start: 0, End: 5, Kind: "name", Place: &extract.PlaceRef{ID: "geonames:4717560", Name: "Paris", Country: "US", Lat: 33.66, Lon: -95.55}},
		{Text: "Derna", Start: 20, End: 25, Kind: "name"},
		{Text: "Nowhere", Start: 30, End: 37, Kind: "name"},
		{Text: "Luanda", Start: 40, End: 46, Kind: "name", Place: &extract.PlaceRef{ID: "geonames:2240449", Country: "AO", Lat: -8.84, Lon: 13.23}},
	}
	r := NewToponymDumpRecord(a, ms)
	var got []string
	for _, g := range r.Gold {
		got = append(got, g.Name+":"+g.Outcome)
	}
	want := []string{"Paris:far", "Berlin:missed", "Derna:unresolved", "Luanda:right"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes %q, want %q", got, want)
	}
	if r.Gold[0].Km < 7000 || r.Gold[0].Place != "geonames:4717560" {
		t.Errorf("far Paris = %+v, want the Texan one about 7,900 km off", r.Gold[0])
	}
	if len(r.Extra) != 1 || r.Extra[0].Text != "Nowhere" {
		t.Errorf("extra %+v, want Nowhere alone", r.Extra)
	}
	if s := ScoreToponyms(a.Toponyms, PredictedToponyms(ms)); s.Matched != 3 {
		t.Errorf("score pairs %d, want the dump's 3", s.Matched)
	}
}

// A dump line carries what a reader needs to see why: the outcome, the
// prediction with the rules that decided it, and every mention resolved.
func TestNewDumpRecord(t *testing.T) {
	gold := GoldIncident{Place: "Kandahar", Country: "AF", Lat: 31.61, Lon: 65.71, Precision: "town", EventType: "battle",
		Fields: map[string]string{"place": "Kandahar"}}
	pred := incident.Incident{Location: "Kandahar", Country: "AF", Geometry: orb.Point{65.71, 31.61}, EventType: incident.Battles,
		EventDate: "2021-03-09", Fatalities: incident.Int(2)}
	res := extract.Result{
		Incidents:    []incident.Incident{pred},
		Explanations: []extract.Explanation{{Rules: []string{"place: the learned ranker's choice"}}},
		Mentions: []extract.Mention{
			{Text: "Kandahar", Place: &extract.PlaceRef{ID: "geonames:1138336", Country: "AF"}, Score: 0.9},
			{Text: "Nowhere", Score: 0.1},
		},
	}
	a := IncidentArticle{ID: "a1", Text: "Fighters clashed in Kandahar.", Incidents: []GoldIncident{gold}}
	r := NewDumpRecord(a, extract.Article{Text: a.Text}, res, Pair(a.Incidents, res.Incidents))
	if len(r.Gold) != 1 || !r.Gold[0].Outcome.Located || r.Gold[0].Outcome.Pred != 0 {
		t.Fatalf("gold %+v, want one located and paired with the prediction", r.Gold)
	}
	if len(r.Predicted) != 1 || !reflect.DeepEqual(r.Predicted[0].Rules, res.Explanations[0].Rules) {
		t.Errorf("predicted %+v, want the explanation's rules", r.Predicted)
	}
	want := []DumpMention{{Text: "Kandahar", Place: "geonames:1138336", Country: "AF", Score: 0.9}, {Text: "Nowhere", Score: 0.1}}
	if !reflect.DeepEqual(r.Mentions, want) {
		t.Errorf("mentions %+v, want %+v", r.Mentions, want)
	}
}
