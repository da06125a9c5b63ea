package textclass

import (
	"math"
)

// LogisticSettings are the knobs of TrainLogistic.
type LogisticSettings struct {
	Epochs   int     // passes over the examples
	MinCount int     // features seen in fewer examples are left out
	L2       float64 // weight decay per example visited: pulls rare features' weights to zero
	Rate     float64 // learning rate of the first pass; pass e uses Rate/(1+e)
	Seed     uint64  // fixes the order examples are visited in
	// MinWeight drops the weights smaller than it in magnitude from the
	// model: they barely move a score, and every class of every feature
	// has one.
	MinWeight float64
}

// TrainLogistic fits a multinomial logistic regression (softmax over
// classes) by stochastic gradient descent with L2 decay. Unlike the
// perceptron, which stops learning from an example once it is right, it
// keeps pushing every example towards certainty in proportion to its
// doubt, and the decay keeps a word seen in a handful of examples from
// carrying a large weight: on short texts it generalises better to ones
// it has not seen. Examples are visited in the same fixed shuffled order
// as Train's and weights are rounded as Train's are, so the same examples
// give the same model file. A model's scores are log-odds up to a
// constant: softmax at temperature 1 turns them into probabilities.
func TrainLogistic(examples []Example, s LogisticSettings) *Model {
	v := newVocabulary(examples, s.MinCount)
	m := &Model{Classes: v.classes}
	classIndex, feats := v.classIndex, v.feats
	d := newDecayed(len(m.Classes), s.L2)
	order := newOrder(len(examples), s.Seed)
	probs := make([]float64, len(m.Classes))
	for epoch := 0; epoch < s.Epochs; epoch++ {
		order.shuffle()
		rate := s.Rate / float64(1+epoch)
		for _, ei := range order.idx {
			fs := feats[ei]
			d.softmax(fs, rate, probs)
			truth := classIndex[examples[ei].Label]
			for c, p := range probs {
				g := -p
				if c == truth {
					g++
				}
				for _, f := range fs {
					d.w[f][c] += rate * g
				}
			}
			d.step++
		}
	}
	m.weights = d.final(s.Rate/float64(max(s.Epochs, 1)), s.MinWeight)
	return m
}

// decayed holds logistic weights under L2 decay, applied lazily: a
// feature's weights shrink by the steps they missed when next read.
type decayed struct {
	nc   int
	l2   float64
	step int
	w    map[string][]float64
	last map[string]int // step at which w[f] was last brought up to date
}

func newDecayed(nc int, l2 float64) *decayed {
	return &decayed{nc: nc, l2: l2, w: map[string][]float64{}, last: map[string]int{}}
}

// catchUp applies the decay feature f missed since it was last read.
func (d *decayed) catchUp(f string, rate float64) {
	ws := d.w[f]
	if ws == nil {
		d.w[f], d.last[f] = make([]float64, d.nc), d.step
		return
	}
	if n := d.step - d.last[f]; n > 0 && d.l2 > 0 {
		shrink := math.Pow(1-rate*d.l2, float64(n))
		for c := range ws {
			ws[c] *= shrink
		}
	}
	d.last[f] = d.step
}

// softmax brings the features' weights up to date and writes the class
// probabilities they give into probs.
func (d *decayed) softmax(fs []string, rate float64, probs []float64) {
	for c := range probs {
		probs[c] = 0
	}
	for _, f := range fs {
		d.catchUp(f, rate)
		for c, x := range d.w[f] {
			probs[c] += x
		}
	}
	top := math.Inf(-1)
	for _, x := range probs {
		top = math.Max(top, x)
	}
	sum := 0.0
	for c, x := range probs {
		probs[c] = math.Exp(x - top)
		sum += probs[c]
	}
	for c := range probs {
		probs[c] /= sum
	}
}

// final brings every weight up to date at the last pass's rate and
// returns them rounded to three decimals, those smaller than minWeight in
// magnitude set to zero, without features whose weights are all zero.
func (d *decayed) final(rate, minWeight float64) map[string][]float64 {
	out := map[string][]float64{}
	for f := range d.w {
		d.catchUp(f, rate)
		ws := make([]float64, d.nc)
		nonzero := false
		for c, x := range d.w[f] {
			if math.Abs(x) >= minWeight {
				ws[c] = math.Round(1000*x) / 1000
			}
			nonzero = nonzero || ws[c] != 0
		}
		if nonzero {
			out[f] = ws
		}
	}
	return out
}
