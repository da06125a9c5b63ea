package gazetteer

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/gazetteer/internal/norm"
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
	byID   map[string]int32

	// Name index: keys sorted; the postings of keys[i] are
	// post[postOff[i]:postOff[i+1]], each index<<2|kind, likeliest first.
	keys    []string
	postOff []uint32
	post    []uint32

	// Phonetic index: phonKeys sorted; phonPost[phonOff[i]:phonOff[i+1]]
	// are indexes into keys.
	phonKeys []string
	phonOff  []uint32
	phonPost []uint32

	maxWords int
	shapes   []countryShape
	grid     placeGrid

	// countryIdx and admin indexes by code, for hierarchy names and Resolve.
	countryIdx map[string]int32 // ISO2
	admin1Idx  map[string]int32 // "CC.A1"
	admin2Idx  map[string]int32 // "CC.A1.A2"

	imported *importedSource // nil unless Open found an imported GeoNames dump
}

type countryShape struct {
	cc    string
	bound orb.Bound
	geom  orb.MultiPolygon
}

// Builtin loads the embedded world gazetteer. It takes about half a second
// and ~150 MB; build it once and share it (a Gazetteer is safe for
// concurrent use).
func Builtin() (*Gazetteer, error) {
	g := &Gazetteer{}
	// The files are independent: decode them in parallel, then check the
	// cross-references.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i, load := range []func() error{g.loadPlaces, g.loadNames, g.loadPhonetic, g.loadShapes} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = load()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	if err := g.check(); err != nil {
		return nil, fmt.Errorf("loading the built-in gazetteer: %w", err)
	}
	g.fillHierarchy()
	g.grid = newPlaceGrid(g.places)
	return g, nil
}

// check verifies that postings point at places and phonetic entries at
// keys.
func (g *Gazetteer) check() error {
	for _, p := range g.post {
		if int(p>>2) >= len(g.places) {
			return fmt.Errorf("embedded names: posting %d beyond %d places", p>>2, len(g.places))
		}
	}
	for _, p := range g.phonPost {
		if int(p) >= len(g.keys) {
			return fmt.Errorf("embedded phonetic: key %d beyond %d keys", p, len(g.keys))
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

func (g *Gazetteer) loadPlaces() error {
	data, err := readGzip("data/places.tsv.gz")
	if err != nil {
		return err
	}
	g.places = make([]Place, 0, strings.Count(data, "\n"))
	g.byID = make(map[string]int32, cap(g.places))
	g.countryIdx = map[string]int32{}
	g.admin1Idx = map[string]int32{}
	g.admin2Idx = map[string]int32{}
	var f [14]string
	return lines(data, func(n int, line string) error {
		if !splitTabs(line, f[:]) {
			return fmt.Errorf("embedded places line %d: want 14 columns", n)
		}
		var p Place
		var err error
		p.ID, p.Name, p.ASCIIName, p.FeatureCode = f[0], f[2], f[3], f[5]
		p.Country, p.Admin1Code, p.Admin2Code, p.CoordSource = f[6], f[7], f[8], f[13]
		if p.GeoNameID, err = strconv.ParseInt(f[1], 10, 64); err != nil {
			return fmt.Errorf("embedded places line %d: geonameid: %w", n, err)
		}
		lvl, err := strconv.Atoi(f[4])
		if err != nil {
			return fmt.Errorf("embedded places line %d: level: %w", n, err)
		}
		p.Level = Level(lvl)
		lat, err1 := strconv.ParseFloat(f[9], 64)
		lon, err2 := strconv.ParseFloat(f[10], 64)
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("embedded places line %d: coordinates: %w", n, err)
		}
		p.Point = orb.Point{lon, lat}
		p.Centre = p.Point
		if f[11] != "" {
			var b [4]float64
			for i, s := range strings.SplitN(f[11], ",", 4) {
				if b[i], err = strconv.ParseFloat(s, 64); err != nil {
					return fmt.Errorf("embedded places line %d: bbox: %w", n, err)
				}
			}
			p.Bound = orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}
			if p.Level == LevelAdmin1 || p.Level == LevelAdmin2 {
				p.Centre = p.Bound.Center()
			}
		}
		if p.Population, err = strconv.ParseInt(f[12], 10, 64); err != nil {
			return fmt.Errorf("embedded places line %d: population: %w", n, err)
		}
		i := int32(len(g.places))
		g.places = append(g.places, p)
		g.byID[p.ID] = i
		switch p.Level {
		case LevelCountry:
			g.countryIdx[p.Country] = i
		case LevelAdmin1:
			g.admin1Idx[p.Country+"."+p.Admin1Code] = i
		case LevelAdmin2:
			g.admin2Idx[p.Country+"."+p.Admin1Code+"."+p.Admin2Code] = i
		}
		return nil
	})
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

// fillHierarchy sets the country, admin1 and admin2 names of every place.
func (g *Gazetteer) fillHierarchy() {
	for i := range g.places {
		p := &g.places[i]
		if c, ok := g.countryIdx[p.Country]; ok {
			p.CountryName = g.places[c].Name
		}
		if p.Admin1Code != "" {
			if a, ok := g.admin1Idx[p.Country+"."+p.Admin1Code]; ok {
				p.Admin1 = g.places[a].Name
			}
			if p.Admin2Code != "" {
				if a, ok := g.admin2Idx[p.Country+"."+p.Admin1Code+"."+p.Admin2Code]; ok {
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

func (g *Gazetteer) loadPhonetic() error {
	data, err := readGzip("data/phonetic.tsv.gz")
	if err != nil {
		return err
	}
	g.phonKeys, g.phonOff, g.phonPost, err = parseIndex(data, "phonetic")
	return err
}

func (g *Gazetteer) loadShapes() error {
	data, err := readGzip("data/countries.bin.gz")
	if err != nil {
		return err
	}
	b := []byte(data)
	for len(b) > 0 {
		if len(b) < 6 {
			return errors.New("embedded country shapes: truncated")
		}
		cc := string(b[:2])
		n := binary.LittleEndian.Uint32(b[2:6])
		if uint32(len(b)-6) < n {
			return fmt.Errorf("embedded country shapes: %s truncated", cc)
		}
		geom, err := wkb.Unmarshal(b[6 : 6+n])
		if err != nil {
			return fmt.Errorf("embedded country shapes: decoding %s: %w", cc, err)
		}
		mp, ok := geom.(orb.MultiPolygon)
		if !ok {
			return fmt.Errorf("embedded country shapes: %s is a %s, want MultiPolygon", cc, geom.GeoJSONType())
		}
		g.shapes = append(g.shapes, countryShape{cc: cc, bound: mp.Bound(), geom: mp})
		b = b[6+n:]
	}
	return nil
}

// Get returns the place with the given id ("geonames:1132604",
// "geonames-admin1:AF.10", "iso:AF"). Unknown ids give an error wrapping
// ErrNotFound.
func (g *Gazetteer) Get(id string) (Place, error) {
	if i, ok := g.byID[id]; ok {
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
		i, ok = g.admin1Idx[p.Country+"."+p.Admin1Code]
		add(i, ok)
		if p.Admin2Code != "" && p.Level != LevelAdmin2 {
			i, ok = g.admin2Idx[p.Country+"."+p.Admin1Code+"."+p.Admin2Code]
			add(i, ok)
		}
	}
	return out
}
