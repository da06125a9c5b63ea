package cql2

import (
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		// check inspects the tree; nil only checks that parsing succeeds.
		check func(t *testing.T, e Expr)
	}{
		{"equality", "event_type = 'Battles'", func(t *testing.T, e Expr) {
			c := e.(*Compare)
			if c.Op != "=" || c.Left.(*Property).Name != "event_type" || c.Right.(*Literal).Value != "Battles" {
				t.Errorf("got %+v", c)
			}
		}},
		{"doubled quote", "notes = 'it''s'", func(t *testing.T, e Expr) {
			if v := e.(*Compare).Right.(*Literal).Value; v != "it's" {
				t.Errorf("value %q", v)
			}
		}},
		{"quoted property", `"event_type" <> 'Riots'`, func(t *testing.T, e Expr) {
			if e.(*Compare).Left.(*Property).Name != "event_type" {
				t.Errorf("got %+v", e)
			}
		}},
		{"precedence: AND binds tighter than OR", "a = 1 OR b = 2 AND c = 3", func(t *testing.T, e Expr) {
			or := e.(*Or)
			if len(or.Terms) != 2 {
				t.Fatalf("terms %d", len(or.Terms))
			}
			if _, ok := or.Terms[1].(*And); !ok {
				t.Errorf("second term %T, want *And", or.Terms[1])
			}
		}},
		{"keywords any case", "not (a >= -1.5e2) and b is not null", func(t *testing.T, e Expr) {
			and := e.(*And)
			if v := and.Terms[0].(*Not).X.(*Compare).Right.(*Literal).Value; v != -150.0 {
				t.Errorf("number %v", v)
			}
			if !and.Terms[1].(*IsNull).Negated {
				t.Error("IS NOT NULL not negated")
			}
		}},
		{"integer stays integer", "fatalities > 10", func(t *testing.T, e Expr) {
			if v, ok := e.(*Compare).Right.(*Literal).Value.(int64); !ok || v != 10 {
				t.Errorf("value %#v", e.(*Compare).Right.(*Literal).Value)
			}
		}},
		{"like", "actor1 NOT LIKE 'Tal%'", func(t *testing.T, e Expr) {
			l := e.(*Like)
			if !l.Negated || l.Pattern.(*Literal).Value != "Tal%" {
				t.Errorf("got %+v", l)
			}
		}},
		{"in", "country IN ('AF', 'PK')", func(t *testing.T, e Expr) {
			if n := len(e.(*In).List); n != 2 {
				t.Errorf("list of %d", n)
			}
		}},
		{"between", "fatalities NOT BETWEEN 1 AND 5", func(t *testing.T, e Expr) {
			if !e.(*Between).Negated {
				t.Error("not negated")
			}
		}},
		{"bool literal", "TRUE", func(t *testing.T, e Expr) {
			if !e.(*Bool).Value {
				t.Error("want true")
			}
		}},
		{"date", "event_date >= DATE('2020-01-31')", func(t *testing.T, e Expr) {
			if l := e.(*Compare).Right.(*Literal); l.Kind != DateLit || l.Value != "2020-01-31" {
				t.Errorf("got %+v", l)
			}
		}},
		{"bbox", "S_INTERSECTS(geometry, BBOX(60, 29, 75, 38.5))", func(t *testing.T, e Expr) {
			g := e.(*SpatialIntersects).B.(*GeometryLiteral)
			if len(g.Bounds) != 1 || g.Bounds[0] != (orb.Bound{Min: orb.Point{60, 29}, Max: orb.Point{75, 38.5}}) {
				t.Errorf("bounds %v", g.Bounds)
			}
		}},
		{"bbox across the antimeridian", "S_INTERSECTS(geometry, BBOX(170, -20, -170, -10))", func(t *testing.T, e Expr) {
			g := e.(*SpatialIntersects).B.(*GeometryLiteral)
			if len(g.Bounds) != 2 || g.Bounds[0].Max[0] != 180 || g.Bounds[1].Min[0] != -180 {
				t.Errorf("bounds %v", g.Bounds)
			}
		}},
		{"point literal first", "S_INTERSECTS(POINT(64.7 32.4), geometry)", func(t *testing.T, e Expr) {
			if p := e.(*SpatialIntersects).A.(*GeometryLiteral).Geometry; p != (orb.Point{64.7, 32.4}) {
				t.Errorf("point %v", p)
			}
		}},
		{"polygon with hole", "S_INTERSECTS(geometry, POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2)))", func(t *testing.T, e Expr) {
			if p := e.(*SpatialIntersects).B.(*GeometryLiteral).Geometry.(orb.Polygon); len(p) != 2 {
				t.Errorf("rings %d", len(p))
			}
		}},
		{"multipolygon and 3D point", "S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))) OR S_INTERSECTS(geometry, POINT Z (1 2 3))", nil},
		{"envelope, the draft name of BBOX", "S_INTERSECTS(geometry, ENVELOPE(60, 29, 75, 38.5))", func(t *testing.T, e Expr) {
			if g := e.(*SpatialIntersects).B.(*GeometryLiteral); len(g.Bounds) != 1 || g.Bounds[0].Max != (orb.Point{75, 38.5}) {
				t.Errorf("bounds %v", g.Bounds)
			}
		}},
		{"prefixed property", "ogc:type = 'x'", func(t *testing.T, e Expr) {
			if n := e.(*Compare).Left.(*Property).Name; n != "ogc:type" {
				t.Errorf("name %q", n)
			}
		}},
		{"multipoint both forms", "S_INTERSECTS(geometry, MULTIPOINT((1 2), (3 4))) AND S_INTERSECTS(geometry, MULTIPOINT(1 2, 3 4))", nil},
		{"interval open end", "T_INTERSECTS(event_date, INTERVAL('2020-01-01', '..'))", func(t *testing.T, e Expr) {
			iv := e.(*TemporalIntersects).B.(*IntervalLiteral)
			if iv.Start != "2020-01-01" || iv.End != "" {
				t.Errorf("interval %+v", iv)
			}
		}},
		{"interval of timestamps keeps UTC days", "T_INTERSECTS(event_date, INTERVAL(TIMESTAMP('2020-01-01T23:30:00-02:00'), '2020-02-01T00:00:00Z'))", func(t *testing.T, e Expr) {
			iv := e.(*TemporalIntersects).B.(*IntervalLiteral)
			if iv.Start != "2020-01-02" || iv.End != "2020-02-01" {
				t.Errorf("interval %+v", iv)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in      string
		err     error
		mention string // the message must say this, so a user can fix the filter
	}{
		{"", ErrSyntax, "empty"},
		{"event_type = 'Battles", ErrSyntax, "unterminated string"},
		{"event_type", ErrSyntax, `after property "event_type"`},
		{"event_type != 'x'", ErrSyntax, "<>"},
		{"a = 1 AND", ErrSyntax, "the end of the filter"},
		{"(a = 1", ErrSyntax, "closing parenthesis"},
		{"a = 1)", ErrSyntax, "AND, OR or the end"},
		{"fatalities + 1 > 2", ErrUnsupported, "arithmetic"},
		{"S_WITHIN(geometry, POINT(1 2))", ErrUnsupported, "S_WITHIN"},
		{"T_BEFORE(event_date, DATE('2020-01-01'))", ErrUnsupported, "T_BEFORE"},
		{"CASEI(actor1) = 'x'", ErrUnsupported, "CASEI"},
		{"upper(actor1) = 'X'", ErrUnsupported, "function upper"},
		{"event_date = DATE('2020-02-30')", ErrSyntax, "YYYY-MM-DD"},
		{"created > TIMESTAMP('yesterday')", ErrSyntax, "RFC 3339"},
		{"T_INTERSECTS(event_date, INTERVAL('2020-02-01', '2020-01-01'))", ErrSyntax, "after it ends"},
		{"S_INTERSECTS(geometry, BBOX(1, 2, 3))", ErrSyntax, "4 numbers"},
		{"S_INTERSECTS(geometry, BBOX(0, 10, 1, 5))", ErrSyntax, "minimum latitude"},
		{"S_INTERSECTS(geometry, POINT(32.4 164.7))", ErrSyntax, "outside"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))", ErrSyntax, "at least 4 points"},
		{"S_INTERSECTS(geometry, POINT EMPTY)", ErrUnsupported, "empty"},
		{"a = NULL", ErrSyntax, "IS NULL"},
		{"a IS 3", ErrSyntax, "NULL after IS"},
		{"fatalities = 1e999", ErrSyntax, "finite"},
		{strings.Repeat("(", 200) + "a = 1" + strings.Repeat(")", 200), ErrSyntax, "nested"},
		{strings.Repeat("NOT ", 200) + "a = 1", ErrSyntax, "nested"},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want %v", tt.in, tt.err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %v, want %v", err, tt.err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(tt.in) {
				t.Errorf("error %v has no position within the input", err)
			}
		})
	}
}

func TestRequiredBound(t *testing.T) {
	box := orb.Bound{Min: orb.Point{60, 29}, Max: orb.Point{75, 38}}
	tests := []struct {
		filter string
		want   bool
	}{
		{"S_INTERSECTS(geometry, BBOX(60, 29, 75, 38))", true},
		{"country = 'AF' AND S_INTERSECTS(POLYGON((60 29, 75 29, 75 38, 60 29)), geometry)", true},
		{"country = 'AF' OR S_INTERSECTS(geometry, BBOX(60, 29, 75, 38))", false},
		{"NOT S_INTERSECTS(geometry, BBOX(60, 29, 75, 38))", false},
		{"S_INTERSECTS(geometry, BBOX(170, 29, -170, 38))", false},
		{"country = 'AF'", false},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			e, err := Parse(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := RequiredBound(e)
			if ok != tt.want || (ok && got != box) {
				t.Errorf("RequiredBound = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}
