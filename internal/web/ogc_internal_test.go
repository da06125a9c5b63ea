package web

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOGCFormat(t *testing.T) {
	tests := []struct {
		query, accept, want string
	}{
		{"", "", "json"},
		{"", "*/*", "json"},
		{"", "application/geo+json, application/json", "json"},                          // GDAL
		{"", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"}, // a browser
		{"", "application/json;q=0.5, text/html", "html"},
		{"", "text/html;q=0.5, application/json", "json"},
		{"", "application/schema+json", "json"},
		{"f=html", "application/json", "html"},
		{"f=json", "text/html", "json"},
	}
	for _, tt := range tests {
		t.Run(tt.query+" "+tt.accept, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/ogc?"+tt.query, nil)
			r.Header.Set("Accept", tt.accept)
			w := httptest.NewRecorder()
			got, err := ogcFormat(w, r)
			if err != nil || got != tt.want {
				t.Errorf("ogcFormat = %q, %v; want %q", got, err, tt.want)
			}
			if vary := w.Header().Get("Vary"); (tt.query == "") != (vary == "Accept") {
				t.Errorf("Vary = %q", vary)
			}
		})
	}
}

func TestParseDatetime(t *testing.T) {
	tests := []struct {
		in, start, end, err string
	}{
		{"2020-01-31", "2020-01-31", "2020-01-31", ""},
		{"2020-01-31T23:30:00-02:00", "2020-02-01", "2020-02-01", ""},
		{"2020-01-01/2020-12-31", "2020-01-01", "2020-12-31", ""},
		{"2020-01-01/..", "2020-01-01", "", ""},
		{"../2020-01-01", "", "2020-01-01", ""},
		{"/2020-01-01", "", "2020-01-01", ""},
		{"2020-01-01T/", "2020-01-01", "", ""}, // GDAL's form
		{"../..", "", "", ""},
		{"2020-02-01/2020-01-01", "", "", "after it ends"},
		{"2020-13-01", "", "", "neither"},
		{"yesterday/..", "", "", "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			start, end, err := parseDatetime(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || start != tt.start || end != tt.end {
				t.Errorf("parseDatetime = %q, %q, %v; want %q, %q", start, end, err, tt.start, tt.end)
			}
		})
	}
}

// FuzzParseDatetime checks that whatever a client sends as datetime either
// fails or yields valid days in order.
func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2020-01-31", "2020-01-01/..", "../2020-01-01", "2020-01-01T12:00:00Z/2020-02-01", "/", "..", "2020-01-01T/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, err := parseDatetime(s)
		if err != nil {
			return
		}
		for _, d := range []string{start, end} {
			if d == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				t.Fatalf("parseDatetime(%q) gave %q, not a date", s, d)
			}
		}
		if start != "" && end != "" && start > end {
			t.Fatalf("parseDatetime(%q) = %s after %s", s, start, end)
		}
	})
}

func TestPlacesPage(t *testing.T) {
	even := func(i int) bool { return i%2 == 0 }
	tests := []struct {
		name               string
		n, start, limit    int
		keep               func(int) bool
		wantPage           []int
		wantMatched, wantN int
	}{
		{"first page, more remain", 10, 0, 2, even, []int{0, 2}, 5, 4},
		{"from a cursor", 10, 4, 2, even, []int{4, 6}, 5, 8},
		{"last page exactly full", 10, 6, 2, even, []int{6, 8}, 5, -1},
		{"cursor between matches", 10, 5, 10, even, []int{6, 8}, 5, -1},
		{"cursor at the end", 10, 10, 3, even, nil, 5, -1},
		{"nothing matches", 10, 0, 3, func(int) bool { return false }, nil, 0, -1},
		{"empty", 0, 0, 3, even, nil, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, matched, next := placesPage(tt.n, tt.start, tt.limit, tt.keep)
			if !slices.Equal(page, tt.wantPage) || matched != tt.wantMatched || next != tt.wantN {
				t.Errorf("placesPage = %v, %d, %d; want %v, %d, %d", page, matched, next, tt.wantPage, tt.wantMatched, tt.wantN)
			}
		})
	}
}
