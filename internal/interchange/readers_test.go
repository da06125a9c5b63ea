package interchange

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2016-07-02", "2016-07-02"},
		{"2016/07/02", "2016-07-02"},
		{"20160702", "2016-07-02"},
		{"2013-01-03 00:00:00.000", "2013-01-03"},
		{"2013-01-03T12:00:00Z", "2013-01-03"},
		{"01-January-2015", "2015-01-01"},
		{"21 March 2020", "2020-03-21"},
		{"5-Aug-24", "2024-08-05"},
		{"5-Aug-98", "1998-08-05"},
		{"2 Sept. 2019", "2019-09-02"},
		{"31-12-19", "2019-12-31"},
		{"31/12/2019", "2019-12-31"},
		{"02/07/2016", "2016-07-02"}, // day first, as ACLED writes
		{"12/31/2019", "2019-12-31"}, // cannot be day first
		{"31.12.2019", "2019-12-31"},
		{"August 5, 2024", "2024-08-05"},
		{"Aug 5 2024", "2024-08-05"},
		{" 2016-07-02 ", "2016-07-02"},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := parseDate(c.in)
			if err != nil || got != c.want {
				t.Errorf("parseDate(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		})
	}
	for _, bad := range []string{"", "yesterday", "2019-02-30", "31-13-19", "32-01-2019", "2019-1", "Smarch 3 2019", "1-2-3-4", "0000-00-00", "13/13/2019"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if got, err := parseDate(bad); err == nil {
				t.Errorf("parseDate(%q) = %q, want an error", bad, got)
			}
		})
	}
}

func TestCountryCode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Afghanistan", "AF"}, {"afghanistan", "AF"}, {"AF", "AF"},
		{"Democratic Republic of Congo", "CD"}, {"DR Congo (Zaire)", "CD"}, {"Republic of Congo", "CG"},
		{"Russia (Soviet Union)", "RU"}, {"Yemen (North Yemen)", "YE"}, {"Myanmar (Burma)", "MM"},
		{"Cambodia (Kampuchea)", "KH"}, {"Serbia (Yugoslavia)", "RS"}, {"Kingdom of eSwatini (Swaziland)", "SZ"},
		{"Macedonia, FYR", "MK"}, {"Bosnia-Herzegovina", "BA"}, {"Ivory Coast", "CI"}, {"Côte d’Ivoire", "CI"},
		{"Palestine", "PS"}, {"United States", "US"}, {"Turkey", "TR"}, {"South Sudan", "SS"}, {"Kosovo", "XK"},
	} {
		if got, ok := countryCode(c.in); !ok || got != c.want {
			t.Errorf("countryCode(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	if got, ok := countryCode("Atlantis"); ok {
		t.Errorf("countryCode(Atlantis) = %q, want not found", got)
	}
	for n, want := range map[string]string{"4": "AF", "004": "AF", "760": "SY", "180": "CD"} {
		if got, ok := countryFromNumeric(n); !ok || got != want {
			t.Errorf("countryFromNumeric(%q) = %q, %v; want %q", n, got, ok, want)
		}
	}
	// Export names must read back to the same code.
	for code := range countries().byCode {
		if got, ok := countryCode(countryName(code)); !ok || got != code {
			t.Errorf("countryName(%s) = %q reads back as %q", code, countryName(code), got)
		}
	}
}

// readAll reads every record of src, returning the incidents and the
// rejections.
func readAll(t *testing.T, src Reader) ([]incident.Incident, []*RowError) {
	t.Helper()
	var out []incident.Incident
	var rej []*RowError
	for {
		var in incident.Incident
		err := src.Next(&in)
		if errors.Is(err, io.EOF) {
			return out, rej
		}
		var re *RowError
		if errors.As(err, &re) {
			rej = append(rej, re)
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, in)
	}
}

// TestACLEDColumnMapping reads the same event written as recent and older
// ACLED exports, with the file-level oddities real files have.
func TestACLEDColumnMapping(t *testing.T) {
	recent := acledHeader + "\n" +
		`AFG1,23 September 2019,2019,1,Political violence,Battles,Armed clash,Taliban,,Rebel group,Military Forces of Afghanistan (2014-2021),,State forces,Rebel group-State forces,,4,Caspian and Central Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,2,"Pajhwok; ""Tolo"" News",National,"Taliban said ""we attacked"", officials said",7,local administrators;crowd size=no report,1700000000` + "\n"
	older := "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\n" +
		`700,AFG1,1,23/09/2019,2019,1,Battle-No change of territory,Taliban,,2,Military Forces of Afghanistan (2014-2021),,1,12,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,2,"Pajhwok; ""Tolo"" News","Taliban said ""we attacked"", officials said",7` + "\n"
	// Decimal commas, as semicolon files from European spreadsheets write.
	semicolonBOMCRLF := "\ufeff" + rewriteCSV(t, strings.Replace(older, "32.4522,64.7495", `"32,4522","64,7495"`, 1), ';', true)
	tab := rewriteCSV(t, older, '\t', false)
	for _, c := range []struct{ name, data string }{
		{"recent lower-case", recent},
		{"older upper-case", older},
		{"semicolon BOM CRLF", semicolonBOMCRLF},
		{"tab", tab},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, err := NewReader(FormatACLED, strings.NewReader(c.data), ReaderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, rej := readAll(t, src)
			if len(rej) > 0 || len(got) != 1 {
				t.Fatalf("got %d incidents, rejections %v", len(got), rej)
			}
			in := got[0]
			checks := map[string][2]any{
				"source_event_id": {in.SourceEventID, "acled:AFG1"},
				"event_date":      {in.EventDate, "2019-09-23"},
				"date_precision":  {in.DatePrecision, "day"},
				"event_type":      {in.EventType, "Battles"},
				"sub_event_type":  {in.SubEventType, "Armed clash"},
				"actor1":          {in.Actor1, "Taliban"},
				"actor2":          {in.Actor2, "Military Forces of Afghanistan (2014-2021)"},
				"country":         {in.Country, "AF"},
				"admin1":          {in.Admin1, "Helmand"},
				"admin2":          {in.Admin2, "Musa Qala"},
				"location":        {in.Location, "Musa Qala"},
				"geo_precision":   {in.GeoPrecision, 2},
				"fatalities":      {*in.Fatalities, 7},
				"notes":           {in.Notes, `Taliban said "we attacked", officials said`},
				"point":           {in.Point(), in.Point()},
				"sources":         {len(in.Sources), 2},
				"publisher 2":     {in.Sources[1].Publisher, `"Tolo" News`},
			}
			if p := in.Point(); p[0] != 64.7495 || p[1] != 32.4522 {
				t.Errorf("point = %v, want [64.7495 32.4522]", p)
			}
			for name, v := range checks {
				if v[0] != v[1] {
					t.Errorf("%s = %v, want %v", name, v[0], v[1])
				}
			}
		})
	}
}

