package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// dateExpr is a date expression found in a sentence, resolved against the
// publication date.
type dateExpr struct {
	Start, End int // byte offsets within the sentence
	Text       string
	Date       time.Time
	EndDate    time.Time // zero unless a range
	Precision  string    // incident.PrecisionDay ...
	Weak       bool      // a guess ("overnight", "today" in a quote)
	// Relative is a date read against the reference day, the text giving
	// no year: "on Saturday", "yesterday", "March 4".
	Relative bool
}

// dateRules holds the compiled patterns of the date finder; build it once
// per Extractor.
type dateRules struct {
	iso, monthDay, dayMonth, monthYear, weekday, relWord, ago, yearOnly, numeric *regexp.Regexp
	// weekdayName follows a weekday that names a street or market ("Monday
	// Avenue"), not a day.
	weekdayName *regexp.Regexp
	months      map[string]time.Month
	weekdays    map[string]time.Weekday
}

const monthPat = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`

func newDateRules() *dateRules {
	d := &dateRules{
		iso: regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`),
		// "September 23", "Sept. 22-23", "September 23, 2019", "March 9th".
		monthDay: regexp.MustCompile(`\b` + monthPat + `\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*(\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(\d{4}))?\b`),
		// "23 Sept 2019", "22-23 September", "16th November 2020".
		dayMonth: regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–)\s*(\d{1,2})(?:st|nd|rd|th)?)?\s+(?:of\s+)?` + monthPat + `(?:,?\s+(\d{4}))?\b`),
		// "in March 2015", "last March": month precision.
		monthYear:   regexp.MustCompile(`\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?)\s+` + monthPat + `(?:\s+(\d{4}))?\b`),
		weekdayName: regexp.MustCompile(`^\s+(Avenue|Street|Road|Market|Square)\b`),
		weekday:     regexp.MustCompile(`(?i)\b(?:(last|this|past|on|early|late|since)\s+(?:on\s+)?)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)('s)?(?:\s+(morning|afternoon|evening|night))?`),
		relWord:     regexp.MustCompile(`(?i)\b(yesterday|today|tonight|this morning|this afternoon|this evening|last night|overnight|earlier this week|earlier this month|this week|last week|last month|this month|last year)\b`),
		ago:         regexp.MustCompile(`(?i)\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a few|several)\s+(day|days|week|weeks|month|months|year|years)\s+(ago|earlier|before)\b`),
		// "01/02", "(16/01)", "on 20/12/2016": day and month in the order
		// of the report's country.
		// Without a year both parts have two digits: "3/2" is a score.
		numeric:  regexp.MustCompile(`(?:^|[\s(\[])(\d{2})/(\d{2})(?:/(\d{4}|\d{2}))?(?:$|[\s)\].,;])|(?:^|[\s(\[])(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[\s)\].,;])`),
		yearOnly: regexp.MustCompile(`\b(?:in|since|of|during|a|the|by|until|from|early|late|mid)\s+((?:19|20)\d{2})\b`),
		months: map[string]time.Month{
			"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
			"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
			"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
		},
		weekdays: map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
			"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday},
	}
	return d
}

func (d *dateRules) month(s string) (time.Month, bool) {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0, false
	}
	m, ok := d.months[s[:3]]
	return m, ok
}

