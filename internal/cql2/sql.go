package cql2

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Type is the type of a queryable property, as the filter sees it.
type Type int

// Property types.
const (
	String  Type = iota + 1
	Integer      // whole numbers
	Number       // any number
	Date         // a calendar day stored as YYYY-MM-DD text
	// Timestamp is an instant stored as fixed-width UTC text
	// (TimestampLayout), so that text order is time order.
	Timestamp
	Geometry // a GeoPackage geometry blob
	Boolean  // only literals have it: no property is boolean
)

// TimestampLayout is how Timestamp properties are stored.
const TimestampLayout = "2006-01-02T15:04:05.000Z"

// String returns the type's JSON Schema name, as queryables documents use.
func (t Type) String() string {
	switch t {
	case String:
		return "string"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case Date:
		return "date"
	case Timestamp:
		return "timestamp"
	case Geometry:
		return "geometry"
	case Boolean:
		return "boolean"
	}
	return "unknown"
}

// Queryable is one property a filter may name, as clients see it (the
// queryables document): no SQL.
type Queryable struct {
	Name string
	Type Type
	// Description says what the property holds, for the queryables document.
	Description string
}

// Column is how a database reads a queryable: the store that owns the
// table says it, never the filter's author.
type Column struct {
	Queryable
	// SQL is the expression that reads the property, e.g. "i.event_type".
	SQL string
	// EndSQL, for a Date standing for a span of days, reads the span's last
	// day; temporal predicates then test the whole span [SQL, EndSQL].
	EndSQL string
}

// Dialect writes the parts of a condition that differ between databases.
// arg adds an argument and returns its placeholder.
type Dialect interface {
	// Placeholder is the marker of the n-th argument, from 1 ("?", "$n").
	Placeholder(n int) string
	// Bool is a boolean constant.
	Bool(v bool) string
	// Day reads the UTC calendar day, as YYYY-MM-DD, of a Timestamp expression.
	Day(sql string) string
	// Like matches x against a CQL2 LIKE pattern (% any run, _ one
	// character, backslash escaping the next): case-sensitively, or not for
	// the ILIKE extension.
	Like(x, pattern string, caseInsensitive bool, arg func(any) string) string
	// Intersects tests whether the geometry column col intersects g.
	Intersects(col string, g *GeometryLiteral, arg func(any) string) (string, error)
}

// ToSQL translates e into a boolean SQL expression in dialect d with its
// arguments, resolving property names against columns. Unknown
// properties, type mismatches and constructs outside the supported classes
// are errors wrapping ErrUnknownProperty, ErrType or ErrUnsupported; the
// checks do not depend on the dialect.
//
// Logic is two-valued: a predicate on a null value is false, so NOT of it
// is true ("NOT fatalities > 5" keeps incidents of unknown fatalities).
// That is how GDAL evaluates the filters it keeps for itself, so a client
// gets the same features whether or not it sends its filter to the server.
func ToSQL(e Expr, columns []Column, d Dialect) (string, []any, error) {
	t := &translator{props: map[string]*Column{}, d: d}
	for i := range columns {
		t.props[columns[i].Name] = &columns[i]
		t.names = append(t.names, columns[i].Name)
	}
	sort.Strings(t.names)
	sql, err := t.expr(e)
	if err != nil {
		return "", nil, err
	}
	return sql, t.args, nil
}

type translator struct {
	props map[string]*Column
	names []string
	d     Dialect
	args  []any
	likes int // LIKE patterns so far, against maxLikes
}

// Work limits of a filter. A pattern with many multi-character wildcards
// makes SQLite's matcher backtrack at each of them, so its cost grows as a
// power of the text's length; many such patterns multiply it again. Real
// searches use one or two wildcards ('%word%').
const (
	maxLikes         = 8 // LIKE comparisons in one filter
	maxLikeWildcards = 3 // % in one pattern
)

func (t *translator) arg(v any) string {
	t.args = append(t.args, v)
	return t.d.Placeholder(len(t.args))
}

