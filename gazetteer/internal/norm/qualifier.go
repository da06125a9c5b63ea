package norm

import "strings"

// Qualifier is an administrative word around a name ("Helmand province",
// "city of Basra") that says which kind of place is meant.
type Qualifier int

// Qualifiers. Their meaning varies by country (Ugandan districts are
// first-level divisions, Afghan ones second-level), so a Qualifier steers
// ranking rather than filtering.
const (
	QualNone     Qualifier = iota
	QualProvince           // province, governorate, state, region, oblast, prefecture, department: usually admin1
	QualDistrict           // district, county, municipality, local government area: usually admin2
	QualCity               // city of X, X city, X town, X village: a populated place
)

// StripQualifier removes one administrative qualifier from a normalised key:
// "helmand province" gives ("helmand", QualProvince, true), "city of basra"
// ("basra", QualCity, true). The remainder is never empty: "province" alone
// is not stripped.
func StripQualifier(key string) (string, Qualifier, bool) {
	// Prefixes: up to three leading words ("departement de la"), longest
	// first.
	var ends [3]int
	n := 0
	for i := 0; n < 3; n++ {
		j := strings.IndexByte(key[i:], ' ')
		if j < 0 {
			break
		}
		i += j + 1
		ends[n] = i
	}
	for n--; n >= 0; n-- {
		if q := prefixQualifier(key[:ends[n]-1]); q != QualNone {
			return key[ends[n]:], q, true
		}
	}
	// Suffixes: up to three trailing words ("local government area"),
	// longest first.
	var starts [3]int
	n = 0
	for i := len(key); n < 3; n++ {
		j := strings.LastIndexByte(key[:i], ' ')
		if j <= 0 {
			break
		}
		i = j
		starts[n] = i
	}
	for n--; n >= 0; n-- {
		if q := suffixQualifier(key[starts[n]+1:]); q != QualNone {
			return key[:starts[n]], q, true
		}
	}
	return key, QualNone, false
}

// prefixQualifier classes the words before a name ("city of").
func prefixQualifier(p string) Qualifier {
	switch p {
	case "city of", "town of", "village of":
		return QualCity
	case "district of", "county of":
		return QualDistrict
	case "province of", "governorate of", "state of", "region of",
		"provincia de", "provincia di", "provincia del", "departamento de", "departamento del",
		"departement de la", "departement de", "departement du", "region de", "estado de", "estado do",
		"muhafazat", "wilayat", "ostan e":
		return QualProvince
	}
	return QualNone
}

// suffixQualifier classes the words after a name ("province").
func suffixQualifier(s string) Qualifier {
	switch s {
	case "local government area", "lga", "municipal district", "rural district",
		"district", "county", "municipality", "raion", "rayon", "parish", "sub district",
		"subdistrict", "tehsil":
		return QualDistrict
	case "autonomous region", "autonomous republic", "autonomous oblast", "autonomous okrug",
		"special administrative region", "province", "governorate", "state", "region", "oblast",
		"prefecture", "department", "division", "krai", "kray", "voivodeship", "emirate", "wilayah",
		"vilayet", "territory", "canton", "okrug":
		return QualProvince
	case "city", "town", "village":
		return QualCity
	}
	return QualNone
}
