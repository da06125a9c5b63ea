// Package extract turns the text of a news article into the incidents it
// reports — where, when, how many killed, what kind of event, who — and
// into the place mentions it contains. It is pure: text in, incidents and
// mentions out; it knows no HTTP and no store.
//
// The method combines named rules with small learned models, and every
// incident says which decided it (Result.Explanations):
//
//   - sentences are split and tokenized; place names are spotted against
//     the gazetteer (plus the administrative names coders use, learned from
//     acled_dev.jsonl) with capitalisation and context cues, and resolved
//     together, steered by a country prior that a linear model reads from
//     the report's words; a name the gazetteer lacks but the text writes as
//     a place ("the village of X", "X sector", "residents of X", "stormed
//     X", "X Hill") keeps its name and is placed at the finest place the
//     sentence names (a town, a district, a province) or the report's
//     country, at that place's precision;
//   - a sentence reports an event when its trigger words (a table of
//     phrases and stems by ACLED event and sub-event type) and counts of
//     dead say so strongly enough; background and history are left out
//     unless the text tells of nothing else, and tolls over a period
//     always;
//   - the event's place among a sentence's places is the one a learned
//     ranker scores highest (trained on event_location_dev.jsonl and the
//     ACLED notes); later sentences start incidents of their own only at
//     places tied to their event;
//   - dates come from absolute, numeric and relative expressions against
//     the publication day (or, without one, the text's own latest day);
//     counts follow coders' conventions;
//   - the event and sub-event type blend a learned classifier (trained on
//     the ACLED notes) with the trigger rules.
//
// The models are logistic regressions (event and sub-event types) and
// averaged perceptrons (event place, country) from internal/textclass,
// trained by learn/ on the development corpora; their weights are
// generated data in model/, rebuilt byte for byte by `make models` and
// checked by a test.
package extract

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/textclass"
)

// Extractor extracts incidents and place mentions. It is immutable after
// New and safe for concurrent use.
type Extractor struct {
	gaz     *gazetteer.Gazetteer
	dates   *dateRules
	cas     *casualtyRules
	events  *eventRules
	mishaps *mishaps
	// ambiguous are the triggers that alone make no news article report
	// an event (see ambiguousTriggers).
	ambiguous map[string]bool
	actors    *actorRules
	spot      *spotRules
	abbr      map[string]bool
	states    map[string][2]string
	models    *models
	aliases   *aliases
	// adminAliases is the administrative alias table aliases was read from.
	adminAliases []byte
	english      *englishCheck
	common       map[string]bool // words the corpora write in lower case
	// readings are the rules that rule a gazetteer reading of a name out
	// (see candidateRules).
	readings []candidateRule
	// remarks are the wordings of coders' remarks (see remarkRules).
	remarks []remarkRule
	now     func() time.Time
}

// New returns an Extractor resolving places with gaz.
func New(gaz *gazetteer.Gazetteer) *Extractor {
	x := newExtractor(gaz, mustLoadModels(), mustParseAliases(gaz))
	x.adminAliases = adminAliasData
	return x
}

// Models are the extractor's learned parts. New uses the ones embedded in
// the binary; NewWithModels lets the trainer try others (cross-validation).
type Models struct {
	EventType    *textclass.Model // ACLED event type of an incident's sentences
	SubEventType *textclass.Model // "Type|Sub-event type"
	EventPlace   *textclass.Model // ranks a sentence's places (nil: the embedded ranker)
	Country      *textclass.Model // country prior from a report's words
	AdminAliases []byte           // the alias table, in model/admin_aliases.tsv's format
	PlaceAliases []byte           // the learned places, in model/place_aliases.tsv's format
}

// WithPlaceAliases returns a copy of x that knows the learned places of
// data (model/place_aliases.tsv's format) instead of its own; the trainer
// reads notes with places learned from other notes.
func (x *Extractor) WithPlaceAliases(data []byte) (*Extractor, error) {
	al, err := parseAliases(x.adminAliases, data, x.gaz)
	if err != nil {
		return nil, err
	}
	y := *x
	y.aliases = al
	return &y, nil
}

