// Package learn trains the extractor's learned models from the development
// corpora. Training is deterministic (fixed order, fixed seed, rounded
// weights), so `go generate ./internal/extract/` rebuilds the committed
// model files byte for byte, and a test checks that it does.
package learn

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/eval"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/textclass"
)

// Training settings of the averaged perceptrons (the country model and the
// event-place ranker), chosen by five-fold cross-validation on
// acled_dev.jsonl (see CrossValidate): more epochs fit the folds' training
// notes better but not their held-out ones.
const (
	// Epochs is the number of passes over the examples.
	Epochs = 6
	// MinCount drops features seen in fewer notes: a word met once is a
	// name or a typo, and weighting it fits the corpus, not the language.
	MinCount = 3
	// Seed fixes the order examples are visited in.
	Seed = 20261127
)

// Settings of the event-type and sub-event-type models, logistic
// regressions (see TrainText). They were chosen by the held-out event
// type of `incidentmap eval --cross-validate 5` on acled_dev.jsonl's notes
// that name their place, over L2 3e-4 to 3e-3, 10 or 20 passes and
// cut-offs of 1 or 3 notes. The averaged perceptron these models replace
// typed 84.3% to 85.6% of held-out notes right at any number of passes (2
// to 10) or cut-off (1 to 12) — the classifier alone, five-fold — and
// about 95% of those it was trained on; these type 87.7% of held-out notes
// right.
const (
	// TextEpochs is the number of passes: the learning rate falls with
	// each, and the held-out score still rises a little from 10 to 20.
	TextEpochs = 20
	// TextMinCount drops features seen in fewer notes, as MinCount does.
	TextMinCount = 3
	// TextL2 is the decay of every weight at each note visited. Less (3e-4)
	// lets rare words fit their few notes: 1 point lower held out; more
	// (3e-3) starts to forget real evidence: 0.4 point lower.
	TextL2 = 1e-3
	// TextRate is the first pass's learning rate.
	TextRate = 0.3
	// TextMinWeight leaves out of the model files the weights too small to
	// matter: at 0.05 the two files weigh 126 KB and 163 KB instead of
	// 390 KB and 740 KB, for 0.2 point of held-out event types; at 0.1
	// they halve again, for 0.6 point.
	TextMinWeight = 0.05
)

// EventExamples reads an incident corpus (acled_dev.jsonl's format) and
// returns one event-type example per gold incident and one sub-event-type
// example ("Type|Sub") per gold incident that carries a sub_event_type.
func EventExamples(r io.Reader, f *extract.Featurizer) (types, subs []textclass.Example, err error) {
	arts, err := eval.ReadIncidentCorpus(r)
	if err != nil {
		return nil, nil, fmt.Errorf("reading corpus: %w", err)
	}
	types, subs = eventExamples(arts, f)
	return types, subs, nil
}

func eventExamples(arts []eval.IncidentArticle, f *extract.Featurizer) (types, subs []textclass.Example) {
	for _, a := range arts {
		if len(a.Incidents) != 1 {
			continue // an article's incidents share its text: no clean label
		}
		g := a.Incidents[0]
		typ := eval.EventType(g.EventType)
		fs := f.EventFeatures(a.Text)
		types = append(types, textclass.Example{Features: fs, Label: typ})
		if sub := g.Field("sub_event_type"); sub != "" {
			subs = append(subs, textclass.Example{Features: fs, Label: typ + "|" + sub})
		}
	}
	return types, subs
}

// CountryExamples reads an incident corpus and returns one example per
// article whose gold incidents are all in one country.
func CountryExamples(r io.Reader, f *extract.Featurizer) ([]textclass.Example, error) {
	arts, err := eval.ReadIncidentCorpus(r)
	if err != nil {
		return nil, fmt.Errorf("reading corpus: %w", err)
	}
	return countryExamples(arts, f), nil
}

