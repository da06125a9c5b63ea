package gazetteer

import (
	"archive/zip"
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func openTestDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "gaz.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// geonameLine writes one line of the geoname table with the given values.
func geonameLine(id int64, name, ascii, alts string, lat, lon float64, class, code, cc, a1, a2 string, pop int64) string {
	return fmt.Sprintf("%d\t%s\t%s\t%s\t%.5f\t%.5f\t%s\t%s\t%s\t\t%s\t%s\t\t\t%d\t\t1000\tAsia/Kabul\t2024-01-01\n",
		id, name, ascii, alts, lat, lon, class, code, cc, a1, a2, pop)
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A tiny invented country dump: a village the built-in data lacks (too
// small for cities500) and an admin1 row with an alternate name.
func testDump() string {
	return geonameLine(90000001, "Qala-e Zarghun", "Qala-e Zarghun", "Qala i Zarghun,Kala Zargun", 32.5, 64.8, "P", "PPL", "AF", "10", "2304", 120) +
		geonameLine(90000002, "Spin Ghar Tangi", "Spin Ghar Tangi", "", 32.6, 64.9, "T", "VAL", "AF", "10", "", 0) +
		geonameLine(1141104, "Helmand", "Helmand", "Helmand Province,Hilmand,Velayat-e Helmand", 31.0, 64.0, "A", "ADM1", "AF", "10", "", 1446230)
}

func TestImportAndOpen(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	dir := t.TempDir()
	dump := writeFile(t, dir, "AF.txt", testDump())
	admin1 := writeFile(t, dir, "admin1CodesASCII.txt", "AF.10\tHelmand\tHelmand\t1141104\n")
	st, err := Import(ctx, db, []string{dump, admin1}, ImportOptions{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if st.Rows != 3 || st.Places != 2 || st.Skipped != 1 || st.Admin != 1 || st.Names < 5 {
		t.Errorf("stats = %+v", st)
	}
	g, err := Open(ctx, db)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if g.Imported() != 2 {
		t.Errorf("Imported() = %d, want 2", g.Imported())
	}
	for _, q := range []string{"Qala-e Zarghun", "Kala Zargun", "qala i zarghun"} {
		got, err := g.Lookup(q, Hints{})
		if err != nil || len(got) == 0 || got[0].Place.ID != "geonames:90000001" {
			t.Fatalf("Lookup(%q) = %v, %v", q, ids(got, 3), err)
		}
		if p := got[0].Place; p.Admin1 != "Helmand" || p.CountryName != "Afghanistan" || p.CoordSource != "imported" {
			t.Errorf("imported place = %+v", p)
		}
	}
	// The imported admin1 merges with the built-in one (same id) and adds
	// its alternate names.
	got, err := g.Lookup("Hilmand", Hints{})
	if err != nil || len(got) == 0 || got[0].Place.ID != "geonames-admin1:AF.10" {
		t.Fatalf("Lookup(Hilmand) = %v, %v", ids(got, 3), err)
	}
	if n := countID(got, "geonames-admin1:AF.10"); n != 1 {
		t.Errorf("admin1 listed %d times", n)
	}
	if p, err := g.Get("geonames:90000001"); err != nil || p.Name != "Qala-e Zarghun" {
		t.Errorf("Get = %+v, %v", p, err)
	}
	if _, err := g.Get("geonames:90000002"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a skipped valley was imported: %v", err)
	}
	// Built-in places still resolve.
	if got, _ := g.Lookup("Paris", Hints{}); len(got) == 0 || got[0].Place.ID != "geonames:2988507" {
		t.Errorf("Paris with imported data = %v", ids(got, 3))
	}
}

func countID(cs []Candidate, id string) int {
	n := 0
	for _, c := range cs {
		if c.Place.ID == id {
			n++
		}
	}
	return n
}

func TestImportBadFileKeepsPrevious(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "AF.txt", testDump())
	if _, err := Import(ctx, db, []string{good}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	bad := testDump() + "90000009\tBroken\tBroken\t\tnorth\t64.0\tP\tPPL\tAF\t\t10\t\t\t\t0\t\t\t\t\n" +
		"90000010\tTruncated\tTruncated\t\t32.1"
	badPath := writeFile(t, dir, "IQ.txt", bad)

	_, err := Import(ctx, db, []string{badPath}, ImportOptions{})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Import of a bad file: error %v, want a ParseError", err)
	}
	if pe.Line != 4 || pe.Column != 5 || pe.Name != "latitude" || !strings.Contains(err.Error(), "IQ.txt:4: column 5 (latitude)") {
		t.Errorf("error = %v (line %d column %d)", err, pe.Line, pe.Column)
	}
	// The earlier import is intact and no half-built tables are left.
	g, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if g.Imported() != 2 {
		t.Errorf("after a failed import Imported() = %d, want the earlier 2", g.Imported())
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'gazetteer_%_new'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d _new tables left behind", n)
	}

	st, err := Import(ctx, db, []string{badPath}, ImportOptions{KeepValid: true})
	if err != nil {
		t.Fatalf("Import --keep-valid: %v", err)
	}
	if st.Invalid != 2 || st.Places != 2 || len(st.Errors) != 2 || !strings.Contains(st.Errors[1], "IQ.txt:5:") {
		t.Errorf("keep-valid stats = %+v", st)
	}
}

func TestImportZipAndEmpty(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	dir := t.TempDir()
	zpath := filepath.Join(dir, "AF.zip")
	f, err := os.Create(zpath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("not data\n"))
	w, _ = zw.Create("AF.txt")
	w.Write([]byte(testDump()))
	zw.Close()
	f.Close()
	st, err := Import(ctx, db, []string{zpath}, ImportOptions{})
	if err != nil || st.Places != 2 {
		t.Fatalf("zip import = %+v, %v", st, err)
	}
	empty := writeFile(t, dir, "XX.txt", "# only a comment\n")
	if _, err := Import(ctx, db, []string{empty}, ImportOptions{}); err == nil {
		t.Errorf("importing an empty file replaced the gazetteer")
	}
	if _, err := Import(ctx, db, []string{filepath.Join(dir, "missing.txt")}, ImportOptions{}); err == nil {
		t.Errorf("importing a missing file succeeded")
	}
}

func TestParseGeonameLine(t *testing.T) {
	good := strings.TrimSuffix(geonameLine(1132604, "Mūsá Qal‘ah", "Musa Qal'ah", "Musa Qala,Musa Kala", 32.44565, 64.74486, "P", "PPLA2", "AF", "10", "2304", 0), "\n")
	r, err := parseGeonameLine(good, "f", 1)
	if err != nil || r.ID != 1132604 || r.Admin2 != "2304" || r.Lon != 64.74486 || r.Alternates != "Musa Qala,Musa Kala" {
		t.Fatalf("parse = %+v, %v", r, err)
	}
	cols := strings.Split(good, "\t")
	tests := []struct {
		col  int // 0-based column to spoil
		val  string
		want int // 1-based column reported
	}{
		{0, "x", 1}, {0, "-5", 1}, {1, " ", 2}, {4, "91", 5}, {5, "-181", 6}, {5, "NaN", 6},
		{6, "PP", 7}, {8, "afg", 9}, {14, "many", 15},
	}
	for _, tt := range tests {
		c := append([]string(nil), cols...)
		c[tt.col] = tt.val
		_, err := parseGeonameLine(strings.Join(c, "\t"), "f", 7)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Column != tt.want || pe.Line != 7 {
			t.Errorf("column %d = %q: error %v, want column %d", tt.col+1, tt.val, err, tt.want)
		}
	}
	for _, line := range []string{"", "1\t2", good + "\textra"} {
		var pe *ParseError
		if _, err := parseGeonameLine(line, "f", 3); !errors.As(err, &pe) || pe.Column != 0 {
			t.Errorf("%q: error %v, want a whole-line ParseError", line, err)
		}
	}
}

func FuzzParseGeonameLine(f *testing.F) {
	f.Add(strings.TrimSuffix(geonameLine(1, "A", "A", "B,C", 1, 2, "P", "PPL", "AF", "10", "", 5), "\n"))
	f.Add("1\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t")
	f.Add("\t\t\t")
	f.Fuzz(func(t *testing.T, line string) {
		r, err := parseGeonameLine(line, "fuzz", 1)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 1 || pe.Column < 0 || pe.Column > 19 {
				t.Fatalf("error %v is not a well-formed ParseError", err)
			}
			return
		}
		if r.ID <= 0 || r.Lat < -90 || r.Lat > 90 || r.Lon < -180 || r.Lon > 180 || r.Population < 0 || strings.TrimSpace(r.Name) == "" {
			t.Fatalf("accepted an invalid row: %+v", r)
		}
	})
}

// writeSyntheticDump writes n rows in allCountries format: mostly
// populated places with a few alternate names each, some other features.
func writeSyntheticDump(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	syll := []string{"ka", "bul", "qa", "la", "mu", "sa", "zar", "ghun", "her", "at", "no", "va", "ri", "del"}
	for i := 0; i < n; i++ {
		name := syll[i%14] + syll[(i/14)%14] + syll[(i/196)%14] + " " + syll[(i/2744)%14]
		class, code := "P", "PPL"
		if i%4 == 3 {
			class, code = "H", "STM"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s,%s-e %s,%s\t%.5f\t%.5f\t%s\t%s\tAF\t\t%02d\t%d\t\t\t%d\t\t1000\tAsia/Kabul\t2024-01-01\n",
			100000000+i, name, name, name+"h", syll[i%14], syll[(i/7)%14], strings.ToUpper(name),
			29+float64(i%900)/100, 60+float64(i%1400)/100, class, code, i%34+1, 2300+i%20, i%5000)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// BenchmarkImport imports a synthetic allCountries-format file and reports
// rows per second. Size it with -benchtime=1x and INCIDENTMAP_IMPORT_ROWS
// (default 100000).
func BenchmarkImport(b *testing.B) {
	n := 100_000
	if s := os.Getenv("INCIDENTMAP_IMPORT_ROWS"); s != "" {
		fmt.Sscan(s, &n)
	}
	path := filepath.Join(b.TempDir(), "allCountries.txt")
	writeSyntheticDump(b, path, n)
	b.ResetTimer()
	var rows int64
	for b.Loop() {
		db := openTestDB(b)
		st, err := Import(context.Background(), db, []string{path}, ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		rows += st.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
