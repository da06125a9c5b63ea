package gazetteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// importedLimit caps the rows one Lookup reads from imported data: a
// common name ("san jose") has hundreds of places.
const importedLimit = 200

// importedSource is a GeoNames dump imported into the database (Import).
// Lookups add its places to the built-in ones; ids shared with the
// built-in data (same GeoNames place, same admin code) are merged.
type importedSource struct {
	db     *sql.DB
	places int64
}

// Open returns the gazetteer for a database: the built-in data, plus the
// GeoNames dump imported into db with Import when there is one. db may be
// nil (built-in data only).
func Open(ctx context.Context, db *sql.DB) (*Gazetteer, error) {
	g, err := Builtin()
	if err != nil {
		return nil, err
	}
	if db == nil {
		return g, nil
	}
	var value string
	err = db.QueryRowContext(ctx, `SELECT value FROM gazetteer_meta WHERE key = 'places'`).Scan(&value)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) || strings.Contains(err.Error(), "no such table") {
			return g, nil
		}
		return nil, fmt.Errorf("opening the imported gazetteer: %w", err)
	}
	n, _ := strconv.ParseInt(value, 10, 64)
	g.imported = &importedSource{db: db, places: n}
	return g, nil
}

// Imported returns the number of places imported into the database, 0
// when the gazetteer uses built-in data only.
func (g *Gazetteer) Imported() int64 {
	if g.imported == nil {
		return 0
	}
	return g.imported.places
}

const importedSelect = `SELECT p.id, p.name, p.ascii, p.fcode, p.fclass, p.country, p.admin1, p.admin2, p.lat, p.lon,
	p.population, a1.name, a2.name`

const importedJoins = ` LEFT JOIN gazetteer_admin a1 ON a1.code = p.country || '.' || p.admin1
	LEFT JOIN gazetteer_admin a2 ON a2.code = p.country || '.' || p.admin1 || '.' || p.admin2`

// lookup adds the imported places named key to lk.
func (s *importedSource) lookup(ctx context.Context, g *Gazetteer, lk *lookup, key string) error {
	rows, err := s.db.QueryContext(ctx, importedSelect+`, n.kind FROM gazetteer_names n JOIN gazetteer_places p ON p.id = n.place_id`+
		importedJoins+` WHERE n.key = ? ORDER BY p.population DESC LIMIT ?`, key, importedLimit)
	if err != nil {
		return fmt.Errorf("looking up %q in the imported gazetteer: %w", key, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		p, err := scanImported(g, rows, &kind)
		if err != nil {
			return fmt.Errorf("looking up %q in the imported gazetteer: %w", key, err)
		}
		lk.add(-1, &p, key, NameKind(kind), matchWeight(NameKind(kind)))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking up %q in the imported gazetteer: %w", key, err)
	}
	return nil
}

// get returns an imported place by id.
func (s *importedSource) get(g *Gazetteer, id string) (Place, error) {
	var where string
	var arg any
	switch {
	case strings.HasPrefix(id, "geonames:"):
		n, err := strconv.ParseInt(id[len("geonames:"):], 10, 64)
		if err != nil {
			return Place{}, fmt.Errorf("getting place %q: %w", id, ErrNotFound)
		}
		where, arg = "p.id = ?", n
	case strings.HasPrefix(id, "geonames-admin1:"):
		where, arg = "p.fcode = 'ADM1' AND p.country || '.' || p.admin1 = ?", id[len("geonames-admin1:"):]
	case strings.HasPrefix(id, "geonames-admin2:"):
		where, arg = "p.fcode = 'ADM2' AND p.country || '.' || p.admin1 || '.' || p.admin2 = ?", id[len("geonames-admin2:"):]
	default:
		return Place{}, fmt.Errorf("getting place %q: %w", id, ErrNotFound)
	}
	rows, err := s.db.Query(importedSelect+` FROM gazetteer_places p`+importedJoins+` WHERE `+where+` LIMIT 1`, arg)
	if err != nil {
		return Place{}, fmt.Errorf("getting place %q: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Place{}, fmt.Errorf("getting place %q: %w", id, err)
		}
		return Place{}, fmt.Errorf("getting place %q: %w", id, ErrNotFound)
	}
	return scanImported(g, rows, nil)
}

// scanImported reads one imported place; kind, when not nil, receives the
// extra name-kind column.
func scanImported(g *Gazetteer, rows *sql.Rows, kind *int) (Place, error) {
	var p Place
	var fclass string
	var lat, lon float64
	var a1, a2 sql.NullString
	dest := []any{&p.GeoNameID, &p.Name, &p.ASCIIName, &p.FeatureCode, &fclass, &p.Country, &p.Admin1Code, &p.Admin2Code,
		&lat, &lon, &p.Population, &a1, &a2}
	if kind != nil {
		dest = append(dest, kind)
	}
	if err := rows.Scan(dest...); err != nil {
		return p, err
	}
	p.Point = orb.Point{lon, lat}
	p.Centre = p.Point // GeoNames' own point for an area is its centre
	p.CoordSource = "imported"
	switch p.FeatureCode {
	case "ADM1":
		p.Level = LevelAdmin1
		p.ID = "geonames-admin1:" + p.Country + "." + p.Admin1Code
		p.Admin2Code = ""
	case "ADM2":
		p.Level = LevelAdmin2
		p.ID = "geonames-admin2:" + p.Country + "." + p.Admin1Code + "." + p.Admin2Code
	default:
		p.Level = LevelPlace
		p.ID = "geonames:" + strconv.FormatInt(p.GeoNameID, 10)
	}
	if c, ok := g.country(p.Country); ok {
		p.CountryName = g.places.Name(int(c))
	}
	p.Admin1, p.Admin2 = a1.String, a2.String
	if p.Admin1 == "" && p.Admin1Code != "" {
		if i, ok := g.admin(p.Country, p.Admin1Code, ""); ok {
			p.Admin1 = g.places.Name(int(i))
		}
	}
	if p.Admin2 == "" && p.Admin2Code != "" {
		if i, ok := g.admin(p.Country, p.Admin1Code, p.Admin2Code); ok {
			p.Admin2 = g.places.Name(int(i))
		}
	}
	return p, nil
}
