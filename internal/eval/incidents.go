package eval

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"golang.org/x/text/unicode/norm"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// Radius returns how far (km) a predicted incident may lie from a gold
// point of the given precision and still count as located: 25 km for a
// town, 50 km for a district, 150 km for a province; countries are scored
// by country only.
func Radius(precision string) float64 {
	switch precision {
	case "town":
		return 25
	case "district":
		return 50
	case "province":
		return 150
	}
	return 500
}

// EventType maps the corpus's lower-case labels to ACLED's spelling.
func EventType(label string) string {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "battle", "battles":
		return incident.Battles
	case "explosion/remote violence", "explosions/remote violence":
		return incident.ExplosionsRemoteViolence
	case "violence against civilians":
		return incident.ViolenceAgainstCivilians
	case "protest", "protests":
		return incident.Protests
	case "riot", "riots":
		return incident.Riots
	case "strategic development", "strategic developments":
		return incident.StrategicDevelopments
	}
	return label
}

// IncidentScore counts how predicted incidents agree with gold ones. Counts
// add up over articles with Add.
type IncidentScore struct {
	Articles   int
	Gold       int // gold incidents
	Predicted  int // predicted incidents
	Matched    int // gold incidents paired with a prediction (one to one)
	Located    int // paired within Radius(precision)
	Admin1     int // paired with the right admin1
	Country    int // with a prediction in the right country
	DateGold   int // gold incidents that give a date
	DateExact  int // ... paired with the same event_date
	FatalGold  int // gold incidents that give fatalities
	FatalExact int // ... paired with the same count
	TypeRight  int // paired with the same event type
	SubGold    int // gold incidents that give an ACLED sub-event type
	SubRight   int // ... paired with the same event type and sub-event type
	ErrorsKm   []float64
}

// Add accumulates o into s.
func (s *IncidentScore) Add(o IncidentScore) {
	s.Articles += o.Articles
	s.Gold += o.Gold
	s.Predicted += o.Predicted
	s.Matched += o.Matched
	s.Located += o.Located
	s.Admin1 += o.Admin1
	s.Country += o.Country
	s.DateGold += o.DateGold
	s.DateExact += o.DateExact
	s.FatalGold += o.FatalGold
	s.FatalExact += o.FatalExact
	s.TypeRight += o.TypeRight
	s.SubGold += o.SubGold
	s.SubRight += o.SubRight
	s.ErrorsKm = append(s.ErrorsKm, o.ErrorsKm...)
}

// Precision is the share of predicted incidents paired with a gold one.
func (s IncidentScore) Precision() float64 { return ratio(s.Matched, s.Predicted) }

// Recall is the share of gold incidents paired with a prediction.
func (s IncidentScore) Recall() float64 { return ratio(s.Matched, s.Gold) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// pairKm is the farthest a prediction may be from a gold incident in the
// same country and still be taken as reporting it (when admin1 differs).
const pairKm = 150

// Outcome is what became of one gold incident of an article: the
// prediction paired with it (Pred, -1 when none) and what they agree on.
type Outcome struct {
	Pred       int     `json:"pred"`
	Km         float64 `json:"km"` // distance to the paired prediction
	Located    bool    `json:"located"`
	Admin1     bool    `json:"admin1"`
	Country    bool    `json:"country"` // a prediction of the article is in the gold incident's country
	DateExact  bool    `json:"date_exact"`
	FatalExact bool    `json:"fatalities_exact"`
	TypeRight  bool    `json:"event_type"`
	SubRight   bool    `json:"sub_event_type"` // type and sub-event type both right
}

// Pair pairs the predicted incidents of one article with its gold
// incidents: one to one, greedy on distance with date and event type as
// tie-breakers; a pair needs the same country and either the same admin1 or
// at most 150 km (or the gold radius, if larger) between the points. It
// returns one Outcome per gold incident.
func Pair(gold []GoldIncident, pred []incident.Incident) []Outcome {
	type pair struct {
		g, p int
		km   float64
		cost float64
	}
	var pairs []pair
	for gi, g := range gold {
		for pi := range pred {
			p := &pred[pi]
			if !strings.EqualFold(p.Country, g.Country) {
				continue
			}
			km := DistanceKm(orb.Point{g.Lon, g.Lat}, p.Point())
			if km > math.Max(pairKm, Radius(g.Precision)) && !SameAdmin1(g.Admin1, p.Admin1) {
				continue
			}
			cost := km
			if g.Date != nil && *g.Date != p.EventDate {
				cost += 100
			}
			if EventType(g.EventType) != p.EventType {
				cost += 30
			}
			pairs = append(pairs, pair{gi, pi, km, cost})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].cost < pairs[j].cost })
	out := make([]Outcome, len(gold))
	usedP := map[int]bool{}
	for i := range out {
		out[i].Pred = -1
	}
	for _, pr := range pairs {
		if out[pr.g].Pred >= 0 || usedP[pr.p] {
			continue
		}
		usedP[pr.p] = true
		g, p := gold[pr.g], pred[pr.p]
		out[pr.g] = Outcome{Pred: pr.p, Km: pr.km, Located: pr.km <= Radius(g.Precision), Admin1: SameAdmin1(g.Admin1, p.Admin1),
			Country:    true,
			DateExact:  g.Date != nil && *g.Date == p.EventDate,
			FatalExact: g.Fatalities != nil && p.Fatalities != nil && *g.Fatalities == *p.Fatalities,
			TypeRight:  EventType(g.EventType) == p.EventType,
			SubRight:   g.Fields["sub_event_type"] != "" && EventType(g.EventType) == p.EventType && strings.EqualFold(g.Fields["sub_event_type"], p.SubEventType)}
	}
	// An unpaired gold incident still has its country right when some
	// prediction of the article lies in that country.
	for gi, g := range gold {
		if out[gi].Pred >= 0 {
			continue
		}
		for _, p := range pred {
			if strings.EqualFold(p.Country, g.Country) {
				out[gi].Country = true
				break
			}
		}
	}
	return out
}