func countryExamples(arts []eval.IncidentArticle, f *extract.Featurizer) []textclass.Example {
	var out []textclass.Example
	for _, a := range arts {
		if len(a.Incidents) != 1 || a.Incidents[0].Country == "" {
			continue
		}
		out = append(out, textclass.Example{Features: f.CountryFeatures(a.Text), Label: a.Incidents[0].Country})
	}
	return out
}

// Train fits an averaged perceptron with the package's settings: the
// country model.
func Train(examples []textclass.Example) *textclass.Model {
	return textclass.Train(examples, Epochs, MinCount, Seed)
}

// TrainText fits a logistic regression with the text settings: the
// event-type and sub-event-type models.
func TrainText(examples []textclass.Example) *textclass.Model {
	return textclass.TrainLogistic(examples, textclass.LogisticSettings{
		Epochs: TextEpochs, MinCount: TextMinCount, L2: TextL2, Rate: TextRate, Seed: Seed, MinWeight: TextMinWeight})
}

// CrossValidate returns the accuracy of k-fold cross-validation of the
// models train fits: each fold is predicted by a model trained on the
// others, so the figure says how the model does on notes it has not seen.
func CrossValidate(examples []textclass.Example, k int, train func([]textclass.Example) *textclass.Model) float64 {
	return crossValidate(examples, k, train, func(m *textclass.Model, e textclass.Example) bool {
		got, _ := m.Predict(e.Features)
		return got == e.Label
	})
}

// crossValidate returns the share of items that right finds right under a
// model trained by train on the other k-1 folds.
func crossValidate[T any](items []T, k int, train func([]T) *textclass.Model, right func(*textclass.Model, T) bool) float64 {
	n := 0
	for fold := 0; fold < k; fold++ {
		tr, test := split(items, k, fold)
		m := train(tr)
		for _, it := range test {
			if right(m, it) {
				n++
			}
		}
	}
	return float64(n) / float64(len(items))
}

// split returns the items outside fold and those in it, fold being every
// k-th item from the fold-th on.
func split[T any](items []T, k, fold int) (train, test []T) {
	for i, it := range items {
		if i%k == fold {
			test = append(test, it)
		} else {
			train = append(train, it)
		}
	}
	return train, test
}

