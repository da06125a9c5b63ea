package eval

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// Span is a labelled stretch of a sentence, in code points.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// EventSentence is one line of an event-location corpus
// (shared/corpus/event_location_dev.jsonl): a sentence, its event's verb,
// and the spans naming where that event happened (none when the sentence
// does not say).
type EventSentence struct {
	ID             string `json:"id"`
	Text           string `json:"text"`
	Verb           Span   `json:"verb"`
	EventLocations []Span `json:"event_locations"`
}

// ReadEventLocationCorpus reads JSON lines of event sentences. Errors name
// the line.
func ReadEventLocationCorpus(r io.Reader) ([]EventSentence, error) {
	return readCorpus(r, func(*EventSentence) error { return nil })
}

// EventLocationScore counts how often the extractor places a sentence's
// incident at one of the event's labelled places.
type EventLocationScore struct {
	Sentences  int // sentences with at least one labelled event place
	Placed     int // ... for which an incident was extracted
	Right      int // ... whose place span overlaps a labelled event place
	Multi      int // sentences with an event place that name two or more places
	MultiRight int
	Reasons    map[string]int // why sentences with an event place got no incident
}

// EventOutcome is how one sentence scored: unscored (no labelled event
// place), no incident, placed elsewhere, or right.
type EventOutcome string

// The outcomes of ScoreEventSentence.
const (
	EventUnscored   EventOutcome = "unscored"
	EventNoIncident EventOutcome = "no incident"
	EventWrong      EventOutcome = "wrong"
	EventRight      EventOutcome = "right"
)

// ScoreEventSentence scores the extraction of one sentence: res is what
// Extract returned for the sentence alone. Sentences without a labelled
// event place are not scored.
func (s *EventLocationScore) ScoreEventSentence(e EventSentence, res extract.Result) EventOutcome {
	if len(e.EventLocations) == 0 {
		return EventUnscored
	}
	s.Sentences++
	places := map[string]bool{}
	for _, m := range res.Mentions {
		if m.Place != nil {
			places[m.Place.ID] = true
		}
	}
	multi := len(places) >= 2
	if multi {
		s.Multi++
	}
	if len(res.Incidents) == 0 || len(res.Explanations) == 0 {
		if s.Reasons == nil {
			s.Reasons = map[string]int{}
		}
		reason, _, _ := strings.Cut(res.Reason, ":")
		s.Reasons[reason]++
		return EventNoIncident
	}
	s.Placed++
	cp := res.Explanations[0].Place
	for _, g := range e.EventLocations {
		if cp.Start < g.End && cp.End > g.Start {
			s.Right++
			if multi {
				s.MultiRight++
			}
			return EventRight
		}
	}
	return EventWrong
}

// Metrics are the score's figures in percent, by name.
func (s EventLocationScore) Metrics() map[string]float64 {
	pct := func(a, b int) float64 { return math.Round(1000*ratio(a, b)) / 10 }
	return map[string]float64{"event_place": pct(s.Right, s.Sentences), "event_place_multi": pct(s.MultiRight, s.Multi),
		"placed": pct(s.Placed, s.Sentences)}
}

// Report prints the score.
func (s EventLocationScore) Report(w io.Writer) error {
	pct := func(a, b int) float64 { return 100 * ratio(a, b) }
	_, err := fmt.Fprintf(w, "sentences with an event place   %d\n"+
		"incident extracted              %5.1f%%  (%d)\n"+
		"placed at the event's place     %5.1f%%  (%d/%d)\n"+
		"  ... naming two or more places %5.1f%%  (%d/%d; goal >= 85%%)\n",
		s.Sentences, pct(s.Placed, s.Sentences), s.Placed, pct(s.Right, s.Sentences), s.Right, s.Sentences,
		pct(s.MultiRight, s.Multi), s.MultiRight, s.Multi)
	if err != nil {
		return err
	}
	for _, r := range slices.Sorted(maps.Keys(s.Reasons)) {
		if _, err := fmt.Fprintf(w, "no incident: %-30s %d\n", r, s.Reasons[r]); err != nil {
			return err
		}
	}
	return nil
}

// EventDumpRecord is one sentence of the event-location dump.
type EventDumpRecord struct {
	ID        string       `json:"id"`
	Text      string       `json:"text"`
	Verb      string       `json:"verb"`
	Outcome   EventOutcome `json:"outcome"`
	Gold      []Span       `json:"gold"`
	Predicted *Span        `json:"predicted"`
	Others    []Span       `json:"others,omitempty"` // the places of the sentence's other incidents, which are not scored
	Mentions  []string     `json:"mentions"`
	Reason    string       `json:"reason,omitempty"`
}

// NewEventDumpRecord describes one sentence's gold and predicted event
// place, and how it scored.
func NewEventDumpRecord(e EventSentence, res extract.Result, o EventOutcome) EventDumpRecord {
	r := EventDumpRecord{ID: e.ID, Text: e.Text, Verb: e.Verb.Text, Outcome: o, Gold: e.EventLocations, Reason: res.Reason}
	for _, m := range res.Mentions {
		r.Mentions = append(r.Mentions, m.Text)
	}
	text := []rune(e.Text)
	for i, x := range res.Explanations {
		sp := Span{Start: x.Place.Start, End: x.Place.End, Text: string(text[x.Place.Start:x.Place.End])}
		if i == 0 {
			r.Predicted = &sp
		} else {
			r.Others = append(r.Others, sp)
		}
	}
	return r
}