// count is what one gold incident and its outcome add to a score.
func count(g GoldIncident, o Outcome) IncidentScore {
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	s := IncidentScore{Gold: 1, Matched: b(o.Pred >= 0), Predicted: b(o.Pred >= 0), Located: b(o.Located), Admin1: b(o.Admin1),
		Country: b(o.Country), DateGold: b(g.Date != nil), DateExact: b(o.DateExact), FatalGold: b(g.Fatalities != nil),
		FatalExact: b(o.FatalExact), TypeRight: b(o.TypeRight), SubGold: b(g.Fields["sub_event_type"] != ""), SubRight: b(o.SubRight)}
	if o.Pred >= 0 {
		s.ErrorsKm = []float64{o.Km}
	}
	return s
}

// ScoreArticle pairs the predicted incidents of one article with its gold
// incidents (see Pair) and counts agreements. Unpaired predictions lower
// precision; unpaired gold incidents count as not located.
func ScoreArticle(gold []GoldIncident, pred []incident.Incident) IncidentScore {
	s := IncidentScore{Articles: 1}
	for gi, o := range Pair(gold, pred) {
		s.Add(count(gold[gi], o))
	}
	s.Predicted = len(pred)
	return s
}

// Slices are scores split by the value of one or more gold fields
// ("country", "event_type,geo_precision"): each gold incident counts in the
// slice of its own values, and a prediction paired with none counts against
// the slice of the article's first gold incident.
type Slices struct {
	By     []string
	Scores map[string]*IncidentScore
}

// NewSlices splits by the named gold fields.
func NewSlices(by []string) *Slices {
	return &Slices{By: by, Scores: map[string]*IncidentScore{}}
}

// Key is the slice a gold incident falls in.
func (sl *Slices) Key(g GoldIncident) string {
	parts := make([]string, len(sl.By))
	for i, f := range sl.By {
		parts[i] = g.Field(f)
		if parts[i] == "" {
			parts[i] = "-"
		}
	}
	return strings.Join(parts, " | ")
}

// Add counts one article.
func (sl *Slices) Add(gold []GoldIncident, pred []incident.Incident, outcomes []Outcome) {
	paired := 0
	for gi, o := range outcomes {
		k := sl.Key(gold[gi])
		if sl.Scores[k] == nil {
			sl.Scores[k] = &IncidentScore{}
		}
		sl.Scores[k].Add(count(gold[gi], o))
		if o.Pred >= 0 {
			paired++
		}
	}
	if len(gold) > 0 {
		s := sl.Scores[sl.Key(gold[0])]
		s.Articles++
		s.Predicted += len(pred) - paired
	}
}