// WithClock returns a copy of x that reads "the day of extraction" off
// now: texts with no date of their own are dated against it (see
// Article.Published). Evaluation fixes it, so that its scores do not
// depend on the day they are computed.
func (x *Extractor) WithClock(now func() time.Time) *Extractor {
	y := *x
	y.now = now
	return &y
}

// NewWithModels returns an Extractor using the given models.
func NewWithModels(gaz *gazetteer.Gazetteer, m Models) (*Extractor, error) {
	al, err := parseAliases(m.AdminAliases, m.PlaceAliases, gaz)
	if err != nil {
		return nil, err
	}
	ms := &models{eventType: m.EventType, subEventType: m.SubEventType, eventPlace: m.EventPlace, country: m.Country}
	if ms.eventPlace == nil {
		ms.eventPlace = mustLoadModels().eventPlace
	}
	x := newExtractor(gaz, ms, al)
	x.adminAliases = m.AdminAliases
	return x, nil
}

func newExtractor(gaz *gazetteer.Gazetteer, ms *models, al *aliases) *Extractor {
	return &Extractor{
		gaz:       gaz,
		dates:     newDateRules(),
		cas:       newCasualtyRules(),
		events:    newEventRules(),
		mishaps:   newMishaps(),
		ambiguous: ambiguousTriggers(),
		actors:    newActorRules(),
		spot:      newSpotRules(),
		abbr:      abbreviations(),
		states:    stateAbbreviations(),
		models:    ms,
		aliases:   al,
		english:   newEnglishCheck(),
		common:    parseWords(commonWordData),
		readings:  candidateRules(),
		remarks:   remarkRules(),
		now:       time.Now,
	}
}

// PlaceRef is the resolved place of a mention, in the public vocabulary.
type PlaceRef struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Level   string  `json:"level"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Country string  `json:"country,omitempty"`
	Admin1  string  `json:"admin1,omitempty"`
	Admin2  string  `json:"admin2,omitempty"`
}

// Mention is one place name in the text. Start and End count code points
// (as most corpora and JavaScript-free clients do), StartByte and EndByte
// UTF-8 bytes; both are half-open.
type Mention struct {
	Text      string    `json:"text"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	StartByte int       `json:"start_byte"`
	EndByte   int       `json:"end_byte"`
	Kind      string    `json:"kind"`                // name | demonym | code
	Qualifier string    `json:"qualifier,omitempty"` // province | district | city | area
	Place     *PlaceRef `json:"place"`               // the resolved place (names no place fits are left out)
	Score     float64   `json:"score"`               // 0..1, how sure the resolution is
}

// Result is what an article yields.
type Result struct {
	Incidents []incident.Incident
	// Explanations says, for each incident (same index), where in the text
	// its place was read and which rules decided it.
	Explanations []Explanation
	Mentions     []Mention
	// Reason says, when Incidents is empty, why: "no place named", "no
	// violent event reported"...
	Reason string
}

// Span is a stretch of the text: Start and End count code points,
// StartByte and EndByte UTF-8 bytes; both are half-open.
type Span struct {
	Start     int `json:"start"`
	End       int `json:"end"`
	StartByte int `json:"start_byte"`
	EndByte   int `json:"end_byte"`
}

// Explanation tells how an incident was read: the mention its place came
// from, and the named rules that decided its place, type, date and count.
type Explanation struct {
	Place Span     `json:"place"`
	Rules []string `json:"rules"`
}

// analysis is the shared work of Extract and Geoparse.
type analysis struct {
	text  string
	sents []sentence
	res   []resolved
	focus string // the country most of the article's places are in
	// remarks are the coders' remarks in the text ("(coded as Narail)").
	remarks []remark
	// Indexes over res, so that per-sentence work stays linear.
	bySentence   [][]int             // res indexes of each sentence
	hasChild     []bool              // a finer resolved place is named inside it
	countryNames map[string][]string // up to two distinct names per country
}

