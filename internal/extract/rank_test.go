package extract

import "testing"

func TestCompoundAdjective(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Rebel-held", true},
		{"Shia-dominated", true},
		{"Army-run", true},
		{"Tamil-majority", true},
		{"NATO-led", true},
		{"Almash-had", false}, // a village's name with a lower-case part
		{"Mazar-i", false},
		{"Port-au-Prince", false},
		{"Al-Bab", false},
		{"Kandahar", false},
	}
	for _, tt := range tests {
		if got := compoundAdjective(tt.name); got != tt.want {
			t.Errorf("compoundAdjective(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsMeasuredRef(t *testing.T) {
	tests := []struct {
		before string
		want   bool
	}{
		{"a convoy was hit 40 kilometres south of ", true},
		{"about 12 miles (19 km) northeast of the ", true},
		{"shots were fired near the border with ", true},
		{"fighting spread in the northwest ", false},
		{"a bus burned west of the ", false},
		{"a market was shelled in ", false},
	}
	for _, tt := range tests {
		if got := isMeasuredRef(tt.before); got != tt.want {
			t.Errorf("isMeasuredRef(%q) = %v, want %v", tt.before, got, tt.want)
		}
	}
}
