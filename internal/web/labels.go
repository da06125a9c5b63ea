package web

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/geo"
)

// maxLabels caps the labels of one /api/places/labels answer: more than a
// screen can show without overlap, so the page's own culling decides.
const maxLabels = 400

// labelsPerCell is how many labels one cell of about 64 screen pixels may
// hold: about what fits there without overlap.
const labelsPerCell = 2

// maxLabelZoom is the deepest zoom the labels endpoint accepts.
const maxLabelZoom = 22

// labelKind says how a label is drawn.
type labelKind string

const (
	labelCapital labelKind = "capital"
	labelAdmin1  labelKind = "admin1"
	labelTown    labelKind = "town"
)

// label is one name to draw on the map.
type label struct {
	name    string
	kind    labelKind
	at      orb.Point
	minZoom int // the first zoom at which the label is offered
	maxZoom int // the last one
	pop     int64
	id      string
	admin1  string
	country string
}

// labelRule gives the first zoom of a populated place: capitals from the
// world view, then seats and large towns, then every place when close in.
type labelRule struct {
	name     string
	minZoom  int
	matches  func(p gazetteer.Place) bool
	kindOver labelKind // "" keeps labelTown
}

// labelRules are tried in order; the first match wins.
var labelRules = []labelRule{
	{"national capital", 3, func(p gazetteer.Place) bool { return p.FeatureCode == "PPLC" }, labelCapital},
	{"admin1 seat or city of a million", 5, func(p gazetteer.Place) bool { return p.FeatureCode == "PPLA" || p.Population >= 1_000_000 }, ""},
	{"city of 250,000", 6, func(p gazetteer.Place) bool { return p.Population >= 250_000 }, ""},
	{"admin2 seat or town of 50,000", 7, func(p gazetteer.Place) bool { return p.FeatureCode == "PPLA2" || p.Population >= 50_000 }, ""},
	{"town of 10,000", 8, func(p gazetteer.Place) bool { return p.Population >= 10_000 }, ""},
	{"admin3 seat or village of 1,000", 9, func(p gazetteer.Place) bool { return p.FeatureCode == "PPLA3" || p.Population >= 1_000 }, ""},
	{"any other place", 10, func(gazetteer.Place) bool { return true }, ""},
}

// Admin1 names show from this zoom to admin1MaxZoom, at the centre of the
// area's places (not at its seat, which the town label already names).
const (
	admin1MinZoom = 5
	admin1MaxZoom = 10
)

// labelIndex holds every label in tiers by first zoom, each tier most
// important first (capitals, towns, admin areas, each by population) and
// bucketed by 1° cell: a world view reads the few hundred labels of the
// first tiers, a close view only the cells it covers.
type labelIndex struct {
	tiers []labelTier // by minZoom
}

type labelTier struct {
	minZoom int
	labels  []label
	cells   map[int32][]int32 // 1° cell -> indexes into labels, ascending
}

func newLabelIndex(gaz *gazetteer.Gazetteer) *labelIndex {
	byZoom := map[int][]label{}
	gaz.Each(func(p gazetteer.Place) bool {
		switch p.Level {
		case gazetteer.LevelAdmin1:
			byZoom[admin1MinZoom] = append(byZoom[admin1MinZoom], label{name: p.Name, kind: labelAdmin1, at: p.Centre,
				minZoom: admin1MinZoom, maxZoom: admin1MaxZoom, pop: p.Population, id: p.ID, admin1: p.Name, country: p.Country})
		case gazetteer.LevelPlace:
			for _, r := range labelRules {
				if r.matches(p) {
					byZoom[r.minZoom] = append(byZoom[r.minZoom], label{name: p.Name, kind: cmp.Or(r.kindOver, labelTown), at: p.Point,
						minZoom: r.minZoom, maxZoom: maxLabelZoom, pop: p.Population, id: p.ID, admin1: p.Admin1, country: p.Country})
					break
				}
			}
		}
		return true
	})
	ix := &labelIndex{}
	for z, labels := range byZoom {
		slices.SortStableFunc(labels, func(a, b label) int {
			return cmp.Or(cmp.Compare(kindOrder(a.kind), kindOrder(b.kind)), cmp.Compare(b.pop, a.pop))
		})
		t := labelTier{minZoom: z, labels: labels, cells: map[int32][]int32{}}
		for i, l := range labels {
			c := labelCell(l.at[0], l.at[1])
			t.cells[c] = append(t.cells[c], int32(i))
		}
		ix.tiers = append(ix.tiers, t)
	}
	slices.SortFunc(ix.tiers, func(a, b labelTier) int { return cmp.Compare(a.minZoom, b.minZoom) })
	return ix
}

// kindOrder ranks labels of one tier: capitals, then towns, then the
// admin1 names, which are context rather than destinations.
func kindOrder(k labelKind) int {
	switch k {
	case labelCapital:
		return 0
	case labelTown:
		return 1
	}
	return 2
}

