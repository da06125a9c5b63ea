package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
)

type keyCtx struct{}

// keyOf returns the API key a request was made with, and false for an
// anonymous request.
func keyOf(ctx context.Context) (keys.Key, bool) {
	k, ok := ctx.Value(keyCtx{}).(keys.Key)
	return k, ok
}

// publicPaths answer anonymous requests even on a private server: health
// checks, and the map page's HTML and scripts (which hold no data; the
// API calls they make need a key).
func publicPath(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/" || strings.HasPrefix(path, "/assets/")
}

// authenticate reads the request's API key (Authorization: Bearer KEY, the
// scheme in any case) into its context. A wrong or revoked key is a 401 and
// counts against the client's failure allowance; a client past it is
// answered 429 without its key being checked. On a private server an
// anonymous request is a 401 too, but for publicPath.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		h := r.Header.Get("Authorization")
		if h == "" {
			if s.cfg.Private && !publicPath(r.URL.Path) {
				return unauthorized("this server is private: every request needs the header Authorization: Bearer <key>")
			}
			next.ServeHTTP(w, r)
			return nil
		}
		ip := s.clientIP(r)
		if wait := s.failures.wait(ip); wait > 0 {
			return &problem{Type: "about:blank", Title: "Too many failed logins", Status: http.StatusTooManyRequests, retryAfter: wait,
				Detail: "too many requests from this address had a wrong key; wait before trying again"}
		}
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			s.failures.add(ip)
			s.metrics.authFail.Inc()
			return unauthorized("the Authorization header must be: Bearer <key>")
		}
		key, err := s.keys.Authenticate(r.Context(), strings.TrimSpace(secret))
		if errors.Is(err, keys.ErrUnknown) || errors.Is(err, keys.ErrRevoked) {
			s.failures.add(ip)
			s.metrics.authFail.Inc()
			s.log.Info("authentication failed", "remote", ip, "path", r.URL.Path, "request_id", requestID(r.Context()))
			return unauthorized("the key is wrong or has been revoked")
		}
		if err != nil {
			return err
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyCtx{}, key)))
		return nil
	})
}

// unauthorized is a 401 with the Bearer challenge.
func unauthorized(detail string) error {
	return &problem{Type: "about:blank", Title: "Unauthorized", Status: http.StatusUnauthorized, Detail: detail,
		header: http.Header{"WWW-Authenticate": {`Bearer realm="incidentmap"`}}}
}

// require runs h for requests whose key has at least role need — 401
// without a key, 403 with a weaker one — and names the key, the client and
// action in the context, for the audit trail of the writes h makes.
func (s *Server) require(need keys.Role, action string, h http.Handler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		key, ok := keyOf(r.Context())
		if !ok {
			return unauthorized(fmt.Sprintf("this needs a %s key: Authorization: Bearer <key> (INCIDENTMAP_TOKEN, the token printed when the database was created, or a key from incidentmap keys add)", need))
		}
		if !key.Role.Allows(need) {
			return &problem{Type: "about:blank", Title: "Forbidden", Status: http.StatusForbidden,
				Detail: fmt.Sprintf("key %q is a %s key; this needs a %s key", key.Name, key.Role, need)}
		}
		ctx := store.WithActor(r.Context(), store.Actor{Name: key.Name, Remote: s.clientIP(r), Action: action, RequestID: requestID(r.Context())})
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r.WithContext(ctx))
		if action != "" && sw.status < 300 {
			s.metrics.writes.WithLabelValues(action).Inc()
		}
		return nil
	})
}

// clientIP is the address the request came from. Behind a reverse proxy
// (Config.BehindProxy) that is the last address of X-Forwarded-For, the one
// the proxy added — earlier ones are the client's to write, so trusting
// them would let a guesser dodge the throttle.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.BehindProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// failedAuth throttles clients that send wrong keys: each address has a
// token bucket of failures (a burst, refilled slowly); while it is empty,
// the address's keys are not even checked. Guessing a 192-bit key is
// hopeless anyway; this keeps a guesser from costing database lookups and
// weak legacy tokens from being brute-forced.
type failedAuth struct {
	mu      sync.Mutex
	clients map[string]*rate.Limiter
	every   time.Duration
	burst   int
}

// maxTrackedClients bounds the throttle's memory; past it, clients whose
// allowance is whole again are forgotten.
const maxTrackedClients = 10_000

func newFailedAuth(every time.Duration, burst int) *failedAuth {
	return &failedAuth{clients: map[string]*rate.Limiter{}, every: every, burst: burst}
}

// wait returns how long ip must wait before its key is checked again.
func (f *failedAuth) wait(ip string) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	lim, ok := f.clients[ip]
	if !ok {
		return 0
	}
	if t := lim.Tokens(); t < 1 {
		return time.Duration((1 - t) * float64(f.every))
	}
	return 0
}

// add records a failure of ip.
func (f *failedAuth) add(ip string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	lim, ok := f.clients[ip]
	if !ok {
		if len(f.clients) >= maxTrackedClients {
			for k, l := range f.clients {
				if l.Tokens() >= float64(f.burst) || len(f.clients) >= maxTrackedClients {
					delete(f.clients, k)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(f.every), f.burst)
		f.clients[ip] = lim
	}
	lim.Allow()
}
