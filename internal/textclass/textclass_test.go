package textclass

import (
	"bytes"
	"cmp"
	"errors"
	"strings"
	"testing"
)

func examples() []Example {
	var es []Example
	for i := 0; i < 20; i++ {
		es = append(es,
			Example{[]string{"w=protest", "w=crowd", "w=road"}, "protest"},
			Example{[]string{"w=shelling", "w=village", "w=road"}, "shelling"},
			Example{[]string{"w=march", "w=crowd"}, "protest"},
			Example{[]string{"w=mortar", "w=village"}, "shelling"},
		)
	}
	return es
}

func TestTrainPredict(t *testing.T) {
	m := Train(examples(), 5, 2, 7)
	checkExamples(t, m)
	if _, margin := m.Predict([]string{"w=unknown"}); margin != 0 {
		t.Errorf("unknown features give margin %v, want 0", margin)
	}
}

// checkExamples checks that a model trained on examples() tells the two
// classes apart, by telling words and by mixed ones.
func checkExamples(t *testing.T, m *Model) {
	t.Helper()
	for _, c := range []struct {
		fs   []string
		want string
	}{
		{[]string{"w=protest"}, "protest"}, {[]string{"w=march", "w=crowd"}, "protest"},
		{[]string{"w=mortar", "w=road"}, "shelling"}, {[]string{"w=shelling", "w=crowd", "w=village"}, "shelling"},
	} {
		if got, margin := m.Predict(c.fs); got != c.want || margin <= 0 {
			t.Errorf("Predict(%v) = %q (margin %v), want %q", c.fs, got, margin, c.want)
		}
	}
}

// The same examples give byte-identical model files.
func TestTrainReproducible(t *testing.T) {
	var a, b bytes.Buffer
	if err := Train(examples(), 5, 2, 7).Write(&a); err != nil {
		t.Fatal(err)
	}
	if err := Train(examples(), 5, 2, 7).Write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two trainings differ")
	}
	m, err := Read(&a)
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := m.Write(&c); err != nil || !bytes.Equal(c.Bytes(), b.Bytes()) {
		t.Errorf("read and written again differs (err %v)", err)
	}
}

func TestReadErrors(t *testing.T) {
	for _, in := range []string{"", "nope\n", "classes\ta\tb\nw=x\n", "classes\ta\tb\nw=x\t2:1\n", "classes\ta\nw=x\t0:zz\n"} {
		if _, err := Read(strings.NewReader(in)); !errors.Is(err, ErrFormat) {
			t.Errorf("Read(%q) = %v, want ErrFormat", in, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("classes\ta\tb\nw=x\t0:1\t1:-0.5\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Read(strings.NewReader(s))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := m.Write(&buf); err != nil {
			t.Fatal(err)
		}
		m.Predict([]string{"w=x"})
	})
}

func TestTrainRanker(t *testing.T) {
	var gs []Group
	for i := 0; i < 30; i++ {
		// The candidate after "in" is right, wherever it stands.
		gs = append(gs, Group{Candidates: [][]string{{"prep=from"}, {"prep=in"}}, Gold: 1},
			Group{Candidates: [][]string{{"prep=in"}, {"prep=to"}, {"prep=from"}}, Gold: 0})
	}
	m := TrainRanker(gs, 4, 1, 3)
	if m.Score([]string{"prep=in"}) <= m.Score([]string{"prep=from"}) || m.Score([]string{"prep=in"}) <= m.Score([]string{"prep=to"}) {
		t.Errorf("scores in %v from %v to %v", m.Score([]string{"prep=in"}), m.Score([]string{"prep=from"}), m.Score([]string{"prep=to"}))
	}
}

// Groups that disagree are settled by their weights: the heavier side
// wins, whichever side it is.
func TestTrainRankerWeight(t *testing.T) {
	for _, heavy := range []int{0, 1} {
		var gs []Group
		for i := 0; i < 20; i++ {
			// Both orders of the candidates, so that a tie favours neither.
			gs = append(gs, Group{Candidates: [][]string{{"near"}, {"in"}}, Gold: heavy, Weight: 3},
				Group{Candidates: [][]string{{"in"}, {"near"}}, Gold: 1 - heavy, Weight: 3},
				Group{Candidates: [][]string{{"near"}, {"in"}}, Gold: 1 - heavy},
				Group{Candidates: [][]string{{"in"}, {"near"}}, Gold: heavy})
		}
		m := TrainRanker(gs, 4, 1, 3)
		want, other := []string{"near", "in"}[heavy], []string{"near", "in"}[1-heavy]
		if m.Score([]string{want}) <= m.Score([]string{other}) {
			t.Errorf("heavier gold %q scores %v, lighter %q %v", want, m.Score([]string{want}), other, m.Score([]string{other}))
		}
	}
}

// TestTrainRankerAlso checks that a candidate listed in Also counts as
// right: ranked first, it is no error to learn from.
func TestTrainRankerAlso(t *testing.T) {
	tests := []struct {
		name  string
		group Group
		// wantX, wantY: the learned scores of the two candidates' features
		wantX, wantY float64
	}{
		// Both candidates score 0 at first and the first wins the tie: with
		// it listed as right too, the trainer has nothing to correct.
		{"first also right", Group{Candidates: [][]string{{"x"}, {"y"}}, Gold: 1, Also: []int{0}}, 0, 0},
		// Without it, the tie is an error, and "y" is pushed above "x".
		{"first wrong", Group{Candidates: [][]string{{"x"}, {"y"}}, Gold: 1}, -1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := TrainRanker([]Group{tt.group}, 1, 1, 1)
			if x, y := m.Score([]string{"x"}), m.Score([]string{"y"}); cmp.Compare(x, 0) != cmp.Compare(tt.wantX, 0) ||
				cmp.Compare(y, 0) != cmp.Compare(tt.wantY, 0) {
				t.Errorf("scores x %v, y %v; want the signs of %v, %v", x, y, tt.wantX, tt.wantY)
			}
		})
	}
}
