package cql2

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to the parser and the translator: neither
// may panic, both fail only with *Error (which names a position), and every
// SQL they write must have one argument per
// placeholder, since filter text must never reach the SQL itself.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"event_type = 'Battles'",
		"fatalities > 5 AND country IN ('AF','PK')",
		"NOT (actor1 LIKE 'Tal%' OR actor1 ILIKE '%army%')",
		"fatalities BETWEEN 1 AND 10 OR fatalities IS NULL",
		`"event_type" <> 'it''s'`,
		"event_date >= DATE('2020-01-01') AND created < TIMESTAMP('2021-01-01T00:00:00Z')",
		"S_INTERSECTS(geometry, BBOX(60,29,75,38.5))",
		"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1, 0 0)))",
		"S_INTERSECTS(geometry, MULTIPOINT((1 2),(3 4)))",
		"S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))",
		"T_INTERSECTS(event_date, INTERVAL('2019-01-01','..'))",
		"TRUE", "((a = 1))", "a = -1.5e3", "a != 1", "'", "\"", "S_INTERSECTS(", "BBOX(1,2,3,4",
	} {
		f.Add(seed)
	}
	props := []Queryable{
		{Name: "geometry", Type: Geometry, SQL: "i.geom"},
		{Name: "event_date", Type: Date, SQL: "i.event_date", EndSQL: "COALESCE(i.event_end_date, i.event_date)"},
		{Name: "created", Type: Timestamp, SQL: "i.created"},
		{Name: "event_type", Type: String, SQL: "i.event_type"},
		{Name: "actor1", Type: String, SQL: "i.actor1"},
		{Name: "country", Type: String, SQL: "i.country"},
		{Name: "fatalities", Type: Integer, SQL: "i.fatalities"},
		{Name: "a", Type: Number, SQL: "i.confidence"},
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, err := Parse(text)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) error %T is not *Error", text, err)
			}
			return
		}
		if e == nil {
			t.Fatalf("Parse(%q) returned neither an expression nor an error", text)
		}
		sql, args, err := ToSQL(e, props)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ToSQL(%q) error %T is not *Error", text, err)
			}
			return
		}
		if n := strings.Count(sql, "?"); n != len(args) {
			t.Fatalf("ToSQL(%q) = %q with %d placeholders but %d args", text, sql, n, len(args))
		}
	})
}

// BenchmarkParseToSQL measures a typical QGIS-sized filter, parsed and
// translated on every items request.
func BenchmarkParseToSQL(b *testing.B) {
	const filter = "event_type IN ('Battles','Riots') AND fatalities > 3 AND T_INTERSECTS(event_date, INTERVAL('2020-01-01','..')) AND S_INTERSECTS(geometry, POLYGON((60 25, 75 25, 75 37, 60 25)))"
	props := []Queryable{
		{Name: "geometry", Type: Geometry, SQL: "i.geom"},
		{Name: "event_date", Type: Date, SQL: "i.event_date", EndSQL: "COALESCE(i.event_end_date, i.event_date)"},
		{Name: "event_type", Type: String, SQL: "i.event_type"},
		{Name: "fatalities", Type: Integer, SQL: "i.fatalities"},
	}
	for b.Loop() {
		e, err := Parse(filter)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := ToSQL(e, props); err != nil {
			b.Fatal(err)
		}
	}
}
