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

	"github.com/incidentmap/incidentmap/internal/store/storetest"
)

// TestImportExportCommands runs the commands as a user would: import an
// ACLED file, export it as CSV, import that into a second database (the
// PostGIS store when a server is configured), and
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
	if bs := storetest.Backends(); bs[len(bs)-1].Skip == "" {
		db2 = storetest.NewSchema(t) // the export imported into the PostGIS store, compared with the file's
	}
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

// TestImportReportListsEveryRejection imports a file with 1,500 bad rows:
// the report file holds all of them, and the output counts them per reason.
func TestImportReportListsEveryRejection(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("event_id_cnty,event_date,event_type,actor1,country,location,latitude,longitude,fatalities\n")
	b.WriteString("OK1,2021-03-01,Battles,A,Syria,Ariha,35.81,36.61,1\n")
	for i := 0; i < 1500; i++ {
		typ, date := "Battles", fmt.Sprintf("2021-02-%d", 30+i%2)
		if i%3 == 0 {
			typ, date = "Skirmish", "2021-03-01"
		}
		fmt.Fprintf(&b, "BAD%d,%s,%s,A,Syria,Ariha,35.81,36.61,1\n", i, date, typ)
	}
	file := filepath.Join(dir, "bad.csv")
	os.WriteFile(file, []byte(b.String()), 0o644)
	report := filepath.Join(dir, "report.json")
	var out, errOut bytes.Buffer
	err := runImport(context.Background(), []string{"--db", filepath.Join(dir, "db.gpkg"), "--format", "acled", "--no-gazetteer", "--report", report, file}, &out, &errOut)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"1 inserted", "1500 rejected", `1000  event_date: "…" is not a calendar date (first on row 4)`,
		`500  event_type: "…" is not an ACLED event type`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "... and 1480 more rejected rows (the report lists them all)") {
		t.Errorf("stderr:\n%s", errOut.String())
	}
	var reps []struct {
		File       string
		Rejected   int
		Reasons    []struct{ Reason string }
		Rejections []struct{ Row int }
	}
	data, err := os.ReadFile(report)
	if err != nil || json.Unmarshal(data, &reps) != nil || len(reps) != 1 {
		t.Fatalf("report file (%v):\n%.300s", err, data)
	}
	r := reps[0]
	if r.File != file || r.Rejected != 1500 || len(r.Rejections) != 1500 || r.Rejections[1499].Row != 1502 || len(r.Reasons) != 2 {
		t.Errorf("report: file %q, %d rejected, %d listed (last row %d), %d reasons", r.File, r.Rejected, len(r.Rejections), r.Rejections[len(r.Rejections)-1].Row, len(r.Reasons))
	}
}
