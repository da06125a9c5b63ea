package cql2

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Named errors, matched with errors.Is, so that callers can tell a typo from
// a request for something this package does not do.
var (
	// ErrSyntax means the text is not CQL2.
	ErrSyntax = errors.New("CQL2 syntax error")
	// ErrUnsupported means valid CQL2 outside the supported classes.
	ErrUnsupported = errors.New("unsupported CQL2")
	// ErrUnknownProperty means a property name that is not queryable.
	ErrUnknownProperty = errors.New("unknown property")
	// ErrType means operands whose types cannot be compared.
	ErrType = errors.New("type mismatch")
	// ErrTooCostly means a filter beyond the work limits, such as too many
	// LIKE wildcards.
	ErrTooCostly = errors.New("filter too costly")
)

// Error is a parse or translation error at a byte offset of the filter.
type Error struct {
	Pos int   // byte offset in the filter text
	Err error // one of the named errors
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%v at character %d: %s", e.Err, e.Pos+1, e.Msg)
}

// Unwrap returns the named error.
func (e *Error) Unwrap() error { return e.Err }

// Expr is a boolean CQL2 expression: one of And, Or, Not, Bool, Compare,
// Like, In, Between, IsNull, SpatialIntersects, TemporalIntersects.
type Expr interface {
	// Pos is the byte offset where the expression starts.
	Pos() int
}

// Operand is a scalar operand: a Property or a Literal.
type Operand interface {
	Pos() int
}

// And is true when every term is.
type And struct {
	Terms []Expr
	At    int
}

// Or is true when any term is.
type Or struct {
	Terms []Expr
	At    int
}

// Not negates X.
type Not struct {
	X  Expr
	At int
}

// Bool is the literal TRUE or FALSE used as a condition.
type Bool struct {
	Value bool
	At    int
}

// Compare is Left Op Right, Op one of = <> < > <= >=.
type Compare struct {
	Op          string
	Left, Right Operand
	At          int
}

// Like is X [NOT] LIKE Pattern; CaseInsensitive marks the ILIKE extension.
type Like struct {
	X               Operand
	Pattern         Operand
	Negated         bool
	CaseInsensitive bool
	At              int
}

// In is X [NOT] IN (List...).
type In struct {
	X       Operand
	List    []Operand
	Negated bool
	At      int
}

// Between is X [NOT] BETWEEN Low AND High.
type Between struct {
	X, Low, High Operand
	Negated      bool
	At           int
}

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	X       Operand
	Negated bool
	At      int
}

// SpatialIntersects is S_INTERSECTS(A, B); each argument is a Property or a
// GeometryLiteral.
type SpatialIntersects struct {
	A, B Operand
	At   int
}

// TemporalIntersects is T_INTERSECTS(A, B); each argument is a Property, a
// date or timestamp Literal, or an IntervalLiteral.
type TemporalIntersects struct {
	A, B Operand
	At   int
}

// Property names a property of the filtered items.
type Property struct {
	Name string
	At   int
}

// LiteralKind is the type of a scalar literal.
type LiteralKind int

// Literal kinds.
const (
	StringLit LiteralKind = iota + 1
	NumberLit
	BoolLit
	DateLit      // DATE('YYYY-MM-DD'); Value is the date
	TimestampLit // TIMESTAMP('...'); Value is a time.Time in UTC
)

// Literal is a scalar literal. Value holds a string for strings and dates
// (YYYY-MM-DD), a time.Time in UTC for timestamps, an int64 or float64 for
// numbers and a bool for booleans.
type Literal struct {
	Kind  LiteralKind
	Value any
	At    int
}

// IntervalLiteral is INTERVAL(start, end); an open end is "". Start and End
// are dates (YYYY-MM-DD): incidents are dated by the day.
type IntervalLiteral struct {
	Start, End string
	At         int
}

// GeometryLiteral is a WKT geometry or BBOX literal in lon/lat (CRS84).
// Bounds holds the envelope(s) used to pre-filter with the spatial index:
// two for a BBOX crossing the antimeridian.
type GeometryLiteral struct {
	Geometry orb.Geometry
	Bounds   []orb.Bound
	At       int
}

// Pos implementations.
func (e *And) Pos() int                { return e.At }
func (e *Or) Pos() int                 { return e.At }
func (e *Not) Pos() int                { return e.At }
func (e *Bool) Pos() int               { return e.At }
func (e *Compare) Pos() int            { return e.At }
func (e *Like) Pos() int               { return e.At }
func (e *In) Pos() int                 { return e.At }
func (e *Between) Pos() int            { return e.At }
func (e *IsNull) Pos() int             { return e.At }
func (e *SpatialIntersects) Pos() int  { return e.At }
func (e *TemporalIntersects) Pos() int { return e.At }
func (e *Property) Pos() int           { return e.At }
func (e *Literal) Pos() int            { return e.At }
func (e *IntervalLiteral) Pos() int    { return e.At }
func (e *GeometryLiteral) Pos() int    { return e.At }
