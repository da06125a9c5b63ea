package web

import (
	"fmt"
	"net/http"

	"github.com/incidentmap/incidentmap/internal/extract"
)

// geoparseResponse lists the place mentions of a text.
type geoparseResponse struct {
	Mentions []extract.Mention `json:"mentions"`
	Count    int               `json:"count"`
}

// handleGeoparse answers POST /api/geoparse: the text (plain, or JSON
// {"text": ...}) in, every place mention out with its code point and byte
// offsets, the resolved place and a score. It stores nothing, so it needs
// no token.
func (s *Server) handleGeoparse(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r); err != nil {
		return err
	}
	pl, err := s.places()
	if err != nil {
		return err
	}
	arts, err := readArticles(w, r, "")
	if err != nil {
		return err
	}
	if len(arts) != 1 {
		return badField("body", "send one text, not %d", len(arts))
	}
	// Geoparsing costs CPU in proportion to the text: anonymous clients get
	// a bounded share (articles of any size go through POST /api/articles).
	if n := len(arts[0].Text); n > s.cfg.Limits.GeoparseBytes {
		return &problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge, Field: "text",
			Detail: fmt.Sprintf("the text is %d bytes; geoparse takes at most %d (split it)", n, s.cfg.Limits.GeoparseBytes)}
	}
	ms := pl.ex.Geoparse(arts[0].Text)
	if ms == nil {
		ms = []extract.Mention{}
	}
	return writeJSON(w, r, http.StatusOK, "application/json", geoparseResponse{Mentions: ms, Count: len(ms)})
}
