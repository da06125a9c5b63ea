package interchange

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// The tests of this file each reproduce the shape of a real ACLED export
// that imports once refused: multi-actor repeats, the event types before
// 2016, no coordinates or ids, and more than MaxRejections bad rows.

// storedBySource returns the stored incident of a source event id.
func storedBySource(t *testing.T, st *store.Store, id string) incident.Incident {
	t.Helper()
	var got incident.Incident
	_, err := st.Query(context.Background(), store.Query{SourceEventIDs: []string{id}}, func(in *incident.Incident) error {
		got = *in
		return nil
	})
	if err != nil || got.SourceEventID == "" {
		t.Fatalf("%s not stored (%v)", id, err)
	}
	return got
}

// importWith imports data with an importer of the given batch size.
func importWith(t *testing.T, st *store.Store, format, data string, opt ReaderOptions, batch int) Report {
	t.Helper()
	src, err := NewReader(format, strings.NewReader(data), opt)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	im := NewImporter(st)
	im.BatchSize = batch
	rep, err := im.Import(context.Background(), src)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return rep
}

// multiActorRow is one row of a Bangladesh-like export: an event listed
// once per extra actor, sharing event_id_cnty.
func multiActorRow(id, actor1, assoc1, inter1 string, fatalities int) string {
	return fmt.Sprintf(`%s,12 January 2014,2014,1,Political violence,Riots,Violent demonstration,%s,%s,%s,Police Forces of Bangladesh (2009-),,1,15,,50,Southern Asia,Bangladesh,Dhaka,Dhaka,,Dhaka,23.7104,90.4074,1,New Age,National,"Clashes during a hartal",%d,,1700000000`,
		id, actor1, assoc1, inter1, fatalities)
}

// TestMultiActorRepeats merges the rows ACLED writes per extra actor into
// one incident with every actor, associated actor and inter code; skips
// exact repeats; rejects a repeat differing in more than actors, naming the
// field; merges into an incident its batch already wrote; and imports the
// same again as updates.
func TestMultiActorRepeats(t *testing.T) {
	rows := []string{
		multiActorRow("BGD1", "Rioters (Bangladesh)", "BNP: Bangladesh Nationalist Party", "5", 2),
		multiActorRow("BGD1", "Protesters (Bangladesh)", "AL: Bangladesh Awami League; Students (Bangladesh)", "6", 2),
		multiActorRow("BGD1", "Rioters (Bangladesh)", "BNP: Bangladesh Nationalist Party", "5", 2), // exact repeat
		multiActorRow("BGD2", "Rioters (Bangladesh)", "", "5", 0),
		multiActorRow("BGD2", "Rioters (Bangladesh)", "", "5", 3), // not the same event
		multiActorRow("BGD3", "Rioters (Bangladesh)", "JeI: Jamaat-e-Islami", "5", 1),
		multiActorRow("BGD4", "Rioters (Bangladesh)", "", "5", 0),
		multiActorRow("BGD3", "Protesters (Bangladesh)", "", "6", 1), // after BGD3's batch was written
	}
	data := acledHeader + "\n" + strings.Join(rows, "\n") + "\n"
	st := openStore(t)
	rep := importWith(t, st, FormatACLED, data, ReaderOptions{}, 3)
	if rep.Read != 8 || rep.Inserted != 4 || rep.Merged != 2 || rep.Duplicates != 1 || rep.Rejected != 1 {
		t.Fatalf("report %+v: want 8 read, 4 inserted, 2 merged, 1 duplicate, 1 rejected", rep)
	}
	if r := rep.Rejections[0]; r.Row != 6 || !strings.Contains(r.Reason, `"acled:BGD2" already appeared on row 5, which differs in fatalities (not only in actors)`) {
		t.Errorf("rejection %+v, want row 6 naming row 5 and fatalities", r)
	}
	for _, c := range []struct {
		id                   string
		actor1, inter1, ass1 string
	}{
		{"acled:BGD1", "Rioters (Bangladesh); Protesters (Bangladesh)", "5; 6",
			"BNP: Bangladesh Nationalist Party; AL: Bangladesh Awami League; Students (Bangladesh)"},
		{"acled:BGD2", "Rioters (Bangladesh)", "5", ""},
		{"acled:BGD3", "Rioters (Bangladesh); Protesters (Bangladesh)", "5; 6", "JeI: Jamaat-e-Islami"},
	} {
		got := storedBySource(t, st, c.id)
		if got.Actor1 != c.actor1 || got.Inter1 != c.inter1 || got.AssocActor1 != c.ass1 ||
			got.Actor2 != "Police Forces of Bangladesh (2009-)" || got.Inter2 != "1" {
			t.Errorf("%s: actor1 %q inter1 %q assoc %q actor2 %q inter2 %q; want %q %q %q", c.id,
				got.Actor1, got.Inter1, got.AssocActor1, got.Actor2, got.Inter2, c.actor1, c.inter1, c.ass1)
		}
	}
	before := incidentsBySource(t, st, true)
	rep = importWith(t, st, FormatACLED, data, ReaderOptions{}, 3)
	if rep.Inserted != 0 || rep.Updated != 4 || rep.Merged != 2 || rep.Duplicates != 1 || rep.Rejected != 1 {
		t.Errorf("re-import %+v: want 4 updated, 2 merged, 1 duplicate, 1 rejected", rep)
	}
	after := incidentsBySource(t, st, true)
	for id, w := range before {
		if after[id] != w {
			t.Errorf("%s changed on re-import:\n got %s\nwant %s", id, after[id], w)
		}
	}
	checkRoundTrips(t, st) // the merged actors and inter codes included
}

