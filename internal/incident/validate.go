package incident

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// FieldError reports what is wrong with one field of an incident or request.
// Field is the public name (as in the GeoJSON properties), e.g. "event_date"
// or "geometry.coordinates".
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// ErrInvalid is matched (errors.Is) by every validation error.
var ErrInvalid = errors.New("invalid incident")

// Is lets errors.Is(err, ErrInvalid) hold for every FieldError.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Errorf returns a *FieldError for field.
func Errorf(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Limits on free-text fields, so a single incident cannot bloat the store.
const (
	maxShortText = 500
	maxNotes     = 20_000
	maxTags      = 50
	maxSources   = 100
	maxEvidence  = 5_000
)

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Validate checks in and returns the first problem as a *FieldError naming
// the field. It is the one place incidents are validated: the API, imports
// and extraction all pass through it before the store.
func (in *Incident) Validate() error {
	if err := validDate("event_date", in.EventDate, true); err != nil {
		return err
	}
	if err := validDate("event_end_date", in.EventEndDate, false); err != nil {
		return err
	}
	if in.EventEndDate != "" && in.EventEndDate < in.EventDate {
		return Errorf("event_end_date", "%s is before event_date %s", in.EventEndDate, in.EventDate)
	}
	switch in.DatePrecision {
	case "", PrecisionDay, PrecisionWeek, PrecisionMonth, PrecisionYear:
	default:
		return Errorf("date_precision", "must be day, week, month or year, not %q", in.DatePrecision)
	}
	if in.EventType != "" {
		subs := subEventTypesOf(in.EventType)
		if subs == nil {
			return Errorf("event_type", "%q is not an ACLED event type (%s)", in.EventType, strings.Join(EventTypes(), ", "))
		}
		if in.SubEventType != "" && !contains(subs, in.SubEventType) {
			return Errorf("sub_event_type", "%q is not a sub-event type of %q (%s)", in.SubEventType, in.EventType, strings.Join(subs, ", "))
		}
	} else if in.SubEventType != "" {
		return Errorf("sub_event_type", "given without event_type")
	}
	for _, c := range []struct {
		field string
		v     *int
	}{{"fatalities", in.Fatalities}, {"civilian_fatalities", in.CivilianFatalities}, {"injured", in.Injured}} {
		if c.v != nil && *c.v < 0 {
			return Errorf(c.field, "must be 0 or more, not %d", *c.v)
		}
	}
	if in.Country != "" && !countryCode.MatchString(in.Country) {
		return Errorf("country", "must be an ISO 3166-1 alpha-2 code such as AF, not %q", in.Country)
	}
	if in.GeoPrecision < 0 || in.GeoPrecision > 4 {
		return Errorf("geo_precision", "must be 1 (town), 2 (near a town or district), 3 (region) or 4 (country), not %d", in.GeoPrecision)
	}
	if in.Status != "" && !slices.Contains(Statuses(), in.Status) {
		return Errorf("status", "must be one of %s, not %q", strings.Join(Statuses(), ", "), in.Status)
	}
	if in.Confidence != nil && (math.IsNaN(*in.Confidence) || *in.Confidence < 0 || *in.Confidence > 1) {
		return Errorf("confidence", "must be between 0 and 1")
	}
	// A list, not a map: checked in this order, the first bad field is
	// the one reported, and nothing is allocated per incident.
	for _, f := range [...]struct{ field, v string }{
		{"id", in.ID}, {"actor1", in.Actor1}, {"actor2", in.Actor2}, {"assoc_actor_1", in.AssocActor1},
		{"assoc_actor_2", in.AssocActor2}, {"inter1", in.Inter1}, {"inter2", in.Inter2},
		{"location", in.Location}, {"admin1", in.Admin1},
		{"admin2", in.Admin2}, {"place_id", in.PlaceID}, {"source_event_id", in.SourceEventID},
	} {
		if err := validText(f.field, f.v, maxShortText); err != nil {
			return err
		}
	}
	if err := validText("notes", in.Notes, maxNotes); err != nil {
		return err
	}
	if len(in.Tags) > maxTags {
		return Errorf("tags", "at most %d tags", maxTags)
	}
	for i, t := range in.Tags {
		if p := textProblem(t, maxShortText); p != "" {
			return &FieldError{Field: fmt.Sprintf("tags[%d]", i), Reason: p}
		}
	}
	if len(in.Sources) > maxSources {
		return Errorf("sources", "at most %d sources", maxSources)
	}
	for i, s := range in.Sources {
		if err := s.validate(i); err != nil {
			return err
		}
	}
	return ValidGeometry("geometry", in.Geometry)
}

// validate checks source i of an incident; the field it names is built only
// for a problem, as most incidents have none and every incident is checked.
func (s Source) validate(i int) error {
	for _, f := range [...]struct {
		name, v string
		max     int
	}{{"url", s.URL, 2000}, {"title", s.Title, 2000}, {"publisher", s.Publisher, 2000}, {"evidence", s.Evidence, maxEvidence}} {
		if p := textProblem(f.v, f.max); p != "" {
			return &FieldError{Field: fmt.Sprintf("sources[%d].%s", i, f.name), Reason: p}
		}
	}
	if s.Published == "" {
		return nil
	}
	return validDate(fmt.Sprintf("sources[%d].published", i), s.Published, false)
}

func validDate(field, v string, required bool) error {
	if v == "" {
		if required {
			return Errorf(field, "is required (YYYY-MM-DD)")
		}
		return nil
	}
	if _, err := time.Parse(DateLayout, v); err != nil || len(v) != len(DateLayout) {
		return Errorf(field, "must be a date YYYY-MM-DD, not %q", v)
	}
	return nil
}

func validText(field, v string, max int) error {
	if p := textProblem(v, max); p != "" {
		return &FieldError{Field: field, Reason: p}
	}
	return nil
}

// textProblem says what is wrong with a text value of at most max bytes,
// "" when nothing is.
func textProblem(v string, max int) string {
	if len(v) > max {
		return fmt.Sprintf("is longer than %d bytes", max)
	}
	if !utf8.ValidString(v) {
		return "is not valid UTF-8"
	}
	return ""
}

// ValidGeometry checks that g is present and well formed: finite WGS 84
// coordinates within range, closed rings of at least four positions, and no
// empty parts. field names the geometry in the error.
func ValidGeometry(field string, g orb.Geometry) error {
	if g == nil {
		return Errorf(field, "is required")
	}
	switch g := g.(type) {
	case orb.Point:
		return validPoint(field+".coordinates", g)
	case orb.MultiPoint:
		return validPoints(field+".coordinates", g, 1)
	case orb.LineString:
		return validPoints(field+".coordinates", g, 2)
	case orb.MultiLineString:
		if len(g) == 0 {
			return Errorf(field+".coordinates", "is empty")
		}
		for i, ls := range g {
			if err := validPoints(fmt.Sprintf("%s.coordinates[%d]", field, i), ls, 2); err != nil {
				return err
			}
		}
	case orb.Polygon:
		return validPolygon(field+".coordinates", g)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return Errorf(field+".coordinates", "is empty")
		}
		for i, p := range g {
			if err := validPolygon(fmt.Sprintf("%s.coordinates[%d]", field, i), p); err != nil {
				return err
			}
		}
	case orb.Collection:
		if len(g) == 0 {
			return Errorf(field+".geometries", "is empty")
		}
		for i, c := range g {
			if err := ValidGeometry(fmt.Sprintf("%s.geometries[%d]", field, i), c); err != nil {
				return err
			}
		}
	case orb.Ring:
		return validPolygon(field+".coordinates", orb.Polygon{g})
	case orb.Bound:
		return validPoints(field+".coordinates", []orb.Point{g.Min, g.Max}, 2)
	default:
		return Errorf(field, "unsupported geometry type %T", g)
	}
	return nil
}

func validPolygon(field string, p orb.Polygon) error {
	if len(p) == 0 {
		return Errorf(field, "polygon has no rings")
	}
	for i, r := range p {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := validPoints(f, r, 4); err != nil {
			return err
		}
		if r[0] != r[len(r)-1] {
			return Errorf(f, "ring is not closed: the first and last positions differ")
		}
	}
	return nil
}

func validPoints[T ~[]orb.Point](field string, ps T, min int) error {
	if len(ps) < min {
		return Errorf(field, "needs at least %d positions, has %d", min, len(ps))
	}
	for i, p := range ps {
		if err := validPoint(fmt.Sprintf("%s[%d]", field, i), p); err != nil {
			return err
		}
	}
	return nil
}

func validPoint(field string, p orb.Point) error {
	lon, lat := p[0], p[1]
	if math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0) {
		return Errorf(field, "coordinates must be finite numbers")
	}
	if lon < -180 || lon > 180 {
		return Errorf(field, "longitude %g is outside -180..180 (GeoJSON order is lon, lat)", lon)
	}
	if lat < -90 || lat > 90 {
		return Errorf(field, "latitude %g is outside -90..90 (GeoJSON order is lon, lat)", lat)
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
