package web

import (
	"io/fs"
	"net/http"

	webpage "github.com/incidentmap/incidentmap/web"
)

// handleFavicon is GET /favicon.ico: the page's icon for the clients that
// ask for it at the conventional address instead of following the page's
// <link rel="icon"> (feed readers, bookmarks, some browsers' first load).
// It is the embedded favicon.svg, so the two never differ.
func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) error {
	data, err := fs.ReadFile(webpage.Page(), "favicon.svg")
	if err != nil {
		return notFound("no favicon in this build: %v", err)
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=86400")
	return writeBody(w, r, data)
}
