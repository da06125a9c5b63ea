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
