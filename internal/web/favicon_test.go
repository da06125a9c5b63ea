package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/incidentmap/incidentmap/internal/web"
)

// TestFavicon checks that /favicon.ico answers with the page's SVG icon,
// so browsers and crawlers that ask for it get no 404.
func TestFavicon(t *testing.T) {
	srv, _ := startServer(t, web.Config{}, nil)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		req, err := http.NewRequest(method, srv.URL+"/favicon.ico", nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("%s /favicon.ico: %d %q, want 200 image/svg+xml", method, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if method == http.MethodGet && !strings.Contains(string(body), "<svg") {
			t.Errorf("GET /favicon.ico is not an SVG: %.80q", body)
		}
	}
}
