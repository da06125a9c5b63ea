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
// Every property is always written, null when the incident has none: GIS
// clients (QGIS, GDAL) build a layer's fields from its first features, and
// a property missing there is a column lost.
type Properties struct {
	EventDate          string   `json:"event_date"`
	EventEndDate       Text     `json:"event_end_date"`
	DatePrecision      Text     `json:"date_precision"`
	EventType          Text     `json:"event_type"`
	SubEventType       Text     `json:"sub_event_type"`
	Actor1             Text     `json:"actor1"`
	Actor2             Text     `json:"actor2"`
	AssocActor1        Text     `json:"assoc_actor_1"`
	AssocActor2        Text     `json:"assoc_actor_2"`
	Inter1             Text     `json:"inter1"`
	Inter2             Text     `json:"inter2"`
	Fatalities         *int     `json:"fatalities"`
	CivilianFatalities *int     `json:"civilian_fatalities"`
	Injured            *int     `json:"injured"`
	Location           Text     `json:"location"`
	Admin1             Text     `json:"admin1"`
	Admin2             Text     `json:"admin2"`
	Country            Text     `json:"country"`
	GeoPrecision       *int     `json:"geo_precision"`
	PlaceID            Text     `json:"place_id"`
	Notes              Text     `json:"notes"`
	Tags               []string `json:"tags"`
	Confidence         *float64 `json:"confidence"`
	Sources            []Source `json:"sources"`
	SourceEventID      Text     `json:"source_event_id"`
	Created            Text     `json:"created"`
	Updated            Text     `json:"updated"`
}

// Text is a text property: a JSON string, or null when empty. It reads a
// JSON string or null (as "").
type Text string

// MarshalJSON writes t as a JSON string, or null when it is empty.
func (t Text) MarshalJSON() ([]byte, error) {
	if t == "" {
		return []byte("null"), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The encoder that calls this escapes HTML or not as it was told.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(string(t)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
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
		EventDate: in.EventDate, EventEndDate: Text(in.EventEndDate), DatePrecision: Text(in.DatePrecision),
		EventType: Text(in.EventType), SubEventType: Text(in.SubEventType),
		Actor1: Text(in.Actor1), Actor2: Text(in.Actor2), AssocActor1: Text(in.AssocActor1), AssocActor2: Text(in.AssocActor2),
		Inter1: Text(in.Inter1), Inter2: Text(in.Inter2),
		Fatalities: in.Fatalities, CivilianFatalities: in.CivilianFatalities, Injured: in.Injured,
		Location: Text(in.Location), Admin1: Text(in.Admin1), Admin2: Text(in.Admin2), Country: Text(in.Country),
		PlaceID: Text(in.PlaceID), Notes: Text(in.Notes),
		Confidence: in.Confidence, SourceEventID: Text(in.SourceEventID),
	}}
	if in.Geometry != nil {
		f.Geometry = geojson.NewGeometry(in.Geometry)
	}
	// Unknown is null: no precision (0), no tags, no sources.
	if in.GeoPrecision != 0 {
		gp := in.GeoPrecision
		f.Properties.GeoPrecision = &gp
	}
	if len(in.Tags) > 0 {
		f.Properties.Tags = in.Tags
	}
	if len(in.Sources) > 0 {
		f.Properties.Sources = in.Sources
	}
	if !in.Created.IsZero() {
		f.Properties.Created = Text(in.Created.UTC().Format(TimeLayout))
	}
	if !in.Updated.IsZero() {
		f.Properties.Updated = Text(in.Updated.UTC().Format(TimeLayout))
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
		ID: f.ID, EventDate: p.EventDate, EventEndDate: string(p.EventEndDate), DatePrecision: string(p.DatePrecision),
		EventType: string(p.EventType), SubEventType: string(p.SubEventType),
		Actor1: string(p.Actor1), Actor2: string(p.Actor2), AssocActor1: string(p.AssocActor1), AssocActor2: string(p.AssocActor2),
		Inter1: string(p.Inter1), Inter2: string(p.Inter2),
		Fatalities: p.Fatalities, CivilianFatalities: p.CivilianFatalities, Injured: p.Injured,
		Location: string(p.Location), Admin1: string(p.Admin1), Admin2: string(p.Admin2), Country: strings.ToUpper(string(p.Country)),
		PlaceID: string(p.PlaceID), Notes: string(p.Notes), Tags: p.Tags,
		Confidence: p.Confidence, Sources: p.Sources, SourceEventID: string(p.SourceEventID),
	}
	if p.GeoPrecision != nil {
		in.GeoPrecision = *p.GeoPrecision
	}
	if f.Geometry != nil {
		in.Geometry = f.Geometry.Geometry()
	}
	for _, t := range []struct {
		field string
		v     string
		dst   *time.Time
	}{{"created", string(p.Created), &in.Created}, {"updated", string(p.Updated), &in.Updated}} {
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
