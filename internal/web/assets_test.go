package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestPage(t *testing.T) {
	srv, _ := newServer(t)
	res := do(t, "GET", srv.URL+"/", "", "")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", res.status, res.header.Get("Content-Type"))
	}
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q, want scripts from this server only", csp)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("page Cache-Control = %q, want no-cache so new builds show at once", cc)
	}
	page := string(res.body)
	m := regexp.MustCompile(`href="(/assets/[0-9a-f]{12})/style\.css"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no hashed stylesheet link in the page:\n%s", page)
	}
	prefix := m[1]
	if strings.Contains(page, "<script>") {
		t.Error("the page has an inline script, which the CSP forbids")
	}

	etag := res.header.Get("ETag")
	if again := do(t, "GET", srv.URL+"/", "", "", "If-None-Match", etag); again.status != http.StatusNotModified {
		t.Errorf("GET / with its ETag = %d, want 304", again.status)
	}

	for _, tc := range []struct {
		name, path string
		status     int
		cache      string
		typ        string
	}{
		{"own module", prefix + "/app.js", 200, "public, max-age=31536000, immutable", "text/javascript"},
		{"stylesheet", prefix + "/style.css", 200, "public, max-age=31536000, immutable", "text/css"},
		{"an older build's URL still works, uncached", "/assets/000000000000/app.js", 200, "no-cache", "text/javascript"},
		{"unknown asset", prefix + "/nope.js", 404, "", "application/problem+json"},
		{"the template is not an asset", prefix + "/index.html", 404, "", "application/problem+json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, "GET", srv.URL+tc.path, "", "")
			if r.status != tc.status {
				t.Fatalf("GET %s = %d, want %d: %s", tc.path, r.status, tc.status, r.body)
			}
			if tc.cache != "" && r.header.Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", r.header.Get("Cache-Control"), tc.cache)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), tc.typ) {
				t.Errorf("Content-Type = %q, want %s", r.header.Get("Content-Type"), tc.typ)
			}
		})
	}

	if r := do(t, "GET", srv.URL+prefix+"/../assets.go", "", ""); r.status == http.StatusOK || strings.Contains(string(r.body), "package web") {
		t.Errorf("a path out of the page directory answered %d: %.80s", r.status, r.body)
	}

	// Vendor files are copied by `npm run assets`; without them the page
	// must say what to run instead of failing silently.
	if strings.Contains(page, "/vendor/leaflet/leaflet.js") {
		r := do(t, "GET", srv.URL+prefix+"/vendor/leaflet/leaflet.js", "", "")
		if r.status != http.StatusOK {
			t.Errorf("vendor Leaflet = %d", r.status)
		}
	} else if !strings.Contains(page, "npm ci &amp;&amp; npm run assets") {
		t.Errorf("a build without vendor assets must tell the user to run npm ci && npm run assets:\n%s", page)
	}
}
