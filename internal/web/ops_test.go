package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetrics: /metrics has requests by route template and status,
// latency histograms, and the store's counters.
func TestMetrics(t *testing.T) {
	srv, _ := newServer(t)
	r := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, collection(feature(64.7, 32.4, "2020-01-02", "Musa Qala", 1)))
	id := features(t, r)[0]["id"].(string)
	do(t, http.MethodGet, srv.URL+"/api/incidents/"+id, "", "")
	do(t, http.MethodGet, srv.URL+"/api/incidents/nope", "", "")
	do(t, http.MethodGet, srv.URL+"/no/such/path", "", "")
	m := do(t, http.MethodGet, srv.URL+"/metrics", "", "")
	if m.status != http.StatusOK {
		t.Fatalf("status %d", m.status)
	}
	for _, want := range []string{
		`incidentmap_http_requests_total{code="200",method="GET",route="/api/incidents/{id}"} 1`,
		`incidentmap_http_requests_total{code="404",method="GET",route="/api/incidents/{id}"} 1`,
		`incidentmap_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`incidentmap_http_request_duration_seconds_bucket{method="POST",route="/api/incidents",le="+Inf"} 1`,
		`incidentmap_store_writes_total{action="create"} 1`,
		`incidentmap_store_incidents 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestReadyAndRequestIDs: /readyz says what is missing, and a problem
// carries the request id of the X-Request-Id header, the client's own when
// it sent a sane one.
func TestReadyAndRequestIDs(t *testing.T) {
	bare, _ := newServer(t)
	if r := do(t, http.MethodGet, bare.URL+"/readyz", "", ""); r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "gazetteer") {
		t.Errorf("readyz without a gazetteer: status %d: %s", r.status, r.body)
	}
	if r := do(t, http.MethodGet, bare.URL+"/healthz", "", ""); r.status != http.StatusOK {
		t.Errorf("healthz: status %d", r.status)
	}
	srv := newPlacesServer(t)
	if r := do(t, http.MethodGet, srv.URL+"/readyz", "", ""); r.status != http.StatusOK {
		t.Errorf("readyz: status %d: %s", r.status, r.body)
	}
	r := do(t, http.MethodGet, srv.URL+"/api/incidents?bbx=1", "", "")
	id := r.header.Get("X-Request-Id")
	if id == "" || r.json(t)["request_id"] != id {
		t.Errorf("request id %q, problem %s", id, r.body)
	}
	r = do(t, http.MethodGet, srv.URL+"/api/incidents?bbx=1", "", "", "X-Request-Id", "proxy-1234abcd")
	if r.header.Get("X-Request-Id") != "proxy-1234abcd" || r.json(t)["request_id"] != "proxy-1234abcd" {
		t.Errorf("the client's request id was not kept: %q %s", r.header.Get("X-Request-Id"), r.body)
	}
	r = do(t, http.MethodGet, srv.URL+"/api/incidents", "", "", "X-Request-Id", "<script>")
	if got := r.header.Get("X-Request-Id"); got == "<script>" || got == "" {
		t.Errorf("an unsafe client request id was echoed: %q", got)
	}
}
