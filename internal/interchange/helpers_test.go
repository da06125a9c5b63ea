package interchange

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/store"
)

// openStore opens a fresh store in a temporary directory.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// sharedDir returns the shared data directory (INCIDENTMAP_SHARED, or
// ../shared beside the repository root), skipping the test when absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("INCIDENTMAP_SHARED")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; d != filepath.Dir(d); d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(filepath.Dir(d), "shared")
				break
			}
		}
	}
	if _, err := os.Stat(dir); dir == "" || err != nil {
		t.Skipf("shared data directory %q not found: set INCIDENTMAP_SHARED to run this test", dir)
	}
	return dir
}

// acledPlaces are real towns with their admin1 and country, for generated
// rows that must pass the country check.
var acledPlaces = []struct {
	location, admin1, country string
	lat, lon                  float64
}{
	{"Musa Qala", "Helmand", "Afghanistan", 32.4522, 64.7495},
	{"Kandahar", "Kandahar", "Afghanistan", 31.6133, 65.7101},
	{"Aleppo", "Aleppo", "Syria", 36.2021, 37.1343},
	{"Maiduguri", "Borno", "Nigeria", 11.8464, 13.1603},
	{"Goma", "Nord-Kivu", "Democratic Republic of Congo", -1.6792, 29.2228},
	{"Kharkiv", "Kharkivska", "Ukraine", 49.9935, 36.2304},
	{"Mogadishu", "Banadir", "Somalia", 2.0469, 45.3182},
	{"Bamako", "Bamako", "Mali", 12.6392, -8.0029},
}

// acledTypes pairs event and sub-event types for generated rows.
var acledTypes = [][2]string{
	{"Battles", "Armed clash"},
	{"Explosions/Remote violence", "Air/drone strike"},
	{"Violence against civilians", "Attack"},
	{"Protests", "Peaceful protest"},
	{"Riots", "Mob violence"},
	{"Strategic developments", "Arrests"},
}

// acledHeader is the header of a recent ACLED export.
const acledHeader = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"

// acledCSV generates n ACLED-format rows (recent columns) with varied
// fields, quotes and commas inside notes, every 50th row repeated exactly.
func acledCSV(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString(acledHeader + "\n")
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	for i := 0; i < n; i++ {
		p := acledPlaces[r.IntN(len(acledPlaces))]
		et := acledTypes[r.IntN(len(acledTypes))]
		day, month, year := 1+r.IntN(28), 1+r.IntN(12), 1997+r.IntN(28)
		var date string
		switch i % 3 {
		case 0:
			date = fmt.Sprintf("%04d-%02d-%02d", year, month, day)
		case 1:
			date = fmt.Sprintf("%02d-%s-%04d", day, months[month-1], year)
		default:
			date = fmt.Sprintf("%d %s %d", day, months[month-1], year)
		}
		iso := map[string]int{"Afghanistan": 4, "Syria": 760, "Nigeria": 566, "Democratic Republic of Congo": 180, "Ukraine": 804, "Somalia": 706, "Mali": 466}[p.country]
		row := fmt.Sprintf(`GEN%d,%s,%d,%d,Political violence,%s,%s,Actor %d,,1,Civilians (%s),,7,17,,%d,Region,"%s",%s,District %d,,%s,%.4f,%.4f,%d,"Reuters; Local source %d",National,"Notes %d: ""quoted"", with a comma, and a line
break",%d,%s,1700000000`,
			i, date, year, 1+r.IntN(3), et[0], et[1], r.IntN(20), p.country, iso, p.country, p.admin1, r.IntN(9),
			p.location, p.lat+r.Float64()*0.01, p.lon+r.Float64()*0.01, 1+r.IntN(3), i, i, r.IntN(30),
			[]string{"", "crowd size=no report", "women targeted: girls"}[r.IntN(3)])
		b.WriteString(row + "\n")
		if i%50 == 49 {
			b.WriteString(row + "\n")
		}
	}
	return b.String()
}

func orbPoint(lon, lat float64) orb.Point { return orb.Point{lon, lat} }
