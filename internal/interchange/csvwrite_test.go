package interchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// csvFieldCases are fields at the edges of encoding/csv's quoting rule.
var csvFieldCases = []string{
	"", "plain", "with,comma", `with "quotes"`, `"`, `""`, "line\nbreak", "carriage\rreturn", "crlf\r\n",
	" leading space", "\tleading tab", "\u00a0no-break space first", "\u3000ideographic space first",
	"trailing space ", `\.`, `\.x`, "=formula", "'quoted", "naïve café", "\xff\xfe not utf-8", "a\x00nul",
}

// csvWriterLine is what encoding/csv writes for rec.
func csvWriterLine(t testing.TB, rec []string) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.String()
}

// TestAppendCSVRecordMatchesEncodingCSV checks the export's CSV line
// writer against encoding/csv, field by field and for whole records.
func TestAppendCSVRecordMatchesEncodingCSV(t *testing.T) {
	for _, f := range csvFieldCases {
		for _, rec := range [][]string{{f}, {f, f}, {"a", f, "b"}} {
			if got, want := string(appendCSVRecord(nil, rec)), csvWriterLine(t, rec); got != want {
				t.Errorf("record %q: got %q, want %q", rec, got, want)
			}
		}
	}
	if got, want := string(appendCSVRecord(nil, csvFieldCases)), csvWriterLine(t, csvFieldCases); got != want {
		t.Errorf("all cases in one record: got %q, want %q", got, want)
	}
}

// FuzzAppendCSVRecord compares the CSV line writer with encoding/csv on
// any two fields.
func FuzzAppendCSVRecord(f *testing.F) {
	for _, c := range csvFieldCases {
		f.Add(c, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		rec := []string{a, b}
		if got, want := string(appendCSVRecord(nil, rec)), csvWriterLine(t, rec); got != want {
			t.Fatalf("record %q: got %q, want %q", rec, got, want)
		}
	})
}

// referenceCSVRecord is the CSV export's record for in as the encoder
// wrote it before it appended fields in place: the fields as strings,
// free-text ones defused, for encoding/csv to write.
func referenceCSVRecord(in *incident.Incident) []string {
	eventID := strings.TrimPrefix(in.SourceEventID, "acled:")
	if eventID == "" {
		eventID = in.ID
	}
	year := ""
	if len(in.EventDate) >= 4 {
		year = in.EventDate[:4]
	}
	iso, country := "", ""
	if in.Country != "" {
		country = countryName(in.Country)
		if n := countryNumeric(in.Country); n > 0 {
			iso = strconv.Itoa(n)
		}
	}
	lat, lon := "", ""
	if in.Geometry != nil {
		p := in.Point()
		lat, lon = strconv.FormatFloat(p[1], 'f', -1, 64), strconv.FormatFloat(p[0], 'f', -1, 64)
	}
	var pubs []string
	for _, s := range in.Sources {
		if s.Publisher != "" {
			pubs = append(pubs, s.Publisher)
		}
	}
	sources := ""
	if len(in.Sources) > 0 {
		b, _ := json.Marshal(in.Sources)
		sources = string(b)
	}
	geom := ""
	if _, isPoint := in.Geometry.(orb.Point); in.Geometry != nil && !isPoint {
		geom = string(wkt.Marshal(in.Geometry))
	}
	geoPrec, conf := "", ""
	if in.GeoPrecision > 0 {
		geoPrec = strconv.Itoa(in.GeoPrecision)
	}
	if in.Confidence != nil {
		conf = strconv.FormatFloat(*in.Confidence, 'f', -1, 64)
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(incident.TimeLayout)
	}
	rec := []string{eventID, in.EventDate, year, timePrecision(in.DatePrecision), in.EventType, in.SubEventType,
		in.Actor1, in.AssocActor1, in.Inter1, in.Actor2, in.AssocActor2, in.Inter2, iso, country, in.Admin1, in.Admin2,
		in.Location, lat, lon, geoPrec, strings.Join(pubs, "; "), in.Notes, itoa(in.Fatalities),
		strings.Join(in.Tags, "; "),
		in.ID, in.SourceEventID, in.EventEndDate, in.DatePrecision, itoa(in.CivilianFatalities), itoa(in.Injured),
		in.Country, in.PlaceID, conf, sources, geom, ts(in.Created), ts(in.Updated)}
	free := []string{"event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country",
		"admin1", "admin2", "location", "source", "notes", "tags", "event_id_cnty", "source_event_id", "place_id", "sources"}
	for i, h := range csvHeader() {
		if slices.Contains(free, h) && rec[i] != "" && strings.ContainsRune("=+-@\t\r", rune(rec[i][0])) {
			rec[i] = "'" + rec[i]
		}
	}
	return rec
}

// TestCSVEncoderMatchesReference writes incidents with every field, edge
// values included (formulas, quotes, commas, line breaks, leading spaces,
// shapes, zero times, unknown countries), and compares each line with
// encoding/csv's for the reference record.
func TestCSVEncoderMatchesReference(t *testing.T) {
	now := time.Date(2024, 2, 29, 13, 4, 5, 678e6, time.UTC)
	cases := []incident.Incident{
		{ID: "a", EventDate: "2024-02-29", Geometry: orb.Point{64.7449, 32.4456}, Created: now, Updated: now},
		{ID: "b", SourceEventID: "acled:AFG1", EventDate: "2019-09-23", EventEndDate: "2019-09-25", DatePrecision: incident.PrecisionWeek,
			EventType: incident.Battles, SubEventType: "Armed clash", Actor1: "=HYPERLINK(\"x\")", Actor2: "+1", AssocActor1: "-2",
			AssocActor2: "@a", Inter1: "1", Inter2: "8", Fatalities: incident.Int(0), CivilianFatalities: incident.Int(3), Injured: incident.Int(12),
			Location: " Musa Qala", Admin1: "Helmand, south", Admin2: "line\nbreak", Country: "AF", GeoPrecision: 2, PlaceID: "\tgeonames:1",
			Notes: "\"Quoted\", and\r\ncarriage", Tags: []string{"=a", "b;c"}, Confidence: incident.Float(0.1 + 0.2),
			Sources:  []incident.Source{{Publisher: "Reuters"}, {URL: "https://example.org/?a=1&b=<2>", Evidence: "said \"so\""}, {Publisher: "-BBC"}},
			Geometry: orb.Polygon{{{64.5, 32.2}, {65, 32.2}, {65, 32.7}, {64.5, 32.2}}}, Created: now, Updated: now.Add(time.Hour)},
		{ID: "c", EventDate: "2020-01-01", Country: "ZZ", Geometry: orb.Point{-12.5, -0.000001}},
		{ID: "d", EventDate: "2020-01-01", Country: "XK", Location: `\.`, Admin1: "\u00a0Nbsp", Geometry: nil},
	}
	var e csvEncoder
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	if err := e.begin(w); err != nil {
		t.Fatal(err)
	}
	want := csvWriterLine(t, csvHeader())
	for i := range cases {
		if err := e.write(w, &cases[i]); err != nil {
			t.Fatal(err)
		}
		want += csvWriterLine(t, referenceCSVRecord(&cases[i]))
	}
	w.Flush()
	if out.String() != want {
		t.Errorf("CSV export:\n%s\nwant\n%s", out.String(), want)
	}
}
