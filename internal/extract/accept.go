package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/incidentmap/incidentmap/gazetteer"
)

// verdict is what one acceptance rule says of a spotted name.
type verdict int

const (
	pass   verdict = iota // nothing against the name here: the next rule reads it
	reject                // not a place mention: the spot is dropped
)

// rejectIf turns a rule's finding into its verdict.
func rejectIf(found bool) verdict {
	if found {
		return reject
	}
	return pass
}

// spotRule is one named step of accept. Its apply either rejects the
// spot or lets it pass, filling in the cues it finds on the way
// (qualifier, preposition, dateline...), which later rules read.
type spotRule struct {
	name  string
	apply func(c *spotContext) verdict
}

// acceptRules are the traps and cues of accept, in the order they run.
// The order matters: the cue rules fill sp.Cue and sp.Qual before the last
// rules, which drop names with no cue, read them.
func acceptRules() []spotRule {
	return []spotRule{
		{"code not written as one", (*spotContext).codeNotWrittenAsCode},
		{"currency after", (*spotContext).currencyAfter},
		{"stop word", (*spotContext).stopWord},
		{"acronym", (*spotContext).acronym},
		{"according to", (*spotContext).accordingTo},
		{"small place in capitals", (*spotContext).allCapsSmallPlace},
		{"written in lower case elsewhere", (*spotContext).lowerCaseElsewhere},
		{"title before", (*spotContext).titleBefore},
		{"age before", (*spotContext).ageBefore},
		{"inside a longer name", (*spotContext).insideLongerName},
		{"institution of", (*spotContext).institutionOf},
		{"qualifier after", (*spotContext).qualifierAfter},
		{"facility after", (*spotContext).facilityAfter},
		{"institution after", (*spotContext).institutionAfter},
		{"actor after", (*spotContext).actorAfter},
		{"group after", (*spotContext).groupAfter},
		{"organisation after", (*spotContext).organisationAfter},
		{"surname after", (*spotContext).surnameAfter},
		{"speech verb after", (*spotContext).speechVerbAfter},
		{"person said", (*spotContext).personSaid},
		{"qualifier before", (*spotContext).qualifierBefore},
		{"place noun before", (*spotContext).placeNounBefore},
		{"preposition before", (*spotContext).prepositionBefore},
		{"outskirts of", (*spotContext).outskirtsOf},
		{"apposition", (*spotContext).apposition},
		{"dateline", (*spotContext).dateline},
		{"common word", (*spotContext).commonWord},
		{"common words with no cue", (*spotContext).commonWordsNoCue},
		{"small place with no cue", (*spotContext).smallPlaceNoCue},
		{"obscure name with no cue", (*spotContext).obscureNameNoCue},
	}
}

// Tuning constants of the acceptance rules. They were set by reading the
// development corpora's errors; a change moves the eval figures.
const (
	// maxAcronymLetters: all-caps words this short are acronyms (PKK,
	// ADF, SAF) far more often than places, unless written as a code.
	maxAcronymLetters = 4
	// minAllCapsPopulation: a single all-caps word in a headline or
	// dateline is taken only for a place at least this big.
	minAllCapsPopulation = 50000
	// minDatelineTownLetters: a small town's name in a dateline is taken
	// from this length up; agencies' and groups' acronyms ("AFP", "ISIS")
	// are shorter.
	minDatelineTownLetters = 5
	// maxSpeakerPopulation: a single name before "said" is a person's
	// unless it is at least this big a place.
	maxSpeakerPopulation = 100000
	// minBarePopulation: a single name with no cue at all must be at least
	// this big a place; smaller ones are words or people more often.
	minBarePopulation = 15000
	// minObscurePopulation and maxObscurePlaces: a longer name with no
	// cue, shared by more than maxObscurePlaces places none of which
	// reaches minObscurePopulation, is a name of something else.
	minObscurePopulation = 1000
	maxObscurePlaces     = 3
)

// currencyAfter rejects a country's name, code or adjective before its
// currency ("the US dollar exchange rate", "Kenyan shillings", "Syrian
// pounds"): the money, not the place.
func (c *spotContext) currencyAfter() verdict {
	return rejectIf(c.countryLike && c.next != nil && c.r.currencies[c.next.Lower])
}

