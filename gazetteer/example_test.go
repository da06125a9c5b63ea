package gazetteer_test

import (
	"fmt"
	"log"

	"github.com/incidentmap/incidentmap/gazetteer"
)

func ExampleNormalize() {
	for _, s := range []string{"Mūsá Qal‘ah", "Musa Qal'ah", "ar-Raqqa", "U.S."} {
		fmt.Println(gazetteer.Normalize(s))
	}
	// Output:
	// musa qalah
	// musa qalah
	// al raqqa
	// us
}

func ExampleGazetteer_Lookup() {
	g, err := gazetteer.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []string{"Musa Kala", "Helmand province", "Musa Qala district"} {
		cands, err := g.Lookup(q, gazetteer.Hints{})
		if err != nil {
			log.Fatal(err)
		}
		p := cands[0].Place
		fmt.Printf("%s → %s %s (%s, %s)\n", q, p.ID, p.Level, p.Admin1, p.Country)
	}
	cands, _ := g.Lookup("Hyderabad", gazetteer.Hints{Country: "PK"})
	fmt.Println("Hyderabad, PK →", cands[0].Place.ID, cands[0].Place.Admin1)
	// Output:
	// Musa Kala → geonames:1132604 place (Helmand, AF)
	// Helmand province → geonames-admin1:AF.10 admin1 (Helmand, AF)
	// Musa Qala district → geonames-admin2:AF.10.2304 admin2 (Helmand, AF)
	// Hyderabad, PK → geonames:1176734 Sindh
}

func ExampleGazetteer_Reverse() {
	g, err := gazetteer.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	h, err := g.Reverse(32.44565, 64.74486)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Country.Name, "/", h.Admin1.Name, "/", h.Admin2.ID, "/", h.Nearest.Name)
	// Output:
	// Afghanistan / Helmand / geonames-admin2:AF.10.2304 / Mūsá Qal‘ah
}

func ExampleGazetteer_Known() {
	g, err := gazetteer.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	for _, words := range []string{"Musa Qala", "Afghan", "Xqzzvwk"} {
		info := g.Known(gazetteer.Normalize(words))
		fmt.Printf("%s: known=%v demonym-only=%v\n", words, info.Places > 0, info.Kinds.Only(gazetteer.KindDemonym))
	}
	// Output:
	// Musa Qala: known=true demonym-only=false
	// Afghan: known=true demonym-only=true
	// Xqzzvwk: known=false demonym-only=false
}
