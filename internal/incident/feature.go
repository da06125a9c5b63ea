package incident

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"
)

// TimeLayout is how created/updated timestamps are written (UTC, milliseconds),
// the DATETIME form GeoPackage readers expect.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Properties is an incident's GeoJSON properties object, in the public
// vocabulary of docs/API.md. Field order here is the order clients see.
type Properties struct {
	EventDate          string   `json:"event_date"`
	EventEndDate       string   `json:"event_end_date,omitempty"`
	DatePrecision      string   `json:"date_precision,omitempty"`
	EventType          string   `json:"event_type,omitempty"`
	SubEventType       string   `json:"sub_event_type,omitempty"`
	Actor1             string   `json:"actor1,omitempty"`
	Actor2             string   `json:"actor2,omitempty"`
	AssocActor1        string   `json:"assoc_actor_1,omitempty"`
	AssocActor2        string   `json:"assoc_actor_2,omitempty"`
	Inter1             string   `json:"inter1,omitempty"`
	Inter2             string   `json:"inter2,omitempty"`
	Fatalities         *int     `json:"fatalities"`
	CivilianFatalities *int     `json:"civilian_fatalities"`
	Injured            *int     `json:"injured"`
	Location           string   `json:"location,omitempty"`
	Admin1             string   `json:"admin1,omitempty"`
	Admin2             string   `json:"admin2,omitempty"`
	Country            string   `json:"country,omitempty"`
	GeoPrecision       int      `json:"geo_precision,omitempty"`
	PlaceID            string   `json:"place_id,omitempty"`
	Notes              string   `json:"notes,omitempty"`
	Tags               []string `json:"tags,omitempty"`
	Confidence         *float64 `json:"confidence,omitempty"`
	Sources            []Source `json:"sources,omitempty"`
	SourceEventID      string   `json:"source_event_id,omitempty"`
	Created            string   `json:"created,omitempty"`
	Updated            string   `json:"updated,omitempty"`
}

// Feature is the GeoJSON (RFC 7946) form of an incident.
type Feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id,omitempty"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties Properties        `json:"properties"`
}

// ToFeature returns in as a GeoJSON Feature.
func (in *Incident) ToFeature() Feature {
	f := Feature{Type: "Feature", ID: in.ID, Properties: Properties{
		EventDate: in.EventDate, EventEndDate: in.EventEndDate, DatePrecision: in.DatePrecision,
		EventType: in.EventType, SubEventType: in.SubEventType,
		Actor1: in.Actor1, Actor2: in.Actor2, AssocActor1: in.AssocActor1, AssocActor2: in.AssocActor2,
		Inter1: in.Inter1, Inter2: in.Inter2,
		Fatalities: in.Fatalities, CivilianFatalities: in.CivilianFatalities, Injured: in.Injured,
		Location: in.Location, Admin1: in.Admin1, Admin2: in.Admin2, Country: in.Country,
		GeoPrecision: in.GeoPrecision, PlaceID: in.PlaceID, Notes: in.Notes, Tags: in.Tags,
		Confidence: in.Confidence, Sources: in.Sources, SourceEventID: in.SourceEventID,
	}}
	if in.Geometry != nil {
		f.Geometry = geojson.NewGeometry(in.Geometry)
	}
	if !in.Created.IsZero() {
		f.Properties.Created = in.Created.UTC().Format(TimeLayout)
	}
	if !in.Updated.IsZero() {
		f.Properties.Updated = in.Updated.UTC().Format(TimeLayout)
	}
	return f
}

// MarshalJSON writes in as a GeoJSON Feature.
func (in *Incident) MarshalJSON() ([]byte, error) {
	return json.Marshal(in.ToFeature())
}

// Incident converts a decoded Feature back into an Incident. It does not
// validate; call Validate.
func (f *Feature) Incident() (Incident, error) {
	p := f.Properties
	in := Incident{
		ID: f.ID, EventDate: p.EventDate, EventEndDate: p.EventEndDate, DatePrecision: p.DatePrecision,
		EventType: p.EventType, SubEventType: p.SubEventType,
		Actor1: p.Actor1, Actor2: p.Actor2, AssocActor1: p.AssocActor1, AssocActor2: p.AssocActor2,
		Inter1: p.Inter1, Inter2: p.Inter2,
		Fatalities: p.Fatalities, CivilianFatalities: p.CivilianFatalities, Injured: p.Injured,
		Location: p.Location, Admin1: p.Admin1, Admin2: p.Admin2, Country: strings.ToUpper(p.Country),
		GeoPrecision: p.GeoPrecision, PlaceID: p.PlaceID, Notes: p.Notes, Tags: p.Tags,
		Confidence: p.Confidence, Sources: p.Sources, SourceEventID: p.SourceEventID,
	}
	if f.Geometry != nil {
		in.Geometry = f.Geometry.Geometry()
	}
	for _, t := range []struct {
		field string
		v     string
		dst   *time.Time
	}{{"created", p.Created, &in.Created}, {"updated", p.Updated, &in.Updated}} {
		if t.v == "" {
			continue
		}
		ts, err := time.Parse(time.RFC3339Nano, t.v)
		if err != nil {
			return Incident{}, Errorf("properties."+t.field, "must be an RFC 3339 timestamp, not %q", t.v)
		}
		*t.dst = ts.UTC()
	}
	return in, nil
}