// actorAfter: a country's name before an armed or official body ("U.S.
// forces", "Pakistan Army") says whose, like a demonym ("Israeli
// troops"), never where (event_location_dev: of the sentences whose
// chosen place was followed by "troops", "forces" or "military", none had
// it as the event's place).
func (c *spotContext) actorAfter() verdict {
	if c.countryLike && c.info.Levels.Has(gazetteer.LevelCountry) && c.next != nil && c.r.actorNouns[c.next.Lower] {
		c.sp.Part = true
	}
	return pass
}

// groupAfter: a name before a people's or an armed group's noun ("the
// Kikuyu people leave the area", "Pokot raiders attacked") names who, not
// where, though a town may share it.
func (c *spotContext) groupAfter() verdict {
	if c.next != nil && c.r.groupNouns[c.next.Lower] && !c.qualifiedAfter() {
		c.sp.Part = true
	}
	return pass
}

// spotContext is what the acceptance rules read of the name toks[i..j]
// and the words around it; sp is the spot they accept or reject, and fill.
type spotContext struct {
	x           *Extractor
	r           *spotRules
	toks        []token
	i, j        int
	sp          *spot
	info        gazetteer.NameInfo
	lowerWords  map[string]bool // words the text also writes in lower case
	single      bool            // one word
	first       *token
	prev, prev2 *token // the words before the name, nil at the sentence's start
	next        *token // the word after it, nil at the sentence's end
	countryLike bool   // a country, region or demonym
	adminLike   bool   // a province or district
}

func (x *Extractor) newSpotContext(toks []token, i, j int, sp *spot, lowerWords map[string]bool) *spotContext {
	info := sp.Info
	c := &spotContext{x: x, r: x.spot, toks: toks, i: i, j: j, sp: sp, info: info, lowerWords: lowerWords,
		single: i == j, first: &toks[i],
		countryLike: info.Levels.Has(gazetteer.LevelCountry) || sp.Demonym || info.Levels.Has(gazetteer.LevelRegion),
		adminLike:   info.Levels.Has(gazetteer.LevelAdmin1) || info.Levels.Has(gazetteer.LevelAdmin2)}
	if i > 0 {
		c.prev = &toks[i-1]
	}
	if i > 1 {
		c.prev2 = &toks[i-2]
	}
	if j+1 < len(toks) {
		c.next = &toks[j+1]
	}
	return c
}

// accept applies the traps: common words, person and organisation names,
// codes, and small places named without any cue. It fills the spot's
// qualifier, preposition and hierarchy cues.
func (x *Extractor) accept(toks []token, i, j int, sp *spot, lowerWords map[string]bool) bool {
	return x.rejectedBy(toks, i, j, sp, lowerWords) == ""
}

// rejectedBy runs the acceptance rules in order on the name toks[i..j]
// and returns the name of the first that rejects it, "" if none does.
func (x *Extractor) rejectedBy(toks []token, i, j int, sp *spot, lowerWords map[string]bool) string {
	c := x.newSpotContext(toks, i, j, sp, lowerWords)
	for _, rule := range x.spot.accept {
		if rule.apply(c) == reject {
			return rule.name
		}
	}
	return ""
}

// solid reports a name that stands as a place even before a capitalised
// word: provinces and big cities are used as adjectives ("Texas Senator",
// "Manitoba Premier", "CBC Toronto") far more often than as surnames.
func (c *spotContext) solid() bool {
	return c.countryLike || c.info.Levels.Has(gazetteer.LevelAdmin1) || c.x.bigCityName(c.sp.Name, c.info)
}

// codeNotWrittenAsCode: a name read as a code is a place only when
// written as one ("U.S.", "UK"); "IS" or "IN" are never places.
func (c *spotContext) codeNotWrittenAsCode() verdict {
	return rejectIf(c.sp.Code && !c.x.codeOK(c.sp.Name))
}

