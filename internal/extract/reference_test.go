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
	x := New(g).WithClock(func() time.Time { return time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) })
	for _, c := range []struct {
		name, text, date, precision, note string
	}{
		{"a dated day in the text", "On 3 May 2020, gunmen shot dead a shopkeeper in Kandahar.", "2020-05-03", incident.PrecisionDay, ""},
		{"a weekday counted from the text's latest day",
			"Gunmen shot dead a shopkeeper in Kandahar on Saturday. The market had reopened on 4 May 2020.", "2020-05-02", incident.PrecisionDay, ""},
		{"nothing dated at all", "Gunmen shot dead a shopkeeper in Kandahar.", "2026-11-27", incident.PrecisionYear, "day of extraction"},
		// Which Saturday is a guess from the clock: said so, and no day claimed.
		{"only a weekday", "Gunmen shot dead a shopkeeper in Kandahar on Saturday.", "2026-11-21", incident.PrecisionYear,
			`"on Saturday" read against the day of extraction`},
		{"a day with no year", "Gunmen shot dead a shopkeeper in Kandahar on March 4.", "2026-03-04", incident.PrecisionYear,
			`"March 4" read against the day of extraction`},
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
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	admin := []byte("nord kivu\tgeonames-admin1:CD.11\t3/3\nwardak\tgeonames-admin1:AF.27\t2/2\n")
	places := []byte("tapah\tAF\t32.4526\t62.1335\ttown\tgeonames-admin1:AF.06\t-\t2/2\n" +
		"kasaba\tAF\t32.5\t62.2\tnear\tgeonames-admin1:AF.06\t-\t1/1\n")
	a, err := parseAliases(admin, places, g)
	if err != nil {
		t.Fatal(err)
	}
	if !a.prefixes["nord"] || len(a.byKey["wardak"]) != 1 {
		t.Errorf("aliases %+v", a)
	}
	for _, bad := range []struct{ admin, places string }{
		{"no id here\n", ""}, {"\tgeonames:1\n", ""}, {"", "tapah\tAF\t32.4\n"}, {"", "tapah\tAF\tnorth\t62.1\ttown\t-\t-\t1/1\n"}, {"", "tapah\tAF\t32.4\t62.1\texact\t-\t-\t1/1\n"},
	} {
		if _, err := parseAliases([]byte(bad.admin), []byte(bad.places), g); err == nil {
			t.Errorf("parseAliases(%q, %q) gave no error", bad.admin, bad.places)
		}
	}
	x := New(g)
	x.aliases = a
	if info := x.known("nord kivu"); !info.Levels.Has(gazetteer.LevelAdmin1) {
		t.Errorf("known(nord kivu) = %+v, want an admin1", info)
	}
	if cs := x.aliasCandidates("Nord-Kivu"); len(cs) != 1 || cs[0].Place.Country != "CD" {
		t.Errorf("aliasCandidates = %+v", cs)
	}
	// A learned village takes its areas from where its point lies, and an
	// incident there has no gazetteer id.
	cs := x.aliasCandidates("Tapah")
	if len(cs) != 1 || cs[0].Place.Admin1 != "Farah" || cs[0].Place.Level != gazetteer.LevelPlace {
		t.Fatalf("aliasCandidates(Tapah) = %+v", cs)
	}
	res, err := x.Extract(Article{Text: "On 18 March 2020, a sniper shot and killed a policeman in Tapah, Farah.", Published: "2020-03-19"})
	if err != nil || len(res.Incidents) != 1 {
		t.Fatalf("%d incidents, err %v (%q)", len(res.Incidents), err, res.Reason)
	}
	if in := res.Incidents[0]; in.Location != "Tapah" || in.GeoPrecision != 1 || in.PlaceID != "" {
		t.Errorf("incident at %q precision %d place id %q, want Tapah, 1 and none", in.Location, in.GeoPrecision, in.PlaceID)
	}
	// One coded only near the village it names is no more precise here.
	res, err = x.Extract(Article{Text: "On 18 March 2020, a sniper shot and killed a policeman in Kasaba, Farah.", Published: "2020-03-19"})
	if err != nil || len(res.Incidents) != 1 || res.Incidents[0].GeoPrecision != 2 {
		t.Errorf("Kasaba: %+v, err %v (%q), want one incident of precision 2", res.Incidents, err, res.Reason)
	}
}
