// Package eval scores incidentmap's extraction against hand-labelled
// corpora: incidents (place, date, fatalities, event type) in the format of
// shared/corpus/dev.jsonl, and toponyms (spans and coordinates) in the
// format of shared/corpus/trnews.jsonl. It reads corpora, turns the
// extractor's answers into what it scores, and counts; running the
// extractor is the caller's business, so that the eval command and the
// corpus tests score alike.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// GoldIncident is one hand-labelled incident of an article.
type GoldIncident struct {
	Place      string  `json:"place"`
	Admin1     string  `json:"admin1"`
	Country    string  `json:"country"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	GeoNameID  int64   `json:"geonameid"`
	Precision  string  `json:"precision"` // town | district | province | country
	Date       *string `json:"date"`      // YYYY-MM-DD, nil when the text gives no day
	Fatalities *int    `json:"fatalities"`
	EventType  string  `json:"event_type"` // lower case: "battle", "explosion/remote violence"...
	// Fields holds every string or number field of the gold incident as
	// written, the ones above included, so that scores can be sliced by any
	// field a corpus carries (acled_dev.jsonl adds sub_event_type, admin2,
	// geo_precision, date_basis, place_in_text).
	Fields map[string]string `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps every scalar field as
// text in Fields.
func (g *GoldIncident) UnmarshalJSON(b []byte) error {
	type plain GoldIncident
	if err := json.Unmarshal(b, (*plain)(g)); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	g.Fields = make(map[string]string, len(raw))
	for k, v := range raw {
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("field %s: %w", k, err)
		}
		switch x := x.(type) {
		case string:
			g.Fields[k] = x
		case float64, bool:
			g.Fields[k] = fmt.Sprint(x)
		case nil:
			g.Fields[k] = ""
		}
	}
	return nil
}

// Field returns the gold incident's field name as text ("" when absent).
func (g GoldIncident) Field(name string) string { return g.Fields[name] }

// ExtractionDay is the day of extraction every score is computed at. A
// text with no publication date (event_location_dev.jsonl's sentences,
// some of dev.jsonl's articles) is dated against the day it is read, and a
// score must not change with the day it is run: read on a Saturday, "on
// Saturday ... on Sunday" are a week apart, on other days one. Any fixed
// day would do; this one is a Monday.
func ExtractionDay() time.Time { return time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC) }

// IncidentArticle is one line of an incident corpus.
type IncidentArticle struct {
	ID        string         `json:"id"`
	URL       *string        `json:"url"`
	Title     string         `json:"title"`
	Published *string        `json:"published"`
	Text      string         `json:"text"`
	Incidents []GoldIncident `json:"incidents"`
}

// GoldToponym is one hand-labelled place mention. Start and End are code
// point offsets, StartByte and EndByte UTF-8 byte offsets.
type GoldToponym struct {
	Start     int     `json:"start"`
	End       int     `json:"end"`
	StartByte int     `json:"start_byte"`
	EndByte   int     `json:"end_byte"`
	Name      string  `json:"name"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	GeoNameID int64   `json:"geonameid"`
	FCode     string  `json:"fcode"`
}

// ToponymArticle is one line of a toponym corpus.
type ToponymArticle struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	URL      string        `json:"url"`
	Date     string        `json:"date"`
	Text     string        `json:"text"`
	Toponyms []GoldToponym `json:"toponyms"`
}

// ReadIncidentCorpus reads JSON lines of labelled articles. Errors name the
// line.
func ReadIncidentCorpus(r io.Reader) ([]IncidentArticle, error) {
	return readCorpus(r, func(a *IncidentArticle) error {
		if strings.TrimSpace(a.Text) == "" {
			return errors.New("text is empty")
		}
		return nil
	})
}

// ReadToponymCorpus reads JSON lines of articles with gold toponyms.
// Errors name the line.
func ReadToponymCorpus(r io.Reader) ([]ToponymArticle, error) {
	return readCorpus(r, func(*ToponymArticle) error { return nil })
}

// readCorpus decodes each non-blank line of r as a T and checks it.
func readCorpus[T any](r io.Reader, check func(*T) error) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var a T
		if err := json.Unmarshal(line, &a); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := check(&a); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading corpus line %d: %w", n+1, err)
	}
	return out, nil
}
