package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
)

// Paging limits of /api/incidents.
const (
	defaultLimit = 100
	maxLimit     = 10_000
)

// checkParams returns a 400 naming the first query parameter not in allowed,
// so that a typo ("bbx=") is an error rather than a silently ignored filter.
func checkParams(r *http.Request, allowed ...string) error {
	for _, part := range strings.Split(r.URL.RawQuery, "&") {
		name, _, _ := strings.Cut(part, "=")
		if name == "" && part != "" {
			// Name the parameter by what was sent, since it has no name.
			return badParam(part, "a query parameter needs a name before the =")
		}
		if _, err := url.QueryUnescape(part); err != nil {
			return badParam(name, "is not a valid URL-encoded query parameter: %v", err)
		}
	}
	q := r.URL.Query()
	for name := range q {
		ok := false
		for _, a := range allowed {
			if name == a {
				ok = true
				break
			}
		}
		if !ok {
			return badParam(name, "unknown query parameter %q; known: %s", name, strings.Join(allowed, ", "))
		}
	}
	for _, a := range allowed {
		if len(q[a]) > 1 {
			return badParam(a, "given %d times; give it once (lists are comma-separated)", len(q[a]))
		}
		if v := q.Get(a); !utf8.ValidString(v) || strings.ContainsFunc(v, isControl) {
			return badParam(a, "contains invalid UTF-8 or control characters")
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// incidentFilterParams lists the filter parameters shared by /api/incidents
// and /api/export.
func incidentFilterParams() []string { return store.FilterNames() }

// parseIncidentFilters reads the filter parameters of /api/incidents into a
// store.Query (without limit and cursor).
func parseIncidentFilters(r *http.Request) (store.Query, error) {
	q, err := store.ParseFilters(r.URL.Query().Get)
	if err != nil {
		return q, filterProblem(err)
	}
	if !q.PublishedOnly() && !canReview(r) {
		return q, &problem{Type: "about:blank", Title: "Forbidden", Status: http.StatusForbidden, Param: "status",
			Detail: "only writers see incidents that are not published: status= needs a writer key"}
	}
	return q, nil
}

// filterProblem is a 400 naming the filter of a *store.FilterError; other
// errors pass unchanged.
func filterProblem(err error) error {
	var fe *store.FilterError
	if errors.As(err, &fe) {
		return badParam(fe.Filter, "%s", fe.Reason)
	}
	return err
}

// canReview reports whether the request's key may see and review
// incidents that are not published: a writer's or an admin's.
func canReview(r *http.Request) bool {
	k, ok := keyOf(r.Context())
	return ok && k.Role.Allows(keys.Writer)
}

// parseLimit reads limit: default when absent, 400 when not a positive
// whole number, clamped to max.
func parseLimit(r *http.Request, def, max int) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badParam("limit", "must be a whole number from 1 to %d, not %q", max, s)
	}
	return min(n, max), nil
}

// writeBody sends a 200 with the headers already set and data as the
// body, no body for HEAD.
func writeBody(w http.ResponseWriter, r *http.Request, data []byte) error {
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(data)
	return err
}

// writeJSON writes v as one JSON document with the given status and type.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) error {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return nil
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
