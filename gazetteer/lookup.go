package gazetteer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/incidentmap/incidentmap/gazetteer/internal/norm"
)

// ErrEmptyName is returned (wrapped) by Lookup for a name with no letters
// or digits.
var ErrEmptyName = errors.New("gazetteer: name is empty")

// MaxCandidates is the most candidates Lookup returns.
const MaxCandidates = 20

// minPhoneticSimilarity is the least edit-distance similarity (0..1) for a
// phonetic near-match to count: "musa kala" against "musa qala" is 0.94,
// "shopian" against "shupiyan" 0.81; "kwatas" against "kuwaitis" (0.75)
// is a different name.
const minPhoneticSimilarity = 0.8

// minPhoneticLen is the shortest key tried phonetically: short keys
// ("sadr", "gao") have too many near-spellings to mean anything.
const minPhoneticLen = 5

// phoneticSlack is how much less similar than the closest spelling a
// phonetic candidate may be.
const phoneticSlack = 0.08

// Lookup returns the places a name may refer to, best first (at most
// MaxCandidates), with a score and a reason each. An empty slice means no
// place has that name.
//
// The name may carry an administrative qualifier: "Helmand province",
// "Musa Qala district", "city of Basra", "Kano State" prefer the matching
// level (full names such as "Mexico City" still match as written). Names
// not in the index under any spelling are tried by phonetic key, so
// transliteration variants ("Qala"/"Kala", "Kandahar"/"Qandahar") match
// with a lower score. Ranking: how the name matched (own name, alternate,
// code, demonym, phonetic), then hints (country, admin1, level, near),
// then importance (level, feature code, population). A populated place
// outranks the admin area of the same name that contains it ("Kabul" the
// city before Kabul province) unless a qualifier or level hint says
// otherwise.
func (g *Gazetteer) Lookup(name string, h Hints) ([]Candidate, error) {
	return g.LookupContext(context.Background(), name, h)
}

// LookupContext is Lookup with a context for the database queries it makes
// when the gazetteer has imported data (see Open); the built-in index does
// no I/O.
func (g *Gazetteer) LookupContext(ctx context.Context, name string, h Hints) ([]Candidate, error) {
	key := norm.Key(name)
	if key == "" {
		return nil, fmt.Errorf("looking up %q: %w", name, ErrEmptyName)
	}
	var lk lookup
	lk.g = g
	lk.h = h
	sc, _ := g.scratch.Get().(*lookupScratch)
	if sc == nil {
		sc = &lookupScratch{}
	}
	lk.buf, lk.cands = sc.places[:0], sc.cands[:0]
	lk.upper = isUpperAbbrev(name)
	lk.addKey(key, 0.5) // the name as written
	if rest, q, ok := norm.StripQualifier(key); ok {
		lk.qual = q
		lk.addKey(rest, 0)
	}
	if g.imported != nil {
		if err := g.imported.lookup(ctx, g, &lk, key); err != nil {
			return nil, err
		}
		if rest, _, ok := norm.StripQualifier(key); ok {
			if err := g.imported.lookup(ctx, g, &lk, rest); err != nil {
				return nil, err
			}
		}
	}
	if rest, ok := strings.CutPrefix(key, "al "); ok {
		lk.addKey(rest, -0.2)
	} else if lk.qual == norm.QualNone && len(lk.cands) == 0 {
		lk.addKey("al "+key, -0.2)
	}
	if len(lk.cands) == 0 {
		ix, err := g.phonetic()
		if err != nil {
			return nil, fmt.Errorf("looking up %q: %w", name, err)
		}
		lk.addPhonetic(ix, key)
		if rest, _, ok := norm.StripQualifier(key); ok {
			lk.addPhonetic(ix, rest)
		}
	}
	out := lk.finish()
	// finish copied what it returns: the buffers can serve the next lookup.
	sc.places, sc.cands = lk.buf[:0], lk.cands[:0]
	g.scratch.Put(sc)
	return out, nil
}

// lookupScratch holds a lookup's candidates and their places between
// lookups (Gazetteer.scratch): most lookups then allocate only what they
// return.
type lookupScratch struct {
	places []Place
	cands  []scored
}

