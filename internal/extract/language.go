package extract

// englishCheck tells English text from other languages written in Latin
// letters by their function words: a French or Spanish report is full of
// "les", "des", "por", "que" and holds few of "the", "of", "was", while
// telegraphic English (headlines, coder notes) may hold few of either.
type englishCheck struct {
	english, foreign map[string]bool
}

// The check's constants, measured on the development corpora: no text of
// dev.jsonl, acled_dev.jsonl or event_location_dev.jsonl is refused.
const (
	// minLanguageWords is the shortest text the check judges.
	minLanguageWords = 8
	// minForeignShare is the share of other languages' function words
	// above which a text with fewer English ones is not English.
	minForeignShare = 0.1
)

func newEnglishCheck() *englishCheck {
	set := func(ws ...string) map[string]bool {
		m := map[string]bool{}
		for _, w := range ws {
			m[w] = true
		}
		return m
	}
	return &englishCheck{
		english: set("the", "of", "and", "to", "in", "a", "an", "was", "were", "is", "are", "on", "by", "with", "for", "at",
			"from", "that", "this", "said", "have", "has", "had", "been", "after", "his", "her", "their", "they", "he", "she",
			"it", "its", "who", "which", "into", "during", "against", "over", "near"),
		// French, Spanish, Portuguese, Italian and German function words
		// that are not also English words or common in place names.
		foreign: set("le", "les", "des", "du", "une", "est", "sont", "dans", "pour", "avec", "sur", "par", "ont", "qui",
			"el", "los", "las", "del", "por", "para", "que", "con", "una", "fue", "según", "contra", "tras", "lunes",
			"não", "uma", "dos", "pelo", "pela", "foram", "segundo", "com", "della", "che", "sono", "nel", "degli",
			"der", "die", "und", "das", "ist", "wurde", "nach", "mit", "von", "eine", "bei"),
	}
}

// isEnglish reports whether the sentences read as English.
func (c *englishCheck) isEnglish(sents []sentence) bool {
	words, english, foreign := 0, 0, 0
	for _, s := range sents {
		for _, t := range s.Tokens {
			if t.Punct || t.Num {
				continue
			}
			words++
			switch {
			case c.english[t.Lower]:
				english++
			case c.foreign[t.Lower]:
				foreign++
			}
		}
	}
	return words < minLanguageWords || foreign <= english || float64(foreign) < minForeignShare*float64(words)
}
