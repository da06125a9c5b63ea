package extract

import (
	"regexp"
	"strings"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// A coder's remark is a note about the coding itself inside an event
// note: "(coded as Narail, Khulna)", "Geo-precision 2 as coordinates are
// for Mollahat upazila.", "(district capital = Kitale)", "(Lat/longs for
// Mong Wee unavailable.)". ACLED's notes carry such remarks in about one
// in twenty; they say outright where the event was coded, or that a
// place named could not be, and their lead words are no place names
// ("Lat", "Geo").

// remarkKind says what a remark's place is to the event.
type remarkKind int

const (
	// remarkCoded names the place the event was coded at.
	remarkCoded remarkKind = iota
	// remarkFallback names the place a coder falls back on when the
	// event's own place is below the map ("district capital = Kitale").
	remarkFallback
	// remarkUnplaced names a place that could not be placed: not the
	// event's place on the map.
	remarkUnplaced
)

// remarkRule is one way coders write a remark: re's first group is the
// place it names.
type remarkRule struct {
	name string
	kind remarkKind
	re   *regexp.Regexp
}

// remarkPlace is the name a remark gives: words up to a bracket, comma,
// stop or "with" ("coded to Hadrut with GP2").
const remarkPlace = `([^()\[\],.;:=]+?)`

// remarkRules are the remarks' wordings, tried in order; a stretch of text
// is read by the first rule that matches it.
func remarkRules() []remarkRule {
	end := `\s*(?:[)\],.;]|\bwith\b|\bused\b|$)`
	return []remarkRule{
		{"place: the coder's remark says the coordinates of this place were unavailable", remarkUnplaced,
			regexp.MustCompile(`(?i)\b(?:lat/longs?|lat-longs?|coordinates|geo-coordinates)\s+(?:for|of)\s+` + remarkPlace + `\s+(?:(?:were|was|are|is)\s+)?(?:unavailable|not available)`)},
		{"place: the coder's remark names the place the event was coded at", remarkCoded,
			regexp.MustCompile(`(?i)(?:[(\[]\s*|\blocation\s+(?:is\s+)?)coded\s+(?:as|to|at)\s+` + remarkPlace + end)},
		{"place: the coder's remark names the place whose coordinates were used", remarkCoded,
			regexp.MustCompile(`(?i)\b(?:geo-)?coordinates\s+(?:are|were)\s+(?:for|of)\s+` + remarkPlace + end)},
		{"place: the coder's remark names the place whose coordinates were used", remarkCoded,
			regexp.MustCompile(`(?i)\b(?:geo-)?coordinates\s+(?:for|of)\s+` + remarkPlace + `(?:\s*,[^().;]*?)?\s+(?:(?:were|was)\s+)?used\b`)},
		{"place: the coder's remark names the district capital to fall back on", remarkFallback,
			regexp.MustCompile(`(?i)\(\s*(?:(?:district|provincial|county|divisional)\s+capital|capital\s+of\s+(?:the\s+)?(?:district|province|county))\s*=\s*` + remarkPlace + `\s*\)`)},
	}
}

// remark is one remark found in a text (byte offsets).
type remark struct {
	rule                 *remarkRule
	start, end           int // the whole remark
	placeStart, placeEnd int // the name it gives
}

// findRemarks returns the coders' remarks of text, rule by rule.
func (x *Extractor) findRemarks(text string) []remark {
	if !mayHaveRemark(text) {
		return nil
	}
	var out []remark
	for i := range x.remarks {
		rule := &x.remarks[i]
		for _, m := range rule.re.FindAllStringSubmatchIndex(text, -1) {
			if overlapsRemark(out, m[0], m[1]) || !hasCapital(text[m[2]:m[3]]) {
				continue
			}
			out = append(out, remark{rule: rule, start: m[0], end: m[1], placeStart: m[2], placeEnd: m[3]})
		}
	}
	return out
}

// mayHaveRemark is a cheap test that lets most texts skip the patterns:
// each pattern needs one of these ("lat/long", "lat-long", or the "=" of
// "district capital = X"; "lat" and "capital" alone are in too many
// texts).
func mayHaveRemark(text string) bool {
	l := strings.ToLower(text)
	for _, w := range []string{"coded", "coordinates", "lat/long", "lat-long", "="} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func overlapsRemark(rs []remark, start, end int) bool {
	for _, r := range rs {
		if start < r.end && r.start < end {
			return true
		}
	}
	return false
}

func hasCapital(s string) bool {
	for _, c := range s {
		if c >= 'A' && c <= 'Z' || c > 0x7f {
			return true
		}
	}
	return false
}

// dropRemarkWords removes the spots a remark's own words make: everything
// inside an unplaced remark, and the words before the name in the others
// ("Lat", "Geo").
func dropRemarkWords(spots []spot, rs []remark) []spot {
	if len(rs) == 0 {
		return spots
	}
	kept := spots[:0]
next:
	for _, sp := range spots {
		for _, r := range rs {
			inside := sp.Start < r.end && r.start < sp.End
			inName := sp.Start < r.placeEnd && r.placeStart < sp.End
			if inside && (r.rule.kind == remarkUnplaced || !inName && sp.End <= r.placeStart) {
				continue next
			}
		}
		kept = append(kept, sp)
	}
	return kept
}

// remarkPlaceFor returns the resolved mention a note's remark puts its one
// incident at, the rule that did, and whether one does: a coded place
// always, a fallback only when the incident's own place is no town the
// gazetteer knows.
func remarkPlaceFor(an *analysis, current int) (int, *remarkRule, bool) {
	for _, rm := range an.remarks {
		if rm.rule.kind == remarkUnplaced {
			continue
		}
		if rm.rule.kind == remarkFallback && current >= 0 && knownTown(&an.res[current]) {
			continue
		}
		if i := finestIn(an, rm.placeStart, rm.placeEnd); i >= 0 {
			return i, rm.rule, true
		}
	}
	return -1, nil, false
}

// knownTown reports whether r is a gazetteer town, not a name placed at
// its area or an area itself.
func knownTown(r *resolved) bool {
	return r.OK && !r.Inherited && r.Place.Level == gazetteer.LevelPlace
}

// finestIn returns the resolved mention inside [start, end) with the
// finest place, the last of equals ("Dhaka - Shahbagh"), or -1.
func finestIn(an *analysis, start, end int) int {
	best := -1
	for i := range an.res {
		r := &an.res[i]
		if !r.OK || r.Demonym || r.Start >= end || r.End <= start {
			continue
		}
		if best < 0 || placed(*r).GeoPrecision <= placed(an.res[best]).GeoPrecision {
			best = i
		}
	}
	return best
}
