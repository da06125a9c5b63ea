package interchange

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
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

// csvColumn is one column of the CSV export: its header name, whether it
// holds free text that article and import text reaches (defused against
// formulas: formulaStart; numbers and dates are left alone so that -12.5
// stays a longitude), and how an incident's value is appended.
type csvColumn struct {
	name string
	text bool
	put  func(dst []byte, in *incident.Incident, e *csvEncoder) []byte
}

// csvColumns are the CSV export's columns: ACLED's first, in ACLED's
// order, so that tools made for ACLED read the file; then incidentmap's own
// fields, which make the file import back without loss (source_event_id and
// id keep identity, sources keeps URLs and evidence as JSON, geometry holds
// WKT for incidents that are not points).
func csvColumns() []csvColumn {
	text := func(get func(in *incident.Incident) string) func([]byte, *incident.Incident, *csvEncoder) []byte {
		return func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte { return append(dst, get(in)...) }
	}
	count := func(get func(in *incident.Incident) *int) func([]byte, *incident.Incident, *csvEncoder) []byte {
		return func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			if p := get(in); p != nil {
				dst = strconv.AppendInt(dst, int64(*p), 10)
			}
			return dst
		}
	}
	coordinate := func(axis int) func([]byte, *incident.Incident, *csvEncoder) []byte {
		return func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			if in.Geometry == nil {
				return dst
			}
			return strconv.AppendFloat(dst, in.Point()[axis], 'f', -1, 64)
		}
	}
	return []csvColumn{
		{"event_id_cnty", true, text(func(in *incident.Incident) string {
			if id := strings.TrimPrefix(in.SourceEventID, "acled:"); id != "" {
				return id
			}
			return in.ID
		})},
		{"event_date", false, text(func(in *incident.Incident) string { return in.EventDate })},
		{"year", false, text(func(in *incident.Incident) string {
			if len(in.EventDate) >= 4 {
				return in.EventDate[:4]
			}
			return ""
		})},
		{"time_precision", false, text(func(in *incident.Incident) string { return timePrecision(in.DatePrecision) })},
		{"event_type", true, text(func(in *incident.Incident) string { return in.EventType })},
		{"sub_event_type", true, text(func(in *incident.Incident) string { return in.SubEventType })},
		{"actor1", true, text(func(in *incident.Incident) string { return in.Actor1 })},
		{"assoc_actor_1", true, text(func(in *incident.Incident) string { return in.AssocActor1 })},
		{"inter1", false, text(func(in *incident.Incident) string { return in.Inter1 })},
		{"actor2", true, text(func(in *incident.Incident) string { return in.Actor2 })},
		{"assoc_actor_2", true, text(func(in *incident.Incident) string { return in.AssocActor2 })},
		{"inter2", false, text(func(in *incident.Incident) string { return in.Inter2 })},
		{"iso", false, func(dst []byte, in *incident.Incident, e *csvEncoder) []byte {
			return append(dst, e.country(in.Country).iso...)
		}},
		{"country", true, func(dst []byte, in *incident.Incident, e *csvEncoder) []byte {
			return append(dst, e.country(in.Country).name...)
		}},
		{"admin1", true, text(func(in *incident.Incident) string { return in.Admin1 })},
		{"admin2", true, text(func(in *incident.Incident) string { return in.Admin2 })},
		{"location", true, text(func(in *incident.Incident) string { return in.Location })},
		{"latitude", false, coordinate(1)},
		{"longitude", false, coordinate(0)},
		{"geo_precision", false, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			if in.GeoPrecision > 0 {
				dst = strconv.AppendInt(dst, int64(in.GeoPrecision), 10)
			}
			return dst
		}},
		{"source", true, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			n := len(dst)
			for _, s := range in.Sources {
				if s.Publisher == "" {
					continue
				}
				if len(dst) > n {
					dst = append(dst, "; "...)
				}
				dst = append(dst, s.Publisher...)
			}
			return dst
		}},
		{"notes", true, text(func(in *incident.Incident) string { return in.Notes })},
		{"fatalities", false, count(func(in *incident.Incident) *int { return in.Fatalities })},
		{"tags", true, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			for i, t := range in.Tags {
				if i > 0 {
					dst = append(dst, "; "...)
				}
				dst = append(dst, t...)
			}
			return dst
		}},
		{"id", false, text(func(in *incident.Incident) string { return in.ID })},
		{"source_event_id", true, text(func(in *incident.Incident) string { return in.SourceEventID })},
		{"event_end_date", false, text(func(in *incident.Incident) string { return in.EventEndDate })},
		{"date_precision", false, text(func(in *incident.Incident) string { return in.DatePrecision })},
		{"civilian_fatalities", false, count(func(in *incident.Incident) *int { return in.CivilianFatalities })},
		{"injured", false, count(func(in *incident.Incident) *int { return in.Injured })},
		{"country_code", false, text(func(in *incident.Incident) string { return in.Country })},
		{"place_id", true, text(func(in *incident.Incident) string { return in.PlaceID })},
		{"confidence", false, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			if in.Confidence != nil {
				dst = strconv.AppendFloat(dst, *in.Confidence, 'f', -1, 64)
			}
			return dst
		}},
		{"sources", true, func(dst []byte, in *incident.Incident, e *csvEncoder) []byte {
			if len(in.Sources) == 0 {
				return dst
			}
			b, err := json.Marshal(in.Sources)
			if err != nil {
				e.err = fmt.Errorf("encoding sources of %s: %w", in.ID, err)
			}
			return append(dst, b...)
		}},
		{"geometry", false, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte {
			if _, isPoint := in.Geometry.(orb.Point); in.Geometry != nil && !isPoint {
				dst = append(dst, wkt.Marshal(in.Geometry)...)
			}
			return dst
		}},
		{"created", false, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte { return appendTimestamp(dst, in.Created) }},
		{"updated", false, func(dst []byte, in *incident.Incident, _ *csvEncoder) []byte { return appendTimestamp(dst, in.Updated) }},
	}
}

