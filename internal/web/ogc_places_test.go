package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/geo"
)

// placesPage is one page of /ogc/collections/places/items as a client
// reads it.
type placesPage struct {
	ids      []string
	levels   []string
	pops     []float64
	points   []orb.Point
	matched  int
	returned int
	next     string
}

func getPlacesPage(t *testing.T, u string) placesPage {
	t.Helper()
	res := do(t, http.MethodGet, u, "", "")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("GET %s: %d %s %.300s", u, res.status, res.header.Get("Content-Type"), res.body)
	}
	doc := res.json(t)
	var p placesPage
	p.matched, p.returned = int(doc["numberMatched"].(float64)), int(doc["numberReturned"].(float64))
	for _, f := range doc["features"].([]any) {
		f := f.(map[string]any)
		props := f["properties"].(map[string]any)
		c := f["geometry"].(map[string]any)["coordinates"].([]any)
		p.ids = append(p.ids, f["id"].(string))
		p.levels = append(p.levels, props["level"].(string))
		p.pops = append(p.pops, props["population"].(float64))
		p.points = append(p.points, orb.Point{c[0].(float64), c[1].(float64)})
	}
	for _, l := range doc["links"].([]any) {
		if l := l.(map[string]any); l["rel"] == "next" {
			p.next = l["href"].(string)
		}
	}
	if p.returned != len(p.ids) {
		t.Errorf("numberReturned %d with %d features", p.returned, len(p.ids))
	}
	return p
}

// countPlaces counts the gazetteer's places that keep accepts, the way a
// client that had the whole gazetteer would.
func countPlaces(gaz *gazetteer.Gazetteer, keep func(p gazetteer.Place) bool) int {
	n := 0
	gaz.Each(func(p gazetteer.Place) bool {
		if keep(p) {
			n++
		}
		return true
	})
	return n
}

