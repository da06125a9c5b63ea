package extract

import "testing"

// A learned place's id, as mentions give it, finds the place again; other
// ids find nothing.
func TestLearnedPlace(t *testing.T) {
	g, err := internalGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	var known string
	for _, ps := range x.aliases.byKey {
		for _, p := range ps {
			if p.CoordSource == learnedCoordSource && known == "" {
				known = p.ID
			}
		}
	}
	if known == "" {
		t.Fatal("the embedded model has no learned place")
	}
	for _, tt := range []struct {
		id string
		ok bool
	}{
		{known, true},
		{"learned:KE:no such place", false},
		{"learned-near:KE", false},
		{"geonames:1138336", false}, // a gazetteer id: the gazetteer's to answer
		{"learned:", false},
	} {
		p, ok := x.LearnedPlace(tt.id)
		if ok != tt.ok || ok && p.ID != tt.id {
			t.Errorf("LearnedPlace(%q) = %q, %v; want found %v", tt.id, p.ID, ok, tt.ok)
		}
	}
}
