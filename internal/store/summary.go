package store

import (
	"context"
	"fmt"
)

// MaxAreaRows caps the rows of a summary by admin1: the areas with most
// incidents come first, the rest are counted in Truncated. A summary by
// country lists every country (a choropleth needs them all), which ISO
// alpha-2 codes bound already (26×26 at most).
const MaxAreaRows = 100

// AreaCount is how many incidents one area holds, and their fatalities.
type AreaCount struct {
	Country    string // ISO alpha-2
	Admin1     string // "" when grouped by country, or when incidents name no admin1
	Incidents  int64
	Fatalities int64 // sum of the known fatalities
}

// AreaSummary counts the incidents matching q by area, most incidents first.
type AreaSummary struct {
	Areas     []AreaCount
	Truncated int64 // areas left out beyond MaxAreaRows (by admin1 only)
}

// SummarizeAreas counts the incidents matching q per country, or per
// country and admin1 when byAdmin1 is set.
func (s *Store) SummarizeAreas(ctx context.Context, q Query, byAdmin1 bool) (AreaSummary, error) {
	q.Cursor, q.Limit = "", 0
	b, err := s.build(ctx, q, false)
	if err != nil {
		return AreaSummary{}, err
	}
	keys := "COALESCE(i.country, ''), ''"
	if byAdmin1 {
		keys = "COALESCE(i.country, ''), COALESCE(i.admin1, '')"
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT "+keys+", COUNT(*) AS n, COALESCE(SUM(i.fatalities), 0) FROM "+b.from+b.whereSQL()+
		" GROUP BY 1, 2 ORDER BY n DESC, 1, 2", b.args...)
	if err != nil {
		return AreaSummary{}, fmt.Errorf("summarizing incidents by area: %w", err)
	}
	defer rows.Close()
	var out AreaSummary
	for rows.Next() {
		var a AreaCount
		if err := rows.Scan(&a.Country, &a.Admin1, &a.Incidents, &a.Fatalities); err != nil {
			return AreaSummary{}, fmt.Errorf("reading an area summary: %w", err)
		}
		if byAdmin1 && len(out.Areas) == MaxAreaRows {
			out.Truncated++
			continue
		}
		out.Areas = append(out.Areas, a)
	}
	if err := rows.Err(); err != nil {
		return AreaSummary{}, fmt.Errorf("summarizing incidents by area: %w", err)
	}
	return out, nil
}
