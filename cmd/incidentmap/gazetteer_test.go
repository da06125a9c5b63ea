package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGazetteerLookupCommand(t *testing.T) {
	tests := []struct {
		args []string
		want string // the first candidate's id
	}{
		{[]string{"lookup", "Musa Qala"}, "geonames:1132604"},
		{[]string{"lookup", "Mūsá Qal‘ah", "--json"}, `"id":"geonames:1132604"`},
		{[]string{"lookup", "--country", "PK", "Hyderabad"}, "geonames:1176734"},
		{[]string{"lookup", "Hyderabad", "--country", "PK"}, "geonames:1176734"},
		{[]string{"lookup", "--level", "admin2", "Musa", "Qala"}, "geonames-admin2:AF.10.2304"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := runGazetteer(context.Background(), tt.args, &out, &errb); err != nil {
				t.Fatalf("error %v; stderr %s", err, errb.String())
			}
			lines := strings.Split(out.String(), "\n")
			first := lines[0]
			if !slices.Contains(tt.args, "--json") {
				first = lines[1] // after the header
			}
			if !strings.Contains(first, tt.want) {
				t.Errorf("first line %q lacks %q\n%s", first, tt.want, out.String())
			}
		})
	}
	for _, bad := range [][]string{{}, {"lookup"}, {"lookup", "--level", "town", "Kabul"}, {"lookup", "--country", "AFG", "Kabul"}, {"frobnicate"}} {
		var out, errb bytes.Buffer
		var u usageError
		if err := runGazetteer(context.Background(), bad, &out, &errb); !errors.As(err, &u) {
			t.Errorf("%q: error %v, want a usage error", bad, err)
		}
	}
}

func TestGazetteerImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "g.gpkg")
	dump := filepath.Join(dir, "AF.txt")
	row := "90000001\tQala-e Zarghun\tQala-e Zarghun\tKala Zargun\t32.5\t64.8\tP\tPPL\tAF\t\t10\t2304\t\t\t120\t\t1000\tAsia/Kabul\t2024-01-01\n"
	if err := os.WriteFile(dump, []byte(row+"bad line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := runGazetteer(context.Background(), []string{"import", "--db", db, dump}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "AF.txt:2:") || !strings.Contains(err.Error(), "--keep-valid") {
		t.Fatalf("import of a bad file: %v", err)
	}
	out.Reset()
	if err := runGazetteer(context.Background(), []string{"import", "--keep-valid", "--db", db, dump}, &out, &errb); err != nil {
		t.Fatalf("import --keep-valid: %v", err)
	}
	if !strings.Contains(out.String(), "imported 1 places") || !strings.Contains(out.String(), "1 malformed lines skipped") {
		t.Errorf("output: %s", out.String())
	}
	out.Reset()
	if err := runGazetteer(context.Background(), []string{"lookup", "--db", db, "Kala Zargun"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Split(out.String(), "\n")[1], "geonames:90000001") {
		t.Errorf("lookup over the imported data:\n%s", out.String())
	}
}
