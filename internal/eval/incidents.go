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

// ScoreArticle pairs the predicted incidents of one article with its gold
// incidents and counts agreements. Pairing is one to one, greedy on
// distance with date and event type as tie-breakers; a pair needs the same
// country and either the same admin1 or at most 150 km (or the gold
// radius, if larger) between the points. Unpaired predictions lower
// precision; unpaired gold incidents count as not located.
func ScoreArticle(gold []GoldIncident, pred []incident.Incident) IncidentScore {
	s := IncidentScore{Articles: 1, Gold: len(gold), Predicted: len(pred)}
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
	usedG, usedP := map[int]bool{}, map[int]bool{}
	for _, g := range gold {
		if g.Date != nil {
			s.DateGold++
		}
		if g.Fatalities != nil {
			s.FatalGold++
		}
	}
	for _, pr := range pairs {
		if usedG[pr.g] || usedP[pr.p] {
			continue
		}
		usedG[pr.g], usedP[pr.p] = true, true
		g, p := gold[pr.g], pred[pr.p]
		s.Matched++
		s.Country++
		s.ErrorsKm = append(s.ErrorsKm, pr.km)
		if pr.km <= Radius(g.Precision) {
			s.Located++
		}
		if SameAdmin1(g.Admin1, p.Admin1) {
			s.Admin1++
		}
		if g.Date != nil && *g.Date == p.EventDate {
			s.DateExact++
		}
		if g.Fatalities != nil && p.Fatalities != nil && *g.Fatalities == *p.Fatalities {
			s.FatalExact++
		}
		if EventType(g.EventType) == p.EventType {
			s.TypeRight++
		}
	}
	// An unpaired gold incident still has its country right when some
	// prediction of the article lies in that country.
	for gi, g := range gold {
		if usedG[gi] {
			continue
		}
		for _, p := range pred {
			if strings.EqualFold(p.Country, g.Country) {
				s.Country++
				break
			}
		}
	}
	return s
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
