package extract

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
)

var internalGazetteer = sync.OnceValues(gazetteer.Builtin)

// An article with no publication date is dated from its own text; with no
// date anywhere it is dated by the clock, and says so.
func TestUndatedReference(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	x.now = func() time.Time { return time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name, text, date, precision, note string
	}{
		{"a dated day in the text", "On 3 May 2020, gunmen shot dead a shopkeeper in Kandahar.", "2020-05-03", incident.PrecisionDay, ""},
		{"a weekday counted from the text's latest day",
			"Gunmen shot dead a shopkeeper in Kandahar on Saturday. The market had reopened on 4 May 2020.", "2020-05-02", incident.PrecisionDay, ""},
		{"nothing dated at all", "Gunmen shot dead a shopkeeper in Kandahar.", "2026-11-27", incident.PrecisionYear, "day of extraction"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := x.Extract(Article{Text: c.text})
			if err != nil || len(res.Incidents) != 1 {
				t.Fatalf("%d incidents (%q), err %v", len(res.Incidents), res.Reason, err)
			}
			in := res.Incidents[0]
			if in.EventDate != c.date || in.DatePrecision != c.precision || !strings.Contains(in.Notes, c.note) {
				t.Errorf("date %s (%s), notes %q; want %s (%s) with %q", in.EventDate, in.DatePrecision, in.Notes, c.date, c.precision, c.note)
			}
			if in.Sources[0].Published != "" {
				t.Errorf("source published %q, want none", in.Sources[0].Published)
			}
		})
	}
}

// The event-place ranker prefers the village where the event happened to
// the province it is in, and never picks a distance reference.
func TestEventPlaceRanker(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	for _, c := range []struct{ text, want string }{
		{"Soldiers opened fire on a truck in Mon district of Nagaland on Saturday evening.", "Mon"},
		{"A bomb exploded at a market in Spin Boldak, 100 km south of Kandahar, on Monday.", "Spin Boldak"},
	} {
		res, err := x.Extract(Article{Text: c.text, Published: "2024-01-10"})
		if err != nil || len(res.Incidents) == 0 {
			t.Fatalf("%q: no incident (%q), err %v", c.text, res.Reason, err)
		}
		if got := res.Incidents[0].Location; got != c.want {
			t.Errorf("%q: place %q, want %q", c.text, got, c.want)
		}
		sp := res.Explanations[0].Place
		if got := c.text[sp.StartByte:sp.EndByte]; got != c.want {
			t.Errorf("explanation span %q, want %q", got, c.want)
		}
	}
}

func TestParseAliases(t *testing.T) {
	a, err := parseAliases([]byte("nord kivu\tgeonames-admin1:CD.11\t3/3\nwardak\tgeonames-admin1:AF.27\t2/2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.prefixes["nord"] || len(a.byKey["wardak"]) != 1 {
		t.Errorf("aliases %+v", a)
	}
	for _, bad := range []string{"no id here\n", "\tgeonames:1\n"} {
		if _, err := parseAliases([]byte(bad)); err == nil {
			t.Errorf("parseAliases(%q) gave no error", bad)
		}
	}
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	x.aliases = a
	if info := x.known("nord kivu"); !info.Levels.Has(gazetteer.LevelAdmin1) {
		t.Errorf("known(nord kivu) = %+v, want an admin1", info)
	}
	if cs := x.aliasCandidates("Nord-Kivu"); len(cs) != 1 || cs[0].Place.Country != "CD" {
		t.Errorf("aliasCandidates = %+v", cs)
	}
}
