package textclass

import (
	"bytes"
	"testing"
)

func TestTrainLogistic(t *testing.T) {
	s := LogisticSettings{Epochs: 10, MinCount: 2, L2: 1e-3, Rate: 0.3, Seed: 7}
	m := TrainLogistic(examples(), s)
	checkExamples(t, m)
	// "w=road" is in both classes' examples, as often in one as in the
	// other: it should say little, unlike the words that tell them apart.
	road, _ := m.Predict([]string{"w=road"})
	_, roadMargin := m.Predict([]string{"w=road"})
	_, mortarMargin := m.Predict([]string{"w=mortar"})
	if roadMargin >= mortarMargin {
		t.Errorf("margin of a shared word (%q, %v) not below that of a telling one (%v)", road, roadMargin, mortarMargin)
	}
}

// The same examples give byte-identical model files, and MinWeight only
// removes weights.
func TestTrainLogisticReproducible(t *testing.T) {
	s := LogisticSettings{Epochs: 5, MinCount: 1, L2: 1e-2, Rate: 0.5, Seed: 3}
	var a, b bytes.Buffer
	if err := TrainLogistic(examples(), s).Write(&a); err != nil {
		t.Fatal(err)
	}
	if err := TrainLogistic(examples(), s).Write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two trainings differ")
	}
	full := TrainLogistic(examples(), s)
	s.MinWeight = 1
	pruned := TrainLogistic(examples(), s)
	if pruned.Features() >= full.Features() || pruned.Features() == 0 {
		t.Errorf("MinWeight 1 keeps %d of %d features", pruned.Features(), full.Features())
	}
	for f, ws := range pruned.weights {
		for c, x := range ws {
			if x != 0 && x != full.weights[f][c] {
				t.Errorf("%s class %d: pruned weight %v, full %v", f, c, x, full.weights[f][c])
			}
		}
	}
}
