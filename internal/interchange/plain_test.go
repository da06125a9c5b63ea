package interchange

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestPlainCSV reads hand-made CSV files: common header names for
// coordinates, dates in several forms, and ids derived from content when the
// file has none.
func TestPlainCSV(t *testing.T) {
	for _, c := range []struct{ name, data string }{
		{"lat lon", "date,lat,lon,deaths,notes\n2021-03-05,32.45,64.74,3,Clash\n"},
		{"Latitude Longitude", "Event Date,Latitude,Longitude,Killed,Description\n05/03/2021,32.45,64.74,3,Clash\n"},
		{"y x semicolon", "day;y;x;dead;summary\n5 March 2021;32,45;64,74;3;Clash\n"},
		{"lng tab", "date\tlng\tlat\tfatalities\tnotes\nMarch 5, 2021\t64.74\t32.45\t3\tClash\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, err := NewReader(FormatCSV, strings.NewReader(c.data), ReaderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, rej := readAll(t, src)
			if len(rej) != 0 || len(got) != 1 {
				t.Fatalf("%d incidents, rejections %v", len(got), rej)
			}
			in := got[0]
			if p := in.Point(); p[0] != 64.74 || p[1] != 32.45 || in.EventDate != "2021-03-05" ||
				*in.Fatalities != 3 || in.Notes != "Clash" || !strings.HasPrefix(in.SourceEventID, "csv:") {
				t.Errorf("got %+v at %v", in, in.Point())
			}
		})
	}
	// Without ids, the same row gets the same id: a re-import updates.
	st := openStore(t)
	data := "date,lat,lon,notes\n2021-03-05,32.45,64.74,one\n2021-03-06,32.45,64.74,two\n"
	importString(t, st, FormatCSV, data)
	if rep := importString(t, st, FormatCSV, data); rep.Updated != 2 || rep.Inserted != 0 {
		t.Errorf("re-import of a CSV without ids: %+v, want 2 updated", rep)
	}
	// A dataset name keeps two files apart.
	src, _ := NewReader(FormatCSV, strings.NewReader(data), ReaderOptions{Dataset: "survey-2021"})
	rep, _ := NewImporter(st).Import(context.Background(), src)
	if rep.Inserted != 2 {
		t.Errorf("same rows under another dataset: %+v, want 2 inserted", rep)
	}
	if _, err := NewReader(FormatCSV, strings.NewReader(data), ReaderOptions{Dataset: "Bad Name"}); !errors.Is(err, ErrInput) {
		t.Errorf("dataset with a space: %v, want ErrInput", err)
	}
	if _, err := NewReader(FormatCSV, strings.NewReader("date,place\n2021-01-01,Kabul\n"), ReaderOptions{}); !errors.Is(err, ErrInput) {
		t.Errorf("place names without a gazetteer: %v, want ErrInput", err)
	}
}

// TestPlainCSVGeocodes resolves a place-name column through the gazetteer.
func TestPlainCSVGeocodes(t *testing.T) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatalf("loading the built-in gazetteer: %v", err)
	}
	data := "date,place,country,fatalities\n2021-03-05,Kandahar,AF,2\n2021-03-06,Zzyzxqwv,AF,1\n"
	src, err := NewReader(FormatCSV, strings.NewReader(data), ReaderOptions{Gazetteer: gaz})
	if err != nil {
		t.Fatal(err)
	}
	got, rej := readAll(t, src)
	if len(got) != 1 || len(rej) != 1 {
		t.Fatalf("%d incidents, %d rejections (%v)", len(got), len(rej), rej)
	}
	in := got[0]
	p := in.Point()
	if in.Country != "AF" || in.PlaceID == "" || p[0] < 65 || p[0] > 66.5 || p[1] < 31 || p[1] > 32 || in.GeoPrecision != incident.GeoTown {
		t.Errorf("Kandahar geocoded to %v (%s, %s, precision %d)", p, in.PlaceID, in.Country, in.GeoPrecision)
	}
	if rej[0].Row != 3 || rej[0].Column != "place" || !strings.Contains(rej[0].Reason, "Zzyzxqwv") {
		t.Errorf("rejection %+v, want row 3 column place naming the place", rej[0])
	}
}

// TestGeoJSONReader streams a collection with a bad feature in the middle,
// members in any order, and a lone Feature.
func TestGeoJSONReader(t *testing.T) {
	feature := func(date string) string {
		return `{"type":"Feature","geometry":{"type":"Point","coordinates":[64.7,32.4]},"properties":{"event_date":"` + date + `"}}`
	}
	data := `{"features":[` + feature("2020-01-01") + "," + feature("2020-13-01") + "," + feature("2020-01-03") +
		`],"type":"FeatureCollection","numberMatched":3}`
	src, err := NewReader(FormatGeoJSON, strings.NewReader(data), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, rej := readAll(t, src)
	if len(got) != 2 || len(rej) != 1 || rej[0].Row != 2 || rej[0].Column != "features[1].properties.event_date" {
		t.Fatalf("%d incidents, rejections %+v", len(got), rej)
	}
	src, _ = NewReader(FormatGeoJSON, strings.NewReader(feature("2020-01-05")), ReaderOptions{})
	if got, _ := readAll(t, src); len(got) != 1 || got[0].EventDate != "2020-01-05" {
		t.Errorf("lone Feature: %+v", got)
	}
	for _, bad := range []string{`[1,2]`, `{"type":"Topology"}`, `{"type":"FeatureCollection","features":[` + feature("2020-01-01")} {
		src, err := NewReader(FormatGeoJSON, strings.NewReader(bad), ReaderOptions{})
		if err == nil {
			_, err = readAllErr(src)
		}
		if !errors.Is(err, ErrInput) {
			t.Errorf("%.40s: %v, want ErrInput", bad, err)
		}
	}
	// The store never holds half a batch: a failing input keeps the
	// batches before it only.
	st := openStore(t)
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < 25; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strings.Replace(feature("2020-01-01"), `"event_date"`, `"source_event_id":"t:`+itoa(incident.Int(i))+`","event_date"`, 1))
	}
	src, _ = NewReader(FormatGeoJSON, strings.NewReader(b.String()), ReaderOptions{}) // truncated: no ]}
	im := NewImporter(st)
	im.BatchSize = 10
	rep, err := im.Import(context.Background(), src)
	n, _ := st.Count(context.Background(), store.Query{})
	if !errors.Is(err, ErrInput) || rep.Inserted != 20 || n != 20 {
		t.Errorf("truncated input: err %v, report %+v, store %d; want ErrInput and two whole batches (20)", err, rep, n)
	}
}

func readAllErr(src Reader) (int, error) {
	n := 0
	for {
		var in incident.Incident
		err := src.Next(&in)
		var re *RowError
		switch {
		case err == nil:
			n++
		case errors.As(err, &re):
		default:
			return n, err
		}
	}
}
