package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// FilterError names the filter whose value is wrong, by its public name
// (the /api/incidents query parameter: "bbox", "min_fatalities"...).
type FilterError struct {
	Filter string
	Reason string
	Err    error // the cause, when there is one (a *cql2.Error)
}

func (e *FilterError) Error() string { return e.Filter + ": " + e.Reason }

// Unwrap returns the cause.
func (e *FilterError) Unwrap() error { return e.Err }

// FilterNames lists the filters ParseFilters reads, by public name.
func FilterNames() []string {
	return []string{"bbox", "start", "end", "event_type", "country", "admin1", "actor", "min_fatalities", "q", "sort", "status"}
}

// maxFilterText bounds the free-text filters.
const maxFilterText = 200

// ParseFilters reads the incident filters as people write them — the query
// parameters of /api/incidents and /api/export, the flags of export — with
// get returning a filter's value by public name ("" when absent). Every
// interface applies the same rules this way. Lists are comma-separated;
// the default order is newest first; sort=-confidence puts the most
// confident first (incidents without a confidence last). A wrong value is a *FilterError.
func ParseFilters(get func(name string) string) (Query, error) {
	q := Query{Desc: true}
	bad := func(name, format string, args ...any) (Query, error) {
		return Query{}, &FilterError{Filter: name, Reason: fmt.Sprintf(format, args...)}
	}
	if s := get("bbox"); s != "" {
		b, err := geo.ParseBBox(s)
		if err != nil {
			return bad("bbox", "%v", err)
		}
		q.BBox = &b
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"start", &q.Start}, {"end", &q.End}} {
		s := get(d.name)
		if s == "" {
			continue
		}
		if _, err := time.Parse(incident.DateLayout, s); err != nil || len(s) != len(incident.DateLayout) {
			return bad(d.name, "must be a date YYYY-MM-DD, not %q", s)
		}
		*d.dst = s
	}
	if q.Start != "" && q.End != "" && q.Start > q.End {
		return bad("end", "%s is before start %s", q.End, q.Start)
	}
	if s := get("event_type"); s != "" {
		for _, t := range strings.Split(s, ",") {
			t = strings.TrimSpace(t)
			if _, ok := incident.SubEventTypes()[t]; !ok {
				return bad("event_type", "%q is not an ACLED event type (%s)", t, strings.Join(incident.EventTypes(), ", "))
			}
			q.EventTypes = append(q.EventTypes, t)
		}
	}
	if s := get("country"); s != "" {
		for _, c := range strings.Split(s, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
				return bad("country", "%q is not an ISO 3166-1 alpha-2 code such as AF", c)
			}
			q.Countries = append(q.Countries, c)
		}
	}
	for _, t := range []struct {
		name string
		dst  *string
	}{{"admin1", &q.Admin1}, {"actor", &q.Actor}, {"q", &q.Text}} {
		s := get(t.name)
		if len(s) > maxFilterText {
			return bad(t.name, "is longer than %d characters", maxFilterText)
		}
		*t.dst = s
	}
	if s := get("min_fatalities"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return bad("min_fatalities", "must be a whole number ≥ 0, not %q", s)
		}
		q.MinFatalities = &n
	}
	statuses, err := parseStatus(get("status"))
	if err != nil {
		return bad("status", "%v", err)
	}
	q.Statuses = statuses
	switch get("sort") {
	case "", "-event_date":
	case "event_date":
		q.Desc = false
	case "-confidence":
		q.Order = ByConfidence
	case "confidence":
		q.Order, q.Desc = ByConfidence, false
	default:
		return bad("sort", "must be -event_date (newest first, the default), event_date (oldest first), -confidence (most confident first: the review queue) or confidence (least confident first)")
	}
	return q, nil
}

// StatusAll is the status filter value that selects every review status.
const StatusAll = "all"

// parseStatus reads the status filter: absent is published only (what
// readers see), "all" is every status (nil), otherwise a comma-separated
// list of review statuses.
func parseStatus(s string) ([]string, error) {
	switch s {
	case "":
		return []string{incident.StatusPublished}, nil
	case StatusAll:
		return nil, nil
	}
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(incident.Statuses(), v) {
			return nil, fmt.Errorf("%q is not a review status (%s, or %s)", v, strings.Join(incident.Statuses(), ", "), StatusAll)
		}
		out = append(out, v)
	}
	return out, nil
}

// PublishedOnly reports whether q selects published incidents alone: what
// a reader without a writer key may ask.
func (q Query) PublishedOnly() bool {
	return len(q.Statuses) == 1 && q.Statuses[0] == incident.StatusPublished
}
