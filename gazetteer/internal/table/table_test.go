package table

import (
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

func samplePlaces() []Place {
	return []Place{
		{ID: "iso:FJ", Name: "Fiji", ASCIIName: "Fiji", FeatureCode: "PCLI", Country: "FJ", CountryName: "Fiji",
			CoordSource: "natural-earth", Level: 1, Lat: -17.42, Lon: 178.06, Population: 500000,
			HasBound: true, Bound: [4]float64{177.2, -19.2, -178.2, -16.1}},
		{ID: "geonames-admin1:AF.10", Name: "Helmand", ASCIIName: "Helmand", FeatureCode: "ADM1", Country: "AF",
			CountryName: "Afghanistan", Admin1Code: "10", Admin1: "Helmand", CoordSource: "seat", Level: 2,
			Lat: 31.59382, Lon: 64.37161, Population: 1200000, HasBound: true, Bound: [4]float64{61.1, 29.9, 65.2, 33.1}},
		{ID: "geonames:1132604", GeoNameID: 1132604, Name: "Mūsá Qal‘ah", ASCIIName: "Musa Qal'ah", FeatureCode: "PPLA2",
			Country: "AF", CountryName: "Afghanistan", Admin1Code: "10", Admin1: "Helmand", Admin2Code: "2304",
			Admin2: "Mūsá Qal‘ah", CoordSource: "geonames", Level: 4, Lat: 32.45, Lon: 64.76, Population: 20000},
		// A GeoNames id that is not the place's own: found by its id string.
		{ID: "geonames:6255146", GeoNameID: 0, Name: "Africa", ASCIIName: "Africa", FeatureCode: "CONT",
			CoordSource: "curated", Level: 5, Lat: 7.18805, Lon: 21.09375},
		{ID: "region:middle-east", Name: strings.Repeat("Middle East ", 20), FeatureCode: "RGN", Level: 5,
			Lat: -89.99999, Lon: -180},
	}
}

// TestPlacesRoundTrip: every field of every record reads back as written,
// every id is found, unknown ids are not.
func TestPlacesRoundTrip(t *testing.T) {
	in := samplePlaces()
	data, err := EncodePlaces(in)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := OpenPlaces(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != len(in) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(in))
	}
	for i, want := range in {
		if got := tab.Record(i); !reflect.DeepEqual(got, want) {
			t.Errorf("record %d = %+v\nwant %+v", i, got, want)
		}
		if j, ok := tab.Find(want.ID); !ok || j != i {
			t.Errorf("Find(%q) = %d, %v; want %d", want.ID, j, ok, i)
		}
	}
	for _, id := range []string{"geonames:1", "geonames:01132604", "iso:ZZ", "", "geonames:99999999999"} {
		if j, ok := tab.Find(id); ok {
			t.Errorf("Find(%q) = %d, want none", id, j)
		}
	}
}

// TestEncodePlacesRefuses values the layout cannot hold exactly.
func TestEncodePlacesRefuses(t *testing.T) {
	for name, mutate := range map[string]func(p *Place){
		"finer than 1e-5 degrees": func(p *Place) { p.Lat = 32.123456 },
		"box finer than 1e-5":     func(p *Place) { p.HasBound, p.Bound = true, [4]float64{0, 0, 1.0000001, 1} },
		"not finite":              func(p *Place) { p.Lon = math.NaN() },
		"population over 32 bits": func(p *Place) { p.Population = 1 << 33 },
		"negative population":     func(p *Place) { p.Population = -1 },
	} {
		ps := samplePlaces()
		mutate(&ps[2])
		if _, err := EncodePlaces(ps); err == nil {
			t.Errorf("%s: EncodePlaces accepted it", name)
		}
	}
	ps := samplePlaces()
	ps[1].ID = ps[0].ID
	if _, err := EncodePlaces(ps); err == nil {
		t.Error("EncodePlaces accepted a repeated id")
	}
}

