package store

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// The tags and sources columns hold JSON that the store itself writes:
// arrays of strings, and arrays of objects with string members. Decoding
// them with encoding/json was most of the cost of reading a row, so these
// parsers read exactly that shape and hand anything else (a file edited by
// another tool, say) to encoding/json, which stays the reference.

// decodeTags parses a JSON array of strings.
func decodeTags(s string) ([]string, error) {
	if out, ok := fastStrings(s); ok {
		return out, nil
	}
	var out []string
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

// decodeSources parses a JSON array of source objects.
func decodeSources(s string) ([]incident.Source, error) {
	if out, ok := fastSources(s); ok {
		return out, nil
	}
	var out []incident.Source
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

// jsonScanner walks a JSON text; ok turns false at the first surprise.
type jsonScanner struct {
	s  string
	i  int
	ok bool
}

func (p *jsonScanner) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c (after white space) or fails.
func (p *jsonScanner) byte(c byte) bool {
	p.ws()
	if p.ok && p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *jsonScanner) peek(c byte) bool {
	p.ws()
	return p.i < len(p.s) && p.s[p.i] == c
}

// str reads a JSON string, decoding escapes as encoding/json does.
func (p *jsonScanner) str() string {
	if !p.byte('"') {
		p.ok = false
		return ""
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			v := p.s[start:p.i]
			p.i++
			if !utf8.ValidString(v) {
				p.ok = false // encoding/json replaces invalid bytes: let it
			}
			return v
		}
		if c == '\\' {
			return p.escaped(start)
		}
		if c < 0x20 {
			p.ok = false
			return ""
		}
		p.i++
	}
	p.ok = false
	return ""
}

// escaped finishes a string that has escapes, copying as it goes.
func (p *jsonScanner) escaped(start int) string {
	buf := []byte(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				p.ok = false
			}
			return string(buf)
		case c < 0x20:
			p.ok = false
			return ""
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			p.ok = false
			return ""
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return ""
			}
			if utf16.IsSurrogate(r) {
				// A surrogate pair, or else U+FFFD as encoding/json writes.
				if p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					p.i += 2
					r2, ok := p.hex4()
					if !ok {
						return ""
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						buf = utf8.AppendRune(buf, dec)
						continue
					}
					p.ok = false // unusual: leave it to encoding/json
					return ""
				}
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.ok = false
			return ""
		}
	}
	p.ok = false
	return ""
}

func (p *jsonScanner) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		p.ok = false
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		p.ok = false
		return 0, false
	}
	p.i += 4
	return rune(v), true
}

func (p *jsonScanner) end() bool {
	p.ws()
	return p.ok && p.i == len(p.s)
}

// fastArray reads a JSON array whose elements elem reads; it fails at the
// first element elem refuses.
func fastArray[T any](s string, elem func(p *jsonScanner) (T, bool)) ([]T, bool) {
	p := &jsonScanner{s: s, ok: true}
	if !p.byte('[') {
		return nil, false
	}
	out := []T{}
	if !p.byte(']') {
		for {
			v, ok := elem(p)
			if !ok || !p.ok {
				return nil, false
			}
			out = append(out, v)
			if !p.byte(',') {
				break
			}
		}
		if !p.byte(']') {
			return nil, false
		}
	}
	if !p.end() {
		return nil, false
	}
	return out, true
}

func fastStrings(s string) ([]string, bool) {
	return fastArray(s, func(p *jsonScanner) (string, bool) {
		v := p.str()
		return v, p.ok
	})
}

func fastSources(s string) ([]incident.Source, bool) {
	return fastArray(s, func(p *jsonScanner) (incident.Source, bool) {
		var src incident.Source
		if !p.byte('{') {
			return src, false
		}
		if !p.peek('}') {
			for {
				key := p.str()
				if !p.ok || !p.byte(':') || !p.peek('"') {
					return src, false // null or another type: encoding/json decides
				}
				v := p.str()
				switch key {
				case "url":
					src.URL = v
				case "title":
					src.Title = v
				case "publisher":
					src.Publisher = v
				case "published":
					src.Published = v
				case "evidence":
					src.Evidence = v
				default:
					return src, false
				}
				if !p.ok || !p.byte(',') {
					break
				}
			}
		}
		return src, p.byte('}')
	})
}
