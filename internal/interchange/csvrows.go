package interchange

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// columns holds, for each incident field, the index of the CSV column it is
// read from (-1 when absent). Header names are matched after normHeader, so
// ACLED's older upper-case exports (EVENT_DATE, ALLY_ACTOR_1) match too.
type columns struct {
	eventID, sourceEventID, incidentID                     int
	date, endDate, timePrecision, datePrecision            int
	eventType, subEventType                                int
	actor1, assoc1, actor2, assoc2, inter1, inter2         int
	iso, country, countryCode, admin1, admin2, admin3      int
	location                                               int
	lat, lon, geometry, geoPrecision                       int
	fatalities, civilian, injured                          int
	source, url, sources, notes, tags, placeID, confidence int
	created                                                int
}

// findColumns maps the header to incident fields. plain enables the looser
// names of hand-made CSV files (lat, lng, date, place, deaths...).
func findColumns(t *table, plain bool) columns {
	loose := func(acled []string, extra ...string) []string {
		if plain {
			return append(acled, extra...)
		}
		return acled
	}
	c := columns{
		eventID:       t.col(loose([]string{"event_id_cnty"}, "event_id", "uid", "id")...),
		sourceEventID: t.col("source_event_id"),
		date:          t.col(loose([]string{"event_date"}, "date", "day", "start_date", "date_start", "start")...),
		endDate:       t.col(loose([]string{"event_end_date"}, "end_date", "date_end", "end")...),
		timePrecision: t.col("time_precision"),
		datePrecision: t.col("date_precision"),
		eventType:     t.col("event_type"),
		subEventType:  t.col("sub_event_type"),
		actor1:        t.col("actor1", "actor_1"),
		assoc1:        t.col("assoc_actor_1", "ally_actor_1"),
		actor2:        t.col("actor2", "actor_2"),
		assoc2:        t.col("assoc_actor_2", "ally_actor_2"),
		inter1:        t.col("inter1"),
		inter2:        t.col("inter2"),
		iso:           t.col("iso"),
		country:       t.col("country"),
		countryCode:   t.col(loose([]string{"country_code"}, "iso2", "iso_a2", "cc")...),
		admin1:        t.col(loose([]string{"admin1"}, "adm_1", "adm1", "province", "state", "governorate")...),
		admin2:        t.col(loose([]string{"admin2"}, "adm_2", "adm2", "district", "county")...),
		admin3:        t.col("admin3"),
		location:      t.col(loose([]string{"location"}, "place", "place_name", "placename", "city", "town", "village", "locality", "where")...),
		lat:           t.col(loose([]string{"latitude"}, "lat", "y", "lat_dd", "decimal_latitude")...),
		lon:           t.col(loose([]string{"longitude"}, "lon", "lng", "long", "x", "lon_dd", "decimal_longitude")...),
		geometry:      t.col("geometry", "wkt"),
		geoPrecision:  t.col("geo_precision"),
		fatalities:    t.col(loose([]string{"fatalities"}, "deaths", "killed", "dead")...),
		civilian:      t.col("civilian_fatalities"),
		injured:       t.col(loose([]string{"injured"}, "wounded", "injuries")...),
		source:        t.col("source"),
		url:           t.col(loose([]string{"source_url"}, "url", "link")...),
		sources:       t.col("sources"),
		notes:         t.col(loose([]string{"notes"}, "description", "summary", "text")...),
		tags:          t.col("tags"),
		placeID:       t.col("place_id"),
		confidence:    t.col("confidence"),
		created:       t.col("created"),
	}
	// An incidentmap export carries both its own id and source_event_id:
	// then "id" is the incident's id, not the dataset's.
	c.incidentID = -1
	if c.sourceEventID >= 0 {
		c.incidentID = t.col("id")
		if c.eventID == c.incidentID {
			c.eventID = t.col("event_id_cnty", "event_id")
		}
	}
	return c
}

// csvReader reads ACLED exports (format "acled") and plain CSV files with
// coordinates or a place-name column (format "csv").
type csvReader struct {
	t       *table
	c       columns
	dataset string
	plain   bool
	types   *eventTypes
	places  places
	// codes caches country name → code: a file names few countries.
	codes map[string]string
}

