package store_test

import (
	"errors"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
)

func TestParseFilters(t *testing.T) {
	tests := []struct {
		values  map[string]string
		bad     string // the filter named by the error, "" for none
		checkFn func(store.Query) bool
	}{
		{map[string]string{}, "", func(q store.Query) bool { return q.Desc && q.BBox == nil }},
		{map[string]string{"bbox": "64,31.5,65.5,33", "country": "af, pk", "event_type": "Battles,Riots", "min_fatalities": "3", "sort": "event_date"}, "",
			func(q store.Query) bool {
				return !q.Desc && q.BBox.MaxLat == 33 && len(q.Countries) == 2 && q.Countries[1] == "PK" && len(q.EventTypes) == 2 && *q.MinFatalities == 3
			}},
		{map[string]string{"bbox": "1,2,3"}, "bbox", nil},
		{map[string]string{"start": "2019-9-1"}, "start", nil},
		{map[string]string{"start": "2020-01-02", "end": "2020-01-01"}, "end", nil},
		{map[string]string{"event_type": "battles"}, "event_type", nil},
		{map[string]string{"country": "AFG"}, "country", nil},
		{map[string]string{"min_fatalities": "-1"}, "min_fatalities", nil},
		{map[string]string{"q": string(make([]byte, 201))}, "q", nil},
		{map[string]string{"sort": "fatalities"}, "sort", nil},
	}
	for _, tt := range tests {
		q, err := store.ParseFilters(func(name string) string { return tt.values[name] })
		var fe *store.FilterError
		switch {
		case tt.bad != "":
			if !errors.As(err, &fe) || fe.Filter != tt.bad {
				t.Errorf("%v: err %v, want a FilterError naming %s", tt.values, err, tt.bad)
			}
		case err != nil:
			t.Errorf("%v: %v", tt.values, err)
		case !tt.checkFn(q):
			t.Errorf("%v: query %+v", tt.values, q)
		}
	}
}
