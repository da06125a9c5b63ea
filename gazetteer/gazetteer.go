package gazetteer

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/gazetteer/internal/norm"
	"github.com/incidentmap/incidentmap/geo"
)

//go:embed data/places.tsv.gz data/names.tsv.gz data/phonetic.tsv.gz data/countries.bin.gz
var dataFS embed.FS // read-only: embedded files cannot change

// ErrNotFound is returned (wrapped) by Get for an unknown id.
var ErrNotFound = errors.New("gazetteer: place not found")

// Attribution is the credit line the data's licences ask for; the HTTP API
// puts it in every places response.
const Attribution = "Place data © GeoNames (https://www.geonames.org/), CC BY 4.0; " +
	"country shapes from Natural Earth (https://www.naturalearthdata.com/), public domain."

// Gazetteer is an immutable, concurrency-safe place index. Build one with
// Builtin or Open.
type Gazetteer struct {
	places []Place
	// Ids: "geonames:N" by GeoNames id in byGeoName (sorted, searched),
	// the few others (countries, regions, admin areas) in byID. A string
	// map over all 229k ids took a fifth of Builtin's time.
	byGeoName []geoNameIdx
	byID      map[string]int32

	// Name index: keys sorted; the postings of keys[i] are
	// post[postOff[i]:postOff[i+1]], each index<<2|kind, likeliest first.
	keys    []string
	postOff []uint32
	post    []uint32

	// Only names the index lacks are looked up phonetically, and only
	// Reverse needs the country shapes and the place grid: both are built
	// on first use, so that Builtin returns sooner.
	// Each loads its index on the first call (sync.OnceValues).
	phonetic func() (*phoneticIndex, error)
	spatial  func() (*spatialIndex, error)

	maxWords int

	// countryIdx and adminIdx by code, for hierarchy names and Resolve.
	countryIdx map[string]int32 // ISO2
	adminIdx   map[adminKey]int32

	imported *importedSource // nil unless Open found an imported GeoNames dump
}

// geoNameIdx is the place with a "geonames:N" id.
type geoNameIdx struct {
	id  int64
	idx int32
}

// adminKey is an admin area's codes: Admin2 is empty for an admin1.
type adminKey struct{ Country, Admin1, Admin2 string }

// phoneticIndex: keys sorted; post[off[i]:off[i+1]] are indexes into the
// name index's keys.
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
}

// Builtin loads the embedded world gazetteer. It takes a few tenths of a
// second and ~130 MB (the phonetic index and the shapes Reverse needs are
// loaded on first use); build it once and share it (a Gazetteer is safe
// for concurrent use).
func Builtin() (*Gazetteer, error) {
	g := &Gazetteer{}
	g.phonetic = sync.OnceValues(g.loadPhonetic)
	g.spatial = sync.OnceValues(g.loadSpatial)
	// The files are independent: decode them in parallel, then check the
	// cross-references.
	loads := []func() error{g.loadPlaces, g.loadNames}
	if err := parallel(len(loads), func(i int) error { return loads[i]() }); err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	if err := g.check(); err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	return g, nil
}