// newCSVReader checks the header for the columns the format needs.
func newCSVReader(r io.Reader, dataset string, plain bool, p places) (*csvReader, error) {
	t, err := newTable(r)
	if err != nil {
		return nil, err
	}
	c := findColumns(t, plain)
	var missing []string
	if plain {
		if c.date < 0 {
			missing = append(missing, "a date (event_date or date)")
		}
		if (c.lat < 0 || c.lon < 0) && c.geometry < 0 && c.location < 0 {
			missing = append(missing, "latitude and longitude (or lat/lon), or a place name (location or place)")
		}
		if (c.lat < 0 || c.lon < 0) && c.geometry < 0 && p.gaz == nil {
			missing = append(missing, "latitude and longitude: no gazetteer is loaded to geocode place names")
		}
	} else {
		if c.date < 0 {
			missing = append(missing, "event_date")
		}
		// An export without coordinates is geocoded from its place names.
		if (c.lat < 0 || c.lon < 0) && c.geometry < 0 {
			switch {
			case c.location < 0 && c.admin1 < 0 && c.country < 0 && c.iso < 0:
				missing = append(missing, "latitude and longitude, or location, admin1 and country to geocode")
			case p.gaz == nil:
				missing = append(missing, "latitude and longitude: no gazetteer is loaded to geocode place names")
			}
		}
	}
	if len(missing) > 0 {
		return nil, inputError("missing column %s; the header (%s-delimited) has %d columns: %s",
			strings.Join(missing, ", "), t.delimName(), len(t.header), preview(t.header))
	}
	return &csvReader{t: t, c: c, dataset: dataset, plain: plain, types: newEventTypes(), places: p, codes: map[string]string{}}, nil
}

// preview lists the first header names for an error message.
func preview(h []string) string {
	if len(h) > 12 {
		return strings.Join(h[:12], ", ") + ", ..."
	}
	return strings.Join(h, ", ")
}

func (r *csvReader) Dataset() string { return r.dataset }

// Next reads the next row into in.
func (r *csvReader) Next(in *incident.Incident) error {
	rec, err := r.t.next()
	if err != nil {
		return err
	}
	*in = incident.Incident{}
	if col, err := r.mapRow(rec, in); err != nil {
		return &RowError{Row: r.t.line, Column: col, Reason: err.Error()}
	}
	return nil
}

