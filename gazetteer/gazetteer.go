package gazetteer

import (
	"bytes"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/gazetteer/internal/norm"
	"github.com/incidentmap/incidentmap/gazetteer/internal/table"
	"github.com/incidentmap/incidentmap/geo"
)

// The places and names tables are read in place (see internal/table):
// embedded as strings, they are never copied or parsed. The phonetic
// index and the country shapes are loaded on first use.
var (
	//go:embed data/places.bin
	placesData string
	//go:embed data/names.bin
	namesData string
	//go:embed data/phonetic.tsv.gz data/countries.bin.gz
	dataFS embed.FS // read-only: embedded files cannot change
)

// ErrNotFound is returned (wrapped) by Get for an unknown id.
var ErrNotFound = errors.New("gazetteer: place not found")

// Attribution is the credit line the data's licences ask for; the HTTP API
// puts it in every places response.
const Attribution = "Place data © GeoNames (https://www.geonames.org/), CC BY 4.0; " +
	"country shapes from Natural Earth (https://www.naturalearthdata.com/), public domain."

// Gazetteer is an immutable, concurrency-safe place index. Build one with
// Builtin or Open.
type Gazetteer struct {
	// places: place i is record i; Place values are made on access.
	places table.Places
	// names: the postings of key i are place<<2|kind, likeliest first.
	names table.Names

	// Only names the index lacks are looked up phonetically, and only
	// Reverse needs the country shapes and the place grid: both are built
	// on first use (sync.OnceValues), so that Builtin returns sooner.
	phonetic func() (*phoneticIndex, error)
	spatial  func() (*spatialIndex, error)

	// areas indexes countries and admin areas by code, for Parents,
	// Reverse and imported places' hierarchy names; built on first use
	// (Lookup, Get and Known do not need it).
	areas func() *areaIndex

	imported *importedSource // nil unless Open found an imported GeoNames dump

	scratch sync.Pool // *lookupScratch, reused by Lookup
}

// areaIndex: record numbers of countries by ISO2 code and of admin areas
// by their codes.
type areaIndex struct {
	country map[string]int32
	admin   map[adminKey]int32
}

// adminKey is an admin area's codes: Admin2 is empty for an admin1.
type adminKey struct{ Country, Admin1, Admin2 string }

// phoneticIndex: keys sorted; post[off[i]:off[i+1]] are numbers of keys
// in the names table.
type phoneticIndex struct {
	keys      []string
	off, post []uint32
}

// spatialIndex is what Reverse searches: country shapes and populated
// places by grid cell.
type spatialIndex struct {
	shapes []countryShape
	grid   placeGrid
}

type countryShape struct {
	cc    string
	bound orb.Bound
	geom  orb.MultiPolygon
	// polyBounds[k] is geom[k]'s outer ring's box: most points are far
	// from most of a country's islands, and the ring test recomputes the
	// box on every call.
	polyBounds []orb.Bound
}

// Builtin opens the embedded world gazetteer. Its tables are read in
// place, so it takes milliseconds and little memory (the phonetic index
// and the shapes Reverse needs are loaded on first use); build it once and
// share it (a Gazetteer is safe for concurrent use).
func Builtin() (*Gazetteer, error) {
	places, err := table.OpenPlaces(placesData)
	if err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	names, err := table.OpenNames(namesData)
	if err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	g := &Gazetteer{places: places, names: names}
	g.phonetic = sync.OnceValues(g.loadPhonetic)
	g.spatial = sync.OnceValues(g.loadSpatial)
	g.areas = sync.OnceValue(g.indexAreas)
	if err := g.check(); err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	return g, nil
}

// check verifies that postings point at places.
func (g *Gazetteer) check() error {
	all := g.names.AllPostings()
	for j := range all.Len() {
		if p := all.At(j); int(p>>2) >= g.places.Len() {
			return fmt.Errorf("embedded names: posting %d beyond %d places", p>>2, g.places.Len())
		}
	}
	return nil
}

func readGzip(name string) (string, error) {
	raw, err := dataFS.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("opening embedded %s: %w", name, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return "", fmt.Errorf("reading embedded %s: %w", name, err)
	}
	var b strings.Builder
	if len(raw) >= 4 {
		// gzip's trailer holds the uncompressed size: allocate once.
		b.Grow(int(binary.LittleEndian.Uint32(raw[len(raw)-4:])) + 1)
	}
	if _, err := io.Copy(&b, zr); err != nil {
		return "", fmt.Errorf("reading embedded %s: %w", name, err)
	}
	return b.String(), nil
}

