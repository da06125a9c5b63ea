package geo_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/geo"
)

func TestGPKGRoundTrip(t *testing.T) {
	geoms := []orb.Geometry{
		orb.Point{64.74486, 32.44565},
		orb.LineString{{0, 0}, {1, 1}},
		orb.Polygon{{{64.5, 32.2}, {65, 32.2}, {65, 32.7}, {64.5, 32.2}}},
		orb.MultiPoint{{1, 2}, {3, 4}},
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}},
		orb.Collection{orb.Point{1, 2}, orb.LineString{{0, 0}, {2, 2}}},
	}
	for _, g := range geoms {
		t.Run(g.GeoJSONType(), func(t *testing.T) {
			blob, err := geo.EncodeGPKG(g, geo.SRSWGS84)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(blob, []byte("GP\x00")) || blob[3]&1 != 1 {
				t.Fatalf("header % x", blob[:4])
			}
			if srs := int32(binary.LittleEndian.Uint32(blob[4:8])); srs != 4326 {
				t.Fatalf("srs_id %d", srs)
			}
			got, srs, err := geo.DecodeGPKG(blob)
			if err != nil || srs != 4326 || !orb.Equal(got, g) {
				t.Fatalf("decoded %v (srs %d, err %v), want %v", got, srs, err, g)
			}
			env, empty, err := geo.Envelope(blob)
			if err != nil || empty || env != g.Bound() {
				t.Fatalf("Envelope = %v %v %v, want %v", env, empty, err, g.Bound())
			}
		})
	}
}

func TestDecodeGPKGBigEndian(t *testing.T) {
	// A big-endian header with an XY envelope, as another writer may produce.
	body, _ := wkb.Marshal(orb.Point{1.5, 2.5}, binary.BigEndian)
	blob := []byte{'G', 'P', 0, 0b0010}
	blob = binary.BigEndian.AppendUint32(blob, 4326)
	for _, v := range []float64{1.5, 1.5, 2.5, 2.5} {
		blob, _ = binary.Append(blob, binary.BigEndian, v)
	}
	blob = append(blob, body...)
	g, srs, err := geo.DecodeGPKG(blob)
	if err != nil || srs != 4326 || g != (orb.Point{1.5, 2.5}) {
		t.Fatalf("got %v %d %v", g, srs, err)
	}
}

func FuzzDecodeGPKG(f *testing.F) {
	for _, g := range []orb.Geometry{orb.Point{1, 2}, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}} {
		b, _ := geo.EncodeGPKG(g, 4326)
		f.Add(b)
	}
	f.Add([]byte("GP"))
	f.Fuzz(func(t *testing.T, data []byte) {
		geo.DecodeGPKG(data) // must not panic
		geo.Envelope(data)
	})
}

func ExampleEncodeGPKG() {
	blob, _ := geo.EncodeGPKG(orb.Point{64.74486, 32.44565}, geo.SRSWGS84)
	g, srs, _ := geo.DecodeGPKG(blob)
	fmt.Println(string(blob[:2]), srs, g)
	// Output: GP 4326 [64.74486 32.44565]
}
