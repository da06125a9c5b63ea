package extract

import (
	"strings"
	"testing"
)

func TestFindRemarks(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	tests := []struct {
		text string
		kind remarkKind
		name string // "" for no remark
	}{
		{"Traders blocked a road in Jalia village (coded as Kushtia, Kushtia Sadar, Khulna), over a tax.", remarkCoded, "Kushtia"},
		{"Police charged marchers at a square in Pangrati [coded to Athens-Central Athens].", remarkCoded, "Athens-Central Athens"},
		{"Clashes were reported on the frontline. [Coded to Stepanakert with GP2, the largest town nearby]", remarkCoded, "Stepanakert"},
		{"Two farmers were hurt in a land dispute. Geo-precision 2 as coordinates are for Kushtia upazila.", remarkCoded, "Kushtia upazila"},
		{"Youths burned tyres in Kamuwe village (Nyeri, coordinates for Othaya used).", remarkCoded, "Othaya"},
		{"Raiders stole cattle at Kabarak village. LOCATION: Nakuru District (district capital = Nakuru)", remarkFallback, "Nakuru"},
		{"A teacher was shot dead on his way home. (Lat/longs for Ban Tha Sap unavailable.)", remarkUnplaced, "Ban Tha Sap"},
		{"Fatalities coded as 0 (the ministry reported 3).", 0, ""},
		{"The marchers were coded as protesters rather than rioters.", 0, ""},
		{"Rescuers passed the coordinates of the sinking ferry to the navy.", 0, ""},
		{"Protesters gathered outside the district capital, Kitale.", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rs := x.findRemarks(tt.text)
			if tt.name == "" {
				if len(rs) != 0 {
					t.Fatalf("found %q, want no remark", tt.text[rs[0].placeStart:rs[0].placeEnd])
				}
				return
			}
			if len(rs) != 1 {
				t.Fatalf("found %d remarks, want 1", len(rs))
			}
			if got := tt.text[rs[0].placeStart:rs[0].placeEnd]; got != tt.name || rs[0].rule.kind != tt.kind {
				t.Errorf("remark names %q (kind %d), want %q (kind %d)", got, rs[0].rule.kind, tt.name, tt.kind)
			}
		})
	}
}

// A coder's remark places a note's incident, and its own words are no
// place names.
func TestRemarkPlacesIncident(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	tests := []struct {
		name, text, location string
		rule                 string // a word of the explanation's place rule
	}{
		{"coded as", "On 12 March 2021, students protested outside a college in Jalia area of Pabna district (coded as Kushtia, Kushtia Sadar, Khulna), demanding that exams be postponed.",
			"Kushtia", "coded at"},
		{"district capital to fall back on", "On 2 June 2008, raiders stole cattle and shot dead a herder at Kabarak village. LOCATION: Nakuru District (district capital = Nakuru)",
			"Nakuru", "district capital"},
		{"unplaced: the remark's words are no place", "On 4 May 2012, a teacher was shot dead on his way home in Pattani. (Lat/longs for Ban Tha Sap unavailable.)",
			"Pattani", "ranker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Extract(Article{Text: tt.text, Published: "2021-03-13"})
			if err != nil || len(res.Incidents) != 1 {
				t.Fatalf("%d incidents (%q), err %v", len(res.Incidents), res.Reason, err)
			}
			if got := res.Incidents[0].Location; got != tt.location {
				t.Errorf("location %q, want %q", got, tt.location)
			}
			if rules := strings.Join(res.Explanations[0].Rules, "; "); !strings.Contains(rules, tt.rule) {
				t.Errorf("explanation %q, want one naming %q", rules, tt.rule)
			}
			for _, m := range res.Mentions {
				if m.Text == "Lat" || m.Text == "Geo" {
					t.Errorf("mention %q read from the remark's own words", m.Text)
				}
			}
		})
	}
}
