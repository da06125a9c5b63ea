package geo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// SRSWGS84 is the GeoPackage srs_id of WGS 84 lon/lat (EPSG:4326).
const SRSWGS84 = 4326

// ErrGPKGGeometry is matched by every error decoding a GeoPackage geometry blob.
var ErrGPKGGeometry = errors.New("invalid GeoPackage geometry")

const (
	gpkgFlagLittleEndian = 1 << 0
	gpkgEnvelopeXY       = 1 << 1 // envelope contents indicator 1: minx, maxx, miny, maxy
	gpkgFlagEmpty        = 1 << 4
)

// EncodeGPKG writes g as a GeoPackage binary geometry (GeoPackage 1.3 §2.1.3):
// the "GP" header with version 0, little-endian flags, srs_id and an XY
// envelope, then standard little-endian WKB. Points get no envelope, as the
// spec recommends, since the envelope would only repeat the point.
func EncodeGPKG(g orb.Geometry, srsID int32) ([]byte, error) {
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("encoding WKB: %w", err)
	}
	_, isPoint := g.(orb.Point)
	headerLen := 8
	if !isPoint {
		headerLen += 32
	}
	out := make([]byte, headerLen, headerLen+len(body))
	out[0], out[1], out[2] = 'G', 'P', 0
	flags := byte(gpkgFlagLittleEndian)
	if !isPoint {
		flags |= gpkgEnvelopeXY
	}
	if isEmpty(g) {
		flags |= gpkgFlagEmpty
	}
	out[3] = flags
	binary.LittleEndian.PutUint32(out[4:8], uint32(srsID))
	if !isPoint {
		b := g.Bound()
		for i, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			binary.LittleEndian.PutUint64(out[8+8*i:], math.Float64bits(v))
		}
	}
	return append(out, body...), nil
}

// DecodeGPKG reads a GeoPackage binary geometry and returns the geometry and
// its srs_id. It accepts either byte order and every envelope kind.
func DecodeGPKG(data []byte) (orb.Geometry, int32, error) {
	if len(data) < 8 || data[0] != 'G' || data[1] != 'P' {
		return nil, 0, fmt.Errorf("%w: missing GP magic", ErrGPKGGeometry)
	}
	if data[2] != 0 {
		return nil, 0, fmt.Errorf("%w: unsupported version %d", ErrGPKGGeometry, data[2])
	}
	flags := data[3]
	var order binary.ByteOrder = binary.BigEndian
	if flags&gpkgFlagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	srs := int32(order.Uint32(data[4:8]))
	var envLen int
	switch (flags >> 1) & 0x7 {
	case 0:
	case 1:
		envLen = 32
	case 2, 3:
		envLen = 48
	case 4:
		envLen = 64
	default:
		return nil, 0, fmt.Errorf("%w: bad envelope indicator %d", ErrGPKGGeometry, (flags>>1)&0x7)
	}
	if len(data) < 8+envLen {
		return nil, 0, fmt.Errorf("%w: truncated envelope", ErrGPKGGeometry)
	}
	g, err := wkb.Unmarshal(data[8+envLen:])
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrGPKGGeometry, err)
	}
	return g, srs, nil
}

// Envelope returns minx, maxx, miny, maxy of a GeoPackage geometry blob and
// whether it is empty, reading the header envelope when present and the
// geometry otherwise. The spatial index triggers call it through ST_MinX etc.
func Envelope(data []byte) (orb.Bound, bool, error) {
	if len(data) >= 8 && data[0] == 'G' && data[1] == 'P' && data[3]&gpkgFlagEmpty != 0 {
		return orb.Bound{}, true, nil
	}
	if len(data) >= 40 && data[0] == 'G' && data[1] == 'P' && (data[3]>>1)&0x7 != 0 {
		var order binary.ByteOrder = binary.BigEndian
		if data[3]&gpkgFlagLittleEndian != 0 {
			order = binary.LittleEndian
		}
		f := func(i int) float64 { return math.Float64frombits(order.Uint64(data[8+8*i:])) }
		return orb.Bound{Min: orb.Point{f(0), f(2)}, Max: orb.Point{f(1), f(3)}}, false, nil
	}
	g, _, err := DecodeGPKG(data)
	if err != nil {
		return orb.Bound{}, false, err
	}
	if isEmpty(g) {
		return orb.Bound{}, true, nil
	}
	return g.Bound(), false, nil
}

func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return math.IsNaN(g[0]) && math.IsNaN(g[1])
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.Polygon:
		return len(g) == 0
	case orb.MultiLineString:
		return len(g) == 0
	case orb.MultiPolygon:
		return len(g) == 0
	case orb.Collection:
		return len(g) == 0
	}
	return false
}