// find returns the date expressions of a sentence, in text order. pub is
// the publication date (zero when unknown: relative expressions are then
// dropped, and absolute dates without a year are dropped too). Dates after
// pub are dropped: an article cannot report what has not happened.
//
// monthFirst says that numeric dates ("01/02") put the month first, as in
// the United States; elsewhere the day comes first.
func (d *dateRules) find(s string, pub time.Time, monthFirst bool) []dateExpr {
	var out []dateExpr
	taken := func(a, b int) bool {
		for _, e := range out {
			if a < e.End && b > e.Start {
				return true
			}
		}
		return false
	}
	add := func(e dateExpr) {
		if taken(e.Start, e.End) {
			return
		}
		if !pub.IsZero() && e.Date.After(pub) {
			return
		}
		if !e.EndDate.IsZero() && !pub.IsZero() && e.EndDate.After(pub) {
			e.EndDate = pub
		}
		out = append(out, e)
	}
	// Cheap tests first: most sentences name no month and no weekday.
	hasMonth := false
	for _, m := range []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
		if strings.Contains(s, m) {
			hasMonth = true
			break
		}
	}
	hasISO := strings.Contains(s, "-")
	for _, m := range d.matches(d.iso, s, hasISO) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		day, _ := strconv.Atoi(s[m[6]:m[7]])
		if t, ok := mkDate(y, time.Month(mo), day); ok {
			add(dateExpr{Start: m[0], End: m[1], Text: s[m[0]:m[1]], Date: t, Precision: incident.PrecisionDay})
		}
	}
	// "May 5" is a date, but "may" lower-case is a verb: the month
	// pattern is case-sensitive.
	d.addDays(s, d.matches(d.monthDay, s, hasMonth), dayGroups{month: 1, day: 2, endDay: 3, year: 4}, pub, add)
	d.addDays(s, d.matches(d.dayMonth, s, hasMonth), dayGroups{day: 1, endDay: 2, month: 3, year: 4}, pub, add)
	for _, m := range d.matches(d.monthYear, s, hasMonth) {
		mon, ok := d.month(s[m[2]:m[3]])
		if !ok {
			continue
		}
		year, relative := 0, m[4] < 0
		if m[4] >= 0 {
			year, _ = strconv.Atoi(s[m[4]:m[5]])
		} else if !pub.IsZero() {
			year = pub.Year()
			if mon > pub.Month() {
				year--
			}
		} else {
			continue
		}
		t, _ := mkDate(year, mon, 1)
		add(dateExpr{Start: m[0], End: m[1], Text: s[m[0]:m[1]], Date: t, Precision: incident.PrecisionMonth, Relative: relative})
	}
	d.addNumeric(s, pub, monthFirst, add)
	if !pub.IsZero() {
		d.relative(s, pub, add)
	}
	for _, m := range d.matches(d.yearOnly, s, strings.ContainsAny(s, "12")) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		t, _ := mkDate(y, time.January, 1)
		add(dateExpr{Start: m[2], End: m[3], Text: s[m[2]:m[3]], Date: t, Precision: incident.PrecisionYear})
	}
	sortDates(out)
	return out
}

// dayGroups says which submatch of a day pattern holds which part: the
// month-first and day-first patterns differ only in their order.
type dayGroups struct{ month, day, endDay, year int }

// addDays adds the day (or day range) expressions of the matches ms of a
// day pattern; the end day and the year are optional groups.
func (d *dateRules) addDays(s string, ms [][]int, g dayGroups, pub time.Time, add func(dateExpr)) {
	group := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	for _, m := range ms {
		mon, ok := d.month(group(m, g.month))
		if !ok {
			continue
		}
		// An absent group reads as 0: no end day, no year.
		day, _ := strconv.Atoi(group(m, g.day))
		endDay, _ := strconv.Atoi(group(m, g.endDay))
		year, _ := strconv.Atoi(group(m, g.year))
		if e, ok := absolute(year, mon, day, endDay, pub); ok {
			e.Start, e.End, e.Text = m[0], m[1], s[m[0]:m[1]]
			add(e)
		}
	}
}

// addNumeric adds numeric dates ("16/01", "20/12/2016"); a pair that
// cannot be a date in the country's order is not one ("13/25").
func (d *dateRules) addNumeric(s string, pub time.Time, monthFirst bool, add func(dateExpr)) {
	for _, m := range d.matches(d.numeric, s, strings.Contains(s, "/")) {
		if m[2] < 0 { // the second form: one-digit parts with a year
			m = append([]int{m[0], m[1]}, m[8:]...)
		}
		a, _ := strconv.Atoi(s[m[2]:m[3]])
		b, _ := strconv.Atoi(s[m[4]:m[5]])
		day, mon := a, b
		if monthFirst {
			day, mon = b, a
		}
		year := 0
		if m[6] >= 0 {
			year, _ = strconv.Atoi(s[m[6]:m[7]])
			if year < 100 {
				year += 2000
			}
		}
		if mon < 1 || mon > 12 {
			continue
		}
		if e, ok := absolute(year, time.Month(mon), day, 0, pub); ok {
			e.Start, e.End, e.Text = m[2], m[1], strings.TrimRight(s[m[2]:m[1]], " )].,;")
			add(e)
		}
	}
}

