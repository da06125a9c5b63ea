// Package textclass is a small multiclass linear classifier over sparse
// string features: an averaged perceptron (Collins 2002) or a logistic
// regression (TrainLogistic), trained in a fixed order so that the same
// examples always give the same weights, and written as sorted text so
// that a retrained model's diff shows what changed. incidentmap's
// extractor uses it to tell ACLED event types, the country a report is
// from and which place a sentence's event happened at.
package textclass

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Example is one labelled instance.
type Example struct {
	Features []string
	Label    string
}

// Model holds one weight per feature and class.
type Model struct {
	Classes []string
	weights map[string][]float64
}

// ErrFormat is returned by Read for a malformed model file.
var ErrFormat = errors.New("malformed model file")

// Train fits a model to the examples in epochs passes, visiting them in a
// fixed shuffled order drawn from seed, and returns the averaged weights.
// Features seen fewer than minCount times are left out: rare words fit the
// training set, not the language.
func Train(examples []Example, epochs, minCount int, seed uint64) *Model {
	v := newVocabulary(examples, minCount)
	m := &Model{Classes: v.classes, weights: map[string][]float64{}}
	av := newAverager(len(m.Classes))
	order := newOrder(len(examples), seed)
	for epoch := 0; epoch < epochs; epoch++ {
		order.shuffle()
		for _, ei := range order.idx {
			fs := v.feats[ei]
			guess := argmax(av.scores(fs))
			if truth := v.classIndex[examples[ei].Label]; guess != truth {
				for _, f := range fs {
					av.update(f, truth, 1)
					av.update(f, guess, -1)
				}
			}
			av.step++
		}
	}
	m.weights = av.averaged()
	return m
}

// vocabulary is what both trainers read of the examples: the classes in
// sorted order, each class's index, and each example's distinct features
// seen in at least minCount examples.
type vocabulary struct {
	classes    []string
	classIndex map[string]int
	feats      [][]string
}

func newVocabulary(examples []Example, minCount int) vocabulary {
	seen := map[string]int{}
	classSet := map[string]bool{}
	for _, e := range examples {
		for _, f := range dedupe(e.Features) {
			seen[f]++
		}
		classSet[e.Label] = true
	}
	v := vocabulary{classIndex: map[string]int{}, feats: make([][]string, len(examples))}
	for c := range classSet {
		v.classes = append(v.classes, c)
	}
	sort.Strings(v.classes)
	for i, c := range v.classes {
		v.classIndex[c] = i
	}
	for i, e := range examples {
		v.feats[i] = keep(dedupe(e.Features), seen, minCount)
	}
	return v
}

// Group is one ranking instance: candidates' features, and which
// candidate is right.
type Group struct {
	Candidates [][]string
	Gold       int
	// Also lists other candidates that are right too (a sentence whose
	// events are in two of its places): the trainer takes any right
	// candidate ranked first for a right answer, and when it errs moves
	// towards the best-scored right one, rather than teaching that a
	// right place is wrong.
	Also []int
	// Weight is how many times the trainer meets the group in each pass
	// (0 counts as 1): a group from a scarcer source can count for more.
	Weight int
}

// TrainRanker fits a linear scoring function such that the gold candidate
// of each group scores highest, by the same averaged perceptron; the model
// has the one class "score" (see Score).
func TrainRanker(groups []Group, epochs, minCount int, seed uint64) *Model {
	seen := map[string]int{}
	for _, g := range groups {
		for _, c := range g.Candidates {
			for _, f := range dedupe(c) {
				seen[f]++
			}
		}
	}
	// Each group is met as many times per pass as its weight, at places
	// of the shuffled order of its own.
	var visits []int
	for gi, g := range groups {
		for range max(1, g.Weight) {
			visits = append(visits, gi)
		}
	}
	// The candidates' features kept, once: each group is met many times.
	kept := make([][][]string, len(groups))
	for gi, g := range groups {
		kept[gi] = make([][]string, len(g.Candidates))
		for ci, c := range g.Candidates {
			kept[gi][ci] = keep(dedupe(c), seen, minCount)
		}
	}
	av := newAverager(1)
	order := newOrder(len(visits), seed)
	for epoch := 0; epoch < epochs; epoch++ {
		order.shuffle()
		for _, vi := range order.idx {
			g, cands := groups[visits[vi]], kept[visits[vi]]
			best, bestScore := -1, math.Inf(-1)
			gold, goldScore := g.Gold, math.Inf(-1)
			for ci := range cands {
				s := av.scores(cands[ci])[0]
				if s > bestScore {
					best, bestScore = ci, s
				}
				if (ci == g.Gold || slices.Contains(g.Also, ci)) && s > goldScore {
					gold, goldScore = ci, s
				}
			}
			if best != gold {
				for _, f := range cands[gold] {
					av.update(f, 0, 1)
				}
				for _, f := range cands[best] {
					av.update(f, 0, -1)
				}
			}
			av.step++
		}
	}
	return &Model{Classes: []string{"score"}, weights: av.averaged()}
}

// Score is a ranker's score for one candidate's features, which must be
// distinct.
func (m *Model) Score(features []string) float64 {
	if len(m.Classes) == 0 {
		return 0
	}
	return m.ScoresDistinct(features)[0]
}

// averager keeps perceptron weights and their running sums, updated
// lazily: a weight's sum catches up only when it changes.
type averager struct {
	nc    int
	step  int
	w     map[string][]float64
	total map[string][]float64
	stamp map[string][]int
}

func newAverager(nc int) *averager {
	return &averager{nc: nc, step: 1, w: map[string][]float64{}, total: map[string][]float64{}, stamp: map[string][]int{}}
}