// rewriteCSV re-encodes a CSV text with another delimiter and line end.
func rewriteCSV(t *testing.T, data string, comma rune, crlf bool) string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	w.WriteAll(recs)
	return b.String()
}

// TestBadRows checks that every kind of bad row is rejected with its row and
// column while the good rows around it are imported, and that bad files fail
// as a whole with a clear error.
func TestBadRows(t *testing.T) {
	good := `G1,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,ok,3,,1`
	rows := []struct {
		row, column, reason string
	}{
		{`B1,2019-02-30,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,bad date,3,,1`, "event_date", "calendar"},
		{`B2,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,94.7495,32.4522,1,Src,National,swapped,3,,1`, "latitude", "swapped"},
		{`B3,2019-09-23,2019,1,Political violence,Fights,,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,bad type,3,,1`, "event_type", "not an ACLED event type"},
		{`B4,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,negative,-3,,1`, "fatalities", "negative"},
		{`B5,2019-09-23,2019,1,Political violence,Battles`, "", "fields but the header has 31"},
		{`,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,no id,3,,1`, "event_id_cnty", "empty"},
		{`B7,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Atlantis,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,country,3,,1`, "", ""}, // numeric iso 4 still resolves: imported
		{`B8,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,,Asia,Atlantis,Helmand,Musa Qala,,Musa Qala,32.4522,64.7495,1,Src,National,country,3,,1`, "country", "unknown country"},
		{`B9,2019-09-23,2019,1,Political violence,Battles,Armed clash,A,,1,B,,1,11,,4,Asia,Afghanistan,Helmand,Musa Qala,,Musa Qala,32.4522,abc,1,Src,National,lon,3,,1`, "longitude", "not a number"},
	}
	var b strings.Builder
	b.WriteString(acledHeader + "\n" + good + "\n")
	for _, r := range rows {
		b.WriteString(r.row + "\n")
	}
	b.WriteString(strings.Replace(good, "G1", "G2", 1) + "\n")
	st := openStore(t)
	rep := importString(t, st, FormatACLED, b.String())
	if rep.Inserted != 3 { // G1, B7, G2
		t.Errorf("inserted %d, want 3 (G1, B7, G2)", rep.Inserted)
	}
	byRow := map[int]RowError{}
	for _, e := range rep.Rejections {
		byRow[e.Row] = e
	}
	for i, r := range rows {
		line := i + 3
		e, rejected := byRow[line]
		if r.reason == "" {
			if rejected {
				t.Errorf("line %d rejected: %v", line, e)
			}
			continue
		}
		if !rejected {
			t.Errorf("line %d (%s) was not rejected", line, r.column)
			continue
		}
		if e.Column != r.column || !strings.Contains(e.Reason, r.reason) {
			t.Errorf("line %d: rejection %q / %q, want column %q and a reason containing %q", line, e.Column, e.Reason, r.column, r.reason)
		}
	}

	t.Run("missing column", func(t *testing.T) {
		_, err := NewReader(FormatACLED, strings.NewReader("event_id_cnty,event_date,latitude\nX,2019-01-01,3\n"), ReaderOptions{})
		if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "longitude") {
			t.Errorf("err = %v, want ErrInput naming longitude", err)
		}
	})
	t.Run("wrong delimiter", func(t *testing.T) {
		// A colon-delimited file reads as one column: the error lists it.
		_, err := NewReader(FormatACLED, strings.NewReader("event_id_cnty:event_date:latitude:longitude\n"), ReaderOptions{})
		if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "1 columns") {
			t.Errorf("err = %v, want ErrInput saying the header has 1 column", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		_, err := NewReader(FormatUCDP, strings.NewReader(""), ReaderOptions{})
		if !errors.Is(err, ErrInput) {
			t.Errorf("err = %v, want ErrInput", err)
		}
	})
}

