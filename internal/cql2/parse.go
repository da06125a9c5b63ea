package cql2

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// maxDepth bounds nesting (parentheses, NOT, geometry rings) so that a
// hostile filter cannot make the parser recurse without end.
const maxDepth = 100

// Parse reads a CQL2-text boolean expression. It checks syntax and literal
// values (dates, coordinates) but not property names: ToSQL does that
// against the queryables of the collection being filtered.
func Parse(text string) (Expr, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tokEOF {
		return nil, &Error{Pos: 0, Err: ErrSyntax, Msg: "the filter is empty"}
	}
	e, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t, "AND, OR or the end of the filter")
	}
	return e, nil
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// isKeyword reports whether t is the bare word kw, case-insensitively.
func isKeyword(t token, kw string) bool {
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) accept(kw string) bool {
	if isKeyword(p.peek(), kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(kind tokenKind, what string) (token, error) {
	t := p.peek()
	if t.kind != kind {
		return t, p.unexpected(t, what)
	}
	return p.next(), nil
}

func (p *parser) unexpected(t token, want string) error {
	if t.kind == tokOther && t.text == "!=" {
		return &Error{Pos: t.pos, Err: ErrSyntax, Msg: "CQL2 writes not-equal as <>, not !="}
	}
	if t.kind == tokOther && strings.ContainsAny(t.text, "+-*/%") {
		return &Error{Pos: t.pos, Err: ErrUnsupported, Msg: fmt.Sprintf("arithmetic (%s) is not supported", t.text)}
	}
	return &Error{Pos: t.pos, Err: ErrSyntax, Msg: fmt.Sprintf("expected %s, found %s", want, t.describe())}
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > maxDepth {
		return &Error{Pos: pos, Err: ErrSyntax, Msg: fmt.Sprintf("nested more than %d levels deep", maxDepth)}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) orExpr() (Expr, error) {
	start := p.peek().pos
	first, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	terms := []Expr{first}
	for p.accept("OR") {
		e, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &Or{Terms: terms, At: start}, nil
}

func (p *parser) andExpr() (Expr, error) {
	start := p.peek().pos
	first, err := p.notExpr()
	if err != nil {
		return nil, err
	}
	terms := []Expr{first}
	for p.accept("AND") {
		e, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return &And{Terms: terms, At: start}, nil
}

func (p *parser) notExpr() (Expr, error) {
	t := p.peek()
	if isKeyword(t, "NOT") {
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		return &Not{X: x, At: t.pos}, nil
	}
	return p.primary()
}

// unsupportedClass names the CQL2 class a known but unimplemented function
// belongs to, so that its refusal can say why.
func unsupportedClass(name string) (string, bool) {
	switch {
	case name == "S_INTERSECTS" || name == "T_INTERSECTS":
		return "", false
	case strings.HasPrefix(name, "S_"):
		return "spatial functions other than S_INTERSECTS", true
	case strings.HasPrefix(name, "T_"):
		return "temporal functions other than T_INTERSECTS", true
	case strings.HasPrefix(name, "A_"):
		return "array functions", true
	case name == "CASEI":
		return "case-insensitive comparison (CASEI; ILIKE is accepted instead)", true
	case name == "ACCENTI":
		return "accent-insensitive comparison (ACCENTI)", true
	}
	return "", false
}

// unsupportedFunction returns the refusal for a function call at t.
func unsupportedFunction(t token) error {
	if class, ok := unsupportedClass(strings.ToUpper(t.text)); ok {
		return &Error{Pos: t.pos, Err: ErrUnsupported, Msg: fmt.Sprintf("%s: %s are not supported", strings.ToUpper(t.text), class)}
	}
	return &Error{Pos: t.pos, Err: ErrUnsupported, Msg: fmt.Sprintf("function %s is not supported", t.text)}
}

func (p *parser) primary() (Expr, error) {
	t := p.peek()
	switch {
	case t.kind == tokLParen:
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		e, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokRParen, "a closing parenthesis"); err != nil {
			return nil, err
		}
		return e, nil
	case isKeyword(t, "S_INTERSECTS"):
		p.next()
		a, b, err := p.twoArgs(t)
		if err != nil {
			return nil, err
		}
		return &SpatialIntersects{A: a, B: b, At: t.pos}, nil
	case isKeyword(t, "T_INTERSECTS"):
		p.next()
		a, b, err := p.twoArgs(t)
		if err != nil {
			return nil, err
		}
		return &TemporalIntersects{A: a, B: b, At: t.pos}, nil
	case (isKeyword(t, "TRUE") || isKeyword(t, "FALSE")) && !p.startsPredicateTail(p.peekAt(1)):
		p.next()
		return &Bool{Value: strings.EqualFold(t.text, "TRUE"), At: t.pos}, nil
	}
	x, err := p.operand()
	if err != nil {
		return nil, err
	}
	return p.predicateTail(x)
}

// startsPredicateTail reports whether t can follow the left operand of a
// comparison, telling "TRUE = x" from a bare TRUE.
func (p *parser) startsPredicateTail(t token) bool {
	if t.kind == tokOp {
		return true
	}
	for _, kw := range []string{"LIKE", "ILIKE", "IN", "BETWEEN", "IS", "NOT"} {
		if isKeyword(t, kw) {
			return true
		}
	}
	return false
}

func (p *parser) twoArgs(fn token) (Operand, Operand, error) {
	name := strings.ToUpper(fn.text)
	if _, err := p.expect(tokLParen, "( after "+name); err != nil {
		return nil, nil, err
	}
	a, err := p.operand()
	if err != nil {
		return nil, nil, err
	}
	if _, err := p.expect(tokComma, "a comma between the two arguments of "+name); err != nil {
		return nil, nil, err
	}
	b, err := p.operand()
	if err != nil {
		return nil, nil, err
	}
	if _, err := p.expect(tokRParen, ") closing "+name); err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func (p *parser) predicateTail(x Operand) (Expr, error) {
	t := p.peek()
	if t.kind == tokOp {
		p.next()
		y, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &Compare{Op: t.text, Left: x, Right: y, At: x.Pos()}, nil
	}
	negated := false
	if isKeyword(t, "NOT") {
		p.next()
		negated = true
		t = p.peek()
		if !isKeyword(t, "LIKE") && !isKeyword(t, "ILIKE") && !isKeyword(t, "BETWEEN") && !isKeyword(t, "IN") {
			return nil, p.unexpected(t, "LIKE, BETWEEN or IN after NOT")
		}
	}
	switch {
	case isKeyword(t, "LIKE") || isKeyword(t, "ILIKE"):
		p.next()
		pat, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &Like{X: x, Pattern: pat, Negated: negated, CaseInsensitive: isKeyword(t, "ILIKE"), At: x.Pos()}, nil
	case isKeyword(t, "BETWEEN"):
		p.next()
		lo, err := p.operand()
		if err != nil {
			return nil, err
		}
		if !p.accept("AND") {
			return nil, p.unexpected(p.peek(), "AND between the bounds of BETWEEN")
		}
		hi, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &Between{X: x, Low: lo, High: hi, Negated: negated, At: x.Pos()}, nil
	case isKeyword(t, "IN"):
		p.next()
		if _, err := p.expect(tokLParen, "( opening the IN list"); err != nil {
			return nil, err
		}
		var list []Operand
		for {
			v, err := p.operand()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			if p.peek().kind == tokComma {
				p.next()
				continue
			}
			if _, err := p.expect(tokRParen, "a comma or ) in the IN list"); err != nil {
				return nil, err
			}
			break
		}
		return &In{X: x, List: list, Negated: negated, At: x.Pos()}, nil
	case isKeyword(t, "IS"):
		p.next()
		neg := p.accept("NOT")
		if !p.accept("NULL") {
			return nil, p.unexpected(p.peek(), "NULL after IS")
		}
		return &IsNull{X: x, Negated: neg, At: x.Pos()}, nil
	}
	if prop, ok := x.(*Property); ok {
		return nil, p.unexpected(t, fmt.Sprintf("a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN or IS NULL) after property %q", prop.Name))
	}
	return nil, p.unexpected(t, "a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN or IS NULL)")
}

// isReserved reports the words that cannot be bare property names; quote
// them ("in") to use them so.
func isReserved(word string) bool {
	switch word {
	case "AND", "OR", "NOT", "LIKE", "ILIKE", "IN", "BETWEEN", "IS", "NULL", "TRUE", "FALSE":
		return true
	}
	return false
}

// operand reads a scalar: a property, a literal, or a function call (refused).
func (p *parser) operand() (Operand, error) {
	t := p.peek()
	switch t.kind {
	case tokString:
		p.next()
		return &Literal{Kind: StringLit, Value: t.text, At: t.pos}, nil
	case tokNumber:
		p.next()
		return numberLiteral(t)
	case tokQuoted:
		p.next()
		if t.text == "" {
			return nil, &Error{Pos: t.pos, Err: ErrSyntax, Msg: "empty property name"}
		}
		return &Property{Name: t.text, At: t.pos}, nil
	case tokIdent:
	default:
		return nil, p.unexpected(t, "a property name or a literal")
	}
	word := strings.ToUpper(t.text)
	switch word {
	case "TRUE", "FALSE":
		p.next()
		return &Literal{Kind: BoolLit, Value: word == "TRUE", At: t.pos}, nil
	case "DATE", "TIMESTAMP":
		if p.peekAt(1).kind == tokLParen {
			return p.instant()
		}
	case "INTERVAL":
		if p.peekAt(1).kind == tokLParen {
			return p.interval()
		}
	case "BBOX", "ENVELOPE", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION":
		return p.geometryLiteral()
	case "NULL":
		return nil, &Error{Pos: t.pos, Err: ErrSyntax, Msg: "NULL is tested with IS NULL, not compared"}
	}
	if isReserved(word) {
		return nil, p.unexpected(t, "a property name or a literal")
	}
	if p.peekAt(1).kind == tokLParen {
		return nil, unsupportedFunction(t)
	}
	p.next()
	return &Property{Name: t.text, At: t.pos}, nil
}

func numberLiteral(t token) (Operand, error) {
	if n, err := strconv.ParseInt(t.text, 10, 64); err == nil {
		return &Literal{Kind: NumberLit, Value: n, At: t.pos}, nil
	}
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &Error{Pos: t.pos, Err: ErrSyntax, Msg: fmt.Sprintf("%q is not a finite number", t.text)}
	}
	return &Literal{Kind: NumberLit, Value: f, At: t.pos}, nil
}

// instant reads DATE('...') or TIMESTAMP('...').
func (p *parser) instant() (Operand, error) {
	fn := p.next()
	word := strings.ToUpper(fn.text)
	p.next() // (
	s, err := p.expect(tokString, "a quoted value in "+word+"(...)")
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tokRParen, ") closing "+word); err != nil {
		return nil, err
	}
	if word == "DATE" {
		d, err := parseDate(s)
		if err != nil {
			return nil, err
		}
		return &Literal{Kind: DateLit, Value: d, At: fn.pos}, nil
	}
	ts, err := time.Parse(time.RFC3339Nano, s.text)
	if err != nil {
		return nil, &Error{Pos: s.pos, Err: ErrSyntax, Msg: fmt.Sprintf("TIMESTAMP needs an RFC 3339 date-time such as 2020-01-31T12:00:00Z, not '%s'", s.text)}
	}
	return &Literal{Kind: TimestampLit, Value: ts.UTC(), At: fn.pos}, nil
}

func parseDate(s token) (string, error) {
	if _, err := time.Parse(time.DateOnly, s.text); err != nil {
		return "", &Error{Pos: s.pos, Err: ErrSyntax, Msg: fmt.Sprintf("DATE needs a calendar date YYYY-MM-DD, not '%s'", s.text)}
	}
	return s.text, nil
}

// interval reads INTERVAL(start, end) whose ends are '..', a date or a
// timestamp, quoted or written as DATE(...)/TIMESTAMP(...). Timestamps keep
// their UTC day: incidents are dated by the day.
func (p *parser) interval() (Operand, error) {
	fn := p.next()
	p.next() // (
	var ends [2]string
	for k := range ends {
		if k == 1 {
			if _, err := p.expect(tokComma, "a comma between the ends of INTERVAL"); err != nil {
				return nil, err
			}
		}
		t := p.peek()
		switch {
		case t.kind == tokString:
			p.next()
			d, err := dayOf(t)
			if err != nil {
				return nil, err
			}
			ends[k] = d
		case (isKeyword(t, "DATE") || isKeyword(t, "TIMESTAMP")) && p.peekAt(1).kind == tokLParen:
			lit, err := p.instant()
			if err != nil {
				return nil, err
			}
			ends[k] = literalDay(lit.(*Literal))
		case t.kind == tokIdent || t.kind == tokQuoted:
			return nil, &Error{Pos: t.pos, Err: ErrUnsupported, Msg: "INTERVAL with property ends is not supported; event_date already stands for an incident's whole span"}
		default:
			return nil, p.unexpected(t, "a date, a timestamp or '..' in INTERVAL")
		}
	}
	if _, err := p.expect(tokRParen, ") closing INTERVAL"); err != nil {
		return nil, err
	}
	if ends[0] != "" && ends[1] != "" && ends[0] > ends[1] {
		return nil, &Error{Pos: fn.pos, Err: ErrSyntax, Msg: fmt.Sprintf("INTERVAL starts (%s) after it ends (%s)", ends[0], ends[1])}
	}
	return &IntervalLiteral{Start: ends[0], End: ends[1], At: fn.pos}, nil
}

// dayOf reads an interval end: '..' (open, returned as ""), a date or an
// RFC 3339 timestamp (its UTC day).
func dayOf(t token) (string, error) {
	if t.text == ".." || t.text == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, t.text); err == nil {
		return t.text, nil
	}
	if ts, err := time.Parse(time.RFC3339Nano, t.text); err == nil {
		return ts.UTC().Format(time.DateOnly), nil
	}
	return "", &Error{Pos: t.pos, Err: ErrSyntax, Msg: fmt.Sprintf("'%s' is neither '..', a date YYYY-MM-DD nor an RFC 3339 timestamp", t.text)}
}

// literalDay returns the UTC day of a date or timestamp literal.
func literalDay(l *Literal) string {
	if ts, ok := l.Value.(time.Time); ok {
		return ts.Format(time.DateOnly)
	}
	return l.Value.(string)
}

// geometryLiteral reads BBOX(...) or a WKT geometry in lon/lat order.
func (p *parser) geometryLiteral() (Operand, error) {
	t := p.next()
	word := strings.ToUpper(t.text)
	// ENVELOPE is the draft standard's name for BBOX, same order.
	if word == "BBOX" || word == "ENVELOPE" {
		return p.bbox(t)
	}
	// An optional Z marks three-dimensional coordinates, whose heights we drop.
	if p.peek().kind == tokIdent && strings.EqualFold(p.peek().text, "Z") {
		p.next()
	}
	if isKeyword(p.peek(), "EMPTY") {
		return nil, &Error{Pos: p.peek().pos, Err: ErrUnsupported, Msg: "empty geometries are not supported in filters"}
	}
	g, err := p.geometryBody(t, word)
	if err != nil {
		return nil, err
	}
	return &GeometryLiteral{Geometry: g, Bounds: []orb.Bound{g.Bound()}, At: t.pos}, nil
}

func (p *parser) bbox(t token) (Operand, error) {
	if _, err := p.expect(tokLParen, "( after "+strings.ToUpper(t.text)); err != nil {
		return nil, err
	}
	var v []float64
	for {
		n, err := p.coordinate()
		if err != nil {
			return nil, err
		}
		v = append(v, n)
		if p.peek().kind == tokComma {
			p.next()
			continue
		}
		if _, err := p.expect(tokRParen, "a comma or ) in BBOX"); err != nil {
			return nil, err
		}
		break
	}
	switch len(v) {
	case 4:
	case 6: // minx, miny, minz, maxx, maxy, maxz
		v = []float64{v[0], v[1], v[3], v[4]}
	default:
		return nil, &Error{Pos: t.pos, Err: ErrSyntax, Msg: fmt.Sprintf("BBOX needs 4 numbers (minlon, minlat, maxlon, maxlat) or 6, got %d", len(v))}
	}
	minLon, minLat, maxLon, maxLat := v[0], v[1], v[2], v[3]
	if err := checkLonLat(t.pos, orb.Point{minLon, minLat}); err != nil {
		return nil, err
	}
	if err := checkLonLat(t.pos, orb.Point{maxLon, maxLat}); err != nil {
		return nil, err
	}
	if minLat > maxLat {
		return nil, &Error{Pos: t.pos, Err: ErrSyntax, Msg: fmt.Sprintf("BBOX minimum latitude %g is above its maximum %g", minLat, maxLat)}
	}
	box := func(a, b float64) orb.Bound {
		return orb.Bound{Min: orb.Point{a, minLat}, Max: orb.Point{b, maxLat}}
	}
	if minLon <= maxLon {
		bd := box(minLon, maxLon)
		return &GeometryLiteral{Geometry: bd.ToPolygon(), Bounds: []orb.Bound{bd}, At: t.pos}, nil
	}
	// minLon > maxLon crosses the antimeridian (OGC API bbox convention).
	east, west := box(minLon, 180), box(-180, maxLon)
	return &GeometryLiteral{Geometry: orb.MultiPolygon{east.ToPolygon(), west.ToPolygon()}, Bounds: []orb.Bound{east, west}, At: t.pos}, nil
}

func checkLonLat(pos int, pt orb.Point) error {
	if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
		return &Error{Pos: pos, Err: ErrSyntax, Msg: fmt.Sprintf("coordinate (%g %g) is outside lon -180..180, lat -90..90 (CRS84 is lon lat)", pt[0], pt[1])}
	}
	return nil
}

func (p *parser) coordinate() (float64, error) {
	t, err := p.expect(tokNumber, "a number")
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, &Error{Pos: t.pos, Err: ErrSyntax, Msg: fmt.Sprintf("%q is not a finite number", t.text)}
	}
	return f, nil
}

