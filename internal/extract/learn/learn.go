// Package learn trains the extractor's learned models from the development
// corpora. Training is deterministic (fixed order, fixed seed, rounded
// weights), so `go generate ./internal/extract/` rebuilds the committed
// model files byte for byte, and a test checks that it does.
package learn

import (
	"bytes"
	"fmt"
	"io"

	"github.com/incidentmap/incidentmap/internal/eval"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/textclass"
)

// Training settings, chosen by five-fold cross-validation on
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

// EventExamples reads an incident corpus (acled_dev.jsonl's format) and
// returns one event-type example per gold incident and one sub-event-type
// example ("Type|Sub") per gold incident that carries a sub_event_type.
func EventExamples(r io.Reader, f *extract.Featurizer) (types, subs []textclass.Example, err error) {
	arts, err := eval.ReadIncidentCorpus(r)
	if err != nil {
		return nil, nil, fmt.Errorf("reading corpus: %w", err)
	}
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
	return types, subs, nil
}

// Train fits a model with the package's settings.
func Train(examples []textclass.Example) *textclass.Model {
	return textclass.Train(examples, Epochs, MinCount, Seed)
}

// CrossValidate returns the accuracy of k-fold cross-validation: each
// fold is predicted by a model trained on the others, so the figure says
// how the model does on notes it has not seen.
func CrossValidate(examples []textclass.Example, k int) float64 {
	right := 0
	for fold := 0; fold < k; fold++ {
		var train, test []textclass.Example
		for i, e := range examples {
			if i%k == fold {
				test = append(test, e)
			} else {
				train = append(train, e)
			}
		}
		m := Train(train)
		for _, e := range test {
			if got, _ := m.Predict(e.Features); got == e.Label {
				right++
			}
		}
	}
	return float64(right) / float64(len(examples))
}

// Encode writes a model to bytes.
func Encode(m *textclass.Model) ([]byte, error) {
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
