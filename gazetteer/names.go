package gazetteer

import "sort"

// NameKind says how a name belongs to a place.
type NameKind uint8

// Name kinds. The values match the generator's posting bits.
const (
	KindName      NameKind = iota // the place's own name ("Mūsá Qal‘ah", "Musa Qal'ah")
	KindAlternate                 // an alternate name or spelling ("Musa Qala", "Burma")
	KindDemonym                   // an adjective or demonym ("Afghan", "Syrians")
	KindCode                      // a code or abbreviation ("AF", "AFG", "U.S.", "DRC")
	KindPhonetic                  // no listed spelling; a phonetic near-match (Lookup only)
)

// String returns the kind's public name.
func (k NameKind) String() string {
	switch k {
	case KindName:
		return "name"
	case KindAlternate:
		return "alternate"
	case KindDemonym:
		return "demonym"
	case KindCode:
		return "code"
	case KindPhonetic:
		return "phonetic"
	}
	return "unknown"
}

// LevelSet is a set of Levels.
type LevelSet uint8

// Has reports whether l is in the set.
func (s LevelSet) Has(l Level) bool { return s&(1<<l) != 0 }

// KindSet is a set of NameKinds.
type KindSet uint8

// Has reports whether k is in the set.
func (s KindSet) Has(k NameKind) bool { return s&(1<<k) != 0 }

// Only reports whether the set is exactly {k}: "syrian" is only a demonym,
// "us" only a code.
func (s KindSet) Only(k NameKind) bool { return s == 1<<k }

// NameInfo summarises the places a normalised key names; Places == 0 means
// the key is not a known name.
type NameInfo struct {
	Places        int      // how many places carry this name
	MaxPopulation int64    // the largest Population among them
	Levels        LevelSet // the levels they are at
	Kinds         KindSet  // how the name belongs to them (name, alternate, demonym, code)
}

// Known reports what the built-in index knows about key, which must
// already be normalised with Normalize. It is meant for spotting names in
// text: normalise the candidate word sequence (up to MaxNameWords words)
// and ask. It does no allocation and takes well under a microsecond.
//
// Note what the index holds: codes such as "us", "in", "af" are names
// (of countries) only with Kinds.Only(KindCode), and demonyms ("afghan")
// with KindDemonym; a spotter should require the original text to be
// upper case for codes and treat demonyms as the country they name.
func (g *Gazetteer) Known(key string) NameInfo {
	i := g.names.Find(key)
	if i < 0 {
		return NameInfo{}
	}
	ps := g.names.Postings(i)
	info := NameInfo{Places: ps.Len()}
	for j := range ps.Len() {
		p := ps.At(j)
		idx := int(p >> 2)
		info.Levels |= 1 << g.places.Level(idx)
		info.Kinds |= 1 << NameKind(p&3)
		if pop := g.places.Population(idx); pop > info.MaxPopulation {
			info.MaxPopulation = pop
		}
	}
	return info
}

// MaxNameWords is the largest number of words in any indexed key, the
// longest word sequence worth passing to Known.
func (g *Gazetteer) MaxNameWords() int { return g.names.MaxWords() }

// HasPrefix reports whether some indexed key starts with the normalised
// word sequence prefix followed by a space, so a spotter can stop
// extending a sequence early: HasPrefix("musa") is true because "musa
// qala" is a key.
func (g *Gazetteer) HasPrefix(prefix string) bool {
	// The first key >= prefix+" " (found without building the string).
	lo := sort.Search(g.names.Len(), func(m int) bool { return !lessWithSpace(g.names.Key(m), prefix) })
	if lo == g.names.Len() {
		return false
	}
	k := g.names.Key(lo)
	return len(k) > len(prefix) && k[:len(prefix)] == prefix && k[len(prefix)] == ' '
}

// lessWithSpace reports whether k < prefix+" ".
func lessWithSpace(k, prefix string) bool {
	n := min(len(k), len(prefix))
	if k[:n] != prefix[:n] {
		return k[:n] < prefix[:n]
	}
	if len(k) <= len(prefix) {
		return len(k) < len(prefix)+1
	}
	return k[len(prefix)] < ' '
}