// point reads "x y" or "x y z".
func (p *parser) point() (orb.Point, error) {
	start := p.peek().pos
	x, err := p.coordinate()
	if err != nil {
		return orb.Point{}, err
	}
	y, err := p.coordinate()
	if err != nil {
		return orb.Point{}, err
	}
	if p.peek().kind == tokNumber {
		if _, err := p.coordinate(); err != nil {
			return orb.Point{}, err
		}
	}
	pt := orb.Point{x, y}
	return pt, checkLonLat(start, pt)
}

// points reads "(x y, x y, ...)".
func (p *parser) points() ([]orb.Point, error) {
	if _, err := p.expect(tokLParen, "( opening a coordinate list"); err != nil {
		return nil, err
	}
	var pts []orb.Point
	for {
		// MULTIPOINT allows each point in its own parentheses.
		paren := p.peek().kind == tokLParen
		if paren {
			p.next()
		}
		pt, err := p.point()
		if err != nil {
			return nil, err
		}
		if paren {
			if _, err := p.expect(tokRParen, ") closing a point"); err != nil {
				return nil, err
			}
		}
		pts = append(pts, pt)
		if p.peek().kind == tokComma {
			p.next()
			continue
		}
		if _, err := p.expect(tokRParen, "a comma or ) in a coordinate list"); err != nil {
			return nil, err
		}
		return pts, nil
	}
}