// lines calls fn for each line of s (without its newline), with its
// 1-based number.
func lines(s string, fn func(n int, line string) error) error {
	n := 0
	for len(s) > 0 {
		n++
		i := strings.IndexByte(s, '\n')
		var line string
		if i < 0 {
			line, s = s, ""
		} else {
			line, s = s[:i], s[i+1:]
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	return nil
}

// indexAreas builds the country and admin area indexes by code (g.areas
// calls it once).
func (g *Gazetteer) indexAreas() *areaIndex {
	var nc, na int
	for i := range g.places.Len() {
		switch Level(g.places.Level(i)) {
		case LevelCountry:
			nc++
		case LevelAdmin1, LevelAdmin2:
			na++
		}
	}
	ix := &areaIndex{country: make(map[string]int32, nc), admin: make(map[adminKey]int32, na)}
	for i := range g.places.Len() {
		switch Level(g.places.Level(i)) {
		case LevelCountry:
			ix.country[g.places.Country(i)] = int32(i)
		case LevelAdmin1:
			cc, a1, _ := g.places.Codes(i)
			ix.admin[adminKey{cc, a1, ""}] = int32(i)
		case LevelAdmin2:
			cc, a1, a2 := g.places.Codes(i)
			ix.admin[adminKey{cc, a1, a2}] = int32(i)
		}
	}
	return ix
}

// country returns the record number of the country with ISO2 code cc.
func (g *Gazetteer) country(cc string) (int32, bool) {
	i, ok := g.areas().country[cc]
	return i, ok
}

// admin returns the record number of the admin1 (a2 empty) or admin2 area
// with the given codes.
func (g *Gazetteer) admin(cc, a1, a2 string) (int32, bool) {
	i, ok := g.areas().admin[adminKey{cc, a1, a2}]
	return i, ok
}

// place makes the Place of record i.
func (g *Gazetteer) place(i int32) Place {
	r := g.places.Record(int(i))
	p := Place{
		ID: r.ID, GeoNameID: r.GeoNameID, Name: r.Name, ASCIIName: r.ASCIIName, Level: Level(r.Level),
		FeatureCode: r.FeatureCode, Country: r.Country, CountryName: r.CountryName,
		Admin1Code: r.Admin1Code, Admin1: r.Admin1, Admin2Code: r.Admin2Code, Admin2: r.Admin2,
		Point: orb.Point{r.Lon, r.Lat}, Population: r.Population, CoordSource: r.CoordSource,
	}
	p.Centre = p.Point
	if r.HasBound {
		p.Bound = geo.BBox{MinLon: r.Bound[0], MinLat: r.Bound[1], MaxLon: r.Bound[2], MaxLat: r.Bound[3]}
		if p.Level == LevelAdmin1 || p.Level == LevelAdmin2 {
			p.Centre = p.Bound.Center()
		}
	}
	return p
}

// parseIndex reads "key\tn,n,n" lines into sorted keys and flat postings.
func parseIndex(data, what string) (keys []string, off, post []uint32, err error) {
	nlines := strings.Count(data, "\n")
	keys = make([]string, 0, nlines)
	off = make([]uint32, 0, nlines+1)
	post = make([]uint32, 0, nlines*3/2)
	err = lines(data, func(n int, line string) error {
		tab := strings.IndexByte(line, '\t')
		if tab < 0 {
			return fmt.Errorf("embedded %s line %d: no tab", what, n)
		}
		keys = append(keys, line[:tab])
		off = append(off, uint32(len(post)))
		rest := line[tab+1:]
		for len(rest) > 0 {
			var v uint32
			i := 0
			for ; i < len(rest) && rest[i] != ','; i++ {
				c := rest[i]
				if c < '0' || c > '9' {
					return fmt.Errorf("embedded %s line %d: bad posting", what, n)
				}
				v = v*10 + uint32(c-'0')
			}
			post = append(post, v)
			if i < len(rest) {
				i++
			}
			rest = rest[i:]
		}
		return nil
	})
	off = append(off, uint32(len(post)))
	return keys, off, post, err
}

// loadPhonetic loads the phonetic index (g.phonetic calls it once).
func (g *Gazetteer) loadPhonetic() (*phoneticIndex, error) {
	ix := &phoneticIndex{}
	data, err := readGzip("data/phonetic.tsv.gz")
	if err != nil {
		return nil, fmt.Errorf("loading the phonetic index: %w", err)
	}
	if ix.keys, ix.off, ix.post, err = parseIndex(data, "phonetic"); err != nil {
		return nil, fmt.Errorf("loading the phonetic index: %w", err)
	}
	for _, p := range ix.post {
		if int(p) >= g.names.Len() {
			return nil, fmt.Errorf("loading the phonetic index: key %d beyond %d keys", p, g.names.Len())
		}
	}
	return ix, nil
}

// loadSpatial builds the shapes and grid Reverse searches (g.spatial
// calls it once).
func (g *Gazetteer) loadSpatial() (*spatialIndex, error) {
	shapes, err := loadShapes()
	if err != nil {
		return nil, fmt.Errorf("loading the country shapes: %w", err)
	}
	return &spatialIndex{shapes: shapes, grid: newPlaceGrid(&g.places)}, nil
}

func loadShapes() ([]countryShape, error) {
	data, err := readGzip("data/countries.bin.gz")
	if err != nil {
		return nil, err
	}
	var shapes []countryShape
	b := []byte(data)
	for len(b) > 0 {
		if len(b) < 6 {
			return nil, errors.New("embedded country shapes: truncated")
		}
		cc := string(b[:2])
		n := binary.LittleEndian.Uint32(b[2:6])
		if uint32(len(b)-6) < n {
			return nil, fmt.Errorf("embedded country shapes: %s truncated", cc)
		}
		geom, err := wkb.Unmarshal(b[6 : 6+n])
		if err != nil {
			return nil, fmt.Errorf("embedded country shapes: decoding %s: %w", cc, err)
		}
		mp, ok := geom.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("embedded country shapes: %s is a %s, want MultiPolygon", cc, geom.GeoJSONType())
		}
		pb := make([]orb.Bound, len(mp))
		for k, poly := range mp {
			if len(poly) > 0 {
				pb[k] = poly[0].Bound()
			}
		}
		shapes = append(shapes, countryShape{cc: cc, bound: mp.Bound(), geom: mp, polyBounds: pb})
		b = b[6+n:]
	}
	return shapes, nil
}

// Get returns the place with the given id ("geonames:1132604",
// "geonames-admin1:AF.10", "iso:AF"). Unknown ids give an error wrapping
// ErrNotFound.
func (g *Gazetteer) Get(id string) (Place, error) {
	if i, ok := g.places.Find(id); ok {
		return g.place(int32(i)), nil
	}
	if g.imported != nil {
		return g.imported.get(g, id)
	}
	return Place{}, fmt.Errorf("getting place %q: %w", id, ErrNotFound)
}

// Len returns the number of places in the built-in index.
func (g *Gazetteer) Len() int { return g.places.Len() }

// findKey returns the index of key in keys, or -1.
func findKey(keys []string, key string) int {
	i := sort.SearchStrings(keys, key)
	if i < len(keys) && keys[i] == key {
		return i
	}
	return -1
}

// Normalize returns the key under which the gazetteer indexes a name:
// NFKD with diacritics dropped, apostrophe/ayn/hamza marks (' ’ ‘ ` ʿ ʾ)
// removed, dots removed ("U.S." is "us"), case folded, hyphens and other
// punctuation turned to single spaces, and the Arabic article ("al-",
// "el-", "ar-Raqqa", "As Sulaymaniyah") written "al". Invalid UTF-8 is
// dropped. Keys passed to Known must be normalised with it.
func Normalize(s string) string { return norm.Key(s) }

// Parents returns the places above p in its hierarchy, coarsest first:
// its country, admin1 and admin2 where the gazetteer has them.
func (g *Gazetteer) Parents(p Place) []Place {
	var out []Place
	add := func(i int32, ok bool) {
		if ok && g.places.ID(int(i)) != p.ID {
			out = append(out, g.place(i))
		}
	}
	if p.Level == LevelCountry || p.Level == LevelRegion {
		return nil
	}
	i, ok := g.country(p.Country)
	add(i, ok)
	if p.Admin1Code != "" && p.Level != LevelAdmin1 {
		i, ok = g.admin(p.Country, p.Admin1Code, "")
		add(i, ok)
		if p.Admin2Code != "" && p.Level != LevelAdmin2 {
			i, ok = g.admin(p.Country, p.Admin1Code, p.Admin2Code)
			add(i, ok)
		}
	}
	return out
}