func (t *translator) expr(e Expr) (string, error) {
	switch e := e.(type) {
	case *And:
		return t.join(e.Terms, " AND ")
	case *Or:
		return t.join(e.Terms, " OR ")
	case *Not:
		x, err := t.expr(e.X)
		if err != nil {
			return "", err
		}
		return t.negate(x), nil
	case *Bool:
		return t.d.Bool(e.Value), nil
	case *Compare:
		return t.compare(e)
	case *Like:
		return t.like(e)
	case *In:
		return t.in(e)
	case *Between:
		return t.between(e)
	case *IsNull:
		x, err := t.nullable(e.X)
		if err != nil {
			return "", err
		}
		if e.Negated {
			return x.sql + " IS NOT NULL", nil
		}
		return x.sql + " IS NULL", nil
	case *SpatialIntersects:
		return t.spatial(e)
	case *TemporalIntersects:
		return t.temporal(e)
	}
	return "", &Error{Pos: e.Pos(), Err: ErrUnsupported, Msg: fmt.Sprintf("expression %T", e)}
}

// negate is NOT in two-valued logic: SQL's unknown (a null operand) counts
// as false before it is negated. Below a NOT, AND and OR keep SQL's
// three-valued rules, which agree with two-valued logic once unknown is
// read as false at the end, because they are monotone.
func (t *translator) negate(cond string) string {
	return "NOT COALESCE(" + cond + ", " + t.d.Bool(false) + ")"
}

func (t *translator) join(terms []Expr, sep string) (string, error) {
	parts := make([]string, len(terms))
	for i, x := range terms {
		s, err := t.expr(x)
		if err != nil {
			return "", err
		}
		parts[i] = "(" + s + ")"
	}
	return strings.Join(parts, sep), nil
}

// value is a translated scalar operand before its SQL is committed: literals
// keep their value so that they can be coerced to the other side's type.
type value struct {
	sql  string // for properties
	typ  Type
	name string   // the property's name, or the literal as written, for errors
	lit  *Literal // set for literals
	prop *Column
	pos  int
}

func (t *translator) lookup(p *Property) (*Column, error) {
	q, ok := t.props[p.Name]
	if !ok {
		return nil, &Error{Pos: p.At, Err: ErrUnknownProperty, Msg: fmt.Sprintf("%q is not a queryable property; the queryables are %s", p.Name, strings.Join(t.names, ", "))}
	}
	return q, nil
}

// scalar resolves a scalar operand; geometry and interval literals are
// refused here since they only make sense in S_ and T_INTERSECTS.
func (t *translator) scalar(o Operand) (value, error) {
	switch o := o.(type) {
	case *Property:
		q, err := t.lookup(o)
		if err != nil {
			return value{}, err
		}
		if q.Type == Geometry {
			return value{}, &Error{Pos: o.At, Err: ErrType, Msg: fmt.Sprintf("the geometry %q can only be tested with S_INTERSECTS (or IS NULL)", o.Name)}
		}
		return value{sql: q.SQL, typ: q.Type, name: o.Name, prop: q, pos: o.At}, nil
	case *Literal:
		return value{typ: o.Kind.typ(), name: literalText(o), lit: o, pos: o.At}, nil
	case *GeometryLiteral:
		return value{}, &Error{Pos: o.At, Err: ErrType, Msg: "a geometry literal can only be used in S_INTERSECTS"}
	case *IntervalLiteral:
		return value{}, &Error{Pos: o.At, Err: ErrType, Msg: "an INTERVAL can only be used in T_INTERSECTS"}
	}
	return value{}, &Error{Pos: o.Pos(), Err: ErrUnsupported, Msg: fmt.Sprintf("operand %T", o)}
}

// nullable resolves the operand of IS NULL, which accepts a geometry
// property too: "geometry IS NULL" is meaningful.
func (t *translator) nullable(o Operand) (value, error) {
	if p, ok := o.(*Property); ok {
		q, err := t.lookup(p)
		if err != nil {
			return value{}, err
		}
		return value{sql: q.SQL, typ: q.Type, name: p.Name, prop: q, pos: p.At}, nil
	}
	return t.scalar(o)
}

