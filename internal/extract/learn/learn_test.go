package learn_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/eval"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/extract/learn"
	"github.com/incidentmap/incidentmap/internal/textclass"
)

func sharedCorpus(t *testing.T) string {
	if d := os.Getenv("INCIDENTMAP_SHARED"); d != "" {
		return filepath.Join(d, "corpus")
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "corpus")
}

// The committed model files are what the trainer makes of the development
// corpus today: generated data that anyone can rebuild byte for byte.
func TestCommittedModelsReproduce(t *testing.T) {
	dir := sharedCorpus(t)
	if _, err := os.Stat(filepath.Join(dir, "acled_dev.jsonl")); err != nil {
		t.Skipf("no corpus at %s (set INCIDENTMAP_SHARED): %v", dir, err)
	}
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	open := func(name string) io.Reader {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(data)
	}
	encode := func(m *textclass.Model) ([]byte, error) { return learn.Encode(m) }
	textModel := func(pick func(types, subs []textclass.Example) []textclass.Example) func() ([]byte, error) {
		return func() ([]byte, error) {
			types, subs, err := learn.EventExamples(open("acled_dev.jsonl"), extract.NewFeaturizer())
			if err != nil {
				return nil, err
			}
			return encode(learn.TrainText(pick(types, subs)))
		}
	}
	for _, c := range []struct {
		file   string
		derive func() ([]byte, error)
	}{
		{"event_type.txt", textModel(func(types, _ []textclass.Example) []textclass.Example { return types })},
		{"sub_event_type.txt", textModel(func(_, subs []textclass.Example) []textclass.Example { return subs })},
		{"country.txt", func() ([]byte, error) {
			countries, err := learn.CountryExamples(open("acled_dev.jsonl"), extract.NewFeaturizer())
			if err != nil {
				return nil, err
			}
			return encode(learn.Train(countries))
		}},
		{"admin_aliases.tsv", func() ([]byte, error) { return learn.AdminAliases(open("acled_dev.jsonl"), gaz) }},
		{"place_aliases.tsv", func() ([]byte, error) { return learn.PlaceAliases(open("acled_dev.jsonl"), gaz) }},
		{"common_words.txt", func() ([]byte, error) {
			var texts []io.Reader
			for _, name := range learn.CommonWordCorpora() {
				texts = append(texts, open(name))
			}
			return learn.CommonWords(texts...)
		}},
		{"event_place.txt", func() ([]byte, error) {
			groups, err := learn.PlaceGroups(open("event_location_dev.jsonl"), open("acled_dev.jsonl"), extract.New(gaz), gaz)
			if err != nil {
				return nil, err
			}
			return encode(learn.TrainRanker(groups))
		}},
	} {
		got, err := c.derive()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if want, err := os.ReadFile(filepath.Join("..", "model", c.file)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh derivation (%v): run make models and commit", c.file, err)
		}
	}
}