// labelCell numbers the 1° cell of a point.
func labelCell(lon, lat float64) int32 {
	x := min(max(int32(math.Floor(lon))+180, 0), 359)
	y := min(max(int32(math.Floor(lat))+90, 0), 179)
	return y*360 + x
}

// query returns the labels for a view of box at zoom, most important
// first, at most limit.
func (ix *labelIndex) query(box geo.BBox, zoom, limit int) []label {
	bounds := box.Bounds()
	inBox := func(p orb.Point) bool {
		for _, b := range bounds {
			if b.Contains(p) {
				return true
			}
		}
		return false
	}
	// At most labelsPerCell names per cell of about 64 screen pixels, so
	// that the big cities of a crowded region do not use up the limit
	// before the towns of an empty one have any.
	cellDeg := 360 / math.Exp2(float64(zoom)) / 4
	perCell := map[[3]int]int{}
	var out []label
	for _, t := range ix.tiers {
		if t.minZoom > zoom || len(out) == limit {
			break
		}
		for _, i := range t.candidates(bounds) {
			l := &t.labels[i]
			if zoom > l.maxZoom || !inBox(l.at) {
				continue
			}
			// Admin1 names count apart: they name the area, not a point in the cell.
			cell := [3]int{int(math.Floor(l.at[0] / cellDeg)), int(math.Floor(l.at[1] / cellDeg)), kindOrder(l.kind) / 2}
			if perCell[cell] == labelsPerCell {
				continue
			}
			perCell[cell]++
			out = append(out, *l)
			if len(out) == limit {
				break
			}
		}
	}
	return out
}

// candidates returns the indexes of the tier's labels that may lie in
// bounds, in priority order: from the covered cells when they are fewer
// than the labels, else all of them.
func (t *labelTier) candidates(bounds []orb.Bound) []int32 {
	n := 0
	for _, b := range bounds {
		n += (int(math.Floor(b.Max[0])) - int(math.Floor(b.Min[0])) + 1) * (int(math.Floor(b.Max[1])) - int(math.Floor(b.Min[1])) + 1)
	}
	if n >= len(t.labels) {
		all := make([]int32, len(t.labels))
		for i := range all {
			all[i] = int32(i)
		}
		return all
	}
	var out []int32
	for _, b := range bounds {
		for y := math.Floor(b.Min[1]); y <= b.Max[1]; y++ {
			for x := math.Floor(b.Min[0]); x <= b.Max[0]; x++ {
				out = append(out, t.cells[labelCell(x, y)]...)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// labelFeature is one label as a GeoJSON Feature.
type labelFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   pointGeometry   `json:"geometry"`
	Properties labelProperties `json:"properties"`
}

type labelProperties struct {
	Name       string    `json:"name"`
	Kind       labelKind `json:"kind"`
	MinZoom    int       `json:"min_zoom"`
	Population int64     `json:"population"`
	Admin1     string    `json:"admin1,omitempty"`
	Country    string    `json:"country"`
}

// labels builds the label index on first use: a server that never draws a
// map never pays for it.
type labelsOnce struct {
	once sync.Once
	ix   *labelIndex
}

// handlePlaceLabels is GET /api/places/labels?bbox=&zoom=: the names of
// capitals, admin1 areas and towns to draw over the offline basemap for a
// view, more of them as the zoom grows, most important first. The answer
// depends only on the built-in gazetteer and the query, so browsers and
// proxies may keep it for a day; the page asks for a snapped bbox so that
// pans reuse those answers.
func (s *Server) handlePlaceLabels(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "bbox", "zoom"); err != nil {
		return err
	}
	pl, err := s.places()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	if v.Get("bbox") == "" {
		return badParam("bbox", "is required: minLon,minLat,maxLon,maxLat of the view")
	}
	box, err := geo.ParseBBox(v.Get("bbox"))
	if err != nil {
		return badParam("bbox", "%v", err)
	}
	zoom, err := strconv.Atoi(v.Get("zoom"))
	if err != nil || zoom < 0 || zoom > maxLabelZoom {
		return badParam("zoom", "must be a whole number from 0 to %d (the map's zoom level), not %q", maxLabelZoom, v.Get("zoom"))
	}
	pl.labels.once.Do(func() { pl.labels.ix = newLabelIndex(pl.gaz) })
	found := pl.labels.ix.query(box, zoom, maxLabels)
	out := struct {
		Type        string         `json:"type"`
		Attribution string         `json:"attribution"`
		Features    []labelFeature `json:"features"`
	}{"FeatureCollection", gazetteer.Attribution, make([]labelFeature, 0, len(found))}
	for _, l := range found {
		out.Features = append(out.Features, labelFeature{Type: "Feature", ID: l.id, Geometry: pointOf(l.at),
			Properties: labelProperties{Name: l.name, Kind: l.kind, MinZoom: l.minZoom, Population: l.pop, Admin1: l.admin1, Country: l.country}})
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	return writeJSON(w, r, http.StatusOK, geoJSONType, out)
}
