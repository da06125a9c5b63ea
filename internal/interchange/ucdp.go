package interchange

import (
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// ucdpReader reads the UCDP Georeferenced Event Dataset (GED) CSV.
//
// UCDP codes organised violence in three types, which map onto ACLED's
// vocabulary as follows:
//
//   - 1 state-based (a government against a rebel group or another state)
//     and 2 non-state (organised groups fighting each other) → Battles /
//     Armed clash: both are armed clashes between organised parties.
//   - 3 one-sided (an organised group killing civilians) → Violence against
//     civilians / Attack.
//
// The other fields: side_a and side_b are actor1 and actor2; best is
// fatalities and deaths_civilians civilian_fatalities; date_start and
// date_end give event_date and event_end_date; date_prec 1 is a day, 2-3 a
// week, 4 a month, 5 a year. where_prec maps to geo_precision: 1 (exact) →
// 1 town; 2 (within 25 km) and 3 (admin2) → 2; 4 (admin1) and 5 (larger) →
// 3 region; 6 (country) and 7 (waters or airspace) → 4 country. adm_1 and
// adm_2 lose their "governorate"/"district" suffixes; where_coordinates is the
// location and where_description the notes; source_office gives the
// sources' publishers. The country name (UCDP's, e.g. "DR Congo (Zaire)")
// becomes its ISO code; UCDP names the country of the time, so an event
// in today's South Sudan coded "Sudan" gets SS from the gazetteer's shapes.
type ucdpReader struct {
	t      *table
	col    map[string]int
	places places
}

func newUCDPReader(r io.Reader, p places) (*ucdpReader, error) {
	t, err := newTable(r)
	if err != nil {
		return nil, err
	}
	u := &ucdpReader{t: t, col: map[string]int{}, places: p}
	var missing []string
	// The columns a UCDP row cannot be mapped without.
	for _, n := range []string{"id", "type_of_violence", "date_start", "latitude", "longitude", "country", "best"} {
		if t.col(n) < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, inputError("missing UCDP GED column %s; the header (%s-delimited) has %d columns: %s",
			strings.Join(missing, ", "), t.delimName(), len(t.header), preview(t.header))
	}
	for _, n := range []string{"id", "type_of_violence", "date_start", "date_end", "date_prec", "side_a", "side_b",
		"best", "deaths_civilians", "where_coordinates", "where_description", "adm_1", "adm_2",
		"latitude", "longitude", "where_prec", "country", "source_office"} {
		u.col[n] = t.col(n)
	}
	return u, nil
}

func (u *ucdpReader) Dataset() string { return "ucdp" }

func (u *ucdpReader) Next(in *incident.Incident) error {
	rec, err := u.t.next()
	if err != nil {
		return err
	}
	*in = incident.Incident{}
	if col, err := u.mapRow(rec, in); err != nil {
		return &RowError{Row: u.t.line, Column: col, Reason: err.Error()}
	}
	return nil
}

func (u *ucdpReader) mapRow(rec []string, in *incident.Incident) (string, error) {
	get := func(n string) string {
		if i := u.col[n]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	id := get("id")
	if id == "" {
		return "id", fmt.Errorf("is empty")
	}
	in.SourceEventID = "ucdp:" + id
	var err error
	if in.EventDate, err = parseDate(get("date_start")); err != nil {
		return "date_start", err
	}
	if v := get("date_end"); v != "" {
		end, err := parseDate(v)
		if err != nil {
			return "date_end", err
		}
		if end != in.EventDate {
			in.EventEndDate = end
		}
	}
	switch get("date_prec") {
	case "", "1":
		in.DatePrecision = incident.PrecisionDay
	case "2", "3":
		in.DatePrecision = incident.PrecisionWeek
	case "4":
		in.DatePrecision = incident.PrecisionMonth
	case "5":
		in.DatePrecision = incident.PrecisionYear
	default:
		return "date_prec", fmt.Errorf("%q is not 1-5", get("date_prec"))
	}
	switch get("type_of_violence") {
	case "1", "2":
		in.EventType, in.SubEventType = incident.Battles, "Armed clash"
	case "3":
		in.EventType, in.SubEventType = incident.ViolenceAgainstCivilians, "Attack"
	default:
		return "type_of_violence", fmt.Errorf("%q is not 1 (state-based), 2 (non-state) or 3 (one-sided)", get("type_of_violence"))
	}
	in.Actor1, in.Actor2 = get("side_a"), get("side_b")
	if in.Fatalities, err = count(get("best")); err != nil {
		return "best", err
	}
	if in.CivilianFatalities, err = count(get("deaths_civilians")); err != nil {
		return "deaths_civilians", err
	}
	cc, ok := countryCode(get("country"))
	if !ok {
		return "country", fmt.Errorf("unknown country %q", get("country"))
	}
	in.Country = cc
	in.Admin1 = trimAdminSuffix(get("adm_1"))
	in.Admin2 = trimAdminSuffix(get("adm_2"))
	in.Location = get("where_coordinates")
	in.Notes = get("where_description")
	switch get("where_prec") {
	case "1":
		in.GeoPrecision = incident.GeoTown
	case "2", "3":
		in.GeoPrecision = incident.GeoDistrict
	case "4", "5":
		in.GeoPrecision = incident.GeoRegion
	case "6", "7":
		in.GeoPrecision = incident.GeoCountry
	case "":
	default:
		return "where_prec", fmt.Errorf("%q is not 1-7", get("where_prec"))
	}
	lat, err := coordinate(get("latitude"))
	if err != nil {
		return "latitude", err
	}
	lon, err := coordinate(get("longitude"))
	if err != nil {
		return "longitude", err
	}
	p := orb.Point{lon, lat}
	var col string
	if in.Country, col, err = u.places.checkPoint(in.Country, p, true); err != nil {
		return col, err
	}
	in.Geometry = p
	seen := map[string]bool{}
	for _, pub := range splitList(get("source_office")) {
		if !seen[pub] {
			seen[pub] = true
			in.Sources = append(in.Sources, incident.Source{Publisher: pub})
		}
	}
	if err := in.Validate(); err != nil {
		return "", err
	}
	return "", nil
}

// trimAdminSuffix drops the level word UCDP appends to admin names ("Idlib
// governorate" → "Idlib"), so they match ACLED's and the gazetteer's.
func trimAdminSuffix(s string) string {
	for _, suf := range []string{" governorate", " province", " district", " region", " state", " department",
		" oblast", " county", " prefecture", " municipality", " division", " city"} {
		if len(s) > len(suf) && strings.EqualFold(s[len(s)-len(suf):], suf) {
			return strings.TrimSpace(s[:len(s)-len(suf)])
		}
	}
	return s
}

func (u *ucdpReader) line() int { return u.t.line }
