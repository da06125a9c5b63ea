package interchange

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// exportFixture fills a store with generated ACLED rows plus one incident
// whose text needs escaping everywhere, and one polygon.
func exportFixture(t *testing.T) *store.Store {
	t.Helper()
	st := openStore(t)
	importString(t, st, FormatACLED, acledCSV(60, 5))
	_, err := st.Insert(context.Background(), []incident.Incident{{
		EventDate: "2020-05-01", EventType: incident.Protests, SubEventType: "Peaceful protest",
		Location: `Tom & Jerry's <"square">`, Notes: "a ]]> b < c & d\x01e", Country: "AF",
		Geometry: orb.Polygon{{{64, 32}, {65, 32}, {65, 33}, {64, 33}, {64, 32}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// ogrinfo runs GDAL's ogrinfo, skipping the test when it is not installed.
func ogrinfo(t *testing.T, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not found: install gdal-bin to check exports with GDAL")
	}
	out, err := exec.Command("ogrinfo", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func TestKMLIsWellFormed(t *testing.T) {
	st := exportFixture(t)
	out := exportString(t, st, FormatKML)
	dec := xml.NewDecoder(strings.NewReader(out))
	placemarks := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("KML is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Placemark" {
			placemarks++
		}
	}
	if placemarks != 61 {
		t.Errorf("%d placemarks, want 61", placemarks)
	}
	if !strings.Contains(out, "Tom &amp; Jerry&#39;s &lt;&#34;square&#34;&gt;") {
		t.Errorf("location not escaped in the KML")
	}
}

func TestExportGPKGAndKMLWithOGR(t *testing.T) {
	st := exportFixture(t)
	dir := t.TempDir()

	gpkg := filepath.Join(dir, "out.gpkg")
	n, err := ExportGPKGFile(context.Background(), st, store.Query{Countries: []string{"AF"}}, gpkg)
	if err != nil {
		t.Fatal(err)
	}
	wantAF, _ := st.Count(context.Background(), store.Query{Countries: []string{"AF"}})
	if n != wantAF || n == 0 {
		t.Fatalf("gpkg export wrote %d incidents, want %d", n, wantAF)
	}
	info := ogrinfo(t, "-so", "-al", gpkg)
	if !strings.Contains(info, "Feature Count: "+itoa(incident.Int(int(n)))) {
		t.Errorf("ogrinfo on the GeoPackage does not report %d features:\n%s", n, info)
	}
	for _, w := range []string{"Warning", "ERROR"} {
		if strings.Contains(info, w) {
			t.Errorf("ogrinfo on the GeoPackage prints %s:\n%s", w, info)
		}
	}
	// The snapshot keeps no settings: the write token stays on the server.
	snap, err := store.Open(context.Background(), gpkg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snap.Setting(context.Background(), "token"); err == nil {
		t.Errorf("the snapshot holds a token setting")
	}
	snap.Close()

	var kml bytes.Buffer
	if _, err := Export(context.Background(), st, store.Query{}, FormatKML, &kml, ""); err != nil {
		t.Fatal(err)
	}
	kmlPath := filepath.Join(dir, "out.kml")
	os.WriteFile(kmlPath, kml.Bytes(), 0o644)
	info = ogrinfo(t, "-al", kmlPath)
	if m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(info); m == nil || m[1] != "61" {
		t.Errorf("ogrinfo on the KML: feature count %v, want 61:\n%.2000s", m, info)
	}
	if !strings.Contains(info, `Tom & Jerry's <"square">`) || !strings.Contains(info, "event_type (String) = Battles") && !strings.Contains(info, "event_type (String)") {
		t.Errorf("ogrinfo on the KML lacks the escaped location or the typed fields:\n%.3000s", info)
	}
}

// TestExportFiltersAndGeometries checks that export filters apply and that
// a non-point incident survives CSV as WKT.
func TestExportFiltersAndGeometries(t *testing.T) {
	st := exportFixture(t)
	out := exportString(t, st, FormatCSV)
	b := openStore(t)
	rep := importString(t, b, FormatACLED, out)
	if rep.Inserted != 61 || rep.Rejected != 0 {
		t.Fatalf("CSV re-import: %+v", rep)
	}
	var poly orb.Geometry
	b.Query(context.Background(), store.Query{Text: "Jerry"}, func(in *incident.Incident) error {
		poly = in.Geometry
		return nil
	})
	if _, ok := poly.(orb.Polygon); !ok {
		t.Errorf("the polygon came back as %T", poly)
	}
	var buf bytes.Buffer
	bb := geo.BBox{MinLon: 60, MinLat: 29, MaxLon: 75, MaxLat: 39}
	n, err := Export(context.Background(), st, store.Query{BBox: &bb}, FormatGeoJSON, &buf, "")
	want, _ := st.Count(context.Background(), store.Query{BBox: &bb})
	if err != nil || n != want || strings.Count(buf.String(), `"type":"Feature"`) != int(want) {
		t.Errorf("bbox export: %d incidents (%v), want %d", n, err, want)
	}
}