// Encode writes a model to bytes.
func Encode(m *textclass.Model) ([]byte, error) {
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PlaceGroups builds the event-place ranker's training groups: one per
// sentence with two or more candidate places of which one is labelled the
// event's. From event_location_dev.jsonl the label is a span overlapping an
// event location; from acled_dev.jsonl notes, the mention whose name is
// ACLED's location.
func PlaceGroups(eventLoc, acled io.Reader, x *extract.Extractor, gaz *gazetteer.Gazetteer) ([]textclass.Group, error) {
	sents, err := eval.ReadEventLocationCorpus(eventLoc)
	if err != nil {
		return nil, fmt.Errorf("reading event locations: %w", err)
	}
	arts, err := eval.ReadIncidentCorpus(acled)
	if err != nil {
		return nil, fmt.Errorf("reading notes: %w", err)
	}
	return placeGroups(sents, arts, x, gaz)
}

// CrossFitFolds is how many parts the notes are split into when the
// ranker's groups are built from them: each part is read with the places
// learned from the others only, as a new note is read with places learned
// from notes before it. Read with places learned from itself, every
// coder's village would be a known place, and the ranker would learn that
// a village a text names is never unknown.
const CrossFitFolds = 5

// EventSentenceWeight is how many times the ranker meets each group of
// the event sentences against once each ACLED note's: news sentences and
// coders' notes place their events differently, and the notes outnumber
// the sentences. Held out (eval --event-location --cross-validate 5, eval
// --cross-validate 5), weights 1, 2, 3 and 4 place 75.1, 75.8, 76.1 and
// 76.0% of the sentences naming two or more places at the event's place
// and 72.5, 72.4, 72.5 and 72.6% of the notes; at 4, one article of
// dev.jsonl (a close call between a city and a country) goes wrong.
const EventSentenceWeight = 3

func placeGroups(sents []eval.EventSentence, arts []eval.IncidentArticle, x *extract.Extractor, gaz *gazetteer.Gazetteer) ([]textclass.Group, error) {
	var groups []textclass.Group
	for _, e := range sameText(sents) {
		n := len(groups)
		groups = appendGroups(groups, x.PlaceCandidates(e.Text), func(c extract.PlaceCandidate) bool {
			for _, g := range e.EventLocations {
				if c.Span.Start < g.End && c.Span.End > g.Start {
					return true
				}
			}
			return false
		})
		for i := n; i < len(groups); i++ {
			groups[i].Weight = EventSentenceWeight * e.records
		}
	}
	for fold := 0; fold < CrossFitFolds && len(arts) >= CrossFitFolds; fold++ {
		others, part := split(arts, CrossFitFolds, fold)
		xf, err := x.WithPlaceAliases(placeAliases(others, gaz))
		if err != nil {
			return nil, err
		}
		groups = append(groups, noteGroups(part, xf)...)
	}
	return groups, nil
}

// mergedSentence is one text of the event sentences with the event places
// of all its records.
type mergedSentence struct {
	eval.EventSentence
	records int
}

// sameText merges the event sentences that share a text, in the order of
// their first record, keeping those with an event place. The corpus
// labels a sentence once for each event verb ("launched an offensive in
// A, targeting B" is labelled A for "launched" and B for "targeting"),
// but the extractor reads the sentence, not the verb: as separate groups
// the records teach that A is wrong and that B is wrong, as one they
// teach that either is right. (event_location_dev: 413 texts have two or
// more records, 154 of them with different places.)
func sameText(sents []eval.EventSentence) []mergedSentence {
	var out []mergedSentence
	at := map[string]int{}
	for _, e := range sents {
		if len(e.EventLocations) == 0 {
			continue
		}
		i, ok := at[e.Text]
		if !ok {
			i = len(out)
			at[e.Text] = i
			out = append(out, mergedSentence{EventSentence: e})
			out[i].EventLocations = nil
		}
		out[i].EventLocations = append(out[i].EventLocations, e.EventLocations...)
		out[i].records++
	}
	return out
}

// noteGroups are the ranker's groups of the notes, read by x.
func noteGroups(arts []eval.IncidentArticle, x *extract.Extractor) []textclass.Group {
	var groups []textclass.Group
	for _, a := range arts {
		if len(a.Incidents) != 1 {
			continue
		}
		// The coder's finest named unit: the location, or the admin area
		// the note names when it names no finer place.
		field := a.Incidents[0].Field("place_in_text")
		want := ""
		switch field {
		case "location":
			want = gazetteer.Normalize(a.Incidents[0].Place)
		case "admin1", "admin2", "admin3":
			want = gazetteer.Normalize(a.Incidents[0].Field(field))
		}
		if want == "" {
			continue
		}
		groups = appendGroups(groups, x.PlaceCandidates(a.Text), func(c extract.PlaceCandidate) bool {
			return gazetteer.Normalize(c.Name) == want
		})
	}
	return groups
}

// appendGroups adds a group for each sentence with two or more candidates
// of which one is right: the first is Gold, any other right one Also.
func appendGroups(groups []textclass.Group, sents [][]extract.PlaceCandidate, right func(extract.PlaceCandidate) bool) []textclass.Group {
	for _, cs := range sents {
		if len(cs) < 2 {
			continue
		}
		g := textclass.Group{Gold: -1}
		for i, c := range cs {
			g.Candidates = append(g.Candidates, c.Features)
			switch {
			case !right(c):
			case g.Gold < 0:
				g.Gold = i
			default:
				g.Also = append(g.Also, i)
			}
		}
		if g.Gold >= 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// TrainRanker fits the event-place ranker with the package's settings.
func TrainRanker(groups []textclass.Group) *textclass.Model {
	return textclass.TrainRanker(groups, Epochs, MinCount, Seed)
}

// CrossValidateRanker returns the share of held-out groups whose right
// candidate ranks first, by k-fold cross-validation.
func CrossValidateRanker(groups []textclass.Group, k int) float64 {
	return crossValidate(groups, k, TrainRanker, func(m *textclass.Model, g textclass.Group) bool {
		best, bestScore := 0, m.Score(g.Candidates[0])
		for i, c := range g.Candidates[1:] {
			if s := m.Score(c); s > bestScore {
				best, bestScore = i+1, s
			}
		}
		return best == g.Gold
	})
}

// Alias settings: a name becomes an alias only when enough notes agree.
const (
	// MinAliasNotes is how many notes must code a point under a name in
	// the same area. One is enough: held out (eval --cross-validate 5),
	// aliases seen once place 66.9% of the notes, twice 66.6%, three
	// times 66.4%; a slip of one coder is outvoted by MinAliasAgreement.
	MinAliasNotes = 1
	// MinAliasAgreement is the share of a name's notes that must fall in
	// that area.
	MinAliasAgreement = 0.75
)

// AdminAliases derives the alias table from an incident corpus whose gold
// incidents carry admin1 and admin2 names (acled_dev.jsonl): for each name,
// the gazetteer area its points fall in (by reverse lookup), kept when the
// gazetteer does not already resolve the name to that area and enough
// notes agree. Lines are "key<TAB>place id<TAB>notes agreeing/notes", sorted.
func AdminAliases(r io.Reader, gaz *gazetteer.Gazetteer) ([]byte, error) {
	return tableOf(r, gaz, adminAliases)
}

// tableOf derives a table from the incident corpus r with derive.
func tableOf(r io.Reader, gaz *gazetteer.Gazetteer, derive func([]eval.IncidentArticle, *gazetteer.Gazetteer) []byte) ([]byte, error) {
	arts, err := eval.ReadIncidentCorpus(r)
	if err != nil {
		return nil, fmt.Errorf("reading corpus: %w", err)
	}
	return derive(arts, gaz), nil
}

// sortedLines joins lines, sorted, each ended by a newline.
func sortedLines(lines []string) []byte {
	sort.Strings(lines)
	var buf bytes.Buffer
	for _, l := range lines {
		buf.WriteString(l)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func adminAliases(arts []eval.IncidentArticle, gaz *gazetteer.Gazetteer) []byte {
	votes := map[string]map[string]int{} // key -> place id -> notes
	for _, a := range arts {
		for _, g := range a.Incidents {
			h, err := gaz.Reverse(g.Lat, g.Lon)
			if err != nil || !strings.EqualFold(h.Country.Country, g.Country) {
				continue
			}
			for _, n := range []struct {
				name string
				area gazetteer.Place
			}{{g.Admin1, h.Admin1}, {g.Field("admin2"), h.Admin2}} {
				key := gazetteer.Normalize(n.name)
				if key == "" || n.area.ID == "" {
					continue
				}
				if votes[key] == nil {
					votes[key] = map[string]int{}
				}
				votes[key][n.area.ID]++
			}
		}
	}
	var lines []string
	for key, byID := range votes {
		total, best, bestID := 0, 0, ""
		for id, n := range byID {
			total += n
			if n > best || n == best && id < bestID {
				best, bestID = n, id
			}
		}
		if best < MinAliasNotes || float64(best) < MinAliasAgreement*float64(total) || resolves(gaz, key, bestID) {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s\t%s\t%d/%d", key, bestID, best, total))
	}
	return sortedLines(lines)
}

// PlaceAliasKm is how close the points coded under a village's name must
// lie to their median to agree, and how close a gazetteer reading of the
// name must lie for the alias to be needless: the radius within which a
// town-level incident counts as located (eval.Radius).
const PlaceAliasKm = 25

// PlaceAliases derives the table of places the gazetteer lacks from an
// incident corpus whose gold incidents are coded at a town's point or near
// it (acled_dev.jsonl, precision town or district): for each name and
// country, the median of the points coded under it, kept when enough of
// them agree (MinAliasNotes, MinAliasAgreement) and the gazetteer has no
// reading of the name there within PlaceAliasKm. A location coded "Dhaka -
// Gulshan" also names Gulshan. The place is "town" when every agreeing
// note coded the town itself, "near" when one coded only a point near it
// (held out, eval --cross-validate 5, learning from both places 72.3% of
// the notes, from town-level notes alone 71.4%). Lines are
// "key<TAB>country<TAB>lat<TAB>lon<TAB>town|near<TAB>admin1 id<TAB>admin2
// id<TAB>notes agreeing/notes" ("-" for no area), sorted.
func PlaceAliases(r io.Reader, gaz *gazetteer.Gazetteer) ([]byte, error) {
	return tableOf(r, gaz, placeAliases)
}

// codedName is a name and country coded in the notes.
type codedName struct{ name, cc string }

// codedPoint is one note's point for a name, and whether the coder placed
// it only near the named place.
type codedPoint struct {
	at   orb.Point
	near bool
}

func placeAliases(arts []eval.IncidentArticle, gaz *gazetteer.Gazetteer) []byte {
	var lines []string
	for k, cs := range codedPoints(arts) {
		pts := make([]orb.Point, len(cs))
		for i, c := range cs {
			pts[i] = c.at
		}
		mid := medianPoint(pts)
		agree, precision := 0, "town"
		for _, c := range cs {
			if eval.DistanceKm(c.at, mid) <= PlaceAliasKm {
				agree++
				if c.near {
					precision = "near"
				}
			}
		}
		if agree < MinAliasNotes || float64(agree) < MinAliasAgreement*float64(len(cs)) || readsNear(gaz, k.name, k.cc, mid) {
			continue
		}
		a1, a2 := areasAt(gaz, k.cc, mid)
		lines = append(lines, fmt.Sprintf("%s\t%s\t%.4f\t%.4f\t%s\t%s\t%s\t%d/%d", k.name, k.cc, mid[1], mid[0], precision, a1, a2, agree, len(cs)))
	}
	return sortedLines(lines)
}

// codedPoints gathers the points the notes code each place name at, from
// the gold incidents coded at a town or near one; "Dhaka - Gulshan" also
// names Gulshan.
func codedPoints(arts []eval.IncidentArticle) map[codedName][]codedPoint {
	points := map[codedName][]codedPoint{}
	for _, a := range arts {
		for _, g := range a.Incidents {
			if g.Precision != "town" && g.Precision != "district" || g.Country == "" {
				continue
			}
			names := []string{g.Place}
			if _, sub, ok := strings.Cut(g.Place, " - "); ok {
				names = append(names, sub)
			}
			for _, n := range names {
				if k := gazetteer.Normalize(n); len(k) > 2 {
					kk := codedName{k, strings.ToUpper(g.Country)}
					points[kk] = append(points[kk], codedPoint{orb.Point{g.Lon, g.Lat}, g.Precision != "town"})
				}
			}
		}
	}
	return points
}

// areasAt returns the ids of the first- and second-level areas of
// country cc that point p lies in, "-" for none: written into the table so
// that reading it costs no reverse look-up.
func areasAt(gaz *gazetteer.Gazetteer, cc string, p orb.Point) (admin1, admin2 string) {
	admin1, admin2 = "-", "-"
	h, err := gaz.Reverse(p[1], p[0])
	if err != nil || h.Country.Country != cc {
		return admin1, admin2
	}
	if h.Admin1.ID != "" {
		admin1 = h.Admin1.ID
	}
	if h.Admin2.ID != "" {
		admin2 = h.Admin2.ID
	}
	return admin1, admin2
}

// medianPoint is the coordinate-wise median of pts: one coder's slip does
// not move it.
func medianPoint(pts []orb.Point) orb.Point {
	lons, lats := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		lons[i], lats[i] = p[0], p[1]
	}
	sort.Float64s(lons)
	sort.Float64s(lats)
	return orb.Point{lons[len(lons)/2], lats[len(lats)/2]}
}

// readsNear reports whether the gazetteer already reads name, in country
// cc, as a place within PlaceAliasKm of p among its first readings.
func readsNear(gaz *gazetteer.Gazetteer, name, cc string, p orb.Point) bool {
	cs, err := gaz.Lookup(name, gazetteer.Hints{Country: cc})
	if err != nil {
		return false
	}
	for i, c := range cs {
		if i < 3 && c.Place.Country == cc && c.Match != gazetteer.KindPhonetic && eval.DistanceKm(c.Place.Point, p) <= PlaceAliasKm {
			return true
		}
	}
	return false
}

// resolves reports whether the gazetteer already finds area id among the
// first readings of name in its country.
func resolves(gaz *gazetteer.Gazetteer, name, id string) bool {
	area, err := gaz.Get(id)
	if err != nil {
		return true
	}
	cs, err := gaz.Lookup(name, gazetteer.Hints{Country: area.Country, Level: area.Level})
	if err != nil {
		return false
	}
	for i, c := range cs {
		if i < 3 && c.Place.ID == id && c.Match != gazetteer.KindPhonetic {
			return true
		}
	}
	return false
}

// Held-out scores of the whole pipeline.

// FoldScore is what the extractor scored on one held-out fold.
type FoldScore struct {
	Total  eval.IncidentScore // every note of the fold
	Subset eval.IncidentScore // notes whose place is named in the text
}

// CrossValidatePipeline scores the whole extractor on notes it was not
// trained on: the notes are split into k folds, and for each fold every
// learned part (event and sub-event types, country prior, administrative
// aliases, event-place ranker) is trained on the other folds and on the
// event-location sentences, then the fold's notes are extracted and
// scored. It is the honest counterpart of scoring the committed models on
// the notes they were trained on.
//
// seen, when not nil, is called with each note, its article and what the
// fold's extractor made of it (for a per-note dump).
func CrossValidatePipeline(notes []eval.IncidentArticle, sents []eval.EventSentence, gaz *gazetteer.Gazetteer, k int,
	seen func(eval.IncidentArticle, extract.Article, extract.Result) error) ([]FoldScore, error) {
	if len(notes) < 2*k {
		return nil, fmt.Errorf("%d folds of %d notes: %w", k, len(notes), ErrNoNotes) // a fold would train on next to nothing
	}
	out := make([]FoldScore, k)
	for fold := 0; fold < k; fold++ {
		train, test := split(notes, k, fold)
		x, err := withRanker(noteModels(train, gaz), sents, train, gaz)
		if err != nil {
			return nil, err
		}
		for _, a := range test {
			art, err := a.Article()
			if err != nil {
				return nil, err
			}
			res, err := x.Extract(art)
			if err != nil {
				return nil, fmt.Errorf("extracting %s: %w", a.ID, err)
			}
			if seen != nil {
				if err := seen(a, art, res); err != nil {
					return nil, err
				}
			}
			s := eval.ScoreArticle(a.Incidents, res.Incidents)
			out[fold].Total.Add(s)
			if len(a.Incidents) == 1 && a.Incidents[0].Field("place_in_text") != "" {
				out[fold].Subset.Add(s)
			}
		}
	}
	return out, nil
}

// noteModels trains the learned parts that read the ACLED notes: event
// and sub-event types, the country prior and the two alias tables.
func noteModels(notes []eval.IncidentArticle, gaz *gazetteer.Gazetteer) extract.Models {
	f := extract.NewFeaturizer()
	types, subs := eventExamples(notes, f)
	return extract.Models{EventType: TrainText(types), SubEventType: TrainText(subs), Country: Train(countryExamples(notes, f)),
		AdminAliases: adminAliases(notes, gaz), PlaceAliases: placeAliases(notes, gaz)}
}

// withRanker returns an extractor with models m and an event-place ranker
// trained on sents and notes, read by an extractor with m alone.
func withRanker(m extract.Models, sents []eval.EventSentence, notes []eval.IncidentArticle, gaz *gazetteer.Gazetteer) (*extract.Extractor, error) {
	first, err := extract.NewWithModels(gaz, m)
	if err != nil {
		return nil, err
	}
	groups, err := placeGroups(sents, notes, first, gaz)
	if err != nil {
		return nil, err
	}
	m.EventPlace = TrainRanker(groups)
	x, err := extract.NewWithModels(gaz, m)
	if err != nil {
		return nil, err
	}
	return x.WithClock(eval.ExtractionDay), nil
}

// ErrNoNotes is returned when the models must be trained on notes and
// there are none.
var ErrNoNotes = errors.New("no incident notes to train the text models on")

// CrossValidateEventPlaces scores the event's place of each event sentence
// with a ranker trained on the other k-1 folds of the sentences (and on
// every ACLED note): the held-out figure of the event-location mode, since
// the committed ranker has seen every sentence. The text models are
// trained on all notes; they do not read the sentences' labels. seen, when
// not nil, is called with each held-out sentence as its fold read it.
func CrossValidateEventPlaces(notes []eval.IncidentArticle, sents []eval.EventSentence, gaz *gazetteer.Gazetteer, k int,
	seen func(eval.EventSentence, extract.Result, eval.EventOutcome) error) (eval.EventLocationScore, error) {
	var score eval.EventLocationScore
	if len(notes) == 0 {
		return score, ErrNoNotes
	}
	m := noteModels(notes, gaz)
	for fold := 0; fold < k; fold++ {
		train, test := split(sents, k, fold)
		x, err := withRanker(m, train, notes, gaz)
		if err != nil {
			return score, err
		}
		for _, e := range test {
			res, err := x.Extract(extract.Article{Text: e.Text})
			if err != nil {
				return score, fmt.Errorf("extracting sentence %s: %w", e.ID, err)
			}
			o := score.ScoreEventSentence(e, res)
			if seen == nil {
				continue
			}
			if err := seen(e, res, o); err != nil {
				return score, err
			}
		}
	}
	return score, nil
}

// MinCommonWord is how many times the corpora must write a word in lower
// case for the spotter to read it, capitalised and with no locative cue,
// as that word rather than a place ("Led by", "the Free Syrian Army"):
// fewer would list names typed in lower case once or twice.
const MinCommonWord = 3

// CommonWordCorpora are the development corpora whose text CommonWords
// reads: ACLED notes, news articles, event sentences and geoparsed news.
func CommonWordCorpora() []string {
	return []string{"acled_dev.jsonl", "dev.jsonl", "event_location_dev.jsonl", "trnews.jsonl"}
}

// CommonWords lists, one per line and sorted, the words the given JSON
// lines corpora (each line an object with a "text" member) write in lower
// case at least MinCommonWord times. It reads no labels, only text.
func CommonWords(corpora ...io.Reader) ([]byte, error) {
	counts := map[string]int{}
	for _, r := range corpora {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for n := 1; sc.Scan(); n++ {
			var line struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			for _, w := range strings.FieldsFunc(line.Text, func(r rune) bool {
				return !unicode.IsLetter(r) && r != '-' && r != '\''
			}) {
				w = strings.Trim(w, "-'")
				if r := []rune(w); len(r) > 1 && unicode.IsLower(r[0]) {
					counts[w]++
				}
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading corpus: %w", err)
		}
	}
	var words []string
	for w, c := range counts {
		if c >= MinCommonWord {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return nil, errors.New("the corpora hold no common words")
	}
	sort.Strings(words)
	return []byte(strings.Join(words, "\n") + "\n"), nil
}
