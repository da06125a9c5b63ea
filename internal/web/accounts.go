package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/internal/keys"
	"github.com/incidentmap/incidentmap/internal/store"
)

// keyRequest is the body of POST /api/keys.
type keyRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// newKeyResponse shows a new key's secret, this once.
type newKeyResponse struct {
	keys.Key
	Secret string `json:"key"`
}

// handleListKeys answers GET /api/keys (admin): every key, without secrets.
func (s *Server) handleListKeys(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	list, err := s.keys.List(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, "application/json", map[string]any{"keys": list})
}

// handleAddKey answers POST /api/keys (admin) {"name", "role"} with the
// new key, whose secret is shown only in this answer.
func (s *Server) handleAddKey(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<10))
	if err != nil {
		return err
	}
	var req keyRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return badField("body", `must be a JSON object {"name": ..., "role": "reader|writer|admin"}: %v`, err)
	}
	role, err := keys.ParseRole(req.Role)
	if err != nil {
		return badField("role", "%v", err)
	}
	secret, key, err := s.keys.Add(r.Context(), req.Name, role)
	switch {
	case errors.Is(err, keys.ErrName):
		return badField("name", "%v", err)
	case errors.Is(err, keys.ErrExists):
		return &problem{Type: "about:blank", Title: "Conflict", Status: http.StatusConflict, Field: "name", Detail: err.Error()}
	case err != nil:
		return err
	}
	s.log.Info("key added", "name", key.Name, "role", key.Role, "by", actorName(r), "request_id", requestID(r.Context()))
	return writeJSON(w, r, http.StatusCreated, "application/json", newKeyResponse{Key: key, Secret: secret})
}

// handleRevokeKey answers DELETE /api/keys/{name} (admin): the key is
// refused from the next request on.
func (s *Server) handleRevokeKey(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	name := mux.Vars(r)["name"]
	if err := s.keys.Revoke(r.Context(), name); err != nil {
		if errors.Is(err, keys.ErrNotFound) {
			return notFound("no key named %q", name)
		}
		return err
	}
	s.log.Info("key revoked", "name", name, "by", actorName(r), "request_id", requestID(r.Context()))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func actorName(r *http.Request) string {
	k, _ := keyOf(r.Context())
	return k.Name
}

// handleHistory answers GET /api/incidents/{id}/history (any key): the
// incident's audit trail, oldest first, also after it was deleted. Client
// addresses are shown to admins only.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "after", "limit"); err != nil {
		return err
	}
	q := store.AuditQuery{IncidentID: mux.Vars(r)["id"]}
	// The history of an incident under review is the reviewers' (a
	// deleted incident's stays readable).
	in, err := s.store.Get(r.Context(), q.IncidentID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err == nil && !in.Published() && !canReview(r) {
		return notFound("incident %q has no recorded history", q.IncidentID)
	}
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badParam("after", "must be the seq of an entry, a whole number, not %q", v)
		}
		q.AfterSeq = n
	}
	limit, err := parseLimit(r, 100, 1000)
	if err != nil {
		return err
	}
	q.Limit = limit
	entries, err := s.store.Audit(r.Context(), q)
	if err != nil {
		return err
	}
	if len(entries) == 0 && q.AfterSeq == 0 {
		return notFound("incident %q has no recorded history", q.IncidentID)
	}
	if k, _ := keyOf(r.Context()); k.Role != keys.Admin {
		for i := range entries {
			entries[i].Remote = ""
		}
	}
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	return writeJSON(w, r, http.StatusOK, "application/json", map[string]any{"id": q.IncidentID, "history": entries})
}
