package extract

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/incident"
)

// group merges event sentences into drafts: a sentence joins an earlier
// draft whose place contains, is contained in or lies within 30 km of its
// own and whose day agrees; a sentence with no place joins the latest
// draft unless its day disagrees, in which case it starts a draft that
// borrows the latest place.
func (x *Extractor) group(an *analysis, infos []sentInfo, pub time.Time) []draft {
	var drafts []draft
	var pending []int // event sentences before any placed one
	for si := range infos {
		in := &infos[si]
		if !in.event {
			continue
		}
		day, coarse := firmDates(in.dates)
		if day == nil && coarse == nil && len(drafts) > 0 && drafts[len(drafts)-1].day != nil {
			day = anaphoricDay(an.sents[si].Text, drafts[len(drafts)-1].day, in)
		}
		switch {
		case in.loc < 0 && len(drafts) == 0:
			pending = append(pending, si)
		case in.loc < 0:
			drafts = continuePlaceless(drafts, infos, pub, si, day, coarse)
		case joinRecent(an, drafts, infos, pub, si, day, coarse):
		default:
			nd := draft{loc: in.loc}
			if len(drafts) == 0 {
				nd.takePending(pending, infos, day, coarse)
				pending = nil
			}
			nd.add(si, day, coarse)
			drafts = append(drafts, nd)
		}
	}
	if len(drafts) == 0 && len(pending) > 0 {
		drafts = atMainPlace(an, infos, pub, pending)
	}
	return mergeDrafts(an, infos, pub, drafts)
}

// continuePlaceless adds an event sentence that names no place of its own
// to the last draft when their dates agree, else starts a draft at the
// same place.
func continuePlaceless(drafts []draft, infos []sentInfo, pub time.Time, si int, day, coarse *dateExpr) []draft {
	d := &drafts[len(drafts)-1]
	if d.agrees(infos, pub, day, coarse) {
		d.add(si, day, coarse)
		return drafts
	}
	nd := draft{loc: d.loc}
	nd.add(si, day, coarse)
	return append(drafts, nd)
}

// takePending gives the first placed draft the placeless event sentences
// before it whose days agree with its own.
func (d *draft) takePending(pending []int, infos []sentInfo, day, coarse *dateExpr) {
	for _, p := range pending {
		pd, pc := firmDates(infos[p].dates)
		if pd == nil && pc == nil || day == nil && coarse == nil || datesAgree(pd, pc, day, coarse) {
			d.add(p, pd, pc)
		}
	}
}

// atMainPlace places events reported with no place in their own sentences
// where the article is about: its main place named with a locative cue,
// or, in short wire reports, the dateline ("Al-Arish: militants attacked a
// checkpoint"). Sentences whose dates agree share a draft.
func atMainPlace(an *analysis, infos []sentInfo, pub time.Time, pending []int) []draft {
	ri := mainPlace(an, infos)
	if ri < 0 {
		return nil
	}
	var drafts []draft
	for _, p := range pending {
		pd, pc := firmDates(infos[p].dates)
		if n := len(drafts); n > 0 && drafts[n-1].agrees(infos, pub, pd, pc) {
			drafts[n-1].add(p, pd, pc)
			continue
		}
		d := draft{loc: ri}
		d.add(p, pd, pc)
		drafts = append(drafts, d)
	}
	return drafts
}

// joinRecent adds placed sentence si to a recent draft of the same place
// whose dates agree, and reports whether it found one. Only recent drafts:
// events far apart in a text are separate, and this keeps long texts
// linear.
func joinRecent(an *analysis, drafts []draft, infos []sentInfo, pub time.Time, si int, day, coarse *dateExpr) bool {
	loc := infos[si].loc
	for di := len(drafts) - 1; di >= 0 && di >= len(drafts)-maxLookback; di-- {
		d := &drafts[di]
		if !samePlace(an, d.loc, loc) || !d.agrees(infos, pub, day, coarse) {
			continue
		}
		if finer(an, loc, d.loc) {
			d.loc = loc
		}
		d.add(si, day, coarse)
		return true
	}
	return false
}

// agrees reports whether a sentence's dates fit the draft's. A draft with
// no firm date is taken to be about its weak day or the publication day.
func (d *draft) agrees(infos []sentInfo, pub time.Time, day, coarse *dateExpr) bool {
	if day == nil && coarse == nil {
		return true
	}
	dd, dc := d.effective(infos, pub)
	return datesAgree(dd, dc, day, coarse)
}

// effective returns the draft's day and coarse date, with the implied day
// (a weak day in its sentences, else publication) when it has neither.
func (d *draft) effective(infos []sentInfo, pub time.Time) (*dateExpr, *dateExpr) {
	if d.day != nil || d.coarse != nil {
		return d.day, d.coarse
	}
	var weak []dateExpr
	for _, si := range d.sents {
		weak = append(weak, infos[si].dates...)
	}
	return impliedDay(weak, pub), nil
}

