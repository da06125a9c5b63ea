package web

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/geo"
)

// Limits of /api/places.
const (
	maxPlaceQuery      = 200 // characters of q
	defaultPlacesLimit = 10
)

// errNoGazetteer answers place requests on a server without a gazetteer,
// errGazetteerLoading those that arrive while it loads (a second or so
// after start).
var (
	errNoGazetteer = &problem{Type: "about:blank", Title: "Gazetteer unavailable", Status: http.StatusServiceUnavailable,
		Detail: "the gazetteer is not loaded on this server"}
	errGazetteerLoading = &problem{Type: "about:blank", Title: "Gazetteer loading", Status: http.StatusServiceUnavailable,
		retryAfter: time.Second, Detail: "the gazetteer is still loading: retry shortly (GET /readyz says when it is ready)"}
)

// placeFeature is one place as a GeoJSON Feature.
type placeFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   pointGeometry   `json:"geometry"`
	BBox       []float64       `json:"bbox,omitempty"`
	Properties placeProperties `json:"properties"`
}

// placeProperties are a place's properties. Every one of the gazetteer's
// is always sent, null when the place has none (a country has no admin1):
// GIS clients build a layer's fields from its first features.
type placeProperties struct {
	Name        string      `json:"name"`
	ASCIIName   nullText    `json:"ascii_name"`
	Level       string      `json:"level"`
	FeatureCode string      `json:"feature_code"`
	Country     nullText    `json:"country"`
	CountryName nullText    `json:"country_name"`
	Admin1      nullText    `json:"admin1"`
	Admin1Code  nullText    `json:"admin1_code"`
	Admin2      nullText    `json:"admin2"`
	Admin2Code  nullText    `json:"admin2_code"`
	Population  int64       `json:"population"`
	GeoNameID   *int64      `json:"geonames_id"`
	CoordSource string      `json:"coord_source"`
	Centre      [2]float64  `json:"centre"` // lon, lat: the area's estimated geographic centre
	Hierarchy   []placeLink `json:"hierarchy"`
	// Ranking, for /api/places only.
	Rank   int      `json:"rank,omitempty"`
	Score  *float64 `json:"score,omitempty"`
	Match  string   `json:"match,omitempty"`
	Reason string   `json:"reason,omitempty"`
	// Reverse lookups only.
	Role       string   `json:"role,omitempty"`
	DistanceKm *float64 `json:"distance_km,omitempty"`
}

// nullText is a text property that is null in JSON when empty.
type nullText string

// MarshalJSON writes t as a JSON string, or null when it is empty.
func (t nullText) MarshalJSON() ([]byte, error) {
	if t == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(t))
}

// placeLink names one level of a place's hierarchy.
type placeLink struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Level string `json:"level"`
}

func (pl *placeTools) placeFeature(p gazetteer.Place) placeFeature {
	f := placeFeature{
		Type:     "Feature",
		ID:       p.ID,
		Geometry: pointOf(p.Point),
		Properties: placeProperties{
			Name: p.Name, ASCIIName: nullText(p.ASCIIName), Level: p.Level.String(), FeatureCode: p.FeatureCode,
			Country: nullText(p.Country), CountryName: nullText(p.CountryName), Admin1: nullText(p.Admin1), Admin1Code: nullText(p.Admin1Code),
			Admin2: nullText(p.Admin2), Admin2Code: nullText(p.Admin2Code), Population: p.Population,
			CoordSource: p.CoordSource, Centre: [2]float64{p.Centre[0], p.Centre[1]}, Hierarchy: []placeLink{},
		},
	}
	if p.GeoNameID != 0 {
		f.Properties.GeoNameID = &p.GeoNameID
	}
	if p.Bound != (geo.BBox{}) { // west > east across the antimeridian, as RFC 7946 §5.2 has it
		f.BBox = []float64{p.Bound.MinLon, p.Bound.MinLat, p.Bound.MaxLon, p.Bound.MaxLat}
	}
	for _, up := range pl.gaz.Parents(p) {
		f.Properties.Hierarchy = append(f.Properties.Hierarchy, placeLink{ID: up.ID, Name: up.Name, Level: up.Level.String()})
	}
	return f
}

