package learn

import (
	"reflect"
	"testing"

	"github.com/incidentmap/incidentmap/internal/eval"
)

func TestSameText(t *testing.T) {
	a, b := eval.Span{Start: 0, End: 4}, eval.Span{Start: 10, End: 15}
	sents := []eval.EventSentence{
		{ID: "1", Text: "Troops shelled Kobo and stormed Dessie.", EventLocations: []eval.Span{a}},
		{ID: "2", Text: "Protesters marched in Gondar.", EventLocations: nil},
		{ID: "3", Text: "Troops shelled Kobo and stormed Dessie.", EventLocations: []eval.Span{b}},
		{ID: "4", Text: "A bomb hit Adama.", EventLocations: []eval.Span{a}},
	}
	got := sameText(sents)
	type merged struct {
		text    string
		places  []eval.Span
		records int
	}
	var gotM []merged
	for _, m := range got {
		gotM = append(gotM, merged{m.Text, m.EventLocations, m.records})
	}
	want := []merged{
		{"Troops shelled Kobo and stormed Dessie.", []eval.Span{a, b}, 2},
		{"A bomb hit Adama.", []eval.Span{a}, 1},
	}
	if !reflect.DeepEqual(gotM, want) {
		t.Errorf("got %+v, want %+v", gotM, want)
	}
	if len(sents[0].EventLocations) != 1 {
		t.Errorf("the first record's places were changed: %v", sents[0].EventLocations)
	}
}