// analyse reads text; country, when not "", is the country prior (see
// Article.Country).
func (x *Extractor) analyse(text, country string) *analysis {
	a := &analysis{text: text}
	a.sents = splitSentences(text, x.abbr)
	for i := range a.sents {
		tokenize(&a.sents[i], text, x.states)
	}
	a.remarks = x.findRemarks(text)
	spots := dropRemarkWords(x.spotAll(text, a.sents), a.remarks)
	linkHierarchy(text, spots, x.spot.placeNouns)
	toks := make([][]token, len(a.sents))
	for i := range a.sents {
		toks[i] = a.sents[i].Tokens
	}
	prior := x.models.countryPrior(countryFeatures(toks))
	if country != "" {
		prior = map[string]float64{strings.ToUpper(country): 1}
	}
	a.res = x.resolveSpots(spots, prior)
	a.index()
	a.focus = a.focusCountry(prior)
	x.placeUnknown(a)
	return a
}

// index lists each sentence's mentions, the mentions with a child, and
// the first two names each country is named by.
func (a *analysis) index() {
	a.bySentence = make([][]int, len(a.sents))
	a.hasChild = make([]bool, len(a.res))
	a.countryNames = map[string][]string{}
	for i, r := range a.res {
		a.bySentence[r.Sentence] = append(a.bySentence[r.Sentence], i)
		if r.Parent >= 0 && r.OK && !r.Demonym {
			a.hasChild[r.Parent] = true
		}
		if names := a.countryNames[r.Place.Country]; r.OK && len(names) < 2 && (len(names) == 0 || names[0] != r.Key) {
			a.countryNames[r.Place.Country] = append(names, r.Key)
		}
	}
}

// Focus weights: how much a resolved mention says the report is about
// its country (see focusWeight).
const (
	focusBelowCountry = 1.5 // a province or town says more than the country's own name
	focusCue          = 1.5 // written as a place ("in X"), not "from X" or "to X"
	focusLead         = 0.5 // the headline and the lead say where the story is
	focusDistanceRef  = 0.3 // "near the border with Burkina Faso"
	focusWhose        = 0.3 // "US-backed", "Americans": who, not where
	// focusPrior: a country prior sure of the report's country (at least
	// minPriorOutweigh) outweighs one name read abroad, with a cue or in
	// the lead (2.25, 2.0: "Supporters of Paul Otuoma" as Cape Verde's
	// Paul), not one with both (2.75) nor two names. Held out on
	// acled_dev, 1.6 and 4.0 locate fewer notes than 2.5 (+6, -6 against
	// +11), and 4.0 costs event_location_dev 68 sentences.
	focusPrior = 2.5
)

// focusCountry is the country the resolved mentions and the report's
// words (the country prior, when it is sure of one) weigh most for, ""
// when none: the report's country. With no place resolved, the words
// alone may say where it is ("the OSCE SMM observed ... near
// Holubivske").
func (a *analysis) focusCountry(prior map[string]float64) string {
	weight := map[string]float64{}
	if sure := likeliest(prior, minPriorOutweigh); sure != "" {
		weight[sure] = focusPrior
	}
	for _, r := range a.res {
		if !r.OK || r.Place.Country == "" || r.SubjectVerb && r.Prep == "" || r.Dateline {
			continue
		}
		weight[r.Place.Country] += a.focusWeight(&r)
	}
	focus, best := "", 0.0
	for c, w := range weight {
		if w > best || w == best && c < focus {
			focus, best = c, w
		}
	}
	if focus == "" {
		return likeliest(prior, minPriorFocus)
	}
	return focus
}

// focusWeight is what mention r adds to its country's weight as the
// report's focus.
func (a *analysis) focusWeight(r *resolved) float64 {
	w := 1.0
	if r.Place.Level != gazetteer.LevelCountry {
		w = focusBelowCountry
	}
	if r.Cue && r.Prep != "from" && r.Prep != "to" {
		w *= focusCue
	}
	if r.Sentence < 2 {
		w += focusLead
	}
	if before := strings.ToLower(a.text[max(0, r.SpanStart-referenceWindow):r.SpanStart]); isDistanceRef(before) {
		w *= focusDistanceRef
	}
	if r.Part || r.Demonym {
		w = focusWhose
	}
	return w
}

// monthFirst reports whether the report's country writes numeric dates
// month first: the United States and the countries that follow its usage.
func (a *analysis) monthFirst() bool {
	switch a.focus {
	case "US", "PH", "FM", "MH", "PW":
		return true
	}
	return false
}

// countryNamed reports whether a place of country cc other than the
// mention skip is named in the article.
func (a *analysis) countryNamed(cc string, skip int) bool {
	for _, k := range a.countryNames[cc] {
		if k != a.res[skip].Key {
			return true
		}
	}
	return false
}