// placeCollection is the response of /api/places and /api/places/reverse.
type placeCollection struct {
	Type        string         `json:"type"`
	Attribution string         `json:"attribution"`
	Query       map[string]any `json:"query,omitempty"`
	Features    []placeFeature `json:"features"`
}

// handleSearchPlaces is GET /api/places: ranked candidates for a name.
func (s *Server) handleSearchPlaces(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "q", "country", "admin1", "near", "level", "limit"); err != nil {
		return err
	}
	pl, err := s.places()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	q, err := placeName(v, "q", "is required: the place name to look up")
	if err != nil {
		return err
	}
	var h gazetteer.Hints
	echo := map[string]any{"q": q}
	if h.Country, err = countryParam(v); err != nil {
		return err
	}
	if h.Country != "" {
		echo["country"] = h.Country
	}
	if a := strings.TrimSpace(v.Get("admin1")); a != "" {
		if utf8.RuneCountInString(a) > maxPlaceQuery {
			return badParam("admin1", "is longer than %d characters", maxPlaceQuery)
		}
		h.Admin1 = a
		echo["admin1"] = a
	}
	if n := v.Get("near"); n != "" {
		p, err := parseLonLat(n)
		if err != nil {
			return badParam("near", "%v", err)
		}
		h.Near = &p
		echo["near"] = []float64{p[0], p[1]}
	}
	if h.Level, err = levelParam(v); err != nil {
		return err
	}
	if l := v.Get("level"); l != "" {
		echo["level"] = l
	}
	limit, err := parseLimit(r, defaultPlacesLimit, gazetteer.MaxCandidates)
	if err != nil {
		return err
	}
	cands, err := pl.gaz.LookupContext(r.Context(), q, h)
	if errors.Is(err, gazetteer.ErrEmptyName) {
		return badParam("q", "has no letters or digits")
	}
	if err != nil {
		return err
	}
	out := placeCollection{Type: "FeatureCollection", Attribution: gazetteer.Attribution, Query: echo, Features: []placeFeature{}}
	for i, c := range cands {
		if i == limit {
			break
		}
		f := pl.placeFeature(c.Place)
		score := c.Score
		f.Properties.Rank, f.Properties.Score, f.Properties.Match, f.Properties.Reason = i+1, &score, c.Match.String(), c.Reason
		out.Features = append(out.Features, f)
	}
	return writeJSON(w, r, http.StatusOK, "application/geo+json", out)
}

// placeFeatureOf is the place of gazetteer id as a Feature, with the
// place: 404 (noPlace) for an id the gazetteer does not know, 503 while
// places load.
func (s *Server) placeFeatureOf(id string) (placeFeature, gazetteer.Place, error) {
	pl, err := s.places()
	if err != nil {
		return placeFeature{}, gazetteer.Place{}, err
	}
	p, err := pl.gaz.Get(id)
	if errors.Is(err, gazetteer.ErrNotFound) {
		// Geoparse mentions may name a place the extractor learned.
		lp, ok := pl.ex.LearnedPlace(id)
		if !ok {
			return placeFeature{}, gazetteer.Place{}, noPlace(id)
		}
		p, err = lp, nil
	}
	if err != nil {
		return placeFeature{}, gazetteer.Place{}, err
	}
	return pl.placeFeature(p), p, nil
}

// handleGetPlace is GET /api/places/{id}: one place as a Feature.
func (s *Server) handleGetPlace(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	f, _, err := s.placeFeatureOf(mux.Vars(r)["id"])
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, "application/geo+json", struct {
		placeFeature
		Attribution string `json:"attribution"`
	}{f, gazetteer.Attribution})
}

