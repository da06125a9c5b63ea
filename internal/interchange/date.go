package interchange

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// parseDate reads a calendar date in the forms real ACLED and UCDP exports
// use and returns it as YYYY-MM-DD:
//
//	2016-07-02, 2016/07/02, 2013-01-03 00:00:00.000 (UCDP), 20160702
//	01-January-2015, 21 March 2020, 5-Aug-24, 2 Jul. 2016
//	31-12-19, 31/12/2019, 31.12.2019 (day first, as ACLED writes them)
//	August 5, 2024, Aug 5 2024 (month name first)
//
// Numeric dates with the year last are read day first, as ACLED writes them;
// when the first number cannot be a day-of-month pairing (second > 12) they
// are read month first. Two-digit years follow POSIX: 69-99 are 19xx, 00-68
// are 20xx.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("is empty")
	}
	// A time of day after the date (UCDP's "2013-01-03 00:00:00.000", or
	// ISO 8601 "2013-01-03T00:00:00Z") is dropped.
	if i := strings.IndexAny(s, "T "); i == 10 && s[4] == '-' {
		s = s[:10]
	}
	if len(s) == 8 && isDigits(s) { // 20160702
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '-' || r == '/' || r == ' ' || r == '.' || r == ','
	})
	if len(parts) != 3 {
		return "", fmt.Errorf("%q is not a date (expected e.g. 2016-07-02, 01-January-2015 or 31-12-19)", s)
	}
	var day, month, year int
	var err error
	switch {
	case len(parts[0]) == 4 && isDigits(parts[0]): // year first: Y-M-D
		year, _ = strconv.Atoi(parts[0])
		if month, err = monthOf(parts[1]); err == nil {
			day, err = number(parts[2])
		}
	case !isDigits(parts[0]): // month name first: August 5, 2024
		if month, err = monthOf(parts[0]); err == nil {
			if day, err = number(parts[1]); err == nil {
				year, err = yearOf(parts[2])
			}
		}
	default: // day first: D-M-Y
		if day, err = number(parts[0]); err != nil {
			break
		}
		if year, err = yearOf(parts[2]); err != nil {
			break
		}
		if isDigits(parts[1]) {
			month, _ = strconv.Atoi(parts[1])
			if month > 12 && day <= 12 { // 12/31/2019: month first after all
				day, month = month, day
			}
		} else {
			month, err = monthOf(parts[1])
		}
	}
	if err != nil {
		return "", fmt.Errorf("%q is not a date: %w", s, err)
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || t.Day() != day || t.Year() != year {
		return "", fmt.Errorf("%q is not a calendar date", s)
	}
	if year < 1800 || year > 2200 {
		return "", fmt.Errorf("%q: year %d is out of range", s, year)
	}
	return t.Format(incident.DateLayout), nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func number(s string) (int, error) {
	if !isDigits(s) || len(s) > 2 {
		return 0, fmt.Errorf("%q is not a day of the month", s)
	}
	n, _ := strconv.Atoi(s)
	return n, nil
}

func yearOf(s string) (int, error) {
	if !isDigits(s) || (len(s) != 2 && len(s) != 4) {
		return 0, fmt.Errorf("%q is not a year", s)
	}
	n, _ := strconv.Atoi(s)
	if len(s) == 2 {
		if n >= 69 {
			return 1900 + n, nil
		}
		return 2000 + n, nil
	}
	return n, nil
}

// monthOf reads a month as a number (1-12), an English name or its
// three-letter (or longer) abbreviation.
func monthOf(s string) (int, error) {
	if isDigits(s) {
		if len(s) > 2 {
			return 0, fmt.Errorf("%q is not a month", s)
		}
		n, _ := strconv.Atoi(s)
		return n, nil
	}
	l := strings.ToLower(s)
	if len(l) >= 3 {
		for m := time.January; m <= time.December; m++ {
			name := strings.ToLower(m.String())
			if strings.HasPrefix(name, l) || l == "sept" && m == time.September {
				return int(m), nil
			}
		}
	}
	return 0, fmt.Errorf("%q is not a month", s)
}