// stopWord: capitalised words such as "Police" or "Union" are place
// names only by accident.
func (c *spotContext) stopWord() verdict {
	return rejectIf(c.single && c.r.stop[strings.TrimSuffix(c.first.Lower, ".")])
}

// acronym: short all-caps words are acronyms (PKK, ADF, SAF) unless they
// are country codes.
func (c *spotContext) acronym() verdict {
	short := utf8.RuneCountInString(strings.ReplaceAll(c.first.Text, ".", "")) <= maxAcronymLetters
	return rejectIf(c.single && c.first.AllCap && short && !c.x.codeOK(c.first.Text))
}

// accordingTo: "according to Bulama" names a speaker.
func (c *spotContext) accordingTo() verdict {
	return rejectIf(c.i >= 2 && c.prev.Lower == "to" && c.prev2.Lower == "according" && !c.countryLike)
}

// allCapsSmallPlace: all-caps words stand in headlines and datelines,
// where only solid names are taken for places, and a small town's name
// written out in a dateline ("TORRINGTON —", "RUSSELLVILLE, Ark. (AP)"):
// acronyms are shorter.
func (c *spotContext) allCapsSmallPlace() verdict {
	return rejectIf(c.first.AllCap && !c.sp.Code && c.single && c.info.MaxPopulation < minAllCapsPopulation &&
		!c.countryLike && !c.adminLike && !(len(c.first.Text) >= minDatelineTownLetters && c.datelineShape()))
}

// lowerCaseElsewhere: a word the text also writes in lower case is a
// word, not a name.
func (c *spotContext) lowerCaseElsewhere() verdict {
	return rejectIf(c.single && c.lowerWords[c.first.Lower] && !c.countryLike)
}

// titleBefore: after a title the name is a person's: "President
// Jackson", "Gen. Tripoli".
func (c *spotContext) titleBefore() verdict {
	return rejectIf(c.prev != nil && c.r.titles[strings.TrimSuffix(c.prev.Lower, ".")] && !c.countryLike)
}

// ageBefore: after an age and before a surname the name is a person's
// first name: "82-year-old Geneva Morgan", "nine-year-old Georgia
// Stevens" (but "a 30-year-old Kabul resident").
func (c *spotContext) ageBefore() verdict {
	return rejectIf(c.prev != nil && strings.HasSuffix(c.prev.Lower, "-year-old") && c.nameAfter())
}

// insideLongerName: after another capitalised word the name is part of
// a longer name that is not a place: "Asim Umar", "Tehreek-e-Taliban
// Pakistan". A sentence's first word is capitalised anyway, and a sizeable
// place before it makes a chain of places ("Helmand's Musa Qala").
func (c *spotContext) insideLongerName() verdict {
	p := c.prev
	if p == nil || !p.Cap || p.Punct || c.r.nameWords[p.Lower] || c.countryLike || c.sp.Demonym || c.x.bigCityName(c.sp.Name, c.info) {
		return pass
	}
	if adjectival(p.Text) {
		return pass // "in Serb-held Vogosca": a compound adjective, not a name's first word
	}
	// A sentence's first word is capitalised for opening it: a stop word,
	// a preposition or a word the corpora write in lower case ("Angry
	// Kisumu residents") begins no name.
	if c.i == 1 && (c.r.stop[p.Lower] || c.r.preps[p.Lower] || c.x.common[p.Lower]) {
		return pass
	}
	return rejectIf(!c.x.isPlaceWord(p))
}

// institutionOf marks a place inside an institution's name ("the Islamic
// State of Iraq and Al-Sham", "the Army of Islam", "the Central Bank of
// Kenya"): it is mentioned, but is not where anything happens.
func (c *spotContext) institutionOf() verdict {
	if c.x.institutionOf(c.toks, c.i) {
		c.sp.Part = true
	}
	return pass
}

// localGovernmentArea reports "X Local Government Area" after the name.
func (c *spotContext) localGovernmentArea() bool {
	t, j := c.toks, c.j
	return c.next.Lower == "local" && j+3 < len(t) && t[j+2].Lower == "government" && t[j+3].Lower == "area"
}

