package interchange

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// checkReader reads every record of src: it must end (io.EOF or an input
// error), every incident it yields must be valid, and every rejection must
// name a row from firstRow on (after a CSV header, or a GeoJSON feature
// counted from 1). It returns the incidents read.
func checkReader(t *testing.T, src Reader, firstRow int) []incident.Incident {
	var out []incident.Incident
	for i := 0; i < 10_000; i++ {
		var in incident.Incident
		err := src.Next(&in)
		if errors.Is(err, io.EOF) || errors.Is(err, ErrInput) {
			return out
		}
		var re *RowError
		if errors.As(err, &re) {
			if re.Row < firstRow || re.Reason == "" {
				t.Fatalf("rejection without row or reason: %+v", re)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("reader yielded an invalid incident: %v (%+v)", err, in)
		}
		out = append(out, in)
	}
	t.Fatal("reader did not end")
	return nil
}

// checkCSVReader is checkReader for CSV files, whose incidents must all
// carry a source_event_id (the row's own or one derived from it).
func checkCSVReader(t *testing.T, src Reader) {
	for _, in := range checkReader(t, src, 2) {
		if in.SourceEventID == "" {
			t.Fatalf("reader yielded an incident without source_event_id: %+v", in)
		}
	}
}

// FuzzACLEDRow feeds one arbitrary data row under a real ACLED header.
func FuzzACLEDRow(f *testing.F) {
	for _, row := range strings.Split(strings.TrimSpace(acledCSV(6, 9)), "\n")[1:] {
		f.Add(row)
	}
	f.Add(`X1,5-Aug-24,2024,1,,Riots/Protests,,A,,Rioters,,,,,,566,,Nigeria,Lagos,,,Ikeja,6.6,3.35,1,,,,"0",,`)
	f.Add(`X2,31-12-19,,3,,Battle-No change of territory,,"A ""B""",,2,,,,,,4,,Afghanistan,,,,,94.5,32.1,,,,,,,`)
	f.Add("\ufeff\"unterminated,2020-01-01")
	f.Fuzz(func(t *testing.T, row string) {
		src, err := NewReader(FormatACLED, strings.NewReader(acledHeader+"\n"+row+"\n"), ReaderOptions{})
		if err != nil {
			t.Fatalf("the header must be accepted: %v", err)
		}
		checkCSVReader(t, src)
	})
}

// FuzzACLEDNoCoordinatesRow feeds one arbitrary data row under the header
// of an export without coordinates or ids, geocoded through the gazetteer.
func FuzzACLEDNoCoordinatesRow(f *testing.F) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(noCoordinatesCSV), "\n")
	for _, row := range lines[1:] {
		f.Add(row)
	}
	f.Add(`2019-01-10,2019,Battles,,A,,B,,,,,"Djibo, Soum",,,`)
	f.Fuzz(func(t *testing.T, row string) {
		src, err := NewReader(FormatACLED, strings.NewReader(lines[0]+"\n"+row+"\n"), ReaderOptions{Gazetteer: gaz})
		if err != nil {
			t.Fatalf("the header must be accepted: %v", err)
		}
		checkCSVReader(t, src)
	})
}

// FuzzCSVRow feeds an arbitrary header and row as a plain CSV file.
func FuzzCSVRow(f *testing.F) {
	f.Add("id,date,lat,lon,deaths,notes", "7,2020-03-01,32.1,64.2,3,a note")
	f.Add("Event Date;Latitude;Longitude;Place", "01/02/2020;32,1;64,2;Kabul")
	f.Add("date\tlng\tlat\tcountry", "March 5, 2021\t64.2\t32.1\tAF")
	f.Add("date,x,y,geometry", "2020-01-01,,,POLYGON((1 1,2 1,2 2,1 2,1 1))")
	f.Add("date,lat,lon,event_type,sub_event_type", "2020-01-01,1,1,battles,armed CLASH")
	f.Fuzz(func(t *testing.T, header, row string) {
		src, err := NewReader(FormatCSV, strings.NewReader(header+"\n"+row+"\n"), ReaderOptions{Dataset: "fuzz"})
		if err != nil {
			if !errors.Is(err, ErrInput) {
				t.Fatalf("header error is not ErrInput: %v", err)
			}
			return
		}
		checkCSVReader(t, src)
	})
}

// FuzzGeoJSON feeds arbitrary bytes to the streaming GeoJSON reader.
func FuzzGeoJSON(f *testing.F) {
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"event_date":"2020-01-01"}}]}`)
	f.Add(`{"features":[{"type":"Feature"}],"type":"FeatureCollection"}`)
	f.Add(`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"event_date":"2020-01-01","source_event_id":"x:1"}}`)
	f.Fuzz(func(t *testing.T, data string) {
		src, err := NewReader(FormatGeoJSON, strings.NewReader(data), ReaderOptions{})
		if err != nil {
			return
		}
		checkReader(t, src, 1)
	})
}