func TestNamesRoundTrip(t *testing.T) {
	keys := []string{"afghan", "helmand", "musa qala", "musa qalah"}
	posts := [][]uint32{{0<<2 | 2}, {1 << 2, 2<<2 | 1}, {2<<2 | 1}, {2 << 2}}
	data, err := EncodeNames(keys, posts, 2)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := OpenNames(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != len(keys) || tab.MaxWords() != 2 || tab.AllPostings().Len() != 5 {
		t.Fatalf("Len %d, MaxWords %d, postings %d", tab.Len(), tab.MaxWords(), tab.AllPostings().Len())
	}
	for i, k := range keys {
		if tab.Key(i) != k || tab.Find(k) != i {
			t.Errorf("key %d = %q, Find(%q) = %d", i, tab.Key(i), k, tab.Find(k))
		}
		ps := tab.Postings(i)
		var got []uint32
		for j := range ps.Len() {
			got = append(got, ps.At(j))
		}
		if !reflect.DeepEqual(got, posts[i]) {
			t.Errorf("postings of %q = %v, want %v", k, got, posts[i])
		}
	}
	for _, k := range []string{"", "a", "musa", "zzz"} {
		if i := tab.Find(k); i >= 0 {
			t.Errorf("Find(%q) = %d, want -1", k, i)
		}
	}
	if _, err := EncodeNames([]string{"b", "a"}, [][]uint32{nil, nil}, 1); err == nil {
		t.Error("EncodeNames accepted unsorted keys")
	}
}

// TestOpenRejectsCorrupt: a table cut short, lengthened or with another
// header is refused with ErrCorrupt, never read.
func TestOpenRejectsCorrupt(t *testing.T) {
	places, err := EncodePlaces(samplePlaces())
	if err != nil {
		t.Fatal(err)
	}
	names, err := EncodeNames([]string{"a", "b"}, [][]uint32{{1}, {2, 3}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		open func(string) error
		data []byte
	}{
		{"places", func(s string) error { _, err := OpenPlaces(s); return err }, places},
		{"names", func(s string) error { _, err := OpenNames(s); return err }, names},
	} {
		for what, bad := range map[string]string{
			"empty":     "",
			"truncated": string(c.data[:len(c.data)-1]),
			"longer":    string(c.data) + "x",
			"magic":     "X" + string(c.data[1:]),
		} {
			if err := c.open(bad); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s %s: error %v, want ErrCorrupt", c.name, what, err)
			}
		}
	}
	// Names' offsets out of order.
	bad := append([]byte(nil), names...)
	bad[namesHeader] = 9
	if _, err := OpenNames(string(bad)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("names with a key offset beyond the keys: error %v, want ErrCorrupt", err)
	}
}

// TestEmbeddedTables reads every field of every record of the committed
// data, which OpenPlaces does not check: string references inside the
// string area, boxes inside the box area, the id indexes finding every
// record, and the names' postings pointing at records.
func TestEmbeddedTables(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of the committed data")
	}
	pdata, err := os.ReadFile("../../data/places.bin")
	if err != nil {
		t.Fatal(err)
	}
	places, err := OpenPlaces(string(pdata))
	if err != nil {
		t.Fatal(err)
	}
	for i := range places.Len() {
		for _, at := range []int{fID, fName, fASCIIName, fFeatureCode, fCountry, fCountryName, fAdmin1Code, fAdmin1, fAdmin2Code, fAdmin2, fCoordSource} {
			off := u32(places.recs, places.field(i, at))
			if s := places.str(off); s == "" && places.strs[off] != 0 {
				t.Fatalf("record %d field %d: string at %d runs past the string area", i, at, off)
			}
		}
		if b := int(u32(places.recs, places.field(i, fBound))); b*boxSize > len(places.boxes) {
			t.Fatalf("record %d: box %d of %d", i, b, len(places.boxes)/boxSize)
		}
		if j, ok := places.Find(places.ID(i)); !ok || j != i {
			t.Fatalf("record %d: Find(%q) = %d, %v", i, places.ID(i), j, ok)
		}
	}
	ndata, err := os.ReadFile("../../data/names.bin")
	if err != nil {
		t.Fatal(err)
	}
	names, err := OpenNames(string(ndata))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < names.Len(); i++ {
		if names.Key(i-1) >= names.Key(i) {
			t.Fatalf("keys %d and %d out of order: %q, %q", i-1, i, names.Key(i-1), names.Key(i))
		}
	}
	all := names.AllPostings()
	for j := range all.Len() {
		if int(all.At(j)>>2) >= places.Len() {
			t.Fatalf("posting %d points at place %d of %d", j, all.At(j)>>2, places.Len())
		}
	}
}
