// Package table is the layout of the gazetteer's built-in data: tables the
// generator writes once and the gazetteer reads in place, field by field,
// from the bytes embedded in the binary, with nothing parsed or copied at
// load time. The generator and the gazetteer both use it, so the writer and
// the reader of each field are side by side.
//
// All integers are little-endian. A string field is a uint32 offset into
// the table's string area, where the string is stored once, after its
// length as a uvarint; equal strings share one offset.
package table

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ErrCorrupt is returned (wrapped) when data does not have the layout its
// header announces.
var ErrCorrupt = errors.New("gazetteer table: corrupt")

// Place is one row of the places table as the generator writes it.
type Place struct {
	ID          string
	GeoNameID   int64
	Name        string
	ASCIIName   string
	FeatureCode string
	Country     string
	CountryName string
	Admin1Code  string
	Admin1      string
	Admin2Code  string
	Admin2      string
	CoordSource string
	Level       uint8
	Lat, Lon    float64
	Population  int64
	HasBound    bool
	Bound       [4]float64 // min lon, min lat, max lon, max lat
}

// Places table layout: a header, then records, boxes, the id indexes and
// the string area.
const (
	placesMagic = "IMGZPLC1"
	// Header: magic, then the number of records, boxes and ids in the
	// GeoNames index, and the string area's length, each a uint32.
	placesHeader = len(placesMagic) + 4*4

	// A record: string and integer fields (uint32), coordinates in
	// 1e-5 degrees (int32), population (uint32), level (byte). The id of a
	// record in the GeoNames index is not stored: it is GeoNamePrefix and
	// the GeoNames id.
	fID          = 0
	fGeoNameID   = 4
	fName        = 8
	fASCIIName   = 12
	fFeatureCode = 16
	fCountry     = 20
	fCountryName = 24
	fAdmin1Code  = 28
	fAdmin1      = 32
	fAdmin2Code  = 36
	fAdmin2      = 40
	fCoordSource = 44
	fBound       = 48 // box number + 1; 0 for none
	fLat         = 52
	fLon         = 56
	fPopulation  = 60
	fLevel       = 64
	recordSize   = 65

	boxSize = 4 * 4
	// The GeoNames id index: (id, record) pairs sorted by id, for records
	// whose ID is GeoNamePrefix and their GeoNameID.
	geoIdxSize = 8
	// The other ids' index: record numbers sorted by ID.
	otherIdxSize = 4
)

// GeoNamePrefix starts the id of a place from GeoNames' own records.
const GeoNamePrefix = "geonames:"

// GeoNameID returns N of an id "geonames:N" written canonically (no sign,
// no leading zero).
func GeoNameID(id string) (int64, bool) {
	n, ok := strings.CutPrefix(id, GeoNamePrefix)
	if !ok || n == "" || n[0] < '1' || n[0] > '9' {
		return 0, false
	}
	gid, err := strconv.ParseInt(n, 10, 64)
	return gid, err == nil
}

// inGeoIndex reports whether a record is found by its GeoNames id.
func inGeoIndex(p *Place) bool {
	gid, ok := GeoNameID(p.ID)
	return ok && gid == p.GeoNameID
}

// strings collects a table's string area.
type stringArea struct {
	buf []byte
	at  map[string]uint32
}

func (s *stringArea) ref(v string) (uint32, error) {
	if off, ok := s.at[v]; ok {
		return off, nil
	}
	if len(s.buf)+len(v)+binary.MaxVarintLen64 > math.MaxUint32 {
		return 0, errors.New("string area beyond 4 GB")
	}
	off := uint32(len(s.buf))
	s.buf = binary.AppendUvarint(s.buf, uint64(len(v)))
	s.buf = append(s.buf, v...)
	s.at[v] = off
	return off, nil
}