// mapRow fills in from one record, returning the column at fault with an
// error.
func (r *csvReader) mapRow(rec []string, in *incident.Incident) (string, error) {
	c := &r.c
	get := func(i int) string { return field(rec, i) }
	name := func(i int) string { return r.t.header[i] }

	// Identity: the dataset's own id, prefixed so datasets never collide.
	switch {
	case get(c.sourceEventID) != "":
		in.SourceEventID = get(c.sourceEventID)
	case get(c.eventID) != "":
		in.SourceEventID = r.dataset + ":" + get(c.eventID)
	case r.plain, c.eventID < 0 && c.sourceEventID < 0:
		// No ids in the file: the row's content is its id, the same on
		// every import of the file.
		in.SourceEventID = r.dataset + ":" + rowHash(rec)
	case c.sourceEventID >= 0 && get(c.incidentID) != "":
		// an incidentmap export of an incident typed in by hand
	default:
		return name(max(c.eventID, c.sourceEventID)), fmt.Errorf("is empty: every ACLED row needs its event id")
	}
	in.ID = get(c.incidentID)

	// Dates.
	var err error
	if in.EventDate, err = parseDate(get(c.date)); err != nil {
		return name(c.date), err
	}
	if v := get(c.endDate); v != "" {
		if in.EventEndDate, err = parseDate(v); err != nil {
			return name(c.endDate), err
		}
	}
	if v := get(c.datePrecision); v != "" {
		in.DatePrecision = strings.ToLower(v)
		switch in.DatePrecision {
		case incident.PrecisionDay, incident.PrecisionWeek, incident.PrecisionMonth, incident.PrecisionYear:
		default:
			return name(c.datePrecision), fmt.Errorf("%q is not day, week, month or year", v)
		}
	} else if v := get(c.timePrecision); v != "" {
		switch v {
		case "1":
			in.DatePrecision = incident.PrecisionDay
		case "2":
			in.DatePrecision = incident.PrecisionWeek
		case "3":
			in.DatePrecision = incident.PrecisionMonth
		default:
			return name(c.timePrecision), fmt.Errorf("%q is not 1 (day), 2 (week) or 3 (month)", v)
		}
	}

	// What happened and who.
	var col string
	if in.EventType, in.SubEventType, col, err = r.types.resolve(get(c.eventType), get(c.subEventType), get(c.actor1), get(c.inter1)); err != nil {
		if col == "event_type" {
			return name(c.eventType), err
		}
		return name(c.subEventType), err
	}
	in.Actor1, in.AssocActor1 = get(c.actor1), get(c.assoc1)
	in.Actor2, in.AssocActor2 = get(c.actor2), get(c.assoc2)
	in.Inter1, in.Inter2 = get(c.inter1), get(c.inter2)
	for _, n := range []struct {
		i   int
		dst **int
	}{{c.fatalities, &in.Fatalities}, {c.civilian, &in.CivilianFatalities}, {c.injured, &in.Injured}} {
		if *n.dst, err = count(get(n.i)); err != nil {
			return name(n.i), err
		}
	}

	// Where.
	if col, err := r.country(rec, in); err != nil {
		return col, err
	}
	in.Admin1, in.Admin2, in.Location = get(c.admin1), get(c.admin2), get(c.location)
	if v := get(c.geoPrecision); v != "" {
		gp, err := strconv.Atoi(v)
		if err != nil || gp < 1 || gp > 4 {
			return name(c.geoPrecision), fmt.Errorf("%q is not 1 (town), 2 (near a town), 3 (region) or 4 (country)", v)
		}
		in.GeoPrecision = gp
	}
	in.PlaceID = get(c.placeID)
	if col, err := r.point(rec, in); err != nil {
		return col, err
	}

	// Sources, notes, tags.
	if v := get(c.sources); v != "" && strings.HasPrefix(v, "[") {
		if err := json.Unmarshal([]byte(v), &in.Sources); err != nil {
			return name(c.sources), fmt.Errorf("is not a JSON array of sources: %w", err)
		}
	} else {
		for _, pub := range splitList(get(c.source)) {
			in.Sources = append(in.Sources, incident.Source{Publisher: pub})
		}
		if u := get(c.url); u != "" {
			in.Sources = append(in.Sources, incident.Source{URL: u})
		}
	}
	in.Notes = get(c.notes)
	in.Tags = splitList(get(c.tags))
	if v := get(c.confidence); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return name(c.confidence), fmt.Errorf("%q is not a number between 0 and 1", v)
		}
		in.Confidence = &f
	}
	if v := get(c.created); v != "" {
		ts, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return name(c.created), fmt.Errorf("%q is not an RFC 3339 timestamp", v)
		}
		in.Created = ts.UTC()
	}
	if err := in.Validate(); err != nil {
		return fieldColumn(r.t, err), err
	}
	return "", nil
}

// country sets in.Country from an alpha-2 code column, the country name or
// ACLED's numeric iso column, in that order.
func (r *csvReader) country(rec []string, in *incident.Incident) (string, error) {
	c := &r.c
	if c.countryCode >= 0 {
		if v := strings.TrimSpace(rec[c.countryCode]); v != "" {
			cc, ok := countryCode(v)
			if !ok {
				return r.t.header[c.countryCode], fmt.Errorf("%q is not an ISO 3166-1 alpha-2 country code", v)
			}
			in.Country = cc
			return "", nil
		}
	}
	var name string
	if c.country >= 0 {
		name = strings.TrimSpace(rec[c.country])
		cc, ok := r.codes[name]
		if !ok {
			cc, _ = countryCode(name)
			if len(r.codes) < 1000 {
				r.codes[name] = cc
			}
		}
		if cc != "" {
			in.Country = cc
			return "", nil
		}
	}
	if c.iso >= 0 {
		if v := strings.TrimSpace(rec[c.iso]); v != "" {
			if cc, ok := countryFromNumeric(v); ok {
				in.Country = cc
				return "", nil
			}
			if cc, ok := countryCode(v); ok {
				in.Country = cc
				return "", nil
			}
			if name == "" {
				return r.t.header[c.iso], fmt.Errorf("%q is not an ISO 3166-1 numeric country code", v)
			}
		}
	}
	if name != "" {
		return r.t.header[c.country], fmt.Errorf("unknown country %q (give its English name or ISO code)", name)
	}
	return "", nil
}