// typ is the type a literal of kind k compares as.
func (k LiteralKind) typ() Type {
	switch k {
	case StringLit:
		return String
	case NumberLit:
		return Number
	case BoolLit:
		return Boolean
	case DateLit:
		return Date
	case TimestampLit:
		return Timestamp
	}
	return 0
}

func literalText(l *Literal) string {
	switch v := l.Value.(type) {
	case string:
		if l.Kind == DateLit {
			return "DATE('" + v + "')"
		}
		return "'" + v + "'"
	case time.Time:
		return "TIMESTAMP('" + v.Format(time.RFC3339Nano) + "')"
	}
	return fmt.Sprint(l.Value)
}

func category(t Type) string {
	switch t {
	case Integer, Number:
		return "number"
	case Date, Timestamp:
		return "time"
	}
	return t.String()
}

// pair turns two scalars into SQL that can be compared, coercing literals
// to the other side's type where that is unambiguous, and returns the SQL of
// each side. Mixing a date and a timestamp compares UTC calendar days.
func (t *translator) pair(a, b value) (string, string, error) {
	// A string literal next to a date or timestamp property is read as a date
	// or timestamp: GDAL writes date filters as event_date >= '2020-01-01T'.
	if a.lit != nil && a.typ == String && category(b.typ) == "time" && b.lit == nil {
		a2, err := asTime(a)
		if err != nil {
			return "", "", err
		}
		a = a2
	}
	if b.lit != nil && b.typ == String && category(a.typ) == "time" && a.lit == nil {
		b2, err := asTime(b)
		if err != nil {
			return "", "", err
		}
		b = b2
	}
	if category(a.typ) != category(b.typ) {
		return "", "", &Error{Pos: b.pos, Err: ErrType, Msg: fmt.Sprintf("cannot compare %s (%s) with %s (%s)", a.name, a.typ, b.name, b.typ)}
	}
	days := category(a.typ) == "time" && (a.typ == Date || b.typ == Date)
	return t.side(a, days), t.side(b, days), nil
}

// asTime reads a string literal as a date, or as a timestamp when it has a
// time of day; GDAL's trailing "T" on plain dates is tolerated.
func asTime(v value) (value, error) {
	s := strings.TrimSuffix(v.lit.Value.(string), "T")
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		v.lit = &Literal{Kind: DateLit, Value: s, At: v.lit.At}
		v.typ = Date
		return v, nil
	}
	if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
		v.lit = &Literal{Kind: TimestampLit, Value: ts.UTC(), At: v.lit.At}
		v.typ = Timestamp
		return v, nil
	}
	return v, &Error{Pos: v.pos, Err: ErrType, Msg: fmt.Sprintf("%s is not a date: write DATE('YYYY-MM-DD') or TIMESTAMP('...Z')", v.name)}
}

// side commits one compared operand to SQL; days compares calendar days.
func (t *translator) side(v value, days bool) string {
	if v.lit == nil {
		if days && v.typ == Timestamp {
			return t.d.Day(v.sql)
		}
		return v.sql
	}
	switch x := v.lit.Value.(type) {
	case time.Time:
		if days {
			return t.arg(x.Format(time.DateOnly))
		}
		return t.arg(x.Format(TimestampLayout))
	case bool:
		if x {
			return t.arg(int64(1))
		}
		return t.arg(int64(0))
	}
	return t.arg(v.lit.Value)
}

func (t *translator) compare(e *Compare) (string, error) {
	a, err := t.scalar(e.Left)
	if err != nil {
		return "", err
	}
	b, err := t.scalar(e.Right)
	if err != nil {
		return "", err
	}
	l, r, err := t.pair(a, b)
	if err != nil {
		return "", err
	}
	return l + " " + e.Op + " " + r, nil
}

