package cql2

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var placeholderRE = regexp.MustCompile(`\$[0-9]+`)

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
	props := []Column{
		column("geometry", Geometry, "i.geom", ""),
		column("event_date", Date, "i.event_date", "COALESCE(i.event_end_date, i.event_date)"),
		column("created", Timestamp, "i.created", ""),
		column("event_type", String, "i.event_type", ""),
		column("actor1", String, "i.actor1", ""),
		column("country", String, "i.country", ""),
		column("fatalities", Integer, "i.fatalities", ""),
		column("a", Number, "i.confidence", ""),
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
		sql, args, err := ToSQL(e, props, numbered{})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ToSQL(%q) error %T is not *Error", text, err)
			}
			return
		}
		// Placeholders $1..$n, each once, one per argument.
		refs := placeholderRE.FindAllString(sql, -1)
		for i, ref := range refs {
			if ref != "$"+strconv.Itoa(i+1) {
				t.Fatalf("ToSQL(%q) = %q: placeholder %d is %s", text, sql, i+1, ref)
			}
		}
		if len(refs) != len(args) {
			t.Fatalf("ToSQL(%q) = %q with %d placeholders but %d args", text, sql, len(refs), len(args))
		}
	})
}

// BenchmarkParseToSQL measures a typical QGIS-sized filter, parsed and
// translated on every items request.
func BenchmarkParseToSQL(b *testing.B) {
	const filter = "event_type IN ('Battles','Riots') AND fatalities > 3 AND T_INTERSECTS(event_date, INTERVAL('2020-01-01','..')) AND S_INTERSECTS(geometry, POLYGON((60 25, 75 25, 75 37, 60 25)))"
	props := []Column{
		column("geometry", Geometry, "i.geom", ""),
		column("event_date", Date, "i.event_date", "COALESCE(i.event_end_date, i.event_date)"),
		column("event_type", String, "i.event_type", ""),
		column("fatalities", Integer, "i.fatalities", ""),
	}
	for b.Loop() {
		e, err := Parse(filter)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := ToSQL(e, props, numbered{}); err != nil {
			b.Fatal(err)
		}
	}
}

func column(name string, t Type, sql, endSQL string) Column {
	return Column{Queryable: Queryable{Name: name, Type: t}, SQL: sql, EndSQL: endSQL}
}

// numbered is a dialect with numbered placeholders ($1, $2...), so that the
// fuzz target can tell each argument's use.
type numbered struct{}

func (numbered) Placeholder(n int) string { return "$" + strconv.Itoa(n) }
func (numbered) Bool(v bool) string       { return strings.ToUpper(strconv.FormatBool(v)) }
func (numbered) Day(sql string) string    { return "day(" + sql + ")" }
func (numbered) Like(x, pat string, ci bool, arg func(any) string) string {
	if ci {
		return x + " ILIKE " + arg(pat)
	}
	return x + " LIKE " + arg(pat)
}
func (numbered) Intersects(col string, g *GeometryLiteral, arg func(any) string) (string, error) {
	return "intersects(" + col + ", " + arg(g.Geometry) + ")", nil
}