// isUpperAbbrev reports whether the name as written looks like a code or
// abbreviation: all capitals ("US", "U.S.", "DRC", "NSW") or a capitalised
// word with a full stop ("Ky.", "Calif.", "Alta."). Codes only match when
// written so: "us" and "ky" are not places.
func isUpperAbbrev(s string) bool {
	letters, upper := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
			upper++
		case unicode.IsLower(r):
			letters++
		case r == '.' || r == ' ':
		default:
			return false
		}
	}
	if upper == letters {
		return letters >= 2
	}
	first, _ := utf8.DecodeRuneInString(s)
	return strings.HasSuffix(s, ".") && unicode.IsUpper(first) && letters <= 6 && !strings.Contains(s, " ")
}

type lookup struct {
	g     *Gazetteer
	h     Hints
	qual  norm.Qualifier
	upper bool
	cands []scored
	buf   []Place // the built-in candidates' places (newPlace)
}

type scored struct {
	idx    int32 // record number in g.places; -1 for an imported place
	place  *Place
	key    string // the key it matched under
	kind   NameKind
	match  float64 // how well the name matched
	score  float64
	reason []string
}

// addKey adds every place indexed under key; bonus rewards matching the
// name exactly as written.
func (lk *lookup) addKey(key string, bonus float64) {
	i := lk.g.names.Find(key)
	if i < 0 {
		return
	}
	ps := lk.g.names.Postings(i)
	lk.reserve(ps.Len())
	for j := range ps.Len() {
		p := ps.At(j)
		kind := NameKind(p & 3)
		if kind == KindCode && !lk.upper {
			continue // "us" the pronoun is not the US
		}
		idx := int(p >> 2)
		w := matchWeight(kind) + bonus
		if lvl := Level(lk.g.places.Level(idx)); kind == KindAlternate && (lvl == LevelAdmin1 || lvl == LevelAdmin2) &&
			isBareAdminName(lk.g.places.Name(idx), key) {
			w -= bareAdminPenalty
		}
		lk.add(int32(idx), nil, key, kind, w)
	}
}

// bareAdminPenalty lowers an admin area matched by its name without the
// qualifier the name carries ("Gaza" for "Gaza Province"): the place
// actually called "Gaza" is the likelier meaning.
const bareAdminPenalty = 0.4

// isBareAdminName reports whether key is name stripped of its qualifier.
func isBareAdminName(name, key string) bool {
	full := norm.Key(name)
	if full == key {
		return false
	}
	rest, _, ok := norm.StripQualifier(full)
	return ok && rest == key
}

func matchWeight(k NameKind) float64 {
	switch k {
	case KindName:
		return 3
	case KindAlternate:
		return 2.6
	case KindCode:
		return 2.4
	case KindDemonym:
		return 2
	}
	return 1
}

// add adds a candidate: a built-in place by its record number (p nil) or
// an imported place (idx -1).
func (lk *lookup) add(idx int32, p *Place, key string, kind NameKind, match float64) {
	if p == nil && lk.g.imported != nil {
		p = lk.newPlace(idx)
	}
	for i := range lk.cands {
		c := &lk.cands[i]
		// Built-in places are one per index; with imported data the same
		// place can come from both, so compare ids.
		if (idx >= 0 && c.idx == idx) || (lk.g.imported != nil && c.place.ID == p.ID) {
			if match > c.match {
				c.match, c.kind, c.key = match, kind, key
			}
			return
		}
	}
	if p == nil {
		p = lk.newPlace(idx)
	}
	lk.cands = append(lk.cands, scored{idx: idx, place: p, key: key, kind: kind, match: match})
}

// addPhonetic adds places whose name shares key's phonetic key and is
// within edit distance of it.
func (lk *lookup) addPhonetic(ix *phoneticIndex, key string) {
	if len(key) < minPhoneticLen {
		return
	}
	pk := norm.Phonetic(key)
	if pk == "" {
		return
	}
	i := findKey(ix.keys, pk)
	if i < 0 {
		return
	}
	// Only the closest spellings count: "sangeen" is nearer "sangin"
	// than "sangwon", and a big city with a farther spelling must not win
	// on population alone.
	keys := ix.post[ix.off[i]:ix.off[i+1]]
	var buf [64]float64
	sims := buf[:0]
	best := 0.0
	for _, ki := range keys {
		s := similarity(key, lk.g.names.Key(int(ki)))
		sims = append(sims, s)
		best = max(best, s)
	}
	if best < minPhoneticSimilarity {
		return
	}
	for n, ki := range keys {
		cand := lk.g.names.Key(int(ki))
		sim := sims[n]
		if sim < best-phoneticSlack {
			continue
		}
		ps := lk.g.names.Postings(int(ki))
		for j := range ps.Len() {
			p := ps.At(j)
			if k := NameKind(p & 3); k == KindCode || k == KindDemonym {
				continue // near-spellings of "US" or "Kuwaitis" are not places
			}
			if lk.h.Country != "" && !strings.EqualFold(lk.g.places.Country(int(p>>2)), lk.h.Country) {
				continue // a near-spelling abroad is noise when the country is known
			}
			lk.add(int32(p>>2), nil, cand, KindPhonetic, 1+1.5*sim)
		}
	}
}

