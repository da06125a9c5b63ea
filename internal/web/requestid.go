package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
)

type requestIDKey struct{}

// requestID returns the id of the request ctx belongs to ("" outside one).
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// clientRequestID is what a client (or a proxy in front) may send as its
// own X-Request-Id; anything else is replaced by a fresh id.
var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)

// withRequestID gives each request an id, echoed in the X-Request-Id
// response header, in problem bodies and in the log lines about it.
func withRequestID(r *http.Request, w http.ResponseWriter) *http.Request {
	id := r.Header.Get("X-Request-Id")
	if !clientRequestID.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b) // never fails (crypto/rand)
		id = hex.EncodeToString(b)
	}
	w.Header().Set("X-Request-Id", id)
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
}