func (t *translator) like(e *Like) (string, error) {
	x, err := t.scalar(e.X)
	if err != nil {
		return "", err
	}
	if x.typ != String {
		return "", &Error{Pos: x.pos, Err: ErrType, Msg: fmt.Sprintf("LIKE needs text, but %s is %s", x.name, x.typ)}
	}
	lit, ok := e.Pattern.(*Literal)
	if !ok || lit.Kind != StringLit {
		return "", &Error{Pos: e.Pattern.Pos(), Err: ErrUnsupported, Msg: "the pattern of LIKE must be a quoted string"}
	}
	pat := lit.Value.(string)
	if t.likes++; t.likes > maxLikes {
		return "", &Error{Pos: e.Pos(), Err: ErrTooCostly, Msg: fmt.Sprintf("a filter may have at most %d LIKE comparisons", maxLikes)}
	}
	if n := countWildcards(pat); n > maxLikeWildcards {
		return "", &Error{Pos: e.Pattern.Pos(), Err: ErrTooCostly, Msg: fmt.Sprintf("a LIKE pattern may have at most %d %% wildcards, not %d", maxLikeWildcards, n)}
	}
	cond := t.d.Like(t.side(x, false), pat, e.CaseInsensitive, t.arg)
	if e.Negated {
		return t.negate(cond), nil
	}
	return cond, nil
}

// countWildcards counts the unescaped % of a CQL2 LIKE pattern, a run of
// them counting once (SQLite treats %% as %).
func countWildcards(pat string) int {
	n := 0
	prev := false
	for i := 0; i < len(pat); i++ {
		switch {
		case pat[i] == '\\':
			i++
			prev = false
		case pat[i] == '%':
			if !prev {
				n++
			}
			prev = true
		default:
			prev = false
		}
	}
	return n
}

func (t *translator) in(e *In) (string, error) {
	x, err := t.leftProperty(e.X, "IN")
	if err != nil {
		return "", err
	}
	var xs string
	items := make([]string, len(e.List))
	for i, o := range e.List {
		v, err := t.scalar(o)
		if err != nil {
			return "", err
		}
		if xs, items[i], err = t.pair(x, v); err != nil {
			return "", err
		}
	}
	cond := xs + " IN (" + strings.Join(items, ", ") + ")"
	if e.Negated {
		return t.negate(cond), nil
	}
	return cond, nil
}

// leftProperty resolves the left operand of IN and BETWEEN, which Basic
// CQL2 requires to be a property.
func (t *translator) leftProperty(o Operand, op string) (value, error) {
	if _, ok := o.(*Property); !ok {
		return value{}, &Error{Pos: o.Pos(), Err: ErrUnsupported, Msg: "the left side of " + op + " must be a property"}
	}
	return t.scalar(o)
}

func (t *translator) between(e *Between) (string, error) {
	x, err := t.leftProperty(e.X, "BETWEEN")
	if err != nil {
		return "", err
	}
	if x.typ == String {
		return "", &Error{Pos: x.pos, Err: ErrType, Msg: fmt.Sprintf("BETWEEN needs numbers, dates or timestamps, but %s is %s", x.name, x.typ)}
	}
	lo, err := t.scalar(e.Low)
	if err != nil {
		return "", err
	}
	hi, err := t.scalar(e.High)
	if err != nil {
		return "", err
	}
	xs, los, err := t.pair(x, lo)
	if err != nil {
		return "", err
	}
	_, his, err := t.pair(x, hi)
	if err != nil {
		return "", err
	}
	cond := xs + " BETWEEN " + los + " AND " + his
	if e.Negated {
		return t.negate(cond), nil
	}
	return cond, nil
}

// spatial translates S_INTERSECTS(geometry property, geometry literal).
func (t *translator) spatial(e *SpatialIntersects) (string, error) {
	prop, lit, err := t.propAndLiteral(e.A, e.B, "S_INTERSECTS", Geometry)
	if err != nil {
		return "", err
	}
	g, ok := lit.(*GeometryLiteral)
	if !ok {
		return "", &Error{Pos: lit.Pos(), Err: ErrType, Msg: "S_INTERSECTS needs a geometry literal: BBOX(...), POINT(...), LINESTRING(...) or POLYGON(...)"}
	}
	cond, err := t.d.Intersects(prop.SQL, g, t.arg)
	if err != nil {
		return "", &Error{Pos: g.At, Err: ErrSyntax, Msg: fmt.Sprintf("encoding the geometry: %v", err)}
	}
	return cond, nil
}

