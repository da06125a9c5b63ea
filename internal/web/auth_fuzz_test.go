package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/incidentmap/incidentmap/internal/store"
	"github.com/incidentmap/incidentmap/internal/web"
)

// FuzzRequestHeaders feeds arbitrary Authorization, X-Forwarded-For and
// X-Request-Id headers to the real handler behind a proxy: a read answers
// 200, 401 or 429 — never a server error — and the echoed request id is
// always a safe token.
func FuzzRequestHeaders(f *testing.F) {
	for _, s := range [][3]string{
		{"Bearer " + testToken, "198.51.100.7", "proxy-1234abcd"},
		{"bearer imk_00", "203.0.113.1, 198.51.100.9", ""},
		{"Basic dXNlcjpwYXNz", "not an ip", "<script>alert(1)</script>"},
		{"Bearer", ",,,", "\x00\x01"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	st, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.gpkg"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	h := web.New(web.Config{Token: testToken, BehindProxy: true}, st, nil, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
	safeID := regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)
	f.Fuzz(func(t *testing.T, auth, xff, reqID string) {
		req := httptest.NewRequest(http.MethodGet, "/api/incidents?limit=1", nil)
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("X-Request-Id", reqID)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusUnauthorized, http.StatusTooManyRequests:
		default:
			t.Fatalf("Authorization %q, X-Forwarded-For %q: status %d: %s", auth, xff, rec.Code, rec.Body)
		}
		if id := rec.Header().Get("X-Request-Id"); !safeID.MatchString(id) {
			t.Fatalf("X-Request-Id %q echoed as %q", reqID, id)
		}
	})
}
