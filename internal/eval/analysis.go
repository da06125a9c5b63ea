package eval

import (
	"fmt"
	"io"
	"math"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// Article turns a corpus line into an article the way a user's upload is
// read: a "date YYYY-MM-DD" header in the text wins, else "published".
func (a IncidentArticle) Article() (extract.Article, error) {
	art := extract.Article{Text: a.Text, Title: a.Title}
	if a.URL != nil {
		art.URL = *a.URL
	}
	opt := extract.ReadOptions{}
	if a.Published != nil {
		opt.Published = *a.Published
	}
	arts, err := extract.ParseArticles([]byte(a.Text), opt)
	if err != nil {
		return extract.Article{}, fmt.Errorf("reading article %s: %w", a.ID, err)
	}
	art.Text, art.Published = arts[0].Text, arts[0].Published
	return art, nil
}

// WriteIncidents prints an article's gold and predicted incidents side by
// side, for error analysis.
func WriteIncidents(w io.Writer, a IncidentArticle, res extract.Result, s IncidentScore) {
	fmt.Fprintf(w, "== %s  located %d/%d  predicted %d  %s\n", a.ID, s.Located, s.Gold, s.Predicted, res.Reason)
	for _, g := range a.Incidents {
		d := "-"
		if g.Date != nil {
			d = *g.Date
		}
		f := "-"
		if g.Fatalities != nil {
			f = fmt.Sprint(*g.Fatalities)
		}
		fmt.Fprintf(w, "  gold %-28.28s %s/%s %s %s fat=%s %s\n", g.Place, g.Country, g.Admin1, g.Precision, d, f, EventType(g.EventType))
	}
	for _, p := range res.Incidents {
		fat, conf := "-", 0.0
		if p.Fatalities != nil {
			fat = fmt.Sprint(*p.Fatalities)
		}
		if p.Confidence != nil {
			conf = *p.Confidence
		}
		fmt.Fprintf(w, "  pred %-28.28s %s/%s prec=%d %s fat=%s %s/%s conf=%.2f\n", p.Location, p.Country, p.Admin1, p.GeoPrecision,
			p.EventDate, fat, p.EventType, p.SubEventType, conf)
		fmt.Fprintf(w, "       evidence: %.150s\n", p.Sources[0].Evidence)
	}
}

// WriteToponymErrors lists an article's gold mentions missed or resolved
// more than 161 km off, and predicted mentions matching no gold one, for
// error analysis (see NewToponymDumpRecord).
func WriteToponymErrors(w io.Writer, a ToponymArticle, ms []extract.Mention) {
	r := NewToponymDumpRecord(a, ms)
	fmt.Fprintf(w, "== %s\n", a.ID)
	for _, g := range r.Gold {
		switch g.Outcome {
		case ToponymMissed:
			fmt.Fprintf(w, "  MISS %q (%s)\n", g.Name, g.FCode)
		case ToponymUnresolved:
			fmt.Fprintf(w, "  UNRESOLVED %q\n", g.Name)
		case ToponymFar:
			fmt.Fprintf(w, "  FAR %q -> %s %s/%s (%s) %.0f km; gold %s %s\n", g.Name, g.PlaceName, g.Country, g.Admin1, g.Level, g.Km, g.FCode, g.Name)
		}
	}
	for _, m := range r.Extra {
		fmt.Fprintf(w, "  EXTRA %q %s\n", m.Text, m.Kind)
	}
}

// The outcomes of a gold toponym (ToponymOutcome.Outcome).
const (
	ToponymRight      = "right"      // found and resolved within 161 km
	ToponymFar        = "far"        // found, resolved farther off
	ToponymUnresolved = "unresolved" // found, resolved to no place
	ToponymMissed     = "missed"     // not found
)

// ToponymOutcome is one gold toponym and what the geoparser made of it.
type ToponymOutcome struct {
	Name      string  `json:"name"`
	FCode     string  `json:"fcode,omitempty"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Outcome   string  `json:"outcome"`
	Found     string  `json:"found,omitempty"` // the mention paired with it, as written
	Place     string  `json:"place,omitempty"` // the id of the place it resolved to
	PlaceName string  `json:"place_name,omitempty"`
	Country   string  `json:"country,omitempty"`
	Admin1    string  `json:"admin1,omitempty"`
	Level     string  `json:"level,omitempty"`
	Km        float64 `json:"km,omitempty"` // resolution error
}

// ToponymDumpRecord is one article of the geoparsing dump (`eval
// --toponyms --dump`): each gold toponym's outcome, and the mentions found
// that match none.
type ToponymDumpRecord struct {
	ID    string           `json:"id"`
	Title string           `json:"title,omitempty"`
	Gold  []ToponymOutcome `json:"gold"`
	Extra []DumpMention    `json:"extra,omitempty"`
}

// NewToponymDumpRecord pairs an article's gold toponyms with the mentions
// a geoparse found, as ScoreToponyms pairs them.
func NewToponymDumpRecord(a ToponymArticle, ms []extract.Mention) ToponymDumpRecord {
	r := ToponymDumpRecord{ID: a.ID, Title: a.Title}
	pred := PredictedToponyms(ms)
	pairs := pairToponyms(a.Toponyms, pred)
	used := make([]bool, len(ms))
	for gi, g := range a.Toponyms {
		o := ToponymOutcome{Name: g.Name, FCode: g.FCode, Start: g.Start, End: g.End, Outcome: ToponymMissed}
		if pi := pairs[gi]; pi >= 0 {
			used[pi] = true
			m := ms[pi]
			o.Found, o.Outcome = m.Text, ToponymUnresolved
			if m.Place != nil {
				o.Place, o.PlaceName, o.Country, o.Admin1, o.Level = m.Place.ID, m.Place.Name, m.Place.Country, m.Place.Admin1, m.Place.Level
				o.Km = math.Round(errorKm(g, pred[pi]))
				o.Outcome = ToponymRight
				if o.Km > accurateKm {
					o.Outcome = ToponymFar
				}
			}
		}
		r.Gold = append(r.Gold, o)
	}
	for i, m := range ms {
		if !used[i] {
			r.Extra = append(r.Extra, dumpMention(m))
		}
	}
	return r
}

// DumpPrediction is one predicted incident as the per-article dump shows it.
type DumpPrediction struct {
	Location      string   `json:"location"`
	Country       string   `json:"country"`
	Admin1        string   `json:"admin1,omitempty"`
	Admin2        string   `json:"admin2,omitempty"`
	Lat           float64  `json:"lat"`
	Lon           float64  `json:"lon"`
	GeoPrecision  int      `json:"geo_precision"`
	Date          string   `json:"date"`
	DatePrecision string   `json:"date_precision"`
	Fatalities    *int     `json:"fatalities"`
	EventType     string   `json:"event_type"`
	SubEventType  string   `json:"sub_event_type"`
	Confidence    *float64 `json:"confidence"`
	Evidence      string   `json:"evidence"`
	Notes         string   `json:"notes,omitempty"`
	Rules         []string `json:"rules,omitempty"` // the rules that decided it (its Explanation)
}

// DumpMention is one place mention of a dumped article and what it
// resolved to: "Kainuk -> geonames:123 (GR, 0.36)".
type DumpMention struct {
	Text    string  `json:"text"`
	Kind    string  `json:"kind,omitempty"`  // name | demonym | code
	Place   string  `json:"place,omitempty"` // the resolved place's id, "" when none fits
	Country string  `json:"country,omitempty"`
	Score   float64 `json:"score"`
}

// DumpGold is one gold incident with what became of it.
type DumpGold struct {
	Fields  map[string]string `json:"fields"`
	Outcome Outcome           `json:"outcome"`
}

// dumpMention describes a mention for a dump.
func dumpMention(m extract.Mention) DumpMention {
	dm := DumpMention{Text: m.Text, Kind: m.Kind, Score: m.Score}
	if m.Place != nil {
		dm.Place, dm.Country = m.Place.ID, m.Place.Country
	}
	return dm
}

// DumpRecord is one article of the per-article dump (`eval --dump`).
type DumpRecord struct {
	ID        string           `json:"id"`
	Published string           `json:"published,omitempty"`
	Text      string           `json:"text"`
	Reason    string           `json:"reason,omitempty"`
	Gold      []DumpGold       `json:"gold"`
	Predicted []DumpPrediction `json:"predicted"`
	Mentions  []DumpMention    `json:"mentions,omitempty"`
}

// NewDumpRecord describes an article's gold incidents, their outcomes and
// the predictions, for one line of the dump.
func NewDumpRecord(a IncidentArticle, art extract.Article, res extract.Result, outcomes []Outcome) DumpRecord {
	r := DumpRecord{ID: a.ID, Published: art.Published, Text: a.Text, Reason: res.Reason}
	for gi, g := range a.Incidents {
		r.Gold = append(r.Gold, DumpGold{Fields: g.Fields, Outcome: outcomes[gi]})
	}
	for _, m := range res.Mentions {
		r.Mentions = append(r.Mentions, dumpMention(m))
	}
	for i, p := range res.Incidents {
		pt := p.Point()
		d := DumpPrediction{Location: p.Location, Country: p.Country, Admin1: p.Admin1, Admin2: p.Admin2, Lat: pt[1], Lon: pt[0],
			GeoPrecision: p.GeoPrecision, Date: p.EventDate, DatePrecision: p.DatePrecision, Fatalities: p.Fatalities,
			EventType: p.EventType, SubEventType: p.SubEventType, Confidence: p.Confidence, Notes: p.Notes}
		if len(p.Sources) > 0 {
			d.Evidence = p.Sources[0].Evidence
		}
		if i < len(res.Explanations) {
			d.Rules = res.Explanations[i].Rules
		}
		r.Predicted = append(r.Predicted, d)
	}
	return r
}