// TestOGCPlacesListing: OGC API - Features Part 1 needs every collection to
// answer a plain items request and bbox queries; GDAL and QGIS open the
// places layer that way.
func TestOGCPlacesListing(t *testing.T) {
	srv := newPlacesServer(t)
	gaz := builtinGazetteer(t)
	base := srv.URL + "/ogc/collections/places/items"

	t.Run("plain items: a first page of the most important places, paged", func(t *testing.T) {
		first := getPlacesPage(t, base)
		if first.matched != gaz.Len() || len(first.ids) != 10 {
			t.Fatalf("numberMatched %d (gazetteer holds %d), %d features; want all matched and 10 returned", first.matched, gaz.Len(), len(first.ids))
		}
		if first.next == "" {
			t.Fatal("no next link on the first page of the gazetteer")
		}
		second := getPlacesPage(t, first.next)
		seen := map[string]bool{}
		all := placesPage{}
		for _, p := range []placesPage{first, second} {
			all.ids = append(all.ids, p.ids...)
			all.levels = append(all.levels, p.levels...)
			all.pops = append(all.pops, p.pops...)
		}
		rank := map[string]int{"region": 0, "country": 1, "admin1": 2, "admin2": 3, "place": 4}
		for i, id := range all.ids {
			if seen[id] {
				t.Errorf("%s returned twice in the first two pages", id)
			}
			seen[id] = true
			if i == 0 {
				continue
			}
			prevRank, curRank := rank[all.levels[i-1]], rank[all.levels[i]]
			if curRank < prevRank || (curRank == prevRank && all.pops[i] > all.pops[i-1]) {
				t.Errorf("place %d (%s, %s, %v) listed after %s (%s, %v): not most important first",
					i, id, all.levels[i], all.pops[i], all.ids[i-1], all.levels[i-1], all.pops[i-1])
			}
		}
	})

	t.Run("bbox, followed to the last page", func(t *testing.T) {
		box := geo.BBox{MinLon: 64.3, MinLat: 32.0, MaxLon: 65.2, MaxLat: 32.9} // around Musa Qala, Helmand
		want := countPlaces(gaz, func(p gazetteer.Place) bool { return box.Contains(p.Point) })
		if want < 5 {
			t.Fatalf("fixture: only %d places in %v", want, box)
		}
		u := base + "?limit=4&bbox=" + box.String()
		var ids []string
		for pages := 0; u != ""; pages++ {
			if pages > want {
				t.Fatal("next links never end")
			}
			p := getPlacesPage(t, u)
			if p.matched != want {
				t.Fatalf("numberMatched %d, want %d", p.matched, want)
			}
			for i, pt := range p.points {
				if !box.Contains(pt) {
					t.Errorf("%s at %v is outside the bbox", p.ids[i], pt)
				}
			}
			ids = append(ids, p.ids...)
			u = p.next
		}
		if len(ids) != want || !strings.Contains(strings.Join(ids, " "), "geonames:1132604") {
			t.Errorf("paged through %d places %v; want %d including Musa Qala", len(ids), ids, want)
		}
	})

	t.Run("bbox across the antimeridian", func(t *testing.T) {
		box := geo.BBox{MinLon: 177, MinLat: -19, MaxLon: -178, MaxLat: -16} // Fiji, across 180°
		want := countPlaces(gaz, func(p gazetteer.Place) bool { return box.Contains(p.Point) })
		p := getPlacesPage(t, base+"?limit=10000&bbox="+box.String())
		east, west := false, false
		for _, pt := range p.points {
			east, west = east || pt[0] > 0, west || pt[0] < 0
		}
		if p.matched != want || len(p.ids) != want || !east || !west {
			t.Errorf("numberMatched %d, %d features (east %v, west %v); want %d on both sides", p.matched, len(p.ids), east, west, want)
		}
	})

	t.Run("country and level narrow the listing", func(t *testing.T) {
		want := countPlaces(gaz, func(p gazetteer.Place) bool { return p.Country == "AF" && p.Level == gazetteer.LevelAdmin1 })
		p := getPlacesPage(t, base+"?country=af&level=admin1&limit=100")
		if p.matched != want || len(p.ids) != want || want == 0 {
			t.Errorf("numberMatched %d, %d features; want %d Afghan provinces", p.matched, len(p.ids), want)
		}
		for i, l := range p.levels {
			if l != "admin1" {
				t.Errorf("%s is a %s", p.ids[i], l)
			}
		}
	})

	t.Run("names still search, and page", func(t *testing.T) {
		p := getPlacesPage(t, base+"?name=Kabul&limit=1")
		if len(p.ids) != 1 || p.matched < 2 || p.next == "" {
			t.Fatalf("name=Kabul&limit=1: %+v", p)
		}
		if q := getPlacesPage(t, p.next); len(q.ids) != 1 || q.ids[0] == p.ids[0] || q.matched != p.matched {
			t.Errorf("second page of Kabul %+v after %+v", q, p)
		}
	})

	t.Run("HTML listing", func(t *testing.T) {
		res := do(t, http.MethodGet, base+"?f=html", "", "")
		if res.status != http.StatusOK || !strings.Contains(string(res.body), "GeoNames") {
			t.Errorf("%d %.300s", res.status, res.body)
		}
	})

	for _, tt := range []struct{ query, param string }{
		{"cursor=x", "cursor"},
		{"cursor=-1", "cursor"},
		{"cursor=99999999999", "cursor"},
		{"bbox=1,2,3", "bbox"},
		{"level=town", "level"},
		{"bbox-crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/3857"), "bbox-crs"},
	} {
		t.Run("bad "+tt.query, func(t *testing.T) {
			res := do(t, http.MethodGet, base+"?"+tt.query, "", "")
			if res.status != http.StatusBadRequest || res.json(t)["param"] != tt.param {
				t.Errorf("%d %s; want 400 naming %s", res.status, res.body, tt.param)
			}
		})
	}
}
