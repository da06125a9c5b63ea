package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/incidentmap/incidentmap/internal/ingest"
	"github.com/incidentmap/incidentmap/internal/store"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no process-wide state), served at /metrics.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // by route, method and status
	latency  *prometheus.HistogramVec // by route and method
	inFlight prometheus.Gauge
	streams  prometheus.Gauge
	busy     *prometheus.CounterVec // requests refused for want of a slot, by kind
	authFail prometheus.Counter
	writes   *prometheus.CounterVec // successful write requests, by action
	articles *prometheus.CounterVec // ingested articles, by outcome
	ingested *prometheus.CounterVec // incidents of ingested articles, by status
}

func newMetrics(st store.Backend) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "incidentmap_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status code."}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "incidentmap_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "incidentmap_http_requests_in_flight", Help: "HTTP requests being answered."}),
		streams:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "incidentmap_event_streams", Help: "Live streams (GET /api/events) open."}),
		busy: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "incidentmap_http_busy_total",
			Help: "Requests answered 503 because every slot of their kind was taken, by kind."}, []string{"kind"}),
		authFail: prometheus.NewCounter(prometheus.CounterOpts{Name: "incidentmap_auth_failures_total",
			Help: "Requests with a wrong, revoked or malformed key."}),
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "incidentmap_store_writes_total",
			Help: "Write requests that succeeded, by action (create, patch, delete, import, ingest)."}, []string{"action"}),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "incidentmap_ingest_articles_total",
			Help: "Articles ingested, by outcome (incidents, none, duplicate)."}, []string{"outcome"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "incidentmap_ingest_incidents_total",
			Help: "Incidents of ingested articles, by status (new, merged, existing)."}, []string{"status"}),
	}
	incidents := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "incidentmap_store_incidents",
		Help: "Incidents in the database."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := st.Count(ctx, store.Query{})
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.streams, m.busy, m.authFail, m.writes, m.articles, m.ingested, incidents,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

type routeKey struct{}

// measure counts and times every request. The route template (e.g.
// /api/incidents/{id}, so ids do not each make a series) is filled in by
// routeLabel once the router has matched; requests it did not match are
// "unmatched".
func (m *metrics) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := "unmatched"
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

// routeLabel is router middleware: it records the matched route's template
// for measure.
func routeLabel(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			if t, err := mux.CurrentRoute(r).GetPathTemplate(); err == nil {
				*p = t
			}
		}
		next.ServeHTTP(w, r)
	})
}

// countIngest records what ingesting an article did.
func (m *metrics) countIngest(res ingest.Result) {
	switch {
	case res.Duplicate:
		m.articles.WithLabelValues("duplicate").Inc()
	case len(res.Items) == 0:
		m.articles.WithLabelValues("none").Inc()
	default:
		m.articles.WithLabelValues("incidents").Inc()
	}
	for _, it := range res.Items {
		m.ingested.WithLabelValues(string(it.Status)).Inc()
	}
}

// handleReady answers GET /readyz: 200 when the server can serve — the
// database answers a query within a second and the gazetteer is loaded —
// and 503 saying what is missing otherwise. /healthz only says the
// process is alive.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	// The gazetteer first: while it loads, polling costs no query.
	if s.pl.Load() == nil {
		return &problem{Type: "about:blank", Title: "Not ready", Status: http.StatusServiceUnavailable, retryAfter: time.Second,
			Detail: "the gazetteer is not loaded"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if _, err := s.store.Revision(ctx); err != nil {
		return &problem{Type: "about:blank", Title: "Not ready", Status: http.StatusServiceUnavailable, retryAfter: time.Second,
			Detail: "the database does not answer: " + err.Error()}
	}
	return writeJSON(w, r, http.StatusOK, "application/json", map[string]string{"status": "ready"})
}
