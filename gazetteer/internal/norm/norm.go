// Package norm turns place names into the keys the gazetteer indexes: one
// spelling for the many ways reporters and transliteration schemes write the
// same name. The generator and the gazetteer both use it, so keys computed at
// generation time match keys computed for a query; changing anything here
// means running `go generate` in gazetteer/ again.
package norm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Key returns the normalised form of a place name:
//
//   - compatibility decomposition (NFKD), then every combining mark dropped,
//     so "Mūsá" and "Musa" agree;
//   - apostrophes, ayn and hamza marks (' ’ ‘ ` ´ ʿ ʾ ʼ ʻ) dropped, so
//     "Qal'ah", "Qal‘ah" and "Qalah" agree;
//   - dots dropped, so "U.S." is "us";
//   - letters that do not decompose folded (ß→ss, æ→ae, ø→o, ł→l, đ→d, ı→i…);
//   - case folded; every other non-letter, non-digit (hyphen, comma,
//     bracket, control character) becomes a space; spaces collapse;
//   - the Arabic article written "al-", "el-", or assimilated to a sun letter
//     ("ar-Raqqa", "as Sulaymaniyah", "an Najaf") becomes "al".
//
// Invalid UTF-8 bytes are dropped. The result is "" when nothing is left.
func Key(s string) string {
	if s == "" {
		return ""
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	var b strings.Builder
	b.Grow(len(s))
	// words records each output word's span and whether a hyphen followed
	// it: "al-" is an article, "al" alone may not be.
	var wordsBuf [16]wordInfo
	words := wordsBuf[:0]
	inWord := false
	start := 0
	if !isASCII(s) {
		s = norm.NFKD.String(s) // ASCII is already decomposed
	}
	for _, r := range s {
		switch {
		case r == '.' || isApostrophe(r) || r >= utf8.RuneSelf && (unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r)):
			continue
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if !inWord {
				if len(words) > 0 {
					b.WriteByte(' ')
				}
				start = b.Len()
				inWord = true
			}
			writeFolded(&b, r)
		default:
			if inWord {
				words = append(words, wordInfo{start: start, end: b.Len()})
				inWord = false
			}
			if isHyphen(r) && len(words) > 0 && words[len(words)-1].end == b.Len() {
				words[len(words)-1].hyphen = true
			}
		}
	}
	if inWord {
		words = append(words, wordInfo{start: start, end: b.Len()})
	}
	if len(words) == 0 {
		return ""
	}
	return canonicalArticles(b.String(), words)
}

type wordInfo struct {
	start, end int
	hyphen     bool
}

// canonicalArticles rewrites the Arabic article to "al" where it is clearly
// an article: "al"/"el" anywhere before another word, and the sun-letter
// forms ("ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an", "ad") when
// written with a hyphen or when the next word starts with the assimilated
// consonant ("ar Raqqah"), which English words ("as", "at", "an") never do
// by rule. The last word is never an article.
func canonicalArticles(s string, words []wordInfo) string {
	var parts []string // built only when an article needs rewriting
	for i := 0; i < len(words)-1; i++ {
		w := s[words[i].start:words[i].end]
		article := false
		switch {
		case w == "al":
		case w == "el" || w == "ul" && words[i].hyphen:
			article = true
		case len(w) >= 2 && len(w) <= 3 && w[0] == 'a':
			switch cons := w[1:]; cons {
			case "r", "s", "sh", "t", "th", "d", "dh", "z", "n":
				next := s[words[i+1].start:words[i+1].end]
				article = words[i].hyphen || strings.HasPrefix(next, cons)
			}
		}
		if !article {
			continue
		}
		if parts == nil {
			parts = make([]string, len(words))
			for j, wj := range words {
				parts[j] = s[wj.start:wj.end]
			}
		}
		parts[i] = "al"
	}
	if parts == nil {
		return s
	}
	return strings.Join(parts, " ")
}

// isApostrophe reports the marks transliterations use for apostrophes, ayn
// and hamza; they are dropped rather than split words.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʿ', 'ʾ', 'ʼ', 'ʻ', '′', '‛', 'ʹ', 'ʽ', 'ˈ', '׳':
		return true
	}
	return false
}

