package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/cql2"
)

// incidentColumns lists the incident properties filters may name, with the
// incidents columns behind them (the table names its columns as the public
// properties, aliased i). tags and sources are JSON arrays and are left out.
func incidentColumns() []cql2.Column {
	col := func(name string, t cql2.Type, desc string) cql2.Column {
		return cql2.Column{Queryable: cql2.Queryable{Name: name, Type: t, Description: desc}, SQL: "i." + name}
	}
	str := func(name, desc string) cql2.Column { return col(name, cql2.String, desc) }
	geom := col("geometry", cql2.Geometry, "where the incident happened (lon/lat)")
	geom.SQL = "i.geom"
	eventDate := col("event_date", cql2.Date, "first day; in T_INTERSECTS it stands for the whole span up to event_end_date")
	eventDate.EndSQL = "COALESCE(i.event_end_date, i.event_date)"
	return []cql2.Column{
		geom,
		str("id", "the incident's stable id"),
		eventDate,
		col("event_end_date", cql2.Date, "last day, when the incident lasted several days"),
		str("date_precision", "day, week, month or year"),
		str("event_type", "ACLED event type"),
		str("sub_event_type", "ACLED sub-event type"),
		str("actor1", "first actor"),
		str("actor2", "second actor"),
		str("assoc_actor_1", "actor associated with actor1"),
		str("assoc_actor_2", "actor associated with actor2"),
		str("inter1", "ACLED actor type code of actor1, one per actor"),
		str("inter2", "ACLED actor type code of actor2, one per actor"),
		col("fatalities", cql2.Integer, "best estimate of deaths; null when unknown"),
		col("civilian_fatalities", cql2.Integer, "civilian deaths; null when unknown"),
		col("injured", cql2.Integer, "people injured; null when unknown"),
		str("location", "the place as named"),
		str("admin1", "first-level administrative division"),
		str("admin2", "second-level administrative division"),
		str("country", "ISO 3166-1 alpha-2 code"),
		col("geo_precision", cql2.Integer, "1 town, 2 near a town or district, 3 region, 4 country"),
		str("place_id", "gazetteer id of the resolved place"),
		str("notes", "description"),
		col("confidence", cql2.Number, "0..1, for automatically extracted incidents"),
		str("source_event_id", "id in the dataset the incident was imported from"),
		col("created", cql2.Timestamp, "when the incident was stored"),
		col("updated", cql2.Timestamp, "when the incident last changed"),
	}
}

// Queryables lists the incident properties that Query.Filters may name, in
// the order the queryables document shows them.
func Queryables() []cql2.Queryable {
	cols := incidentColumns()
	out := make([]cql2.Queryable, len(cols))
	for i, c := range cols {
		out[i] = c.Queryable
	}
	return out
}

// CheckFilter reports whether e names only queryables, with types that
// compare and within the work limits, as a *FilterError for the filter
// named "filter" (wrapping the *cql2.Error). Every store accepts exactly
// the filters it accepts.
func CheckFilter(e cql2.Expr) error {
	if _, _, err := cql2.ToSQL(e, incidentColumns(), sqliteDialect{}); err != nil {
		return &FilterError{Filter: "filter", Reason: err.Error(), Err: err}
	}
	return nil
}

// PropertyFilter returns the filter "name equals value", value read as the
// queryable's type (a whole number, a date YYYY-MM-DD, text; a country code
// in capitals), or a *FilterError naming the property.
func PropertyFilter(name, value string) (cql2.Expr, error) {
	var q *cql2.Queryable
	for _, c := range Queryables() {
		if c.Name == name {
			q = &c
			break
		}
	}
	if q == nil || q.Type == cql2.Geometry {
		return nil, &FilterError{Filter: name, Reason: "is not a property that can be filtered by equality"}
	}
	lit := &cql2.Literal{Kind: cql2.StringLit, Value: value}
	switch q.Type {
	case cql2.Integer:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return nil, &FilterError{Filter: name, Reason: fmt.Sprintf("must be a whole number, not %q", value)}
		}
		lit = &cql2.Literal{Kind: cql2.NumberLit, Value: n}
	case cql2.Number:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return nil, &FilterError{Filter: name, Reason: fmt.Sprintf("must be a number, not %q", value)}
		}
		lit = &cql2.Literal{Kind: cql2.NumberLit, Value: f}
	case cql2.Date:
		if _, err := time.Parse(time.DateOnly, value); err != nil {
			return nil, &FilterError{Filter: name, Reason: fmt.Sprintf("must be a date YYYY-MM-DD, not %q", value)}
		}
		lit = &cql2.Literal{Kind: cql2.DateLit, Value: value}
	case cql2.Timestamp:
		ts, err := time.Parse(time.RFC3339Nano, value)
		if err != nil {
			return nil, &FilterError{Filter: name, Reason: fmt.Sprintf("must be an RFC 3339 date-time, not %q", value)}
		}
		lit = &cql2.Literal{Kind: cql2.TimestampLit, Value: ts.UTC()}
	default:
		if name == "country" {
			lit.Value = strings.ToUpper(value)
		}
	}
	return &cql2.Compare{Op: "=", Left: &cql2.Property{Name: name}, Right: lit}, nil
}

