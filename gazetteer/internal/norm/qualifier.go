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

type affix struct {
	text string
	qual Qualifier
}

// suffixes and prefixes are normalised keys (see Key), longest first where
// one contains another, so "local government area" wins over "area".
func suffixes() []affix {
	return []affix{
		{" local government area", QualDistrict}, {" lga", QualDistrict},
		{" municipal district", QualDistrict}, {" rural district", QualDistrict},
		{" autonomous region", QualProvince}, {" autonomous republic", QualProvince},
		{" autonomous oblast", QualProvince}, {" autonomous okrug", QualProvince},
		{" special administrative region", QualProvince},
		{" province", QualProvince}, {" governorate", QualProvince}, {" state", QualProvince},
		{" region", QualProvince}, {" oblast", QualProvince}, {" prefecture", QualProvince},
		{" department", QualProvince}, {" division", QualProvince}, {" krai", QualProvince},
		{" kray", QualProvince}, {" voivodeship", QualProvince}, {" emirate", QualProvince},
		{" wilayah", QualProvince}, {" vilayet", QualProvince}, {" territory", QualProvince},
		{" canton", QualProvince}, {" okrug", QualProvince},
		{" district", QualDistrict}, {" county", QualDistrict}, {" municipality", QualDistrict},
		{" raion", QualDistrict}, {" rayon", QualDistrict}, {" parish", QualDistrict},
		{" sub district", QualDistrict}, {" subdistrict", QualDistrict}, {" tehsil", QualDistrict},
		{" city", QualCity}, {" town", QualCity}, {" village", QualCity},
	}
}

func prefixes() []affix {
	return []affix{
		{"city of ", QualCity}, {"town of ", QualCity}, {"village of ", QualCity},
		{"province of ", QualProvince}, {"governorate of ", QualProvince}, {"state of ", QualProvince},
		{"region of ", QualProvince}, {"district of ", QualDistrict}, {"county of ", QualDistrict},
		{"provincia de ", QualProvince}, {"provincia di ", QualProvince}, {"provincia del ", QualProvince},
		{"departamento de ", QualProvince}, {"departamento del ", QualProvince},
		{"departement de la ", QualProvince}, {"departement de ", QualProvince}, {"departement du ", QualProvince},
		{"region de ", QualProvince}, {"estado de ", QualProvince}, {"estado do ", QualProvince},
		{"muhafazat ", QualProvince}, {"wilayat ", QualProvince}, {"ostan e ", QualProvince},
	}
}

// StripQualifier removes one administrative qualifier from a normalised key:
// "helmand province" gives ("helmand", QualProvince, true). The remainder is
// never empty: "province" alone is not stripped.
func StripQualifier(key string) (string, Qualifier, bool) {
	for _, a := range prefixes() {
		if strings.HasPrefix(key, a.text) && len(key) > len(a.text) {
			return key[len(a.text):], a.qual, true
		}
	}
	for _, a := range suffixes() {
		if strings.HasSuffix(key, a.text) && len(key) > len(a.text) {
			return key[:len(key)-len(a.text)], a.qual, true
		}
	}
	return key, QualNone, false
}
