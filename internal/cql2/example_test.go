package cql2_test

import (
	"fmt"

	"github.com/incidentmap/incidentmap/internal/cql2"
)

func Example() {
	e, err := cql2.Parse("event_type = 'Battles' AND fatalities >= 10 AND T_INTERSECTS(event_date, INTERVAL('2020-01-01', '..'))")
	if err != nil {
		fmt.Println(err)
		return
	}
	sql, args, err := cql2.ToSQL(e, []cql2.Queryable{
		{Name: "event_type", Type: cql2.String, SQL: "event_type"},
		{Name: "fatalities", Type: cql2.Integer, SQL: "fatalities"},
		{Name: "event_date", Type: cql2.Date, SQL: "event_date", EndSQL: "COALESCE(event_end_date, event_date)"},
	})
	fmt.Println(sql)
	fmt.Println(args, err)

	_, err = cql2.Parse("fatalities > 10 AND notes LIKE 'ambush%'")
	fmt.Println(err)
	e, _ = cql2.Parse("fatalitiez > 10")
	_, _, err = cql2.ToSQL(e, []cql2.Queryable{{Name: "fatalities", Type: cql2.Integer, SQL: "fatalities"}})
	fmt.Println(err)
	// Output:
	// (event_type = ?) AND (fatalities >= ?) AND (COALESCE(event_end_date, event_date) >= ?)
	// [Battles 10 2020-01-01] <nil>
	// <nil>
	// unknown property at character 1: "fatalitiez" is not a queryable property; the queryables are fatalities
}