// oldHeader is the header of ACLED's exports before 2016: upper case, 25
// columns, no sub-event type.
const oldHeader = "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"

// TestOldTypeNames maps every event type name of ACLED's exports before
// 2016, in the spellings real files use, to today's type and sub-type.
func TestOldTypeNames(t *testing.T) {
	cases := []struct {
		old, actor1, inter1 string
		eventType, sub      string
	}{
		{"Battle-No change of territory", "Military Forces of Nigeria (1999-2015)", "1", incident.Battles, "Armed clash"},
		{"Battle-Government regains territory", "Military Forces of Nigeria (1999-2015)", "1", incident.Battles, "Government regains territory"},
		{"Battle-Non-state actor overtakes territory", "Boko Haram", "2", incident.Battles, "Non-state actor overtakes territory"},
		{"Battle-Non-state actors overtake territory", "Boko Haram", "2", incident.Battles, "Non-state actor overtakes territory"},
		{"BATTLE - NO CHANGE OF TERRITORY", "Boko Haram", "2", incident.Battles, "Armed clash"},
		{"Remote violence", "Boko Haram", "2", incident.ExplosionsRemoteViolence, ""},
		{"Violence against civilians", "Boko Haram", "2", incident.ViolenceAgainstCivilians, ""},
		{"Headquarters or base established", "Boko Haram", "2", incident.StrategicDevelopments, "Headquarters or base established"},
		{"Non-violent transfer of territory", "Boko Haram", "2", incident.StrategicDevelopments, "Non-violent transfer of territory"},
		{"Strategic development", "Boko Haram", "2", incident.StrategicDevelopments, ""},
		{"Riots/Protests", "Rioters (Nigeria)", "5", incident.Riots, ""},
		{"Riots/Protests", "Protesters (Nigeria)", "6", incident.Protests, ""},
		{"Riots/Protests", "Rioters (Nigeria)", "", incident.Riots, ""},
		{"Riots/Protests", "Students (Nigeria)", "Rioters", incident.Riots, ""},
		{"Riots/Protests", "Labour Group (Nigeria)", "", incident.Protests, ""},
	}
	var b strings.Builder
	b.WriteString(oldHeader + "\n")
	for i, c := range cases {
		fmt.Fprintf(&b, "475,NIG%d,%d,05/08/2014,2014,1,%s,%s,,%s,,,,,Nigeria,Borno,Maiduguri,,Maiduguri,11.8464,13.1603,1,Vanguard,,0\n",
			i, i, c.old, c.actor1, c.inter1)
	}
	b.WriteString("475,NIG99,99,05/08/2014,2014,1,Battle-Something else,A,,1,,,,,Nigeria,Borno,Maiduguri,,Maiduguri,11.8464,13.1603,1,Vanguard,,0\n")
	st := openStore(t)
	rep := importString(t, st, FormatACLED, b.String())
	if rep.Inserted != len(cases) || rep.Rejected != 1 {
		t.Fatalf("report %+v: want %d inserted and the unknown type rejected", rep, len(cases))
	}
	if r := rep.Rejections[0]; r.Column != "EVENT_TYPE" || !strings.Contains(r.Reason, `"Battle-Something else" is not an ACLED event type`) {
		t.Errorf("rejection %+v", r)
	}
	for i, c := range cases {
		got := storedBySource(t, st, fmt.Sprintf("acled:NIG%d", i))
		if got.EventType != c.eventType || got.SubEventType != c.sub || got.Inter1 != c.inter1 {
			t.Errorf("%q (%s, inter %q) = %q / %q, want %q / %q", c.old, c.actor1, c.inter1, got.EventType, got.SubEventType, c.eventType, c.sub)
		}
	}
	checkRoundTrips(t, st)
}