func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−':
		return true
	}
	return false
}

// writeFolded writes the lower-case, decomposition-resistant fold of r.
func writeFolded(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	switch r {
	case 'ß', 'ẞ':
		b.WriteString("ss")
		return
	case 'æ', 'Æ':
		b.WriteString("ae")
		return
	case 'œ', 'Œ':
		b.WriteString("oe")
		return
	case 'ø', 'Ø':
		b.WriteByte('o')
		return
	case 'ł', 'Ł':
		b.WriteByte('l')
		return
	case 'đ', 'Đ', 'ð', 'Ð':
		b.WriteByte('d')
		return
	case 'ı':
		b.WriteByte('i')
		return
	case 'þ', 'Þ':
		b.WriteString("th")
		return
	case 'ħ', 'Ħ':
		b.WriteByte('h')
		return
	case 'ŧ', 'Ŧ':
		b.WriteByte('t')
		return
	}
	b.WriteRune(unicode.ToLower(r))
}

// Words returns the number of space-separated words in a key.
func Words(key string) int {
	if key == "" {
		return 0
	}
	return strings.Count(key, " ") + 1
}

// Phonetic returns a coarse key for Latin-script keys under which common
// transliteration variants collide: "musa qala", "musa kala" and "mousa
// qalah" all give "ms kl". Per word it maps digraphs (kh gh sh ch th dh ph
// zh) to one consonant, q and c to k, drops vowels (a e i o u y w) after
// the first letter and h after the first letter (the trailing -h of
// "Qal'ah", the silent h of "Kandahar"), and collapses doubled consonants.
// It returns "" for keys with letters outside a–z, so other scripts never
// collide here; callers compare candidates by edit distance after this
// coarse match.
func Phonetic(key string) string {
	if key == "" {
		return ""
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c == ' ' || c >= '0' && c <= '9') {
			return ""
		}
	}
	var b strings.Builder
	b.Grow(len(key))
	for wi, w := range strings.Fields(key) {
		if wi > 0 {
			b.WriteByte(' ')
		}
		var last byte
		for i := 0; i < len(w); i++ {
			c := w[i]
			if i+1 < len(w) && w[i+1] == 'h' {
				switch c {
				case 'k', 'g', 's', 'c', 't', 'd', 'z':
					i++ // the digraph's h
					if c == 'c' {
						c = 's' // ch: tch/sh/k variants; s is the commonest fold
					}
				case 'p':
					i++
					c = 'f'
				}
			}
			switch c {
			case 'q', 'c':
				c = 'k'
			case 'x':
				c = 'k'
			case 'j':
				c = 'j'
			case 'v':
				c = 'v'
			}
			isVowel := c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'w' || c == 'h'
			if i == 0 {
				if isVowel {
					if c != 'h' {
						c = 'a' // any initial vowel: "Urumqi"/"Orumqi"
					}
				}
				b.WriteByte(c)
				last = c
				continue
			}
			if isVowel {
				last = 0 // a vowel separates: "Kakhk" keeps both k
				continue
			}
			if c == last {
				continue
			}
			b.WriteByte(c)
			last = c
		}
	}
	return b.String()
}

// Fold returns s with combining marks removed and the letters that do not
// decompose folded, keeping case and punctuation: "Mūsá Qal‘ah" gives
// "Musa Qal‘ah". Used to make an ASCII display name.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(s, "")) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
		case 'æ':
			b.WriteString("ae")
		case 'Æ':
			b.WriteString("AE")
		case 'ø':
			b.WriteByte('o')
		case 'Ø':
			b.WriteByte('O')
		case 'ł':
			b.WriteByte('l')
		case 'Ł':
			b.WriteByte('L')
		case 'đ', 'ð':
			b.WriteByte('d')
		case 'Đ', 'Ð':
			b.WriteByte('D')
		case 'ı':
			b.WriteByte('i')
		case '‘', '’', 'ʿ', 'ʾ':
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