// TestSwappedCountryCheck needs the gazetteer: a point in the wrong country
// is rejected, and one whose swap lands inside says so.
func TestSwappedCountryCheck(t *testing.T) {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatalf("loading the built-in gazetteer: %v", err)
	}
	p := places{gaz: gaz}
	if _, _, err := p.checkPoint("AF", orbPoint(64.7495, 32.4522), false); err != nil {
		t.Errorf("Musa Qala in AF rejected: %v", err)
	}
	_, col, err := p.checkPoint("AF", orbPoint(32.4522, 64.7495), false)
	if err == nil || col != "latitude" || !strings.Contains(err.Error(), "swapped") {
		t.Errorf("swapped AF point: %q, %v; want latitude, swapped", col, err)
	}
	if _, _, err := p.checkPoint("NG", orbPoint(64.7495, 32.4522), false); err == nil || !strings.Contains(err.Error(), "Afghanistan") {
		t.Errorf("a point in Afghanistan for Nigeria: %v; want an error naming Afghanistan", err)
	}
	// Fiji and Russia span the antimeridian: their far-side towns belong.
	for _, c := range []struct {
		cc       string
		lon, lat float64
	}{{"FJ", -178.81232, -18.23652}, {"RU", -173.22641, 64.42289}, {"KI", 172.97696, 1.3278}} {
		if _, _, err := p.checkPoint(c.cc, orbPoint(c.lon, c.lat), false); err != nil {
			t.Errorf("%v in %s rejected: %v", orbPoint(c.lon, c.lat), c.cc, err)
		}
	}
	// UCDP names the country of the time: the point's country today wins.
	if cc, _, err := p.checkPoint("SD", orbPoint(29.476944, 4.914722), true); err != nil || cc != "SS" {
		t.Errorf("historical Sudan point in today's South Sudan: %q, %v; want SS", cc, err)
	}
}

// TestUCDPSample imports the 1,000 real UCDP GED rows from the shared data.
func TestUCDPSample(t *testing.T) {
	path := filepath.Join(sharedDir(t), "data", "ucdp_ged231_sample1000.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("UCDP sample not found: %v", err)
	}
	defer f.Close()
	gaz, _ := gazetteer.Builtin() // nil is fine: no country check then
	src, err := NewReader(FormatUCDP, f, ReaderOptions{Gazetteer: gaz})
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	rep, err := NewImporter(st).Import(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("UCDP sample: %+v", rep)
	if rep.Read != 1000 || rep.Inserted != 1000 || rep.Rejected != 0 {
		t.Errorf("report %+v: want 1000 read and inserted", rep)
	}
	for _, e := range rep.Rejections {
		t.Logf("rejected: %v", e)
	}
	// The first row of the sample: UCDP id 300380, Syria, 2013-01-03.
	var got *incident.Incident
	_, err = st.Query(context.Background(), store.Query{SourceEventIDs: []string{"ucdp:300380"}}, func(in *incident.Incident) error {
		c := *in
		got = &c
		return nil
	})
	if err != nil || got == nil {
		t.Fatalf("ucdp:300380 not found: %v", err)
	}
	if got.Country != "SY" || got.EventDate != "2013-01-03" || got.EventType != incident.Battles ||
		got.Admin1 != "Idlib" || got.Admin2 != "Ariha" || got.GeoPrecision != 1 || got.Fatalities == nil || *got.Fatalities != 2 {
		t.Errorf("ucdp:300380 = %+v", got)
	}
	n, _ := st.Count(context.Background(), store.Query{EventTypes: []string{incident.ViolenceAgainstCivilians}})
	if n < 100 {
		t.Errorf("%d one-sided events imported, want the sample's ~160", n)
	}
}

// TestBareQuotes accepts quotes inside unquoted fields, as spreadsheets and
// hand-written files have them, and a quoted field spanning lines.
func TestBareQuotes(t *testing.T) {
	data := "date,lat,lon,notes\n" +
		"2021-03-05,32.45,64.74,He said \"no\" loudly\n" +
		"2021-03-06,32.45,64.74,\"two\nlines, one \"\"quote\"\"\"\n" +
		"2021-03-07,32.45,64.74,5\" rain\n"
	src, err := NewReader(FormatCSV, strings.NewReader(data), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, rej := readAll(t, src)
	if len(rej) != 0 || len(got) != 3 {
		t.Fatalf("%d incidents, rejections %v", len(got), rej)
	}
	for i, want := range []string{`He said "no" loudly`, "two\nlines, one \"quote\"", `5" rain`} {
		if got[i].Notes != want {
			t.Errorf("row %d notes = %q, want %q", i+2, got[i].Notes, want)
		}
	}
}
