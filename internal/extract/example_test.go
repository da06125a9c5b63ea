package extract_test

import (
	"fmt"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/extract"
)

func ExampleExtractor_Extract() {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	arts, err := extract.ParseArticles([]byte("date 2023-05-12\n"+
		"Two policemen were killed when militants attacked a checkpoint in Bannu district on Thursday, officials said."), extract.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := extract.New(gaz).Extract(arts[0])
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range res.Incidents {
		fmt.Println(in.Location, in.Admin1, in.Country, in.GeoPrecision, in.EventDate, *in.Fatalities, in.EventType)
	}
	// Output:
	// Bannu Khyber Pakhtunkhwa PK 2 2023-05-11 2 Battles
}

func ExampleExtractor_Geoparse() {
	gaz, err := gazetteer.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range extract.New(gaz).Geoparse("Shelling hit Kharkiv, Ukrainian officials said.") {
		fmt.Println(m.Text, m.Start, m.End, m.Kind, m.Place.Country, m.Place.Level)
	}
	// Output:
	// Kharkiv 13 20 name UA place
	// Ukrainian 22 31 demonym UA country
}
