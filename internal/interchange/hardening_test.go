package interchange

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
)

// TestCSVFormulaInjection is finding 8 of issue 12: text that a
// spreadsheet would run as a formula is exported inert, numbers are left
// as they are, and the export imports back unchanged.
func TestCSVFormulaInjection(t *testing.T) {
	st := openStore(t)
	importString(t, st, FormatGeoJSON, `{"type":"FeatureCollection","features":[{"type":"Feature",
		"geometry":{"type":"Point","coordinates":[-12.5,-8.25]},
		"properties":{"event_date":"2020-01-02","event_type":"Battles","location":"=HYPERLINK(\"http://evil.example\",\"x\")",
		"actor1":"+cmd|' /C calc'!A0","notes":"@SUM(1+1)","admin1":"-2+3","source_event_id":"t:1"}}]}`)
	out := exportString(t, st, FormatCSV)
	for _, want := range []string{`'=HYPERLINK`, `'+cmd`, `'@SUM`, `'-2+3`, ",-8.25,-12.5,"} {
		if !strings.Contains(out, want) {
			t.Errorf("the CSV export lacks %q:\n%s", want, out)
		}
	}
	back := openStore(t)
	importString(t, back, FormatCSV, out)
	if a, b := incidentsBySource(t, st, true), incidentsBySource(t, back, true); a["t:1"] != b["t:1"] {
		t.Errorf("the round trip changed the incident:\n%s\n%s", a["t:1"], b["t:1"])
	}
}

// hugeField is a CSV body whose second record has a field of n bytes,
// produced as it is read.
type hugeField struct {
	head, tail string
	n, off     int
}

func (h *hugeField) Read(p []byte) (int, error) {
	total := len(h.head) + h.n + len(h.tail)
	if h.off >= total {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && h.off < total; i, h.off = i+1, h.off+1 {
		switch {
		case h.off < len(h.head):
			p[i] = h.head[h.off]
		case h.off < len(h.head)+h.n:
			p[i] = 'x'
		default:
			p[i] = h.tail[h.off-len(h.head)-h.n]
		}
	}
	return i, nil
}

// TestCSVRecordBounded is finding 10 of issue 12: one enormous field ends
// the import with an error naming where, without being read into memory.
func TestCSVRecordBounded(t *testing.T) {
	st := openStore(t)
	body := &hugeField{
		head: "event_date,event_type,latitude,longitude,notes\n2020-01-02,Battles,32.4,64.7,fine\n2020-01-03,Battles,32.4,64.7,\"",
		n:    50 << 20, tail: "\"\n"}
	src, err := NewReader(FormatCSV, body, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = NewImporter(st).Import(t.Context(), src)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "over 1 MiB") {
		t.Fatalf("Import: %v, want ErrInput about the record's size", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 40<<20 {
		t.Errorf("the import allocated %d MiB for a 50 MiB field", got>>20)
	}
	if body.off > 8<<20 {
		t.Errorf("the import read %d MiB before stopping", body.off>>20)
	}
	if n, err := st.Count(t.Context(), store.Query{}); err != nil || n > 1 {
		t.Errorf("%d incidents stored (%v)", n, err)
	}
}
