package web

import (
	"errors"
	"io"
	"net/http"
)

// defaultSecurityHeaders sets, on every response, the headers that keep a
// browser from sniffing a JSON or CSV body into HTML, from framing a page,
// and from running anything but this server's own scripts. The policy lets
// the OGC API's HTML pages keep their inline style and links; the map page
// replaces it with its own (securityHeaders in assets.go).
func defaultSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "+
			"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// bodyReader records how reading a request body failed, when the client
// sent less than it announced or went away mid-body: whatever error the
// handler then returns, the cause is the client's, not the server's.
type bodyReader struct {
	io.ReadCloser
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			b.err = err
		}
	}
	return n, err
}

// watchBodies wraps each request body in a bodyReader for toProblem.
func watchBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			// On a copy of the request: the server's own copy must keep its
			// body, whose type tells it whether the rest is worth draining.
			r = r.WithContext(r.Context())
			r.Body = &bodyReader{ReadCloser: r.Body}
		}
		next.ServeHTTP(w, r)
	})
}

// brokenBody returns the problem for a request whose body could not be
// read to its end, or nil when it could.
func brokenBody(r *http.Request) *problem {
	br, ok := r.Body.(*bodyReader)
	if !ok || br.err == nil {
		return nil
	}
	return &problem{Type: "about:blank", Title: "Incomplete request body", Status: http.StatusBadRequest, Field: "body",
		Detail: "the request body ended before it was complete: " + br.err.Error()}
}