// handleReversePlace is GET /api/places/reverse?lat=&lon=: the country,
// admin1, admin2 and nearest populated place at a point, as a
// FeatureCollection whose features carry a role.
func (s *Server) handleReversePlace(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "lat", "lon"); err != nil {
		return err
	}
	pl, err := s.places()
	if err != nil {
		return err
	}
	lat, err := parseCoord(r, "lat", 90)
	if err != nil {
		return err
	}
	lon, err := parseCoord(r, "lon", 180)
	if err != nil {
		return err
	}
	h, err := pl.gaz.Reverse(lat, lon)
	if err != nil {
		return err
	}
	out := placeCollection{Type: "FeatureCollection", Attribution: gazetteer.Attribution,
		Query: map[string]any{"lat": lat, "lon": lon}, Features: []placeFeature{}}
	for _, part := range []struct {
		role string
		p    gazetteer.Place
	}{{"country", h.Country}, {"admin1", h.Admin1}, {"admin2", h.Admin2}, {"nearest", h.Nearest}} {
		if part.p.ID == "" {
			continue
		}
		f := pl.placeFeature(part.p)
		f.Properties.Role = part.role
		if part.role == "nearest" {
			d := h.NearestKm
			f.Properties.DistanceKm = &d
		}
		out.Features = append(out.Features, f)
	}
	if h.CountrySource != "" {
		out.Query["country_source"] = h.CountrySource
	}
	return writeJSON(w, r, http.StatusOK, "application/geo+json", out)
}

// noPlace is the 404 for a place id the gazetteer does not hold.
func noPlace(id string) error {
	return notFound("no place with id %q (ids look like geonames:1132604, geonames-admin1:AF.10, iso:AF)", id)
}

// placeName reads the required place name in param; missing says what to
// do when it is absent.
func placeName(v url.Values, param, missing string) (string, error) {
	name := strings.TrimSpace(v.Get(param))
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", badParam(param, "%s", missing)
	case n > maxPlaceQuery:
		return "", badParam(param, "is %d characters; at most %d", n, maxPlaceQuery)
	}
	return name, nil
}

// countryParam reads the optional country parameter, upper-cased; "" when
// absent.
func countryParam(v url.Values) (string, error) {
	c := v.Get("country")
	if c == "" {
		return "", nil
	}
	if len(c) != 2 || !isASCIILetters(c) {
		return "", badParam("country", "must be an ISO 3166-1 alpha-2 code such as AF, not %q", c)
	}
	return strings.ToUpper(c), nil
}

// levelParam reads the optional level parameter; LevelAny when absent.
func levelParam(v url.Values) (gazetteer.Level, error) {
	l := v.Get("level")
	lvl, ok := gazetteer.ParseLevel(l)
	if !ok {
		return gazetteer.LevelAny, badParam("level", "must be one of country, admin1, admin2, place, region; not %q", l)
	}
	return lvl, nil
}

// parseCoord reads a required latitude or longitude within ±limit.
func parseCoord(r *http.Request, name string, limit float64) (float64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, badParam(name, "is required")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, badParam(name, "must be a number, not %q", s)
	}
	if v < -limit || v > limit {
		return 0, badParam(name, "must be between %g and %g, not %g", -limit, limit, v)
	}
	return v, nil
}

// parseLonLat reads "lon,lat" in WGS 84 degrees.
func parseLonLat(s string) (orb.Point, error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return orb.Point{}, errors.New(`must be "lon,lat", e.g. 64.74,32.45`)
	}
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || math.IsNaN(lon) || math.IsNaN(lat) {
		return orb.Point{}, errors.New(`must be two numbers "lon,lat"`)
	}
	if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return orb.Point{}, errors.New("longitude must be within ±180 and latitude within ±90")
	}
	return orb.Point{lon, lat}, nil
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