// csvHeader is the CSV export's header line, the names of csvColumns.
func csvHeader() []string {
	cols := csvColumns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// csvEncoder writes CSV with ACLED-like columns (csvColumns), each record
// as encoding/csv's Writer would (appendCSVField), appended to a reused
// line: no string is made per field.
type csvEncoder struct {
	cols      []csvColumn
	line, val []byte
	countries map[string]csvCountry // by code, as the rows name them
	err       error                 // a column's, for the row being written
}

// csvCountry is a country's ACLED iso (numeric) and country (name) cells.
type csvCountry struct{ iso, name string }

// country returns the cells of code, looked up once per code.
func (e *csvEncoder) country(code string) csvCountry {
	if code == "" {
		return csvCountry{}
	}
	c, ok := e.countries[code]
	if !ok {
		c.name = countryName(code)
		if n := countryNumeric(code); n > 0 {
			c.iso = strconv.Itoa(n)
		}
		e.countries[code] = c
	}
	return c
}

func (e *csvEncoder) begin(w *bufio.Writer) error {
	e.cols = csvColumns()
	e.countries = map[string]csvCountry{}
	_, err := w.Write(appendCSVRecord(nil, csvHeader()))
	return err
}

func (e *csvEncoder) write(w *bufio.Writer, in *incident.Incident) error {
	b := e.line[:0]
	for i, c := range e.cols {
		if i > 0 {
			b = append(b, ',')
		}
		e.val = c.put(e.val[:0], in, e)
		if c.text && formulaStart(e.val) {
			e.val = append(e.val, 0)
			copy(e.val[1:], e.val)
			e.val[0] = '\''
		}
		b = appendCSVField(b, e.val)
	}
	e.line = append(b, '\n')
	if e.err != nil {
		return e.err
	}
	_, err := w.Write(e.line)
	return err
}

// appendCSVRecord appends rec as one line of comma-separated values,
// byte for byte what encoding/csv's Writer writes (LF line ends).
func appendCSVRecord(dst []byte, rec []string) []byte {
	for i, f := range rec {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCSVField(dst, f)
	}
	return append(dst, '\n')
}

// appendCSVField appends one field as encoding/csv's Writer writes it: quoted
// when it holds a comma, a quote, a CR or LF, starts with white space or is
// \., its quotes then doubled. The Writer writes to its buffer field by
// field, a third of a CSV export's encoding.
func appendCSVField[T string | []byte](dst []byte, f T) []byte {
	if !csvNeedsQuotes(f) {
		return append(dst, f...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(f); i++ {
		if f[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, f[i])
	}
	return append(dst, '"')
}

// csvNeedsQuotes is encoding/csv's rule for a comma-separated field.
func csvNeedsQuotes[T string | []byte](f T) bool {
	if len(f) == 0 {
		return false
	}
	if len(f) == 2 && f[0] == '\\' && f[1] == '.' {
		return true
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(string(f[:min(len(f), utf8.UTFMax)]))
	return unicode.IsSpace(r)
}

// formulaStart reports whether a text cell starts as a spreadsheet formula
// may (=, +, -, @, tab or carriage return). The CSV export keeps a
// spreadsheet from running such a cell (CSV injection) by putting an
// apostrophe before it, which spreadsheets show as text and hide.
func formulaStart[T string | []byte](cell T) bool {
	return len(cell) > 0 && strings.IndexByte("=+-@\t\r", cell[0]) >= 0
}

// restoreFormula undoes the apostrophe the export put before a formula
// when a CSV is imported, so that an export imports back as it was.
func restoreFormula(cell string) string {
	if len(cell) >= 2 && cell[0] == '\'' && formulaStart(cell[1:]) {
		return cell[1:]
	}
	return cell
}

func (e *csvEncoder) end(*bufio.Writer) error { return nil }

// appendTimestamp appends created or updated for CSV, nothing when unset.
func appendTimestamp(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return dst
	}
	return incident.AppendTimestamp(dst, t)
}

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
