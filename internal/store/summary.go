package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
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
// country and admin1 when byAdmin1 is set. The in-memory index answers
// when it can; SQL, which reads every matching row, otherwise.
func (s *Store) SummarizeAreas(ctx context.Context, q Query, byAdmin1 bool) (AreaSummary, error) {
	q = q.unpaged()
	if sum, ok, err := s.indexedAreas(ctx, q, byAdmin1); ok || err != nil {
		return sum, err
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
		out.Add(a, byAdmin1)
	}
	if err := rows.Err(); err != nil {
		return AreaSummary{}, fmt.Errorf("summarizing incidents by area: %w", err)
	}
	return out, nil
}

// Add appends a row in order, or counts it in Truncated once a capped
// summary (by admin1) holds MaxAreaRows: every store's one rule.
func (sum *AreaSummary) Add(a AreaCount, capped bool) {
	if capped && len(sum.Areas) == MaxAreaRows {
		sum.Truncated++
		return
	}
	sum.Areas = append(sum.Areas, a)
}

// indexedAreas counts q's matches per country, or per (country, admin1)
// area, in the in-memory index, in SQL's order; ok is false when the index
// cannot answer q, or holds more areas than it has codes for. A map
// shading every country, or the summary panel at world view, asks this
// over all incidents, which SQL answers by reading every row (seconds at a
// million), the index in milliseconds.
func (s *Store) indexedAreas(ctx context.Context, q Query, byAdmin1 bool) (sum AreaSummary, ok bool, err error) {
	full := false
	ok, err = s.withIndex(ctx, q, func(x *index, f *filter) {
		if full = byAdmin1 && x.areas.isFull(); !full {
			sum = x.areaSummary(f, byAdmin1)
		}
	})
	return sum, ok && !full, err
}

// areaSummary counts f's matches per code of the country or the area
// dictionary, then names them. Codes that name the same row (a NULL and
// an empty country) are merged, as SQL's COALESCE does.
func (x *index) areaSummary(f *filter, byAdmin1 bool) AreaSummary {
	names := x.countries.names
	if byAdmin1 {
		names = x.areas.names
	}
	byCode := make([]AreaCount, len(names))
	for _, t := range x.trees {
		t.each(f, func(it *item) {
			code := it.country
			if byAdmin1 {
				code = it.area
			}
			c := &byCode[code]
			c.Incidents++
			if it.fat > 0 {
				c.Fatalities += int64(it.fat)
			}
		})
	}
	type name struct{ country, admin1 string }
	rows := map[name]AreaCount{}
	for code, c := range byCode {
		if c.Incidents == 0 {
			continue
		}
		n := name{country: names[code]}
		if byAdmin1 {
			n.country, n.admin1 = splitArea(names[code])
		}
		r := rows[n]
		r.Country, r.Admin1 = n.country, n.admin1
		r.Incidents += c.Incidents
		r.Fatalities += c.Fatalities
		rows[n] = r
	}
	sorted := slices.SortedFunc(maps.Values(rows), func(a, b AreaCount) int {
		return cmp.Or(cmp.Compare(b.Incidents, a.Incidents), cmp.Compare(a.Country, b.Country), cmp.Compare(a.Admin1, b.Admin1))
	})
	var sum AreaSummary
	for _, a := range sorted {
		sum.Add(a, byAdmin1)
	}
	return sum
}
