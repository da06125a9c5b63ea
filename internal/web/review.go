package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/incidentmap/incidentmap/internal/incident"
	"github.com/incidentmap/incidentmap/internal/store"
)

// maxReviewNote bounds the reason kept with a review.
const maxReviewNote = 2000

// getVisible returns the incident id if the request may see it: published
// incidents to everyone, the others to writers. To anyone else an incident
// under review does not exist (404), so its existence is not revealed.
func (s *Server) getVisible(r *http.Request, id string) (incident.Incident, error) {
	in, err := s.store.Get(r.Context(), id)
	if err != nil {
		return in, err
	}
	if !in.Published() && !canReview(r) {
		return incident.Incident{}, fmt.Errorf("incident %q: %w", id, store.ErrNotFound)
	}
	return in, nil
}

// reviewBody is the body of POST /api/incidents/{id}/accept and /reject.
type reviewBody struct {
	Reason string `json:"reason"`
}

// handleAccept answers POST /api/incidents/{id}/accept: the incident is
// published. An optional JSON body {"reason": "..."} is kept as its note.
func (s *Server) handleAccept(w http.ResponseWriter, r *http.Request) error {
	return s.review(w, r, incident.StatusPublished, false)
}

// handleReject answers POST /api/incidents/{id}/reject with a JSON body
// {"reason": "..."}: the incident leaves the queue, unpublished, and the
// reason is kept for the extractor's training.
func (s *Server) handleReject(w http.ResponseWriter, r *http.Request) error {
	return s.review(w, r, incident.StatusRejected, true)
}

func (s *Server) review(w http.ResponseWriter, r *http.Request, status string, needReason bool) error {
	if err := checkParams(r); err != nil {
		return err
	}
	body, err := readReviewBody(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		return err
	}
	if needReason && body.Reason == "" {
		return badField("reason", "a rejection needs a reason: {\"reason\": \"...\"}")
	}
	in, err := s.store.Review(r.Context(), mux.Vars(r)["id"], status, body.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, "application/json", reviewResult(&in, body.Reason))
}

// readReviewBody reads the optional JSON body of a review action.
func readReviewBody(w http.ResponseWriter, r *http.Request, limit int64) (reviewBody, error) {
	var body reviewBody
	if err := readActionBody(w, r, limit, &body, `{"reason": "..."}`); err != nil {
		return body, err
	}
	body.Reason = strings.TrimSpace(body.Reason)
	if len(body.Reason) > maxReviewNote {
		return body, badField("reason", "is longer than %d bytes", maxReviewNote)
	}
	return body, nil
}

// readActionBody decodes the JSON object of a review action into v, which
// is left as it is when the body is empty; shape shows the object expected.
func readActionBody(w http.ResponseWriter, r *http.Request, limit int64, v any, shape string) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(raw)) == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badField("body", "must be a JSON object %s: %v", shape, err)
	}
	return nil
}

// mergeBody is the body of POST /api/incidents/{id}/merge.
type mergeBody struct {
	Into string `json:"into"`
}

// handleMerge answers POST /api/incidents/{id}/merge with a JSON body
// {"into": "<id>"}: the queued incident is the same as a stored one, which
// gains its sources, while it leaves the queue (store.Merge). The answer
// is the incident merged into.
func (s *Server) handleMerge(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	var body mergeBody
	if err := readActionBody(w, r, s.cfg.MaxBodyBytes, &body, `{"into": "<id>"}`); err != nil {
		return err
	}
	if body.Into = strings.TrimSpace(body.Into); body.Into == "" {
		return badField("into", `name the incident to merge into: {"into": "<id>"}`)
	}
	from := mux.Vars(r)["id"]
	in, err := s.store.Merge(r.Context(), from, body.Into)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, "application/json",
		map[string]any{"id": from, "status": incident.StatusRejected, "merged_into": in.ID, "incident": in.ToFeature()})
}

// reviewResult is the answer to a review action: the incident's id, its
// new status and the reason kept.
func reviewResult(in *incident.Incident, reason string) map[string]any {
	return map[string]any{"id": in.ID, "status": in.Status, "reason": reason, "incident": in.ToFeature()}
}

// sourceArticle is one article an incident was read from, for reviewers.
type sourceArticle struct {
	URL       string `json:"url,omitempty"`
	Title     string `json:"title,omitempty"`
	Published string `json:"published,omitempty"`
	Text      string `json:"text"`
}

// handleIncidentArticles answers GET /api/incidents/{id}/articles, for
// writers: the articles the incident was read from, with their text, so
// that a reviewer reads the evidence where it stands (at most
// store.MaxArticlesOf; none for an incident made by hand or imported).
func (s *Server) handleIncidentArticles(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	id := mux.Vars(r)["id"]
	if _, err := s.store.Get(r.Context(), id); err != nil {
		return err
	}
	arts, err := s.store.ArticlesOf(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]sourceArticle, 0, len(arts))
	for _, a := range arts {
		out = append(out, sourceArticle{URL: a.URL, Title: a.Title, Published: a.Published, Text: a.Text})
	}
	return writeJSON(w, r, http.StatusOK, "application/json", map[string]any{"id": id, "articles": out})
}
