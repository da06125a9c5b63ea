package eval

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// PredictedToponym is one place mention found by a geoparser: its span in
// code points and, when resolved, its point.
type PredictedToponym struct {
	Start, End int
	Resolved   bool
	Point      orb.Point // lon, lat
}

// PredictedToponyms turns the mentions a geoparse found into what
// ScoreToponyms scores: spans, and points where a place was resolved.
func PredictedToponyms(ms []extract.Mention) []PredictedToponym {
	pred := make([]PredictedToponym, 0, len(ms))
	for _, m := range ms {
		p := PredictedToponym{Start: m.Start, End: m.End}
		if m.Place != nil {
			p.Resolved = true
			p.Point = orb.Point{m.Place.Lon, m.Place.Lat}
		}
		pred = append(pred, p)
	}
	return pred
}

// ToponymScore counts recognition and resolution as in Gritta et al. 2018
// ("What's missing in geographical parsing?"): a predicted mention matches a
// gold one when their spans overlap (one to one); resolution is scored on
// matched mentions by the great-circle error.
type ToponymScore struct {
	Articles int
	Gold     int
	Found    int
	Matched  int
	ErrorsKm []float64 // one per matched mention; unresolved ones count as the maximal error
}

// accurateKm is the error within which a resolution counts as right
// (acc@161km, 100 miles, as the geoparsing literature scores it).
const accurateKm = 161

// maxErrorKm is half the Earth's circumference, the largest possible error
// and the scale of the AUC.
const maxErrorKm = 20039

// Add accumulates o into s.
func (s *ToponymScore) Add(o ToponymScore) {
	s.Articles += o.Articles
	s.Gold += o.Gold
	s.Found += o.Found
	s.Matched += o.Matched
	s.ErrorsKm = append(s.ErrorsKm, o.ErrorsKm...)
}

// ScoreToponyms pairs predicted mentions with gold ones (see
// pairToponyms) and records the resolution error of each pair.
func ScoreToponyms(gold []GoldToponym, pred []PredictedToponym) ToponymScore {
	s := ToponymScore{Articles: 1, Gold: len(gold), Found: len(pred)}
	for gi, pi := range pairToponyms(gold, pred) {
		if pi < 0 {
			continue
		}
		s.Matched++
		s.ErrorsKm = append(s.ErrorsKm, errorKm(gold[gi], pred[pi]))
	}
	return s
}

// pairToponyms pairs each gold mention, in text order, with the first
// predicted mention not yet paired whose span overlaps it: the index of
// each gold mention's predicted one, -1 for none.
func pairToponyms(gold []GoldToponym, pred []PredictedToponym) []int {
	g := byStart(len(gold), func(i int) int { return gold[i].Start })
	p := byStart(len(pred), func(i int) int { return pred[i].Start })
	out := make([]int, len(gold))
	used := make([]bool, len(pred))
	for _, gi := range g {
		out[gi] = -1
		for _, pi := range p {
			if !used[pi] && pred[pi].Start < gold[gi].End && pred[pi].End > gold[gi].Start {
				used[pi], out[gi] = true, pi
				break
			}
		}
	}
	return out
}

// byStart returns the indexes 0..n-1 in the text order of the spans whose
// starts start gives.
func byStart(n int, start func(int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return start(idx[i]) < start(idx[j]) })
	return idx
}

// errorKm is a paired mention's resolution error: the great-circle
// distance, or the maximal error when it was left unresolved.
func errorKm(g GoldToponym, p PredictedToponym) float64 {
	if !p.Resolved {
		return maxErrorKm
	}
	return DistanceKm(orb.Point{g.Lon, g.Lat}, p.Point)
}

// Precision is matched / found.
func (s ToponymScore) Precision() float64 { return ratio(s.Matched, s.Found) }

// Recall is matched / gold.
func (s ToponymScore) Recall() float64 { return ratio(s.Matched, s.Gold) }

// F1 is the harmonic mean of precision and recall.
func (s ToponymScore) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// AccuracyAt is the share of matched mentions resolved within km.
func (s ToponymScore) AccuracyAt(km float64) float64 {
	n := 0
	for _, e := range s.ErrorsKm {
		if e <= km {
			n++
		}
	}
	return ratio(n, len(s.ErrorsKm))
}

// MeanKm and MedianKm summarise the errors of matched mentions.
func (s ToponymScore) MeanKm() float64 {
	if len(s.ErrorsKm) == 0 {
		return 0
	}
	sum := 0.0
	for _, e := range s.ErrorsKm {
		sum += e
	}
	return sum / float64(len(s.ErrorsKm))
}

// MedianKm is the median error of matched mentions.
func (s ToponymScore) MedianKm() float64 {
	if len(s.ErrorsKm) == 0 {
		return 0
	}
	e := append([]float64(nil), s.ErrorsKm...)
	sort.Float64s(e)
	n := len(e)
	if n%2 == 1 {
		return e[n/2]
	}
	return (e[n/2-1] + e[n/2]) / 2
}

// AUC is the area under the curve of log errors (Gritta et al. 2018): the
// mean of ln(1+error)/ln(1+20039) over matched mentions. 0 is perfect, 1 is
// the worst.
func (s ToponymScore) AUC() float64 {
	if len(s.ErrorsKm) == 0 {
		return 0
	}
	sum := 0.0
	for _, e := range s.ErrorsKm {
		sum += math.Log(1+math.Min(e, maxErrorKm)) / math.Log(1+maxErrorKm)
	}
	return sum / float64(len(s.ErrorsKm))
}

// Report prints the scores with the goals.
func (s ToponymScore) Report(w io.Writer) error {
	_, err := fmt.Fprintf(w, `articles           %d
gold toponyms      %d
found              %d
matched (overlap)  %d
precision          %.3f
recall             %.3f
F1                 %.3f  (goal >= 0.80)
acc@161km          %.3f  (goal >= 0.85)
mean error km      %.1f
median error km    %.1f
AUC                %.3f  (lower is better)
`, s.Articles, s.Gold, s.Found, s.Matched, s.Precision(), s.Recall(), s.F1(), s.AccuracyAt(accurateKm), s.MeanKm(), s.MedianKm(), s.AUC())
	return err
}

// Metrics are the score's figures in percent, by name, as the baseline
// files keep them.
func (s ToponymScore) Metrics() map[string]float64 {
	r := func(v float64) float64 { return math.Round(1000*v) / 10 }
	return map[string]float64{"precision": r(s.Precision()), "recall": r(s.Recall()), "f1": r(s.F1()), "acc_161": r(s.AccuracyAt(accurateKm))}
}
