package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/geo"
	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// TestGDALReadsStore opens a database written by the store with GDAL's
// ogrinfo, as a GIS analyst would, and checks the layer, its geometry type,
// feature count and extent, that GDAL prints no warning, and that GDAL's
// spatial filter returns the same incidents as our bbox query.
func TestGDALReadsStore(t *testing.T) {
	needGDAL(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gdal.gpkg")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ins := synthetic(rand.New(rand.NewPCG(1, 2)), 2000)
	ins = append(ins, incident.Incident{EventDate: "2020-05-01", Location: "district polygon",
		Geometry: orb.Polygon{{{64.5, 32.2}, {65.0, 32.2}, {65.0, 32.7}, {64.5, 32.7}, {64.5, 32.2}}}})
	if _, err := s.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	// A delete and an update exercise the R*Tree triggers too.
	var victim, moved string
	s.Query(ctx, store.Query{Limit: 2}, func(in *incident.Incident) error {
		if victim == "" {
			victim = in.ID
		} else {
			moved = in.ID
		}
		return nil
	})
	if err := s.Delete(ctx, victim); err != nil {
		t.Fatal(err)
	}
	m, _ := s.Get(ctx, moved)
	m.Geometry = orb.Point{10.5, 20.25}
	if _, err := s.Update(ctx, m); err != nil {
		t.Fatal(err)
	}
	want, _, err := s.Extent(ctx, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	box := geo.BBox{MinLon: 60, MinLat: 30, MaxLon: 70, MaxLat: 36}
	var wantIDs []string
	if _, err := s.Query(ctx, store.Query{BBox: &box}, func(in *incident.Incident) error {
		wantIDs = append(wantIDs, in.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	out, stderr := run(t, "ogrinfo", "-so", path, "incidents")
	if stderr != "" {
		t.Errorf("ogrinfo printed warnings:\n%s", stderr)
	}
	for _, line := range []string{"Layer name: incidents", "Geometry: Unknown (any)", fmt.Sprintf("Feature Count: %d", len(ins)-1), "FID Column = fid", "Geometry Column = geom"} {
		if !strings.Contains(out, line) {
			t.Errorf("ogrinfo -so lacks %q:\n%s", line, out)
		}
	}
	ext := regexp.MustCompile(`Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)`).FindStringSubmatch(out)
	if ext == nil {
		t.Fatalf("no extent in:\n%s", out)
	}
	for i, w := range []float64{want.Min[0], want.Min[1], want.Max[0], want.Max[1]} {
		got, _ := strconv.ParseFloat(ext[i+1], 64)
		if math.Abs(got-w) > 1e-6 {
			t.Errorf("extent value %d: GDAL %v, store %v", i, got, w)
		}
	}

	csv, stderr := run(t, "ogr2ogr", "-f", "CSV", "/vsistdout/", path, "incidents", "-select", "id",
		"-spat", "60", "30", "70", "36")
	if stderr != "" {
		t.Errorf("ogr2ogr printed warnings:\n%s", stderr)
	}
	var gotIDs []string
	for i, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		if i > 0 { // the first line is the header
			id, _, _ := strings.Cut(line, ",")
			gotIDs = append(gotIDs, strings.Trim(id, `"`))
		}
	}
	slices.Sort(gotIDs)
	slices.Sort(wantIDs)
	if len(wantIDs) < 50 || !slices.Equal(gotIDs, wantIDs) {
		for _, id := range gotIDs {
			if !slices.Contains(wantIDs, id) {
				t.Logf("only GDAL: %s", id)
			}
		}
		for _, id := range wantIDs {
			if !slices.Contains(gotIDs, id) {
				t.Logf("only ours: %s", id)
			}
		}
		t.Fatalf("GDAL -spat returned %d incidents, our bbox query %d", len(gotIDs), len(wantIDs))
	}

	check, _ := run(t, "ogrinfo", "-q", path, "-sql", "SELECT COUNT(*) FROM rtree_incidents_geom")
	if !strings.Contains(check, fmt.Sprintf("= %d", len(ins)-1)) {
		t.Errorf("R*Tree entries: %s", check)
	}
}

// needGDAL skips t when GDAL's command-line tools are not installed.
func needGDAL(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not installed (apt-get install gdal-bin); skipping the GDAL check")
	}
}

func run(t *testing.T, name string, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// TestGDALListsOnlyLayers checks that GDAL (and so QGIS) lists the
// incidents layer and the change history, and none of the internal tables:
// the schema, settings, keys, audit trail, nor a table another part of the
// program adds later (the ingested articles, an imported gazetteer). Before
// the change history was registered as 'attributes', GDAL listed them all.
func TestGDALListsOnlyLayers(t *testing.T) {
	needGDAL(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "layers.gpkg")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ins := synthetic(rand.New(rand.NewPCG(3, 4)), 20)
	if _, err := s.Insert(store.WithActor(ctx, store.Actor{Name: "alice", Remote: "192.0.2.7", Action: "import"}), ins); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "CREATE TABLE gazetteer_like_later_table (k TEXT PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	out, stderr := run(t, "ogrinfo", "-ro", path)
	if stderr != "" {
		t.Errorf("ogrinfo printed warnings:\n%s", stderr)
	}
	layers := regexp.MustCompile(`(?m)^\d+: (\S+)`).FindAllStringSubmatch(out, -1)
	var names []string
	for _, l := range layers {
		names = append(names, l[1])
	}
	if want := []string{"incidents", "incidentmap_changes"}; !slices.Equal(names, want) {
		t.Errorf("GDAL lists layers %v, want %v:\n%s", names, want, out)
	}

	out, _ = run(t, "ogrinfo", "-ro", "-al", "-q", path, "incidentmap_changes")
	if got := strings.Count(out, "change (String) = insert"); got != len(ins) {
		t.Errorf("the change history shows %d inserts, want %d:\n%s", got, len(ins), out)
	}
	if !strings.Contains(out, "actor (String) = alice") || strings.Contains(out, "192.0.2.7") {
		t.Errorf("the change history should name the actor and not the address:\n%s", out)
	}
}

// TestGDALFeatureCount checks the feature count GDAL keeps in
// gpkg_ogr_contents (QGIS reads it through GDAL) through the store's
// inserts and deletes, a GDAL append and a GDAL delete: the stored count
// stays the table's, GDAL finds both of its triggers, writes without a
// warning, and reports the count with and without a filter.
func TestGDALFeatureCount(t *testing.T) {
	needGDAL(t)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "count.gpkg")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ins := synthetic(rand.New(rand.NewPCG(5, 6)), 300)
	if _, err := s.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	var ids []string
	s.Query(ctx, store.Query{Limit: 7}, func(in *incident.Incident) error {
		ids = append(ids, in.ID)
		return nil
	})
	for _, id := range ids {
		if err := s.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	checkFeatureCount(t, s, len(ins)-len(ids))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// GDAL appends two incidents and deletes one through its own layer API.
	add := filepath.Join(dir, "add.geojson")
	writeFile(t, add, `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[64.8,32.3]},"properties":{"id":"gdal-1","event_date":"2024-01-02","created":"2024-01-02T00:00:00Z","updated":"2024-01-02T00:00:00Z"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[69.2,34.5]},"properties":{"id":"gdal-2","event_date":"2024-01-03","created":"2024-01-03T00:00:00Z","updated":"2024-01-03T00:00:00Z"}}]}`)
	if _, stderr := run(t, "ogr2ogr", "-update", "-append", "-nln", "incidents", path, add); stderr != "" {
		t.Errorf("ogr2ogr -append printed warnings:\n%s", stderr)
	}
	if _, stderr := run(t, "ogrinfo", "-q", path, "-sql", "DELETE FROM incidents WHERE id = 'gdal-1'"); stderr != "" {
		t.Errorf("ogrinfo DELETE printed warnings:\n%s", stderr)
	}
	want := len(ins) - len(ids) + 1

	cmd := exec.Command("ogrinfo", "-ro", "-so", path, "incidents", "--config", "CPL_DEBUG", "GPKG")
	debug, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, debug)
	}
	if strings.Contains(string(debug), "feature_count triggers") {
		t.Errorf("GDAL misses its feature count triggers:\n%s", debug)
	}
	if !strings.Contains(string(debug), fmt.Sprintf("Feature Count: %d\n", want)) {
		t.Errorf("GDAL reports a count other than %d:\n%s", want, debug)
	}
	out, _ := run(t, "ogrinfo", "-ro", "-so", path, "incidents", "-where", "id LIKE 'gdal-%'")
	if !strings.Contains(out, "Feature Count: 1\n") {
		t.Errorf("filtered count, want 1:\n%s", out)
	}

	s, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkFeatureCount(t, s, want)
	if err := s.Delete(ctx, "gdal-2"); err != nil {
		t.Fatal(err)
	}
	checkFeatureCount(t, s, want-1)

	// A GeoPackage export counts the incidents copied into it.
	snap := filepath.Join(dir, "export.gpkg")
	box := geo.BBox{MinLon: 60, MinLat: 30, MaxLon: 70, MaxLat: 36}
	q := store.Query{BBox: &box}
	n, err := s.Count(ctx, q)
	if err != nil || n == 0 || n == int64(want-1) {
		t.Fatalf("Count: %d, %v", n, err)
	}
	if err := s.Snapshot(ctx, snap, q); err != nil {
		t.Fatal(err)
	}
	e, err := store.Open(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	checkFeatureCount(t, e, int(n))
}

// checkFeatureCount fails t unless gpkg_ogr_contents holds want incidents,
// as the table does.
func checkFeatureCount(t *testing.T, s *store.Store, want int) {
	t.Helper()
	var stored, rows int
	if err := s.DB().QueryRow(`SELECT (SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'incidents'),
		(SELECT COUNT(*) FROM incidents)`).Scan(&stored, &rows); err != nil {
		t.Fatal(err)
	}
	if stored != want || rows != want {
		t.Errorf("gpkg_ogr_contents says %d incidents, the table has %d, want %d", stored, rows, want)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGeoPackageConforms runs GDAL's GeoPackage validator (validate_gpkg.py,
// in Debian's python3-gdal) on a file the store wrote, with points, a
// polygon, deletions and the change history, so that no migration leaves
// the file short of the standard: the layer's declared type matches its
// column and rows (requirements 31 and 32), the registered view and
// gpkg_ogr_contents are as GDAL expects. The insert is large enough for
// the store's bulk path (R*Tree, audit and feature count written once per
// transaction).
func TestGeoPackageConforms(t *testing.T) {
	python := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import osgeo_utils.samples.validate_gpkg").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("GDAL's validate_gpkg.py not importable (apt-get install python3-gdal); skipping the conformance check")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "conform.gpkg")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ins := append(synthetic(rand.New(rand.NewPCG(7, 8)), 1000), incident.Incident{EventDate: "2020-05-01", Location: "district polygon",
		Geometry: orb.Polygon{{{64.5, 32.2}, {65.0, 32.2}, {65.0, 32.7}, {64.5, 32.7}, {64.5, 32.2}}}})
	if _, err := s.Insert(ctx, ins); err != nil {
		t.Fatal(err)
	}
	var gone []string
	s.Query(ctx, store.Query{Limit: 3}, func(in *incident.Incident) error {
		gone = append(gone, in.ID)
		return nil
	})
	for _, id := range gone {
		if err := s.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// A GeoPackage export is built with its indexes and triggers held back
	// while the rows are copied in: it must conform as well.
	snap := filepath.Join(t.TempDir(), "export.gpkg")
	if err := s.Snapshot(ctx, snap, store.Query{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, snap} {
		cmd := exec.Command(python, "-m", "osgeo_utils.samples.validate_gpkg", "-k", p)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("validate_gpkg.py %s: %v\n%s", filepath.Base(p), err, out)
		}
	}
}
