package extract_test

import (
	"strings"
	"testing"
)

// A note-like report is written about an event, so a weak trigger word is
// enough there; in a longer report the same sentence needs more.
func TestNoteLikeReportNeedsLessEvidence(t *testing.T) {
	const weak = "On 11 January 2020, the house of a party supporter was burnt in Kisumu."
	long := weak + " " + strings.Repeat("The minister visited Nairobi to open a school. ", 3)
	for _, c := range []struct {
		name, text string
		n          int
	}{
		{"note", "date 2020-01-12\n" + weak, 1},
		{"long report", "date 2020-01-12\n" + long, 0},
		{"note that reports nothing", "date 2020-01-12\nThe weather in Kisumu was mild on Tuesday and the markets were busy.", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := extractText(t, c.text)
			if len(res.Incidents) != c.n {
				t.Fatalf("%d incidents, want %d (reason %q)", len(res.Incidents), c.n, res.Reason)
			}
			if c.n > 0 && res.Incidents[0].Location != "Kisumu" {
				t.Errorf("location %q, want Kisumu", res.Incidents[0].Location)
			}
		})
	}
}