// Report prints one line a slice, largest first: size and the main rates.
func (sl *Slices) Report(w io.Writer) error {
	keys := make([]string, 0, len(sl.Scores))
	for k := range sl.Scores {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := sl.Scores[keys[i]], sl.Scores[keys[j]]
		if a.Gold != b.Gold {
			return a.Gold > b.Gold
		}
		return keys[i] < keys[j]
	})
	if _, err := fmt.Fprintf(w, "%-40s %6s %7s %7s %7s %7s %6s %6s\n", strings.Join(sl.By, " | "), "gold", "located", "date", "fatal", "type", "prec", "recall"); err != nil {
		return err
	}
	pct := func(a, b int) string {
		if b == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	}
	for _, k := range keys {
		s := sl.Scores[k]
		if _, err := fmt.Fprintf(w, "%-40.40s %6d %7s %7s %7s %7s %6.2f %6.2f\n", k, s.Gold, pct(s.Located, s.Gold), pct(s.DateExact, s.DateGold),
			pct(s.FatalExact, s.FatalGold), pct(s.TypeRight, s.Gold), s.Precision(), s.Recall()); err != nil {
			return err
		}
	}
	return nil
}

// DistanceKm is the great-circle distance between two lon/lat points.
func DistanceKm(a, b orb.Point) float64 {
	return orbgeo.DistanceHaversine(a, b) / 1000
}

// SameAdmin1 compares admin1 names loosely: case, accents, apostrophes,
// words such as "State", "Region" or "Province", and "Northern" versus
// "North" do not matter ("Benue State" = "Benue", "Ma’rib" = "Marib").
func SameAdmin1(a, b string) bool {
	ka, kb := admin1Key(a), admin1Key(b)
	if ka == "" || kb == "" {
		return false
	}
	return ka == kb || strings.Contains(ka, kb) || strings.Contains(kb, ka)
}

func admin1Key(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '‘', r == 'ʼ':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	var words []string
	for _, w := range strings.Fields(b.String()) {
		switch w {
		case "state", "region", "province", "governorate", "oblast", "division", "department", "the", "of":
			continue
		case "northern":
			w = "north"
		case "southern":
			w = "south"
		case "western":
			w = "west"
		case "eastern":
			w = "east"
		}
		words = append(words, w)
	}
	return strings.Join(words, "")
}

// Report prints the scores, one metric a line, with the goals.
func (s IncidentScore) Report(w io.Writer) error {
	pct := func(a, b int) string {
		if b == 0 {
			return "   n/a"
		}
		return fmt.Sprintf("%5.1f%%", 100*float64(a)/float64(b))
	}
	lines := []string{
		fmt.Sprintf("articles              %d", s.Articles),
		fmt.Sprintf("gold incidents        %d", s.Gold),
		fmt.Sprintf("predicted incidents   %d", s.Predicted),
		fmt.Sprintf("located               %s  (%d/%d; goal >= 85%%)", pct(s.Located, s.Gold), s.Located, s.Gold),
		fmt.Sprintf("right admin1          %s  (%d/%d)", pct(s.Admin1, s.Gold), s.Admin1, s.Gold),
		fmt.Sprintf("right country         %s  (%d/%d; goal >= 95%%)", pct(s.Country, s.Gold), s.Country, s.Gold),
		fmt.Sprintf("date exact            %s  (%d/%d dated; goal >= 85%%)", pct(s.DateExact, s.DateGold), s.DateExact, s.DateGold),
		fmt.Sprintf("fatalities exact      %s  (%d/%d counted; goal >= 75%%)", pct(s.FatalExact, s.FatalGold), s.FatalExact, s.FatalGold),
		fmt.Sprintf("event type            %s  (%d/%d)", pct(s.TypeRight, s.Gold), s.TypeRight, s.Gold),
		fmt.Sprintf("sub-event type        %s  (%d/%d with one)", pct(s.SubRight, s.SubGold), s.SubRight, s.SubGold),
		fmt.Sprintf("incident precision    %.3f  (%d/%d; goal >= 0.8)", s.Precision(), s.Matched, s.Predicted),
		fmt.Sprintf("incident recall       %.3f  (%d/%d)", s.Recall(), s.Matched, s.Gold),
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// Metrics are the score's figures in percent, by name, as the baseline
// files keep them.
func (s IncidentScore) Metrics() map[string]float64 {
	pct := func(a, b int) float64 { return math.Round(1000*ratio(a, b)) / 10 }
	m := map[string]float64{
		"located":          pct(s.Located, s.Gold),
		"admin1":           pct(s.Admin1, s.Gold),
		"country":          pct(s.Country, s.Gold),
		"date_exact":       pct(s.DateExact, s.DateGold),
		"fatalities_exact": pct(s.FatalExact, s.FatalGold),
		"event_type":       pct(s.TypeRight, s.Gold),
		"precision":        pct(s.Matched, s.Predicted),
		"recall":           pct(s.Matched, s.Gold),
	}
	if s.SubGold > 0 { // only corpora that code sub-event types have the figure
		m["sub_event_type"] = pct(s.SubRight, s.SubGold)
	}
	return m
}