// qualifiedAfter reports an administrative word after the name.
func (c *spotContext) qualifiedAfter() bool {
	if c.next == nil {
		return false
	}
	_, ok := c.r.qualifierAt(*c.next)
	return ok || c.localGovernmentArea()
}

// qualifierAfter fills the qualifier written after the name: "Helmand
// province", "Bokkos Local Government Area".
func (c *spotContext) qualifierAfter() verdict {
	if c.next == nil || c.sp.Code {
		return pass // a country's code takes no qualifier: "U.S. Department of Justice"
	}
	sp := c.sp
	if q, ok := c.r.qualifierAt(*c.next); ok {
		sp.Qual, sp.QualWord, sp.SpanEnd, sp.Cue = q, c.next.Lower, c.next.End, true
	} else if c.localGovernmentArea() {
		sp.Qual, sp.QualWord, sp.SpanEnd, sp.Cue = qualDistrict, "local government area", c.toks[c.j+3].End, true
	}
	return pass
}

// nameAfter reports a capitalised word after a place name (not a
// demonym) that is not its qualifier: the rules below tell what it makes
// of the name.
func (c *spotContext) nameAfter() bool {
	return c.next != nil && !c.qualifiedAfter() && c.next.Cap && !c.next.Punct && !c.sp.Demonym
}

// facilityNamed reports a facility's word one or two words after the
// name: "Mandera Hospital", "Karachi Press Club".
func (c *spotContext) facilityNamed() bool {
	t, j := c.toks, c.j
	facilityNext := j+2 < len(t) && c.r.facilities[t[j+2].Lower]
	return c.r.facilities[c.next.Lower] || facilityNext && !c.countryLike
}

// facilityAfter: "Mandera Hospital", "Dhaka University", "the Msambweni
// polling station", "the Hyderabad Press club" are buildings of the
// place, so the place is mentioned, and an event at them happens there.
func (c *spotContext) facilityAfter() verdict {
	if c.next != nil && !c.next.Punct && !c.sp.Demonym && !c.qualifiedAfter() && c.facilityNamed() {
		c.sp.Cue = true
	}
	return pass
}

// institutionAfter: "Sindh Government", "Kano State Police" mention the
// province and say where the story is, but name an institution, never
// the scene.
func (c *spotContext) institutionAfter() verdict {
	if c.nameAfter() && !c.facilityNamed() && c.r.orgWords[c.next.Lower] && c.info.Levels.Has(gazetteer.LevelAdmin1) && !c.countryLike {
		c.sp.Part = true
	}
	return pass
}

// organisationAfter: "Jalalabad Brigade" names an organisation, not a
// place; a big city's name there is kept as a Part, a mention that is
// never the scene. (A province's name there, "Washington Post", is kept
// as a Part by institutionAfter.) A district before "Agency" is one of
// Pakistan's tribal agencies, the district itself ("North Waziristan
// Agency", "Khyber Agency"), not a news agency.
func (c *spotContext) organisationAfter() verdict {
	if !c.nameAfter() || c.facilityNamed() || !c.r.orgWords[c.next.Lower] || c.info.Levels.Has(gazetteer.LevelAdmin1) || c.countryLike ||
		c.tribalAgency() {
		return pass
	}
	if c.x.bigCityName(c.sp.Name, c.info) {
		// "Glasgow Police", "London-based": the city is mentioned, as an
		// institution's, never as the scene.
		c.sp.Part = true
		return pass
	}
	return reject
}

// tribalAgency reports a district before "Agency": one of Pakistan's
// tribal agencies, named as the district itself is.
func (c *spotContext) tribalAgency() bool {
	return c.next != nil && c.next.Lower == "agency" && c.info.Levels.Has(gazetteer.LevelAdmin2)
}

// surnameAfter: a name followed by a capitalised word that is no place,
// no connector and no acronym is a first name: "Gary Peterson". Solid
// names stand as adjectives there instead, so "Jordan Peterson" is
// still read as the country.
func (c *spotContext) surnameAfter() verdict {
	if !c.nameAfter() || c.tribalAgency() {
		return pass
	}
	n := c.next
	if _, day := c.x.dates.weekdays[n.Lower]; day || c.x.dates.months[n.Lower] != 0 {
		return pass // "in the city of Mardan Friday": a date, no surname
	}
	return rejectIf(!c.x.isPlaceWord(n) && !c.r.connectors[n.Lower] && !n.AllCap && !c.solid())
}