// EncodePlaces writes the places table; record i is places[i]. Ids must be
// unique and GeoNames ids, levels and populations must fit their fields.
func EncodePlaces(places []Place) ([]byte, error) {
	strs := stringArea{at: map[string]uint32{}}
	recs := make([]byte, 0, len(places)*recordSize)
	var boxes []byte
	var geo []geoEntry
	var other []uint32
	seen := make(map[string]bool, len(places))
	for i := range places {
		p := &places[i]
		if seen[p.ID] {
			return nil, fmt.Errorf("place %d: id %q twice", i, p.ID)
		}
		seen[p.ID] = true
		if p.GeoNameID < 0 || p.GeoNameID > math.MaxUint32 || p.Population < 0 || p.Population > math.MaxUint32 {
			return nil, fmt.Errorf("place %s: GeoNames id %d or population %d out of range", p.ID, p.GeoNameID, p.Population)
		}
		var rec [recordSize]byte
		id := p.ID
		if inGeoIndex(p) {
			id = ""
		}
		for _, f := range []struct {
			at int
			s  string
		}{
			{fID, id}, {fName, p.Name}, {fASCIIName, p.ASCIIName}, {fFeatureCode, p.FeatureCode},
			{fCountry, p.Country}, {fCountryName, p.CountryName}, {fAdmin1Code, p.Admin1Code}, {fAdmin1, p.Admin1},
			{fAdmin2Code, p.Admin2Code}, {fAdmin2, p.Admin2}, {fCoordSource, p.CoordSource},
		} {
			off, err := strs.ref(f.s)
			if err != nil {
				return nil, fmt.Errorf("place %s: %w", p.ID, err)
			}
			binary.LittleEndian.PutUint32(rec[f.at:], off)
		}
		binary.LittleEndian.PutUint32(rec[fGeoNameID:], uint32(p.GeoNameID))
		if p.HasBound {
			for _, v := range p.Bound {
				d, err := degrees(v)
				if err != nil {
					return nil, fmt.Errorf("place %s: box: %w", p.ID, err)
				}
				boxes = binary.LittleEndian.AppendUint32(boxes, d)
			}
			binary.LittleEndian.PutUint32(rec[fBound:], uint32(len(boxes)/boxSize))
		}
		for _, c := range []struct {
			at int
			v  float64
		}{{fLat, p.Lat}, {fLon, p.Lon}} {
			d, err := degrees(c.v)
			if err != nil {
				return nil, fmt.Errorf("place %s: %w", p.ID, err)
			}
			binary.LittleEndian.PutUint32(rec[c.at:], d)
		}
		binary.LittleEndian.PutUint32(rec[fPopulation:], uint32(p.Population))
		rec[fLevel] = p.Level
		recs = append(recs, rec[:]...)
		if inGeoIndex(p) {
			geo = append(geo, geoEntry{uint32(p.GeoNameID), uint32(i)})
		} else {
			other = append(other, uint32(i))
		}
	}
	slices.SortFunc(geo, func(a, b geoEntry) int { return cmp.Compare(a.id, b.id) })
	slices.SortFunc(other, func(a, b uint32) int { return strings.Compare(places[a].ID, places[b].ID) })

	out := make([]byte, 0, placesHeader+len(recs)+len(boxes)+len(geo)*geoIdxSize+len(other)*otherIdxSize+len(strs.buf))
	out = append(out, placesMagic...)
	for _, n := range []int{len(places), len(boxes) / boxSize, len(geo), len(strs.buf)} {
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
	}
	out = append(out, recs...)
	out = append(out, boxes...)
	for _, e := range geo {
		out = binary.LittleEndian.AppendUint32(out, e.id)
		out = binary.LittleEndian.AppendUint32(out, e.rec)
	}
	for _, r := range other {
		out = binary.LittleEndian.AppendUint32(out, r)
	}
	return append(out, strs.buf...), nil
}

type geoEntry struct{ id, rec uint32 }

// degreeScale is the coordinates' unit: 1e-5 degrees, GeoNames' precision.
const degreeScale = 1e5

// degrees encodes a coordinate as an int32 of 1e-5 degrees, refusing one
// that would not read back as exactly the same float64. Reading divides
// by 1e5; a correctly rounded division of two exact values gives the
// float64 nearest the decimal, which is what parsing its text gives.
func degrees(v float64) (uint32, error) {
	n := math.Round(v * degreeScale)
	if n < math.MinInt32 || n > math.MaxInt32 || n/degreeScale != v {
		return 0, fmt.Errorf("coordinate %v is not a whole number of 1e-5 degrees", v)
	}
	return uint32(int32(n)), nil
}

func fromDegrees(d uint32) float64 { return float64(int32(d)) / degreeScale }

// Places reads a places table in place.
type Places struct {
	n                             int
	recs, boxes, geo, other, strs string
}

// OpenPlaces checks data's header and section sizes (not every field: the
// data is the generator's, embedded, and TestTables reads all of it) and
// returns the table over it.
func OpenPlaces(data string) (Places, error) {
	if len(data) < placesHeader || data[:len(placesMagic)] != placesMagic {
		return Places{}, fmt.Errorf("places: bad header: %w", ErrCorrupt)
	}
	h := data[len(placesMagic):]
	n, nBoxes, nGeo, nStr := int(u32(h, 0)), int(u32(h, 4)), int(u32(h, 8)), int(u32(h, 12))
	if nGeo > n {
		return Places{}, fmt.Errorf("places: %d GeoNames ids for %d places: %w", nGeo, n, ErrCorrupt)
	}
	var t Places
	t.n = n
	rest := data[placesHeader:]
	for _, s := range []struct {
		dst  *string
		size int
	}{
		{&t.recs, n * recordSize}, {&t.boxes, nBoxes * boxSize}, {&t.geo, nGeo * geoIdxSize},
		{&t.other, (n - nGeo) * otherIdxSize}, {&t.strs, nStr},
	} {
		if len(rest) < s.size {
			return Places{}, fmt.Errorf("places: truncated: %w", ErrCorrupt)
		}
		*s.dst, rest = rest[:s.size], rest[s.size:]
	}
	if rest != "" {
		return Places{}, fmt.Errorf("places: %d bytes after the string area: %w", len(rest), ErrCorrupt)
	}
	return t, nil
}

