package incident_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/incident"
)

func TestDecodeFeaturesErrorsNameTheField(t *testing.T) {
	pt := `{"type":"Point","coordinates":[64.7,32.4]}`
	tests := []struct {
		name, body, field string
	}{
		{"empty", ``, "body"},
		{"not an object", `[1,2]`, "body"},
		{"no type", `{"features":[]}`, "type"},
		{"wrong type", `{"type":"Point","coordinates":[1,2]}`, "type"},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, "features"},
		{"missing geometry", `{"type":"Feature","properties":{"event_date":"2019-09-23"}}`, "geometry"},
		{"missing properties", `{"type":"Feature","geometry":` + pt + `}`, "properties"},
		{"missing date", `{"type":"Feature","geometry":` + pt + `,"properties":{}}`, "properties.event_date"},
		{"wrong date", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-30"}}`, "properties.event_date"},
		{"end before start", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","event_end_date":"2019-02-01"}}`, "properties.event_end_date"},
		{"string fatalities", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","fatalities":"seven"}}`, "properties.fatalities"},
		{"bad country", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","country":"AFG"}}`, "properties.country"},
		{"bad precision", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","geo_precision":9}}`, "properties.geo_precision"},
		{"bad confidence", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","confidence":1.5}}`, "properties.confidence"},
		{"bad sub type", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","event_type":"Riots","sub_event_type":"Armed clash"}}`, "properties.sub_event_type"},
		{"bad source date", `{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03","sources":[{"published":"yesterday"}]}}`, "properties.sources[0].published"},
		{"lat out of range", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,95]},"properties":{"event_date":"2019-02-03"}}`, "geometry.coordinates"},
		{"short ring", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]},"properties":{"event_date":"2019-02-03"}}`, "geometry.coordinates[0]"},
		{"unknown geometry", `{"type":"Feature","geometry":{"type":"Circle","coordinates":[0,0]},"properties":{"event_date":"2019-02-03"}}`, "geometry"},
		{"second feature", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"2019-02-03"}},{"type":"Feature","geometry":` + pt + `,"properties":{"event_date":"x"}}]}`, "features[1].properties.event_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := incident.DecodeFeatures(strings.NewReader(tt.body))
			var fe *incident.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, incident.ErrInvalid) {
				t.Fatalf("err = %v, want a FieldError", err)
			}
			if fe.Field != tt.field {
				t.Fatalf("field = %q, want %q (%v)", fe.Field, tt.field, err)
			}
		})
	}
}

func TestDecodeFeaturesRoundTrip(t *testing.T) {
	body := `{"type":"Feature","id":"x1","geometry":{"type":"Point","coordinates":[64.74486,32.44565]},
	 "properties":{"event_date":"2019-09-23","event_type":"Battles","sub_event_type":"Armed clash","fatalities":7,
	 "civilian_fatalities":null,"country":"af","geo_precision":2,"tags":["a"],"confidence":0.8,
	 "sources":[{"url":"https://e.org","published":"2019-10-08","evidence":"He was killed."}]}}`
	ins, err := incident.DecodeFeatures(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	in := ins[0]
	if in.ID != "x1" || *in.Fatalities != 7 || in.CivilianFatalities != nil || in.Country != "AF" || in.Sources[0].Evidence != "He was killed." {
		t.Fatalf("decoded %+v", in)
	}
	again, err := incident.DecodeFeature(in.AppendFeature(nil))
	if err != nil {
		t.Fatal(err)
	}
	if string(again.AppendFeature(nil)) != string(in.AppendFeature(nil)) {
		t.Fatal("encode/decode round trip changed the incident")
	}
}

func FuzzDecodeFeatures(f *testing.F) {
	f.Add(`{"type":"Feature","geometry":{"type":"Point","coordinates":[64.7,32.4]},"properties":{"event_date":"2019-09-23"}}`)
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{"event_date":"2019-09-23","fatalities":3}}]}`)
	f.Add(`{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[]},"properties":{"event_date":"2019-09-23"}}`)
	f.Add(`{"type":"Feature","geometry":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		ins, err := incident.DecodeFeatures(strings.NewReader(body))
		if err != nil {
			var fe *incident.FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		for _, in := range ins {
			if err := in.Validate(); err != nil {
				t.Fatalf("accepted an invalid incident: %v", err)
			}
			in.AppendFeature(nil)
		}
	})
}