// speechVerbAfter marks a name followed by a verb of speech or agreement,
// metonymy more often than a place: "Washington agreed".
func (c *spotContext) speechVerbAfter() verdict {
	if c.next != nil && c.r.speechVerbs[c.next.Lower] && !c.passiveAfter() {
		c.sp.SubjectVerb = true
	}
	return pass
}

// passiveAfter reports a passive verb after the name ("Jaffna was
// captured", "Damascus is being shelled", "Fallujah has been patrolled"):
// the place is what the event befell, not a speaker.
func (c *spotContext) passiveAfter() bool {
	t, k := c.toks, c.j+1
	switch t[k].Lower {
	case "is", "was", "are", "were":
		k++
		if k < len(t) && t[k].Lower == "being" {
			k++
		}
	case "has", "have", "had":
		if k+1 >= len(t) || t[k+1].Lower != "been" {
			return false
		}
		k += 2
	default:
		return false
	}
	if k < len(t) && strings.HasSuffix(t[k].Lower, "ly") {
		k++ // "continuously shelled"
	}
	return k < len(t) && (strings.HasSuffix(t[k].Lower, "ed") || c.r.participles[t[k].Lower])
}

// personSaid: "Walsh said", a small place's name after a word that is
// not a preposition and before "said", is a person.
func (c *spotContext) personSaid() verdict {
	if c.next == nil || !(c.next.Lower == "said" || c.next.Lower == "says" || c.next.Lower == "told") {
		return pass
	}
	return rejectIf(c.single && !c.countryLike && !c.adminLike && c.info.MaxPopulation < maxSpeakerPopulation &&
		c.prev != nil && !c.prev.Punct && !c.r.preps[c.prev.Lower])
}

// qualifierBefore fills a qualifier written before the name: "the city of
// X", "the outskirts of X" (near X). Not when the word qualifies the name
// before: "Mon district of Nagaland".
func (c *spotContext) qualifierBefore() verdict {
	t, k := c.toks, c.i-1
	if k >= 0 && t[k].Lower == "the" {
		k--
	}
	if k < 1 || t[k].Lower != "of" || t[k-1].Cap || k >= 2 && t[k-2].Cap {
		return pass
	}
	word := t[k-1].Lower
	if q, ok := c.r.qualBefore[word]; ok {
		c.sp.Qual, c.sp.SpanStart, c.sp.Cue = q, t[k-1].Start, true
		if word == "outskirts" || word == "suburbs" || word == "edge" {
			c.sp.NearWord = true
		}
	}
	return pass
}

// placeNounBefore fills the qualifier of "city X", "town X", "village X".
func (c *spotContext) placeNounBefore() verdict {
	if c.prev == nil || !(c.prev.Lower == "city" || c.prev.Lower == "town" || c.prev.Lower == "village") {
		return pass
	}
	if q, ok := c.r.qualBefore[c.prev.Lower]; ok {
		c.sp.Qual, c.sp.Cue = q, true
	}
	return pass
}

// prepositionBefore fills the locative preposition before the name: "in
// X", "near X".
func (c *spotContext) prepositionBefore() verdict {
	c.x.prepOf(c.toks, c.i, c.sp)
	return pass
}

// outskirtsOf: "outskirts of X" puts the event near X, not in it.
func (c *spotContext) outskirtsOf() verdict {
	if c.prev2 != nil && c.prev.Lower == "of" && c.prev2.Lower == "outskirts" {
		c.sp.NearWord = true
	}
	return pass
}

// apposition: "Bamenda, Cameroon" places the name in the hierarchy that
// follows it.
func (c *spotContext) apposition() verdict {
	if c.next != nil && c.next.Lower == "," && c.j+2 < len(c.toks) && c.toks[c.j+2].Cap {
		c.sp.Cue = true
	}
	return pass
}

