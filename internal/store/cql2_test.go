package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// fixture stores a handful of incidents named by their location.
func cql2Fixture(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "cql2.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mk := func(loc, country, typ, actor string, g orb.Geometry, date, end string, fat *int) incident.Incident {
		return incident.Incident{Location: loc, Country: country, EventType: typ, Actor1: actor,
			Geometry: g, EventDate: date, EventEndDate: end, Fatalities: fat}
	}
	_, err = s.Insert(ctx, []incident.Incident{
		mk("Musa Qala", "AF", incident.Battles, "Taliban", orb.Point{64.7449, 32.4456}, "2019-09-23", "", incident.Int(7)),
		mk("Lashkar Gah", "AF", incident.ExplosionsRemoteViolence, "Military Forces of Afghanistan", orb.Point{64.3692, 31.583}, "2019-09-10", "2019-09-12", incident.Int(0)),
		mk("Quetta", "PK", incident.Protests, "Protesters (Pakistan)", orb.Point{66.99, 30.18}, "2020-01-05", "", nil),
		mk("Suva", "FJ", incident.Riots, "Rioters [100%]", orb.Point{178.44, -18.14}, "2021-03-01", "", incident.Int(2)),
		// A road blockade along a line, to test exact intersection beyond envelopes.
		mk("Highway", "AF", incident.StrategicDevelopments, "taliban", orb.LineString{{65, 31}, {66, 32}}, "2019-12-31", "2020-01-02", incident.Int(1)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func runFilter(t *testing.T, s *store.Store, filter string) ([]string, error) {
	t.Helper()
	e, err := cql2.Parse(filter)
	if err != nil {
		return nil, err
	}
	if err := store.CheckFilter(e); err != nil {
		return nil, err
	}
	var got []string
	_, err = s.Query(context.Background(), store.Query{Filters: []cql2.Expr{e}}, func(in *incident.Incident) error {
		got = append(got, in.Location)
		return nil
	})
	if err != nil {
		t.Fatalf("query for %q: %v", filter, err)
	}
	slices.Sort(got)
	return got, nil
}

func TestCQL2Selects(t *testing.T) {
	s := cql2Fixture(t)
	tests := []struct {
		filter string
		want   string // sorted locations, comma-separated
	}{
		{"event_type = 'Battles'", "Musa Qala"},
		{"'Battles' = event_type", "Musa Qala"},
		{"event_type <> 'Battles'", "Highway,Lashkar Gah,Quetta,Suva"},
		{"fatalities > 1", "Musa Qala,Suva"},
		{"fatalities >= 0.5 AND fatalities <= 2", "Highway,Suva"},
		{"fatalities IS NULL", "Quetta"},
		{"NOT fatalities IS NULL AND country = 'AF'", "Highway,Lashkar Gah,Musa Qala"},
		// Two-valued logic: a comparison with an unknown value is false, its negation true.
		{"fatalities > 1 OR fatalities <= 1", "Highway,Lashkar Gah,Musa Qala,Suva"},
		{"NOT (fatalities > 1)", "Highway,Lashkar Gah,Quetta"},
		{"NOT (fatalities > 1 OR country = 'FJ')", "Highway,Lashkar Gah,Quetta"},
		{"NOT (NOT (fatalities > 1))", "Musa Qala,Suva"},
		{"fatalities NOT IN (0, 1)", "Musa Qala,Quetta,Suva"},
		{"country IN ('PK', 'FJ')", "Quetta,Suva"},
		{"country NOT IN ('AF')", "Quetta,Suva"},
		{"fatalities BETWEEN 1 AND 7", "Highway,Musa Qala,Suva"},
		{"fatalities NOT BETWEEN 1 AND 7", "Lashkar Gah,Quetta"},
		{"event_type = 'Riots' OR (country = 'AF' AND fatalities = 0)", "Lashkar Gah,Suva"},
		{"TRUE AND NOT FALSE AND country = 'PK'", "Quetta"},
		// LIKE is case-sensitive; ILIKE is not.
		{"actor1 LIKE 'Tali%'", "Musa Qala"},
		{"actor1 ILIKE 'tali%'", "Highway,Musa Qala"},
		{"actor1 LIKE '%(Pakistan)'", "Quetta"},
		{"actor1 LIKE 'Rioters [100\\%]'", "Suva"},
		{"location LIKE 'Su_a'", "Suva"},
		{"actor1 NOT LIKE '%a%'", "Suva"},
		{"location NOT LIKE 'S%' AND country <> 'AF'", "Quetta"},
		// Dates: event_date stands for the incident's whole span.
		{"event_date >= DATE('2020-01-01')", "Quetta,Suva"},
		{"event_date < '2019-09-23'", "Lashkar Gah"},
		{"event_date >= '2020-01-01T'", "Quetta,Suva"}, // as GDAL writes it
		{"event_date BETWEEN DATE('2019-09-01') AND DATE('2019-09-30')", "Lashkar Gah,Musa Qala"},
		{"T_INTERSECTS(event_date, DATE('2019-09-11'))", "Lashkar Gah"},
		{"T_INTERSECTS(event_date, INTERVAL('2020-01-01', '..'))", "Highway,Quetta,Suva"},
		{"T_INTERSECTS(INTERVAL('..', '2019-09-10'), event_date)", "Lashkar Gah"},
		{"T_INTERSECTS(event_date, INTERVAL('..', '..'))", "Highway,Lashkar Gah,Musa Qala,Quetta,Suva"},
		{"T_INTERSECTS(created, INTERVAL('2000-01-01', '..'))", "Highway,Lashkar Gah,Musa Qala,Quetta,Suva"},
		{"created < TIMESTAMP('2000-01-01T00:00:00Z')", ""},
		// Space.
		{"S_INTERSECTS(geometry, BBOX(64, 31.5, 65, 33))", "Lashkar Gah,Musa Qala"},
		{"S_INTERSECTS(geometry, BBOX(170, -30, -170, 0))", "Suva"},
		{"S_INTERSECTS(geometry, POINT(64.7449 32.4456))", "Musa Qala"},
		{"S_INTERSECTS(geometry, POINT(65.5 31.5))", "Highway"},
		// The box (65.6..66, 31..31.3) holds part of the line's envelope but not the line.
		{"S_INTERSECTS(geometry, BBOX(65.6, 31, 66, 31.3))", ""},
		{"S_INTERSECTS(geometry, POLYGON((64 31, 65 31, 65 33, 64 33, 64 31)))", "Highway,Lashkar Gah,Musa Qala"},
		{"S_INTERSECTS(geometry, POLYGON((64 31, 65 31, 65 33, 64 33, 64 31), (64.3 31.5, 64.4 31.5, 64.4 31.6, 64.3 31.6, 64.3 31.5)))", "Highway,Musa Qala"},
		{"S_INTERSECTS(geometry, LINESTRING(65 32, 66 31))", "Highway"},
		{"geometry IS NOT NULL AND S_INTERSECTS(BBOX(66, 30, 67, 31), geometry)", "Quetta"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got, err := runFilter(t, s, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
		})
	}
}

func TestCQL2Rejects(t *testing.T) {
	tests := []struct {
		filter  string
		err     error
		mention string
	}{
		{"fatalitys > 1", cql2.ErrUnknownProperty, `"fatalitys" is not a queryable property`},
		{"tags = 'x'", cql2.ErrUnknownProperty, "event_type"}, // lists what is queryable
		{"fatalities = 'seven'", cql2.ErrType, "cannot compare fatalities (integer) with 'seven' (string)"},
		{"event_date = 'yesterday'", cql2.ErrType, "DATE('YYYY-MM-DD')"},
		{"fatalities LIKE '1%'", cql2.ErrType, "LIKE needs text"},
		{"actor1 LIKE location", cql2.ErrUnsupported, "quoted string"},
		{"country BETWEEN 'A' AND 'B'", cql2.ErrType, "BETWEEN needs numbers"},
		{"'AF' IN (country)", cql2.ErrUnsupported, "left side of IN"},
		{"geometry = 'x'", cql2.ErrType, "S_INTERSECTS"},
		{"S_INTERSECTS(event_date, POINT(1 2))", cql2.ErrType, "geometry property"},
		{"S_INTERSECTS(geometry, geometry)", cql2.ErrUnsupported, "two properties"},
		{"S_INTERSECTS(POINT(1 1), POINT(1 1))", cql2.ErrUnsupported, "two literals"},
		{"S_INTERSECTS(geometry, 'x')", cql2.ErrType, "geometry literal"},
		{"T_INTERSECTS(fatalities, DATE('2020-01-01'))", cql2.ErrType, "date or timestamp property"},
		{"T_INTERSECTS(event_date, '2020-01-01')", cql2.ErrType, "DATE(...)"},
		{"event_date = INTERVAL('2020-01-01', '..')", cql2.ErrType, "T_INTERSECTS"},
		// Work limits (issue 12, finding 4): backtracking patterns, and many of them.
		{"actor1 LIKE '%_a%_b%_c%_d%_e'", cql2.ErrTooCostly, "at most 3 % wildcards, not 5"},
		{strings.Repeat("actor1 LIKE '%a%' OR ", 8) + "actor1 LIKE 'b'", cql2.ErrTooCostly, "at most 8 LIKE comparisons"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			e, err := cql2.Parse(tt.filter)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = store.CheckFilter(e)
			var fe *store.FilterError
			if !errors.As(err, &fe) || fe.Filter != "filter" {
				t.Fatalf("error %v is not a *store.FilterError naming filter", err)
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
}

func TestPropertyFilter(t *testing.T) {
	s := cql2Fixture(t)
	tests := []struct {
		name, value string
		want        string // sorted locations, or the error's reason
	}{
		{"event_type", "Battles", "Musa Qala"},
		{"country", "pk", "Quetta"},
		{"fatalities", "0", "Lashkar Gah"},
		{"event_date", "2019-09-10", "Lashkar Gah"},
		{"confidence", "0.5", ""},
		{"fatalities", "seven", `must be a whole number, not "seven"`},
		{"event_date", "2019-9-10", "must be a date YYYY-MM-DD"},
		{"confidence", "high", "must be a number"},
		{"geometry", "POINT(1 2)", "is not a property that can be filtered by equality"},
		{"tags", "x", "is not a property that can be filtered by equality"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			e, err := store.PropertyFilter(tt.name, tt.value)
			if err != nil {
				var fe *store.FilterError
				if !errors.As(err, &fe) || fe.Filter != tt.name || !strings.Contains(fe.Reason, tt.want) {
					t.Fatalf("error %v, want a *store.FilterError naming %s saying %q", err, tt.name, tt.want)
				}
				return
			}
			var got []string
			if _, err := s.Query(context.Background(), store.Query{Filters: []cql2.Expr{e}}, func(in *incident.Incident) error {
				got = append(got, in.Location)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}
