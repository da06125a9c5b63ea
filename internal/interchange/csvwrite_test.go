package interchange

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// csvFieldCases are fields at the edges of encoding/csv's quoting rule.
var csvFieldCases = []string{
	"", "plain", "with,comma", `with "quotes"`, `"`, `""`, "line\nbreak", "carriage\rreturn", "crlf\r\n",
	" leading space", "\tleading tab", "\u00a0no-break space first", "\u3000ideographic space first",
	"trailing space ", `\.`, `\.x`, "=formula", "'quoted", "naïve café", "\xff\xfe not utf-8", "a\x00nul",
}

// csvWriterLine is what encoding/csv writes for rec.
func csvWriterLine(t testing.TB, rec []string) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.String()
}

// TestAppendCSVRecordMatchesEncodingCSV checks the export's CSV line
// writer against encoding/csv, field by field and for whole records.
func TestAppendCSVRecordMatchesEncodingCSV(t *testing.T) {
	for _, f := range csvFieldCases {
		for _, rec := range [][]string{{f}, {f, f}, {"a", f, "b"}} {
			if got, want := string(appendCSVRecord(nil, rec)), csvWriterLine(t, rec); got != want {
				t.Errorf("record %q: got %q, want %q", rec, got, want)
			}
		}
	}
	if got, want := string(appendCSVRecord(nil, csvFieldCases)), csvWriterLine(t, csvFieldCases); got != want {
		t.Errorf("all cases in one record: got %q, want %q", got, want)
	}
}

// FuzzAppendCSVRecord compares the CSV line writer with encoding/csv on
// any two fields.
func FuzzAppendCSVRecord(f *testing.F) {
	for _, c := range csvFieldCases {
		f.Add(c, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		rec := []string{a, b}
		if got, want := string(appendCSVRecord(nil, rec)), csvWriterLine(t, rec); got != want {
			t.Fatalf("record %q: got %q, want %q", rec, got, want)
		}
	})
}
