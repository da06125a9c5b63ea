package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportExportCommands runs the commands as a user would: import an
// ACLED file, export it as CSV, import that into a second database, and
// compare the GeoJSON exports of both.
func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "SYR%d,%d March 2021,1,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria,Syria,Idlib,Ariha,35.81,36.6%d,1,SOHR,\"Shelling, \"\"heavy\"\"\",%d\n", i, 1+i%28, i%10, i%4)
	}
	b.WriteString("BAD,2021-02-30,1,Battles,,A,Syria,Idlib,Ariha,35.81,36.61,1,SOHR,bad date,0\n")
	acled := filepath.Join(dir, "acled.csv")
	os.WriteFile(acled, []byte(b.String()), 0o644)
	db1, db2 := filepath.Join(dir, "one.gpkg"), filepath.Join(dir, "two.gpkg")
	ctx := context.Background()

	var out, errOut bytes.Buffer
	report := filepath.Join(dir, "report.json")
	if err := runImport(ctx, []string{"--db", db1, "--format", "acled", "--no-gazetteer", "--report", report, acled}, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "40 inserted") || !strings.Contains(out.String(), "1 rejected") ||
		!strings.Contains(errOut.String(), "row 42: event_date") {
		t.Errorf("import output:\n%s\n%s", out.String(), errOut.String())
	}
	var reps []struct {
		Rejected   int `json:"rejected"`
		Rejections []struct {
			Row int `json:"row"`
		} `json:"rejections"`
	}
	if data, err := os.ReadFile(report); err != nil || json.Unmarshal(data, &reps) != nil || len(reps) != 1 || reps[0].Rejections[0].Row != 42 {
		t.Errorf("report file: %v %+v", err, reps)
	}
	exported := filepath.Join(dir, "out.csv")
	if err := runExport(ctx, []string{"--db", db1, "--format", "csv", "-o", exported}, &out, &errOut); err != nil {
		t.Fatalf("export: %v", err)
	}
	out.Reset()
	if err := runImport(ctx, []string{"--db", db2, "--format", "acled", "--no-gazetteer", exported}, &out, &errOut); err != nil || !strings.Contains(out.String(), "40 inserted") {
		t.Fatalf("import of the export: %v\n%s", err, out.String())
	}
	geojson := func(db string, filters ...string) string {
		var o bytes.Buffer
		if err := runExport(ctx, append([]string{"--db", db, "--format", "geojson"}, filters...), &o, &errOut); err != nil {
			t.Fatalf("export geojson: %v", err)
		}
		// Timestamps differ between the databases; the rest must not.
		var fc struct{ Features []map[string]any }
		json.Unmarshal(o.Bytes(), &fc)
		for _, f := range fc.Features {
			p := f["properties"].(map[string]any)
			delete(p, "created")
			delete(p, "updated")
		}
		s, _ := json.Marshal(fc)
		return string(s)
	}
	if a, b := geojson(db1), geojson(db2); a != b || strings.Count(a, `"Feature"`) != 40 {
		t.Errorf("the databases differ after the round trip:\n%.500s\n%.500s", a, b)
	}
	if got := strings.Count(geojson(db1, "--min-fatalities", "3"), `"Feature"`); got != 10 {
		t.Errorf("--min-fatalities 3 exported %d, want 10", got)
	}

	gpkg := filepath.Join(dir, "snap.gpkg")
	if err := runExport(ctx, []string{"--db", db1, "--format", "gpkg", "-o", gpkg, "--country", "SY"}, &out, &errOut); err != nil {
		t.Fatalf("export gpkg: %v", err)
	}
	if fi, err := os.Stat(gpkg); err != nil || fi.Size() == 0 {
		t.Errorf("gpkg export: %v", err)
	}
	for _, args := range [][]string{
		{"--format", "xls", acled},
		{"--format", "acled"},
		{"--format", "acled", "--sync", acled, acled},
	} {
		err := runImport(ctx, append([]string{"--db", db1}, args...), &out, &errOut)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("import %v: %v, want a usage error", args, err)
		}
	}
	for _, args := range [][]string{{"--format", "shp"}, {"--format", "csv", "--bbox", "1,2"}, {"--format", "csv", "--start", "2021-13-01"}} {
		err := runExport(ctx, append([]string{"--db", db1}, args...), &out, &errOut)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("export %v: %v, want a usage error", args, err)
		}
	}
}
