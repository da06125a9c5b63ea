package postgis

import (
	"context"
	"fmt"
	"strings"

	"github.com/incidentmap/incidentmap/internal/cql2"
	"github.com/incidentmap/incidentmap/internal/store"
)

var _ store.TileLayerEncoder = (*Store)(nil)

// EncodeTileLayer encodes the incidents matching q as the vector tile
// layer l with ST_AsMVT, in the server: the rows never leave it.
// ST_AsMVTGeom projects each geometry into the tile's grid and clips it
// l.Buffer units past the edges; ST_AsMVT leaves null properties out, and
// empty text is made null, as the Go encoder leaves it out.
func (s *Store) EncodeTileLayer(ctx context.Context, q store.Query, l store.TileLayer) ([]byte, error) {
	q.Cursor, q.Limit = "", 0
	w, err := build(q)
	if err != nil {
		return nil, err
	}
	types := map[string]cql2.Type{}
	for _, c := range store.FilterColumns() {
		types[c.Name] = c.Type
	}
	cols := make([]string, len(l.Properties))
	for i, p := range l.Properties {
		if !validColumn(p) {
			return nil, fmt.Errorf("tile layer property %q is not a column", p)
		}
		switch types[p] {
		case cql2.Integer, cql2.Number:
			cols[i] = "i." + p
		case cql2.Date, cql2.Timestamp:
			cols[i] = "i." + p + "::text AS " + p
		default:
			cols[i] = "NULLIF(i." + p + ", '') AS " + p
		}
	}
	env := fmt.Sprintf("ST_TileEnvelope(%s, %s, %s)", w.arg(l.Z), w.arg(l.X), w.arg(l.Y))
	geom := fmt.Sprintf("ST_AsMVTGeom(ST_Transform(i.geom, 3857), %s, %s, %s, true)", env, w.arg(l.Extent), w.arg(l.Buffer))
	rows := "SELECT " + geom + " AS geom, " + strings.Join(cols, ", ") + " FROM incidents i" + w.sql() + " LIMIT " + w.arg(l.Limit)
	sql := "SELECT ST_AsMVT(t.*, " + w.arg(l.Name) + ", " + w.arg(l.Extent) + ", 'geom') FROM (" + rows + ") t WHERE t.geom IS NOT NULL"
	var tile []byte
	if err := s.pool.QueryRow(ctx, sql, w.args...).Scan(&tile); err != nil {
		return nil, fmt.Errorf("encoding tile %d/%d/%d: %w", l.Z, l.X, l.Y, err)
	}
	return tile, nil
}

// validColumn reports whether name can stand in SQL as a column name:
// lower-case letters, digits and underscores.
func validColumn(name string) bool {
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return name != ""
}
