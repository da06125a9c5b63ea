// Command gazpoints prints the built-in gazetteer's countries and populated
// places as tab-separated lines "level, ISO alpha-2, longitude, latitude"
// (level "country" or "place"), for web/build/isocodes.mjs, which matches
// them to the basemap's country shapes.
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"

	"github.com/incidentmap/incidentmap/gazetteer"
)

func main() {
	g, err := gazetteer.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	out := bufio.NewWriter(os.Stdout)
	levels := map[gazetteer.Level]string{gazetteer.LevelCountry: "country", gazetteer.LevelPlace: "place"}
	g.Each(func(p gazetteer.Place) bool {
		if level, ok := levels[p.Level]; ok && p.Country != "" {
			fmt.Fprintf(out, "%s\t%s\t%g\t%g\n", level, p.Country, p.Point.Lon(), p.Point.Lat())
		}
		return true
	})
	if err := out.Flush(); err != nil {
		log.Fatal(err)
	}
}
