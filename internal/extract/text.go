package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentence is a span of the article text, [Start, End) in bytes.
type sentence struct {
	Start, End int
	Text       string
	Index      int
	Tokens     []token
}

// token is one word or number of a sentence, with byte offsets into the
// whole text.
type token struct {
	Text       string
	Lower      string
	Start, End int
	Cap        bool // starts with an upper-case letter
	AllCap     bool // two or more letters, all upper case
	Num        bool // starts with a digit
	Punct      bool // a single punctuation mark
}

// abbreviations end with a period that does not end a sentence.
func abbreviations() map[string]bool {
	m := map[string]bool{}
	for _, a := range []string{"mr", "mrs", "ms", "dr", "gen", "lt", "col", "capt", "sgt", "maj",
		"brig", "cpl", "pvt", "gov", "sen", "rep", "rev", "st", "no", "jan", "feb", "mar", "apr",
		"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "a.m", "p.m",
		"vs", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "prof", "hon", "ft", "mt", "e.g", "i.e",
		"approx", "dept", "est", "fig", "supt", "insp", "cmdr", "adm", "pres", "messrs"} {
		m[a] = true
	}
	return m
}

// splitSentences cuts text at sentence ends (. ! ? followed by space and a
// capital, digit or quote) and at line breaks, which in news copy separate
// headlines, datelines and paragraphs.
func splitSentences(text string, abbr map[string]bool) []sentence {
	var out []sentence
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && isSpaceByte(text[s]) {
			s++
		}
		for e > s && isSpaceByte(text[e-1]) {
			e--
		}
		if e > s {
			out = append(out, sentence{Start: s, End: e, Text: text[s:e], Index: len(out)})
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if quoteStartsStatement(text, start, i) {
			emit(i)
		}
		switch c {
		case '\n':
			emit(i)
		case '.', '!', '?':
			if j, ok := sentenceEnd(text, start, i, abbr); ok {
				emit(j)
				i = j - 1
			}
		}
	}
	emit(len(text))
	return out
}

// quoteStartsStatement reports a second quotation opened after a comma at
// byte i, which starts a new statement: `"... others," the ministry said,
// adding, "On Wednesday, ...`. The sentence so far began at start.
func quoteStartsStatement(text string, start, i int) bool {
	c := text[i]
	if !(c == '"' || c == 0xe2 && strings.HasPrefix(text[i:], "“")) || i < 2 || text[i-2:i] != ", " {
		return false
	}
	q := 1
	if c != '"' {
		q = len("“")
	}
	seg := text[start:i]
	r, _ := utf8.DecodeRuneInString(text[i+q:])
	return unicode.IsUpper(r) && strings.Count(seg, "\"")+strings.Count(seg, "“")+strings.Count(seg, "”") >= 2
}

// sentenceEnd reports whether the mark (. ! ?) at byte i ends the sentence
// that began at start, and where its closing quotes end: the mark must be
// followed by space and then a capital, a digit, a quote or a line break,
// and a period must not end an abbreviation or an initial.
func sentenceEnd(text string, start, i int, abbr map[string]bool) (int, bool) {
	j := i + 1
	for j < len(text) && strings.IndexByte(`"')”’`, text[j]) >= 0 {
		j++
	}
	if j < len(text) && (text[j] == 0xe2) { // closing curly quotes
		if r, n := utf8.DecodeRuneInString(text[j:]); r == '”' || r == '’' {
			j += n
		}
	}
	if j >= len(text) || !isSpaceByte(text[j]) {
		return 0, false
	}
	k := j
	for k < len(text) && text[k] == ' ' {
		k++
	}
	if k < len(text) && text[k] != '\n' {
		r, _ := utf8.DecodeRuneInString(text[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '\'' || r == '‘') {
			return 0, false
		}
	}
	if text[i] == '.' && isAbbrev(text[start:i], abbr) {
		return 0, false
	}
	return j, true
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' }

// isAbbrev reports whether the word just before a period is a known
// abbreviation or a single capital initial ("J. Smith").
func isAbbrev(before string, abbr map[string]bool) bool {
	k := len(before)
	for k > 0 && !isSpaceByte(before[k-1]) && before[k-1] != '(' {
		k--
	}
	w := strings.ToLower(strings.Trim(before[k:], `"'(`))
	if w == "" {
		return false
	}
	if abbr[w] {
		return true
	}
	if r, n := utf8.DecodeRuneInString(w); n == len(w) && unicode.IsLetter(r) {
		return true // an initial
	}
	return false
}

// tokenize splits a sentence into word, number and punctuation tokens.
// Letters, digits, and inner apostrophes, hyphens, periods (U.S.) and
// commas in numbers stay within one token; a possessive 's becomes its own
// token so that "Afghanistan's" yields "Afghanistan". states are the
// Extractor's stateAbbreviations, whose periods stay with the word.
func tokenize(s *sentence, full string, states map[string][2]string) {
	text := full[s.Start:s.End]
	base := s.Start
	toks := s.Tokens[:0]
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			toks = append(toks, token{Text: text[i : i+n], Lower: text[i : i+n], Start: base + i, End: base + i + n, Punct: true})
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && !unicode.Is(unicode.Mn, r2) && !innerJoiner(text, i, j, r, r2, n2) {
				break
			}
			j += n2
		}
		// "U.S." keeps its final period, and so do the abbreviations
		// inside place names ("Fort St. John") and of states and
		// provinces ("Calif.", "Ont.").
		if j < len(text) && text[j] == '.' && (strings.Contains(text[i:j], ".") && j-i <= 6 || keepsPeriod(text[i:j], states)) {
			j++
		}
		w := text[i:j]
		t := token{Text: w, Lower: strings.ToLower(w), Start: base + i, End: base + j}
		t.Cap = unicode.IsUpper(r)
		t.Num = unicode.IsDigit(r)
		if t.Cap {
			t.AllCap = isAllCaps(w)
		}
		toks = append(toks, t)
		i = j
	}
	s.Tokens = toks
}

