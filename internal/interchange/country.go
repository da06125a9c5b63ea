package interchange

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// countryNames maps country names, as the datasets spell them, to ISO 3166-1
// alpha-2 codes, and codes back to a display name.
type countryNames struct {
	byName map[string]string // normalised name → alpha-2
	byCode map[string]string // alpha-2 → display name
	fold   *strings.Replacer // see norm
}

// countries builds the table once. The CLDR English names in
// golang.org/x/text cover every ISO country; the aliases add the spellings
// ACLED and UCDP use (UCDP keeps historical names in parentheses, such as
// "DR Congo (Zaire)" or "Russia (Soviet Union)").
var countries = sync.OnceValue(func() *countryNames {
	t := &countryNames{byName: map[string]string{}, byCode: map[string]string{},
		fold: strings.NewReplacer("&", " and ", "’", "'", "ô", "o", "é", "e", "ç", "c", "ü", "u", "ã", "a",
			"st. ", "saint ", "-", " ", ",", " ", ".", " ")}
	names := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.ISO3() == "ZZZ" || r.M49() == 0 && code != "XK" {
				continue
			}
			if r.Canonicalize() != r { // deprecated: BU is now MM
				continue
			}
			name := names.Name(r)
			if name == "" {
				continue
			}
			t.byCode[code] = name
			if _, taken := t.byName[t.norm(name)]; !taken { // the first, current code wins
				t.byName[t.norm(name)] = code
			}
		}
	}
	// Names the datasets use that differ from CLDR's; the first spelling
	// for each code is also what exports write, following ACLED.
	for _, a := range [][2]string{
		{"CD", "Democratic Republic of Congo"}, {"CD", "DR Congo"}, {"CD", "Democratic Republic of the Congo"},
		{"CD", "Congo, DRC"}, {"CD", "Zaire"}, {"CD", "DRC"},
		{"CG", "Republic of Congo"}, {"CG", "Congo"}, {"CG", "Republic of the Congo"}, {"CG", "Congo-Brazzaville"},
		{"CI", "Ivory Coast"}, {"CI", "Cote d'Ivoire"},
		{"BA", "Bosnia and Herzegovina"}, {"BA", "Bosnia-Herzegovina"}, {"BA", "Bosnia"},
		{"PS", "Palestine"}, {"PS", "Palestinian Territory"}, {"PS", "West Bank"}, {"PS", "Gaza Strip"},
		{"SZ", "eSwatini"}, {"SZ", "Kingdom of eSwatini"}, {"SZ", "Eswatini"},
		{"MK", "North Macedonia"}, {"MK", "Macedonia, FYR"}, {"MK", "FYR Macedonia"},
		{"CZ", "Czech Republic"}, {"TL", "East Timor"}, {"TL", "Timor Leste"},
		{"KN", "Saint Kitts and Nevis"}, {"LC", "Saint Lucia"}, {"VC", "Saint Vincent and the Grenadines"},
		{"HK", "Hong Kong"}, {"MO", "Macau"}, {"US", "United States of America"}, {"US", "USA"},
		{"GB", "UK"}, {"GB", "Great Britain"}, {"RU", "Russian Federation"}, {"RU", "Soviet Union"},
		{"KR", "Republic of Korea"}, {"KP", "Democratic People's Republic of Korea"},
		{"MM", "Myanmar"}, {"MM", "Burma"}, {"KH", "Cambodia"}, {"KH", "Kampuchea"},
		{"IR", "Islamic Republic of Iran"}, {"SY", "Syrian Arab Republic"}, {"LA", "Lao PDR"},
		{"VN", "Viet Nam"}, {"TR", "Turkiye"}, {"TR", "Türkiye"}, {"CV", "Cabo Verde"},
		{"GM", "The Gambia"}, {"BS", "The Bahamas"}, {"YE", "North Yemen"}, {"YE", "South Yemen"},
		{"RS", "Yugoslavia"}, {"RS", "Serbia and Montenegro"}, {"ST", "Sao Tome and Principe"},
		{"VA", "Vatican"}, {"FM", "Federated States of Micronesia"}, {"TZ", "Tanzania"},
		{"BO", "Bolivia"}, {"VE", "Venezuela"}, {"MD", "Moldova"}, {"CW", "Curacao"},
		{"XK", "Kosovo"}, {"EH", "Western Sahara"}, {"SS", "South Sudan"},
	} {
		t.byName[t.norm(a[1])] = a[0]
	}
	// Export names: ACLED's spelling where CLDR's reads oddly.
	for code, name := range map[string]string{
		"CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "CI": "Ivory Coast",
		"BA": "Bosnia and Herzegovina", "PS": "Palestine", "SZ": "eSwatini", "MK": "North Macedonia",
		"CZ": "Czech Republic", "TL": "East Timor", "KN": "Saint Kitts and Nevis", "HK": "Hong Kong",
		"MO": "Macau", "MM": "Myanmar",
	} {
		t.byCode[code] = name
	}
	return t
})

// norm folds case, punctuation and "&"/"St." so that "Bosnia &
// Herzegovina", "bosnia and herzegovina" and "St. Kitts & Nevis" meet.
func (t *countryNames) norm(s string) string {
	s = t.fold.Replace(strings.ToLower(strings.TrimSpace(s)))
	s = strings.TrimPrefix(s, "the ")
	return strings.Join(strings.Fields(s), " ")
}

// countryCode returns the alpha-2 code for a country name or code, trying a
// UCDP name without its parenthesised historical name ("Yemen (North Yemen)")
// and then the historical name itself.
func countryCode(name string) (string, bool) {
	t := countries()
	name = strings.TrimSpace(name)
	if name == "" {
		return "", false
	}
	if len(name) == 2 {
		up := strings.ToUpper(name)
		if _, ok := t.byCode[up]; ok {
			return up, true
		}
	}
	if c, ok := t.byName[t.norm(name)]; ok {
		return c, true
	}
	if i := strings.IndexByte(name, '('); i > 0 {
		if c, ok := t.byName[t.norm(name[:i])]; ok {
			return c, true
		}
		inner := strings.TrimSuffix(name[i+1:], ")")
		if c, ok := t.byName[t.norm(inner)]; ok {
			return c, true
		}
	}
	return "", false
}

// countryName returns the English name exports write for an alpha-2 code,
// or the code itself when unknown.
func countryName(code string) string {
	if n, ok := countries().byCode[code]; ok {
		return n
	}
	return code
}

// countryFromNumeric maps an ISO 3166-1 numeric code (ACLED's iso column) to
// alpha-2.
func countryFromNumeric(n string) (string, bool) {
	n = strings.TrimSpace(n)
	if n == "" || len(n) > 3 {
		return "", false
	}
	r, err := language.ParseRegion(strings.Repeat("0", 3-len(n)) + n)
	if err != nil {
		return "", false
	}
	code := r.String()
	if _, ok := countries().byCode[code]; !ok {
		return "", false
	}
	return code, true
}

// countryNumeric returns the ISO 3166-1 numeric code of an alpha-2 code, 0
// when unknown.
func countryNumeric(code string) int {
	r, err := language.ParseRegion(code)
	if err != nil {
		return 0
	}
	return r.M49()
}
