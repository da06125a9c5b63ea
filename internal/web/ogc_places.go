package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// The places collection of the OGC API: the gazetteer, listed most
// important first or searched by name, narrowed by bbox, country and level
// and paged with next links, as OGC API - Features Part 1 asks of every
// collection (GDAL and QGIS open a layer with a plain items request).

// placeRef is what the listing keeps of one place to filter and page it
// without copying whole places: 48 bytes for each of the gazetteer's
// 230,000, the id's text shared with the gazetteer.
type placeRef struct {
	id      string
	point   orb.Point
	country [2]byte
	level   gazetteer.Level
}

// placeListing is every place of the gazetteer in listing order, built on
// the first plain listing (a tenth of a second), never before: a server
// that is never asked keeps neither the time nor the memory.
type placeListing struct {
	once sync.Once
	refs []placeRef
}

// coarseness orders levels coarsest first, as their values do except
// LevelRegion, which is numbered last only to keep the others stable.
func coarseness(l gazetteer.Level) gazetteer.Level {
	if l == gazetteer.LevelRegion {
		return gazetteer.LevelAny
	}
	return l
}

// listing returns the gazetteer's places most important first: regions,
// countries, admin1 and admin2 areas, then populated places, each level by
// population, largest first, ties by id so that the order, and so every
// cursor, is the same on every run.
func (pl *placeTools) listing() []placeRef {
	pl.list.once.Do(func() {
		type ranked struct {
			ref placeRef
			pop int64
		}
		all := make([]ranked, 0, pl.gaz.Len())
		pl.gaz.Each(func(p gazetteer.Place) bool {
			r := placeRef{id: p.ID, point: p.Point, level: p.Level}
			copy(r.country[:], p.Country)
			all = append(all, ranked{r, p.Population})
			return true
		})
		slices.SortFunc(all, func(a, b ranked) int {
			return cmp.Or(cmp.Compare(coarseness(a.ref.level), coarseness(b.ref.level)),
				cmp.Compare(b.pop, a.pop), cmp.Compare(a.ref.id, b.ref.id))
		})
		refs := make([]placeRef, len(all))
		for i := range all {
			refs[i] = all[i].ref
		}
		pl.list.refs = refs
	})
	return pl.list.refs
}

// placeFilter is what a places items request narrows by; zero values keep
// everything.
type placeFilter struct {
	bounds  []orb.Bound // the bbox, two parts across the antimeridian; nil for none
	country string
	level   gazetteer.Level
}

func (f *placeFilter) keeps(pt orb.Point, country string, level gazetteer.Level) bool {
	if f.country != "" && country != f.country || f.level != gazetteer.LevelAny && level != f.level {
		return false
	}
	if f.bounds == nil {
		return true
	}
	for _, b := range f.bounds {
		if b.Contains(pt) {
			return true
		}
	}
	return false
}

// placesPage picks a page from n places in order, of which keep(i) says
// which match: the positions of at most limit matches from position start,
// the number of matches among all n, and the position of the first match
// after the page (-1 when none remains), which the next link carries. The
// cost is one pass over the n places.
func placesPage(n, start, limit int, keep func(i int) bool) (page []int, matched, next int) {
	next = -1
	for i := 0; i < n; i++ {
		if !keep(i) {
			continue
		}
		matched++
		switch {
		case i < start:
		case len(page) < limit:
			page = append(page, i)
		case next < 0:
			next = i
		}
	}
	return page, matched, next
}

// handleOGCPlaces answers the places items: with name, the gazetteer's
// candidates for it, best first; without, every place, most important
// first. Both are narrowed by bbox, country and level and paged.
func (s *Server) handleOGCPlaces(w http.ResponseWriter, r *http.Request) error {
	format, err := ogcRequest(w, r, "f", "limit", "cursor", "bbox", "bbox-crs", "crs", "name", "country", "level")
	if err != nil {
		return err
	}
	pl, err := s.places()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	if err := checkCRS(v, "bbox-crs", "crs"); err != nil {
		return err
	}
	var f placeFilter
	if f.country, err = countryParam(v); err != nil {
		return err
	}
	if f.level, err = levelParam(v); err != nil {
		return err
	}
	box, err := bboxParam(v)
	if err != nil {
		return err
	}
	if box != nil {
		f.bounds = box.Bounds()
	}
	limit, err := parseLimit(r, ogcDefaultLimit, ogcMaxLimit)
	if err != nil {
		return err
	}
	var (
		n     int
		keep  func(i int) bool
		place func(i int) (gazetteer.Place, error)
		title = "Places"
	)
	if v.Has("name") {
		name, err := placeName(v, "name", "is empty: give a place name (items?name=Kabul), or leave name out to list every place")
		if err != nil {
			return err
		}
		cands, err := pl.gaz.LookupContext(r.Context(), name, gazetteer.Hints{Country: f.country, Level: f.level})
		if errors.Is(err, gazetteer.ErrEmptyName) {
			return badParam("name", "has no letters or digits")
		}
		if err != nil {
			return err
		}
		n, title = len(cands), "Places named "+name
		keep = func(i int) bool {
			p := &cands[i].Place
			return f.keeps(p.Point, p.Country, p.Level)
		}
		place = func(i int) (gazetteer.Place, error) { return cands[i].Place, nil }
	} else {
		refs := pl.listing()
		n = len(refs)
		keep = func(i int) bool { return f.keeps(refs[i].point, string(refs[i].country[:]), refs[i].level) }
		place = func(i int) (gazetteer.Place, error) { return pl.gaz.Get(refs[i].id) }
	}
	start, err := placesCursor(v, n)
	if err != nil {
		return err
	}
	page, matched, next := placesPage(n, start, limit, keep)
	feats := make([]placeFeature, 0, len(page))
	for _, i := range page {
		p, err := place(i)
		if err != nil {
			return err
		}
		feats = append(feats, pl.placeFeature(p))
	}
	cursor := ""
	if next >= 0 {
		cursor = strconv.Itoa(next)
	}
	links := s.itemsLinks(r, format, cursor)
	if format == "html" {
		return s.writePlacesHTML(w, r, title, feats, links)
	}
	setContentCRS(w)
	cw, err := startCollection(w, http.StatusOK, geoJSONType, map[string]any{"numberMatched": matched, "timeStamp": timeStamp()})
	if err != nil {
		return err
	}
	for i := range feats {
		if err := cw.WriteValue(feats[i]); err != nil {
			return err
		}
	}
	return cw.Close(map[string]any{"numberReturned": cw.count, "links": links, "attribution": gazetteer.Attribution})
}

// placesCursor reads the cursor of a places next link: the position, in
// the order listed, of the first place of the page; 0 when absent.
func placesCursor(v url.Values, n int) (int, error) {
	c := v.Get("cursor")
	if c == "" {
		return 0, nil
	}
	i, err := strconv.Atoi(c)
	if err != nil || i < 0 || i > n {
		return 0, badParam("cursor", "must be the cursor of a next link, a position from 0 to %d; not %q", n, c)
	}
	return i, nil
}
