package main

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// countryPointsCSV is GeoNames' reference point of each sovereign country
// (see the file's header for its source and licence).
//
//go:embed country_points.csv
var countryPointsCSV string

type latLon struct{ lat, lon float64 }

// parseCountryPoints reads "CC,lat,lon" lines; lines starting with # are
// comments.
func parseCountryPoints(data string) (map[string]latLon, error) {
	out := map[string]latLon{}
	for n, line := range strings.Split(strings.TrimSpace(data), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 3 || len(f[0]) != 2 {
			return nil, fmt.Errorf("country_points.csv line %d: want CC,lat,lon", n+1)
		}
		lat, err1 := strconv.ParseFloat(f[1], 64)
		lon, err2 := strconv.ParseFloat(f[2], 64)
		if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return nil, fmt.Errorf("country_points.csv line %d: bad coordinates", n+1)
		}
		out[f[0]] = latLon{lat, lon}
	}
	return out, nil
}