// check verifies that postings point at places.
func (g *Gazetteer) check() error {
	for _, p := range g.post {
		if int(p>>2) >= len(g.places) {
			return fmt.Errorf("embedded names: posting %d beyond %d places", p>>2, len(g.places))
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

// loadPlaces reads places.tsv: its parts are parsed in parallel, each
// into its own range of g.places, then indexed and given their hierarchy
// names.
func (g *Gazetteer) loadPlaces() error {
	data, err := readGzip("data/places.tsv.gz")
	if err != nil {
		return err
	}
	parts := splitAtLines(data, min(runtime.GOMAXPROCS(0), 8))
	counts := make([]int, len(parts))
	for i, part := range parts {
		counts[i] = countLines(part)
	}
	g.places = make([]Place, sum(counts))
	err = parallel(len(parts), func(i int) error {
		first := sum(counts[:i])
		return parsePlaces(parts[i], first, g.places[first:first+counts[i]])
	})
	if err != nil {
		return err
	}
	g.indexPlaces()
	return parallel(len(parts), func(i int) error {
		first := sum(counts[:i])
		g.fillHierarchy(g.places[first : first+counts[i]])
		return nil
	})
}

// parallel runs fn(0)…fn(n-1) at once and returns their errors joined.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

// splitAtLines cuts s into at most n parts of about equal size, each
// ending at a newline (but the last).
func splitAtLines(s string, n int) []string {
	var parts []string
	for k := n; k > 1 && s != ""; k-- {
		cut := len(s) / k
		j := strings.IndexByte(s[cut:], '\n')
		if j < 0 {
			break
		}
		parts = append(parts, s[:cut+j+1])
		s = s[cut+j+1:]
	}
	return append(parts, s)
}

// countLines counts the lines lines calls its function for.
func countLines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && s[len(s)-1] != '\n' {
		n++
	}
	return n
}

// parsePlaces parses the lines of data into out, one place a line; first
// is the number of lines before data, for error messages.
func parsePlaces(data string, first int, out []Place) error {
	var f [14]string
	return lines(data, func(n int, line string) error {
		if err := parsePlace(line, f[:], &out[n-1]); err != nil {
			return fmt.Errorf("embedded places line %d: %w", first+n, err)
		}
		return nil
	})
}

// parsePlace parses one line of places.tsv into p, with f to split it in.
func parsePlace(line string, f []string, p *Place) error {
	if !splitTabs(line, f) {
		return fmt.Errorf("want %d columns", len(f))
	}
	var err error
	p.ID, p.Name, p.ASCIIName, p.FeatureCode = f[0], f[2], f[3], f[5]
	p.Country, p.Admin1Code, p.Admin2Code, p.CoordSource = f[6], f[7], f[8], f[13]
	if p.GeoNameID, err = strconv.ParseInt(f[1], 10, 64); err != nil {
		return fmt.Errorf("geonameid: %w", err)
	}
	lvl, err := strconv.Atoi(f[4])
	if err != nil {
		return fmt.Errorf("level: %w", err)
	}
	p.Level = Level(lvl)
	lat, err1 := strconv.ParseFloat(f[9], 64)
	lon, err2 := strconv.ParseFloat(f[10], 64)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("coordinates: %w", err)
	}
	p.Point = orb.Point{lon, lat}
	p.Centre = p.Point
	if f[11] != "" {
		var b [4]float64
		for i, s := range strings.SplitN(f[11], ",", 4) {
			if b[i], err = strconv.ParseFloat(s, 64); err != nil {
				return fmt.Errorf("bbox: %w", err)
			}
		}
		p.Bound = geo.BBox{MinLon: b[0], MinLat: b[1], MaxLon: b[2], MaxLat: b[3]}
		if p.Level == LevelAdmin1 || p.Level == LevelAdmin2 {
			p.Centre = p.Bound.Center()
		}
	}
	if p.Population, err = strconv.ParseInt(f[12], 10, 64); err != nil {
		return fmt.Errorf("population: %w", err)
	}
	return nil
}

// indexPlaces builds the id and code indexes of g.places.
func (g *Gazetteer) indexPlaces() {
	g.byGeoName = make([]geoNameIdx, 0, len(g.places))
	g.byID = map[string]int32{}
	g.countryIdx = map[string]int32{}
	g.adminIdx = map[adminKey]int32{}
	for i := range g.places {
		p := &g.places[i]
		if gid, ok := geoNameID(p.ID); ok && gid == p.GeoNameID {
			g.byGeoName = append(g.byGeoName, geoNameIdx{gid, int32(i)})
		} else {
			g.byID[p.ID] = int32(i)
		}
		switch p.Level {
		case LevelCountry:
			g.countryIdx[p.Country] = int32(i)
		case LevelAdmin1:
			g.adminIdx[adminKey{p.Country, p.Admin1Code, ""}] = int32(i)
		case LevelAdmin2:
			g.adminIdx[adminKey{p.Country, p.Admin1Code, p.Admin2Code}] = int32(i)
		}
	}
	// The file lists places nearly in id order: sorting is quick.
	slices.SortFunc(g.byGeoName, func(a, b geoNameIdx) int { return cmp.Compare(a.id, b.id) })
}

// geoNameID returns N of an id "geonames:N" written canonically (no sign,
// no leading zero).
func geoNameID(id string) (int64, bool) {
	n, ok := strings.CutPrefix(id, geoNamePrefix)
	if !ok || n == "" || n[0] < '1' || n[0] > '9' {
		return 0, false
	}
	gid, err := strconv.ParseInt(n, 10, 64)
	return gid, err == nil
}

// geoNamePrefix starts the id of a place from GeoNames' own records.
const geoNamePrefix = "geonames:"

// index returns the index of the place with the given id.
func (g *Gazetteer) index(id string) (int32, bool) {
	if gid, ok := geoNameID(id); ok {
		if j, found := slices.BinarySearchFunc(g.byGeoName, gid, func(e geoNameIdx, t int64) int { return cmp.Compare(e.id, t) }); found {
			return g.byGeoName[j].idx, true
		}
	}
	i, ok := g.byID[id]
	return i, ok
}

// admin returns the index of the admin1 (a2 empty) or admin2 area with the
// given codes.
func (g *Gazetteer) admin(cc, a1, a2 string) (int32, bool) {
	i, ok := g.adminIdx[adminKey{cc, a1, a2}]
	return i, ok
}

// splitTabs splits line into exactly len(f) tab-separated fields.
func splitTabs(line string, f []string) bool {
	for i := range f {
		if i == len(f)-1 {
			if strings.IndexByte(line, '\t') >= 0 {
				return false
			}
			f[i] = line
			return true
		}
		j := strings.IndexByte(line, '\t')
		if j < 0 {
			return false
		}
		f[i], line = line[:j], line[j+1:]
	}
	return true
}

// fillHierarchy sets the country, admin1 and admin2 names of places.
func (g *Gazetteer) fillHierarchy(places []Place) {
	// Neighbours in the file often share their hierarchy: look it up
	// only when it changes.
	var prev *Place
	for i := range places {
		p := &places[i]
		if prev != nil && p.Country == prev.Country && p.Admin1Code == prev.Admin1Code && p.Admin2Code == prev.Admin2Code {
			p.CountryName, p.Admin1, p.Admin2 = prev.CountryName, prev.Admin1, prev.Admin2
			continue
		}
		prev = p
		if c, ok := g.countryIdx[p.Country]; ok {
			p.CountryName = g.places[c].Name
		}
		if p.Admin1Code != "" {
			if a, ok := g.admin(p.Country, p.Admin1Code, ""); ok {
				p.Admin1 = g.places[a].Name
			}
			if p.Admin2Code != "" {
				if a, ok := g.admin(p.Country, p.Admin1Code, p.Admin2Code); ok {
					p.Admin2 = g.places[a].Name
				}
			}
		}
	}
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

func (g *Gazetteer) loadNames() error {
	data, err := readGzip("data/names.tsv.gz")
	if err != nil {
		return err
	}
	g.keys, g.postOff, g.post, err = parseIndex(data, "names")
	if err != nil {
		return err
	}
	for _, k := range g.keys {
		if w := norm.Words(k); w > g.maxWords {
			g.maxWords = w
		}
	}
	return nil
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
		if int(p) >= len(g.keys) {
			return nil, fmt.Errorf("loading the phonetic index: key %d beyond %d keys", p, len(g.keys))
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
	return &spatialIndex{shapes: shapes, grid: newPlaceGrid(g.places)}, nil
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
		shapes = append(shapes, countryShape{cc: cc, bound: mp.Bound(), geom: mp})
		b = b[6+n:]
	}
	return shapes, nil
}

// Get returns the place with the given id ("geonames:1132604",
// "geonames-admin1:AF.10", "iso:AF"). Unknown ids give an error wrapping
// ErrNotFound.
func (g *Gazetteer) Get(id string) (Place, error) {
	if i, ok := g.index(id); ok {
		return g.places[i], nil
	}
	if g.imported != nil {
		return g.imported.get(g, id)
	}
	return Place{}, fmt.Errorf("getting place %q: %w", id, ErrNotFound)
}

// Len returns the number of places in the built-in index.
func (g *Gazetteer) Len() int { return len(g.places) }

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
		if ok && g.places[i].ID != p.ID {
			out = append(out, g.places[i])
		}
	}
	if p.Level == LevelCountry || p.Level == LevelRegion {
		return nil
	}
	i, ok := g.countryIdx[p.Country]
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
