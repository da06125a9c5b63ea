package geo_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
)

func TestParseBBox(t *testing.T) {
	tests := []struct {
		in      string
		want    geo.BBox
		wantErr bool
	}{
		{"64.0,31.5,65.5,33.0", geo.BBox{64, 31.5, 65.5, 33}, false},
		{" -10 , -5 , 10 , 5 ", geo.BBox{-10, -5, 10, 5}, false},
		{"170,-20,-170,-10", geo.BBox{170, -20, -170, -10}, false}, // crosses the antimeridian
		{"64,31.5,0,65.5,33,100", geo.BBox{64, 31.5, 65.5, 33}, false},
		{"1,2,3", geo.BBox{}, true},
		{"1,2,3,4,5", geo.BBox{}, true},
		{"0,10,1,5", geo.BBox{}, true}, // min lat > max lat
		{"0,-91,1,5", geo.BBox{}, true},
		{"-181,0,1,5", geo.BBox{}, true},
		{"a,b,c,d", geo.BBox{}, true},
		{"NaN,0,1,1", geo.BBox{}, true},
		{"Inf,0,1,1", geo.BBox{}, true},
		{"", geo.BBox{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := geo.ParseBBox(tt.in)
			if tt.wantErr {
				if !errors.Is(err, geo.ErrBBox) {
					t.Fatalf("err = %v, want ErrBBox", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestBBoxAntimeridian(t *testing.T) {
	b := geo.BBox{MinLon: 170, MinLat: -20, MaxLon: -170, MaxLat: -10}
	if len(b.Bounds()) != 2 {
		t.Fatalf("Bounds = %v", b.Bounds())
	}
	for _, c := range []struct {
		p    orb.Point
		want bool
	}{{orb.Point{178.4, -18.1}, true}, {orb.Point{-171.8, -13.8}, true}, {orb.Point{0, -15}, false}, {orb.Point{175, 0}, false}} {
		if got := b.Contains(c.p); got != c.want {
			t.Errorf("Contains(%v) = %v", c.p, got)
		}
	}
}

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"64,31.5,65.5,33", "170,-20,-170,-10", "1,2,3", "1,2,0,3,4,0", "x", ",,,", "1e400,0,0,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := geo.ParseBBox(s)
		if err != nil {
			return
		}
		if b.Validate() != nil || b.MinLat > b.MaxLat {
			t.Fatalf("ParseBBox(%q) accepted an invalid box %v", s, b)
		}
		again, err := geo.ParseBBox(b.String())
		if err != nil || again != b {
			t.Fatalf("round trip %v -> %q -> %v, %v", b, b.String(), again, err)
		}
	})
}

func ExampleParseBBox() {
	b, err := geo.ParseBBox("170,-20,-170,-10")
	if err != nil {
		panic(err)
	}
	fmt.Println(b.CrossesAntimeridian())
	for _, part := range b.Bounds() {
		fmt.Println(part.Min, part.Max)
	}
	// Output:
	// true
	// [170 -20] [180 -10]
	// [-180 -20] [-170 -10]
}

func TestCover(t *testing.T) {
	bd := func(w, s, e, n float64) orb.Bound { return orb.Bound{Min: orb.Point{w, s}, Max: orb.Point{e, n}} }
	for _, c := range []struct {
		name string
		in   []orb.Bound
		want geo.BBox
	}{
		{"none", nil, geo.BBox{}},
		{"one", []orb.Bound{bd(60, 29, 75, 38)}, geo.BBox{60, 29, 75, 38}},
		{"overlapping and apart", []orb.Bound{bd(10, 0, 20, 5), bd(-5, -3, 12, 1), bd(40, 2, 41, 9)}, geo.BBox{-5, -3, 41, 9}},
		{"Fiji: islands either side of 180", []orb.Bound{bd(177, -19, 180, -16), bd(-180, -17, -179.8, -16.1), bd(174.6, -21.7, 178.5, -12.5), bd(-179, -19, -178.2, -18)},
			geo.BBox{174.6, -21.7, -178.2, -12.5}},
		{"Russia: Kaliningrad to Chukotka", []orb.Bound{bd(19.6, 54.3, 22.9, 55.3), bd(27, 41.2, 180, 81.9), bd(-180, 64.3, -169, 71.6)},
			geo.BBox{19.6, 41.2, -169, 81.9}},
		{"points wider than half the globe, not across", []orb.Bound{bd(-120, 0, -120, 0), bd(0, 1, 0, 1), bd(100, 2, 100, 2)}, geo.BBox{-120, 0, 100, 2}},
		{"points across", []orb.Bound{bd(-179.1, 63, -179.1, 63), bd(159, 69, 159, 69), bd(179.3, 65, 179.3, 65)}, geo.BBox{159, 63, -179.1, 69}},
		{"the whole globe", []orb.Bound{bd(-180, -90, 180, -60), bd(170, 0, 175, 1)}, geo.BBox{-180, -90, 180, 1}},
	} {
		if got := geo.Cover(c.in); got != c.want {
			t.Errorf("%s: Cover = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBBoxCenter(t *testing.T) {
	for _, c := range []struct {
		b    geo.BBox
		want orb.Point
	}{
		{geo.BBox{60, 30, 70, 40}, orb.Point{65, 35}},
		{geo.BBox{159, 62, -169, 70}, orb.Point{175, 66}},
		{geo.BBox{170, 0, -150, 10}, orb.Point{-170, 5}},
		{geo.BBox{-180, -90, 180, 90}, orb.Point{0, 0}},
	} {
		if got := c.b.Center(); got != c.want {
			t.Errorf("%v.Center() = %v, want %v", c.b, got, c.want)
		}
		if !c.b.Contains(c.b.Center()) {
			t.Errorf("%v does not contain its centre", c.b)
		}
	}
}

func ExampleCover() {
	// Fiji's islands lie on both sides of the antimeridian.
	fiji := geo.Cover([]orb.Bound{
		{Min: orb.Point{176.8, -19.2}, Max: orb.Point{180, -16.1}},
		{Min: orb.Point{-180, -18.3}, Max: orb.Point{-178.2, -16.4}},
	})
	fmt.Println(fiji, fiji.CrossesAntimeridian())
	// Output: 176.8,-19.2,-178.2,-16.1 true
}

func TestBBoxPad(t *testing.T) {
	for _, c := range []struct {
		b, want geo.BBox
	}{
		{geo.BBox{60, 30, 70, 40}, geo.BBox{59.5, 29.5, 70.5, 40.5}},
		{geo.BBox{174.5, -21.5, -178.5, -12.5}, geo.BBox{174, -22, -178, -12}},
		{geo.BBox{170, 89.8, 179.75, 90}, geo.BBox{169.5, 89.3, -179.75, 90}},
		{geo.BBox{-180, -89.9, 179.5, -60}, geo.BBox{-180, -90, 180, -59.5}},
	} {
		if got := c.b.Pad(0.5); got != c.want {
			t.Errorf("%v.Pad(0.5) = %v, want %v", c.b, got, c.want)
		}
	}
}