// noCoordinatesCSV is a 15-column export without latitude, longitude or
// event id, as an ACLED Burkina Faso download came.
const noCoordinatesCSV = `event_date,year,event_type,sub_event_type,actor1,assoc_actor_1,actor2,country,admin1,admin2,admin3,location,source,notes,fatalities
2019-01-10,2019,Battles,Armed clash,JNIM,,Military Forces of Burkina Faso,Burkina Faso,Sahel,Soum,Djibo,Djibo,Le Faso,Clash in the town,3
2019-01-11,2019,Violence against civilians,Attack,Unidentified Armed Group,,Civilians (Burkina Faso),Burkina Faso,Sahel,Soum,Djibo,Kourfayel,Le Faso,A hamlet the gazetteer lacks,2
2019-01-12,2019,Violence against civilians,Attack,Unidentified Armed Group,,Civilians (Burkina Faso),Burkina Faso,Centre-Nord,Nowhere Province,,Hamlet X,Le Faso,Only the region is known,1
2019-01-13,2019,Strategic developments,Other,JNIM,,,Burkina Faso,Nowhere,,,Bush,Le Faso,Only the country is known,0
2019-01-13,2019,Strategic developments,Other,JNIM,,,Burkina Faso,Nowhere,,,Bush,Le Faso,Only the country is known,0
2019-01-14,2019,Battles,Armed clash,JNIM,,,Atlantis,,,,Bush,Le Faso,An unknown country,0
`

