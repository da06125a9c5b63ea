package gazetteer

import (
	"fmt"
	"strconv"
	"strings"
)

// geonameColumn names column i (0-based) of GeoNames' geoname table
// (allCountries.txt, XX.txt, citiesNNNN.txt), for error messages.
func geonameColumn(i int) string {
	names := [19]string{"geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
		"feature class", "feature code", "country code", "cc2", "admin1 code", "admin2 code", "admin3 code",
		"admin4 code", "population", "elevation", "dem", "timezone", "modification date"}
	return names[i]
}

// geonameRow is one parsed line of the geoname table, the columns the
// gazetteer keeps.
type geonameRow struct {
	ID           int64
	Name         string
	ASCIIName    string
	Alternates   string // comma-separated, as published
	Lat, Lon     float64
	FeatureClass string
	FeatureCode  string
	Country      string
	Admin1       string
	Admin2       string
	Population   int64
}

// ParseError is a malformed line in a GeoNames file: where it is and what
// is wrong, so a user can find it in a 12-million-line dump.
type ParseError struct {
	File   string
	Line   int
	Column int    // 1-based tab-separated column; 0 when the line as a whole is wrong
	Name   string // the column's name in GeoNames' readme
	Reason string
}

func (e *ParseError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: column %d (%s): %s", e.File, e.Line, e.Column, e.Name, e.Reason)
}

// parseGeonameLine parses one line of the geoname table (without its
// newline). file and line only label errors.
func parseGeonameLine(s, file string, line int) (geonameRow, error) {
	var f [19]string
	n := 0
	for n < 18 {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			break
		}
		f[n], s = s[:i], s[i+1:]
		n++
	}
	f[n] = s
	n++
	if n != 19 || strings.IndexByte(s, '\t') >= 0 {
		got := n
		if n == 19 {
			got = 19 + strings.Count(s, "\t")
		}
		return geonameRow{}, &ParseError{File: file, Line: line, Reason: fmt.Sprintf("%d tab-separated columns, want 19 (a truncated or non-GeoNames file?)", got)}
	}
	bad := func(col int, format string, args ...any) error {
		return &ParseError{File: file, Line: line, Column: col + 1, Name: geonameColumn(col), Reason: fmt.Sprintf(format, args...)}
	}
	var r geonameRow
	var err error
	if r.ID, err = strconv.ParseInt(f[0], 10, 64); err != nil || r.ID <= 0 {
		return r, bad(0, "%q is not a positive whole number", clip(f[0]))
	}
	if r.Name = f[1]; strings.TrimSpace(r.Name) == "" {
		return r, bad(1, "empty")
	}
	r.ASCIIName, r.Alternates = f[2], f[3]
	if r.Lat, err = strconv.ParseFloat(f[4], 64); err != nil || r.Lat < -90 || r.Lat > 90 || r.Lat != r.Lat {
		return r, bad(4, "%q is not a latitude between -90 and 90", clip(f[4]))
	}
	if r.Lon, err = strconv.ParseFloat(f[5], 64); err != nil || r.Lon < -180 || r.Lon > 180 || r.Lon != r.Lon {
		return r, bad(5, "%q is not a longitude between -180 and 180", clip(f[5]))
	}
	if len(f[6]) > 1 {
		return r, bad(6, "%q is not a one-letter feature class", clip(f[6]))
	}
	r.FeatureClass, r.FeatureCode = f[6], f[7]
	if c := f[8]; c != "" && (len(c) != 2 || !isUpperASCII(c)) {
		return r, bad(8, "%q is not a two-letter country code", clip(c))
	}
	r.Country, r.Admin1, r.Admin2 = f[8], f[10], f[11]
	if f[14] != "" {
		if r.Population, err = strconv.ParseInt(f[14], 10, 64); err != nil || r.Population < 0 {
			return r, bad(14, "%q is not a whole number", clip(f[14]))
		}
	}
	return r, nil
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// clip shortens a bad value for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
