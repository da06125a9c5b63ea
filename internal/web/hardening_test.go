package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// syncBuffer is a log destination the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// rawRequest sends head and body over one TCP connection, closes the
// sending half (a client that announced more than it sent, then gave up)
// and returns the response.
func rawRequest(t *testing.T, srvURL, head, body string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srvURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, head+"\r\n"+body); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestTruncatedBody is finding 6 of issue 12: a body shorter than its
// Content-Length is a 400 naming the body, logged as the client's doing.
func TestTruncatedBody(t *testing.T) {
	gazOnce.Do(func() { gazVal, gazErr = gazetteer.Builtin() })
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "web.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	srv := httptest.NewServer(web.New(web.Config{Token: testToken}, st, gazVal, slog.New(slog.NewTextHandler(&logs, nil))).Handler())
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	part := collection(feature(64.7, 32.4, "2020-01-02", "Musa Qala", 1), feature(64.3, 31.5, "2020-01-03", "Lashkar Gah", 2))
	part = part[:len(part)/2]
	for _, path := range []string{"/api/geoparse", "/api/incidents", "/api/import?format=geojson"} {
		head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n",
			path, testToken, len(part)+5000)
		res := rawRequest(t, srv.URL, head, part)
		var p map[string]any
		json.NewDecoder(res.Body).Decode(&p)
		if res.StatusCode != http.StatusBadRequest || p["field"] != "body" {
			t.Errorf("%s: status %d, problem %v", path, res.StatusCode, p)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("truncated bodies were logged as server errors:\n%s", logs.String())
	}
}

// TestSecurityHeaders is finding 9 of issue 12: every response, not only
// the map page, forbids sniffing and framing.
func TestSecurityHeaders(t *testing.T) {
	srv, _ := newServer(t)
	for _, path := range []string{"/ogc?f=html", "/ogc/collections?f=html", "/ogc/collections/incidents/items", "/api/incidents", "/api/export?format=csv", "/nope"} {
		r := do(t, http.MethodGet, srv.URL+path, "", "")
		if r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: nosniff %q, CSP %q", path, r.header.Get("X-Content-Type-Options"), r.header.Get("Content-Security-Policy"))
		}
	}
}

// TestDiskFull is finding 13 of issue 12: a write the disk cannot hold is
// a 507 saying so, and stores nothing.
func TestDiskFull(t *testing.T) {
	srv, bst := newServer(t)
	st, ok := bst.(*store.Store)
	if !ok {
		t.Skip("a full disk is simulated by capping the GeoPackage file")
	}
	ctx := context.Background()
	var pages int
	if err := st.DB().QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The writer is a single connection: this caps the file where it is.
	if _, err := st.DB().ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	var fs []string
	for i := range 40 {
		fs = append(fs, strings.Replace(feature(64.7, 32.4, "2020-01-02", "Musa Qala", i), "clash near", strings.Repeat("clash ", 3000), 1))
	}
	r := do(t, http.MethodPost, srv.URL+"/api/incidents", testToken, collection(fs...))
	if r.status != http.StatusInsufficientStorage || !strings.Contains(string(r.body), "disk is full") {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if n, err := st.Count(ctx, store.Query{}); err != nil || n != 0 {
		t.Errorf("%d incidents stored (%v)", n, err)
	}
}
