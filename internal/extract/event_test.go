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

// A news article whose only event words have an everyday sense ("signed a
// contract", "a report released") reports no event; beside a real event
// the event is reported, and the everyday words make no incident of their
// own; in a coder's note they are an event.
func TestEverydayNewsReportsNoEvent(t *testing.T) {
	filler := " " + strings.Repeat("The minister visited Nairobi to open a school. ", 3)
	for _, c := range []struct {
		name, text string
		typ        string // the type of an incident extracted, "" for none
		reason     string
	}{
		{"a contract signed", "date 2020-01-12\nThe county signed a new contract with a builder in Kisumu on Friday." + filler, "", "(signed)"},
		{"a report released", "date 2020-01-12\nA health report released in Kisumu on Friday ranked the county fifth." + filler, "", "(released)"},
		{"a plan to combat drugs", "date 2020-01-12\nThe governor of Kisumu unveiled a plan to combat drugs on Friday." + filler, "", "(combat)"},
		{"beside a real event", "date 2020-01-12\nGunmen attacked a bus in Kisumu on Friday. The county signed a new contract on Monday." + filler,
			"Violence against civilians", ""},
		{"in a note", "date 2020-01-12\nOn 10 January 2020, police seized a cache of rifles in Kisumu.", "Strategic developments", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := extractText(t, c.text)
			if c.typ == "" {
				if len(res.Incidents) != 0 || !strings.Contains(res.Reason, c.reason) {
					t.Fatalf("%d incidents (reason %q), want none with %q", len(res.Incidents), res.Reason, c.reason)
				}
				return
			}
			if len(res.Incidents) != 1 || res.Incidents[0].EventType != c.typ {
				t.Fatalf("%d incidents (reason %q), want one of %s", len(res.Incidents), res.Reason, c.typ)
			}
		})
	}
}
