package norm

import "testing"

func TestPhonetic(t *testing.T) {
	same := [][]string{
		{"musa qala", "musa kala", "musa qalah", "mousa qaleh"},
		{"kandahar", "qandahar", "kandahaar"},
		{"khost", "kost"},
	}
	for _, group := range same {
		want := Phonetic(group[0])
		for _, k := range group[1:] {
			if got := Phonetic(k); got != want {
				t.Errorf("Phonetic(%q) = %q, want %q like %q", k, got, want, group[0])
			}
		}
	}
	for _, pair := range [][2]string{{"kabul", "kandahar"}, {"musa qala", "musa"}, {"herat", "harat tal"}} {
		if Phonetic(pair[0]) == Phonetic(pair[1]) {
			t.Errorf("%q and %q should differ: %q", pair[0], pair[1], Phonetic(pair[0]))
		}
	}
	if Phonetic("москва") != "" {
		t.Errorf("non-Latin keys get no phonetic key")
	}
}

func TestStripQualifier(t *testing.T) {
	tests := []struct {
		in, rest string
		q        Qualifier
	}{
		{"helmand province", "helmand", QualProvince},
		{"musa qala district", "musa qala", QualDistrict},
		{"city of basra", "basra", QualCity},
		{"maiduguri local government area", "maiduguri", QualDistrict},
		{"departement de la somme", "somme", QualProvince},
		{"kano state", "kano", QualProvince},
		{"province", "province", QualNone},
		{"kabul", "kabul", QualNone},
	}
	for _, tt := range tests {
		rest, q, ok := StripQualifier(tt.in)
		if rest != tt.rest || q != tt.q || ok != (tt.q != QualNone) {
			t.Errorf("StripQualifier(%q) = %q, %v, %v; want %q, %v", tt.in, rest, q, ok, tt.rest, tt.q)
		}
	}
}
