package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/store"
)

// qgisPython is the interpreter PyQGIS is installed for (Debian's
// python3-qgis).
const qgisPython = "/usr/bin/python3"

// TestQGISLoadsServiceAndTiles runs QGIS itself, headless (PyQGIS,
// testdata/qgis_check.py), against the real router: it must find the
// incidents and places collections over OGC API - Features valid, with
// every field and every feature, and draw the incidents where they are
// from the vector tiles.
func TestQGISLoadsServiceAndTiles(t *testing.T) {
	if err := exec.Command(qgisPython, "-c", "import qgis.core").Run(); err != nil {
		t.Skip("PyQGIS is not installed (apt-get install python3-qgis): QGIS cannot be tested")
	}
	gaz := builtinGazetteer(t)
	srv, ins, requests := gdalServer(t, 12, gaz)
	var points [][2]float64
	for _, in := range ins {
		p := in.Geometry.(orb.Point)
		points = append(points, [2]float64{p[0], p[1]})
	}
	arg, err := json.Marshal(points)
	if err != nil {
		t.Fatal(err)
	}
	// A box around the first incident: reading it pages through a few
	// dozen places, not the gazetteer's 228,875.
	box := orb.Bound{Min: orb.Point{points[0][0] - 0.5, points[0][1] - 0.5}, Max: orb.Point{points[0][0] + 0.5, points[0][1] + 0.5}}
	wantIncidents, wantPlaces := 0, 0
	for _, p := range points {
		if box.Contains(orb.Point(p)) {
			wantIncidents++
		}
	}
	gaz.Each(func(p gazetteer.Place) bool {
		if box.Contains(p.Point) {
			wantPlaces++
		}
		return true
	})
	boxArg := fmt.Sprintf("[%g, %g, %g, %g]", box.Min[0], box.Min[1], box.Max[0], box.Max[1])
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	runtime := filepath.Join(t.TempDir(), "xdg")
	if err := os.Mkdir(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, qgisPython, "testdata/qgis_check.py", srv.URL, string(arg), boxArg)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR="+runtime)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qgis_check.py: %v\n%s", err, out)
	}
	t.Logf("QGIS says: %s", out)
	var res struct {
		Incidents, Places struct {
			Valid    bool
			Fields   []string
			Count    int
			InBox    int `json:"in_box"`
			Geometry string
			Error    string
		}
		Tiles struct {
			Valid        bool
			Drawn        int
			Blank        int
			BlankChecked int `json:"blank_checked"`
			Errors       []string
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("qgis_check.py printed no JSON: %v\n%s", err, out)
	}
	if !res.Incidents.Valid || res.Incidents.Count != len(ins) || res.Incidents.InBox != wantIncidents {
		t.Errorf("incidents: valid %v, %d features (want %d), %d in the box (want %d): %s",
			res.Incidents.Valid, res.Incidents.Count, len(ins), res.Incidents.InBox, wantIncidents, res.Incidents.Error)
	}
	for _, q := range store.Queryables() {
		if q.Name != "geometry" && !slices.Contains(res.Incidents.Fields, q.Name) {
			t.Errorf("QGIS's incidents layer lacks the field %q (it has %v)", q.Name, res.Incidents.Fields)
		}
	}
	if !res.Places.Valid || res.Places.Count != gaz.Len() || res.Places.InBox != wantPlaces || !slices.Contains(res.Places.Fields, "population") {
		t.Errorf("places: valid %v, %d features (want %d), %d in the box (want %d), fields %v: %s",
			res.Places.Valid, res.Places.Count, gaz.Len(), res.Places.InBox, wantPlaces, res.Places.Fields, res.Places.Error)
	}
	if !res.Tiles.Valid || res.Tiles.Drawn != len(ins) || res.Tiles.Blank != res.Tiles.BlankChecked || len(res.Tiles.Errors) > 0 {
		t.Errorf("vector tiles: valid %v, %d of %d incidents drawn, %d of %d empty places blank, errors %v",
			res.Tiles.Valid, res.Tiles.Drawn, len(ins), res.Tiles.Blank, res.Tiles.BlankChecked, res.Tiles.Errors)
	}
	tileRequests := 0
	for _, r := range requests() {
		if len(r) > len("/tiles/incidents/") && r[:len("/tiles/incidents/")] == "/tiles/incidents/" {
			tileRequests++
		}
	}
	if tileRequests == 0 {
		t.Error("QGIS asked for no tile")
	}
}