// DecodeFeatures reads a GeoJSON Feature or FeatureCollection of incidents,
// strictly: unknown members, a wrong "type" or a missing geometry are errors
// naming the field (features[3].properties.event_date). It validates every
// incident. It reads all of r; callers bound r's size.
func DecodeFeatures(r io.Reader) ([]Incident, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading GeoJSON: %w", err)
	}
	var head struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError("", err)
	}
	switch head.Type {
	case "Feature":
		in, err := decodeFeature("", data)
		if err != nil {
			return nil, err
		}
		return []Incident{in}, nil
	case "FeatureCollection":
		if len(head.Features) == 0 {
			return nil, Errorf("features", "is empty: nothing to write")
		}
		out := make([]Incident, 0, len(head.Features))
		for i, raw := range head.Features {
			in, err := decodeFeature(fmt.Sprintf("features[%d].", i), raw)
			if err != nil {
				return nil, err
			}
			out = append(out, in)
		}
		return out, nil
	case "":
		return nil, Errorf("type", "is missing: expected Feature or FeatureCollection")
	default:
		return nil, Errorf("type", "must be Feature or FeatureCollection, not %q", head.Type)
	}
}

// DecodeFeature reads one GeoJSON Feature strictly and validates it.
func DecodeFeature(data []byte) (Incident, error) {
	return decodeFeature("", data)
}

// featureIn mirrors Feature for strict decoding, with the geometry kept raw
// so that its errors can be reported as "geometry".
type featureIn struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
	BBox       json.RawMessage `json:"bbox"`
}

func decodeFeature(prefix string, data []byte) (Incident, error) {
	var raw featureIn
	if err := strictUnmarshal(data, &raw); err != nil {
		return Incident{}, jsonError(prefix, err)
	}
	if raw.Type != "Feature" {
		return Incident{}, Errorf(prefix+"type", "must be \"Feature\", not %q", raw.Type)
	}
	var f Feature
	if len(raw.ID) > 0 && string(raw.ID) != "null" {
		var id any
		if err := json.Unmarshal(raw.ID, &id); err != nil {
			return Incident{}, jsonError(prefix+"id", err)
		}
		switch v := id.(type) {
		case string:
			f.ID = v
		case float64:
			f.ID = string(raw.ID)
		default:
			return Incident{}, Errorf(prefix+"id", "must be a string or a number")
		}
	}
	if len(raw.Geometry) == 0 || string(raw.Geometry) == "null" {
		return Incident{}, Errorf(prefix+"geometry", "is required: an incident needs a place (e.g. {\"type\":\"Point\",\"coordinates\":[lon,lat]})")
	}
	g, err := geojson.UnmarshalGeometry(raw.Geometry)
	if err != nil {
		return Incident{}, Errorf(prefix+"geometry", "is not a GeoJSON geometry: %v", err)
	}
	f.Geometry = g
	if len(raw.Properties) == 0 || string(raw.Properties) == "null" {
		return Incident{}, Errorf(prefix+"properties", "is required (at least event_date)")
	}
	if err := strictUnmarshal(raw.Properties, &f.Properties); err != nil {
		return Incident{}, jsonError(prefix+"properties", err)
	}
	in, err := f.Incident()
	if err != nil {
		return Incident{}, prefixed(prefix, err)
	}
	if err := in.Validate(); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) && !strings.HasPrefix(fe.Field, "geometry") && fe.Field != "id" {
			return Incident{}, &FieldError{Field: prefix + "properties." + fe.Field, Reason: fe.Reason}
		}
		return Incident{}, prefixed(prefix, err)
	}
	return in, nil
}

func prefixed(prefix string, err error) error {
	var fe *FieldError
	if prefix != "" && errors.As(err, &fe) {
		return &FieldError{Field: prefix + fe.Field, Reason: fe.Reason}
	}
	return err
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// jsonError turns an encoding/json error into a FieldError naming the member.
func jsonError(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	field := strings.TrimSuffix(prefix, ".")
	switch {
	case errors.As(err, &te):
		name := te.Field
		if field != "" && name != "" {
			name = field + "." + name
		} else if name == "" {
			name = field
		}
		if name == "" {
			name = "body"
		}
		return Errorf(name, "must be a JSON %s, not %s", te.Type.Kind(), te.Value)
	case errors.As(err, &se):
		if field == "" {
			field = "body"
		}
		return Errorf(field, "malformed JSON at byte %d: %v", se.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" {
			name = `""`
		}
		if field != "" {
			name = field + "." + name
		}
		return Errorf(name, "is not a known member (see docs/API.md for the incident properties)")
	}
	if field == "" {
		field = "body"
	}
	return Errorf(field, "malformed JSON: %v", err)
}