func (a *averager) scores(fs []string) []float64 {
	s := make([]float64, a.nc)
	for _, f := range fs {
		if ws, ok := a.w[f]; ok {
			for c := range ws {
				s[c] += ws[c]
			}
		}
	}
	return s
}

func (a *averager) update(f string, c int, delta float64) {
	if a.w[f] == nil {
		a.w[f], a.total[f], a.stamp[f] = make([]float64, a.nc), make([]float64, a.nc), make([]int, a.nc)
	}
	a.total[f][c] += float64(a.step-a.stamp[f][c]) * a.w[f][c]
	a.stamp[f][c] = a.step
	a.w[f][c] += delta
}

// averaged returns the averaged weights, rounded to three decimals so that
// the written model does not depend on floating-point summation noise.
func (a *averager) averaged() map[string][]float64 {
	out := map[string][]float64{}
	for f, ws := range a.w {
		avg := make([]float64, a.nc)
		nonzero := false
		for c := range ws {
			t := a.total[f][c] + float64(a.step-a.stamp[f][c])*ws[c]
			avg[c] = math.Round(1000*t/float64(a.step)) / 1000
			nonzero = nonzero || avg[c] != 0
		}
		if nonzero {
			out[f] = avg
		}
	}
	return out
}

// order is a fixed xorshift shuffle of example indexes: no math/rand state
// to vary between Go versions.
type order struct {
	idx []int
	rng uint64
}

func newOrder(n int, seed uint64) *order {
	o := &order{idx: make([]int, n), rng: seed | 1}
	for i := range o.idx {
		o.idx[i] = i
	}
	return o
}

func (o *order) shuffle() {
	for i := len(o.idx) - 1; i > 0; i-- {
		o.rng ^= o.rng << 13
		o.rng ^= o.rng >> 7
		o.rng ^= o.rng << 17
		j := int(o.rng % uint64(i+1))
		o.idx[i], o.idx[j] = o.idx[j], o.idx[i]
	}
}

func dedupe(fs []string) []string {
	out := slices.Clone(fs)
	slices.Sort(out)
	return slices.Compact(out)
}

func keep(fs []string, seen map[string]int, minCount int) []string {
	out := fs[:0:0]
	for _, f := range fs {
		if seen[f] >= minCount {
			out = append(out, f)
		}
	}
	return out
}

func argmax(xs []float64) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// Scores returns each class's score for the features, in Classes order.
// A feature listed twice counts once, as in training.
func (m *Model) Scores(features []string) []float64 {
	return m.ScoresDistinct(dedupe(features))
}

// Distinct returns the features with repeats removed, for ScoresDistinct.
func Distinct(features []string) []string { return dedupe(features) }

// ScoresDistinct is Scores for features already without repeats (see
// Distinct): callers that score the same features with several models
// remove repeats once.
func (m *Model) ScoresDistinct(features []string) []float64 {
	scores := make([]float64, len(m.Classes))
	for _, f := range features {
		if ws, ok := m.weights[f]; ok {
			for c := range ws {
				scores[c] += ws[c]
			}
		}
	}
	return scores
}

// Predict returns the best class and its margin over the runner-up (0
// when the features say nothing).
func (m *Model) Predict(features []string) (string, float64) {
	if len(m.Classes) == 0 {
		return "", 0
	}
	s := m.Scores(features)
	best := argmax(s)
	second := math.Inf(-1)
	for i, x := range s {
		if i != best && x > second {
			second = x
		}
	}
	if len(s) == 1 {
		second = 0
	}
	return m.Classes[best], s[best] - second
}

// Features is the number of features with a weight.
func (m *Model) Features() int { return len(m.weights) }

// Write writes the model as text: a "classes" line, then one line per
// feature in sorted order with its non-zero weights as class:weight pairs
// (a perceptron touches few classes per feature, so this stays small for
// many classes).
func (m *Model) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "classes\t%s\n", strings.Join(m.Classes, "\t"))
	keys := make([]string, 0, len(m.weights))
	for f := range m.weights {
		keys = append(keys, f)
	}
	sort.Strings(keys)
	for _, f := range keys {
		bw.WriteString(f)
		for c, x := range m.weights[f] {
			if x == 0 {
				continue
			}
			bw.WriteByte('\t')
			bw.WriteString(strconv.Itoa(c))
			bw.WriteByte(':')
			bw.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Read reads a model written by Write.
func Read(r io.Reader) (*Model, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	m := &Model{weights: map[string][]float64{}}
	line := 0
	for sc.Scan() {
		line++
		parts := strings.Split(sc.Text(), "\t")
		if line == 1 {
			if parts[0] != "classes" || len(parts) < 2 {
				return nil, fmt.Errorf("%w: line 1 must list the classes", ErrFormat)
			}
			m.Classes = parts[1:]
			continue
		}
		if len(parts) < 2 {
			return nil, fmt.Errorf("%w: line %d has no weights", ErrFormat, line)
		}
		ws := make([]float64, len(m.Classes))
		for _, p := range parts[1:] {
			cs, xs, ok := strings.Cut(p, ":")
			c, err := strconv.Atoi(cs)
			if !ok || err != nil || c < 0 || c >= len(ws) {
				return nil, fmt.Errorf("%w: line %d: %q is not class:weight", ErrFormat, line, p)
			}
			x, err := strconv.ParseFloat(xs, 64)
			if err != nil {
				return nil, fmt.Errorf("%w: line %d: %w", ErrFormat, line, err)
			}
			ws[c] = x
		}
		m.weights[parts[0]] = ws
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%w: empty", ErrFormat)
	}
	return m, nil
}
