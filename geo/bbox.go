package geo

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
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

// Center returns the box's middle. For a box across the antimeridian it is
// the middle of the arc from MinLon east over 180° to MaxLon.
func (b BBox) Center() orb.Point {
	lon := (b.MinLon + b.MaxLon) / 2
	if b.CrossesAntimeridian() {
		if lon += 180; lon > 180 {
			lon -= 360
		}
	}
	return orb.Point{lon, (b.MinLat + b.MaxLat) / 2}
}

// Pad returns the box grown by d degrees on every side: latitudes stop at
// the poles, longitudes wrap past 180° (a box grown across the antimeridian
// crosses it), and a box that would go round the globe covers all
// longitudes.
func (b BBox) Pad(d float64) BBox {
	out := BBox{MinLon: b.MinLon - d, MinLat: max(b.MinLat-d, -90), MaxLon: b.MaxLon + d, MaxLat: min(b.MaxLat+d, 90)}
	width := b.MaxLon - b.MinLon
	if b.CrossesAntimeridian() {
		width += 360
	}
	if width+2*d >= 360 {
		out.MinLon, out.MaxLon = -180, 180
		return out
	}
	if out.MinLon < -180 {
		out.MinLon += 360
	}
	if out.MaxLon > 180 {
		out.MaxLon -= 360
	}
	return out
}

// Cover returns the smallest box holding every bound in bds (each within
// -180..180, none itself across the antimeridian). When going over 180° is
// narrower, as for Fiji's and Russia's islands on both sides of it, the box
// crosses the antimeridian: MinLon > MaxLon, as RFC 7946 §5.2 writes it. A
// box wider than the globe would say nothing. Cover of no bounds is the
// zero box.
func Cover(bds []orb.Bound) BBox {
	if len(bds) == 0 {
		return BBox{}
	}
	spans := slices.Clone(bds)
	slices.SortFunc(spans, func(a, b orb.Bound) int { return cmp.Compare(a.Min[0], b.Min[0]) })
	out := BBox{MinLat: spans[0].Min[1], MaxLat: spans[0].Max[1]}
	// Merge the longitude spans, then leave out the widest gap between
	// them: the one from the last span's east edge round to the first
	// span's west edge (a box that does not cross 180°) unless another is
	// wider.
	merged := []orb.Bound{spans[0]}
	for _, s := range spans[1:] {
		out.MinLat, out.MaxLat = min(out.MinLat, s.Min[1]), max(out.MaxLat, s.Max[1])
		if last := &merged[len(merged)-1]; s.Min[0] <= last.Max[0] {
			last.Max[0] = max(last.Max[0], s.Max[0])
		} else {
			merged = append(merged, s)
		}
	}
	out.MinLon, out.MaxLon = merged[0].Min[0], merged[len(merged)-1].Max[0]
	widest := merged[0].Min[0] + 360 - out.MaxLon
	for i := 1; i < len(merged); i++ {
		if gap := merged[i].Min[0] - merged[i-1].Max[0]; gap > widest {
			widest, out.MinLon, out.MaxLon = gap, merged[i].Min[0], merged[i-1].Max[0]
		}
	}
	return out
}

// FromBound converts an orb.Bound to a BBox.
func FromBound(bd orb.Bound) BBox {
	return BBox{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]}
}
