package store

import (
	"testing"
	"time"
)

// FuzzParseDay: the index orders stored dates by parseDay's number, so a
// date it accepts must be one SQL orders the same way (YYYY-MM-DD digits),
// come back unchanged from formatDay, and keep its order through the
// clusters' day ordinals.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2020-01-31", "1989-12-01", "2020-1-5", "2020-13-01", "2020-00-10", "abcd-ef-gh", "", "2020-02-30"} {
		f.Add(s, "2021-06-15")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		da, oka := parseDay([]byte(a))
		if _, err := time.Parse(time.DateOnly, a); err == nil && !oka {
			t.Fatalf("%q is a date, but parseDay refuses it", a)
		}
		if !oka {
			return
		}
		if got := formatDay(da); got != a {
			t.Fatalf("formatDay(parseDay(%q)) = %q", a, got)
		}
		if got := formatOrdinal(dayOrdinal(da)); got != a {
			t.Fatalf("formatOrdinal(dayOrdinal(parseDay(%q))) = %q", a, got)
		}
		db, okb := parseDay([]byte(b))
		if !okb {
			return
		}
		if (a < b) != (da < db) || (a < b) != (dayOrdinal(da) < dayOrdinal(db)) {
			t.Fatalf("%q and %q order differently as numbers (%d, %d) or ordinals", a, b, da, db)
		}
	})
}
