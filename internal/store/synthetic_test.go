package store_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
)

// hotspots are conflict areas the synthetic incidents cluster around, with a
// weight: real conflict data is dense in a few regions and sparse elsewhere.
var hotspots = []struct {
	lon, lat, spread, weight float64
	country                  string
}{
	{64.5, 32.0, 1.5, 30, "AF"}, {69.2, 34.5, 1.0, 10, "AF"}, {44.4, 33.3, 1.2, 15, "IQ"},
	{37.0, 36.2, 1.0, 15, "SY"}, {13.2, 11.8, 1.5, 10, "NG"}, {45.3, 2.0, 1.5, 10, "SO"},
	{31.6, 47.0, 2.0, 20, "UA"}, {29.0, -1.5, 1.0, 8, "CD"}, {-1.5, 13.5, 2.0, 8, "BF"},
	{125.0, 7.0, 1.5, 5, "PH"}, {-75.5, 6.2, 1.5, 5, "CO"}, {30.2, 13.2, 2.0, 10, "SD"},
}

// synthetic returns n incidents spread like real conflict data: 95% around
// weighted hotspots (normally distributed), 5% anywhere on land-ish latitudes.
func synthetic(rng *rand.Rand, n int) []incident.Incident {
	total := 0.0
	for _, h := range hotspots {
		total += h.weight
	}
	types := incident.EventTypes()
	out := make([]incident.Incident, n)
	for i := range out {
		var lon, lat float64
		country := "XX"
		if rng.Float64() < 0.95 {
			w := rng.Float64() * total
			for _, h := range hotspots {
				if w -= h.weight; w <= 0 {
					lon = clamp(h.lon+rng.NormFloat64()*h.spread, -180, 180)
					lat = clamp(h.lat+rng.NormFloat64()*h.spread, -90, 90)
					country = h.country
					break
				}
			}
		} else {
			lon, lat = rng.Float64()*360-180, rng.Float64()*120-55
		}
		day := rng.IntN(3650)
		y, m, d := 2015+day/365, 1+(day%365)/31, 1+day%28
		out[i] = incident.Incident{
			EventDate:  fmt.Sprintf("%04d-%02d-%02d", y, min(m, 12), d),
			EventType:  types[rng.IntN(len(types))],
			Actor1:     "Actor " + string(rune('A'+rng.IntN(20))),
			Fatalities: incident.Int(int(math.Floor(rng.ExpFloat64() * 3))),
			Location:   fmt.Sprintf("Place %d", rng.IntN(5000)),
			Country:    country,
			Notes:      "synthetic incident for tests and benchmarks",
			Geometry:   orb.Point{lon, lat},
		}
		if country == "XX" {
			out[i].Country = ""
		}
		// Admin1 areas are 2° cells, a tenth of incidents name none; drawn
		// from the place rather than rng, so that the rest stays as it was.
		if cell := int(math.Floor(lon*10)) % 10; cell != 0 {
			out[i].Admin1 = fmt.Sprintf("Cell %d %d", int(math.Floor(lon/2)), int(math.Floor(lat/2)))
		}
	}
	return out
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
