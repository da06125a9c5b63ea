package incident_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

func marshalNoEscape(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestAppendFeatureMatchesEncodingJSON pins the fast encoder to the
// reference encoding of the Feature struct.
func TestAppendFeatureMatchesEncodingJSON(t *testing.T) {
	full := incident.Incident{
		ID: "a\"b", EventDate: "2019-09-23", EventEndDate: "2019-09-24", DatePrecision: "day",
		EventType: incident.Battles, SubEventType: "Armed clash", Actor1: "Taliban", Actor2: "Military Forces of Afghanistan",
		AssocActor1: "x", AssocActor2: "y", Inter1: "1; 3", Inter2: "Civilians", Fatalities: incident.Int(7), CivilianFatalities: incident.Int(0),
		Location: "Mūsá Qal‘ah", Admin1: "Helmand", Admin2: "Musa Qala", Country: "AF", GeoPrecision: 2,
		PlaceID: "geonames:1132604", Notes: "line\nbreak <script>alert(1)</script> \u2028 \x01 tab\t \\ \"q\" \xff",
		Tags: []string{"a", "b"}, Confidence: incident.Float(0.86),
		Sources:       []incident.Source{{URL: "https://x.org/?a=1&b=2", Title: "T", Published: "2019-10-08", Evidence: "He was killed."}, {Evidence: "e"}},
		SourceEventID: "AFG1", Geometry: orb.Point{64.74486, 1e-7},
		Created: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC), Updated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	tests := map[string]incident.Incident{
		"full":        full,
		"minimal":     {EventDate: "2020-01-01", Geometry: orb.Point{-0.5, 51.25}},
		"polygon":     {EventDate: "2020-01-01", Geometry: orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, Confidence: incident.Float(1e22)},
		"empty lists": {EventDate: "2020-01-01", Geometry: orb.Point{1, 2}, Tags: []string{}, Sources: []incident.Source{}},
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			want := marshalNoEscape(t, in.ToFeature())
			got := in.AppendFeature(nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("AppendFeature\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestSparseFeatureCarriesEveryProperty: GIS clients build a layer's
// fields from its first features, so an incident with only a date and a
// point still carries every property, null, in the declared order; and
// such a feature reads back as the same incident.
func TestSparseFeatureCarriesEveryProperty(t *testing.T) {
	var want []string
	pt := reflect.TypeFor[incident.Properties]()
	for i := range pt.NumField() {
		want = append(want, strings.Split(pt.Field(i).Tag.Get("json"), ",")[0])
	}
	sparse := incident.Incident{EventDate: "2020-01-01", Geometry: orb.Point{-0.5, 51.25}}
	b := sparse.AppendFeature(nil)
	dec := json.NewDecoder(bytes.NewReader(b))
	var f struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	dec = json.NewDecoder(bytes.NewReader(f.Properties))
	dec.Token() // {
	var got []string
	for dec.More() {
		k, _ := dec.Token()
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, k.(string))
		if k != "event_date" && string(v) != "null" {
			t.Errorf("%s = %s; want null", k, v)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("properties\n%v\nwant\n%v", got, want)
	}
	back, err := incident.DecodeFeature(b)
	if err != nil {
		t.Fatalf("the nulls do not read back: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(back, sparse) {
		t.Errorf("read back %+v\nwant %+v", back, sparse)
	}
}

func BenchmarkAppendFeature(b *testing.B) {
	in := incident.Incident{ID: "01a213f5-656a-7ec3-a4aa-a98021afe2eb", EventDate: "2019-09-23", EventType: incident.Battles,
		Actor1: "Taliban", Fatalities: incident.Int(7), Location: "Musa Qala", Admin1: "Helmand", Country: "AF",
		Notes: "A raid on a compound.", Tags: []string{"t"}, Geometry: orb.Point{64.74486, 32.44565},
		Sources: []incident.Source{{URL: "https://example.org/a", Evidence: "He was killed during a raid."}}}
	var buf []byte
	for i := 0; i < b.N; i++ {
		buf = in.AppendFeature(buf[:0])
	}
}
