package extract

// Tables and tallies of figures name places and deaths but report no one
// event: "District | Killed | Injured ; Kabul | 12 | 30 ; Kandahar | 4 |
// 9", "Casualty figures for 2023: Helmand 340 killed, Kandahar 210 killed,
// Kabul 120 killed". An incident made of them would carry the sum of many
// events at one of their places.

// Bounds of tableLike.
const (
	// minTableNumbers: fewer numbers are a report's date and counts.
	minTableNumbers = 4
	// tableNumberShare is the share of a sentence's words that are numbers
	// from which it reads as a table: a report's sentence with its date and
	// two or three counts stays near a third ("On 4 May 2020, 2 soldiers
	// and 3 civilians were killed and 5 injured").
	tableNumberShare = 0.4
)

// tableLike reports a sentence whose words are mostly numbers.
func tableLike(toks []token) bool {
	words, numbers := 0, 0
	for _, t := range toks {
		switch {
		case t.Num:
			numbers++
			words++
		case !t.Punct:
			words++
		}
	}
	return numbers >= minTableNumbers && float64(numbers) >= tableNumberShare*float64(words)
}

// minTallyPlaces is how many places each followed by its own number make
// a sentence a tally: two may still be one event's ("Kabul 2, Parwan 1"
// is rare in reports; three never was one event in acled_dev.jsonl).
const minTallyPlaces = 3

// tally reports a sentence that gives figures place by place: at least
// minTallyPlaces distinct places each followed at once by a number.
func (a *analysis) tally(si int) bool {
	toks := a.sents[si].Tokens
	places := map[string]bool{}
	for _, ri := range a.bySentence[si] {
		r := &a.res[ri]
		if !r.OK || r.Demonym {
			continue
		}
		for _, t := range toks {
			if t.Start >= r.End {
				places[r.Key] = places[r.Key] || t.Num
				break
			}
		}
	}
	n := 0
	for _, figure := range places {
		if figure {
			n++
		}
	}
	return n >= minTallyPlaces
}