// Cross-validation scores every note once, on a fold whose models never
// saw it.
func TestCrossValidatePipeline(t *testing.T) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	corpus := `{"id":"n1","published":"2021-05-03","text":"On 2 May 2021, protesters marched in Kandahar against power cuts.","incidents":[{"place":"Kandahar","admin1":"Kandahar","country":"AF","lat":31.61,"lon":65.71,"precision":"town","event_type":"protest","place_in_text":"location"}]}
{"id":"n2","published":"2021-05-04","text":"On 3 May 2021, gunmen shot dead a shopkeeper in Herat.","incidents":[{"place":"Herat","admin1":"Herat","country":"AF","lat":34.35,"lon":62.2,"precision":"town","event_type":"violence against civilians","place_in_text":"location"}]}
{"id":"n3","published":"2021-05-05","text":"On 4 May 2021, shopkeepers held a sit-in in Kabul over new taxes.","incidents":[{"place":"Kabul","admin1":"Kabul","country":"AF","lat":34.53,"lon":69.17,"precision":"town","event_type":"protest","place_in_text":"location"}]}
{"id":"n4","published":"2021-05-06","text":"On 5 May 2021, a mortar shell hit a house in Ghazni, killing two children.","incidents":[{"place":"Ghazni","admin1":"Ghazni","country":"AF","lat":33.55,"lon":68.42,"precision":"town","event_type":"explosion/remote violence","place_in_text":"location"}]}
`
	notes, err := eval.ReadIncidentCorpus(strings.NewReader(corpus))
	if err != nil {
		t.Fatal(err)
	}
	sents := []eval.EventSentence{{ID: "s1", Text: "Shelling hit Kunduz near Kabul.", EventLocations: []eval.Span{{Start: 13, End: 19, Text: "Kunduz"}}}}
	if _, err := learn.CrossValidatePipeline(notes[:1], sents, gaz, 2, nil); !errors.Is(err, learn.ErrNoNotes) {
		t.Errorf("one note in two folds: err %v, want ErrNoNotes", err)
	}
	seen := map[string]bool{}
	folds, err := learn.CrossValidatePipeline(notes, sents, gaz, 2, func(a eval.IncidentArticle, _ extract.Article, _ extract.Result) error {
		seen[a.ID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(folds) != 2 || folds[0].Total.Gold+folds[1].Total.Gold != 4 || folds[0].Subset.Gold+folds[1].Subset.Gold != 4 {
		t.Errorf("folds %+v", folds)
	}
	if len(seen) != 4 {
		t.Errorf("notes seen %v, want all four once", seen)
	}
}

// Cross-validating the event-place ranker scores every event sentence
// once, on a fold whose ranker never saw it.
func TestCrossValidateEventPlaces(t *testing.T) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	sents := []eval.EventSentence{
		{ID: "s1", Text: "Shelling hit Kunduz near Kabul.", EventLocations: []eval.Span{{Start: 13, End: 19, Text: "Kunduz"}}},
		{ID: "s2", Text: "Gunmen attacked a bus in Herat, far from Kabul.", EventLocations: []eval.Span{{Start: 25, End: 30, Text: "Herat"}}},
		{ID: "s3", Text: "Officials in Kabul said nothing.", EventLocations: nil},
		{ID: "s4", Text: "Rockets struck Ghazni, officials in Kandahar said.", EventLocations: []eval.Span{{Start: 15, End: 21, Text: "Ghazni"}}},
	}
	if _, err := learn.CrossValidateEventPlaces(nil, sents, gaz, 2, nil); !errors.Is(err, learn.ErrNoNotes) {
		t.Errorf("no notes: err %v, want ErrNoNotes", err)
	}
	notes, err := eval.ReadIncidentCorpus(strings.NewReader(`{"id":"n1","published":"2021-05-03","text":"On 2 May 2021, protesters marched in Kandahar against power cuts.","incidents":[{"place":"Kandahar","admin1":"Kandahar","country":"AF","lat":31.61,"lon":65.71,"precision":"town","event_type":"protest","place_in_text":"location"}]}
{"id":"n2","published":"2021-05-04","text":"On 3 May 2021, gunmen shot dead a shopkeeper in Herat.","incidents":[{"place":"Herat","admin1":"Herat","country":"AF","lat":34.35,"lon":62.2,"precision":"town","event_type":"violence against civilians","place_in_text":"location"}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]eval.EventOutcome{}
	s, err := learn.CrossValidateEventPlaces(notes, sents, gaz, 2, func(e eval.EventSentence, _ extract.Result, o eval.EventOutcome) error {
		seen[e.ID] = o
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Sentences != 3 {
		t.Errorf("scored %d sentences with an event place, want 3", s.Sentences)
	}
	if s.Right > s.Placed || s.Placed > s.Sentences {
		t.Errorf("inconsistent score %+v", s)
	}
	if len(seen) != len(sents) || seen["s3"] != eval.EventUnscored {
		t.Errorf("seen %v: want every sentence once, s3 unscored", seen)
	}
	right := 0
	for _, o := range seen {
		if o == eval.EventRight {
			right++
		}
	}
	if right != s.Right {
		t.Errorf("%d sentences seen right, score says %d", right, s.Right)
	}
}
