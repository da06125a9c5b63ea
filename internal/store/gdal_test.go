package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not installed (apt-get install gdal-bin); skipping the GDAL check")
	}
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
