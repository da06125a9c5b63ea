package extract_test

import (
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// Text that reports no event in English gives no incident and says why.
func TestBadInputNoIncident(t *testing.T) {
	ex := extract.New(builtin(t))
	for _, c := range []struct{ name, text, reason string }{
		{"French", "Des hommes armés ont attaqué un poste de police à Kidal samedi, tuant trois gendarmes, selon l'armée malienne.", "not English"},
		{"Spanish", "Unos manifestantes protestaron en Caracas contra el gobierno el lunes; la policía dispersó la protesta con gases lacrimógenos.", "not English"},
		{"table of numbers", "Kabul 12 14 16\nKandahar 3 4 5\nHerat 7 8 9\nMazar 1 2 3", "no violent event"},
		{"table with event words in its header", "District | Killed | Injured ; Kabul | 12 | 30 ; Kandahar | 4 | 9 ; Herat | 2 | 5", "gives figures"},
		{"tally place by place", "Deaths recorded last year: Helmand 340 killed, Kandahar 210 killed, Kabul 120 killed, Herat 80 killed.", "gives figures"},
		{"list of places", "Kabul, Kandahar, Herat, Mazar-i-Sharif, Jalalabad, Kunduz, Ghazni, Lashkar Gah, Bamiyan, Khost, Gardez, Farah, Zaranj.", "no violent event"},
		{"no event", "The weather in Kabul was mild on Tuesday and the markets were busy with shoppers.", "no violent event"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ex.Extract(extract.Article{Text: c.text, Published: "2024-01-10"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Incidents) != 0 || !strings.Contains(res.Reason, c.reason) {
				t.Errorf("%d incidents, reason %q; want none and a reason with %q", len(res.Incidents), res.Reason, c.reason)
			}
		})
	}
}