// TestNoCoordinates geocodes an export without coordinates or ids from
// its place names, with the precision each match deserves, gives each row
// an id stable across imports, and skips the exact repeat.
func TestNoCoordinates(t *testing.T) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatalf("loading the built-in gazetteer: %v", err)
	}
	if _, err := NewReader(FormatACLED, strings.NewReader(noCoordinatesCSV), ReaderOptions{}); err == nil {
		t.Errorf("no coordinates and no gazetteer: accepted")
	}
	st := openStore(t)
	opt := ReaderOptions{Gazetteer: gaz}
	rep := importWith(t, st, FormatACLED, noCoordinatesCSV, opt, DefaultBatchSize)
	if rep.Inserted != 4 || rep.Duplicates != 1 || rep.Rejected != 1 {
		t.Fatalf("report %+v: want 4 inserted, 1 duplicate, 1 rejected", rep)
	}
	if r := rep.Rejections[0]; r.Row != 7 || r.Column != "country" {
		t.Errorf("rejection %+v, want row 7, country", r)
	}
	byNotes := map[string]incident.Incident{}
	_, err = st.Query(context.Background(), store.Query{}, func(in *incident.Incident) error {
		byNotes[in.Notes] = *in
		if !strings.HasPrefix(in.SourceEventID, "acled:") || len(in.SourceEventID) != len("acled:")+16 {
			t.Errorf("synthetic id %q", in.SourceEventID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		notes    string
		prec     int
		lat, lon float64 // where the incident is placed, ±0.1°
		location string
	}{
		{"Clash in the town", incident.GeoTown, 14.10, -1.63, "Djibo"},
		{"A hamlet the gazetteer lacks", incident.GeoDistrict, 14.10, -1.63, "Kourfayel"},
		{"Only the region is known", incident.GeoRegion, 13.09, -1.08, "Hamlet X"},
		{"Only the country is known", incident.GeoCountry, 12.3, -1.7, "Bush"},
	} {
		got, ok := byNotes[c.notes]
		p := got.Point()
		if !ok || got.GeoPrecision != c.prec || got.Location != c.location || got.Country != "BF" ||
			p[1] < c.lat-1 || p[1] > c.lat+1 || p[0] < c.lon-1.5 || p[0] > c.lon+1.5 {
			t.Errorf("%q: precision %d at %v (%s, %s), want %d near %g,%g", c.notes, got.GeoPrecision, p, got.Location, got.Country, c.prec, c.lat, c.lon)
		}
	}
	rep = importWith(t, st, FormatACLED, noCoordinatesCSV, opt, DefaultBatchSize)
	if rep.Inserted != 0 || rep.Updated != 4 {
		t.Errorf("re-import %+v: the synthetic ids must match, want 4 updated", rep)
	}
	checkRoundTrips(t, st)
}

// TestManyRejections hands every one of 2,500 rejections to OnReject, in
// input order, lists the first MaxRejections in the report, and counts them
// per kind of reason.
func TestManyRejections(t *testing.T) {
	var b strings.Builder
	b.WriteString(acledHeader + "\n")
	good := acledCSV(10, 3)
	b.WriteString(strings.SplitN(good, "\n", 2)[1])
	for i := 0; i < 2500; i++ {
		date := fmt.Sprintf("2021-02-%d", 30+i%2) // never a calendar date
		if i%5 == 0 {
			date = "2021-03-01,2021" // a field too many
		}
		fmt.Fprintf(&b, "BAD%d,%s,2021,1,,Battles,Armed clash,A,,1,,,,,,4,,Afghanistan,Helmand,,,Musa Qala,32.45,64.74,1,,,,0,,\n", i, date)
	}
	src, err := NewReader(FormatACLED, strings.NewReader(b.String()), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var streamed []RowError
	im := NewImporter(openStore(t))
	im.OnReject = func(e RowError) error {
		streamed = append(streamed, e)
		return nil
	}
	rep, err := im.Import(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 2500 || len(streamed) != 2500 || len(rep.Rejections) != MaxRejections || rep.Inserted != 10 {
		t.Fatalf("%d rejected, %d streamed, %d listed, %d inserted", rep.Rejected, len(streamed), len(rep.Rejections), rep.Inserted)
	}
	for i := 1; i < len(streamed); i++ {
		if streamed[i].Row <= streamed[i-1].Row {
			t.Fatalf("rejections out of order at %d: row %d after %d", i, streamed[i].Row, streamed[i-1].Row)
		}
	}
	want := []ReasonCount{
		{Reason: `event_date: "…" is not a calendar date`, Rows: 2000},
		{Reason: "has N fields but the header has N (comma-delimited)", Rows: 500},
	}
	if len(rep.Reasons) != len(want) {
		t.Fatalf("reasons %+v, want %+v", rep.Reasons, want)
	}
	for i, w := range want {
		if g := rep.Reasons[i]; g.Reason != w.Reason || g.Rows != w.Rows || g.FirstRow != streamed[0].Row+1-i {
			t.Errorf("reason %d = %+v, want %+v", i, g, w)
		}
	}
}
