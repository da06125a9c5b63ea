package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Paging limits of /api/incidents.
const (
	defaultLimit = 100
	maxLimit     = 10_000
)

// checkParams returns a 400 naming the first query parameter not in allowed,
// so that a typo ("bbx=") is an error rather than a silently ignored filter.
func checkParams(r *http.Request, allowed ...string) error {
	for _, part := range strings.Split(r.URL.RawQuery, "&") {
		if _, err := url.QueryUnescape(part); err != nil {
			name, _, _ := strings.Cut(part, "=")
			return badParam(name, "is not a valid URL-encoded query parameter: %v", err)
		}
	}
	q := r.URL.Query()
	for name := range q {
		ok := false
		for _, a := range allowed {
			if name == a {
				ok = true
				break
			}
		}
		if !ok {
			return badParam(name, "unknown query parameter %q; known: %s", name, strings.Join(allowed, ", "))
		}
	}
	for _, a := range allowed {
		if len(q[a]) > 1 {
			return badParam(a, "given %d times; give it once (lists are comma-separated)", len(q[a]))
		}
		if v := q.Get(a); !utf8.ValidString(v) || strings.ContainsFunc(v, isControl) {
			return badParam(a, "contains invalid UTF-8 or control characters")
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// incidentFilterParams lists the filter parameters shared by /api/incidents
// and /api/export.
func incidentFilterParams() []string {
	return []string{"bbox", "start", "end", "event_type", "country", "admin1", "actor", "min_fatalities", "q", "sort"}
}

// parseIncidentFilters reads the filter parameters of /api/incidents into a
// store.Query (without limit and cursor).
func parseIncidentFilters(r *http.Request) (store.Query, error) {
	v := r.URL.Query()
	q := store.Query{Desc: true}
	if s := v.Get("bbox"); s != "" {
		b, err := geo.ParseBBox(s)
		if err != nil {
			return q, badParam("bbox", "%v", err)
		}
		q.BBox = &b
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"start", &q.Start}, {"end", &q.End}} {
		s := v.Get(d.name)
		if s == "" {
			continue
		}
		if _, err := time.Parse(incident.DateLayout, s); err != nil || len(s) != 10 {
			return q, badParam(d.name, "must be a date YYYY-MM-DD, not %q", s)
		}
		*d.dst = s
	}
	if q.Start != "" && q.End != "" && q.Start > q.End {
		return q, badParam("end", "%s is before start %s", q.End, q.Start)
	}
	if s := v.Get("event_type"); s != "" {
		for _, t := range strings.Split(s, ",") {
			t = strings.TrimSpace(t)
			if _, ok := incident.SubEventTypes()[t]; !ok {
				return q, badParam("event_type", "%q is not an ACLED event type (%s)", t, strings.Join(incident.EventTypes(), ", "))
			}
			q.EventTypes = append(q.EventTypes, t)
		}
	}
	if s := v.Get("country"); s != "" {
		for _, c := range strings.Split(s, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
				return q, badParam("country", "%q is not an ISO 3166-1 alpha-2 code such as AF", c)
			}
			q.Countries = append(q.Countries, c)
		}
	}
	q.Admin1 = v.Get("admin1")
	q.Actor = v.Get("actor")
	q.Text = v.Get("q")
	for name, s := range map[string]string{"admin1": q.Admin1, "actor": q.Actor, "q": q.Text} {
		if len(s) > 200 {
			return q, badParam(name, "is longer than 200 characters")
		}
	}
	if s := v.Get("min_fatalities"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, badParam("min_fatalities", "must be a whole number ≥ 0, not %q", s)
		}
		q.MinFatalities = &n
	}
	switch v.Get("sort") {
	case "", "-event_date":
	case "event_date":
		q.Desc = false
	default:
		return q, badParam("sort", "must be event_date (oldest first) or -event_date (newest first)")
	}
	return q, nil
}

// parseLimit reads limit: default when absent, 400 when not a positive
// whole number, clamped to max.
func parseLimit(r *http.Request, def, max int) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badParam("limit", "must be a whole number from 1 to %d, not %q", max, s)
	}
	return min(n, max), nil
}

// writeJSON writes v as one JSON document with the given status and type.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) error {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return nil
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
