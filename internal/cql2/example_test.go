package cql2_test

import (
	"fmt"
	"strconv"

	"github.com/incidentmap/incidentmap/internal/cql2"
)

// postgres is a dialect with numbered placeholders, as PostgreSQL writes
// them; a store supplies its own.
type postgres struct{}

func (postgres) Placeholder(n int) string { return "$" + strconv.Itoa(n) }
func (postgres) Bool(v bool) string {
	if v {
		return "TRUE"
	}
	return "FALSE"
}
func (postgres) Day(sql string) string { return "(" + sql + " AT TIME ZONE 'UTC')::date" }
func (postgres) Like(x, pattern string, ci bool, arg func(any) string) string {
	if ci {
		return x + " ILIKE " + arg(pattern)
	}
	return x + " LIKE " + arg(pattern)
}
func (postgres) Intersects(col string, g *cql2.GeometryLiteral, arg func(any) string) (string, error) {
	b := g.Bounds[0]
	return fmt.Sprintf("ST_Intersects(%s, ST_MakeEnvelope(%s, %s, %s, %s, 4326))", col, arg(b.Min[0]), arg(b.Min[1]), arg(b.Max[0]), arg(b.Max[1])), nil
}

func Example() {
	columns := []cql2.Column{
		{Queryable: cql2.Queryable{Name: "event_type", Type: cql2.String}, SQL: "event_type"},
		{Queryable: cql2.Queryable{Name: "fatalities", Type: cql2.Integer}, SQL: "fatalities"},
		{Queryable: cql2.Queryable{Name: "event_date", Type: cql2.Date}, SQL: "event_date", EndSQL: "COALESCE(event_end_date, event_date)"},
	}
	e, err := cql2.Parse("event_type = 'Battles' AND NOT fatalities < 10 AND T_INTERSECTS(event_date, INTERVAL('2020-01-01', '..'))")
	if err != nil {
		fmt.Println(err)
		return
	}
	sql, args, err := cql2.ToSQL(e, columns, postgres{})
	fmt.Println(sql)
	fmt.Println(args, err)

	_, err = cql2.Parse("fatalities > 10 AND notes LIKE 'ambush%'")
	fmt.Println(err)
	e, _ = cql2.Parse("fatalitiez > 10")
	_, _, err = cql2.ToSQL(e, columns, postgres{})
	fmt.Println(err)
	// Output:
	// (event_type = $1) AND (NOT COALESCE(fatalities < $2, FALSE)) AND (COALESCE(event_end_date, event_date) >= $3)
	// [Battles 10 2020-01-01] <nil>
	// <nil>
	// unknown property at character 1: "fatalitiez" is not a queryable property; the queryables are event_date, event_type, fatalities
}
