// Package web serves incidentmap over HTTP: the GeoJSON API, OGC API -
// Features, the gazetteer and article endpoints, and the map page. Routes
// are all in routes.go; each handler decodes, validates, calls the store and
// writes one response, returning errors to one adapter (problem.go) that
// answers with application/problem+json.
package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/klauspost/compress/gzip"

	"github.com/incidentmap/incidentmap/gazetteer"
	"github.com/incidentmap/incidentmap/internal/extract"
	"github.com/incidentmap/incidentmap/internal/feed"
	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Config is the server's settings.
type Config struct {
	// Token is the single token of earlier versions: it acts as an admin
	// key named "token" (Authorization: Bearer <token>). Empty: none.
	Token string
	// Private makes every request but health checks and the map page's
	// files need a key (any role).
	Private bool
	// BehindProxy takes the client's address from the last entry of
	// X-Forwarded-For (for the audit trail and the failed-key throttle).
	// Set it only when a reverse proxy sets that header.
	BehindProxy bool
	// MaxBodyBytes caps JSON request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
	// BaseURL, when set, is used for absolute links instead of the request's host.
	BaseURL string
	// Page configures the map page, such as its optional online tile layer.
	Page PageConfig
	// Limits bound the cost of one request (limits.go).
	Limits Limits
	// GazetteerLoading says New gets no gazetteer because one is loading in
	// the background and will arrive through SetGazetteer. Until then
	// everything that needs places answers 503 with Retry-After, imports
	// included (they would otherwise skip their country checks).
	GazetteerLoading bool
	// FeedAdded, when set, is called after POST /api/feeds added a feed,
	// so that the poller reads it at once.
	FeedAdded func()
}

// Server is incidentmap's HTTP service.
type Server struct {
	cfg   Config
	store store.Backend
	log   *slog.Logger
	pl    atomic.Pointer[placeTools] // nil until the gazetteer is there

	metrics  *metrics
	keys     *keys.Keyring
	failures *failedAuth // wrong keys per client address

	exports   slots // exports running
	expensive slots // geoparse and CQL2 filter requests running

	ingMu sync.Mutex
	ing   *ingest.Ingester // made on the first article, once its table exists

	feedMu sync.Mutex
	feeds  *feed.Registry // made on the first feeds request, once its table exists

	hub *hub // the live streams of GET /api/events (events.go)
}

// placeTools are the parts of the server that need the gazetteer; they
// arrive together, once it has loaded.
type placeTools struct {
	gaz    *gazetteer.Gazetteer
	ex     *extract.Extractor // immutable, shared by requests
	labels labelsOnce         // map labels from gaz, built on first use (labels.go)
	list   placeListing       // the OGC places listing, built on first use (ogc_places.go)
}

// New returns a server over st and gaz. gaz may be nil: with
// cfg.GazetteerLoading because it is still loading (see SetGazetteer),
// otherwise because this server has none. Place endpoints then answer 503.
func New(cfg Config, st store.Backend, gaz *gazetteer.Gazetteer, log *slog.Logger) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	cfg.Limits = cfg.Limits.withDefaults()
	srv := &Server{cfg: cfg, store: st, log: log,
		metrics: newMetrics(st), keys: keys.New(st, cfg.Token), failures: newFailedAuth(6*time.Second, 10),
		exports: make(slots, cfg.Limits.Exports), expensive: make(slots, cfg.Limits.Expensive),
		hub: newHub(st, log, cfg.Limits.Streams)}
	if gaz != nil {
		srv.SetGazetteer(gaz)
	}
	return srv
}

// Close ends the live streams and what feeds them; call it when the HTTP
// server shuts down (http.Server.RegisterOnShutdown), since a stream
// would otherwise keep its request in flight until the client leaves.
// Streams asked for afterwards are answered 503.
func (s *Server) Close() { s.hub.close() }

// SetGazetteer hands the server the gazetteer that was loading when it
// started serving; from then on place look-ups, geoparsing, article ingest
// and imports are served and /readyz says ready. Only the first call
// counts: a server's gazetteer never changes under its requests.
func (s *Server) SetGazetteer(gaz *gazetteer.Gazetteer) {
	s.pl.CompareAndSwap(nil, &placeTools{gaz: gaz, ex: extract.New(gaz)})
}