// point sets in.Geometry from latitude/longitude, a WKT geometry column, or
// by geocoding the place name, and checks it against the named country.
func (r *csvReader) point(rec []string, in *incident.Incident) (string, error) {
	c := &r.c
	if c.geometry >= 0 {
		if v := strings.TrimSpace(rec[c.geometry]); v != "" {
			g, err := wkt.Unmarshal(v)
			if err != nil {
				return r.t.header[c.geometry], fmt.Errorf("is not WKT: %w", err)
			}
			in.Geometry = g
			return "", nil
		}
	}
	latS, lonS := "", ""
	if c.lat >= 0 && c.lon >= 0 {
		latS, lonS = strings.TrimSpace(rec[c.lat]), strings.TrimSpace(rec[c.lon])
	}
	if latS == "" && lonS == "" && r.plain && in.Location != "" {
		if err := r.places.geocode(in, []placeName{{name: in.Location}}, false, false); err != nil {
			return r.t.header[c.location], err
		}
		return "", nil
	}
	if latS == "" && lonS == "" && !r.plain && (c.lat < 0 || c.lon < 0) {
		return r.geocodeACLED(rec, in)
	}
	lat, err := coordinate(latS)
	if err != nil {
		return r.t.header[c.lat], err
	}
	lon, err := coordinate(lonS)
	if err != nil {
		return r.t.header[c.lon], err
	}
	p := orb.Point{lon, lat}
	if _, col, err := r.places.checkPoint(in.Country, p, false); err != nil {
		if col == "longitude" {
			return r.t.header[c.lon], err
		}
		return r.t.header[c.lat], err
	}
	in.Geometry = p
	return "", nil
}

// coordinate reads a decimal degree, accepting a decimal comma ("35,76")
// as semicolon-delimited European files write it.
func coordinate(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("is empty")
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number of degrees", s)
	}
	return f, nil
}

// count reads an optional non-negative integer ("" is unknown). "12.0" is
// accepted: spreadsheets write whole numbers that way.
func count(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f > math.MaxInt32 || f < math.MinInt32 {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		n = int(f)
	}
	if n < 0 {
		return nil, fmt.Errorf("%d is negative", n)
	}
	return &n, nil
}

// splitList splits ACLED's semicolon-separated lists ("Reuters; AFP").
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rowHash identifies a row of a file without ids by its content, so that
// importing the same file twice still updates instead of duplicating.
func rowHash(rec []string) string {
	h := fnv.New64a()
	for _, f := range rec {
		h.Write([]byte(strings.TrimSpace(f)))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fieldColumn names the CSV column for a validation error on an incident
// field, falling back to the field's public name.
func fieldColumn(t *table, err error) string {
	var fe *incident.FieldError
	if !errors.As(err, &fe) {
		return ""
	}
	field := fe.Field
	if i := strings.IndexAny(field, ".["); i > 0 {
		field = field[:i]
	}
	if i := t.col(field); i >= 0 {
		return t.header[i]
	}
	return field
}

func (r *csvReader) line() int { return r.t.line }

// geocodeACLED places a row of an ACLED export without coordinates from
// its place names, the most precise first: the location (a town: 1), the
// admin3 and admin2 divisions (2: ACLED's "a small part of a region"),
// admin1 (3), and at last the country (4).
func (r *csvReader) geocodeACLED(rec []string, in *incident.Incident) (string, error) {
	c := &r.c
	get := func(i int) string { return field(rec, i) }
	names := []placeName{
		{get(c.location), 0},
		{get(c.admin3), incident.GeoDistrict},
		{in.Admin2, incident.GeoDistrict},
		{in.Admin1, incident.GeoRegion},
	}
	if err := r.places.geocode(in, names, true, true); err != nil {
		for _, i := range []int{c.location, c.admin3, c.admin2, c.admin1, c.country, c.iso} {
			if i >= 0 {
				return r.t.header[i], err
			}
		}
		return "", err
	}
	return "", nil
}

// field returns column i of rec trimmed, with a formula defused by the CSV
// export restored (restoreFormula), "" for an absent column (-1).
func field(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return restoreFormula(strings.TrimSpace(rec[i]))
}
