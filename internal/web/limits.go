package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Limits bound what one request may cost, so that anonymous clients cannot
// take the server's CPU, disk or database connections from everyone else.
// Zero fields take the defaults of withDefaults.
type Limits struct {
	// QueryTimeout is the deadline of a read request (GET, HEAD and
	// /api/geoparse), passed to every query through its context; exports,
	// which stream for as long as they need, are bounded by StallTimeout
	// instead. Default 10 s.
	QueryTimeout time.Duration
	// Exports is how many exports may run at once. Default 2.
	Exports int
	// Expensive is how many costly reads — geoparsing, CQL2 filters — may
	// run at once. Default 2, which leaves the rest of the read pool to
	// ordinary requests.
	Expensive int
	// QueueWait is how long a request waits for a busy slot before it is
	// answered 503 with Retry-After. Default 2 s.
	QueueWait time.Duration
	// StallTimeout cuts off a streamed response whose client has read
	// nothing for that long. Default 30 s.
	StallTimeout time.Duration
	// GeoparseBytes caps the text of one POST /api/geoparse. Default 64 KiB.
	GeoparseBytes int
	// TempDir is where GeoPackage exports are built; "" is the system's.
	TempDir string
	// Streams is how many live streams (GET /api/events) may be open at
	// once; more are answered 503. Default 1000.
	Streams int
	// Heartbeat is how often an idle live stream sends a comment, so that
	// proxies and browsers keep it open and a gone client is noticed.
	// Default 15 s.
	Heartbeat time.Duration
}

func (l Limits) withDefaults() Limits {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.QueryTimeout, 10*time.Second)
	def(&l.QueueWait, 2*time.Second)
	def(&l.StallTimeout, 30*time.Second)
	def(&l.Heartbeat, 15*time.Second)
	if l.Streams <= 0 {
		l.Streams = 1000
	}
	if l.Exports <= 0 {
		l.Exports = 2
	}
	if l.Expensive <= 0 {
		l.Expensive = 2
	}
	if l.GeoparseBytes <= 0 {
		l.GeoparseBytes = 64 << 10
	}
	return l
}

// slots is a counting semaphore: how many requests of a kind may run at once.
type slots chan struct{}

// errBusy answers a request that found every slot of its kind taken.
func errBusy(what string, retry time.Duration) error {
	return &problem{Type: "about:blank", Title: "Service busy", Status: http.StatusServiceUnavailable,
		Detail:     fmt.Sprintf("too many %s are running; retry in a few seconds", what),
		retryAfter: retry}
}

// acquire takes a slot, waiting at most wait (or until ctx ends), and
// returns the function that gives it back.
func (sl slots) acquire(ctx context.Context, wait time.Duration) (func(), bool) {
	select {
	case sl <- struct{}{}:
		return func() { <-sl }, true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case sl <- struct{}{}:
		return func() { <-sl }, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// limit runs h in one of sl's slots when costly(r) says the request is of
// the limited kind, and answers 503 when none frees up in time.
func (s *Server) limit(sl slots, what string, costly func(*http.Request) bool, h http.Handler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if costly != nil && !costly(r) {
			h.ServeHTTP(w, r)
			return nil
		}
		release, ok := sl.acquire(r.Context(), s.cfg.Limits.QueueWait)
		if !ok {
			if err := r.Context().Err(); err != nil {
				return err
			}
			s.metrics.busy.WithLabelValues(what).Inc()
			return errBusy(what, s.cfg.Limits.QueueWait)
		}
		defer release()
		h.ServeHTTP(w, r)
		return nil
	})
}

// hasFilter tells the OGC items requests with a CQL2 filter.
func hasFilter(r *http.Request) bool { return r.URL.Query().Has("filter") }

// deadlines gives read requests a context deadline that every query they
// run inherits, so a costly filter is interrupted inside SQLite rather
// than holding a connection of the read pool for as long as it likes.
func (s *Server) deadlines(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		read := r.Method == http.MethodGet || r.Method == http.MethodHead || r.URL.Path == "/api/geoparse"
		// Exports and live streams last as long as their client reads.
		if !read || strings.HasPrefix(r.URL.Path, "/api/export") || r.URL.Path == "/api/events" {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Limits.QueryTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// errTimeout answers a request that ran out of its deadline.
func errTimeout(limit time.Duration) error {
	return &problem{Type: "about:blank", Title: "Request took too long", Status: http.StatusServiceUnavailable,
		Detail: fmt.Sprintf("the request ran for longer than its limit of %s and was stopped; narrow the filter or the area", limit)}
}

// stallWriter pushes the connection's write deadline forward before each
// write, so a streamed response lasts as long as its client keeps reading
// and no longer once it stops.
type stallWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

func newStallWriter(w http.ResponseWriter, stall time.Duration) *stallWriter {
	return &stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: stall}
}

func (w *stallWriter) Write(b []byte) (int, error) {
	if err := w.rc.SetWriteDeadline(time.Now().Add(w.stall)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, err
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *stallWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// retryAfterSeconds is the Retry-After value for d, at least one second.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}
