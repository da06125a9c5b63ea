package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/incidentmap/incidentmap/internal/feed"
)

// feedRegistry returns the registry of watched feeds, created on first
// use (its table with it).
func (s *Server) feedRegistry(r *http.Request) (*feed.Registry, error) {
	s.feedMu.Lock()
	defer s.feedMu.Unlock()
	if s.feeds == nil {
		reg := feed.NewRegistry(s.store)
		s.feeds = reg
	}
	return s.feeds, nil
}

// handleListFeeds answers GET /api/feeds: every watched feed with its
// polling state (last item, last error, failures in a row, next poll).
func (s *Server) handleListFeeds(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	reg, err := s.feedRegistry(r)
	if err != nil {
		return err
	}
	feeds, err := reg.List(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, "application/json", map[string]any{"feeds": append([]feed.Feed{}, feeds...)})
}

// feedBody is the body of POST /api/feeds.
type feedBody struct {
	URL     string `json:"url"`
	Every   string `json:"every"` // a Go duration: "15m", "1h"; "" for the default
	Country string `json:"country"`
}

// handleAddFeed answers POST /api/feeds {"url": ..., "every": "15m",
// "country": "NG"}: the feed is watched, polled at once.
func (s *Server) handleAddFeed(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return err
	}
	var body feedBody
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return badField("body", "must be a JSON object {\"url\": ..., \"every\": \"15m\", \"country\": \"NG\"}: %v", err)
	}
	f := feed.Feed{URL: strings.TrimSpace(body.URL), Country: body.Country}
	if body.Every != "" {
		if f.Every, err = time.ParseDuration(body.Every); err != nil {
			return badField("every", "must be a duration such as 15m or 1h, not %q", body.Every)
		}
	}
	reg, err := s.feedRegistry(r)
	if err != nil {
		return err
	}
	added, err := reg.Add(r.Context(), f, time.Now())
	if err != nil {
		return feedProblem(err)
	}
	if s.cfg.FeedAdded != nil {
		s.cfg.FeedAdded()
	}
	return writeJSON(w, r, http.StatusCreated, "application/json", added)
}

// handleRemoveFeed answers DELETE /api/feeds?url=URL.
func (s *Server) handleRemoveFeed(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r, "url"); err != nil {
		return err
	}
	u := r.URL.Query().Get("url")
	if u == "" {
		return badParam("url", "names the feed to remove: DELETE /api/feeds?url=URL")
	}
	reg, err := s.feedRegistry(r)
	if err != nil {
		return err
	}
	if err := reg.Remove(r.Context(), u); err != nil {
		return feedProblem(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// feedProblem turns the registry's named errors into problems.
func feedProblem(err error) error {
	var fe *feed.FieldError
	switch {
	case errors.As(err, &fe):
		return badField(fe.Field, "%s", fe.Reason)
	case errors.Is(err, feed.ErrExists):
		return &problem{Type: "about:blank", Title: "Conflict", Status: http.StatusConflict, Detail: err.Error(), Field: "url"}
	case errors.Is(err, feed.ErrUnknown):
		return &problem{Type: "about:blank", Title: "Not found", Status: http.StatusNotFound, Detail: err.Error(), Param: "url"}
	}
	return err
}