// mergeDrafts joins drafts that turned out to be one event: the same or
// nested places on agreeing days, and a draft placed only at a country
// into another draft in that country.
func mergeDrafts(an *analysis, infos []sentInfo, pub time.Time, ds []draft) []draft {
	for i := 0; i < len(ds); i++ {
		for j := i + 1; j < len(ds) && j <= i+maxLookback; j++ {
			a, b := &ds[i], &ds[j]
			if a.loc < 0 || b.loc < 0 || !samePlace(an, a.loc, b.loc) {
				continue
			}
			la, lb := an.res[a.loc].Place.Level, an.res[b.loc].Place.Level
			country := la == gazetteer.LevelCountry || lb == gazetteer.LevelCountry
			ad, ac := a.effective(infos, pub)
			bd, bc := b.effective(infos, pub)
			if !country && !datesAgree(ad, ac, bd, bc) {
				continue
			}
			if finer(an, b.loc, a.loc) {
				a.loc = b.loc
			}
			a.sents = append(a.sents, b.sents...)
			if a.day == nil {
				a.day = b.day
			}
			if a.coarse == nil {
				a.coarse = b.coarse
			}
			ds = append(ds[:j], ds[j+1:]...)
			j-- // the next draft moved into j
		}
	}
	for i := range ds {
		sort.Ints(ds[i].sents)
	}
	return ds
}

// maxLookback is how many drafts back a sentence or draft may merge.
const maxLookback = 50

// impliedDay is the day a sentence without a firm date is taken to speak
// of when comparing it with others: its weak day ("today" in a quote), else
// the publication day, since news reports recent events.
func impliedDay(ds []dateExpr, pub time.Time) *dateExpr {
	for i := range ds {
		if ds[i].Precision == incident.PrecisionDay {
			d := ds[i]
			return &d
		}
	}
	return &dateExpr{Date: pub, Precision: incident.PrecisionDay, Weak: true}
}

// dropRelatedLinks unmarks event sentences that are headlines of other
// stories: a line with no final punctuation after the article's opening.
func (x *Extractor) dropRelatedLinks(an *analysis, infos []sentInfo) {
	for si := range infos {
		if !infos[si].event || si < 3 {
			continue
		}
		t := strings.TrimSpace(an.sents[si].Text)
		if t == "" {
			continue
		}
		last := t[len(t)-1]
		if last == '.' || last == '"' || last == '!' || last == '?' || last == ')' || strings.HasSuffix(t, "”") || strings.HasSuffix(t, "’") {
			continue
		}
		// A line standing alone (the sentence is the whole line).
		lineStart := an.sents[si].Start == 0 || an.text[an.sents[si].Start-1] == '\n'
		lineEnd := an.sents[si].End == len(an.text) || an.text[an.sents[si].End] == '\n' || an.text[an.sents[si].End] == '\r'
		if lineStart && lineEnd && len(t) < 200 {
			infos[si].event = false
		}
	}
}

func (d *draft) add(si int, day, coarse *dateExpr) {
	d.sents = append(d.sents, si)
	if d.day == nil && day != nil {
		d.day = day
	}
	if d.coarse == nil && coarse != nil {
		d.coarse = coarse
	}
}

// firmDates returns a sentence's first firm day date and its first coarser
// date (week, month).
func firmDates(ds []dateExpr) (*dateExpr, *dateExpr) {
	var day, coarse *dateExpr
	for i := range ds {
		d := &ds[i]
		if d.Weak || d.Precision == incident.PrecisionYear {
			continue
		}
		if d.Precision == incident.PrecisionDay && day == nil {
			day = d
		}
		if d.Precision != incident.PrecisionDay && coarse == nil {
			coarse = d
		}
	}
	return day, coarse
}

// datesAgree: two days at most one apart; a day inside a month; anything
// with an unknown date.
func datesAgree(d1, c1, d2, c2 *dateExpr) bool {
	if d1 != nil && d2 != nil {
		diff := math.Abs(d1.Date.Sub(d2.Date).Hours() / 24)
		if !d1.EndDate.IsZero() || !d2.EndDate.IsZero() {
			diff = math.Max(0, diff-2)
		}
		return diff <= 1
	}
	a, b := d1, c2
	if a == nil {
		a, b = d2, c1
	}
	if a != nil && b != nil {
		switch b.Precision {
		case incident.PrecisionMonth:
			return a.Date.Year() == b.Date.Year() && a.Date.Month() == b.Date.Month()
		case incident.PrecisionWeek:
			diff := a.Date.Sub(b.Date).Hours() / 24
			return diff >= -3 && diff <= 10
		}
	}
	if c1 != nil && c2 != nil && c1.Precision == c2.Precision && c1.Precision == incident.PrecisionMonth {
		return c1.Date.Equal(c2.Date)
	}
	return true
}

// anaphoricDay resolves "the same day", "the next day" and "the day
// before" against the day of the incident reported just before, adding
// the date to the sentence's dates. It returns nil when the sentence has
// no such phrase.
func anaphoricDay(text string, prev *dateExpr, in *sentInfo) *dateExpr {
	l := strings.ToLower(text)
	for _, a := range []struct {
		phrase string
		days   int
	}{
		{"the same day", 0}, {"that same day", 0}, {"on the same day", 0}, {"hours later", 0}, {"later that day", 0},
		{"the next day", 1}, {"the following day", 1}, {"a day later", 1},
		{"the day before", -1}, {"the previous day", -1}, {"a day earlier", -1},
	} {
		if k := strings.Index(l, a.phrase); k >= 0 {
			d := dateExpr{Start: k, End: k + len(a.phrase), Text: text[k : k+len(a.phrase)], Date: prev.Date.AddDate(0, 0, a.days),
				Precision: incident.PrecisionDay}
			in.dates = append(in.dates, d)
			return &in.dates[len(in.dates)-1]
		}
	}
	return nil
}
