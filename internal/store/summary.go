package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
	if !byAdmin1 {
		if sum, ok, err := s.indexedCountries(ctx, q); ok || err != nil {
			return sum, err
		}
	}
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

// indexedCountries counts q's matches per country in the in-memory index
// (which holds countries, not admin1 areas), in SQL's order; ok is false
// when the index cannot answer q. A map shading every country asks this
// over all incidents, which SQL answers by reading every row (seconds at a
// million), the index in milliseconds.
func (s *Store) indexedCountries(ctx context.Context, q Query) (sum AreaSummary, ok bool, err error) {
	ok, err = s.withIndex(ctx, q, func(x *index, f *filter) {
		byCode := make([]AreaCount, len(x.countries.names)) // code 0, NULL, is the country ""
		for _, t := range x.trees {
			t.each(f, func(it *item) {
				c := &byCode[it.country]
				c.Incidents++
				if it.fat > 0 {
					c.Fatalities += int64(it.fat)
				}
			})
		}
		for code, c := range byCode {
			if c.Incidents > 0 {
				c.Country = x.countries.names[code]
				sum.Areas = append(sum.Areas, c)
			}
		}
	})
	slices.SortFunc(sum.Areas, func(a, b AreaCount) int {
		return cmp.Or(cmp.Compare(b.Incidents, a.Incidents), cmp.Compare(a.Country, b.Country))
	})
	return sum, ok, err
}