// Geoparse returns every place mention of text with its resolved place.
func (x *Extractor) Geoparse(text string) []Mention {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return mentions(x.analyse(text, ""))
}

func mentions(a *analysis) []Mention {
	out := make([]Mention, 0, len(a.res))
	// Code point offsets: walk the text once.
	cp := newCodePoints(a.text)
	for _, r := range a.res {
		if !r.OK || r.Inherited {
			continue // a capitalised word no place fits is not worth reporting
		}
		if r.People {
			continue // "Americans" names people: it steers resolution but mentions no place
		}
		m := Mention{Text: r.Name, StartByte: r.Start, EndByte: r.End, Start: cp.at(r.Start), End: cp.at(r.End),
			Kind: "name", Qualifier: r.Qual, Score: r.Score}
		if r.Demonym {
			m.Kind = "demonym"
		} else if r.Code {
			m.Kind = "code"
		}
		m.Place = placeRef(r.Place)
		out = append(out, m)
	}
	return out
}

// placeRef describes p for a mention. A mention of an area means the
// whole area, so its point is the gazetteer's estimate of the area's
// centre, not the seat an incident coded to that area is placed at.
func placeRef(p gazetteer.Place) *PlaceRef {
	pt := p.Point
	if p.Centre != (orb.Point{}) {
		pt = p.Centre
	}
	return &PlaceRef{ID: p.ID, Name: p.Name, Level: p.Level.String(), Lat: pt[1], Lon: pt[0],
		Country: p.Country, Admin1: p.Admin1, Admin2: p.Admin2}
}

// codePoints converts byte offsets to code point offsets, for offsets
// asked in increasing order (it restarts when they go back).
type codePoints struct {
	text       string
	byteAt, cp int
}

func newCodePoints(text string) *codePoints { return &codePoints{text: text} }

func (c *codePoints) at(b int) int {
	if b < c.byteAt {
		c.byteAt, c.cp = 0, 0
	}
	c.cp += utf8.RuneCountInString(c.text[c.byteAt:b])
	c.byteAt = b
	return c.cp
}

// Extract returns the incidents a reports and its place mentions. An
// article with no incident gives an empty list and a Reason; it is not an
// error. a.Published anchors relative dates; without it the extraction
// time does, with lower confidence.
func (x *Extractor) Extract(a Article) (Result, error) {
	if strings.TrimSpace(a.Text) == "" {
		return Result{Reason: "the text is empty"}, nil
	}
	if len(a.Text) > MaxArticleBytes {
		return Result{}, fmt.Errorf("extracting: %w: %d bytes, the limit is %d", ErrTooLarge, len(a.Text), MaxArticleBytes)
	}
	an := x.analyse(a.Text, a.Country)
	res := Result{Mentions: mentions(an)}
	if !x.english.isEnglish(an.sents) {
		res.Reason = "not English: the extractor reads English reports only"
		return res, nil
	}
	pub, src := x.reference(a, an)
	res.Incidents, res.Explanations, res.Reason = x.incidents(an, a, pub, src)
	return res, nil
}

// refSource says where the day that relative dates count from came from.
type refSource int

const (
	refPublished refSource = iota // the article's publication date
	refText                       // no publication date: the latest dated day the text gives
	refClock                      // neither: the day of extraction, said in the incident's notes
)

// reference returns the day relative dates ("on Saturday", "last week")
// count from: the publication date; else the latest day the text dates
// with a year ("On 3 May 2020, ..."), since a report is written after what
// it reports; else the extraction day.
func (x *Extractor) reference(a Article, an *analysis) (time.Time, refSource) {
	if a.Published != "" {
		if t, err := time.Parse(incident.DateLayout, a.Published); err == nil {
			return t, refPublished
		}
	}
	var latest time.Time
	for _, s := range an.sents {
		for _, d := range x.dates.find(s.Text, time.Time{}, an.monthFirst()) {
			if d.Precision == incident.PrecisionDay && d.Date.After(latest) {
				latest = d.Date
			}
		}
	}
	if !latest.IsZero() {
		return latest, refText
	}
	n := x.now().UTC()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC), refClock
}