// filterSQL translates q's filters into conditions over the incidents
// columns (aliased i).
func filterSQL(filters []cql2.Expr) ([]string, []any, error) {
	var conds []string
	var args []any
	for _, e := range filters {
		sql, a, err := cql2.ToSQL(e, incidentColumns(), sqliteDialect{})
		if err != nil {
			return nil, nil, &FilterError{Filter: "filter", Reason: err.Error(), Err: err}
		}
		conds = append(conds, "("+sql+")")
		args = append(args, a...)
	}
	return conds, args, nil
}

// withFilterBox sets q's box from a filter that demands one, when q has
// none: the spatial index then finds the candidates, and the filter still
// decides exactly.
func (q Query) withFilterBox() Query {
	if q.BBox != nil {
		return q
	}
	for _, e := range q.Filters {
		if bd, ok := cql2.RequiredBound(e); ok {
			box := geo.FromBound(bd)
			q.BBox = &box
			return q
		}
	}
	return q
}

// sqliteDialect writes CQL2 conditions for SQLite and the store's SQL
// functions.
type sqliteDialect struct{}

func (sqliteDialect) Placeholder(int) string { return "?" }

func (sqliteDialect) Bool(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// Day cuts the day off the fixed-width UTC text timestamps are stored as.
func (sqliteDialect) Day(sql string) string { return "substr(" + sql + ", 1, 10)" }

// Like writes case-sensitive CQL2 LIKE as GLOB, and ILIKE as SQLite's
// ASCII case-insensitive LIKE.
func (sqliteDialect) Like(x, pattern string, caseInsensitive bool, arg func(any) string) string {
	if caseInsensitive {
		return x + " LIKE " + arg(likeToLike(pattern)) + ` ESCAPE '\'`
	}
	return x + " GLOB " + arg(likeToGlob(pattern))
}

// Intersects tests the envelopes first, cheap and rejecting most rows,
// then the exact geometry with the store's im_intersects.
func (sqliteDialect) Intersects(col string, g *cql2.GeometryLiteral, arg func(any) string) (string, error) {
	blob, err := geo.EncodeGPKG(g.Geometry, geo.SRSWGS84)
	if err != nil {
		return "", err
	}
	envs := make([]string, len(g.Bounds))
	for i, bd := range g.Bounds {
		envs[i] = fmt.Sprintf("im_envelope_intersects(%s, %s, %s, %s, %s)", col,
			arg(bd.Min[0]), arg(bd.Min[1]), arg(bd.Max[0]), arg(bd.Max[1]))
	}
	env := strings.Join(envs, " OR ")
	if len(envs) > 1 {
		env = "(" + env + ")"
	}
	return env + " AND im_intersects(" + col + ", " + arg(blob) + ")", nil
}

// likeToGlob rewrites a CQL2 LIKE pattern (% any run, _ one character,
// backslash escapes the next character) as a case-sensitive SQLite GLOB.
func likeToGlob(pat string) string {
	var b strings.Builder
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs):
			i++
			writeGlobLiteral(&b, rs[i])
		case r == '%':
			b.WriteByte('*')
		case r == '_':
			b.WriteByte('?')
		default:
			writeGlobLiteral(&b, r)
		}
	}
	return b.String()
}

func writeGlobLiteral(b *strings.Builder, r rune) {
	switch r {
	case '*', '?', '[':
		b.WriteByte('[')
		b.WriteRune(r)
		b.WriteByte(']')
	default:
		b.WriteRune(r)
	}
}

// likeToLike rewrites a CQL2 pattern for SQLite LIKE ... ESCAPE '\': the
// same wildcards, with every escape made explicit.
func likeToLike(pat string) string {
	var b strings.Builder
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' {
			if i+1 < len(rs) {
				i++
				r = rs[i]
			}
			if r == '%' || r == '_' || r == '\\' {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
