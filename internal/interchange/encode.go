package interchange

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// geojsonEncoder writes a FeatureCollection: the opening, then each feature
// as it comes, one a line, never the whole collection in memory.
type geojsonEncoder struct {
	buf []byte
	n   int
}

func (e *geojsonEncoder) begin(w *bufio.Writer) error {
	_, err := w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	return err
}

func (e *geojsonEncoder) write(w *bufio.Writer, in *incident.Incident) error {
	e.buf = e.buf[:0]
	if e.n > 0 {
		e.buf = append(e.buf, ',')
	}
	e.n++
	e.buf = append(in.AppendFeature(e.buf), '\n')
	_, err := w.Write(e.buf)
	return err
}

func (e *geojsonEncoder) end(w *bufio.Writer) error {
	_, err := w.WriteString("]}\n")
	return err
}

// csvHeader is the CSV export's header: ACLED's column names first, in
// ACLED's order, so that tools made for ACLED read the file; then
// incidentmap's own fields, which make the file import back without loss
// (source_event_id and id keep identity, sources keeps URLs and evidence as
// JSON, geometry holds WKT for incidents that are not points).
func csvHeader() []string {
	return []string{
		"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
		"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "iso", "country", "admin1", "admin2",
		"location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities", "tags",
		"id", "source_event_id", "event_end_date", "date_precision", "civilian_fatalities", "injured",
		"country_code", "place_id", "confidence", "sources", "geometry", "created", "updated",
	}
}

// csvEncoder writes CSV with ACLED-like columns, each record as
// encoding/csv's Writer would (appendCSVRecord), built in a reused line.
type csvEncoder struct {
	rec      []string
	line     []byte
	textCols []int // csvTextColumns
}

func (e *csvEncoder) begin(w *bufio.Writer) error {
	h := csvHeader()
	e.rec = make([]string, len(h))
	e.textCols = csvTextColumns()
	_, err := w.Write(appendCSVRecord(nil, h))
	return err
}

func (e *csvEncoder) write(w *bufio.Writer, in *incident.Incident) error {
	r := e.rec[:0]
	eventID := strings.TrimPrefix(in.SourceEventID, "acled:")
	if eventID == "" {
		eventID = in.ID
	}
	year := ""
	if len(in.EventDate) >= 4 {
		year = in.EventDate[:4]
	}
	iso := ""
	if n := countryNumeric(in.Country); n > 0 {
		iso = strconv.Itoa(n)
	}
	country := ""
	if in.Country != "" {
		country = countryName(in.Country)
	}
	p := in.Point()
	lat, lon := "", ""
	if in.Geometry != nil {
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
		b, err := json.Marshal(in.Sources)
		if err != nil {
			return fmt.Errorf("encoding sources of %s: %w", in.ID, err)
		}
		sources = string(b)
	}
	geom := ""
	if _, isPoint := in.Geometry.(orb.Point); in.Geometry != nil && !isPoint {
		geom = string(wkt.Marshal(in.Geometry))
	}
	geoPrec := ""
	if in.GeoPrecision > 0 {
		geoPrec = strconv.Itoa(in.GeoPrecision)
	}
	conf := ""
	if in.Confidence != nil {
		conf = strconv.FormatFloat(*in.Confidence, 'f', -1, 64)
	}
	r = append(r, eventID, in.EventDate, year, timePrecision(in.DatePrecision), in.EventType, in.SubEventType,
		in.Actor1, in.AssocActor1, in.Inter1, in.Actor2, in.AssocActor2, in.Inter2, iso, country, in.Admin1, in.Admin2,
		in.Location, lat, lon, geoPrec, strings.Join(pubs, "; "), in.Notes, itoa(in.Fatalities),
		strings.Join(in.Tags, "; "),
		in.ID, in.SourceEventID, in.EventEndDate, in.DatePrecision, itoa(in.CivilianFatalities), itoa(in.Injured),
		in.Country, in.PlaceID, conf, sources, geom, timestamp(in.Created), timestamp(in.Updated))
	for _, i := range e.textCols {
		r[i] = defuseFormula(r[i])
	}
	e.rec = r
	e.line = appendCSVRecord(e.line[:0], r)
	_, err := w.Write(e.line)
	return err
}

// appendCSVRecord appends rec as one line of comma-separated values,
// byte for byte what encoding/csv's Writer writes (LF line ends): a field
// is quoted when it holds a comma, a quote, a CR or LF, starts with white
// space or is \., and quotes inside it are doubled. The Writer writes to
// its buffer field by field, which was a third of a CSV export's encoding.
func appendCSVRecord(dst []byte, rec []string) []byte {
	for i, f := range rec {
		if i > 0 {
			dst = append(dst, ',')
		}
		if !csvNeedsQuotes(f) {
			dst = append(dst, f...)
			continue
		}
		dst = append(dst, '"')
		for {
			j := strings.IndexByte(f, '"')
			if j < 0 {
				break
			}
			dst = append(dst, f[:j+1]...)
			dst = append(dst, '"')
			f = f[j+1:]
		}
		dst = append(dst, f...)
		dst = append(dst, '"')
	}
	return append(dst, '\n')
}

// csvNeedsQuotes is encoding/csv's rule for a comma-separated field.
func csvNeedsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` || strings.ContainsAny(f, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// csvTextColumns are the indexes, in csvHeader, of the free-text columns:
// those article and import text reaches. Numbers and dates are left alone
// so that -12.5 stays a longitude.
func csvTextColumns() []int {
	text := map[string]bool{"event_type": true, "sub_event_type": true, "actor1": true, "assoc_actor_1": true,
		"actor2": true, "assoc_actor_2": true, "country": true, "admin1": true, "admin2": true, "location": true,
		"source": true, "notes": true, "tags": true, "event_id_cnty": true, "source_event_id": true, "place_id": true, "sources": true}
	var out []int
	for i, h := range csvHeader() {
		if text[h] {
			out = append(out, i)
		}
	}
	return out
}

// defuseFormula keeps a spreadsheet from running a cell as a formula (CSV
// injection): a text cell starting with =, +, -, @, tab or carriage return
// gets a leading apostrophe, which spreadsheets show as text and hide.
func defuseFormula(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// restoreFormula undoes defuseFormula when a CSV is imported, so that an
// export imports back as it was.
func restoreFormula(cell string) string {
	if len(cell) >= 2 && cell[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(cell[1])) {
		return cell[1:]
	}
	return cell
}

func (e *csvEncoder) end(*bufio.Writer) error { return nil }

// timePrecision is ACLED's time_precision code for a date precision: 1 day,
// 2 a few days or a week, 3 a month (and, lacking a code, a year).
func timePrecision(p string) string {
	switch p {
	case incident.PrecisionDay:
		return "1"
	case incident.PrecisionWeek:
		return "2"
	case incident.PrecisionMonth, incident.PrecisionYear:
		return "3"
	}
	return ""
}

func itoa(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}