// relative resolves weekday names and words such as "yesterday" against
// the publication date.
func (d *dateRules) relative(s string, pub time.Time, add func(dateExpr)) {
	l := strings.ToLower(s)
	for _, m := range d.matches(d.weekday, s, strings.Contains(l, "day")) {
		if d.weekdayName.MatchString(s[m[1]:]) {
			continue // "Monday Avenue", "Friday Market": a name, not a day
		}
		day := d.weekdays[strings.ToLower(s[m[4]:m[5]])]
		mod := ""
		if m[2] >= 0 {
			mod = strings.ToLower(s[m[2]:m[3]])
		}
		// A weekday in news copy is the latest such day on or before
		// publication ("on Monday" in a Monday paper is that day); "last
		// Monday" is at least a day back.
		back := (int(pub.Weekday()) - int(day) + 7) % 7
		if mod == "last" && back == 0 {
			back = 7
		}
		add(dateExpr{Start: m[0], End: m[1], Text: s[m[0]:m[1]], Date: pub.AddDate(0, 0, -back),
			Precision: incident.PrecisionDay, Relative: true})
	}
	rel := false
	for _, w := range []string{"yesterday", "today", "tonight", "this ", "last ", "overnight", "earlier"} {
		if strings.Contains(l, w) {
			rel = true
			break
		}
	}
	for _, m := range d.matches(d.relWord, s, rel) {
		w := strings.ToLower(s[m[2]:m[3]])
		e := dateExpr{Start: m[0], End: m[1], Text: s[m[0]:m[1]], Precision: incident.PrecisionDay, Relative: true}
		switch w {
		case "yesterday", "last night":
			e.Date = pub.AddDate(0, 0, -1)
		case "today", "tonight", "this morning", "this afternoon", "this evening":
			// Weak: in quoted statements "today" is the statement's day.
			e.Date, e.Weak = pub, true
		case "overnight":
			e.Date, e.Weak = pub, true
		case "this week", "earlier this week":
			e.Date, e.Precision, e.Weak = pub.AddDate(0, 0, -int(pub.Weekday()+6)%7), incident.PrecisionWeek, true
		case "last week":
			e.Date, e.Precision = pub.AddDate(0, 0, -7), incident.PrecisionWeek
		case "this month", "earlier this month":
			e.Date, e.Precision, e.Weak = time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC), incident.PrecisionMonth, true
		case "last month":
			e.Date, e.Precision = time.Date(pub.Year(), pub.Month()-1, 1, 0, 0, 0, 0, time.UTC), incident.PrecisionMonth
		case "last year":
			e.Date, e.Precision = time.Date(pub.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC), incident.PrecisionYear
		}
		add(e)
	}
	for _, m := range d.matches(d.ago, s, strings.Contains(l, "ago") || strings.Contains(l, "earlier") || strings.Contains(l, "before")) {
		n := numberWordValue(strings.ToLower(s[m[2]:m[3]]))
		if n <= 0 {
			n = 1
			if strings.Contains(s[m[2]:m[3]], "few") || strings.Contains(s[m[2]:m[3]], "several") {
				n = 3
			}
		}
		unit := strings.ToLower(s[m[4]:m[5]])
		e := dateExpr{Start: m[0], End: m[1], Text: s[m[0]:m[1]], Relative: true}
		switch {
		case strings.HasPrefix(unit, "day"):
			e.Date, e.Precision = pub.AddDate(0, 0, -n), incident.PrecisionDay
			if n > 2 {
				e.Precision = incident.PrecisionWeek
			}
		case strings.HasPrefix(unit, "week"):
			e.Date, e.Precision = pub.AddDate(0, 0, -7*n), incident.PrecisionWeek
		case strings.HasPrefix(unit, "month"):
			e.Date, e.Precision = pub.AddDate(0, -n, 0), incident.PrecisionMonth
		default:
			e.Date, e.Precision = pub.AddDate(-n, 0, 0), incident.PrecisionYear
		}
		add(e)
	}
}

// matches runs re over s when the cheap test ok passed.
func (d *dateRules) matches(re *regexp.Regexp, s string, ok bool) [][]int {
	if !ok {
		return nil
	}
	return re.FindAllStringSubmatchIndex(s, -1)
}

// absolute builds a day (or day range) expression; without a year it takes
// the latest such day on or before publication.
func absolute(year int, mon time.Month, day, endDay int, pub time.Time) (dateExpr, bool) {
	relative := year == 0
	if year == 0 {
		if pub.IsZero() {
			return dateExpr{}, false
		}
		year = pub.Year()
		if t, ok := mkDate(year, mon, day); ok && t.After(pub) {
			year--
		}
	}
	t, ok := mkDate(year, mon, day)
	if !ok {
		return dateExpr{}, false
	}
	e := dateExpr{Date: t, Precision: incident.PrecisionDay, Relative: relative}
	if endDay > day {
		if end, ok := mkDate(year, mon, endDay); ok {
			e.EndDate = end
		}
	}
	return e, true
}

func mkDate(y int, m time.Month, d int) (time.Time, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 September
	}
	return t, true
}

func sortDates(ds []dateExpr) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Start < ds[j-1].Start; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}