// list reads "(item, item, ...)" calling item for each.
func (p *parser) list(what string, item func() error) error {
	open, err := p.expect(tokLParen, "( opening "+what)
	if err != nil {
		return err
	}
	if err := p.enter(open.pos); err != nil {
		return err
	}
	defer p.leave()
	for {
		if err := item(); err != nil {
			return err
		}
		if p.peek().kind == tokComma {
			p.next()
			continue
		}
		_, err := p.expect(tokRParen, "a comma or ) in "+what)
		return err
	}
}

func (p *parser) polygon() (orb.Polygon, error) {
	var poly orb.Polygon
	err := p.list("a polygon", func() error {
		start := p.peek().pos
		pts, err := p.points()
		if err != nil {
			return err
		}
		if len(pts) < 4 || pts[0] != pts[len(pts)-1] {
			return &Error{Pos: start, Err: ErrSyntax, Msg: "a polygon ring needs at least 4 points, the last equal to the first"}
		}
		poly = append(poly, orb.Ring(pts))
		return nil
	})
	return poly, err
}

func (p *parser) geometryBody(t token, word string) (orb.Geometry, error) {
	switch word {
	case "POINT":
		if _, err := p.expect(tokLParen, "( after POINT"); err != nil {
			return nil, err
		}
		pt, err := p.point()
		if err != nil {
			return nil, err
		}
		_, err = p.expect(tokRParen, ") closing POINT")
		return pt, err
	case "LINESTRING":
		pts, err := p.points()
		if err != nil {
			return nil, err
		}
		if len(pts) < 2 {
			return nil, &Error{Pos: t.pos, Err: ErrSyntax, Msg: "a LINESTRING needs at least 2 points"}
		}
		return orb.LineString(pts), nil
	case "POLYGON":
		return p.polygon()
	case "MULTIPOINT":
		pts, err := p.points()
		return orb.MultiPoint(pts), err
	case "MULTILINESTRING":
		var ml orb.MultiLineString
		err := p.list("a MULTILINESTRING", func() error {
			pts, err := p.points()
			if err == nil && len(pts) < 2 {
				err = &Error{Pos: t.pos, Err: ErrSyntax, Msg: "a line needs at least 2 points"}
			}
			ml = append(ml, pts)
			return err
		})
		return ml, err
	case "MULTIPOLYGON":
		var mp orb.MultiPolygon
		err := p.list("a MULTIPOLYGON", func() error {
			poly, err := p.polygon()
			mp = append(mp, poly)
			return err
		})
		return mp, err
	case "GEOMETRYCOLLECTION":
		var c orb.Collection
		err := p.list("a GEOMETRYCOLLECTION", func() error {
			k := p.next()
			kw := strings.ToUpper(k.text)
			if k.kind != tokIdent || kw == "BBOX" || kw == "GEOMETRYCOLLECTION" {
				return p.unexpected(k, "a WKT geometry")
			}
			switch kw {
			case "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON":
			default:
				return p.unexpected(k, "a WKT geometry")
			}
			g, err := p.geometryBody(k, kw)
			c = append(c, g)
			return err
		})
		return c, err
	}
	return nil, p.unexpected(t, "a geometry")
}