// dateline marks the report's dateline: the first words of a paragraph,
// all in capitals, before ":", "(" or a dash, as in "MEXICO CITY (AP) —",
// "Peshawar, Nov 28 (PTI)" or "ADEN/SANAA:".
func (c *spotContext) dateline() verdict {
	if c.datelineShape() {
		c.sp.Dateline, c.sp.Cue = true, true
	}
	return pass
}

// datelineShape reports a name standing where a dateline's place does
// (see dateline).
func (c *spotContext) datelineShape() bool {
	if !c.opensParagraph() {
		return false
	}
	// "ANKARA     More than 80 people...": wire copy whose dash was lost
	// keeps the capitals and a run of spaces.
	if c.toks[c.j].AllCap && c.next != nil && c.next.Start-c.toks[c.j].End >= datelineGap {
		return true
	}
	for k := c.j + 1; k < len(c.toks) && k <= c.j+datelineSpan; k++ {
		w := c.toks[k].Text
		if w == ":" || w == "(" || w == "—" || w == "–" || w == "-" {
			return true
		}
		if !c.toks[k].Cap && !c.toks[k].Num && w != "," && w != "." && w != "/" {
			return false
		}
	}
	return false
}

// opensParagraph reports a name among the first words of its paragraph,
// with only capitals or "/" before it, as a dateline's place stands.
func (c *spotContext) opensParagraph() bool {
	if c.i >= datelineLead {
		return false
	}
	for k := 0; k < c.i; k++ {
		if !(c.toks[k].AllCap || c.toks[k].Text == "/") {
			return false
		}
	}
	return true
}

// datelineLead bounds the words before a dateline's place: the city's
// other words or another city, as "SANAA" in "ADEN/SANAA:".
const datelineLead = 6

// datelineSpan is how many tokens a dateline's place may stand before
// its "(Agency)" or dash: "LASHKAR GAH, Afghanistan, Sept. 23 (Xinhua)".
const datelineSpan = 10

// datelineGap is how many characters of space after a name in capitals
// make it a dateline: prose has one.
const datelineGap = 2

// commonWord: a common word, capitalised, with no preposition right
// before it and no administrative word with it, is the word: "Led by the
// Tiger Forces", "the Free Syrian Army", "Bush said". A country's name
// ("Chad") is still the country, unless it is only its code.
func (c *spotContext) commonWord() verdict {
	if !c.single || !c.x.common[c.first.Lower] || c.sp.Qual != qualNone || c.afterPreposition() {
		return pass
	}
	return rejectIf(!c.countryLike || !c.sp.Code && !c.x.countryNamed(c.sp.Name))
}

// afterPreposition reports a preposition right before the name, or
// before adjectives of a place's part ("in central Van").
func (c *spotContext) afterPreposition() bool {
	for k := c.i - 1; k >= 0; k-- {
		w := c.toks[k].Lower
		if c.r.preps[w] {
			return true
		}
		if !c.r.partAdjectives[w] {
			return false
		}
	}
	return false
}

// commonWordsNoCue: common words together with no cue are those words:
// "the White House said" (also a Tennessee town, and Casablanca in
// Spanish).
func (c *spotContext) commonWordsNoCue() verdict {
	return rejectIf(!c.single && !c.sp.Cue && !c.countryLike && !c.info.Levels.Has(gazetteer.LevelAdmin1) &&
		c.x.allCommon(c.toks[c.i:c.j+1]))
}

// smallPlaceNoCue: a small place named with no cue at all is more often
// a word or a person than the place.
func (c *spotContext) smallPlaceNoCue() verdict {
	return rejectIf(c.single && !c.sp.Cue && !c.countryLike && !c.adminLike && c.info.MaxPopulation < minBarePopulation)
}

// obscureNameNoCue: a longer name with no cue that only a few tiny places
// share is a name of something else.
func (c *spotContext) obscureNameNoCue() verdict {
	return rejectIf(!c.single && !c.sp.Cue && !c.countryLike && !c.adminLike &&
		c.info.MaxPopulation < minObscurePopulation && c.info.Places > maxObscurePlaces)
}
