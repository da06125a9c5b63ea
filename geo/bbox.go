package geo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// BBox is a lon/lat bounding box in RFC 7946 order. MinLon > MaxLon means
// the box crosses the antimeridian (e.g. 170,-20,-170,-10 spans Fiji).
type BBox struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// ErrBBox is matched by every bbox parse error.
var ErrBBox = errors.New("invalid bbox")

// ParseBBox reads "minLon,minLat,maxLon,maxLat", or the six-number 3D form
// "minLon,minLat,minZ,maxLon,maxLat,maxZ" whose heights are ignored.
func ParseBBox(s string) (BBox, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return BBox{}, fmt.Errorf("%w: needs 4 numbers minLon,minLat,maxLon,maxLat (or 6 with heights), got %d", ErrBBox, len(parts))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BBox{}, fmt.Errorf("%w: value %d %q is not a finite number", ErrBBox, i+1, p)
		}
		v[i] = f
	}
	b := BBox{v[0], v[1], v[2], v[3]}
	if len(v) == 6 {
		b = BBox{v[0], v[1], v[3], v[4]}
	}
	return b, b.Validate()
}

// Validate reports a box outside WGS 84 ranges or with min > max latitude.
// MinLon > MaxLon is allowed: it crosses the antimeridian.
func (b BBox) Validate() error {
	switch {
	case b.MinLon < -180 || b.MinLon > 180 || b.MaxLon < -180 || b.MaxLon > 180:
		return fmt.Errorf("%w: longitudes must be within -180..180", ErrBBox)
	case b.MinLat < -90 || b.MinLat > 90 || b.MaxLat < -90 || b.MaxLat > 90:
		return fmt.Errorf("%w: latitudes must be within -90..90", ErrBBox)
	case b.MinLat > b.MaxLat:
		return fmt.Errorf("%w: minimum latitude %g is greater than maximum %g", ErrBBox, b.MinLat, b.MaxLat)
	}
	return nil
}

// CrossesAntimeridian reports whether the box wraps past 180°.
func (b BBox) CrossesAntimeridian() bool { return b.MinLon > b.MaxLon }

// Bounds returns the box as one orb.Bound, or two when it crosses the
// antimeridian (the eastern part first).
func (b BBox) Bounds() []orb.Bound {
	if !b.CrossesAntimeridian() {
		return []orb.Bound{{Min: orb.Point{b.MinLon, b.MinLat}, Max: orb.Point{b.MaxLon, b.MaxLat}}}
	}
	return []orb.Bound{
		{Min: orb.Point{b.MinLon, b.MinLat}, Max: orb.Point{180, b.MaxLat}},
		{Min: orb.Point{-180, b.MinLat}, Max: orb.Point{b.MaxLon, b.MaxLat}},
	}
}

// Contains reports whether p lies in the box (edges included).
func (b BBox) Contains(p orb.Point) bool {
	for _, bd := range b.Bounds() {
		if bd.Contains(p) {
			return true
		}
	}
	return false
}

// IsWorld reports whether the box covers the whole globe.
func (b BBox) IsWorld() bool {
	return b.MinLon <= -180 && b.MaxLon >= 180 && b.MinLat <= -90 && b.MaxLat >= 90
}

// String writes the box in the form ParseBBox reads.
func (b BBox) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	return f(b.MinLon) + "," + f(b.MinLat) + "," + f(b.MaxLon) + "," + f(b.MaxLat)
}

// FromBound converts an orb.Bound to a BBox.
func FromBound(bd orb.Bound) BBox {
	return BBox{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]}
}