// Len is the number of records.
func (t *Places) Len() int { return t.n }

func u32(s string, at int) uint32 {
	_ = s[at+3]
	return uint32(s[at]) | uint32(s[at+1])<<8 | uint32(s[at+2])<<16 | uint32(s[at+3])<<24
}

// field returns the bytes of record i from its field at on.
func (t *Places) field(i, at int) int { return i*recordSize + at }

// str returns the string at a string-area offset; "" for one outside it
// (the data is checked by TestTables, a lookup must not panic).
func (t *Places) str(off uint32) string {
	if int(off) >= len(t.strs) {
		return ""
	}
	s := t.strs[off:]
	var n uint64
	var shift uint
	for j := 0; j < len(s) && j < binary.MaxVarintLen64; j++ {
		c := s[j]
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			if uint64(len(s)-j-1) < n {
				return ""
			}
			return s[j+1 : j+1+int(n)]
		}
		shift += 7
	}
	return ""
}

func (t *Places) strField(i, at int) string { return t.str(u32(t.recs, t.field(i, at))) }

// Level is record i's level.
func (t *Places) Level(i int) uint8 { return t.recs[t.field(i, fLevel)] }

// Population is record i's population.
func (t *Places) Population(i int) int64 { return int64(u32(t.recs, t.field(i, fPopulation))) }

// LonLat is record i's point.
func (t *Places) LonLat(i int) (lon, lat float64) {
	return fromDegrees(u32(t.recs, t.field(i, fLon))), fromDegrees(u32(t.recs, t.field(i, fLat)))
}

// ID is record i's id.
func (t *Places) ID(i int) string {
	if id := t.strField(i, fID); id != "" {
		return id
	}
	var buf [len(GeoNamePrefix) + 10]byte // one allocation, the string
	return string(strconv.AppendUint(append(buf[:0], GeoNamePrefix...), uint64(u32(t.recs, t.field(i, fGeoNameID))), 10))
}

// Name is record i's name.
func (t *Places) Name(i int) string { return t.strField(i, fName) }

// Country is record i's ISO2 country code.
func (t *Places) Country(i int) string { return t.strField(i, fCountry) }

// Codes are record i's country, admin1 and admin2 codes.
func (t *Places) Codes(i int) (cc, a1, a2 string) {
	return t.strField(i, fCountry), t.strField(i, fAdmin1Code), t.strField(i, fAdmin2Code)
}

// Record returns record i whole.
func (t *Places) Record(i int) Place {
	lon, lat := t.LonLat(i)
	p := Place{
		ID:          t.ID(i),
		GeoNameID:   int64(u32(t.recs, t.field(i, fGeoNameID))),
		Name:        t.strField(i, fName),
		ASCIIName:   t.strField(i, fASCIIName),
		FeatureCode: t.strField(i, fFeatureCode),
		Country:     t.strField(i, fCountry),
		CountryName: t.strField(i, fCountryName),
		Admin1Code:  t.strField(i, fAdmin1Code),
		Admin1:      t.strField(i, fAdmin1),
		Admin2Code:  t.strField(i, fAdmin2Code),
		Admin2:      t.strField(i, fAdmin2),
		CoordSource: t.strField(i, fCoordSource),
		Level:       t.Level(i),
		Lat:         lat,
		Lon:         lon,
		Population:  t.Population(i),
	}
	if b := int(u32(t.recs, t.field(i, fBound))); b > 0 && b*boxSize <= len(t.boxes) {
		p.HasBound = true
		for k := range p.Bound {
			p.Bound[k] = fromDegrees(u32(t.boxes, (b-1)*boxSize+k*4))
		}
	}
	return p
}

// Find returns the record with the given id.
func (t *Places) Find(id string) (int, bool) {
	if gid, ok := GeoNameID(id); ok && gid <= math.MaxUint32 {
		n := len(t.geo) / geoIdxSize
		k := sort.Search(n, func(k int) bool { return int64(u32(t.geo, k*geoIdxSize)) >= gid })
		if k < n && int64(u32(t.geo, k*geoIdxSize)) == gid {
			return int(u32(t.geo, k*geoIdxSize+4)), true
		}
	}
	n := len(t.other) / otherIdxSize
	k := sort.Search(n, func(k int) bool { return t.ID(t.otherAt(k)) >= id })
	if k < n && t.ID(t.otherAt(k)) == id {
		return t.otherAt(k), true
	}
	return 0, false
}

func (t *Places) otherAt(k int) int { return int(u32(t.other, k*otherIdxSize)) }
