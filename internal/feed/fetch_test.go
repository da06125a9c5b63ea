package feed_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/incidentmap/incidentmap/internal/feed"
)

// badServer serves the hostile answers a feed URL may give.
func badServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	chunk := []byte(strings.Repeat("<item>x</item>", 4096)) // 56 KiB
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		// 100 MB without a Content-Length: the cap must stop the read.
		for sent := 0; sent < 100<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/huge-announced", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "104857600")
		w.Write(chunk) // the client gives up on the header alone
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		// A trickle that never ends: the timeout must stop it.
		for {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://127.0.0.1/feed.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestFetchBounds: every hostile answer ends in a named error, within the
// size cap and the timeout.
func TestFetchBounds(t *testing.T) {
	srv := badServer(t)
	f := feed.NewFetcher(nil)
	f.MaxBytes = 1 << 20
	f.Timeout = 500 * time.Millisecond // only the endless body waits for it
	tests := []struct {
		path string
		want error
	}{
		{"/huge", feed.ErrTooLarge},
		{"/huge-announced", feed.ErrTooLarge},
		{"/endless", feed.ErrTimeout},
		{"/loop-a", feed.ErrRedirect},
		{"/to-file", feed.ErrRedirect},
		{"/to-ftp", feed.ErrRedirect},
		{"/gone", feed.ErrStatus},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := f.Fetch(t.Context(), srv.URL+tt.path, "application/rss+xml", feed.Validators{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), srv.URL+tt.path) {
				t.Errorf("the error does not name the URL: %v", err)
			}
		})
	}
	if _, err := f.Fetch(t.Context(), "file:///etc/passwd", "*/*", feed.Validators{}); err == nil {
		t.Error("a file URL was fetched")
	}
}

// TestFetchConditional: the second request sends the validators of the
// first answer back with a polite User-Agent, and a 304 says unchanged.
func TestFetchConditional(t *testing.T) {
	doc := fixture(t, "rss.xml")
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.UserAgent())
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Thu, 13 Mar 2025 08:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Thu, 13 Mar 2025 08:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(doc)
	}))
	defer srv.Close()
	f := feed.NewFetcher(nil)
	first, err := f.Fetch(t.Context(), srv.URL, "application/rss+xml", feed.Validators{})
	if err != nil || first.NotModified || string(first.Body) != string(doc) || first.ETag != `"v1"` {
		t.Fatalf("first fetch: %+v, %v", first.Validators, err)
	}
	second, err := f.Fetch(t.Context(), srv.URL, "application/rss+xml", first.Validators)
	if err != nil || !second.NotModified || len(second.Body) != 0 {
		t.Fatalf("second fetch: not modified %v, %d bytes, %v", second.NotModified, len(second.Body), err)
	}
	for _, ua := range agents {
		if !strings.HasPrefix(ua, "incidentmap-feeds/") {
			t.Errorf("User-Agent %q", ua)
		}
	}
}
