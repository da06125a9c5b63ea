package interchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// geojsonReader streams the features of a GeoJSON FeatureCollection with
// json.Decoder tokens: only one feature is in memory at a time, whatever the
// file's size. Each feature is decoded as the API decodes one (strictly:
// unknown properties are errors naming them) and keeps its id and
// source_event_id, so an incidentmap GeoJSON export imports back unchanged.
type geojsonReader struct {
	dec     *json.Decoder
	state   int // 0 before the features array, 1 inside it, 2 after it
	n       int // features read
	topType string
	single  map[string]json.RawMessage // members of a top-level Feature
}

func newGeoJSONReader(r io.Reader) (*geojsonReader, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, inputError("not GeoJSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, inputError("not GeoJSON: expected a FeatureCollection object, found %v", tok)
	}
	return &geojsonReader{dec: dec}, nil
}

func (g *geojsonReader) Dataset() string { return "" }

// Next decodes the next feature into in.
func (g *geojsonReader) Next(in *incident.Incident) error {
	for {
		switch g.state {
		case 1:
			if !g.dec.More() {
				if _, err := g.dec.Token(); err != nil { // ']'
					return g.syntax(err)
				}
				g.state = 2
				continue
			}
			var raw json.RawMessage
			if err := g.dec.Decode(&raw); err != nil {
				return g.syntax(err)
			}
			g.n++
			f, err := incident.DecodeFeature(raw)
			if err != nil {
				return featureError(g.n, err)
			}
			*in = f
			return nil
		case 0, 2:
			if !g.dec.More() {
				return g.end(in)
			}
			tok, err := g.dec.Token()
			if err != nil {
				return g.syntax(err)
			}
			key, _ := tok.(string)
			if key == "features" && g.state == 0 {
				tok, err := g.dec.Token()
				if err != nil {
					return g.syntax(err)
				}
				if d, ok := tok.(json.Delim); !ok || d != '[' {
					return inputError("features must be an array")
				}
				g.state = 1
				continue
			}
			var raw json.RawMessage
			if err := g.dec.Decode(&raw); err != nil {
				return g.syntax(err)
			}
			if key == "type" {
				if err := json.Unmarshal(raw, &g.topType); err != nil {
					return inputError("type must be a string")
				}
			}
			if g.single == nil {
				g.single = map[string]json.RawMessage{}
			}
			g.single[key] = raw
		default:
			return io.EOF
		}
	}
}

// end checks the top-level type once the object is read: a FeatureCollection
// ends the stream, a lone Feature is decoded from the members kept aside.
func (g *geojsonReader) end(in *incident.Incident) error {
	if _, err := g.dec.Token(); err != nil { // '}'
		return g.syntax(err)
	}
	state := g.state
	g.state = 3
	switch g.topType {
	case "FeatureCollection":
		return io.EOF
	case "Feature":
		if state == 2 {
			return inputError("a Feature has no features member")
		}
		data, err := json.Marshal(g.single)
		if err != nil {
			return fmt.Errorf("re-encoding the feature: %w", err)
		}
		f, err := incident.DecodeFeature(data)
		if err != nil {
			return featureError(1, err)
		}
		*in = f
		return nil
	case "":
		return inputError("type is missing: expected a FeatureCollection")
	}
	return inputError("type must be FeatureCollection or Feature, not %q", g.topType)
}

func (g *geojsonReader) syntax(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return inputError("GeoJSON ends early, after %d features", g.n)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return inputError("malformed GeoJSON at byte %d (after %d features): %v", se.Offset, g.n, err)
	}
	return fmt.Errorf("reading GeoJSON: %w", err)
}

// featureError turns a decoding error of feature n (from 1) into a RowError
// naming the member path.
func featureError(n int, err error) error {
	var fe *incident.FieldError
	if errors.As(err, &fe) {
		return &RowError{Row: n, Column: fmt.Sprintf("features[%d].%s", n-1, strings.TrimPrefix(fe.Field, ".")), Reason: fe.Reason}
	}
	return &RowError{Row: n, Reason: err.Error()}
}