// temporal translates T_INTERSECTS(date or timestamp property, DATE,
// TIMESTAMP or INTERVAL literal), by the day: [start, end] of the property
// intersects [from, to] of the literal.
func (t *translator) temporal(e *TemporalIntersects) (string, error) {
	prop, lit, err := t.propAndLiteral(e.A, e.B, "T_INTERSECTS", Date, Timestamp)
	if err != nil {
		return "", err
	}
	var from, to string
	switch l := lit.(type) {
	case *IntervalLiteral:
		from, to = l.Start, l.End
	case *Literal:
		if l.Kind != DateLit && l.Kind != TimestampLit {
			return "", &Error{Pos: l.At, Err: ErrType, Msg: "T_INTERSECTS needs DATE(...), TIMESTAMP(...) or INTERVAL(...), not " + literalText(l)}
		}
		from = literalDay(l)
		to = from
	default:
		return "", &Error{Pos: lit.Pos(), Err: ErrType, Msg: "T_INTERSECTS needs DATE(...), TIMESTAMP(...) or INTERVAL(...)"}
	}
	start, end := prop.SQL, prop.SQL
	if prop.EndSQL != "" {
		end = prop.EndSQL
	}
	if prop.Type == Timestamp {
		start, end = t.d.Day(start), t.d.Day(end)
	}
	var conds []string
	if to != "" {
		conds = append(conds, start+" <= "+t.arg(to))
	}
	if from != "" {
		conds = append(conds, end+" >= "+t.arg(from))
	}
	if len(conds) == 0 {
		return prop.SQL + " IS NOT NULL", nil
	}
	return strings.Join(conds, " AND "), nil
}

// propAndLiteral splits the two arguments of fn into the property (of one
// of types) and the literal, in either order.
func (t *translator) propAndLiteral(a, b Operand, fn string, types ...Type) (*Column, Operand, error) {
	pa, aIsProp := a.(*Property)
	pb, bIsProp := b.(*Property)
	switch {
	case aIsProp && bIsProp:
		return nil, nil, &Error{Pos: a.Pos(), Err: ErrUnsupported, Msg: fn + " between two properties is not supported: one argument must be a literal"}
	case !aIsProp && !bIsProp:
		return nil, nil, &Error{Pos: a.Pos(), Err: ErrUnsupported, Msg: fn + " between two literals is not supported: one argument must be a property"}
	case bIsProp:
		pa, b = pb, a
	}
	q, err := t.lookup(pa)
	if err != nil {
		return nil, nil, err
	}
	for _, ty := range types {
		if q.Type == ty {
			return q, b, nil
		}
	}
	var want []string
	for _, ty := range types {
		want = append(want, ty.String())
	}
	return nil, nil, &Error{Pos: pa.At, Err: ErrType, Msg: fmt.Sprintf("%s needs a %s property, but %s is %s", fn, strings.Join(want, " or "), pa.Name, q.Type)}
}

// RequiredBound returns a box that every feature matching e intersects,
// when e demands one: an S_INTERSECTS with a geometry literal that is e
// itself or one of its top-level AND terms. Callers use it to let a spatial
// index pick candidates before the filter tests them exactly. ok is false
// when e demands no such box (S_INTERSECTS under OR or NOT, or a literal
// crossing the antimeridian).
func RequiredBound(e Expr) (orb.Bound, bool) {
	terms := []Expr{e}
	if and, isAnd := e.(*And); isAnd {
		terms = and.Terms
	}
	for _, term := range terms {
		si, isSpatial := term.(*SpatialIntersects)
		if !isSpatial {
			continue
		}
		for _, o := range []Operand{si.A, si.B} {
			if g, isGeom := o.(*GeometryLiteral); isGeom && len(g.Bounds) == 1 {
				return g.Bounds[0], true
			}
		}
	}
	return orb.Bound{}, false
}
