package extract

import "testing"

// A table reads as one; a report's sentence with its date and counts does
// not.
func TestTableLike(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Kabul | 12 | 30 ; Kandahar | 4 | 9 ; Herat | 2 | 5", true},
		{"2019 2020 2021 2022 totals 41 52 63 70", true},
		{"On 4 May 2020, 2 soldiers and 3 civilians were killed and 5 injured in 2 attacks near Kabul.", false},
		{"Gunmen killed 12 villagers in Zamfara on Friday.", false},
	} {
		s := sentence{Start: 0, End: len(tt.text), Text: tt.text}
		tokenize(&s, tt.text, stateAbbreviations())
		if got := tableLike(s.Tokens); got != tt.want {
			t.Errorf("tableLike(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
