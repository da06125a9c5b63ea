package table

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Names table layout: a header, the keys' offsets into the key area
// (keys+1 of them), the postings' offsets (keys+1), the postings, then the
// key area, keys written one after another in sorted order.
const (
	namesMagic = "IMGZNAM1"
	// Header: magic, then the number of keys, of postings, the key area's
	// length and the most words in a key, each a uint32.
	namesHeader = len(namesMagic) + 4*4
)

// EncodeNames writes the names table: keys, sorted and unique, with their
// postings (opaque uint32s: the gazetteer stores place<<2|kind), and the
// most words any key has.
func EncodeNames(keys []string, postings [][]uint32, maxWords int) ([]byte, error) {
	if len(keys) != len(postings) {
		return nil, fmt.Errorf("names: %d keys, %d posting lists", len(keys), len(postings))
	}
	if !sort.StringsAreSorted(keys) {
		return nil, fmt.Errorf("names: keys not sorted")
	}
	keyLen, nPost := 0, 0
	for i, k := range keys {
		if i > 0 && keys[i-1] == k {
			return nil, fmt.Errorf("names: key %q twice", k)
		}
		keyLen += len(k)
		nPost += len(postings[i])
	}
	out := make([]byte, 0, namesHeader+(len(keys)+1)*8+nPost*4+keyLen)
	out = append(out, namesMagic...)
	for _, n := range []int{len(keys), nPost, keyLen, maxWords} {
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
	}
	off := 0
	for _, k := range keys {
		out = binary.LittleEndian.AppendUint32(out, uint32(off))
		off += len(k)
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(off))
	off = 0
	for _, ps := range postings {
		out = binary.LittleEndian.AppendUint32(out, uint32(off))
		off += len(ps)
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(off))
	for _, ps := range postings {
		for _, p := range ps {
			out = binary.LittleEndian.AppendUint32(out, p)
		}
	}
	for _, k := range keys {
		out = append(out, k...)
	}
	return out, nil
}

// Names reads a names table in place.
type Names struct {
	n                     int
	maxWords              int
	keyOff, postOff, post string
	keys                  string
}

// OpenNames checks data's header, section sizes and that its offsets
// ascend within their areas, and returns the table over it.
func OpenNames(data string) (Names, error) {
	if len(data) < namesHeader || data[:len(namesMagic)] != namesMagic {
		return Names{}, fmt.Errorf("names: bad header: %w", ErrCorrupt)
	}
	h := data[len(namesMagic):]
	t := Names{n: int(u32(h, 0)), maxWords: int(u32(h, 12))}
	nPost, keyLen := int(u32(h, 4)), int(u32(h, 8))
	rest := data[namesHeader:]
	for _, s := range []struct {
		dst  *string
		size int
	}{
		{&t.keyOff, (t.n + 1) * 4}, {&t.postOff, (t.n + 1) * 4}, {&t.post, nPost * 4}, {&t.keys, keyLen},
	} {
		if len(rest) < s.size {
			return Names{}, fmt.Errorf("names: truncated: %w", ErrCorrupt)
		}
		*s.dst, rest = rest[:s.size], rest[s.size:]
	}
	if rest != "" {
		return Names{}, fmt.Errorf("names: %d bytes after the keys: %w", len(rest), ErrCorrupt)
	}
	for _, o := range []struct {
		offs string
		end  int
	}{{t.keyOff, keyLen}, {t.postOff, nPost}} {
		prev := uint32(0)
		for i := 0; i <= t.n; i++ {
			v := u32(o.offs, i*4)
			if v < prev || int(v) > o.end || (i == t.n && int(v) != o.end) {
				return Names{}, fmt.Errorf("names: offset %d of key %d out of order: %w", v, i, ErrCorrupt)
			}
			prev = v
		}
	}
	return t, nil
}

// Len is the number of keys.
func (t *Names) Len() int { return t.n }

// MaxWords is the most words in any key.
func (t *Names) MaxWords() int { return t.maxWords }

// Key returns key i.
func (t *Names) Key(i int) string { return t.keys[u32(t.keyOff, i*4):u32(t.keyOff, i*4+4)] }

// Find returns the number of key, or -1.
func (t *Names) Find(key string) int {
	i := t.Search(key)
	if i < t.n && t.Key(i) == key {
		return i
	}
	return -1
}

// Search returns the number of the first key not less than key (Len when
// there is none).
func (t *Names) Search(key string) int {
	return sort.Search(t.n, func(i int) bool { return t.Key(i) >= key })
}

// Postings returns key i's postings.
func (t *Names) Postings(i int) Postings {
	return Postings(t.post[u32(t.postOff, i*4)*4 : u32(t.postOff, i*4+4)*4])
}

// AllPostings returns every key's postings, one list after another.
func (t *Names) AllPostings() Postings { return Postings(t.post) }

// Postings is a list of postings read in place.
type Postings string

// Len is the number of postings.
func (p Postings) Len() int { return len(p) / 4 }

// At returns posting j.
func (p Postings) At(j int) uint32 { return u32(string(p), j*4) }