// reserve makes room in lk's place buffer for n more built-in candidates,
// so that the places of one key's postings take one allocation.
func (lk *lookup) reserve(n int) {
	if cap(lk.buf)-len(lk.buf) < n {
		lk.buf = make([]Place, 0, n)
	}
}

// newPlace makes the Place of record idx in lk's buffer; pointers into a
// full buffer stay valid when reserve starts a new one.
func (lk *lookup) newPlace(idx int32) *Place {
	lk.reserve(1)
	lk.buf = append(lk.buf, lk.g.place(idx))
	return &lk.buf[len(lk.buf)-1]
}

// finish scores, orders and trims the candidates.
func (lk *lookup) finish() []Candidate {
	h := lk.h
	admin1Key := ""
	if h.Admin1 != "" {
		admin1Key = norm.Key(h.Admin1)
	}
	for i := range lk.cands {
		c := &lk.cands[i]
		p := c.place
		c.score = c.match + importance(p)
		c.reason = append(c.reason[:0], matchReason(c.kind, c.key))
		if h.Country != "" {
			if strings.EqualFold(p.Country, h.Country) {
				c.score += 4
				c.reason = append(c.reason, "in hinted country")
			} else {
				c.score -= 2
			}
		}
		if admin1Key != "" && p.Level != LevelCountry && p.Level != LevelRegion {
			if strings.EqualFold(p.Admin1Code, h.Admin1) || norm.Key(p.Admin1) == admin1Key {
				c.score += 3
				c.reason = append(c.reason, "in hinted admin1")
			}
		}
		if h.Level != LevelAny {
			if p.Level == h.Level {
				c.score += 4
				c.reason = append(c.reason, "hinted level")
			} else {
				c.score -= 1
			}
		}
		if h.Near != nil {
			d := orbgeo.Distance(*h.Near, p.Point) / 1000
			c.score += 3 * math.Max(0, 1-d/500)
			if d < 500 {
				c.reason = append(c.reason, fmt.Sprintf("%.0f km from hinted point", d))
			}
		}
		switch q := qualifierLevelBonus(lk.qual, p.Level); {
		case q > 0:
			c.score += q
			c.reason = append(c.reason, "qualifier suits "+p.Level.String())
		}
	}
	lk.preferSeats()
	sort.SliceStable(lk.cands, func(a, b int) bool {
		ca, cb := &lk.cands[a], &lk.cands[b]
		if ca.score != cb.score {
			return ca.score > cb.score
		}
		return ca.place.ID < cb.place.ID
	})
	n := min(len(lk.cands), MaxCandidates)
	out := make([]Candidate, n)
	for i := range out {
		c := &lk.cands[i]
		out[i] = Candidate{Place: *c.place, Score: math.Round(c.score*1000) / 1000, Reason: strings.Join(c.reason, "; "), Match: c.kind}
	}
	return out
}

func matchReason(k NameKind, key string) string {
	switch k {
	case KindName:
		return "name"
	case KindAlternate:
		return "alternate name"
	case KindDemonym:
		return "demonym"
	case KindCode:
		return "code"
	}
	return "phonetic match for \"" + key + "\""
}

// importance ranks places of equal match: coarser levels, capitals and
// seats, and bigger populations first.
func importance(p *Place) float64 {
	s := 0.5 * math.Log10(1+float64(p.Population))
	switch p.Level {
	case LevelCountry:
		s += 2.5
	case LevelRegion:
		s += 3.5 // regions' summed populations are 0; continents are well known
	case LevelAdmin1:
		s += 0.8
	}
	switch p.FeatureCode {
	case "PPLC":
		s += 1.5
	case "PPLA":
		s += 0.5
	case "PPLA2":
		s += 0.2
	}
	return s
}

