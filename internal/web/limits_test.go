package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// fill stores n incidents with notes of about noteBytes each, so that an
// export is larger than what the loopback socket buffers hold.
func fill(t testing.TB, st store.Backend, n, noteBytes int) {
	t.Helper()
	ins := make([]incident.Incident, n)
	for i := range ins {
		ins[i] = incident.Incident{EventDate: "2020-01-02", Geometry: orb.Point{float64(i%360) - 180 + 0.5, float64(i%170) - 85},
			EventType: incident.Battles, Fatalities: incident.Int(1), Location: fmt.Sprintf("place %d", i),
			Notes: strings.Repeat(fmt.Sprintf("note %d ", i), noteBytes/10)}
	}
	if _, err := st.Insert(context.Background(), ins); err != nil {
		t.Fatal(err)
	}
}

// startExport starts GET url and returns the response once its header has
// arrived, without reading the body: a stalled client.
func startExport(t *testing.T, ctx context.Context, url string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestExportCosts is finding 2 of issue 12: a GeoPackage export leaves no
// file in the temporary directory while its client reads slowly, exports
// beyond the limit are answered 503 at once, and a client that stops
// reading loses its slot.
func TestExportCosts(t *testing.T) {
	tmp := t.TempDir()
	srv, st := startServer(t, web.Config{Token: testToken, Limits: web.Limits{
		Exports: 1, QueueWait: 10 * time.Millisecond, StallTimeout: 300 * time.Millisecond, TempDir: tmp}}, nil)
	fill(t, st, 4000, 1000)
	url := srv.URL + "/api/export?format=gpkg"

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow := startExport(t, ctx, url)
	if slow.StatusCode != http.StatusOK {
		t.Fatalf("first export: status %d", slow.StatusCode)
	}
	if _, err := io.ReadFull(slow.Body, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("while the export streams, the temporary directory holds %d entries (%v)", len(left), err)
	}

	r := do(t, http.MethodGet, url, "", "")
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("second export while the first holds the slot: status %d, Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.body)
	}

	// The stalled client is cut off after StallTimeout, which frees the slot.
	deadline, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	for {
		r := do(t, http.MethodGet, srv.URL+"/api/export?format=geojson&country=XX", "", "")
		if r.status == http.StatusOK {
			break
		}
		if deadline.Err() != nil {
			t.Fatalf("the stalled export still holds its slot: status %d", r.status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReadDeadline is finding 4 of issue 12: every read runs under a
// deadline, and running out of it is a 503 saying so, not a wait.
func TestReadDeadline(t *testing.T) {
	srv, _ := startServer(t, web.Config{Token: testToken, Limits: web.Limits{QueryTimeout: time.Nanosecond}}, nil)
	for _, path := range []string{"/api/incidents", "/ogc/collections/incidents/items?filter=" + "actor1%20LIKE%20'%25a%25'"} {
		r := do(t, http.MethodGet, srv.URL+path, "", "")
		if r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "took too long") {
			t.Errorf("%s: status %d: %s", path, r.status, r.body)
		}
	}
}

// TestCostlyFilterRefused is finding 4 of issue 12: the filter of the
// report (OR-ed backtracking LIKE patterns) is refused before it runs.
func TestCostlyFilterRefused(t *testing.T) {
	srv, _ := newServer(t)
	attack := strings.Repeat("actor1 LIKE '%_a%_a%_a%_a%_a%_b' OR ", 59) + "actor1 LIKE '%_b'"
	for _, f := range []string{attack, "actor1 LIKE '%_a%_a%_a%_a%_a%_b'"} {
		r := do(t, http.MethodGet, srv.URL+"/ogc/collections/incidents/items?filter="+url.QueryEscape(f), "", "")
		if r.status != http.StatusBadRequest || r.json(t)["param"] != "filter" {
			t.Errorf("filter %.40q…: status %d: %s", f, r.status, r.body)
		}
	}
}

// TestGeoparseBounded is finding 3 of issue 12: anonymous geoparsing takes
// a bounded text.
func TestGeoparseBounded(t *testing.T) {
	srv := newPlacesServer(t)
	text := strings.Repeat("Shelling hit Mykolaiv and Kherson on Monday. ", 1<<20/45)
	r := do(t, http.MethodPost, srv.URL+"/api/geoparse", "", text)
	if r.status != http.StatusRequestEntityTooLarge || r.json(t)["field"] != "text" {
		t.Fatalf("1 MiB of place names: status %d: %.300s", r.status, r.body)
	}
}

// TestExportLeaksNoToken is finding 1 of issue 12 end to end: the
// anonymous GeoPackage export of everything (no filter, or the whole
// world) does not carry the write token stored in the database, and so
// cannot be used to delete incidents.
func TestExportLeaksNoToken(t *testing.T) {
	srv, st := newServer(t)
	const stored = "c0ffee-generated-write-token-1234567890"
	if _, err := st.SetSettingIfAbsent(context.Background(), "write_token", stored); err != nil {
		t.Fatal(err)
	}
	fill(t, st, 50, 100)
	for _, q := range []string{"", "&bbox=-180,-90,180,90"} {
		r := do(t, http.MethodGet, srv.URL+"/api/export?format=gpkg"+q, "", "")
		if r.status != http.StatusOK || len(r.body) < 1024 {
			t.Fatalf("export%s: status %d, %d bytes", q, r.status, len(r.body))
		}
		if strings.Contains(string(r.body), stored) {
			t.Errorf("export%s holds the write token", q)
		}
	}
}