// innerJoiner reports whether r2, found at text[j] within the word that
// starts at i with r, keeps the word going: "al-Qaeda", "U.S.", "1,500",
// "O'Brien", but not a possessive "Qala's" nor a comma between words.
func innerJoiner(text string, i, j int, r, r2 rune, n2 int) bool {
	switch r2 {
	case '-', '.', ',', '\'', '’', '‘', '`':
	default:
		return false
	}
	if j+n2 >= len(text) {
		return false
	}
	r3, _ := utf8.DecodeRuneInString(text[j+n2:])
	if r2 == ',' && !(unicode.IsDigit(r) && unicode.IsDigit(r3)) {
		return false
	}
	if r2 == '.' && !(unicode.IsLetter(r3) && utf8.RuneCountInString(text[i:j]) == 1) && !(unicode.IsDigit(r) && unicode.IsDigit(r3)) {
		return false
	}
	if (r2 == '\'' || r2 == '’') && (r3 == 's' || r3 == 'S') {
		// Possessive: stop unless more letters follow ("Qala's" vs "Sa'ada").
		if after := j + n2 + 1; after >= len(text) || !isWordByte(text[after]) {
			return false
		}
	}
	return unicode.IsLetter(r3) || unicode.IsDigit(r3)
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func isAllCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// keepsPeriod reports the abbreviations whose period belongs to the word.
func keepsPeriod(w string, states map[string][2]string) bool {
	switch w {
	case "St", "Ft", "Mt", "Ste", "Pt":
		return true
	}
	_, ok := states[w+"."]
	return ok
}

// stateAbbreviations maps the abbreviations news copy uses for US states
// and Canadian provinces (AP style) to the names the gazetteer knows, with
// the country.
func stateAbbreviations() map[string][2]string {
	return map[string][2]string{
		"Ala.": {"Alabama", "US"}, "Ariz.": {"Arizona", "US"}, "Ark.": {"Arkansas", "US"}, "Calif.": {"California", "US"},
		"Colo.": {"Colorado", "US"}, "Conn.": {"Connecticut", "US"}, "Del.": {"Delaware", "US"}, "Fla.": {"Florida", "US"},
		"Ga.": {"Georgia", "US"}, "Ill.": {"Illinois", "US"}, "Ind.": {"Indiana", "US"}, "Kan.": {"Kansas", "US"},
		"Kans.": {"Kansas", "US"}, "Ky.": {"Kentucky", "US"}, "La.": {"Louisiana", "US"}, "Md.": {"Maryland", "US"},
		"Mass.": {"Massachusetts", "US"}, "Mich.": {"Michigan", "US"}, "Minn.": {"Minnesota", "US"}, "Miss.": {"Mississippi", "US"},
		"Mo.": {"Missouri", "US"}, "Mont.": {"Montana", "US"}, "Neb.": {"Nebraska", "US"}, "Nev.": {"Nevada", "US"},
		"N.H.": {"New Hampshire", "US"}, "N.J.": {"New Jersey", "US"}, "N.M.": {"New Mexico", "US"}, "N.Y.": {"New York", "US"},
		"N.C.": {"North Carolina", "US"}, "N.D.": {"North Dakota", "US"}, "Okla.": {"Oklahoma", "US"}, "Ore.": {"Oregon", "US"},
		"Pa.": {"Pennsylvania", "US"}, "R.I.": {"Rhode Island", "US"}, "S.C.": {"South Carolina", "US"}, "S.D.": {"South Dakota", "US"},
		"Tenn.": {"Tennessee", "US"}, "Vt.": {"Vermont", "US"}, "Va.": {"Virginia", "US"}, "Wash.": {"Washington", "US"},
		"W.Va.": {"West Virginia", "US"}, "Wis.": {"Wisconsin", "US"}, "Wyo.": {"Wyoming", "US"},
		"B.C.": {"British Columbia", "CA"}, "Alta.": {"Alberta", "CA"}, "Sask.": {"Saskatchewan", "CA"}, "Man.": {"Manitoba", "CA"},
		"Ont.": {"Ontario", "CA"}, "Que.": {"Quebec", "CA"}, "N.S.": {"Nova Scotia", "CA"}, "N.B.": {"New Brunswick", "CA"},
		"P.E.I.": {"Prince Edward Island", "CA"}, "Nfld.": {"Newfoundland and Labrador", "CA"},
	}
}
