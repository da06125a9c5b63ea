package interchange

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// importString imports data in format into st.
func importString(t testing.TB, st *store.Store, format, data string) Report {
	t.Helper()
	src, err := NewReader(format, strings.NewReader(data), ReaderOptions{})
	if err != nil {
		t.Fatalf("NewReader(%s): %v", format, err)
	}
	rep, err := NewImporter(st).Import(context.Background(), src)
	if err != nil {
		t.Fatalf("Import(%s): %v", format, err)
	}
	return rep
}

// exportString exports all of st in format.
func exportString(t testing.TB, st *store.Store, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(context.Background(), st, store.Query{}, format, &buf, t.TempDir()); err != nil {
		t.Fatalf("Export(%s): %v", format, err)
	}
	return buf.String()
}

// incidentsBySource lists st's incidents as comparable JSON keyed by
// source_event_id, without the store's timestamps.
func incidentsBySource(t testing.TB, st *store.Store, keepID bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	_, err := st.Query(context.Background(), store.Query{}, func(in *incident.Incident) error {
		f := in.ToFeature()
		f.Properties.Created, f.Properties.Updated = "", ""
		if !keepID {
			f.ID = ""
		}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		out[in.SourceEventID] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRoundTrip imports a generated ACLED CSV, exports it, imports the
// export into an empty store, and expects the same incidents with the same
// fields (ids included), through CSV and through GeoJSON.
func TestRoundTrip(t *testing.T) {
	const n = 400
	a := openStore(t)
	rep := importString(t, a, FormatACLED, acledCSV(n, 1))
	if rep.Inserted != n || rep.Rejected != 0 || rep.Duplicates != n/50 {
		t.Fatalf("first import: %+v, want %d inserted, %d duplicates, none rejected", rep, n, n/50)
	}
	if got := len(incidentsBySource(t, a, true)); got != n {
		t.Fatalf("store holds %d incidents, want %d", got, n)
	}
	checkRoundTrips(t, a)
}

// checkRoundTrips exports every incident of a as CSV (imported back as
// ACLED) and as GeoJSON, imports each into an empty store, and expects the
// same incidents, field for field, ids, actors and sources included.
func checkRoundTrips(t *testing.T, a *store.Store) {
	t.Helper()
	want := incidentsBySource(t, a, true)
	for _, format := range []string{FormatCSV, FormatGeoJSON} {
		t.Run(format, func(t *testing.T) {
			out := exportString(t, a, format)
			b := openStore(t)
			in := FormatACLED
			if format == FormatGeoJSON {
				in = FormatGeoJSON
			}
			rep := importString(t, b, in, out)
			if rep.Inserted != len(want) || rep.Rejected != 0 {
				t.Fatalf("import of the export: %+v", rep)
			}
			got := incidentsBySource(t, b, true)
			diffs := 0
			for id, w := range want {
				if got[id] != w && diffs < 3 {
					diffs++
					t.Errorf("incident %s differs after the round trip:\n got %s\nwant %s", id, got[id], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d incidents after the round trip, want %d", len(got), len(want))
			}
		})
	}
}

// TestUCDPRoundTrip imports the 1,000 real rows of the UCDP GED sample and
// round-trips them through CSV and GeoJSON.
func TestUCDPRoundTrip(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "data", "ucdp_ged231_sample1000.csv"))
	if err != nil {
		t.Skipf("UCDP sample not found: %v", err)
	}
	gaz, err := gazetteer.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	a := openStore(t)
	rep := importWith(t, a, FormatUCDP, string(data), ReaderOptions{Gazetteer: gaz}, DefaultBatchSize)
	if rep.Inserted != 1000 {
		t.Fatalf("UCDP import: %+v", rep)
	}
	checkRoundTrips(t, a)
}

// TestReimport checks that importing the same file again updates instead of
// duplicating, and that --sync removes rows gone from the file.
func TestReimport(t *testing.T) {
	st := openStore(t)
	data := acledCSV(120, 2)
	importString(t, st, FormatACLED, data)
	rep := importString(t, st, FormatACLED, data)
	if rep.Inserted != 0 || rep.Updated != 120 {
		t.Fatalf("re-import: %+v, want 120 updated and none inserted", rep)
	}
	if n, _ := st.Count(context.Background(), store.Query{}); n != 120 {
		t.Fatalf("store holds %d incidents after re-import, want 120", n)
	}
	// Drop the rows of GEN5..GEN9 and sync.
	var kept []string
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, "GEN5,") || strings.HasPrefix(line, "GEN6,") || strings.HasPrefix(line, "GEN7,") {
			continue
		}
		kept = append(kept, line)
	}
	src, err := NewReader(FormatACLED, strings.NewReader(strings.Join(kept, "\n")), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	im := NewImporter(st)
	im.Sync = true
	rep, err = im.Import(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Deleted != 3 {
		t.Errorf("sync deleted %d, want 3", rep.Deleted)
	}
	left := incidentsBySource(t, st, false)
	if len(left) != 117 || left["acled:GEN6"] != "" || left["acled:GEN8"] == "" {
		t.Errorf("after sync the store has %d incidents (GEN6 present: %v, GEN8 present: %v)", len(left), left["acled:GEN6"] != "", left["acled:GEN8"] != "")
	}
}