// qualifierLevelBonus rewards the levels a qualifier usually means.
func qualifierLevelBonus(q norm.Qualifier, l Level) float64 {
	switch q {
	case norm.QualProvince:
		switch l {
		case LevelAdmin1:
			return 3
		case LevelAdmin2:
			return 2
		}
	case norm.QualDistrict:
		switch l {
		case LevelAdmin2:
			return 3
		case LevelAdmin1:
			return 2
		}
	case norm.QualCity:
		if l == LevelPlace {
			return 3
		}
	}
	return 0
}

// preferSeats puts a populated place above an admin area that contains it
// and shares its name ("Kabul" the city before Kabul province), unless a
// qualifier or level hint asked for admin areas.
func (lk *lookup) preferSeats() {
	if lk.qual != norm.QualNone || lk.h.Level != LevelAny {
		return
	}
	for i := range lk.cands {
		a := &lk.cands[i]
		if a.place.Level != LevelAdmin1 && a.place.Level != LevelAdmin2 {
			continue
		}
		for j := range lk.cands {
			p := &lk.cands[j]
			if p.place.Level != LevelPlace || !contains(a.place, p.place) {
				continue
			}
			// The same name as written, or the area's seat known by it
			// ("Musa Qala" for Mūsá Qal‘ah); a town that only carries the
			// area's name among its other names is not its namesake
			// (GeoNames lists "Arizona" for Yuma).
			if norm.Key(p.place.Name) != norm.Key(a.place.Name) && !(p.key == a.key && seatOf(a.place, p.place)) {
				continue
			}
			if a.score >= p.score {
				a.score = p.score - 0.01
				a.reason = append(a.reason, "ranked below "+p.place.Name+", the place of the same name inside it")
			}
		}
	}
}

// seatOf reports whether p is coded as the seat of area a's level (or the
// capital).
func seatOf(a, p *Place) bool {
	switch p.FeatureCode {
	case "PPLC", "PPLA":
		return true
	case "PPLA2":
		return a.Level == LevelAdmin2
	}
	return false
}

// contains reports whether area a holds place p by the hierarchy codes.
func contains(a, p *Place) bool {
	if a.ID == p.ID || a.Country != p.Country {
		return false
	}
	switch a.Level {
	case LevelCountry:
		return true
	case LevelAdmin1:
		return p.Admin1Code == a.Admin1Code && p.Level > LevelAdmin1 && p.Level != LevelRegion
	case LevelAdmin2:
		return p.Admin1Code == a.Admin1Code && p.Admin2Code == a.Admin2Code && p.Level == LevelPlace
	case LevelRegion:
		return false
	}
	return false
}

// similarity is 1 - edit distance / longer length between two ASCII keys,
// after collapsing doubled letters ("ee", "ll"), with a vowel for a vowel
// or k for q or c costing half: transliterations differ mostly there.
func similarity(a, b string) float64 {
	var ba, bb [64]byte
	x, y := squeeze(ba[:0], a), squeeze(bb[:0], b)
	if string(x) == string(y) {
		return 1
	}
	la, lb := len(x), len(y)
	if la == 0 || lb == 0 || la >= 64 || lb >= 64 {
		return 0
	}
	var buf [2][64]float64
	prev, cur := buf[0][:lb+1], buf[1][:lb+1]
	for j := range prev {
		prev[j] = float64(j)
	}
	for i := 1; i <= la; i++ {
		cur[0] = float64(i)
		for j := 1; j <= lb; j++ {
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+substCost(x[i-1], y[j-1]))
		}
		prev, cur = cur, prev
	}
	return 1 - prev[lb]/float64(max(la, lb))
}

// squeeze appends s to dst without repeated letters; nil when s is too
// long to compare.
func squeeze(dst []byte, s string) []byte {
	if len(s) >= 64 {
		return nil
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

func substCost(a, b byte) float64 {
	if a == b {
		return 0
	}
	if isVowel(a) && isVowel(b) || isK(a) && isK(b) {
		return 0.5
	}
	return 1
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func isK(c byte) bool { return c == 'k' || c == 'q' || c == 'c' }

// distanceKm is the great-circle distance between two points in km.
func distanceKm(a, b orb.Point) float64 { return orbgeo.Distance(a, b) / 1000 }
