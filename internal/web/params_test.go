package web

import (
	"errors"
	"net/http/httptest"
	"testing"
)

// FuzzIncidentQuery feeds arbitrary query strings to the /api/incidents
// parameter parsers: they must either accept or answer a 400 naming a
// parameter, never panic.
func FuzzIncidentQuery(f *testing.F) {
	for _, s := range []string{
		"bbox=64.0,31.5,65.5,33.0&start=2019-09-01&end=2019-09-30",
		"bbox=170,-20,-170,-10&limit=10&cursor=ZHwyMDE5LTA5LTIzfDE",
		"event_type=Battles,Riots&country=af,pk&min_fatalities=3&q=raid&sort=event_date",
		"limit=0", "limit=abc", "bbx=1", "start=2019-02-30", "%zz", "q=%00", "=", "=x&q=a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/api/incidents", nil)
		r.URL.RawQuery = raw
		err := checkParams(r, append(incidentFilterParams(), "limit", "cursor")...)
		if err == nil {
			_, err = parseIncidentFilters(r)
		}
		if err == nil {
			var n int
			n, err = parseLimit(r, defaultLimit, maxLimit)
			if err == nil && (n < 1 || n > maxLimit) {
				t.Fatalf("limit %d accepted from %q", n, raw)
			}
		}
		if err != nil {
			var p *problem
			if !errors.As(err, &p) || p.Status != 400 || p.Param == "" {
				t.Fatalf("query %q: error %v is not a 400 naming a parameter", raw, err)
			}
		}
	})
}
