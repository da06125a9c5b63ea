package web

import (
	"fmt"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
)

// TestBucketDays checks the histogram's unit follows the span of dates and
// that days fold into months or years with their counts summed.
func TestBucketDays(t *testing.T) {
	days := func(dates ...string) []store.DayCount {
		out := make([]store.DayCount, len(dates))
		for i, d := range dates {
			out[i] = store.DayCount{Date: d, Count: int64(i + 1)}
		}
		return out
	}
	tests := []struct {
		name string
		in   []store.DayCount
		unit string
		want string // the buckets as key:count
	}{
		{"none", nil, "day", "[]"},
		{"a few weeks", days("2020-01-01", "2020-01-01", "2020-02-10"), "day", "[2020-01-01:3 2020-02-10:3]"},
		{"a year", days("2020-01-05", "2020-01-20", "2020-12-31"), "month", "[2020-01:3 2020-12:3]"},
		{"decades", days("1989-06-01", "1999-01-01", "2020-03-03"), "year", "[1989:1 1999:2 2020:3]"},
		{"malformed date", days("2020", "2021-02-03"), "year", "[2020:1 2021:2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bucketDays(tt.in)
			var keys []string
			for _, b := range got.Buckets {
				keys = append(keys, fmt.Sprintf("%s:%d", b.Key, b.Count))
			}
			if got.Unit != tt.unit || fmt.Sprint(keys) != tt.want {
				t.Errorf("bucketDays = %s %v, want %s %s", got.Unit, keys, tt.unit, tt.want)
			}
		})
	}
}