// places returns the gazetteer and what is built on it, or a 503 problem
// while there is none: one with Retry-After while it is loading.
func (s *Server) places() (*placeTools, error) {
	if pl := s.pl.Load(); pl != nil {
		return pl, nil
	}
	if s.cfg.GazetteerLoading {
		return nil, errGazetteerLoading
	}
	return nil, errNoGazetteer
}

// Ingester returns the server's article ingester, for the feed poller of
// the same process: sharing it is what keeps an article posted and read
// from a feed at the same moment from being stored twice. Before the
// gazetteer has loaded it answers the error places does.
func (s *Server) Ingester(ctx context.Context) (*ingest.Ingester, error) {
	pl, err := s.places()
	if err != nil {
		return nil, err
	}
	return s.ingester(ctx, pl.ex)
}

// ingester returns the server's article ingester over ex, creating it on
// first use.
func (s *Server) ingester(ctx context.Context, ex *extract.Extractor) (*ingest.Ingester, error) {
	s.ingMu.Lock()
	defer s.ingMu.Unlock()
	if s.ing == nil {
		ing := ingest.New(s.store, ex)
		s.ing = ing
	}
	return s.ing, nil
}

// Handler returns the service with its middleware, outermost first:
// request id and log, metrics, panic recovery, truncated-body watch, read
// deadlines, security headers, CORS for reads, gzip, and the API key.
func (s *Server) Handler() http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return notFound("no such path %s", r.URL.Path)
	})
	r.MethodNotAllowedHandler = s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &problem{Type: "about:blank", Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
			Detail: r.Method + " is not supported on " + r.URL.Path}
	})
	s.routes(r)
	r.Use(routeLabel)
	return s.logRequests(s.metrics.measure(s.recoverPanics(watchBodies(s.deadlines(defaultSecurityHeaders(cors(gzipResponses(s.authenticate(r)))))))))
}

// statusWriter records the status and size of a response for the log, and
// whether the header has gone out (after which errors cannot change it).
type statusWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush passes flushes through so streamed responses reach the client.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r = withRequestID(r, w)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000,
			"request_id", requestID(r.Context()))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "path", r.URL.Path, "panic", v)
				writeProblem(w, &problem{Type: "about:blank", Title: "Internal server error", Status: http.StatusInternalServerError})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// cors lets pages on other origins read the API (GET/HEAD); writes stay
// same-origin or token-bearing scripts outside browsers.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Expose-Headers", "ETag, Link")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
				w.Header().Set("Access-Control-Allow-Headers", "If-None-Match, Accept")
				w.Header().Set("Access-Control-Max-Age", "86400")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// gzipLevel is the compression of responses: klauspost/compress at its
// fastest level compresses a page of 100 features (78 kB) in a quarter of
// the time of the standard library's default level, to 12× smaller instead
// of 14× (measured side by side).
const gzipLevel = gzip.BestSpeed

// gzipWriter compresses a response when its type is worth compressing,
// with a compressor from pool (a new one allocates most of a megabyte).
type gzipWriter struct {
	http.ResponseWriter
	pool    *sync.Pool
	gz      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.decided {
		g.decided = true
		h := g.ResponseWriter.Header()
		ct := h.Get("Content-Type")
		if code != http.StatusNoContent && code != http.StatusNotModified && h.Get("Content-Encoding") == "" && compressible(ct) {
			h.Set("Content-Encoding", "gzip")
			h.Del("Content-Length")
			if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
				h.Set("ETag", "W/"+etag) // the bytes differ from the identity form
			}
			g.gz = g.pool.Get().(*gzip.Writer)
			g.gz.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

// close ends the compressed stream and returns the compressor to the pool.
func (g *gzipWriter) close() {
	if g.gz == nil {
		return
	}
	g.gz.Close()
	g.gz.Reset(io.Discard) // holds no reference to the response
	g.pool.Put(g.gz)
	g.gz = nil
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) Flush() {
	if g.gz != nil {
		g.gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func compressible(ct string) bool {
	if strings.HasPrefix(ct, "text/event-stream") {
		return false // each event must reach the client when it is sent
	}
	for _, p := range []string{"json", "text/", "javascript", "xml", "csv", "svg", "vector-tile"} {
		if strings.Contains(ct, p) {
			return true
		}
	}
	return false
}

func gzipResponses(next http.Handler) http.Handler {
	pool := &sync.Pool{New: func() any {
		gz, err := gzip.NewWriterLevel(io.Discard, gzipLevel)
		if err != nil {
			panic(err) // gzipLevel is a valid level
		}
		return gz
	}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, pool: pool}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}
