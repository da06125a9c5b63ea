package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

// TestSummary checks /api/summary: incidents and fatalities per admin1 or
// country for the filters, most incidents first, and 400s naming the
// parameter.
func TestSummary(t *testing.T) {
	srv, _ := newServer(t)
	area := func(lon, lat float64, country, admin1 string, fatalities int) string {
		return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Point","coordinates":[%g,%g]},
			"properties":{"event_date":"2020-01-01","event_type":"Battles","country":%q,"admin1":%q,"fatalities":%d}}`,
			lon, lat, country, admin1, fatalities)
	}
	res := do(t, "POST", srv.URL+"/api/incidents", testToken, collection(
		area(64.7, 32.4, "AF", "Helmand", 7), area(64.4, 31.6, "AF", "Helmand", 3), area(65.7, 31.6, "AF", "Kandahar", 1),
		area(69.2, 34.5, "AF", "Kabul", 0), area(13.2, 11.8, "NG", "Borno", 12), area(13.1, 11.9, "NG", "", 2),
	))
	if res.status != http.StatusCreated {
		t.Fatalf("seeding: %d %s", res.status, res.body)
	}
	type row struct {
		Country    string `json:"country"`
		Admin1     string `json:"admin1"`
		Incidents  int64  `json:"incidents"`
		Fatalities int64  `json:"fatalities"`
	}
	tests := []struct {
		query string
		want  []row
	}{
		{"by=country", []row{{"AF", "", 4, 11}, {"NG", "", 2, 14}}},
		{"", []row{{"AF", "Helmand", 2, 10}, {"AF", "Kabul", 1, 0}, {"AF", "Kandahar", 1, 1}, {"NG", "", 1, 2}, {"NG", "Borno", 1, 12}}},
		{"bbox=63,31,66,33", []row{{"AF", "Helmand", 2, 10}, {"AF", "Kandahar", 1, 1}}},
		{"bbox=63,31,66,33&min_fatalities=2&by=admin1", []row{{"AF", "Helmand", 2, 10}}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := do(t, http.MethodGet, srv.URL+"/api/summary?"+tt.query, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var got struct {
				Areas     []row `json:"areas"`
				Truncated int64 `json:"truncated"`
			}
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Areas, tt.want) || got.Truncated != 0 {
				t.Errorf("got %+v (truncated %d), want %+v", got.Areas, got.Truncated, tt.want)
			}
		})
	}
	for _, b := range []struct{ query, param string }{{"by=district", "by"}, {"bbox=1,2", "bbox"}, {"limit=3", "limit"}} {
		r := do(t, http.MethodGet, srv.URL+"/api/summary?"+b.query, "", "")
		if m := r.json(t); r.status != http.StatusBadRequest || m["param"] != b.param {
			t.Errorf("%s: %d %v, want 400 naming %s", b.query, r.status, m, b.param)
		}
	}
}
