package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// problem is an RFC 9457 problem details object. Param names the query
// parameter at fault, Field the member of the request body.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Param  string `json:"param,omitempty"`
	Field  string `json:"field,omitempty"`
	// RequestID echoes the request's X-Request-Id, to find it in the logs.
	RequestID string `json:"request_id,omitempty"`
	// retryAfter, when set, is sent as the Retry-After header.
	retryAfter time.Duration
	// header holds headers sent with the problem, such as WWW-Authenticate.
	header http.Header
}

func (p *problem) Error() string {
	if p.Param != "" {
		return p.Param + ": " + p.Detail
	}
	if p.Field != "" {
		return p.Field + ": " + p.Detail
	}
	return p.Detail
}

// Named errors handlers return for common failures.
var (
	errTooLarge = &problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge}
)

// badParam is a 400 naming the query parameter at fault.
func badParam(param, format string, args ...any) error {
	return &problem{Type: "about:blank", Title: "Invalid query parameter", Status: http.StatusBadRequest,
		Detail: fmt.Sprintf(format, args...), Param: param}
}

// badPath is a 400 naming the path parameter at fault (a tile's z, x or y).
func badPath(param, format string, args ...any) error {
	return &problem{Type: "about:blank", Title: "Invalid path parameter", Status: http.StatusBadRequest,
		Detail: fmt.Sprintf(format, args...), Param: param}
}

// badField is a 400 naming the request body member at fault.
func badField(field, format string, args ...any) error {
	return &problem{Type: "about:blank", Title: "Invalid request body", Status: http.StatusBadRequest,
		Detail: fmt.Sprintf(format, args...), Field: field}
}

// notFound is a 404 for a resource named in the path.
func notFound(format string, args ...any) error {
	return &problem{Type: "about:blank", Title: "Not found", Status: http.StatusNotFound, Detail: fmt.Sprintf(format, args...)}
}

// handlerFunc is an HTTP handler that returns its failure instead of
// writing it, so that every error reaches the client the same way.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h: an error becomes an application/problem+json response
// naming the parameter or field; anything unexpected is logged and becomes
// a 500 without internals.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackWriter{ResponseWriter: w}
		err := h(tw, r)
		if err == nil {
			return
		}
		p := *s.toProblem(r, err) // a copy: named problems are shared
		p.RequestID = requestID(r.Context())
		if tw.started {
			// The response had started streaming: the status is gone, so
			// all that is left is to log and cut the response short.
			s.log.Error("response failed after it started", "path", r.URL.Path, "err", err)
			return
		}
		writeProblem(w, &p)
	})
}

func (s *Server) toProblem(r *http.Request, err error) *problem {
	var p *problem
	var fe *incident.FieldError
	var mbe *http.MaxBytesError
	if bp := brokenBody(r); bp != nil {
		return bp
	}
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &mbe):
		return &problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body is over the limit of %d bytes", mbe.Limit)}
	case errors.As(err, &fe):
		return &problem{Type: "about:blank", Title: "Invalid request body", Status: http.StatusBadRequest, Detail: fe.Reason, Field: fe.Field}
	case errors.Is(err, store.ErrNotFound):
		return &problem{Type: "about:blank", Title: "Not found", Status: http.StatusNotFound, Detail: err.Error()}
	case errors.Is(err, store.ErrConflict):
		return &problem{Type: "about:blank", Title: "Conflict", Status: http.StatusConflict, Detail: err.Error(), Field: "id"}
	case errors.Is(err, store.ErrReview):
		return &problem{Type: "about:blank", Title: "Conflict", Status: http.StatusConflict, Detail: err.Error(), Field: "status"}
	case errors.Is(err, store.ErrCursor):
		return &problem{Type: "about:blank", Title: "Invalid query parameter", Status: http.StatusBadRequest, Detail: err.Error(), Param: "cursor"}
	case store.IsDiskFull(err):
		s.log.Warn("disk full", "method", r.Method, "path", r.URL.Path, "err", err)
		return &problem{Type: "about:blank", Title: "Insufficient storage", Status: http.StatusInsufficientStorage, retryAfter: time.Minute,
			Detail: "the server's disk is full, so this write was not stored (nothing else was lost); retry once the operator has freed space"}
	case errors.Is(err, context.DeadlineExceeded):
		return errTimeout(s.cfg.Limits.QueryTimeout).(*problem)
	case errors.Is(err, context.Canceled):
		return &problem{Type: "about:blank", Title: "Request canceled", Status: 499}
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err, "request_id", requestID(r.Context()))
	return &problem{Type: "about:blank", Title: "Internal server error", Status: http.StatusInternalServerError,
		Detail: "the server could not complete the request; it has been logged"}
}

func writeProblem(w http.ResponseWriter, p *problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("ETag")
	w.Header().Del("Content-Encoding")
	for k, v := range p.header {
		w.Header()[k] = v
	}
	if p.retryAfter > 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(p.retryAfter))
	}
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// trackWriter records whether a handler has started its response.
type trackWriter struct {
	http.ResponseWriter
	started bool
}

func (w *trackWriter) WriteHeader(code int) {
	w.started = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes through so streamed responses reach the client.
func (w *trackWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *trackWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
