package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/internal/incident"
)

const geoJSONType = "application/geo+json"

// handleListIncidents answers GET /api/incidents with a streamed
// FeatureCollection of the incidents matching the filters, newest first
// (or in the order of sort=), and a "next" link while more remain.
func (s *Server) handleListIncidents(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, append(incidentFilterParams(), "limit", "cursor")...); err != nil {
		return err
	}
	q, err := parseIncidentFilters(r)
	if err != nil {
		return err
	}
	if q.Limit, err = parseLimit(r, defaultLimit, maxLimit); err != nil {
		return err
	}
	q.Cursor = r.URL.Query().Get("cursor")
	if fresh, err := s.checkETag(w, r); err != nil || fresh {
		return err
	}
	cw, err := startCollection(w, http.StatusOK, geoJSONType, nil)
	if err != nil {
		return err
	}
	next, err := s.store.QueryFeatures(r.Context(), q, cw.WriteFeature)
	if err != nil {
		return err
	}
	links := []link{{Href: s.absURL(r, r.URL.Path, r.URL.Query()), Rel: "self", Type: geoJSONType}}
	if next != "" {
		v := r.URL.Query()
		v.Set("cursor", next)
		links = append(links, link{Href: s.absURL(r, r.URL.Path, v), Rel: "next", Type: geoJSONType, Title: "next page"})
	}
	tail := map[string]any{"numberReturned": cw.count, "links": links}
	if next != "" {
		tail["next"] = next
	}
	return cw.Close(tail)
}

// handleGetIncident answers GET /api/incidents/{id}.
func (s *Server) handleGetIncident(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	if fresh, err := s.checkETag(w, r); err != nil || fresh {
		return err
	}
	in, err := s.getVisible(r, mux.Vars(r)["id"])
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, geoJSONType, in.ToFeature())
}

// handleCreateIncidents answers POST /api/incidents: a Feature or a
// FeatureCollection, stored all or nothing. It returns what was stored.
func (s *Server) handleCreateIncidents(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	ins, err := incident.DecodeFeatures(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return err
	}
	stored, err := s.store.Insert(r.Context(), ins)
	if err != nil {
		return err
	}
	if len(stored) == 1 {
		w.Header().Set("Location", s.absURL(r, "/api/incidents/"+url.PathEscape(stored[0].ID), nil))
	}
	cw, err := startCollection(w, http.StatusCreated, geoJSONType, nil)
	if err != nil {
		return err
	}
	for i := range stored {
		if err := cw.Write(&stored[i]); err != nil {
			return err
		}
	}
	return cw.Close(map[string]any{"numberReturned": cw.count})
}

// handlePatchIncident answers PATCH /api/incidents/{id} with a JSON merge
// patch (RFC 7396) of the Feature: members given replace, null removes.
func (s *Server) handlePatchIncident(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return err
	}
	var patch map[string]any
	if err := json.Unmarshal(body, &patch); err != nil {
		return badField("body", "must be a JSON object (a merge patch of the Feature): %v", err)
	}
	id := mux.Vars(r)["id"]
	cur, err := s.store.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if v, ok := patch["id"]; ok && v != id {
		return badField("id", "cannot be changed")
	}
	updated, err := incident.MergePatch(cur, patch)
	if err != nil {
		return err
	}
	stored, err := s.store.Update(r.Context(), updated)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, geoJSONType, stored.ToFeature())
}

// handleDeleteIncident answers DELETE /api/incidents/{id}.
func (s *Server) handleDeleteIncident(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	if err := s.store.Delete(r.Context(), mux.Vars(r)["id"]); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleHealth answers GET /healthz: 200 while the database answers.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.store.Revision(r.Context()); err != nil {
		return &problem{Type: "about:blank", Title: "Database unavailable", Status: http.StatusServiceUnavailable, Detail: err.Error()}
	}
	return writeJSON(w, r, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}

// checkETag sets a weak ETag derived from the store's revision and the
// request URL, and answers 304 when the client's copy is current. It
// reports whether the response is complete.
func (s *Server) checkETag(w http.ResponseWriter, r *http.Request) (bool, error) {
	return s.checkTag(w, r, r.URL.RequestURI())
}

// checkTag is checkETag for a response that variant (the request URL and
// whatever else chose the response) identifies.
func (s *Server) checkTag(w http.ResponseWriter, r *http.Request, variant string) (bool, error) {
	rev, err := s.store.Revision(r.Context())
	if err != nil {
		return false, err
	}
	etag := `W/"` + strconv.FormatInt(rev, 36) + "-" + strconv.FormatUint(fnv64(variant), 36) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && (match == etag || match == "*") {
		w.WriteHeader(http.StatusNotModified)
		return true, nil
	}
	return false, nil
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// absURL builds an absolute URL on this server for links.
func (s *Server) absURL(r *http.Request, path string, q url.Values) string {
	base := s.cfg.BaseURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	u := base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}
