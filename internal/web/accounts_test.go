package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// addKey creates a key over the admin API and returns its secret.
func addKey(t *testing.T, url, admin, name, role string) string {
	t.Helper()
	r := do(t, http.MethodPost, url+"/api/keys", admin, `{"name":"`+name+`","role":"`+role+`"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("adding key %s: status %d: %s", name, r.status, r.body)
	}
	secret, _ := r.json(t)["key"].(string)
	if !strings.HasPrefix(secret, "imk_") {
		t.Fatalf("adding key %s: %s", name, r.body)
	}
	return secret
}

// TestKeysAndRoles: a reader key cannot write, a writer key can and is
// named in the audit trail, only admins manage keys, a revoked key is
// refused at once, and the Bearer scheme is read in any case.
func TestKeysAndRoles(t *testing.T) {
	srv, _ := newServer(t)
	reader := addKey(t, srv.URL, testToken, "analyst", "reader")
	writer := addKey(t, srv.URL, testToken, "field-team", "writer")
	body := collection(feature(64.7, 32.4, "2020-01-02", "Musa Qala", 1))

	tests := []struct {
		name, method, path, key, body string
		status                        int
	}{
		{"anonymous write", "POST", "/api/incidents", "", body, 401},
		{"reader write", "POST", "/api/incidents", reader, body, 403},
		{"writer lists keys", "GET", "/api/keys", writer, "", 403},
		{"wrong key", "GET", "/api/incidents", "imk_" + strings.Repeat("1", 48), "", 401},
		{"reader reads", "GET", "/api/incidents", reader, "", 200},
		{"writer writes", "POST", "/api/incidents", writer, body, 201},
		{"admin lists keys", "GET", "/api/keys", testToken, "", 200},
		{"duplicate key name", "POST", "/api/keys", testToken, `{"name":"analyst","role":"reader"}`, 409},
		{"unknown role", "POST", "/api/keys", testToken, `{"name":"x","role":"owner"}`, 400},
	}
	for _, tt := range tests {
		if r := do(t, tt.method, srv.URL+tt.path, tt.key, tt.body); r.status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, r.status, tt.status, r.body)
		}
	}
	lower := do(t, http.MethodPost, srv.URL+"/api/incidents", "", body, "Authorization", "bearer "+writer)
	if lower.status != http.StatusCreated {
		t.Errorf("lower-case bearer: status %d: %s", lower.status, lower.body)
	}
	id := features(t, lower)[0]["id"].(string)

	for _, k := range []struct{ key, remote string }{{writer, ""}, {testToken, "127.0.0.1"}} {
		h := do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/history", k.key, "")
		var got struct {
			History []store.AuditEntry `json:"history"`
		}
		if err := json.Unmarshal(h.body, &got); err != nil || h.status != 200 || len(got.History) != 1 {
			t.Fatalf("history: status %d: %s", h.status, h.body)
		}
		e := got.History[0]
		if e.Actor != "field-team" || e.Action != "create" || e.Change != "insert" || e.Remote != k.remote || e.RequestID == "" {
			t.Errorf("history entry %+v, want field-team's create, remote %q", e, k.remote)
		}
	}

	if r := do(t, http.MethodDelete, srv.URL+"/api/keys/field-team", testToken, ""); r.status != http.StatusNoContent {
		t.Fatalf("revoke: status %d: %s", r.status, r.body)
	}
	if r := do(t, http.MethodPost, srv.URL+"/api/incidents", writer, body); r.status != http.StatusUnauthorized {
		t.Errorf("a revoked key: status %d", r.status)
	}
}

// TestPrivateServer: on a private server an anonymous read is a 401, a
// reader key reads, and health checks stay open.
func TestPrivateServer(t *testing.T) {
	srv, _ := startServer(t, web.Config{Token: testToken, Private: true}, nil)
	reader := addKey(t, srv.URL, testToken, "analyst", "reader")
	for _, tt := range []struct {
		path, key string
		status    int
	}{
		{"/api/incidents", "", 401}, {"/ogc/collections/incidents/items", "", 401}, {"/api/export?format=csv", "", 401},
		{"/api/incidents", reader, 200}, {"/ogc/collections/incidents/items", reader, 200}, {"/healthz", "", 200},
	} {
		r := do(t, http.MethodGet, srv.URL+tt.path, tt.key, "")
		if r.status != tt.status {
			t.Errorf("GET %s with key %.8q: status %d, want %d", tt.path, tt.key, r.status, tt.status)
		}
		if r.status == 401 && r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("GET %s: a 401 without WWW-Authenticate", tt.path)
		}
	}
}

// TestFailedAuthThrottled is finding 12 of issue 12: a client sending
// wrong keys is stopped after a few, even when it then sends a right one.
func TestFailedAuthThrottled(t *testing.T) {
	srv, _ := newServer(t)
	var last response
	for i := range 30 {
		last = do(t, http.MethodGet, srv.URL+"/api/incidents", "guess-"+string(rune('a'+i)), "")
		if last.status == http.StatusTooManyRequests {
			break
		}
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("30 wrong keys: last status %d, Retry-After %q", last.status, last.header.Get("Retry-After"))
	}
	if r := do(t, http.MethodGet, srv.URL+"/api/incidents", testToken, ""); r.status != http.StatusTooManyRequests {
		t.Errorf("the right key while throttled: status %d, want 429", r.status)
	}
	if r := do(t, http.MethodGet, srv.URL+"/api/incidents", "", ""); r.status != http.StatusOK {
		t.Errorf("an anonymous read while throttled: status %d", r.status)
	}
}

// TestEveryWriteAudited: each kind of write of the API lands in the audit
// trail, under the key that made it, and a deleted incident keeps its
// history.
func TestEveryWriteAudited(t *testing.T) {
	srv, st := newServer(t)
	writer := addKey(t, srv.URL, testToken, "desk", "writer")
	r := do(t, http.MethodPost, srv.URL+"/api/incidents", writer, collection(feature(64.7, 32.4, "2020-01-02", "Musa Qala", 1)))
	id := features(t, r)[0]["id"].(string)
	steps := []struct{ method, path, body string }{
		{"PATCH", "/api/incidents/" + id, `{"properties":{"fatalities":4}}`},
		{"POST", "/api/import?format=geojson", collection(feature(69.2, 34.5, "2020-02-03", "Kabul", 2))},
		{"DELETE", "/api/incidents/" + id, ""},
	}
	for _, s := range steps {
		if r := do(t, s.method, srv.URL+s.path, writer, s.body); r.status >= 300 {
			t.Fatalf("%s %s: status %d: %s", s.method, s.path, r.status, r.body)
		}
	}
	all, err := st.Audit(t.Context(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range all {
		if e.Actor != "desk" {
			t.Errorf("entry %d by %q, want desk", e.Seq, e.Actor)
		}
		actions = append(actions, e.Action+":"+e.Change)
	}
	if got, want := strings.Join(actions, " "), "create:insert patch:update import:insert delete:delete"; got != want {
		t.Errorf("audit trail %q, want %q", got, want)
	}
	h := do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/history", writer, "")
	if h.status != http.StatusOK || !strings.Contains(string(h.body), `"change":"delete"`) {
		t.Errorf("history of the deleted incident: status %d: %s", h.status, h.body)
	}
}

// TestThrottleBehindProxy: behind a proxy, clients are told apart by the
// address the proxy adds, and one the client writes itself changes nothing.
func TestThrottleBehindProxy(t *testing.T) {
	srv, _ := startServer(t, web.Config{Token: testToken, BehindProxy: true}, nil)
	guess := func(xff string) int {
		return do(t, http.MethodGet, srv.URL+"/api/incidents", "wrong-guess", "", "X-Forwarded-For", xff).status
	}
	for i := 0; guess("198.51.100.9") != http.StatusTooManyRequests; i++ {
		if i > 30 {
			t.Fatal("the guessing client was never throttled")
		}
	}
	if got := guess("203.0.113.1, 198.51.100.9"); got != http.StatusTooManyRequests {
		t.Errorf("a forged first address dodged the throttle: status %d", got)
	}
	if got := guess("198.51.100.10"); got != http.StatusUnauthorized {
		t.Errorf("another client behind the same proxy: status %d, want 401", got)
	}
}

// TestIngestAudited: incidents extracted from an article are recorded in
// the audit trail under the key that sent it, and counted in /metrics.
func TestIngestAudited(t *testing.T) {
	srv := newPlacesServer(t)
	writer := addKey(t, srv.URL, testToken, "newsroom", "writer")
	r := do(t, http.MethodPost, srv.URL+"/api/articles", writer, articleText, "Content-Type", "text/plain")
	if r.status != http.StatusCreated {
		t.Fatalf("ingest: status %d: %s", r.status, r.body)
	}
	id := features(t, r)[0]["id"].(string)
	h := do(t, http.MethodGet, srv.URL+"/api/incidents/"+id+"/history", writer, "")
	if !strings.Contains(string(h.body), `"actor":"newsroom"`) || !strings.Contains(string(h.body), `"action":"ingest"`) {
		t.Errorf("history of an ingested incident: %s", h.body)
	}
	m := do(t, http.MethodGet, srv.URL+"/metrics", "", "")
	for _, want := range []string{`incidentmap_ingest_articles_total{outcome="incidents"} 1`, `incidentmap_ingest_incidents_total{status="new"} 1`, `incidentmap_store_writes_total{action="ingest"} 1`} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
