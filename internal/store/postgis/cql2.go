package postgis

import (
	"fmt"
	"strconv"

	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/store"
)

// dialect writes CQL2 conditions (store.Query.Filters) for PostgreSQL and
// PostGIS over the columns of store.FilterColumns.
type dialect struct{}

func (dialect) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

func (dialect) Bool(v bool) string { return strconv.FormatBool(v) }

// Day reads a timestamptz's UTC calendar day as a date, which compares
// with date columns and with YYYY-MM-DD parameters.
func (dialect) Day(sql string) string { return "((" + sql + ") AT TIME ZONE 'UTC')::date" }

// Like is PostgreSQL's LIKE or ILIKE, whose wildcards and backslash escape
// are CQL2's.
func (dialect) Like(x, pattern string, caseInsensitive bool, arg func(any) string) string {
	op := " LIKE "
	if caseInsensitive {
		op = " ILIKE "
	}
	return x + op + arg(store.LikeEscaped(pattern))
}

// Intersects is PostGIS's ST_Intersects, which finds candidates through
// the GiST index by itself.
func (dialect) Intersects(col string, g *cql2.GeometryLiteral, arg func(any) string) (string, error) {
	b, err := wkb.Marshal(g.Geometry)
	if err != nil {
		return "", fmt.Errorf("encoding a filter geometry: %w", err)
	}
	return "ST_Intersects(" + col + ", ST_GeomFromWKB(" + arg(b) + ", 4326))", nil
}

// addFilters adds q's CQL2 filters to w, renumbering their parameters
// after w's.
func addFilters(w *where, filters []cql2.Expr) error {
	for _, e := range filters {
		sql, args, err := cql2.ToSQL(e, store.FilterColumns(), offsetDialect{base: len(w.args)})
		if err != nil {
			return &store.FilterError{Filter: "filter", Reason: err.Error(), Err: err}
		}
		w.add("(" + sql + ")")
		w.args = append(w.args, args...)
	}
	return nil
}

// offsetDialect numbers parameters after the base ones already in a query.
type offsetDialect struct {
	dialect
	base int
}

func (d offsetDialect) Placeholder(n int) string { return d.dialect.Placeholder(d.base + n) }
